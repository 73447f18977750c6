"""Forms of the planning pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.domain.rules.vocab import ACTIVITIES
from anjian.ui.enterprise_picker import EnterprisePickerField
from anjian.ui.forms import bootstrap
from anjian.ui.vocab_i18n import lazy_choices

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MonthField(forms.CharField):
    """`YYYY-MM` (what a browser's month input sends) as the first day of that month."""

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            year, month = (int(part) for part in text.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("请按 年-月 填写，例如 2025-06")) from None


class MonthOpenForm(forms.Form):
    month = MonthField(label=_("计划月份"), widget=forms.TextInput(attrs={"type": "month"}))
    cutoff = forms.DateField(
        label=_("报送截止日期"),
        widget=DATE_INPUT,
        help_text=_("各股室须在此日期（含）前报送下月计划"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class VisitForm(forms.Form):
    enterprise = EnterprisePickerField(label=_("企业"), queryset=None)
    activity = forms.ChoiceField(label=_("入企活动"), choices=lazy_choices(ACTIVITIES))
    item_codes = forms.MultipleChoiceField(
        label=_("检查事项"),
        required=False,
        help_text=_(
            "只列出本局公布的检查事项清单中适用于本股室分管行业的事项（已选企业时只列该企业"
            "行业的事项）；可在上方搜索编码或名称，按住 Ctrl 多选；检查类活动至少选一项"
        ),
        widget=forms.SelectMultiple(
            attrs={
                "size": 10,
                "data-item-filter": _("搜索事项编码或名称"),
                "data-item-count": _("显示 %s 项"),
            }
        ),
    )
    earliest = forms.DateField(label=_("最早日期"), widget=DATE_INPUT)
    latest = forms.DateField(label=_("最晚日期"), widget=DATE_INPUT)
    remote_ok = forms.BooleanField(
        label=_("可用非现场检查代替"),
        required=False,
        help_text=_("勾选后，若无法与其他股室合并入企，将改为非现场检查"),
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args: Any, enterprises: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises  # type: ignore[attr-defined]
        self.fields["item_codes"].choices = [  # type: ignore[attr-defined]
            (item.code, f"{item.code} {item.name}（{'、'.join(item.sector_labels)}）")
            for item in items
        ]
        bootstrap(self)


def applicable_items(items: list[Any], sectors: list[str] | None) -> list[Any]:
    """The items of the list that apply to any of these sectors (all when `sectors` is empty:
    a section without sectors, such as the enforcement team, inspects every sector)."""
    if not sectors:
        return list(items)
    wanted = set(sectors)
    return [item for item in items if wanted & set(item.sectors)]
