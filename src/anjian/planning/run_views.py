"""Planner run pages: start a run (queued for the worker), follow its progress, see the result as
a calendar and a table with the figures, move or split entries by hand, approve the month, print
it or export it to Excel; and each section's or officer's own schedule from approved months."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from anjian.accounts.access import body_scope_ids, require
from anjian.planning.access import access_entry, access_month, access_run
from anjian.planning.inputs import TIME_LIMIT_S, month_days, non_working_days
from anjian.planning.models import PlanEntry, PlanRun
from anjian.planning.runs import (
    plan_entry_move,
    plan_entry_split,
    plan_run_approve,
    plan_run_request,
)
from anjian.planning.schedule import SCHEDULE_HEADERS, run_counts, schedule_rows, visit_rows
from anjian.policy.selectors import quiet_days
from anjian.policy.views.common import flash_errors, today
from anjian.registry.spreadsheets import export_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def run_warnings(stored: list[Any], calendar_note: str | None) -> list[str]:
    """A run's warnings in the reader's language. The calendar one is left to the page's own
    note while the holiday calendar still lacks the year (that note links to the table); once
    the year is filled in, it says the run was computed without it. Runs stored before the
    warnings were data hold their text, shown as it is."""
    texts = []
    for warning in stored:
        if isinstance(warning, dict) and "calendar_uncovered" in warning:
            if calendar_note is None:
                texts.append(
                    gettext(
                        "本次统筹计算时节假日数据未覆盖 %(year)s 年，当时工作日按周一至周五计算"
                    )
                    % {"year": warning["calendar_uncovered"]}
                )
        elif warning != calendar_note:
            texts.append(str(warning))
    return texts


@require("planning.manage")
@require_POST
def run_start(request: HttpRequest, pk: int) -> HttpResponse:
    planning_month = access_month(request.user, pk)
    try:
        run = plan_run_request(actor=request.user, planning_month=planning_month, today=today())
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("planning:month_detail", pk=planning_month.pk)
    messages.success(request, "已提交统筹计算，结果稍后显示在本页")
    return redirect("planning:run_detail", pk=run.pk)


def _calendar(month: date, entries: list[PlanEntry], quiet: set[date], off: frozenset[date]):  # type: ignore[no-untyped-def]
    by_day: dict[date, list[PlanEntry]] = defaultdict(list)
    for entry in entries:
        by_day[entry.date].append(entry)
    weeks = []
    for week in calendar.Calendar().monthdatescalendar(month.year, month.month):
        weeks.append(
            [
                {
                    "day": d if d.month == month.month else None,
                    "entries": by_day.get(d, []),
                    "quiet": d in quiet,
                    "off": d in off,
                }
                for d in week
            ]
        )
    return weeks


def _entries(run: PlanRun) -> list[PlanEntry]:
    return list(
        run.entries.select_related("enterprise")
        .prefetch_related("visits__section", "officers__section")
        .order_by("date", "enterprise__name", "pk")
    )


@require("planning.runs")
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = access_run(request.user, pk)
    month = run.planning_month.month
    entries = _entries(run)
    days = month_days(month)
    quiet = quiet_days(run.planning_month.body_id, days[0], days[-1])
    remote, unscheduled = visit_rows(run, quiet)
    off, calendar_note = non_working_days(month)
    context = {
        "run": run,
        "planning_month": run.planning_month,
        "entries": entries,
        "weeks": _calendar(month, entries, quiet, off),
        "remote": remote,
        "unscheduled": unscheduled,
        "metrics": run.metrics or {},
        "counts": run_counts(run, entries),
        "calendar_note": calendar_note,
        "warnings": run_warnings(run.warnings or [], calendar_note),
        "time_limit": round(TIME_LIMIT_S),
        "pending": run.status in (PlanRun.Status.QUEUED, PlanRun.Status.RUNNING),
        "editable": run.status == PlanRun.Status.DONE
        and request.user.can("planning.manage")
        and request.user.body_id == run.planning_month.body_id,
        # tasks are generated on the inspections side (its page counts them and asks first)
        "may_generate": run.status == PlanRun.Status.APPROVED
        and request.user.can("inspection.create"),
        "other_runs": run.planning_month.runs.exclude(pk=run.pk)[:10],
    }
    return render(request, "planning/run_detail.html", context)


def _schedule(request: HttpRequest, pk: int) -> tuple[PlanRun, list[PlanEntry], list[Any]]:
    run = access_run(request.user, pk)
    if run.status not in (PlanRun.Status.APPROVED, PlanRun.Status.DONE):
        raise Http404("该统筹结果尚未完成，没有可打印或导出的安排")
    entries = _entries(run)
    remote, _unscheduled = visit_rows(run, set())
    return run, entries, schedule_rows(entries, remote)


@require("planning.runs")
def run_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The month's schedule as a page made for paper (A4 landscape, no menus)."""
    run, entries, rows = _schedule(request, pk)
    context = {
        "run": run,
        "planning_month": run.planning_month,
        "rows": rows,
        "headers": SCHEDULE_HEADERS,
        "counts": run_counts(run, entries),
        "printed": today(),
    }
    return render(request, "planning/run_print.html", context)


