"""Reads of the public disclosure (行政执法公示): the decisions waiting to be published with
their deadline, the published decisions, and the figures the public pages show. Penalty cases
are read through `enforcement.selectors`, plans through `planning.figure_selectors`, figures
through `steering.figures`."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from anjian.accounts.models import EnforcementBody
from anjian.domain.calendar import add_working_days
from anjian.domain.steering.slices import RecordSlice
from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.selectors import decisions_for_disclosure
from anjian.oversight.models import Publication
from anjian.planning.figure_selectors import annual_plan_sectors, approved_annual_plan
from anjian.policy.workdays import workday_lookup
from anjian.steering import figures

IsWorkday = Any
WARN_DAYS = 2
"""A decision is "due" (amber, and its reminder sent) from two calendar days before its last
day; "overdue" (red) from the day after it."""
LOOKBACK_DAYS = 120
"""Decisions older than this are not reminded of any more (they are listed still)."""

MONTHLY = ("entries_onsite", "entries_joint", "joint_share", "entries_quiet")
ANNUAL = (
    "inspections_done",
    "findings",
    "orders_issued",
    "cases_decided",
    "fines",
    "cases_no_penalty",
    "cases_lenient",
    "exams",
)


def disclosure_days() -> int:
    return int(getattr(settings, "ANJIAN_DISCLOSURE_DAYS", 7))


def due_on(decided_on: date, is_workday: IsWorkday, days: int | None = None) -> date:
    """The last day to publish: the N-th working day after the decision (default 7)."""
    return add_working_days(decided_on, days or disclosure_days(), is_workday)


def level_of(due: date, today: date) -> str:
    if today > due:
        return "overdue"
    return "due" if (due - today).days <= WARN_DAYS else "open"


@dataclass(frozen=True)
class DueDecision:
    case: PenaltyCase
    number: str
    due_on: date
    level: str  # open, due, overdue


def unpublished(body_ids: Iterable[int]) -> QuerySet[PenaltyCase]:
    """The bodies' decisions not yet published (a withdrawn publication counts as published:
    a revoked decision is not published again). Oldest decision first."""
    return (
        decisions_for_disclosure(body_ids)
        .filter(publication__isnull=True)
        .order_by("decided_on", "pk")
    )


def with_due(cases: Iterable[PenaltyCase], today: date) -> list[DueDecision]:
    """Each case with its last day and level; one workday lookup for all of them."""
    rows = list(cases)
    if not rows:
        return []
    first = min(c.decided_on for c in rows if c.decided_on)
    is_workday = workday_lookup(first, max(today, first) + timedelta(days=60))
    found = []
    for case in rows:
        assert case.decided_on is not None
        due = due_on(case.decided_on, is_workday)
        number = getattr(case, "decision_number", None) or case.number
        found.append(DueDecision(case, number, due, level_of(due, today)))
    return found


def decisions_due(body_ids: Iterable[int], today: date) -> list[DueDecision]:
    """The decisions of the last `LOOKBACK_DAYS` not yet published, with their last day."""
    recent = unpublished(body_ids).filter(decided_on__gte=today - timedelta(days=LOOKBACK_DAYS))
    return with_due(recent, today)


def published(body_id: int, year: int | None = None) -> QuerySet[Publication]:
    """A body's publications as the public sees them: not withdrawn, newest first."""
    rows = Publication.objects.filter(body_id=body_id, withdrawn_on__isnull=True)
    if year:
        rows = rows.filter(decided_on__year=year)
    return rows.order_by("-decided_on", "-id")


def staff_publications(body_ids: Iterable[int]) -> QuerySet[Publication]:
    return Publication.objects.filter(body_id__in=list(body_ids)).select_related(
        "body", "published_by"
    )


def public_bodies() -> QuerySet[EnforcementBody]:
    return EnforcementBody.objects.filter(level="county").order_by("name", "pk")


def plan_summary(body_id: int, year: int) -> dict[str, Any] | None:
    plan = approved_annual_plan(body_id, year)
    if plan is None:
        return None
    sectors = annual_plan_sectors(plan)
    return {"plan": plan, "sectors": sectors, "total": sum(n for _s, n in sectors)}


def _slice(body_id: int, start: date, end: date) -> RecordSlice:
    return RecordSlice(body_ids=(body_id,), start=start, end=end)


def monthly_entries(body_id: int, year: int, today: date) -> list[dict[str, Any]]:
    """Each month of the year up to this month: on-site entries, joint entries and their share,
    entries on quiet days. A fixed number of queries (four a month)."""
    last_month = 12 if year < today.year else today.month if year == today.year else 0
    rows = []
    for month in range(1, last_month + 1):
        start = date(year, month, 1)
        end = date(year, month, calendar.monthrange(year, month)[1])
        rows.append({"month": start, **figures.values(MONTHLY, _slice(body_id, start, end))})
    return rows


def annual_report(body_id: int, year: int) -> list[tuple[str, str, Any]]:
    """(label, unit, value) of the year's enforcement statistics."""
    values = figures.values(ANNUAL, _slice(body_id, date(year, 1, 1), date(year, 12, 31)))
    return [(figures.figure(c).label, figures.figure(c).unit, values[c]) for c in ANNUAL]
