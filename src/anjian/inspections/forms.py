"""Forms of the inspection pages. Validation of substance is in the services; forms only parse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User
from anjian.domain.inspections import AD_HOC_SOURCES, HAZARD_LEVELS, ONSITE_MEASURES, TASK_SOURCES
from anjian.domain.rules.vocab import QUIET_EMERGENCY_GROUNDS
from anjian.inspections.models import Complaint, Evidence, InspectionTask, RectificationReview
from anjian.policy.models import ACTIVITY_CHOICES, MODE_CHOICES, InspectionItem
from anjian.registry.models import Officer
from anjian.ui.forms import OfficerMultipleChoiceField, bootstrap, officer_label


class _Officers(OfficerMultipleChoiceField):
    def label_from_instance(self, obj: Officer) -> str:  # type: ignore[override]
        valid = gettext("执法证有效期至 %(day)s") % {"day": obj.certificate_valid_until}
        return f"{officer_label(obj)} {valid}"


class _Items(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: InspectionItem) -> str:  # type: ignore[override]
        return f"{obj.code} {obj.name}（{obj.law}{obj.article}）"


class TaskForm(forms.Form):
    """An ad hoc task (or an unplanned entry) for one enterprise."""

    date = forms.DateField(label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    activity = forms.ChoiceField(label=_("入企活动"), choices=ACTIVITY_CHOICES)
    mode = forms.ChoiceField(label=_("检查方式"), choices=MODE_CHOICES)
    source = forms.ChoiceField(
        label=_("任务来源"), choices=[(s, TASK_SOURCES[s]) for s in AD_HOC_SOURCES]
    )
    ground = forms.CharField(
        label=_("检查依据和事由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("如举报件编号、事故编号、上级交办文件文号"),
    )
    items = _Items(
        label=_("检查事项"),
        queryset=InspectionItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    officers = _Officers(
        label=_("执法人员"),
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        items: list[InspectionItem],
        officers: QuerySet[Officer],
        unplanned: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = InspectionItem.objects.filter(  # type: ignore[attr-defined]
            pk__in=[i.pk for i in items]
        )
        self.fields["officers"].queryset = officers  # type: ignore[attr-defined]
        if unplanned:
            for name in ("date", "mode", "source"):
                del self.fields[name]
            self.fields["reason"] = forms.CharField(
                label=_("未赋码入企的原因"),
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("如紧急情况、网络故障；本记录将报局领导事后审查，并列入未赋码入企台账"),
            )
            self.fields["quiet_ground"] = forms.ChoiceField(
                label=_("安静期紧急入企事由"),
                required=False,
                choices=[("", _("无（非紧急情形）")), *QUIET_EMERGENCY_GROUNDS.items()],
                help_text=_(
                    "安静期内因事故、紧急危险或重大事故隐患举报先行入企的须选择，将报局领导事后补批"
                ),
            )
        bootstrap(self)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("批准")), ("refuse", _("不予批准"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("审批意见"), required=False, max_length=500)


class _Users(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        section = f"，{obj.section}" if obj.section_id else ""
        return f"{obj}（{obj.get_role_display()}{section}）"


class DelegationForm(forms.Form):
    """The head lets another member of the body approve inspection tasks for a period."""

    delegate = _Users(label=_("被授权人"), queryset=User.objects.none())
    starts_on = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("授权事由"), max_length=200)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = candidates  # type: ignore[attr-defined]
        bootstrap(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class PositionForm(forms.Form):
    """Check-in and check-out: the code (filled in from the task, or scanned) and the position
    the phone gave, if any."""

    code = forms.CharField(label=_("检查码"), required=False, max_length=200)
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lng = forms.CharField(required=False, widget=forms.HiddenInput)
    accuracy = forms.CharField(required=False, widget=forms.HiddenInput)


class ItemResultForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            ("checked", _("已检查")),
            ("finding", _("发现问题")),
            ("not_applicable", _("不适用")),
        ]
    )
    note = forms.CharField(required=False, max_length=500)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (photos taken one after another); the services check them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(one, initial) for one in data if one]
        return [] if not data else [super().clean(data, initial)]


class FindingForm(forms.Form):
    item = forms.TypedChoiceField(label=_("检查事项"), coerce=int, required=False, empty_value=None)
    off_list_reason = forms.CharField(
        label=_("清单外问题的理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("只在问题不属于本任务的检查事项时填写；将提请法制审核"),
    )
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 3}))
    location = forms.CharField(label=_("部位"), required=False, max_length=100)
    legal_basis = forms.CharField(
        label=_("违反的规定"),
        required=False,
        max_length=240,
        help_text=_("不填则取所选事项的法律依据"),
    )
    level = forms.ChoiceField(label=_("隐患等级"), choices=list(HAZARD_LEVELS.items()))
    fixed_on_spot = forms.BooleanField(label=_("已当场整改"), required=False)
    onsite_measure = forms.ChoiceField(
        label=_("现场处理措施（重大隐患）"),
        choices=[("", "—"), *ONSITE_MEASURES.items()],
        required=False,
    )
    measure_note = forms.CharField(label=_("措施说明"), required=False, max_length=500)
    files = MultipleFileField(label=_("照片或文件"), required=False)

    def __init__(self, *args: Any, items: list[InspectionItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [  # type: ignore[attr-defined]
            ("", _("（清单外问题）")),
            *((i.pk, f"{i.code} {i.name}") for i in items),
        ]
        bootstrap(self)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类别"), choices=Evidence._meta.get_field("kind").choices)
    description = forms.CharField(label=_("说明"), required=False, max_length=300)
    file = forms.FileField(label=_("文件"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ConfirmForm(forms.Form):
    representative = forms.CharField(
        label=_("被检查单位负责人"),
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": _("被检查单位负责人姓名")}),
    )
    refused = forms.BooleanField(label=_("拒绝签字"), required=False)
    note = forms.CharField(
        label=_("情况说明"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("签字情况或拒签情况说明")}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class FinishForm(forms.Form):
    place = forms.CharField(label=_("检查场所"), required=False, max_length=200)
    summary = forms.CharField(
        label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class OrderForm(forms.Form):
    hazards = forms.TypedMultipleChoiceField(coerce=int, label=_("整改的问题"))
    working_days = forms.IntegerField(
        label=_("整改期限（工作日）"), min_value=1, max_value=60, initial=10
    )

    def __init__(self, *args: Any, hazards: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hazards"].choices = hazards  # type: ignore[attr-defined]
        self.fields["hazards"].widget = forms.CheckboxSelectMultiple(choices=hazards)
        self.fields["hazards"].initial = [pk for pk, _label in hazards]
        self.fields["working_days"].widget.attrs["class"] = "form-control"


class ReviewForm(forms.Form):
    mode = forms.ChoiceField(label=_("复查方式"), choices=RectificationReview.Mode.choices)
    officers = _Officers(
        label=_("其他复查人员"),
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("复查意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, officers: QuerySet[Officer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers  # type: ignore[attr-defined]
        self.fields["mode"].widget.attrs["class"] = "form-select"
        self.fields["note"].widget.attrs["class"] = "form-control"


YES_NO = [("yes", _("是")), ("no", _("否"))]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("总体评价"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    showed_code = forms.ChoiceField(
        label=_("检查人员是否亮码亮证"), choices=YES_NO, widget=forms.RadioSelect
    )
    disturbed_production = forms.ChoiceField(
        label=_("检查是否影响正常生产经营"), choices=YES_NO, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见建议"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(label=_("投诉类别"), choices=Complaint.Kind.choices)
    happened_on = forms.DateField(
        label=_("发生日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    task = forms.TypedChoiceField(label=_("相关检查"), coerce=int, required=False, empty_value=None)
    description = forms.CharField(
        label=_("投诉内容"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("请写明时间、地点、人员和经过；投诉直接送派驻纪检监察组，检查股室看不到。"),
    )
    contact = forms.CharField(label=_("联系方式"), required=False, max_length=60)

    def __init__(self, *args: Any, tasks: list[InspectionTask], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].choices = [  # type: ignore[attr-defined]
            ("", _("（不针对某次检查）")),
            *((t.pk, f"{t.date:%Y-%m-%d} {t.body.name} {t.get_activity_display()}") for t in tasks),
        ]
        bootstrap(self)
