"""Whose turn it is (`domain.next_step`): the actor, the action and the due day for each state
of a case, a task, a finding and a quiet-period exception."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from anjian.domain.discretion.procedure import CaseStatus
from anjian.domain.next_step import (
    NextStep,
    case_next_step,
    exception_next_step,
    hazard_next_step,
    task_next_step,
    waits_for_head,
)

FILED = date(2025, 3, 3)  # a Monday
TODAY = date(2025, 3, 17)
DUES = {
    "DECISION": FILED + timedelta(days=90),
    "DEFENCE": date(2025, 3, 6),
    "HEARING_REQUEST": date(2025, 3, 10),
    "DELIVERY": date(2025, 3, 26),
    "PAYMENT": date(2025, 4, 2),
}


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def status(state: str, **kw: object) -> CaseStatus:
    fields: dict[str, object] = {
        "state": state,
        "review_required": False,
        "review_approved": False,
        "hearing_right": False,
        "hearing_requested": False,
        "hearing_held": False,
        "collective_required": False,
        "collective_done": False,
        "defence_closed": False,
        "penalty": True,
        "notified_on": None,
    }
    fields.update(kw)
    return CaseStatus(**fields)  # type: ignore[arg-type]


def step(case: CaseStatus, today: date = TODAY) -> NextStep:
    return case_next_step(case, DUES, today=today, is_workday=weekdays)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (status("filed"), NextStep("handler", "propose", DUES["DECISION"])),
        (status("proposed"), NextStep("handler", "notify", DUES["DECISION"])),
        (
            status("proposed", review_required=True),
            NextStep("handler", "submit_review", DUES["DECISION"]),
        ),
        (
            status("reviewing", review_required=True),
            NextStep("legal_office", "review", DUES["DECISION"]),
        ),
        (
            status("reviewed", review_required=True, review_approved=True),
            NextStep("handler", "notify", DUES["DECISION"]),
        ),
        # reviewed, but a major decision: the head's collective discussion comes first
        (
            status(
                "reviewed", review_required=True, review_approved=True, collective_required=True
            ),
            NextStep("bureau_head", "collective", DUES["DECISION"]),
        ),
        (
            status("notified", defence_closed=True, notified_on=FILED),
            NextStep("bureau_head", "decide", DUES["DECISION"]),
        ),
        (
            status("hearing", hearing_right=True, hearing_requested=True),
            NextStep("handler", "hold_hearing", DUES["DECISION"]),
        ),
        (status("decided"), NextStep("handler", "deliver", DUES["DELIVERY"])),
        (status("delivered"), NextStep("enterprise", "pay", DUES["PAYMENT"])),
        (status("delivered", unsettled=()), NextStep("handler", "close")),
        (status("delivered", penalty=False), NextStep("handler", "close")),
        (status("paid"), NextStep("handler", "close")),
        (status("closed"), NextStep("", "closed")),
        (status("dropped"), NextStep("", "dropped")),
    ],
)
def test_each_case_state_names_who_acts(case: CaseStatus, expected: NextStep) -> None:
    assert step(case) == expected


def test_the_party_acts_while_its_window_is_open() -> None:
    notified = status("notified", notified_on=FILED)
    assert step(notified, FILED) == NextStep("enterprise", "defence", DUES["DEFENCE"])
    heard = replace(notified, hearing_right=True)
    assert step(heard, FILED) == NextStep(
        "enterprise", "defence_or_hearing", DUES["HEARING_REQUEST"]
    )
    # the window over (Mon 10th was the last day): the head decides
    assert step(heard, date(2025, 3, 11)) == NextStep("bureau_head", "decide", DUES["DECISION"])
    assert waits_for_head(heard, today=date(2025, 3, 11), is_workday=weekdays)
    assert not waits_for_head(heard, today=FILED, is_workday=weekdays)


def test_tasks_findings_and_exceptions() -> None:
    day = date(2025, 3, 20)
    assert task_next_step(status="pending", day=day) == NextStep("bureau_head", "approve_task", day)
    assert task_next_step(status="approved", day=day) == NextStep("handler", "check_in", day)
    assert task_next_step(status="in_progress", day=day) == NextStep("handler", "finish", day)
    assert task_next_step(status="done", day=day, review="pending") == NextStep(
        "bureau_head", "review_unplanned"
    )
    fix_by = date(2025, 3, 28)
    assert task_next_step(status="done", day=day, open_deadline=fix_by) == NextStep(
        "enterprise", "rectify", fix_by
    )
    assert task_next_step(status="done", day=day, reported=True).actor == "handler"
    assert task_next_step(status="done", day=day).done
    assert task_next_step(status="refused", day=day).done
    assert hazard_next_step(status="open", deadline=fix_by) == NextStep(
        "enterprise", "rectify", fix_by
    )
    assert hazard_next_step(status="reported", deadline=fix_by) == NextStep("handler", "check_fix")
    assert hazard_next_step(status="closed", deadline=fix_by).done
    pending = exception_next_step(status="pending", day=day, timing="prior", today=TODAY)
    assert pending == NextStep("bureau_head", "decide_exception", day)
    backfill = exception_next_step(status="pending", day=day, timing="backfill", today=TODAY)
    assert backfill == NextStep("bureau_head", "decide_exception", None)
    approved = exception_next_step(status="approved", day=day, timing="prior", today=TODAY)
    assert approved == NextStep("requester", "enter", day)
    assert exception_next_step(
        status="approved", day=day, timing="prior", today=day + timedelta(1)
    ).done
    assert NextStep("handler", "x", day).days_left(TODAY) == 3
