"""The month planner: a greedy plan, improved by the MILP when it can be, officers assigned,
merges explained, bound and baseline reported. Every returned plan keeps every rule
(`validate.plan_violations` is the independent check)."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date

from anjian.domain.planning.bounds import piercing_bound
from anjian.domain.planning.capacity import Capacity
from anjian.domain.planning.days import (
    allowed_days,
    empty_window_cause,
    shortage_cause,
    working_days,
)
from anjian.domain.planning.greedy import Placement, greedy_plan
from anjian.domain.planning.model import Entry, Plan, PlanInput, Visit
from anjian.domain.planning.staffing import staff_day

Solver = Callable[[PlanInput, dict[str, list[date]], Capacity, Placement], object]


def _handled(placement: Placement) -> int:
    return len(placement.on_site) + len(placement.remote)


def _entries(placement: Placement, visits: dict[str, Visit]) -> int:
    return len({(visits[v].enterprise, d) for v, d in placement.on_site.items()})


def make_plan(plan: PlanInput, *, use_solver: bool = True) -> Plan:
    began = time.perf_counter()
    workdays = working_days(plan)
    allowed = {v.id: allowed_days(plan, v, workdays) for v in plan.visits}
    visits = {v.id: v for v in plan.visits}
    placement = greedy_plan(plan, allowed, Capacity(plan.officers, workdays))
    optimal, dual = False, None
    solved = None
    if use_solver and plan.visits:
        from anjian.domain.planning.milp import solve_with_watchdog

        result = solve_with_watchdog(plan, allowed, Capacity(plan.officers, workdays), placement)
        better = result.placement is not None and (
            result.handled > _handled(placement)
            or (
                result.handled == _handled(placement)
                and _entries(result.placement, visits) <= _entries(placement, visits)
            )
        )
        if better:
            solved = result
    entries, failed = _staff(plan, placement, visits)
    if solved is not None and solved.placement is not None:
        # Staffing may still drop entries of either plan (no team for a day): the solver's plan
        # is kept only if it is still at least as good once staffed, so a solve cut short by
        # its time limit never returns less than the greedy plan.
        candidate = solved.placement
        _keep_unhandled(plan, allowed, candidate)
        staffed, staffing_failed = _staff(plan, candidate, visits)
        mine, theirs = _kept(candidate, staffed), _kept(placement, entries)
        if mine > theirs or (mine == theirs and len(staffed) <= len(entries)):
            placement, entries, failed = candidate, staffed, staffing_failed
            optimal, dual = solved.optimal, solved.dual_entries_bound
    _dates_for_remote(plan, workdays, placement)
    _explain(plan, allowed, workdays, placement)
    out = Plan(
        status="OPTIMAL" if optimal and not failed else "FEASIBLE",
        entries=entries,
        remote=sorted(placement.remote.items()),
        unscheduled=sorted(placement.unscheduled.items()),
        visits=len(plan.visits),
        baseline_entries=_handled(placement),
    )
    on_site = [visits[v] for e in entries for v in e.visits]
    bound = piercing_bound(on_site, workdays)
    if optimal and not failed:
        bound = max(bound, len(entries))
    elif dual is not None and not failed:
        bound = max(bound, math.ceil(dual - 1e-6))
    out.lower_bound = min(bound, len(entries))
    out.solve_seconds = time.perf_counter() - began
    return out


def _explain(
    plan: PlanInput, allowed: dict[str, list[date]], workdays: list[date], placement: Placement
) -> None:
    """Each unscheduled visit's reason narrowed to its real cause (see `days`)."""
    visits = {v.id: v for v in plan.visits}
    for visit_id, reason in list(placement.unscheduled.items()):
        visit = visits[visit_id]
        if not allowed[visit_id]:
            placement.unscheduled[visit_id] = empty_window_cause(plan, visit, workdays)
        elif reason == "CAPACITY":
            placement.unscheduled[visit_id] = shortage_cause(plan, visit, allowed[visit_id])


