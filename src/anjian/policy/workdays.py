"""Working days in China: the office's own table (`WorkdayOverride`) first, then statutory
holidays and make-up workdays (调休) from `chinesecalendar` for the years it knows, and for any
other year Monday to Friday less the fixed-date holidays (元旦, 劳动节, 国庆节; the lunar holidays
and make-up days move every year): the plan, the workday page and the office's home page say so,
so that the office enters that year's days from the State Council's notice. Nothing raises for a
year the package does not know.

`is_workday` asks the database once per call; code that walks many days uses
`workday_lookup(first, last)`, which reads the overrides of the whole span in one query."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from typing import Any

import chinese_calendar
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from anjian.domain.calendar import (
    FIXED_DATE_HOLIDAYS,
    add_working_days,
    fallback_is_workday,
    fixed_date_holiday,
)
from anjian.policy.models import WorkdayOverride

LOOKAHEAD_DAYS = 366


@cache
def calendar_covers(year: int) -> bool:
    """Whether the installed `chinesecalendar` package knows this year's holidays."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:  # the package ships one table per year it knows
        return False
    return True


def calendar_is_workday(day: date) -> bool:
    """The package's answer, ignoring overrides; for a year it does not know, Monday to Friday
    less the fixed-date holidays."""
    if not calendar_covers(day.year):
        return fallback_is_workday(day)
    return bool(chinese_calendar.is_workday(day))


def is_workday(day: date) -> bool:
    override = WorkdayOverride.objects.filter(date=day).values_list("is_workday", flat=True).first()
    return calendar_is_workday(day) if override is None else bool(override)


def _overrides(first: date, last: date) -> dict[date, bool]:
    rows = WorkdayOverride.objects.filter(date__range=(first, last))
    return dict(rows.values_list("date", "is_workday"))


class WorkdayLookup:
    """`is_workday` over a span whose overrides are read in one query; a day outside the span
    widens it by another query (a year at a time), never one query per day."""

    def __init__(self, first: date, last: date) -> None:
        self.first, self.last = first, last
        self.overrides = _overrides(first, last)

    def _widen(self, day: date) -> None:
        if day > self.last:
            last = max(day, self.last + timedelta(days=LOOKAHEAD_DAYS))
            self.overrides.update(_overrides(self.last + timedelta(days=1), last))
            self.last = last
        elif day < self.first:
            first = min(day, self.first - timedelta(days=LOOKAHEAD_DAYS))
            self.overrides.update(_overrides(first, self.first - timedelta(days=1)))
            self.first = first

    def __call__(self, day: date) -> bool:
        if not self.first <= day <= self.last:
            self._widen(day)
        found = self.overrides.get(day)
        return calendar_is_workday(day) if found is None else found


def workday_lookup(first: date, last: date) -> Callable[[date], bool]:
    return WorkdayLookup(first, last)


def deadline_after(start: date, working_days: int) -> date:
    """The `working_days`-th working day after `start` (a deadline "within N working days")."""
    # about 7 calendar days per 5 working days, plus room for the Spring Festival
    span = start + timedelta(days=working_days * 7 // 5 + 30)
    return add_working_days(start, working_days, WorkdayLookup(start, span))


def month_days(month: date) -> list[date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return [month.replace(day=d) for d in range(1, last + 1)]


def uncovered_note(year: int) -> str:
    """What a page says of a year the holiday package does not know, in the reader's language."""
    count = WorkdayOverride.objects.filter(date__year=year).count()
    if count:
        return _(
            "节假日数据未覆盖 %(year)s 年：已按办公室录入的 %(count)s 个节假日和调休日计算，"
            "其余日期按周一至周五计算（元旦、劳动节、国庆节固定放假）"
        ) % {"year": year, "count": count}
    return _(
        "节假日数据未覆盖 %(year)s 年：工作日暂按周一至周五计算（元旦、劳动节、国庆节固定放假），"
        "春节、清明、端午、中秋假期和调休尚未录入，请办公室按国务院办公厅放假通知录入本年工作日表"
    ) % {"year": year}


def package_days(year: int) -> list[dict[str, Any]]:
    """The days of a year on which the calendar departs from Monday to Friday: holidays on
    weekdays and make-up workdays at weekends, each with its festival's Chinese name. For a year
    the package does not know, only the fixed-date holidays that fall on weekdays."""
    if not calendar_covers(year):
        return [
            {"date": day, "is_workday": False, "note": fixed_date_holiday(day)}
            for day in (date(year, m, d) for m, d in sorted(FIXED_DATE_HOLIDAYS))
            if day.weekday() < 5
        ]
    found = []
    day = date(year, 1, 1)
    while day.year == year:
        workday = calendar_is_workday(day)
        if workday != (day.weekday() < 5):
            _on_holiday, name = chinese_calendar.get_holiday_detail(day)
            found.append({"date": day, "is_workday": workday, "note": _festival(name)})
        day += timedelta(days=1)
    return found


def _festival(name: str | None) -> str:
    for holiday in chinese_calendar.Holiday:
        if holiday.value == name:
            return str(holiday.chinese)
    return name or ""


def year_overrides(year: int) -> QuerySet[WorkdayOverride]:
    return WorkdayOverride.objects.filter(date__year=year).select_related("created_by")


def year_status(year: int) -> dict[str, Any]:
    """Whether the package covers the year, and how many days the office has entered for it."""
    counts = WorkdayOverride.objects.filter(date__year=year).aggregate(
        holidays=Count("pk", filter=Q(is_workday=False)),
        workdays=Count("pk", filter=Q(is_workday=True)),
    )
    covered = calendar_covers(year)
    return {
        "year": year,
        "covered": covered,
        "overrides": counts["holidays"] + counts["workdays"],
        "holidays": counts["holidays"],
        "workdays": counts["workdays"],
        "note": None if covered else uncovered_note(year),
    }


CALENDAR_WARNING_LEAD_DAYS = 92
"""From this many days before a year begins, the office is warned that its holidays are missing."""


def calendar_warnings(today: date) -> list[dict[str, Any]]:
    """The years (this one, and the next within the lead time) that the holiday package does not
    know and for which the office has entered no holiday yet, each with its note."""
    years = {today.year, (today + timedelta(days=CALENDAR_WARNING_LEAD_DAYS)).year}
    found = []
    for year in sorted(years):
        if calendar_covers(year):
            continue
        entered = WorkdayOverride.objects.filter(date__year=year, is_workday=False).exists()
        if not entered:
            found.append({"year": year, "note": uncovered_note(year)})
    return found
