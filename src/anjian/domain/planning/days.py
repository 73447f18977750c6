"""Which days of the month a visit may take place on, and, when there is none or no team for
them, which real cause left it out (the window outside the month, only weekends and holidays,
days already past, the quiet period, no officers of the section, officers all taken)."""

from __future__ import annotations

import calendar
from datetime import date

from anjian.domain.planning.model import PlanInput, Visit


def working_days(plan: PlanInput) -> list[date]:
    last = calendar.monthrange(plan.year, plan.month)[1]
    days = [date(plan.year, plan.month, d) for d in range(1, last + 1)]
    return [
        d
        for d in days
        if d not in plan.non_working_days and not (plan.weekends_off and d.weekday() >= 5)
    ]


def _open_to(plan: PlanInput, visit: Visit, day: date) -> bool:
    return day not in plan.quiet_days or visit.activity in plan.quiet_exempt


def allowed_days(plan: PlanInput, visit: Visit, workdays: list[date]) -> list[date]:
    """Working days in the visit's window (not before `first_day`), quiet days only for exempt
    activities, and for a mine with supervisor days, enforcement only on those days when any
    lies in the window."""
    days = [
        d
        for d in workdays
        if visit.earliest <= d <= visit.latest
        and (plan.first_day is None or d >= plan.first_day)
        and _open_to(plan, visit, d)
    ]
    firm = plan.enterprises[visit.enterprise]
    if visit.activity in plan.cap_activities and firm.supervisor_days:
        on_patrol = [d for d in days if d in firm.supervisor_days]
        if on_patrol:
            return on_patrol
    return days


def empty_window_cause(plan: PlanInput, visit: Visit, workdays: list[date]) -> str:
    """Why a visit has no allowed day: OUTSIDE (no day of the window in the month), HOLIDAY
    (only weekends and holidays), PAST (its working days are before `first_day`), QUIET (its
    working days all lie in the quiet period and the activity is not exempt)."""
    last = calendar.monthrange(plan.year, plan.month)[1]
    first_of, last_of = date(plan.year, plan.month, 1), date(plan.year, plan.month, last)
    if visit.latest < first_of or visit.earliest > last_of or visit.latest < visit.earliest:
        return "OUTSIDE"
    working = [d for d in workdays if visit.earliest <= d <= visit.latest]
    if not working:
        return "HOLIDAY"
    if plan.first_day is not None:
        working = [d for d in working if d >= plan.first_day]
        if not working:
            return "PAST"
    if not any(_open_to(plan, visit, d) for d in working):
        return "QUIET"
    return "WINDOW"


def shortage_cause(plan: PlanInput, visit: Visit, allowed: list[date]) -> str:
    """Why a visit with allowed days got no team: NO_OFFICERS (the section has no officer at
    all), OFFICERS_BUSY (none of them is free on any allowed day), CAPACITY (they were free but
    taken by the month's other entries)."""
    mine = [o for o in plan.officers if o.section == visit.section]
    if not mine:
        return "NO_OFFICERS"
    if not any(day not in o.unavailable for o in mine for day in allowed):
        return "OFFICERS_BUSY"
    return "CAPACITY"
