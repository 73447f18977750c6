"""A picker for one enterprise out of tens of thousands (issue 17).

A `<select>` that lists every enterprise a user sees weighs megabytes at province scale. This
field renders a text input tied to an empty `<datalist>` instead; the site script
(`core/static/anjian/anjian.js`) fills the list from the lookup URL while the user types. The
input also works without the script: a database id, a 统一社会信用代码 or an exact name typed by
hand is resolved on submit.

The field is told its queryset (the user's scope) by the form and resolves every input inside it,
in one query; an enterprise outside the scope reads as "not found". The lookup view itself lives in
the registry (`registry:enterprise_lookup`); `ui` knows the URL's name only, and the names of the
columns it reads are parameters, so this module imports no app.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.urls import reverse_lazy
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

LOOKUP_URL = reverse_lazy("registry:enterprise_lookup")
USCC_LENGTH = 18
MAX_ID = 2_147_483_647  # the largest id any backend's integer key holds
MATCHES_READ = 5  # enough to tell one match from several


class EnterprisePicker(forms.TextInput):
    """A text input with an (initially empty) datalist and the URL that fills it."""

    def __init__(
        self, attrs: dict[str, Any] | None = None, lookup_url: str | Promise = LOOKUP_URL
    ) -> None:
        defaults = {
            "autocomplete": "off",
            "placeholder": _("输入企业名称、统一社会信用代码或拼音首字母"),
        }
        super().__init__({**defaults, **(attrs or {})})
        self.lookup_url = lookup_url

    def list_id(self, name: str, attrs: dict[str, Any] | None) -> str:
        """The datalist's id: the input's id with `-list`, or one made from the field name."""
        base = (attrs or {}).get("id") or self.attrs.get("id") or f"picker-{name}"
        return f"{base}-list"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["list"] = self.list_id(name, attrs)
        widget_attrs["data-enterprise-lookup"] = str(self.lookup_url)
        return context

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        field = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', field, self.list_id(name, attrs))


class EnterprisePickerField(forms.ModelChoiceField):
    """One enterprise of the queryset, typed as an id, a 统一社会信用代码 (the first word of the
    text, so the "代码 名称" the list offers is read by its code) or an exact name.

    `code_field` and `name_field` name the model's USCC and name columns. An empty input gives
    `None` (a required field then says so); anything else matches exactly one row of the queryset
    or raises a Chinese error, never revealing whether the enterprise exists outside the scope.
    """

    widget = EnterprisePicker
    default_error_messages = {
        "not_found": _("未找到该企业，请输入统一社会信用代码或从列表中选择"),
        "ambiguous": _("有多家企业名为“%(name)s”，请输入统一社会信用代码或从列表中选择"),
    }

    def __init__(
        self, *args: Any, code_field: str = "uscc", name_field: str = "name", **kwargs: Any
    ) -> None:
        kwargs.setdefault("empty_label", None)
        super().__init__(*args, **kwargs)
        self.code_field = code_field
        self.name_field = name_field
        # the last text this form's copy of the field resolved, and to what (shown as its label)
        self.resolved: tuple[str, Model] | None = None

    def label_from_instance(self, obj: Model) -> str:
        return f"{getattr(obj, self.code_field)} {getattr(obj, self.name_field)}"

    def prepare_value(self, value: Any) -> Any:
        """What the input shows: the label of an enterprise (given as a row, as an id, as views
        pass `?enterprise=<id>` as initial, or as text this field resolved), or else the text the
        user typed."""
        if isinstance(value, Model):
            return self.label_from_instance(value)
        if self.resolved is not None and value == self.resolved[0]:
            return self.label_from_instance(self.resolved[1])
        text = str(value).strip() if value is not None else ""
        if text.isdigit() and int(text) <= MAX_ID and self.queryset is not None:
            row = self.queryset.filter(pk=int(text)).first()
            if row is not None:
                return self.label_from_instance(row)
        return "" if value is None else value

    def to_python(self, value: Any) -> Model | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Model):
            value = value.pk
        text = " ".join(str(value).split())  # also folds full-width spaces
        if not text:
            return None
        pk, code = _parse(text)
        condition = Q(**{self.name_field: text})
        if pk is not None:
            condition |= Q(pk=pk)
        if code is not None:
            condition |= Q(**{self.code_field: code})
        assert self.queryset is not None
        rows = list(self.queryset.filter(condition)[:MATCHES_READ])
        chosen = self._choose(rows, text, pk, code)
        self.resolved = (value, chosen) if isinstance(value, str) else None
        return chosen

    def _choose(self, rows: list[Model], text: str, pk: int | None, code: str | None) -> Model:
        """An id wins over a code, a code over a name; several rows of one name are refused."""
        for row in rows:
            if pk is not None and row.pk == pk:
                return row
        for row in rows:
            if code is not None and str(getattr(row, self.code_field)).upper() == code:
                return row
        named = [row for row in rows if getattr(row, self.name_field) == text]
        if len(named) == 1:
            return named[0]
        if named:
            raise ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"name": text}
            )
        raise ValidationError(self.error_messages["not_found"], code="not_found")


def _parse(text: str) -> tuple[int | None, str | None]:
    """The id (digits, shorter than a code) and the code (an 18-character first word) a text may
    be. An all-digit 18-character text is a code, never an id."""
    pk = int(text) if text.isdigit() and len(text) < USCC_LENGTH else None
    if pk is not None and pk > MAX_ID:
        pk = None
    first = text.split(" ", 1)[0].upper()
    code = first if len(first) == USCC_LENGTH and first.isascii() and first.isalnum() else None
    return pk, code
