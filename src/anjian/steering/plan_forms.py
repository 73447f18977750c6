"""The work plan's forms: a campaign (blank or from a shipped plan) and its settings, a phase, a
measure, its progress and evidence, a leader and an office member. Forms parse; the services in
`services/` check and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anjian.policy_data.campaigns import shipped_plans
from anjian.steering.evidence import candidates
from anjian.steering.models import Campaign, LeadershipMember, Phase
from anjian.steering.selectors import body_sections
from anjian.steering.services.campaign import CampaignSettings, PhaseData
from anjian.steering.services.measures import MeasureData
from anjian.steering.services.people import LeaderData, body_staff
from anjian.ui.forms import bootstrap

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = {"rows": 3, "maxlength": 4000}
WEEKDAYS = [
    (0, _("周一")),
    (1, _("周二")),
    (2, _("周三")),
    (3, _("周四")),
    (4, _("周五")),
    (5, _("周六")),
    (6, _("周日")),
]


def put_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError onto the form, field by field where the form has the field."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.error_dict.items():
        for item in errors:
            form.add_error(field if field in form.fields else None, item.messages)


class StaffChoice(forms.ModelChoiceField):
    """A user of the body, shown by name, role and section."""

    def label_from_instance(self, obj: Any) -> str:
        where = f"，{obj.section.name}" if obj.section_id else ""
        return f"{obj.display_name or obj.username}（{obj.get_role_display()}{where}）"


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class FromPlanForm(_Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    plan = forms.ChoiceField(label=_("工作方案模板"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "plan_%s")  # shares its page with the blank form
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(key, p.name) for key, p in shipped_plans().items()]


class SettingsForm(_Form):
    title = forms.CharField(label=_("名称"), max_length=120)
    goal = forms.CharField(
        label=_("工作目标"), required=False, max_length=4000, widget=forms.Textarea(TEXT)
    )
    document = forms.CharField(label=_("方案文号"), required=False, max_length=80)
    reports_from = forms.DateField(label=_("周调度开始日期"), widget=DATE)
    reports_until = forms.DateField(label=_("周调度结束日期"), widget=DATE)
    report_weekday = forms.TypedChoiceField(
        label=_("周报报送日"), choices=WEEKDAYS, coerce=int, initial=4
    )
    report_time = forms.TimeField(
        label=_("周报截止时间"),
        initial="17:00",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    report_grace_days = forms.IntegerField(
        label=_("补报宽限天数"),
        min_value=0,
        max_value=14,
        initial=3,
        help_text=_("周日之后仍可补报或修改的天数，过后该周关闭"),
    )

    @classmethod
    def of(cls, campaign: Campaign) -> SettingsForm:
        names = [name for name in cls.base_fields]
        return cls(initial={name: getattr(campaign, name) for name in names})

    def settings(self) -> CampaignSettings:
        return CampaignSettings(**self.cleaned_data)


class BlankForm(SettingsForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    field_order = ["year"]

    def settings(self) -> CampaignSettings:
        values = dict(self.cleaned_data)
        values.pop("year")
        return CampaignSettings(**values)


class PhaseForm(_Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Phase.Kind.choices)
    name = forms.CharField(label=_("名称"), max_length=60)
    deadline = forms.DateField(label=_("时限"), widget=DATE)
    description = forms.CharField(
        label=_("内容"), required=False, max_length=4000, widget=forms.Textarea(TEXT)
    )
    order = forms.IntegerField(label=_("顺序"), min_value=0, max_value=999, initial=0)

    @classmethod
    def of(cls, phase: Phase) -> PhaseForm:
        names = ["kind", "name", "deadline", "description", "order"]
        return cls(initial={name: getattr(phase, name) for name in names})

    def data_of(self) -> PhaseData:
        return PhaseData(**self.cleaned_data)


class MeasureForm(_Form):
    clause = forms.CharField(label=_("条款"), max_length=20, help_text=_("如 三（二）2"))
    title = forms.CharField(label=_("措施"), max_length=120)
    content = forms.CharField(
        label=_("内容"), required=False, max_length=4000, widget=forms.Textarea(TEXT)
    )
    lead_section = forms.ModelChoiceField(label=_("牵头股室"), queryset=None, required=False)
    supporting_sections = forms.ModelMultipleChoiceField(
        label=_("配合股室"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    all_sections = forms.BooleanField(label=_("各业务股室分工负责"), required=False)
    deadline = forms.DateField(label=_("完成时限"), required=False, widget=DATE)
    order = forms.IntegerField(label=_("顺序"), required=False, min_value=0, max_value=999)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sections = body_sections(campaign)
        self.fields["lead_section"].queryset = sections  # type: ignore[attr-defined]
        self.fields["supporting_sections"].queryset = sections  # type: ignore[attr-defined]
        self.fields["supporting_sections"].widget.attrs = {}

    def data_of(self) -> MeasureData:
        values = dict(self.cleaned_data)
        values["supporting_sections"] = tuple(values["supporting_sections"])
        return MeasureData(**values)


class ProgressForm(_Form):
    started = forms.BooleanField(label=_("已开始推进"), required=False)
    done_on = forms.DateField(label=_("完成日期"), required=False, widget=DATE)
    progress_note = forms.CharField(
        label=_("进展说明"), required=False, max_length=4000, widget=forms.Textarea(TEXT)
    )


class EvidenceForm(_Form):
    choice = forms.ChoiceField(label=_("关联记录"))
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = [
            (
                label,
                [
                    (c.choice, f"{c.label}（{c.dated:%Y-%m-%d}）" if c.dated else c.label)
                    for c in found
                ],
            )
            for label, found in candidates(campaign)
        ]
        self.fields["choice"].choices = [("", _("请选择")), *groups]  # type: ignore[attr-defined]


class LeaderForm(_Form):
    name = forms.CharField(label=_("姓名"), max_length=30)
    post = forms.ChoiceField(label=_("职务"), choices=LeadershipMember.Post.choices)
    title = forms.CharField(label=_("单位职务"), required=False, max_length=60)
    user = StaffChoice(label=_("系统账号"), queryset=None, required=False)
    order = forms.IntegerField(label=_("顺序"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = body_staff(campaign)  # type: ignore[attr-defined]

    @classmethod
    def of(cls, leader: LeadershipMember) -> LeaderForm:
        names = ["name", "post", "title", "user", "order"]
        return cls(initial={n: getattr(leader, n) for n in names}, campaign=leader.campaign)

    def data_of(self) -> LeaderData:
        return LeaderData(**self.cleaned_data)


class OfficeMemberForm(_Form):
    user = StaffChoice(label=_("用户"), queryset=None)
    duty = forms.CharField(label=_("分工"), required=False, max_length=60)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = body_staff(campaign)  # type: ignore[attr-defined]
