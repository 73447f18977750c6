"""A fast valid plan: per enterprise, a piercing sweep that opens a day at the latest allowed day
of the first visit not yet covered and puts every visit it can on days already opened. It is the
solver's warm start and the answer when the solver finds nothing better in time."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from anjian.domain.planning.capacity import Capacity
from anjian.domain.planning.model import PlanInput, Visit


@dataclass
class Placement:
    on_site: dict[str, date] = field(default_factory=dict)  # visit id -> day
    remote: dict[str, date] = field(default_factory=dict)
    unscheduled: dict[str, str] = field(default_factory=dict)  # visit id -> reason


@dataclass
class _Firm:
    days: dict[date, set[str]] = field(default_factory=dict)  # day -> sections present
    counting: set[date] = field(default_factory=set)


def greedy_plan(plan: PlanInput, allowed: dict[str, list[date]], capacity: Capacity) -> Placement:
    result = Placement()
    by_firm: dict[str, list[Visit]] = defaultdict(list)
    for visit in plan.visits:
        by_firm[visit.enterprise].append(visit)
    for firm_id in sorted(by_firm):
        visits = sorted(by_firm[firm_id], key=lambda v: (v.remote_ok, _last(allowed[v.id]), v.id))
        state = _Firm()
        for visit in visits:
            _place(plan, visit, allowed[visit.id], state, capacity, result)
    return result


def _last(days: list[date]) -> date:
    return days[-1] if days else date.min


def _place(
    plan: PlanInput,
    visit: Visit,
    days: list[date],
    state: _Firm,
    capacity: Capacity,
    result: Placement,
) -> None:
    counts = visit.activity in plan.cap_activities
    cap = plan.enterprises[visit.enterprise].remaining_cap
    joined, cap_blocked = _join(visit, days, state, capacity, counts, cap)
    if joined is not None:
        result.on_site[visit.id] = joined
        return
    if not visit.remote_ok:
        if counts and len(state.counting) >= cap:
            result.unscheduled[visit.id] = "CAP"
            return
        opened = _open(visit, days, state, capacity, counts)
        if opened is not None:
            result.on_site[visit.id] = opened
            return
    _fallback(visit, days, result, "CAP" if cap_blocked else None)


def _join(
    visit: Visit, days: list[date], state: _Firm, capacity: Capacity, counts: bool, cap: int
) -> tuple[date | None, bool]:
    """A day already opened at this enterprise that can take the visit (latest first)."""
    cap_blocked = False
    for day in sorted((d for d in days if d in state.days), reverse=True):
        if counts and day not in state.counting and len(state.counting) >= cap:
            cap_blocked = True
            continue
        sections = state.days[day]
        if visit.section in sections or capacity.can_add(visit.section, day, len(sections)):
            if visit.section not in sections:
                capacity.add(visit.section, day, len(sections))
                sections.add(visit.section)
            if counts:
                state.counting.add(day)
            return day, cap_blocked
    return None, cap_blocked


def _open(
    visit: Visit, days: list[date], state: _Firm, capacity: Capacity, counts: bool
) -> date | None:
    """A new entry day: the latest allowed day with officers to spare (the piercing choice)."""
    for day in reversed(days):
        if capacity.can_open(visit.section, day):
            capacity.open(visit.section, day)
            state.days[day] = {visit.section}
            if counts:
                state.counting.add(day)
            return day
    return None


def _fallback(visit: Visit, days: list[date], result: Placement, reason: str | None) -> None:
    if visit.remote_ok:
        result.remote[visit.id] = days[0] if days else visit.earliest
    elif not days:
        result.unscheduled[visit.id] = "WINDOW"
    else:
        result.unscheduled[visit.id] = reason or "CAPACITY"
