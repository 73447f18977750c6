"""Suspending a training institution's business step by step (services/institution_suspension):
the notice (暂停培训业务告知书), its delivery, the statement received on paper or its absence,
the decision (暂停培训业务决定书) or the notice's withdrawal, lifting early; the suspension's
page with its steps and documents. The institution's own steps (签收, 陈述申辩 in its portal)
are in `institution_portal.py`; both documents are served from the register of issued
documents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.documents.services import documents_of
from anjian.domain.training.suspension import allowed_events
from anjian.policy.views.common import flash_errors, form_errors, today
from anjian.policy_data.training.suspension import shipped_suspension_policy
from anjian.training.access import access_institution, visible_institutions
from anjian.training.models import SpotCheck, Suspension
from anjian.training.models.institutions import SpotCheckOutcome
from anjian.training.services.institution_supervision import suspension_lift
from anjian.training.services.institution_suspension import (
    facts_of,
    is_own_institution,
    suspension_decide,
    suspension_deliver,
    suspension_notify,
    suspension_record_no_statement,
    suspension_state_case,
    suspension_withdraw,
)
from anjian.training.services.institutions import institution_status
from anjian.training.suspension_documents import DECISION, NOTICE, suspension_file
from anjian.ui.forms import bootstrap

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INSTITUTION_STEPS = ("deliver", "state_case")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class NoticeForm(forms.Form):
    spot_check = forms.ModelChoiceField(
        label=_("依据的抽查"), queryset=SpotCheck.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("查实的事实和理由"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("写入告知书和决定书"),
    )
    proposed_months = forms.IntegerField(
        label=_("拟暂停月数"),
        min_value=1,
        max_value=24,
        required=False,
        help_text=_("不填表示拟暂停至整改验收合格、决定恢复之日"),
    )
    notified_on = forms.DateField(label=_("告知日期"), widget=DAY)

    def __init__(self, *args: Any, institution: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["spot_check"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = institution.spot_checks.order_by("-checked_on", "pk")
        bootstrap(self)


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(label=_("送达日期"), widget=DAY, help_text=_("培训机构签收之日"))
    how = forms.CharField(
        label=_("送达方式"),
        max_length=100,
        required=False,
        help_text=_("例如：直接送达，由负责人签收"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class PaperStatementForm(forms.Form):
    received_on = forms.DateField(label=_("收到日期"), widget=DAY)
    statement = forms.CharField(
        label=_("陈述申辩意见"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class DecideForm(forms.Form):
    decided_on = forms.DateField(label=_("决定日期"), widget=DAY)
    starts_on = forms.DateField(label=_("暂停起始日"), widget=DAY)
    ends_on = forms.DateField(
        label=_("暂停截止日"),
        widget=DAY,
        required=False,
        help_text=_("不填表示暂停至整改验收合格、决定恢复之日（仅当告知书未定月数时）"),
    )
    answer = forms.CharField(
        label=_("对陈述申辩的复核意见"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("培训机构提出陈述申辩的，写明是否采纳及理由，将写入决定书"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("日期"), widget=DAY)
    reason = forms.CharField(
        label=_("不予暂停理由"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：陈述申辩理由成立，查实的问题已当场纠正"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class LiftForm(forms.Form):
    lifted_on = forms.DateField(
        label=_("恢复日期"), widget=DAY, help_text=_("自该日起可以恢复培训业务")
    )
    reason = forms.CharField(label=_("恢复理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


def access_suspension(user: User, pk: int) -> Suspension:
    suspension = (
        Suspension.objects.filter(institution__in=visible_institutions(user), pk=pk)
        .select_related("institution", "institution__body", "spot_check__training_class")
        .first()
    )
    if suspension is None:
        raise Http404("未找到该暂停培训业务记录，或您无权查看。")
    return suspension


def steps_for(user: User, suspension: Suspension) -> list[str]:
    """The steps this user may take now: the institution its own two, the section all."""
    steps = allowed_events(facts_of(suspension), today=today())
    if is_own_institution(user, suspension):
        return [step for step in steps if step in INSTITUTION_STEPS]
    if not user.can("institution.supervise"):
        return []
    lift_open = suspension.lifted_on is None and (
        suspension.ends_on is None or suspension.ends_on >= today()
    )
    return [step for step in steps if step != "lift" or lift_open]


# ---- the notice and the suspension's page ------------------------------------------------------


@require("institution.supervise")
def suspension_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    institution = access_institution(user, pk)
    latest = institution.spot_checks.exclude(outcome=SpotCheckOutcome.COMPLIANT).first()
    initial = {"notified_on": today(), "spot_check": latest}
    form = NoticeForm(request.POST or None, institution=institution, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            suspension = suspension_notify(actor=user, institution=institution, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            message = _g("已作出暂停培训告知（%(number)s），待送达培训机构")
            messages.success(request, message % {"number": suspension.notice_number})
            return redirect("training:suspension_detail", pk=suspension.pk)
    context = {
        "form": form,
        "institution": institution,
        "status": institution_status(institution),
        "policy": shipped_suspension_policy(),
    }
    return render(request, "training/institution_suspension.html", context)


@require("institution.view")
def suspension_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    suspension = access_suspension(user, pk)
    context = {
        "suspension": suspension,
        "institution": suspension.institution,
        "steps": steps_for(user, suspension),
        "own": is_own_institution(user, suspension),
        "documents": documents_of(suspension),
        "policy": shipped_suspension_policy(),
        "today": today(),
    }
    return render(request, "training/institution_suspension_detail.html", context)


def _step(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    initial: dict[str, Any],
    act: Any,
    done: str,
    title: str,
) -> HttpResponse:
    """One step's page: the form, the service, back to the suspension's page."""
    user = _user(request)
    suspension = access_suspension(user, pk)
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            act(actor=user, suspension=suspension, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("training:suspension_detail", pk=suspension.pk)
    context = {
        "form": form,
        "suspension": suspension,
        "institution": suspension.institution,
        "title": title,
    }
    return render(request, "training/institution_suspension_step.html", context)


@require("institution.supervise")
def suspension_deliver_view(request: HttpRequest, pk: int) -> HttpResponse:
    initial = {"delivered_on": today(), "how": _g("直接送达")}
    return _step(
        request, pk, DeliverForm, initial, suspension_deliver, _g("已登记送达"), _g("登记送达")
    )


@require("institution.supervise")
def suspension_paper_statement(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        PaperStatementForm,
        {"received_on": today()},
        suspension_state_case,
        _g("已登记陈述申辩意见"),
        _g("登记书面陈述申辩"),
    )


@require("institution.supervise")
@require_POST
def suspension_no_statement(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    suspension = access_suspension(user, pk)
    try:
        suspension_record_no_statement(actor=user, suspension=suspension)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _g("已登记期限内未提出陈述申辩"))
    return redirect("training:suspension_detail", pk=suspension.pk)


@require("institution.supervise")
def suspension_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    initial = {"decided_on": today(), "starts_on": today()}
    return _step(
        request,
        pk,
        DecideForm,
        initial,
        suspension_decide,
        _g("已作出暂停培训业务决定"),
        _g("作出暂停决定"),
    )


@require("institution.supervise")
def suspension_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        WithdrawForm,
        {"withdrawn_on": today()},
        suspension_withdraw,
        _g("已撤销告知，不予暂停"),
        _g("不予暂停（撤销告知）"),
    )


@require("institution.supervise")
def suspension_lift_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        LiftForm,
        {"lifted_on": today()},
        suspension_lift,
        _g("已恢复培训业务"),
        _g("提前恢复培训业务"),
    )


def _document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    suspension = access_suspension(_user(request), pk)
    response = suspension_file(suspension, kind)
    if response is None:
        raise Http404("该文书尚未签发。")
    return response


@require("institution.view")
def suspension_notice_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The 暂停培训业务告知书 as issued; the institution itself may download its own."""
    return _document(request, pk, NOTICE)


