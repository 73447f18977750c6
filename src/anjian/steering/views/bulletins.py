"""周调度通报 and 台账: the office consolidates a week into a bulletin (a numbered 公文 with the
Excel ledger as its annex, both kept in the register and served as stored); the campaign's
bulletins, paged; the ledger page with the year's weeks side by side per section, and its
export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from anjian.accounts.access import require
from anjian.accounts.models import Section, User
from anjian.documents.services import XLSX, document_response
from anjian.domain.steering.weeks import IsoWeek, weeks_between
from anjian.steering import figures
from anjian.steering.access import (
    NOT_FOUND,
    access_campaign,
    is_office,
    reads_all,
    reporting_sections,
    require_office,
    visible_campaigns,
)
from anjian.steering.documents import TABLE_FIGURES, LedgerCell, ledger_year_xlsx
from anjian.steering.models import Bulletin, Campaign, WeeklyReport
from anjian.steering.services.bulletins import (
    bulletin_consolidate,
    bulletin_data,
    filed,
    status_of,
)
from anjian.steering.services.weekly import WeeklyError, deadline_of, local
from anjian.ui.pages import attachment, safe_page

BULLETINS_PER_PAGE = 20
WEEKS_PER_PAGE = 13  # a quarter


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _week(code: str) -> IsoWeek:
    try:
        return IsoWeek.parse(code)
    except ValueError as error:
        raise Http404(str(error)) from None


def access_bulletin(user: User, pk: int) -> Bulletin:
    """A bulletin of a campaign the user sees (every campaign reader gets the bulletin)."""
    found = (
        Bulletin.objects.filter(pk=pk, campaign__in=visible_campaigns(user))
        .select_related("document", "annex")
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def campaign_weeks(campaign: Campaign, today: date) -> list[IsoWeek]:
    """The campaign's report weeks that have begun, in order."""
    last = min(today, campaign.reports_until)
    return list(weeks_between(campaign.reports_from, last)) if last >= campaign.reports_from else []


def _of_weeks(weeks: list[IsoWeek]) -> Q:
    """The rows of the given weeks (they may span two ISO years)."""
    years: dict[int, list[int]] = {}
    for week in weeks:
        years.setdefault(week.year, []).append(week.week)
    match = Q(pk__in=[])
    for year, numbers in years.items():
        match |= Q(year=year, week__in=numbers)
    return match


