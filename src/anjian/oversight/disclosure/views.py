"""行政执法公示. Staff pages (disclosure.view; the legal office publishes and withdraws with
disclosure.manage): the decisions waiting to be published with their last day, publishing one
(a preview of the masked text first), withdrawing, the published list. Public pages (no login,
namespace `public`): the index of county bodies, a body's page (approved annual plan, item
list, monthly entries), its published decisions (paged, by year), one decision, and the annual
enforcement statistics report. Nothing is cached; every list is paged."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from anjian.accounts.access import body_scope_ids, require
from anjian.accounts.models import EnforcementBody, User
from anjian.config.routers import replica_reads
from anjian.domain.registry import SECTORS
from anjian.enforcement.access import access_case
from anjian.enforcement.selectors import decisions_for_disclosure
from anjian.oversight.disclosure import selectors
from anjian.oversight.disclosure.services import (
    decision_publish,
    decision_withdraw,
    public_content,
)
from anjian.oversight.models import Publication
from anjian.ui.pages import safe_page

PER_PAGE = 20
BODIES_PER_PAGE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _year(request: HttpRequest, default: int | None) -> int | None:
    raw = str(request.GET.get("year", "")).strip()
    today = timezone.localdate()
    if raw.isdigit() and 2000 <= int(raw) <= today.year + 1:
        return int(raw)
    return default


# ---- staff --------------------------------------------------------------------------------------


@require("disclosure.view")
def due_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    cases = selectors.unpublished(body_scope_ids(_user(request)))
    page = safe_page(Paginator(cases, PER_PAGE), request.GET.get("page"))
    rows = selectors.with_due(page.object_list, today)
    context = {"page": page, "rows": rows, "days": selectors.disclosure_days(), "today": today}
    return render(request, "oversight/disclosure_due.html", context)


@require("disclosure.manage")
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(_user(request), case_id)
    if request.method == "POST":
        try:
            decision_publish(actor=_user(request), case=case, now=timezone.now())
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
            return redirect("oversight:disclosure_due")
        messages.success(request, "已公示该行政处罚决定。")
        return redirect("oversight:disclosure_list")
    found = decisions_for_disclosure([case.body_id]).filter(pk=case.pk).first()
    if found is None or hasattr(found, "publication"):
        raise Http404("该案件尚未作出决定，或已公示。")
    context = {"case": found, "content": public_content(found)}
    return render(request, "oversight/disclosure_publish.html", context)


@require("disclosure.view")
def published_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.staff_publications(body_scope_ids(_user(request)))
    page = safe_page(Paginator(rows, PER_PAGE), request.GET.get("page"))
    return render(request, "oversight/disclosure_list.html", {"page": page})


@require("disclosure.manage")
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.staff_publications(body_scope_ids(_user(request))).filter(pk=pk).first()
    if publication is None:
        raise Http404("未找到该公示，或您无权查看。")
    error = ""
    if request.method == "POST":
        try:
            decision_withdraw(
                actor=_user(request),
                publication=publication,
                reason=str(request.POST.get("reason", "")),
                now=timezone.now(),
            )
        except ValidationError as refused:
            error = "；".join(refused.messages)
        else:
            messages.success(request, "已撤下该公示。")
            return redirect("oversight:disclosure_list")
    context = {"publication": publication, "error": error}
    return render(request, "oversight/disclosure_withdraw.html", context)


urlpatterns = [
    path("disclosure/", due_list, name="disclosure_due"),
    path("disclosure/published/", published_list, name="disclosure_list"),
    path("disclosure/cases/<int:case_id>/publish/", publish, name="disclosure_publish"),
    path("disclosure/<int:pk>/withdraw/", withdraw, name="disclosure_withdraw"),
]


# ---- public -------------------------------------------------------------------------------------


def _body(body_id: int) -> EnforcementBody:
    return get_object_or_404(selectors.public_bodies(), pk=body_id)


@replica_reads
def public_index(request: HttpRequest) -> HttpResponse:
    page = safe_page(Paginator(selectors.public_bodies(), BODIES_PER_PAGE), request.GET.get("page"))
    return render(request, "oversight/disclosure_public_index.html", {"page": page})


@replica_reads
def public_body(request: HttpRequest, body_id: int) -> HttpResponse:
    body = _body(body_id)
    today = timezone.localdate()
    year = _year(request, today.year) or today.year
    plan = selectors.plan_summary(body.pk, year)
    if plan:
        plan["sectors"] = [(SECTORS.get(s, s), n) for s, n in plan["sectors"]]
    context = {
        "body": body,
        "year": year,
        "plan": plan,
        "months": selectors.monthly_entries(body.pk, year, today),
    }
    return render(request, "oversight/disclosure_public_body.html", context)


@replica_reads
def public_decisions(request: HttpRequest, body_id: int) -> HttpResponse:
    body = _body(body_id)
    year = _year(request, None)
    rows = selectors.published(body.pk, year)
    page = safe_page(Paginator(rows, PER_PAGE), request.GET.get("page"))
    context = {"body": body, "year": year, "page": page}
    return render(request, "oversight/disclosure_public_decisions.html", context)


@replica_reads
def public_decision(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(
        Publication.objects.select_related("body"), pk=pk, withdrawn_on__isnull=True
    )
    return render(request, "oversight/disclosure_public_decision.html", {"p": publication})


@replica_reads
def public_report(request: HttpRequest, body_id: int) -> HttpResponse:
    body = _body(body_id)
    today = timezone.localdate()
    year = _year(request, today.year) or today.year
    context = {"body": body, "year": year, "rows": selectors.annual_report(body.pk, year)}
    return render(request, "oversight/disclosure_public_report.html", context)


public_urlpatterns: list[URLPattern] = [
    path("disclosure/", public_index, name="disclosure_index"),
    path("disclosure/<int:body_id>/", public_body, name="disclosure_body"),
    path("disclosure/<int:body_id>/decisions/", public_decisions, name="disclosure_decisions"),
    path("disclosure/decisions/<int:pk>/", public_decision, name="disclosure_decision"),
    path("disclosure/<int:body_id>/report/", public_report, name="disclosure_report"),
]