@require("planning.runs")
def run_export(request: HttpRequest, pk: int) -> HttpResponse:
    run, _, rows = _schedule(request, pk)
    month = run.planning_month.month
    draft = "" if run.status == PlanRun.Status.APPROVED else "（未批准）"
    name = f"{month:%Y年%m月}入企安排{draft}.xlsx"
    response = HttpResponse(export_workbook("入企安排", SCHEDULE_HEADERS, rows), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _posted_date(request: HttpRequest) -> date | None:
    try:
        return date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        return None


@require("planning.manage")
@require_POST
def entry_move(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_entry(request.user, pk)
    day = _posted_date(request)
    if day is None:
        messages.error(request, "请选择有效的日期")
    else:
        try:
            plan_entry_move(actor=request.user, entry=entry, day=day)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, f"{entry.enterprise.name} 已调整到 {day}")
    return redirect("planning:run_detail", pk=entry.run_id)


@require("planning.manage")
@require_POST
def entry_split(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_entry(request.user, pk)
    day = _posted_date(request)
    raw = request.POST.get("visit", "")
    visit = entry.visits.filter(pk=int(raw)).first() if raw.isdigit() else None
    if day is None or visit is None:
        messages.error(request, "请选择要拆出的计划和有效的日期")
    else:
        try:
            plan_entry_split(actor=request.user, entry=entry, visit=visit, day=day)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, f"已拆出为 {day} 单独入企")
    return redirect("planning:run_detail", pk=entry.run_id)


@require("planning.manage")
@require_POST
def run_approve(request: HttpRequest, pk: int) -> HttpResponse:
    run = access_run(request.user, pk)
    try:
        booked = plan_run_approve(actor=request.user, run=run)
    except ValidationError as error:
        messages.error(request, "未批准：以下入企未通过核验，请调整后再批准")
        flash_errors(request, error)
    else:
        messages.success(request, f"已批准本月统筹结果，登记入企 {booked} 项")
    return redirect("planning:run_detail", pk=run.pk)


@require("planning.view")
def my_schedule(request: HttpRequest) -> HttpResponse:
    """Approved entries that hold the user's section's visits or name the user as officer."""
    user = request.user
    mine = Q(officers__user=user)
    if user.section_id is not None:
        mine |= Q(visits__section_id=user.section_id)
    entries = (
        PlanEntry.objects.filter(
            mine,
            run__status=PlanRun.Status.APPROVED,
            run__planning_month__body_id__in=body_scope_ids(user),
        )
        .distinct()
        .select_related("enterprise", "run__planning_month")
        .prefetch_related("visits__section", "officers__section")
        .order_by("date", "pk")
    )
    return render(request, "planning/my_schedule.html", {"entries": entries})
