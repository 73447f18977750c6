"""Rectification pages for bureau staff: open, due and overdue findings (the alert list), the
review of an order, referral for a penalty case, and the legal office's off-list findings."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.inspections.access import access_hazard, access_order, officer_of, visible_hazards
from anjian.inspections.forms import ReviewForm
from anjian.inspections.models import ReviewLine
from anjian.inspections.services.records import acknowledge_off_list
from anjian.inspections.services.rectification import (
    OPEN_STATES,
    LineDecision,
    due_soon,
    overdue,
    refer_for_penalty,
    review_order,
)
from anjian.policy.views.common import flash_errors, form_errors, today
from anjian.registry.models import Officer
from anjian.ui import ledger_columns
from anjian.ui.ledger import ledger_output

VIEWS = {
    "overdue": "逾期未整改",
    "due": "7 日内到期",
    "open": "待整改",
    "reported": "企业已报告待复查",
    "closed": "已销号",
    "all": "全部",
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require("inspection.view")
def hazard_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    hazards = visible_hazards(user).exclude(status="on_spot")
    view = request.GET.get("view", "overdue")
    if view not in VIEWS:
        view = "overdue"
    day = today()
    selected = {
        "overdue": overdue(hazards, day),
        "due": due_soon(hazards, day, day + timedelta(days=7)),
        "open": hazards.filter(status__in=OPEN_STATES),
        "reported": hazards.filter(status="reported"),
        "closed": hazards.filter(status="closed"),
        "all": hazards,
    }[view]
    counts = {
        "overdue": overdue(hazards, day).count(),
        "reported": hazards.filter(status="reported").count(),
    }
    ledger = selected.select_related("task__enterprise").order_by("deadline", "pk")
    title = gettext_lazy("隐患整改台账")
    if out := ledger_output(request, ledger, ledger_columns.HAZARDS, title=title):
        return out
    return render(
        request,
        "inspections/hazard_list.html",
        {
            "hazards": selected.order_by("deadline", "pk")[:300],
            "view": view,
            "views": VIEWS,
            "counts": counts,
            "today": day,
            "is_officer": officer_of(user) is not None,
        },
    )


def _lines(request: HttpRequest, hazard_ids: list[int]) -> list[LineDecision]:
    lines = []
    for pk in hazard_ids:
        decision = request.POST.get(f"decision-{pk}", "")
        if not decision:
            continue
        raw = request.POST.get(f"deadline-{pk}", "")
        try:
            new_deadline = date.fromisoformat(raw) if raw else None
        except ValueError:
            new_deadline = None
        lines.append(LineDecision(pk, decision, new_deadline, request.POST.get(f"note-{pk}", "")))
    return lines


@require("inspection.conduct")
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """整改复查: a decision per open finding of the order, on site or remotely on the evidence."""
    user = _user(request)
    order = access_order(user, pk)
    me = officer_of(user)
    if me is None:
        raise PermissionDenied("只有执法人员才能复查整改情况。")
    hazards = list(
        order.hazards.filter(status__in=OPEN_STATES).prefetch_related("reports__evidence")
    )
    team = Officer.objects.filter(
        body_id=order.task.body_id, is_deleted=False, certificate_valid_until__gte=today()
    ).exclude(pk=me.pk)
    form = ReviewForm(request.POST or None, officers=team)
    if request.method == "POST" and form.is_valid():
        try:
            made = review_order(
                actor=user,
                order=order,
                mode=form.cleaned_data["mode"],
                lines=_lines(request, [h.pk for h in hazards]),
                officers=list(form.cleaned_data["officers"]),
                note=form.cleaned_data["note"],
                today=today(),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"已出具整改复查意见书 {made.document.number}")
            return redirect("inspections:task_detail", pk=order.task_id)
    return render(
        request,
        "inspections/review_form.html",
        {
            "order": order,
            "hazards": hazards,
            "form": form,
            "decisions": ReviewLine.Decision.choices,
            "posted": request.POST,
        },
    )


@require("inspection.view")
@require_POST
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    hazard = access_hazard(user, pk)
    try:
        refer_for_penalty(actor=user, hazard=hazard, today=today())
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "已移送立案（行政处罚案件在处罚模块办理）")
    return redirect(request.POST.get("next") or "inspections:hazard_list")


@require("inspection.legal")
def legal_flags(request: HttpRequest) -> HttpResponse:
    """清单外问题: findings recorded outside the item list, for the legal office's review."""
    user = _user(request)
    flagged = visible_hazards(user).filter(legal_flag=True)
    if request.method == "POST":
        hazard = access_hazard(user, int(request.POST.get("hazard", 0)))
        try:
            acknowledge_off_list(actor=user, hazard=hazard, note=request.POST.get("note", ""))
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, "已记录审核意见")
        return redirect("inspections:legal_flags")
    return render(
        request,
        "inspections/legal_flags.html",
        {
            "pending": flagged.filter(legal_seen_at__isnull=True).order_by("recorded_at"),
            "seen": flagged.filter(legal_seen_at__isnull=False).order_by("-legal_seen_at")[:100],
        },
    )
