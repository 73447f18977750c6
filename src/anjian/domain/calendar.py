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


FIXED_DATE_HOLIDAYS: dict[tuple[int, int], str] = {
    (1, 1): "元旦",
    (5, 1): "劳动节",
    (5, 2): "劳动节",
    (10, 1): "国庆节",
    (10, 2): "国庆节",
    (10, 3): "国庆节",
}
"""Holidays on fixed Gregorian dates, the same every year: 《全国年节及纪念日放假办法》 as revised
by 国务院令第795号 (in force from 2025-01-01): 元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October.
The lunar holidays (春节, 清明, 端午, 中秋) and the make-up workdays (调休) move every year and
come only from the State Council's yearly notice."""

FIXED_DATE_HOLIDAYS_BASIS = "《全国年节及纪念日放假办法》（国务院令第795号修订，2025年1月1日施行）"


def fixed_date_holiday(day: date) -> str | None:
    """The name of the fixed-date statutory holiday on `day`, or None."""
    return FIXED_DATE_HOLIDAYS.get((day.month, day.day))


def fallback_is_workday(day: date) -> bool:
    """Working day in a year whose holiday notice is not known: Monday to Friday, except the
    fixed-date holidays. The lunar holidays and make-up days must be entered by hand."""
    return day.weekday() < 5 and fixed_date_holiday(day) is None
