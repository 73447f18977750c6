"""Forms of the policy pages. The rule-set form is built from the rule set's own tables, so a new
activity or cap row appears in the form without touching this file."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.domain.registry import SECTORS
from anjian.domain.rules.quiet import parse_ranges
from anjian.domain.rules.ruleset import (
    CAP_TABLES,
    GRADE_LABELS,
    QUIET_BACKFILL_WORKDAYS,
    QUIET_DECLARE_BY,
    QUIET_DEFAULT_DAYS,
)
from anjian.domain.rules.vocab import (
    ACTIVITIES,
    COUNT_TARGETS,
    LEVEL_RULES,
    LEVELS,
    MODES,
    QUIET_EMERGENCY_GROUNDS,
)
from anjian.policy.models import QuietException
from anjian.registry.models import Enterprise, Officer
from anjian.ui.enterprise_picker import EnterprisePickerField
from anjian.ui.forms import OfficerMultipleChoiceField, bootstrap
from anjian.ui.vocab_i18n import lazy_choices

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACTIVITY_FIELDS = ("counts", "allowed_in_quiet", "level", "needs_ground", "min_officers", "note")


def _cap_label(table: str, key: str) -> str:
    return f"{CAP_TABLES[table][0]} · {GRADE_LABELS.get(key, key + '类')}"


class RuleSetForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    effective_from = forms.DateField(label=_("生效日期"), widget=DATE_INPUT)
    change_note = forms.CharField(
        label=_("修订说明"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("依据的文件与改动内容，将记入审计日志"),
    )
    supervision_cap = forms.IntegerField(
        label=_("督导检查每企每年上限"), min_value=0, max_value=366
    )
    supervisor_patrols_per_week = forms.IntegerField(
        label=_("监管专员每矿每周入矿上限"), min_value=0, max_value=7
    )
    quiet_min_days = forms.IntegerField(label=_("每月安静期最少天数"), min_value=0, max_value=28)
    counting_modes = forms.MultipleChoiceField(
        label=_("计入频次的检查方式"),
        choices=lazy_choices(MODES),
        widget=forms.CheckboxSelectMultiple,
    )
    quiet_default_days = forms.CharField(
        label=_("默认安静期（日期段）"),
        max_length=60,
        help_text=_("未按时设置安静期的月份适用，如 1-10 或 1-5,16-20"),
    )
    quiet_declare_by = forms.IntegerField(
        label=_("安静期设置截止日（上月几日）"), min_value=1, max_value=28
    )
    quiet_backfill_workdays = forms.IntegerField(
        label=_("事后补批期限（工作日）"), min_value=1, max_value=30
    )
    joint_counts_once = forms.BooleanField(label=_("同日联合检查只计一次"), required=False)
    sync_mine_enforcement_with_supervisor = forms.BooleanField(
        label=_("矿山执法检查提示与专员入矿同步"), required=False
    )
    choices = forms.CharField(
        label=_("计数口径说明（每行一条）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, base: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base = base
        for table, (_label, keys) in CAP_TABLES.items():
            for key in keys:
                self.fields[f"cap__{table}__{key}"] = forms.IntegerField(
                    label=_cap_label(table, key), min_value=0, max_value=366
                )
        for name, label in ACTIVITIES.items():
            self._activity_fields(name, label)
        if not self.is_bound:
            self.initial = self._initial(base)
        bootstrap(self)

    def _activity_fields(self, name: str, label: str) -> None:
        self.fields[f"act__{name}__counts"] = forms.ChoiceField(
            label=label, choices=list(COUNT_TARGETS.items())
        )
        self.fields[f"act__{name}__allowed_in_quiet"] = forms.BooleanField(
            label=_("安静期可开展"), required=False
        )
        self.fields[f"act__{name}__level"] = forms.ChoiceField(
            label=_("层级"), choices=list(LEVEL_RULES.items())
        )
        self.fields[f"act__{name}__needs_ground"] = forms.BooleanField(
            label=_("须登记依据"), required=False
        )
        self.fields[f"act__{name}__min_officers"] = forms.IntegerField(
            label=_("现场最少持证人数"), min_value=0, max_value=20
        )
        self.fields[f"act__{name}__note"] = forms.CharField(label=_("说明"), required=False)

    @staticmethod
    def _initial(base: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            k: base.get(k)
            for k in (
                "title",
                "supervision_cap",
                "supervisor_patrols_per_week",
                "quiet_min_days",
                "counting_modes",
                "joint_counts_once",
                "sync_mine_enforcement_with_supervisor",
            )
        }
        initial["quiet_declare_by"] = base.get("quiet_declare_by", QUIET_DECLARE_BY)
        initial["quiet_backfill_workdays"] = base.get(
            "quiet_backfill_workdays", QUIET_BACKFILL_WORKDAYS
        )
        ranges = base.get("quiet_default_days") or [list(r) for r in QUIET_DEFAULT_DAYS]
        initial["quiet_default_days"] = ",".join(f"{a}-{b}" for a, b in ranges)
        initial["choices"] = "\n".join(base.get("choices", []))
        for table, row in base.get("caps", {}).items():
            for key, value in row.items():
                initial[f"cap__{table}__{key}"] = value
        for name, rule in base.get("activities", {}).items():
            for part in ACTIVITY_FIELDS:
                initial[f"act__{name}__{part}"] = rule.get(part)
        return initial

    def activity_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (label, [self[f"act__{name}__{part}"] for part in ACTIVITY_FIELDS])
            for name, label in ACTIVITIES.items()
        ]

    def cap_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (label, [self[f"cap__{table}__{key}"] for key in keys])
            for table, (label, keys) in CAP_TABLES.items()
        ]

    def clean_quiet_default_days(self) -> list[list[int]]:
        try:
            return [list(r) for r in parse_ranges(self.cleaned_data["quiet_default_days"])]
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def to_data(self) -> dict[str, Any]:
        """The rule tables in dictionary form, from the base version with this form's edits."""
        data = self.cleaned_data
        result = dict(self.base)
        for key in (
            "title",
            "supervision_cap",
            "supervisor_patrols_per_week",
            "quiet_min_days",
            "quiet_default_days",
            "quiet_declare_by",
            "quiet_backfill_workdays",
            "joint_counts_once",
            "sync_mine_enforcement_with_supervisor",
        ):
            result[key] = data[key]
        result.pop("high_risk_sectors", None)  # no longer a rule of its own (registry.py)
        result["counting_modes"] = list(data["counting_modes"])
        result["choices"] = [line.strip() for line in data["choices"].splitlines() if line.strip()]
        result["caps"] = {
            table: {key: data[f"cap__{table}__{key}"] for key in keys}
            for table, (_label, keys) in CAP_TABLES.items()
        }
        result["activities"] = {
            name: {part: data[f"act__{name}__{part}"] for part in ACTIVITY_FIELDS}
            for name in ACTIVITIES
        }
        return result


