"""The home page's penalty figures for a user: proposals waiting for the legal review or for the
head's decision, and open cases with a deadline overdue or due soon. At province scale only the
open cases that can warn today are read (`may_warn`), and of them only the procedure's columns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from anjian.accounts.models import User
from anjian.domain.discretion.deadlines import (
    DECISION_DAYS,
    HEARING_REQUEST_WORKING_DAYS,
    PAYMENT_DAYS,
)
from anjian.domain.next_step import waits_for_head
from anjian.enforcement.access import visible_cases
from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.selectors import (
    OPEN_STATES,
    IsWorkday,
    case_status,
    warnings_of,
    workdays_around,
)


@dataclass(frozen=True)
class CaseWarnings:
    reviews: int = 0  # legal office: proposals waiting for review
    decisions: int = 0  # head: cases waiting for collective discussion or a decision
    overdue: int = 0  # handlers: cases with a deadline passed
    due_soon: int = 0  # handlers: cases with a deadline within ten days
    decisions_due: date | None = None  # the nearest 90-day decision deadline of those waiting

    @property
    def any(self) -> bool:
        return bool(self.reviews or self.decisions or self.overdue or self.due_soon)


def _waits_for_head(case: PenaltyCase, today: date, is_workday: IsWorkday) -> bool:
    return waits_for_head(case_status(case), today=today, is_workday=is_workday)


def may_warn(today: date, soon_days: int = 10) -> Q:
    """Open cases that can have a deadline overdue or due within `soon_days` today: a superset
    the database picks out so that only those are checked one by one (a province has thousands
    of open cases, most far from any deadline). Each bound follows a deadline of
    `domain.discretion.deadlines`, with a working-day period taken as at least its number of
    calendar days and at most three times it (holidays):

    - the 90-day decision period, in every state before the decision;
    - the party's defence and hearing windows after a notice (they warn only until they end);
    - delivery within 7 working days of the decision (a decided case always qualifies);
    - payment within 15 days of delivery."""
    horizon = today + timedelta(days=soon_days)
    return (
        Q(filed_on__lte=horizon - timedelta(days=DECISION_DAYS))
        | Q(
            state="notified",
            notified_on__gte=today - timedelta(days=3 * HEARING_REQUEST_WORKING_DAYS),
        )
        | Q(state="decided")
        | Q(state="delivered", delivered_on__lte=horizon - timedelta(days=PAYMENT_DAYS))
    )


# what the home page reads of each open case: the procedure's facts (case_status) and its dates
PROCEDURE_FIELDS = (
    "state",
    "filed_on",
    "notified_on",
    "decided_on",
    "delivered_on",
    "review_required",
    "review_approved",
    "hearing_right",
    "hearing_requested",
    "hearing_held",
    "collective_required",
    "collective_done",
    "defence_closed",
    "reviewed_after_hearing",
    "no_penalty",
    "proposed_unit_fine",
    "proposed_person_fine",
    "decided_unit_fine",
    "decided_person_fine",
)


def case_warnings_for(user: User, today: date) -> CaseWarnings:
    """The home page's counts for this user's role."""
    cases = visible_cases(user).filter(state__in=OPEN_STATES)
    reviews = cases.filter(state="reviewing").count() if user.can("penalty.review") else 0
    facts = cases.select_related(None).only(*PROCEDURE_FIELDS)
    is_workday = workdays_around(today)
    decisions = overdue = due_soon = 0
    decisions_due = None
    if user.can("penalty.decide"):
        waiting = facts.filter(
            state__in=("proposed", "reviewed", "notified", "hearing")
        ).prefetch_related("fines")
        found = [c.filed_on for c in waiting if _waits_for_head(c, today, is_workday)]
        decisions = len(found)
        decisions_due = min(found) + timedelta(days=DECISION_DAYS) if found else None
    if user.can("penalty.handle"):
        for case in facts.filter(may_warn(today)):
            levels = {w.level for w in warnings_of(case, today, is_workday)}
            overdue += "overdue" in levels
            due_soon += "overdue" not in levels and "due_soon" in levels
    return CaseWarnings(reviews, decisions, overdue, due_soon, decisions_due)


def cases_may_warn(today: date) -> QuerySet[PenaltyCase]:
    """Every body's open cases that can warn today (`may_warn`), with the procedure's columns
    and what a reminder names: the daily reminders pass each to `warnings_of`."""
    return (
        PenaltyCase.objects.filter(state__in=OPEN_STATES)
        .filter(may_warn(today))
        .select_related("enterprise")
        .only(*PROCEDURE_FIELDS, "number", "title", "section_id", "enterprise__name")
    )