@require("institution.view")
def suspension_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The 暂停培训业务决定书 as issued; the institution itself may download its own."""
    return _document(request, pk, DECISION)


urlpatterns: list[URLPattern] = [
    path("institutions/<int:pk>/suspensions/new/", suspension_new, name="suspension_new"),
    path("suspensions/<int:pk>/", suspension_detail, name="suspension_detail"),
    path("suspensions/<int:pk>/deliver/", suspension_deliver_view, name="suspension_deliver"),
    path(
        "suspensions/<int:pk>/paper-statement/",
        suspension_paper_statement,
        name="suspension_paper_statement",
    ),
    path(
        "suspensions/<int:pk>/no-statement/",
        suspension_no_statement,
        name="suspension_no_statement",
    ),
    path("suspensions/<int:pk>/decide/", suspension_decide_view, name="suspension_decide"),
    path("suspensions/<int:pk>/withdraw/", suspension_withdraw_view, name="suspension_withdraw"),
    path("suspensions/<int:pk>/lift/", suspension_lift_view, name="suspension_lift"),
    path(
        "suspensions/<int:pk>/notice.docx",
        suspension_notice_document,
        name="suspension_notice_document",
    ),
    path("suspensions/<int:pk>/decision.docx", suspension_document, name="suspension_document"),
]
