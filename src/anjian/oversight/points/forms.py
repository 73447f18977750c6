"""Forms of the contact-point pages. They parse input only; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import EnforcementBody, Section, User
from anjian.accounts.roles import Role
from anjian.oversight.models import ContactPoint, FollowUp, PointReport
from anjian.registry.access import visible_enterprises
from anjian.registry.models import Enterprise
from anjian.ui.forms import bootstrap

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_LINES = 50


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class DesignateForm(_Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    enterprises = forms.CharField(
        label=_("联系点企业"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("每行一家：统一社会信用代码或企业全称，限本单位监管的企业"),
    )
    liaison = forms.ModelChoiceField(label=_("联络员"), queryset=User.objects.none())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, body: EnforcementBody, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.body = user, body
        self.fields["liaison"].queryset = User.objects.filter(
            body=body, role=Role.LEGAL_OFFICE, is_active=True
        ).order_by("username")

    def clean_enterprises(self) -> list[Enterprise]:
        lines = [line.strip() for line in self.cleaned_data["enterprises"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_LINES:
            raise ValidationError(_("最多 %(n)s 行") % {"n": MAX_LINES})
        scope = visible_enterprises(self.user).filter(supervising_body=self.body)
        found = list(scope.filter(Q(uscc__in=[x.upper() for x in lines]) | Q(name__in=lines)))
        chosen, missing = [], []
        for line in lines:
            matches = [e for e in found if e.uscc == line.upper() or e.name == line]
            if len(matches) == 1:
                chosen.append(matches[0])
            else:
                missing.append(line)
        if missing:
            raise ValidationError(_("未找到或不唯一：%(lines)s") % {"lines": "、".join(missing)})
        return chosen


class ReportForm(_Form):
    kind = forms.ChoiceField(label=_("反映类型"), choices=PointReport.Kind.choices)
    happened_on = forms.DateField(label=_("发生日期"), required=False, widget=DATE)
    description = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 5}))


class SurveyForm(_Form):
    entries_felt = forms.IntegerField(label=_("本月感受到的入企次数"), min_value=0, max_value=99)
    courtesy = forms.IntegerField(label=_("执法人员文明规范（1–5）"), min_value=1, max_value=5)
    burden = forms.IntegerField(label=_("迎检负担（1 轻 – 5 重）"), min_value=1, max_value=5)
    comment = forms.CharField(
        label=_("意见建议"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FollowUpForm(_Form):
    kind = forms.ChoiceField(label=_("方式"), choices=FollowUp.Kind.choices)
    on = forms.DateField(label=_("日期"), widget=DATE)
    note = forms.CharField(label=_("情况记录"), widget=forms.Textarea(attrs={"rows": 3}))
    report = forms.ModelChoiceField(
        label=_("针对的反映"), queryset=PointReport.objects.none(), required=False
    )

    def __init__(self, *args: Any, point: ContactPoint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        open_reports: QuerySet[PointReport] = point.reports.exclude(status="closed")
        self.fields["report"].queryset = open_reports


class RequirementForm(_Form):
    text = forms.CharField(label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("整改期限"), widget=DATE)
    section = forms.ModelChoiceField(
        label=_("责任股室"), queryset=Section.objects.none(), required=False
    )

    def __init__(self, *args: Any, point: ContactPoint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(
            body_id=point.points.body_id
        ).order_by("id")


class CloseForm(_Form):
    closing_note = forms.CharField(label=_("办结说明"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(_Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 2}))


def put_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError onto the form (fields it knows, else the whole form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
