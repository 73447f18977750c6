"""Working days in China for planning: statutory holidays and make-up workdays (调休) from
`chinesecalendar` for the years it knows; for a later year, Monday to Friday, and the plan says
so, so the office checks the holidays by hand."""

from __future__ import annotations

import calendar
from datetime import date

import chinese_calendar


def calendar_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:  # the package ships one table per year it knows
        return False
    return True


def is_workday(day: date) -> bool:
    if not calendar_covers(day.year):
        return day.weekday() < 5
    return bool(chinese_calendar.is_workday(day))


def uncovered_note(year: int) -> str:
    return f"节假日数据未覆盖 {year} 年：工作日按周一至周五计算，请核对法定节假日和调休"


def month_days(month: date) -> list[date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return [month.replace(day=d) for d in range(1, last + 1)]
