"""ISO weeks and the weekly report's deadline; a measure's status (domain/steering)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.steering.measures import measure_state
from anjian.domain.steering.weeks import Deadline, IsoWeek, closes_after, weeks_between

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@given(days)
def test_a_day_lies_in_its_week_which_runs_monday_to_sunday(day: date) -> None:
    week = IsoWeek.of(day)
    assert week.monday <= day <= week.sunday
    assert week.monday.weekday() == 0 and (week.sunday - week.monday).days == 6
    assert IsoWeek.parse(week.code) == week
    assert week.next().previous() == week and week.next().monday == week.sunday + timedelta(1)


@given(days, st.integers(min_value=0, max_value=400))
def test_weeks_between_cover_every_day_once_and_in_order(first: date, span: int) -> None:
    last = first + timedelta(days=span)
    weeks = list(weeks_between(first, last))
    assert weeks == sorted(set(weeks))
    assert weeks[0] == IsoWeek.of(first) and weeks[-1] == IsoWeek.of(last)
    assert all(b == a.next() for a, b in pairwise(weeks))


@given(days, st.integers(min_value=0, max_value=6), st.integers(min_value=-3000, max_value=3000))
def test_late_exactly_when_after_the_due_moment(day: date, weekday: int, minutes: int) -> None:
    deadline = Deadline(weekday, time(17, 0))
    week = IsoWeek.of(day)
    submitted = deadline.due(week) + timedelta(minutes=minutes)
    assert deadline.is_late(week, submitted) == (minutes > 0)


def test_week_53_exists_only_in_long_years_and_bad_codes_are_refused() -> None:
    assert IsoWeek(2026, 53).monday == date(2026, 12, 28)
    with pytest.raises(ValueError, match="没有第 53 周"):
        IsoWeek(2025, 53)
    with pytest.raises(ValueError, match="2026-W07"):
        IsoWeek.parse("2026-7")
    assert closes_after(IsoWeek(2026, 47), 3) == date(2026, 11, 25)
    assert Deadline().due(IsoWeek(2026, 47)) == datetime(2026, 11, 20, 17, 0)


TODAY = date(2026, 9, 1)


@pytest.mark.parametrize(
    ("started", "done_on", "deadline", "evidence", "status", "late"),
    [
        (False, None, None, 0, "not_started", False),
        (True, None, None, 0, "in_progress", False),
        (False, None, None, 2, "in_progress", False),
        (False, None, date(2026, 8, 31), 1, "overdue", True),
        (True, date(2026, 4, 28), date(2026, 4, 30), 1, "done", False),
        (True, date(2026, 7, 15), date(2026, 6, 30), 0, "done", True),
        (False, None, date(2026, 9, 1), 0, "not_started", False),  # due today: not yet overdue
    ],
)
def test_measure_state(started, done_on, deadline, evidence, status, late) -> None:  # type: ignore[no-untyped-def]
    state = measure_state(
        started=started, done_on=done_on, deadline=deadline, evidence_count=evidence, today=TODAY
    )
    assert (state.status, state.late) == (status, late)
    assert state.reason