def _kept(placement: Placement, entries: list[Entry]) -> int:
    """Visits a staffed plan handles: on site in an entry, or remote."""
    return len(placement.remote) + sum(len(e.visits) for e in entries)


def _keep_unhandled(plan: PlanInput, allowed: dict[str, list[date]], placement: Placement) -> None:
    """Visits the solver left out get the reason the greedy pass would give."""
    for visit in plan.visits:
        if visit.id in placement.on_site or visit.id in placement.remote:
            continue
        if visit.remote_ok:
            placement.remote[visit.id] = date.min
        elif not allowed[visit.id]:
            placement.unscheduled[visit.id] = "WINDOW"
        else:
            placement.unscheduled[visit.id] = _shortage(plan, visit, placement)


def _shortage(plan: PlanInput, visit: Visit, placement: Placement) -> str:
    if visit.activity not in plan.cap_activities:
        return "CAPACITY"
    firm = plan.enterprises[visit.enterprise]
    return (
        "CAP"
        if firm.remaining_cap == 0 or _cap_used(plan, visit.enterprise, placement)
        else "CAPACITY"
    )


def _cap_used(plan: PlanInput, firm: str, placement: Placement) -> bool:
    visits = {v.id: v for v in plan.visits}
    days = {
        d
        for v, d in placement.on_site.items()
        if visits[v].enterprise == firm and visits[v].activity in plan.cap_activities
    }
    return len(days) >= plan.enterprises[firm].remaining_cap


def _staff(
    plan: PlanInput, placement: Placement, visits: dict[str, Visit]
) -> tuple[list[Entry], bool]:
    groups: dict[tuple[str, date], list[str]] = defaultdict(list)
    for visit_id, day in placement.on_site.items():
        groups[visits[visit_id].enterprise, day].append(visit_id)
    load: dict[str, int] = defaultdict(int)
    teams: dict[tuple[str, date], list[str]] = {}
    failed_any = False
    keys = {f"E{n}": key for n, key in enumerate(sorted(groups, key=lambda k: (k[1], k[0])))}
    for day in sorted({d for _, d in groups}):
        todays = [
            (label, sorted({visits[v].section for v in groups[key]}))
            for label, key in keys.items()
            if key[1] == day
        ]
        staffed, failed = staff_day(day, todays, plan.officers, load)
        for label, team in staffed.items():
            teams[keys[label]] = team
        for label in failed:
            failed_any = True
            _unplace(groups[keys[label]], visits, placement)
    entries = []
    for n, (firm, day) in enumerate(sorted(teams, key=lambda k: (k[1], k[0])), start=1):
        held = sorted(groups[firm, day])
        entries.append(
            Entry(f"J{n}", firm, day, tuple(held), tuple(teams[firm, day]), _why(held, visits))
        )
    return entries, failed_any


def _unplace(held: list[str], visits: dict[str, Visit], placement: Placement) -> None:
    for visit_id in held:
        del placement.on_site[visit_id]
        if visits[visit_id].remote_ok:
            placement.remote[visit_id] = date.min
        else:
            placement.unscheduled[visit_id] = "CAPACITY"


def _why(held: list[str], visits: dict[str, Visit]) -> tuple[str, ...]:
    if len(held) < 2:
        return ()
    windows = "、".join(f"{v} {visits[v].earliest:%m-%d}至{visits[v].latest:%m-%d}" for v in held)
    sections = "、".join(sorted({visits[v].section for v in held}))
    firm = visits[held[0]].enterprise
    return (f"同一企业 {firm}，时间窗重叠（{windows}），合并为一次入企（{sections}）",)


def _dates_for_remote(plan: PlanInput, workdays: list[date], placement: Placement) -> None:
    visits = {v.id: v for v in plan.visits}
    for visit_id in list(placement.remote):
        visit = visits[visit_id]
        inside = [d for d in workdays if visit.earliest <= d <= visit.latest]
        placement.remote[visit_id] = inside[0] if inside else visit.earliest
