"""周调度: a week's board (who filed, who is late), a section's report with its figures filled
from the records, submitting, and the office returning a report."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.domain.steering.weeks import IsoWeek, weeks_between
from anjian.steering import figures
from anjian.steering.access import (
    access_campaign,
    access_report,
    is_office,
    own_section,
    reads_all,
    visible_reports,
)
from anjian.steering.forms import NarrativeForm, ReturnForm
from anjian.steering.models import Campaign, WeeklyReport
from anjian.steering.services.weekly import (
    WeeklyError,
    deadline_of,
    local,
    report_open,
    report_refresh,
    report_return,
    report_save,
    week_board,
    week_is_open,
    week_of,
)
from anjian.ui.pages import safe_page


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _week(code: str) -> IsoWeek:
    try:
        return IsoWeek.parse(code)
    except ValueError as error:
        raise Http404(str(error)) from None


@require("steering.view")
def report_weeks(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    """The campaign's weeks, newest first, with how many reports each has."""
    user = _user(request)
    campaign = access_campaign(user, campaign_pk)
    today = timezone.localdate()
    last = min(today, campaign.reports_until)
    weeks = (
        list(weeks_between(campaign.reports_from, last))[::-1]
        if last >= campaign.reports_from
        else []
    )
    page = safe_page(Paginator(weeks, 20), request.GET.get("page"))
    shown = list(page.object_list)
    counts: dict[tuple[int, int], dict[str, int]] = {}
    reports = visible_reports(user, campaign).filter(
        year__in={w.year for w in shown}, week__in={w.week for w in shown}
    )
    for report in reports.select_related(None).only("year", "week", "status", "late"):
        bucket = counts.setdefault(
            (report.year, report.week), {"submitted": 0, "late": 0, "returned": 0}
        )
        if report.status == WeeklyReport.Status.SUBMITTED:
            bucket["submitted"] += 1
            bucket["late"] += int(report.late)
        elif report.status == WeeklyReport.Status.RETURNED:
            bucket["returned"] += 1
    rows = [
        {"week": w, "counts": counts.get((w.year, w.week), {}), "due": deadline_of(campaign).due(w)}
        for w in shown
    ]
    context = {
        "campaign": campaign,
        "page": page,
        "rows": rows,
        "section": own_section(user, campaign),
        "office": is_office(user, campaign),
    }
    return render(request, "steering/report_weeks.html", context)


@require("steering.view")
def report_week(request: HttpRequest, campaign_pk: int, week_code: str) -> HttpResponse:
    """One week: every section's report for readers of all, the own one for a section."""
    user = _user(request)
    campaign = access_campaign(user, campaign_pk)
    week = _week(week_code)
    now = timezone.now()
    section = own_section(user, campaign)
    board = week_board(campaign, week, now)
    if not reads_all(user, campaign):
        board = [row for row in board if section is not None and row.section.pk == section.pk]
    context = {
        "campaign": campaign,
        "week": week,
        "board": board,
        "due": deadline_of(campaign).due(week),
        "closed_reason": week_is_open(campaign, week, now),
        "section": section,
        "office": is_office(user, campaign),
        "return_form": ReturnForm(),
    }
    return render(request, "steering/report_week.html", context)


@require("steering.report")
@require_POST
def report_start(request: HttpRequest, campaign_pk: int, week_code: str) -> HttpResponse:
    """Opens (or finds) the user's section's report of the week, figures filled."""
    user = _user(request)
    campaign = access_campaign(user, campaign_pk)
    week = _week(week_code)
    section = own_section(user, campaign)
    if section is None:
        messages.error(request, "您所在的股室不是本专项工作的责任股室")
        return redirect("steering:report_week", campaign.pk, week.code)
    try:
        report = report_open(
            actor=user, campaign=campaign, section=section, week=week, now=timezone.now()
        )
    except WeeklyError as error:
        messages.error(request, str(error))
        return redirect("steering:report_week", campaign.pk, week.code)
    return redirect("steering:report_edit", report.pk)


def _figure_rows(report: WeeklyReport) -> list[dict[str, object]]:
    week = week_of(report)
    rows = []
    for code in figures.WEEKLY:
        spec = figures.figure(code)
        link = ""
        if spec.drillable:
            link = (
                reverse("steering:figure_records", args=[code])
                + f"?campaign={report.campaign_id}&section={report.section_id}"
                + f"&start={week.monday:%Y-%m-%d}&end={week.sunday:%Y-%m-%d}"
            )
        rows.append({"figure": spec, "value": report.figures.get(code), "link": link})
    return rows


@require("steering.view")
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The report: figures (each a link to its records) and the narrative; saving, submitting
    and refreshing the figures for the section while the report is editable."""
    user = _user(request)
    report = access_report(user, pk)
    now = timezone.now()
    mine = user.section_id == report.section_id and user.can("steering.report")
    editable = (
        mine
        and report.status != WeeklyReport.Status.SUBMITTED
        and not week_is_open(report.campaign, week_of(report), now)
    )
    form = NarrativeForm(initial={name: getattr(report, name) for name in WeeklyReport.NARRATIVE})
    if request.method == "POST":
        if not mine:
            raise Http404("未找到该记录，或您无权查看。")
        form = NarrativeForm(request.POST)
        action = request.POST.get("action", "save")
        try:
            if action == "refresh":
                report_refresh(actor=user, report=report, now=now)
                messages.success(request, "已按最新记录重新提取数据")
                return redirect("steering:report_edit", report.pk)
            if form.is_valid():
                submit = action == "submit"
                report = report_save(
                    actor=user, report=report, narrative=form.narrative(), now=now, submit=submit
                )
                if submit:
                    late = "（逾期报送）" if report.late else ""
                    messages.success(request, f"已报送{late}")
                else:
                    messages.success(request, "已保存草稿")
                return redirect("steering:report_edit", report.pk)
        except WeeklyError as error:
            messages.error(request, str(error))
    context = {
        "report": report,
        "campaign": report.campaign,
        "week": week_of(report),
        "due": deadline_of(report.campaign).due(week_of(report)),
        "figure_rows": _figure_rows(report),
        "form": form,
        "editable": editable,
        "office": is_office(user, report.campaign),
        "return_form": ReturnForm(),
        "submitted_local": local(report.submitted_at) if report.submitted_at else None,
    }
    return render(request, "steering/report_edit.html", context)


@require("steering.view")
@require_POST
def report_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = access_report(user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写退回意见")
        return redirect("steering:report_edit", report.pk)
    try:
        report_return(
            actor=user, report=report, comment=form.cleaned_data["comment"], now=timezone.now()
        )
    except WeeklyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已退回{report.section.name}的报告")
    return redirect("steering:report_week", report.campaign_id, week_of(report).code)


def campaign_weeks_url(campaign: Campaign) -> str:
    return reverse("steering:report_weeks", args=[campaign.pk])


urlpatterns = [
    path("<int:campaign_pk>/weeks/", report_weeks, name="report_weeks"),
    path("<int:campaign_pk>/weeks/<str:week_code>/", report_week, name="report_week"),
    path("<int:campaign_pk>/weeks/<str:week_code>/start/", report_start, name="report_start"),
    path("reports/<int:pk>/", report_edit, name="report_edit"),
    path("reports/<int:pk>/return/", report_return_view, name="report_return"),
]
