"""Whose turn it is: for a case, an inspection task, a finding to rectify and a quiet-period
exception, who acts next (a role, or the enterprise), what they must do, and by when.

Pure functions over the records' facts. Each returns a `NextStep` of codes: the actor (a role
code of `accounts.roles`, or "handler" for the officers handling the record, "enterprise" for the
party) and the action (an event code); the pages translate them (`ui.next_steps`). The due day
is a deadline the records hold: the procedure's deadlines of the case, the rectification
deadline, the inspection day, the day of the entry an exception asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from anjian.domain.discretion.procedure import CaseStatus, event_refusals

HEAD = "bureau_head"
LEGAL = "legal_office"
HANDLER = "handler"  # the officers handling the case or the inspection
ENTERPRISE = "enterprise"  # the party: the enterprise inspected or penalised
REQUESTER = "requester"  # the section that asked for the exception


@dataclass(frozen=True)
class NextStep:
    actor: str  # "" when nothing is left to do
    action: str
    due: date | None = None

    @property
    def done(self) -> bool:
        return not self.actor

    def days_left(self, today: date) -> int | None:
        return None if self.due is None else (self.due - today).days


def _finished(action: str) -> NextStep:
    return NextStep("", action)


# ---- penalty cases ----------------------------------------------------------------------


def waits_for_head(status: CaseStatus, *, today: date, is_workday: Callable[[date], bool]) -> bool:
    """The head may decide now, or must first hold the collective discussion the case needs
    (after the legal review it needs)."""
    if status.state not in {"proposed", "reviewed", "notified", "hearing"}:
        return False
    if not event_refusals(status, "decide", today=today, is_workday=is_workday):
        return True
    reviewed = status.review_approved or not status.review_required
    return status.collective_required and not status.collective_done and reviewed


def _party_window(status: CaseStatus, dues: Mapping[str, date]) -> NextStep | None:
    """While the party may still state its defence (or ask for a hearing)."""
    if status.state != "notified" or status.defence_closed:
        return None
    if status.hearing_right and "HEARING_REQUEST" in dues:
        return NextStep(ENTERPRISE, "defence_or_hearing", dues["HEARING_REQUEST"])
    return NextStep(ENTERPRISE, "defence", dues.get("DEFENCE"))


def case_next_step(
    status: CaseStatus,
    dues: Mapping[str, date],
    *,
    today: date,
    is_workday: Callable[[date], bool],
) -> NextStep:
    """`dues`: deadline code -> due day (`deadlines.case_deadlines`)."""
    state = status.state
    if state in ("closed", "dropped"):
        return _finished(state)
    decision_due = dues.get("DECISION")
    if state == "filed":
        return NextStep(HANDLER, "propose", decision_due)
    if state == "reviewing":
        return NextStep(LEGAL, "review", decision_due)
    if state == "decided":
        return NextStep(HANDLER, "deliver", dues.get("DELIVERY"))
    if state == "delivered":
        if status.penalty and (status.unsettled is None or status.unsettled):
            return NextStep(ENTERPRISE, "pay", dues.get("PAYMENT"))
        return NextStep(HANDLER, "close")
    if state == "paid":
        return NextStep(HANDLER, "close")
    return _before_decision(status, dues, today=today, is_workday=is_workday)


def _before_decision(
    status: CaseStatus,
    dues: Mapping[str, date],
    *,
    today: date,
    is_workday: Callable[[date], bool],
) -> NextStep:
    decision_due = dues.get("DECISION")
    if waits_for_head(status, today=today, is_workday=is_workday):
        if status.collective_required and not status.collective_done:
            return NextStep(HEAD, "collective", decision_due)
        return NextStep(HEAD, "decide", decision_due)

    def may(event: str) -> bool:
        return not event_refusals(status, event, today=today, is_workday=is_workday)

    if status.state == "hearing":
        action = "hold_hearing" if may("hold_hearing") else "submit_review"
        return NextStep(HANDLER, action, decision_due)
    party = _party_window(status, dues)
    if party is not None:
        return party
    if may("notify"):
        return NextStep(HANDLER, "notify", decision_due)
    if may("submit_review"):
        return NextStep(HANDLER, "submit_review", decision_due)
    return NextStep(HANDLER, "propose", decision_due)


# ---- inspection tasks -------------------------------------------------------------------


def task_next_step(
    *,
    status: str,
    day: date,
    review: str = "",
    open_deadline: date | None = None,
    reported: bool = False,
) -> NextStep:
    """An inspection task (`InspectionTask.Status` codes). `open_deadline`: the earliest deadline
    of its findings still to rectify; `reported`: a finding the enterprise reported fixed waits
    for the officers' check."""
    if status == "pending":
        return NextStep(HEAD, "approve_task", day)
    if status == "approved":
        return NextStep(HANDLER, "check_in", day)
    if status == "in_progress":
        return NextStep(HANDLER, "finish", day)
    if status != "done":
        return _finished(status)
    if review == "pending":
        return NextStep(HEAD, "review_unplanned")
    if reported:
        return NextStep(HANDLER, "check_fix")
    if open_deadline is not None:
        return NextStep(ENTERPRISE, "rectify", open_deadline)
    return _finished("done")


# ---- findings to rectify (责令限期整改) -------------------------------------------------------


def hazard_next_step(*, status: str, deadline: date | None) -> NextStep:
    """A finding (`Hazard.Status` codes): the enterprise fixes it by the deadline of the order,
    then the officers check the fix (复查) and close it."""
    if status == "open":
        return NextStep(ENTERPRISE, "rectify", deadline)
    if status == "reported":
        return NextStep(HANDLER, "check_fix")
    return _finished(status)


# ---- quiet-period exceptions ------------------------------------------------------------


def exception_next_step(*, status: str, day: date, timing: str, today: date) -> NextStep:
    """A quiet-period exception (`QuietException.Status` codes): the head decides before the
    entry day (a backfill, after it: no day to keep); once approved, the section enters on it."""
    if status == "pending":
        return NextStep(HEAD, "decide_exception", day if timing == "prior" else None)
    if status == "approved" and day >= today:
        return NextStep(REQUESTER, "enter", day)
    return _finished(status)
