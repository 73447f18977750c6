"""Counting working days: properties over made-up calendars, and real dates from the
`chinese_calendar` package."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.calendar import MAX_GAP_DAYS, add_working_days, working_days_between

starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
counts = st.integers(min_value=1, max_value=80)
# a made-up calendar: Monday to Friday, minus some holidays, plus some make-up weekend days
changes = st.dictionaries(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2041, 12, 31)), st.booleans(), max_size=60
)


def calendar_of(changed: dict[date, bool]) -> Callable[[date], bool]:
    def is_workday(day: date) -> bool:
        return changed.get(day, day.weekday() < 5)

    return is_workday


def real(day: date) -> bool:
    return bool(chinese_calendar.is_workday(day))


@given(starts, counts, changes)
def test_the_result_is_the_nth_working_day_after_the_start(
    start: date, n: int, changed: dict[date, bool]
) -> None:
    is_workday = calendar_of(changed)
    result = add_working_days(start, n, is_workday)
    assert result > start
    assert is_workday(result)
    assert working_days_between(start, result, is_workday) == n
    assert working_days_between(start, result - timedelta(days=1), is_workday) == n - 1


@given(starts, counts, changes)
def test_more_working_days_give_a_later_deadline(
    start: date, n: int, changed: dict[date, bool]
) -> None:
    is_workday = calendar_of(changed)
    assert add_working_days(start, n + 1, is_workday) > add_working_days(start, n, is_workday)


@given(starts, st.integers(min_value=0, max_value=400), changes)
def test_counting_between_is_additive(start: date, span: int, changed: dict[date, bool]) -> None:
    is_workday = calendar_of(changed)
    middle, end = start + timedelta(days=span // 2), start + timedelta(days=span)
    total = working_days_between(start, end, is_workday)
    assert total == working_days_between(start, middle, is_workday) + working_days_between(
        middle, end, is_workday
    )
    assert working_days_between(end, start, is_workday) == 0


# the package knows 2004–2026: the 80th working day after 2026-09-06 is the last one of 2026
@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 9, 6)), counts)
def test_real_calendar_properties(start: date, n: int) -> None:
    result = add_working_days(start, n, real)
    assert real(result) and working_days_between(start, result, real) == n


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 9, 30), 1, date(2025, 10, 9)),  # National Day and Mid-autumn, 10-01..10-08
        (date(2025, 9, 30), 3, date(2025, 10, 11)),  # Saturday 10-11 is a make-up workday
        (date(2025, 9, 30), 4, date(2025, 10, 13)),
        (date(2025, 9, 30), 10, date(2025, 10, 21)),
        (date(2025, 9, 26), 1, date(2025, 9, 28)),  # Sunday 09-28 is a make-up workday
        (date(2026, 2, 13), 2, date(2026, 2, 24)),  # 02-14 make-up Saturday, then Spring Festival
        (date(2025, 10, 10), 1, date(2025, 10, 11)),
        (date(2025, 10, 11), 1, date(2025, 10, 13)),
    ],
)
def test_deadlines_over_chinese_holidays(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n, real) == expected
    assert working_days_between(start, expected, real) == n


def test_the_real_calendar_agrees_with_the_cases_above() -> None:
    # guards the hand-written cases: they must describe what the package really says
    assert not real(date(2025, 10, 1)) and not real(date(2025, 10, 8))
    assert real(date(2025, 10, 11)) and real(date(2025, 9, 28)) and real(date(2026, 2, 14))
    assert not real(date(2026, 2, 23))


def test_a_start_on_a_holiday_counts_from_the_next_working_day() -> None:
    assert add_working_days(date(2025, 10, 3), 1, real) == date(2025, 10, 9)


def test_fewer_than_one_working_day_is_refused() -> None:
    for n in (0, -1):
        with pytest.raises(ValueError, match="至少为 1"):
            add_working_days(date(2025, 1, 1), n, real)


def test_a_calendar_without_working_days_gives_up() -> None:
    seen: list[date] = []

    def never(day: date) -> bool:
        seen.append(day)
        return False

    with pytest.raises(ValueError, match="没有工作日"):
        add_working_days(date(2025, 1, 1), 1, never)
    assert len(seen) == MAX_GAP_DAYS


def test_running_off_the_end_of_the_calendar_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="超出"):
        add_working_days(date.max - timedelta(days=3), 5, lambda day: True)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2199, 12, 31)))
def test_the_fallback_never_works_on_a_fixed_date_holiday_or_a_weekend(day: date) -> None:
    """In a year the holiday package does not know, 元旦 (1 January), 劳动节 (1–2 May) and
    国庆节 (1–3 October) are still days off; every other weekday works, no weekend does."""
    from anjian.domain.calendar import fallback_is_workday, fixed_date_holiday

    fixed = (day.month, day.day) in {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}
    assert (fixed_date_holiday(day) is not None) == fixed
    assert fallback_is_workday(day) == (day.weekday() < 5 and not fixed)


@given(st.integers(min_value=2000, max_value=2199))
def test_the_fixed_holidays_are_off_in_every_year(year: int) -> None:
    from anjian.domain.calendar import fallback_is_workday

    for month, day in ((1, 1), (5, 1), (10, 1), (10, 2), (10, 3)):
        assert not fallback_is_workday(date(year, month, day))
