"""Supervision pages: the enterprises' ratings of inspections (office, bureau head, discipline
inspectors; never the inspecting sections, and no page shows who rated) and the discipline
inspectors' complaint desk."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.inspections.access import visible_tasks
from anjian.inspections.models import Complaint, InspectionRating
from anjian.inspections.services.feedback import (
    COMPLAINT_STEPS,
    access_complaint,
    handle_complaint,
    visible_complaints,
)
from anjian.policy.views.common import flash_errors, today
from anjian.ui import ledger_columns
from anjian.ui.ledger import ledger_output

COMPLAINT_VIEWS: dict[str, tuple[Any, tuple[str, ...] | None]] = {
    "open": (_("待办"), (Complaint.Status.RECEIVED, Complaint.Status.HANDLING)),
    "received": (_("已受理"), (Complaint.Status.RECEIVED,)),
    "handling": (_("核查中"), (Complaint.Status.HANDLING,)),
    "closed": (_("已办结"), (Complaint.Status.CLOSED,)),
    "all": (_("全部"), None),
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _totals(ratings: QuerySet[InspectionRating]) -> dict[str, Any]:
    numbers = ratings.aggregate(
        n=Count("pk"),
        avg=Avg("score"),
        no_code=Count("pk", filter=Q(showed_code=False)),
        disturbed=Count("pk", filter=Q(disturbed_production=True)),
    )
    return {
        "n": numbers["n"],
        "avg": numbers["avg"],
        "no_code": numbers["no_code"],
        "disturbed": numbers["disturbed"],
        "no_code_share": _share(numbers["no_code"], numbers["n"]),
        "disturbed_share": _share(numbers["disturbed"], numbers["n"]),
    }


def _by_section_and_month(ratings: QuerySet[InspectionRating]) -> list[dict[str, Any]]:
    rows = (
        ratings.annotate(month=TruncMonth("task__date"))
        .values("month", "task__body__name", "task__section__name")
        .annotate(
            n=Count("pk"),
            avg=Avg("score"),
            no_code=Count("pk", filter=Q(showed_code=False)),
            disturbed=Count("pk", filter=Q(disturbed_production=True)),
        )
        .order_by("-month", "task__body__name", "task__section__name")
    )
    return [
        {
            **row,
            "no_code_share": _share(row["no_code"], row["n"]),
            "disturbed_share": _share(row["disturbed"], row["n"]),
        }
        for row in rows
    ]


def _year(raw: str | None, fallback: int) -> int:
    try:
        year = int(raw or "")
    except ValueError:
        return fallback
    return year if 2000 <= year <= 2100 else fallback


@require("inspection.ratings")
def ratings(request: HttpRequest) -> HttpResponse:
    """检查评价: averages by section and month, the shares of inspections where the officers
    did not show the code and where production was disturbed, and every rating (no rater)."""
    user = _user(request)
    year = _year(request.GET.get("year"), today().year)
    chosen = InspectionRating.objects.filter(
        task__in=visible_tasks(user), task__date__year=year
    ).select_related("task", "task__enterprise", "task__body", "task__section")
    page = Paginator(chosen.order_by("-task__date", "-pk"), 50).get_page(request.GET.get("page"))
    context = {
        "year": year,
        "years": range(today().year, today().year - 5, -1),
        "totals": _totals(chosen),
        "rows": _by_section_and_month(chosen),
        "page": page,
    }
    return render(request, "inspections/ratings.html", context)


@require("complaint.handle")
def complaints(request: HttpRequest) -> HttpResponse:
    """投诉处理: the discipline inspectors' list, filtered by status, with a handle form."""
    user = _user(request)
    view = request.GET.get("status", "open")
    if view not in COMPLAINT_VIEWS:
        view = "open"
    everything = visible_complaints(user)
    statuses = COMPLAINT_VIEWS[view][1]
    chosen = everything.filter(status__in=statuses) if statuses else everything
    ledger = chosen.select_related("enterprise", "filed_by").order_by("-filed_at", "-pk")
    title = _("企业投诉台账")
    if out := ledger_output(request, ledger, ledger_columns.COMPLAINTS, title=title):
        return out
    page = Paginator(chosen.order_by("-filed_at", "-pk"), 30).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for complaint in page.object_list:
        complaint.next_steps = [
            (s, label)
            for s, label in Complaint.Status.choices
            if s in COMPLAINT_STEPS[complaint.status]
        ]
    context = {
        "page": page,
        "view": view,
        "views": {key: label for key, (label, _s) in COMPLAINT_VIEWS.items()},
        "open_count": everything.exclude(status=Complaint.Status.CLOSED).count(),
    }
    return render(request, "inspections/complaints.html", context)


@require("complaint.handle")
@require_POST
def complaint_handle(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    complaint = access_complaint(user, pk)
    try:
        handle_complaint(
            actor=user,
            complaint=complaint,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "已记录办理情况")
    back = request.POST.get("back", "")
    target = reverse("inspections:complaints")
    if back in COMPLAINT_VIEWS:
        target += f"?status={back}"
    return redirect(f"{target}#complaint-{complaint.pk}")
