"""Whose turn it is on a penalty case (`domain.next_step.case_next_step`), for the case page and
for each row of a list: the rows need only the case's own columns (no query per row; the fines
are read only on the case page, where they decide whether the case may close)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from anjian.domain.next_step import NextStep, case_next_step
from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.selectors import (
    IsWorkday,
    case_status,
    deadlines_of,
    workdays_around,
)
from anjian.ui.next_steps import NextStepView, present


def step_of(
    case: PenaltyCase, today: date, is_workday: IsWorkday, *, with_fines: bool = True
) -> NextStep:
    status = case_status(case, with_fines=with_fines)
    dues = {d.code: d.due for d in deadlines_of(case, is_workday)}
    return case_next_step(status, dues, today=today, is_workday=is_workday)


def case_next_step_view(case: PenaltyCase, today: date, is_workday: IsWorkday) -> NextStepView:
    """The case page's box."""
    return present(step_of(case, today, is_workday), today, case.enterprise.name)


def case_next_step_views(cases: Iterable[PenaltyCase], today: date) -> dict[int, NextStepView]:
    """case pk -> its next step, for a page of a list (one workday lookup for all)."""
    is_workday = workdays_around(today)
    return {
        case.pk: present(
            step_of(case, today, is_workday, with_fines=False), today, case.enterprise.name
        )
        for case in cases
    }
