"""An independent check of a plan against every rule of `anjian plan` — it trusts nothing the
planner says and recomputes each rule from the input."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from anjian.domain.planning.days import working_days
from anjian.domain.planning.model import UNSCHEDULED_REASONS, Plan, PlanInput, Visit


def plan_violations(plan: PlanInput, result: Plan) -> list[str]:
    visits = {v.id: v for v in plan.visits}
    workdays = set(working_days(plan))
    problems = _coverage(plan, result)
    officers = {o.id: o for o in plan.officers}
    per_officer_day: Counter[tuple[str, date]] = Counter()
    counting: Counter[str] = Counter()
    seen_entry: set[tuple[str, date]] = set()
    for entry in result.entries:
        if (entry.enterprise, entry.date) in seen_entry:
            problems.append(f"{entry.id}: two entries at {entry.enterprise} on {entry.date}")
        seen_entry.add((entry.enterprise, entry.date))
        held = [visits[v] for v in entry.visits if v in visits]
        problems += _entry_rules(plan, entry.id, entry.enterprise, entry.date, held, workdays)
        problems += _staff_rules(entry.id, entry.date, held, entry.officers, officers)
        for officer_id in set(entry.officers):
            per_officer_day[officer_id, entry.date] += 1
        if any(v.activity in plan.cap_activities for v in held):
            counting[entry.enterprise] += 1
    for (officer_id, day), n in per_officer_day.items():
        if officer_id in officers and n > officers[officer_id].max_entries_per_day:
            problems.append(f"officer {officer_id} has {n} entries on {day}")
    for firm, n in counting.items():
        if n > plan.enterprises[firm].remaining_cap:
            problems.append(f"{firm}: {n} counting entries over remaining cap")
    return problems


def _coverage(plan: PlanInput, result: Plan) -> list[str]:
    placed = [v for e in result.entries for v in e.visits]
    placed += [v for v, _ in result.remote] + [v for v, _ in result.unscheduled]
    counts = Counter(placed)
    problems = [f"visit {v} placed {n} times" for v, n in counts.items() if n > 1]
    problems += [f"visit {v.id} missing from the plan" for v in plan.visits if v.id not in counts]
    remote_ok = {v.id for v in plan.visits if v.remote_ok}
    problems += [
        f"visit {v} remote without remote_ok" for v, _ in result.remote if v not in remote_ok
    ]
    problems += [
        f"visit {v}: unknown reason {r}"
        for v, r in result.unscheduled
        if r not in UNSCHEDULED_REASONS
    ]
    return problems


def _entry_rules(
    plan: PlanInput, entry_id: str, firm: str, day: date, held: list[Visit], workdays: set[date]
) -> list[str]:
    problems = []
    if day not in workdays:
        problems.append(f"{entry_id}: {day} is not a working day")
    if plan.first_day is not None and day < plan.first_day:
        problems.append(f"{entry_id}: {day} is before {plan.first_day}")
    for visit in held:
        if visit.enterprise != firm or not visit.earliest <= day <= visit.latest:
            problems.append(f"{entry_id}: visit {visit.id} outside its window or enterprise")
        if day in plan.quiet_days and visit.activity not in plan.quiet_exempt:
            problems.append(f"{entry_id}: {visit.activity} on quiet day {day}")
        patrol = plan.enterprises[firm].supervisor_days
        if visit.activity in plan.cap_activities and patrol and day not in patrol:
            possible = [
                d
                for d in patrol
                if visit.earliest <= d <= visit.latest
                and d in workdays
                and (d not in plan.quiet_days or visit.activity in plan.quiet_exempt)
            ]
            if possible:
                problems.append(f"{entry_id}: mine enforcement {visit.id} off the supervisor days")
    return problems


def _staff_rules(entry_id, day, held, team, officers) -> list[str]:  # type: ignore[no-untyped-def]
    problems = []
    if len(set(team)) < 2 or len(set(team)) != len(team):
        problems.append(f"{entry_id}: needs two distinct officers, has {list(team)}")
    sections: dict[str, int] = defaultdict(int)
    for officer_id in team:
        officer = officers.get(officer_id)
        if officer is None:
            problems.append(f"{entry_id}: unknown officer {officer_id}")
            continue
        if day in officer.unavailable:
            problems.append(f"{entry_id}: officer {officer_id} unavailable on {day}")
        sections[officer.section] += 1
    for visit in held:
        if not sections.get(visit.section):
            problems.append(f"{entry_id}: no officer of section {visit.section}")
    return problems
