"""The enterprise portal: its inspections (upcoming, notified ones and past ones with their
documents and findings), the open rectification items with a report form for each, a rating of
each finished inspection, and complaints. Every record is looked up through `inspections.access`,
which scopes an enterprise user to its own enterprise: another enterprise's record answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, Min, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.inspections.access import access_hazard, access_task, visible_hazards, visible_tasks
from anjian.inspections.forms import ComplaintForm, RatingForm
from anjian.inspections.models import Complaint, Hazard, InspectionRating, InspectionTask
from anjian.inspections.services.feedback import file_complaint, own_enterprise, rate_inspection
from anjian.inspections.services.rectification import OPEN_STATES, report_rectification
from anjian.policy.views.common import flash_errors, form_errors, today

UPCOMING = (InspectionTask.Status.APPROVED, InspectionTask.Status.IN_PROGRESS)
YES_NO = [("yes", _("是")), ("no", _("否"))]
ACCEPT = "image/*,.pdf,.doc,.docx,.xls,.xlsx"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _open_summary(user: User) -> dict[str, Any]:
    open_items = visible_hazards(user).filter(status__in=OPEN_STATES)
    day = today()
    return {
        "count": open_items.count(),
        "overdue": open_items.filter(deadline__lt=day).count(),
        "nearest": open_items.filter(deadline__gte=day).aggregate(d=Min("deadline"))["d"],
    }


@require("enterprise.self")
def portal_home(request: HttpRequest) -> HttpResponse:
    """我的检查: the notified (approved) inspections to come, and the past ones."""
    user = _user(request)
    enterprise = own_enterprise(user)
    day = today()
    tasks = visible_tasks(user).annotate(
        rated=Exists(InspectionRating.objects.filter(task=OuterRef("pk")))
    )
    upcoming = (
        tasks.filter(status__in=UPCOMING, date__gte=day)
        .prefetch_related("officers", "items", "documents")
        .order_by("date", "pk")
    )
    past = (
        tasks.filter(Q(date__lt=day) | Q(status=InspectionTask.Status.DONE))
        .prefetch_related("documents", "hazards")
        .order_by("-date", "-pk")
    )
    page = Paginator(past, 20).get_page(request.GET.get("page"))
    context = {
        "enterprise": enterprise,
        "upcoming": upcoming,
        "page": page,
        "summary": _open_summary(user),
        "today": day,
    }
    return render(request, "inspections/portal_home.html", context)


@require("enterprise.self")
def portal_task(request: HttpRequest, pk: int) -> HttpResponse:
    """One inspection: its documents, findings with their deadlines and evidence, the rating."""
    user = _user(request)
    own_enterprise(user)
    task = access_task(user, pk)
    hazards = task.hazards.select_related("item", "order").prefetch_related(
        "evidence", "reports__evidence"
    )
    rating = InspectionRating.objects.filter(task=task).first()
    can_rate = task.status == InspectionTask.Status.DONE and rating is None
    context = {
        "task": task,
        "officers": task.officers.all(),
        "items": task.items.order_by("code"),
        "documents": task.documents.all(),
        "hazards": hazards,
        "rating": rating,
        "rating_form": RatingForm() if can_rate else None,
        "today": today(),
    }
    return render(request, "inspections/portal_task.html", context)


@require("enterprise.self")
@require_POST
def portal_rate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = access_task(user, pk)
    form = RatingForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请选择总体评价，并回答是否亮码亮证、是否影响生产经营")
        rate_inspection(
            actor=user,
            task=task,
            score=form.cleaned_data["score"],
            showed_code=form.cleaned_data["showed_code"] == "yes",
            disturbed_production=form.cleaned_data["disturbed_production"] == "yes",
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "感谢您的评价。评价不向检查股室显示评价人。")
    return redirect(reverse("inspections:portal_task", args=[task.pk]) + "#rating")


def _hazards_page(
    request: HttpRequest, user: User, *, failed: Hazard | None = None, status: int = 200
) -> HttpResponse:
    hazards = visible_hazards(user).prefetch_related("evidence", "reports__evidence")
    context = {
        "open": hazards.filter(status__in=OPEN_STATES).order_by("deadline", "pk"),
        "closed": hazards.exclude(status__in=OPEN_STATES).order_by("-closed_at", "-pk")[:100],
        "today": today(),
        "accept": ACCEPT,
        "failed": failed,
        "posted": request.POST,
    }
    return render(request, "inspections/portal_hazards.html", context, status=status)


@require("enterprise.self")
def portal_hazards(request: HttpRequest) -> HttpResponse:
    """隐患整改: the open items with their deadlines (overdue in red), a report form for each."""
    user = _user(request)
    own_enterprise(user)
    return _hazards_page(request, user)


@require("enterprise.self")
@require_POST
def portal_hazard_report(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    hazard = access_hazard(user, pk)
    try:
        report_rectification(
            actor=user,
            hazard=hazard,
            description=request.POST.get("description", ""),
            files=request.FILES.getlist("files"),
        )
    except ValidationError as error:
        flash_errors(request, error)
        return _hazards_page(request, user, failed=hazard)
    messages.success(request, "已报告整改情况，等待执法人员复查")
    return redirect("inspections:portal_hazards")


@require("enterprise.self")
def portal_complaints(request: HttpRequest) -> HttpResponse:
    """投诉: file a complaint (optionally about one inspection) and follow its handling."""
    user = _user(request)
    enterprise = own_enterprise(user)
    tasks = list(visible_tasks(user).order_by("-date", "-pk")[:100])
    by_pk = {t.pk: t for t in tasks}
    initial: dict[str, Any] = {"happened_on": today()}
    chosen = by_pk.get(_int(request.GET.get("task")) or 0)
    if chosen is not None:
        initial.update(task=chosen.pk, happened_on=min(chosen.date, today()))
    form = ComplaintForm(request.POST or None, tasks=tasks, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            file_complaint(
                actor=user,
                kind=data["kind"],
                happened_on=data["happened_on"],
                description=data["description"],
                contact=data["contact"],
                task=by_pk.get(data["task"]) if data["task"] else None,
                today=today(),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "投诉已提交，派驻纪检监察组将核查办理")
            return redirect("inspections:portal_complaints")
    complaints = Complaint.objects.filter(enterprise=enterprise).select_related("task")
    return render(
        request,
        "inspections/portal_complaints.html",
        {"form": form, "complaints": complaints.order_by("-filed_at", "-pk")},
    )


def _int(raw: str | None) -> int | None:
    try:
        return int(raw or "")
    except ValueError:
        return None
