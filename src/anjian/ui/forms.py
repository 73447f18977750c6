"""Form helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext


def bootstrap(form: forms.BaseForm) -> None:
    """Gives every widget the Bootstrap class that fits it."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


SEARCH_FROM = 10
"""A picker with more choices than this offers a search box (`data-search`, anjian.js)."""


def officer_label(officer: Any, *, certificate: bool = False) -> str:
    """“张三（安全生产执法大队）”, with the certificate when asked (“…，执法证号 1410…）”).
    Reads `officer.section` (select it with the officers)."""
    section = officer.section.name if officer.section_id else gettext("未分股室")
    extra = gettext("，执法证号 %(no)s") % {"no": officer.certificate_no} if certificate else ""
    return f"{officer.name}（{section}{extra}）"


class _OfficerPicker:
    """What both officer fields share: the label with the section, the section read with the
    officers (one query, however many), and a search box when the list is long."""

    show_certificate = False

    def label_from_instance(self, obj: Any) -> str:
        return officer_label(obj, certificate=self.show_certificate)

    def _get_queryset(self) -> Any:
        return self._queryset  # type: ignore[attr-defined]

    def _set_queryset(self, queryset: Any) -> None:
        if queryset is not None:
            queryset = queryset.select_related("section")
        forms.ModelChoiceField._set_queryset(self, queryset)  # type: ignore[arg-type]
        widget = self.widget  # type: ignore[attr-defined]
        widget.attrs["data-search"] = gettext("输入姓名或股室筛选")
        widget.attrs["data-search-from"] = str(SEARCH_FROM)

    queryset = property(_get_queryset, _set_queryset)


class OfficerChoiceField(_OfficerPicker, forms.ModelChoiceField):  # type: ignore[type-arg]
    """One officer, labelled with the section."""


class OfficerMultipleChoiceField(_OfficerPicker, forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Officers, each labelled with the section."""


class CertifiedOfficersField(OfficerMultipleChoiceField):
    """Officers with their certificate numbers (where the certificate is what counts)."""

    show_certificate = True
