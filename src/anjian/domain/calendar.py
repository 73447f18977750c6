"""Counting working days (工作日) over a calendar supplied by the caller.

A rectification order's deadline "within N working days" (N 个工作日内) is the N-th working day
after the day the order is issued, that day itself not counted. Which days are working days
(statutory holidays, 调休 make-up workdays) is not decided here: the caller passes `is_workday`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

MAX_GAP_DAYS = 3660
"""Give up after this many days in a row without a working day: the calendar is broken."""

ONE_DAY = timedelta(days=1)


def _next_day(day: date) -> date:
    try:
        return day + ONE_DAY
    except OverflowError as exc:
        raise ValueError("日期超出可计算范围") from exc


def add_working_days(start: date, n: int, is_workday: Callable[[date], bool]) -> date:
    """The n-th working day after `start` (n >= 1; `start` itself is not counted)."""
    if n < 1:
        raise ValueError(f"工作日数必须至少为 1，收到 {n}")
    day = start
    found = 0
    gap = 0
    while found < n:
        day = _next_day(day)
        if is_workday(day):
            found += 1
            gap = 0
        else:
            gap += 1
            if gap >= MAX_GAP_DAYS:
                raise ValueError(f"{start} 之后连续 {MAX_GAP_DAYS} 天没有工作日，请检查工作日历")
    return day


def working_days_between(start: date, end: date, is_workday: Callable[[date], bool]) -> int:
    """How many working days fall in (start, end]; 0 when `end` is not after `start`."""
    count = 0
    day = start
    while day < end:
        day = day + ONE_DAY
        if is_workday(day):
            count += 1
    return count
