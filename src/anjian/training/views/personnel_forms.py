"""Forms of the personnel pages. They parse input only: every rule is checked by the services,
whose errors are put back on the form (`policy.views.common.form_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from anjian.registry.models import Enterprise
from anjian.training.models import (
    CertificateKind,
    PersonRole,
    TrainingDelivery,
    TrainingInstitution,
    TrainingKind,
)
from anjian.ui.enterprise_picker import EnterprisePicker, EnterprisePickerField
from anjian.ui.forms import bootstrap

SECTOR_CHOICES = [
    ("", _("全部")),
    ("hazardous_chemicals", _("危险化学品")),
    ("metallurgy", _("冶金")),
    ("industry_trade", _("工贸")),
    ("coal_mine", _("煤矿")),
    ("non_coal_mine", _("非煤矿山")),
    ("other", _("其他")),
]
STATE_CHOICES = [("current", _("在岗")), ("left", _("已离职")), ("all", _("全部"))]
PASSED_CHOICES = [("", _("未考核/不适用")), ("yes", _("合格")), ("no", _("不合格"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


class Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class EnterpriseFilter(Styled):
    """A filter whose optional enterprise is picked among the enterprises the user sees (a text
    input with a looked-up list, never a select of every enterprise; empty means all)."""

    enterprise = EnterprisePickerField(
        label=_("企业"),
        required=False,
        queryset=Enterprise.objects.none(),
        widget=EnterprisePicker(attrs={"placeholder": _("全部企业（输入名称或统一社会信用代码）")}),
    )

    def __init__(self, *args: Any, enterprises: QuerySet[Enterprise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        assert isinstance(field, EnterprisePickerField)
        field.queryset = enterprises


class PersonFilterForm(EnterpriseFilter):
    q = forms.CharField(label=_("姓名、身份证后四位或证书编号"), required=False, max_length=40)
    role = forms.ChoiceField(
        label=_("岗位类别"), required=False, choices=[("", _("全部")), *PersonRole.choices]
    )
    sector = forms.ChoiceField(label=_("行业领域"), required=False, choices=SECTOR_CHOICES)
    town = forms.CharField(label=_("乡镇"), required=False, max_length=40)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=STATE_CHOICES)


class PersonForm(Styled):
    enterprise = EnterprisePickerField(label=_("企业"), queryset=Enterprise.objects.none())
    name = forms.CharField(label=_("姓名"), max_length=40)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, min_length=18)
    role = forms.ChoiceField(label=_("岗位类别"), choices=PersonRole.choices)
    job_title = forms.CharField(label=_("工种/职务"), max_length=60, required=False)
    hired_on = _date(_("入职日期"), required=False)
    left_on = _date(_("离职日期"), required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    def __init__(
        self, *args: Any, enterprises: QuerySet[Enterprise] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        if enterprises is None:  # editing: the enterprise does not change, the ID may stay
            del self.fields["enterprise"]
            self.fields["id_number"] = forms.CharField(
                label=_("身份证号码"), max_length=18, required=False
            )
            bootstrap(self)
        else:
            assert isinstance(field, EnterprisePickerField)
            field.queryset = enterprises
            del self.fields["left_on"]


class CertificateForm(Styled):
    kind = forms.ChoiceField(label=_("证书种类"), choices=CertificateKind.choices)
    category = forms.CharField(
        label=_("作业类别/考核类别"),
        max_length=80,
        required=False,
        help_text=_("例如：电工作业（低压电工作业）、危险化学品生产单位主要负责人"),
    )
    number = forms.CharField(label=_("证书编号"), max_length=40)
    issuer = forms.CharField(label=_("发证机关"), max_length=100)
    issued_on = _date(_("初领/发证日期"))


class ReviewForm(Styled):
    reviewed_on = _date(_("复审日期"))


class RevokeForm(Styled):
    revoked_on = _date(_("注销日期"))
    reason = forms.CharField(label=_("注销原因"), max_length=200)


class LeaveForm(Styled):
    left_on = _date(_("离职日期"))


class RecordForm(Styled):
    kind = forms.ChoiceField(label=_("培训类别"), choices=TrainingKind.choices)
    delivery = forms.ChoiceField(label=_("培训方式"), choices=TrainingDelivery.choices)
    course = forms.CharField(label=_("课程/班次"), max_length=120)
    hours = forms.DecimalField(
        label=_("学时"), max_digits=5, decimal_places=1, min_value=0, max_value=999.9
    )
    started_on = _date(_("开始日期"))
    ended_on = _date(_("结束日期"))
    institution = forms.ModelChoiceField(
        label=_("培训机构"),
        required=False,
        queryset=TrainingInstitution.objects.order_by("name"),
        empty_label=_("企业自行组织"),
    )
    passed = forms.ChoiceField(label=_("考核结果"), required=False, choices=PASSED_CHOICES)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["passed"] = {"yes": True, "no": False}.get(data.get("passed") or "")
        return data


class HoursFilterForm(EnterpriseFilter):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    short_only = forms.BooleanField(label=_("只看学时不足"), required=False)


class CheckForm(Styled):
    q = forms.CharField(label=_("姓名、身份证后四位或证书编号"), required=False, max_length=40)