@require("steering.view")
def bulletin_list(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    user = _user(request)
    campaign = access_campaign(user, campaign_pk)
    rows = (
        Bulletin.objects.filter(campaign=campaign)
        .select_related("document", "annex", "consolidated_by")
        .defer("document__content", "annex__content")
    )
    page = safe_page(Paginator(rows, BULLETINS_PER_PAGE), request.GET.get("page"))
    office = is_office(user, campaign)
    open_weeks: list[IsoWeek] = []
    if office:
        done = set(Bulletin.objects.filter(campaign=campaign).values_list("year", "week"))
        weeks = campaign_weeks(campaign, timezone.localdate())
        open_weeks = [w for w in reversed(weeks) if (w.year, w.week) not in done]
    context = {"campaign": campaign, "page": page, "office": office, "open_weeks": open_weeks}
    return render(request, "steering/bulletin_list.html", context)


@require("steering.view")
def bulletin_pick(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    """The week chosen on the list goes to its consolidate page."""
    campaign = access_campaign(_user(request), campaign_pk)
    return redirect(
        "steering:bulletin_consolidate", campaign.pk, _week(request.GET.get("week", "")).code
    )


@require("steering.view")
def bulletin_new(request: HttpRequest, campaign_pk: int, week_code: str) -> HttpResponse:
    """The office's form for one week: who filed, the totals, the summary; POST consolidates."""
    user = _user(request)
    campaign = access_campaign(user, campaign_pk)
    require_office(user, campaign)
    week = _week(week_code)
    now = timezone.now()
    summary = request.POST.get("summary", "")[:4000]
    if request.method == "POST":
        try:
            bulletin = bulletin_consolidate(
                actor=user, campaign=campaign, week=week, summary=summary, now=now
            )
        except WeeklyError as error:
            messages.error(request, str(error))
        else:
            number = bulletin.document.number if bulletin.document else ""
            messages.success(request, f"已汇总{week.label}周调度通报，文号 {number}")
            return redirect("steering:bulletin_list", campaign.pk)
    existing = Bulletin.objects.filter(campaign=campaign, year=week.year, week=week.week).first()
    data = bulletin_data(campaign, week, summary, now)
    context = {
        "campaign": campaign,
        "week": week,
        "data": data,
        "totals": [(figures.figure(c), data.totals.get(c)) for c in figures.WEEKLY],
        "existing": existing,
        "summary": summary,
    }
    return render(request, "steering/bulletin_new.html", context)


@require("steering.view")
def bulletin_docx(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = access_bulletin(_user(request), pk)
    if bulletin.document is None:
        raise Http404(NOT_FOUND)
    return document_response(bulletin.document)


@require("steering.view")
def bulletin_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = access_bulletin(_user(request), pk)
    if bulletin.annex is None:
        raise Http404(NOT_FOUND)
    return document_response(bulletin.annex)


# --- the ledger (台账) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    report: WeeklyReport | None
    status: str
    overdue: bool  # nothing submitted and the deadline has passed
    returned: bool  # returned now or at some time
    figures: list[tuple[str, object]]


def ledger_sections(user: User, campaign: Campaign) -> list[Section]:
    """Every reporting section for readers of all, else the user's own."""
    sections = reporting_sections(campaign)
    return list(sections if reads_all(user, campaign) else sections.filter(pk=user.section_id))


def _cell(
    campaign: Campaign, week: IsoWeek, report: WeeklyReport | None, now_local: datetime
) -> Cell:
    past_due = now_local > deadline_of(campaign).due(week)
    shown = report.figures if report is not None and filed(report) else {}
    return Cell(
        report=report,
        status=status_of(report),
        overdue=past_due and not filed(report),
        returned=report is not None and report.returned_at is not None,
        figures=[(figures.figure(c).label, shown.get(c)) for c in TABLE_FIGURES],
    )


@require("steering.view")
def ledger(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    """The year's weeks (rows) side by side per section (columns), a quarter a page; four
    queries whatever the number of reports."""
    user = _user(request)
    campaign = access_campaign(user, campaign_pk)
    sections = ledger_sections(user, campaign)
    weeks = campaign_weeks(campaign, timezone.localdate())
    paginator = Paginator(weeks, WEEKS_PER_PAGE)
    page = safe_page(paginator, request.GET.get("page") or paginator.num_pages)
    shown = list(page.object_list)
    reports = WeeklyReport.objects.filter(
        _of_weeks(shown), campaign=campaign, section__in=[s.pk for s in sections]
    )
    by_key = {(r.year, r.week, r.section_id): r for r in reports}
    bulletins = {
        (b.year, b.week): b
        for b in Bulletin.objects.filter(_of_weeks(shown), campaign=campaign).only("year", "week")
    }
    now_local = local(timezone.now())
    rows = [
        {
            "week": week,
            "bulletin": bulletins.get((week.year, week.week)),
            "cells": [
                _cell(campaign, week, by_key.get((week.year, week.week, s.pk)), now_local)
                for s in sections
            ],
        }
        for week in shown
    ]
    context = {"campaign": campaign, "sections": sections, "rows": rows, "page": page}
    return render(request, "steering/ledger.html", context)


@require("steering.view")
def ledger_export(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    """Every week and section of the year as .xlsx (a plain export, not an issued document)."""
    user = _user(request)
    campaign = access_campaign(user, campaign_pk)
    sections = ledger_sections(user, campaign)
    reports = WeeklyReport.objects.filter(campaign=campaign, section__in=[s.pk for s in sections])
    by_key = {(r.year, r.week, r.section_id): r for r in reports}
    cells = []
    for week in campaign_weeks(campaign, timezone.localdate()):
        for section in sections:
            report = by_key.get((week.year, week.week, section.pk))
            cells.append(
                LedgerCell(
                    week=week,
                    section=section.name,
                    status=status_of(report),
                    submitted_at=local(report.submitted_at)
                    if report and report.submitted_at
                    else None,
                    late=bool(report and filed(report) and report.late),
                    returned=report is not None and report.returned_at is not None,
                    figures=report.figures if report is not None and filed(report) else {},
                )
            )
    title = f"{campaign.title}周调度台账"
    content = ledger_year_xlsx(title, cells, [s.name for s in sections])
    return attachment(content, f"{title}.xlsx", XLSX)


urlpatterns = [
    path("<int:campaign_pk>/bulletins/", bulletin_list, name="bulletin_list"),
    path("<int:campaign_pk>/bulletins/pick/", bulletin_pick, name="bulletin_pick"),
    path(
        "<int:campaign_pk>/bulletins/<str:week_code>/new/",
        bulletin_new,
        name="bulletin_consolidate",
    ),
    path("bulletins/<int:pk>/docx/", bulletin_docx, name="bulletin_docx"),
    path("bulletins/<int:pk>/xlsx/", bulletin_xlsx, name="bulletin_xlsx"),
    path("<int:campaign_pk>/ledger/", ledger, name="ledger"),
    path("<int:campaign_pk>/ledger.xlsx", ledger_export, name="ledger_export"),
]
