"""Certificate pages: add one to a person, record a review, revoke one; the alert list 证书到期预警
(within the user's scope; an enterprise sees its own); and the on-site check an officer makes
during an inspection (phone width), for the task's enterprise only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy

from anjian.accounts.access import require
from anjian.inspections.access import access_task, is_task_officer
from anjian.policy.views.common import form_errors, today
from anjian.policy_data.training import shipped_requirements
from anjian.registry.access import visible_enterprises
from anjian.training import ledger_columns
from anjian.training.access import access_person, visible_certificates
from anjian.training.models import Certificate
from anjian.training.services.personnel import (
    certificate_alerts,
    certificate_check,
    certificate_create,
    certificate_review,
    certificate_revoke,
    certificate_status_of,
)
from anjian.training.views.personnel_forms import (
    CertificateForm,
    CheckForm,
    EnterpriseFilter,
    ReviewForm,
    RevokeForm,
    Styled,
)
from anjian.ui.ledger import ledger_output
from anjian.ui.pages import query_text


def _certificate(request: HttpRequest, pk: int) -> Certificate:
    certificate = visible_certificates(request.user).filter(pk=pk).first()
    if certificate is None:
        raise Http404("未找到该证书，或您无权查看。")
    return certificate


@require("personnel.edit")
def certificate_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk)
    kind = "special_operation" if person.role == "special_operator" else "manager"
    form = CertificateForm(request.POST or None, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        try:
            certificate = certificate_create(
                actor=request.user, person=person, data=form.cleaned_data
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _g("已登记证书，有效期至 %(until)s") % {"until": certificate.valid_until},
            )
            return redirect("training:person_detail", person.pk)
    rules = shipped_requirements().certificates.values()
    context = {"form": form, "person": person, "rules": rules}
    return render(request, "training/certificate_form.html", context)


def _change(request: HttpRequest, pk: int, form_class: type[Styled], action: str) -> HttpResponse:
    certificate = _certificate(request, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "review":
                certificate_review(
                    actor=request.user, certificate=certificate, reviewed_on=data["reviewed_on"]
                )
            else:
                certificate_revoke(
                    actor=request.user,
                    certificate=certificate,
                    revoked_on=data["revoked_on"],
                    reason=data["reason"],
                )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _g("已登记复审") if action == "review" else _g("已注销"))
            return redirect("training:person_detail", certificate.person_id)
    context = {
        "form": form,
        "certificate": certificate,
        "status": certificate_status_of(certificate, today()),
        "action": action,
    }
    return render(request, "training/certificate_change.html", context)


@require("personnel.edit")
def certificate_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, ReviewForm, "review")


@require("personnel.edit")
def certificate_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, RevokeForm, "revoke")


@require("personnel.view")
def certificate_alerts_view(request: HttpRequest) -> HttpResponse:
    day = today()
    certificates = visible_certificates(request.user)
    data = {"enterprise": query_text(request.GET, "enterprise")}
    form = EnterpriseFilter(data, enterprises=visible_enterprises(request.user))
    form.is_valid()
    enterprise = form.cleaned_data.get("enterprise")
    if enterprise is not None:
        certificates = certificates.filter(person__enterprise=enterprise)
    alerts = certificate_alerts(certificates, day)
    columns = ledger_columns.CERTIFICATE_ALERTS
    if out := ledger_output(request, alerts, columns, title=gettext_lazy("证书到期预警")):
        return out
    context: dict[str, Any] = {
        "overdue": [(c, s) for c, s in alerts if s.code in ("expired", "review_overdue")],
        "soon": [(c, s) for c, s in alerts if s.code not in ("expired", "review_overdue")],
        "enterprise": enterprise,
        "form": form,
        "alert_days": shipped_requirements().alert_days,
        "today": day,
    }
    return render(request, "training/certificate_alerts.html", context)


@require("inspection.view")
def task_certificates(request: HttpRequest, task_id: int) -> HttpResponse:
    """An officer on site looks up any person of the inspected enterprise: name, ID last four or
    certificate number. Anyone who may see the task may use it; the task's officers see it
    marked as theirs."""
    task = access_task(request.user, task_id)
    form = CheckForm({"q": query_text(request.GET, "q", max_length=40)})
    form.is_valid()
    query = str(form.cleaned_data.get("q") or "")
    context = {
        "task": task,
        "form": form,
        "query": query,
        "results": certificate_check(enterprise=task.enterprise, query=query, today=today()),
        "is_officer": is_task_officer(request.user, task),
    }
    return render(request, "training/certificate_check.html", context)


urlpatterns: list[URLPattern] = [
    path("personnel/<int:pk>/certificates/new/", certificate_new, name="certificate_new"),
    path("certificates/<int:pk>/review/", certificate_review_view, name="certificate_review"),
    path("certificates/<int:pk>/revoke/", certificate_revoke_view, name="certificate_revoke"),
    path("certificates/alerts/", certificate_alerts_view, name="certificate_alerts"),
    path("tasks/<int:task_id>/certificates/", task_certificates, name="task_certificates"),
]
