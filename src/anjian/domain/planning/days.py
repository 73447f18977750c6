"""Which days of the month a visit may take place on."""

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


def allowed_days(plan: PlanInput, visit: Visit, workdays: list[date]) -> list[date]:
    """Working days in the visit's window, quiet days only for exempt activities, and for a mine
    with supervisor days, enforcement only on those days when any lies in the window."""
    days = [
        d
        for d in workdays
        if visit.earliest <= d <= visit.latest
        and (d not in plan.quiet_days or visit.activity in plan.quiet_exempt)
    ]
    firm = plan.enterprises[visit.enterprise]
    if visit.activity in plan.cap_activities and firm.supervisor_days:
        on_patrol = [d for d in days if d in firm.supervisor_days]
        if on_patrol:
            return on_patrol
    return days