class QuietDefaultForm(forms.Form):
    ranges = forms.CharField(
        label=_("本单位默认安静期（日期段）"),
        max_length=60,
        help_text=_("如 1-10 或 1-5,16-20；自设置之日后截止的月份起适用，已公布的月份不变"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_ranges(self) -> tuple[tuple[int, int], ...]:
        try:
            return parse_ranges(self.cleaned_data["ranges"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class QuietMonthForm(forms.Form):
    days = forms.TypedMultipleChoiceField(
        label=_("安静日"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(d, str(d)) for d in range(1, 32)],
    )


class QuietExceptionForm(forms.Form):
    enterprise = EnterprisePickerField(label=_("企业"), queryset=Enterprise.objects.none())
    date = forms.DateField(label=_("入企日期"), widget=DATE_INPUT)
    activity = forms.ChoiceField(label=_("入企活动"), choices=lazy_choices(ACTIVITIES))
    reason = forms.CharField(
        label=_("特殊情形说明"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("写明为何必须在安静期入企；批准后将写入抄告司法局的通知"),
    )

    def __init__(self, *args: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        bootstrap(self)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批"),
        choices=[("approve", _("批准")), ("refuse", _("不予批准"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class EntryForm(forms.Form):
    enterprise = EnterprisePickerField(label=_("企业"), queryset=Enterprise.objects.none())
    date = forms.DateField(label=_("入企日期"), widget=DATE_INPUT, initial=date.today)
    activity = forms.ChoiceField(label=_("入企活动"), choices=lazy_choices(ACTIVITIES))
    mode = forms.ChoiceField(label=_("检查方式"), choices=lazy_choices(MODES))
    officers = OfficerMultipleChoiceField(
        label=_("执法人员"),
        queryset=Officer.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    items = forms.MultipleChoiceField(
        label=_("检查事项"),
        required=False,
        choices=[],
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("选择事项后，系统按事项允许的方式建议检查方式"),
    )
    joint_key = forms.CharField(
        label=_("联合检查编号"),
        required=False,
        max_length=40,
        help_text=_("多个股室同日联合入企时填同一编号，只计一次"),
    )
    ground = forms.CharField(
        label=_("入企依据"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("整改复查、投诉核实须填写（指令书编号、举报件编号等）"),
    )
    quiet_exception = forms.ModelChoiceField(
        label=_("安静期例外（已批准）"), required=False, queryset=QuietException.objects.none()
    )
    quiet_ground = forms.ChoiceField(
        label=_("安静期紧急入企事由"),
        required=False,
        choices=[("", _("无（非紧急情形）")), *QUIET_EMERGENCY_GROUNDS.items()],
        help_text=_(
            "因事故、紧急危险或重大事故隐患举报须先行入企的选择此项，登记后自动报局领导事后补批"
        ),
    )

    def __init__(
        self,
        *args: Any,
        enterprises: Any,
        officers: Any,
        exceptions: Any,
        items: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["officers"].queryset = officers
        self.fields["quiet_exception"].queryset = exceptions
        self.fields["items"].choices = items
        bootstrap(self)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), widget=forms.Textarea(attrs={"rows": 2}))


class ItemForm(forms.Form):
    code = forms.CharField(label=_("事项编码"), max_length=30)
    name = forms.CharField(label=_("事项名称"), max_length=120)
    law = forms.CharField(label=_("法律依据"), max_length=120)
    article = forms.CharField(label=_("条款"), max_length=120, required=False)
    body_levels = forms.MultipleChoiceField(
        label=_("实施层级"), choices=list(LEVELS.items()), widget=forms.CheckboxSelectMultiple
    )
    section = forms.CharField(label=_("实施股室"), max_length=40)
    sectors = forms.MultipleChoiceField(
        label=_("检查对象（行业领域）"),
        choices=list(SECTORS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    methods = forms.MultipleChoiceField(
        label=_("检查方式"), choices=lazy_choices(MODES), widget=forms.CheckboxSelectMultiple
    )
    frequency_note = forms.CharField(label=_("频次说明"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("修订说明"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("依据的文件与改动内容；发布后在公开页面显示"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ItemImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
