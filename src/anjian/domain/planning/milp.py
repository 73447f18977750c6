"""The one adapter to the solver: the month's merge as a MILP solved by HiGHS (highspy).

Variables: x[v,d] visit v on site on day d (allowed days only), r[v] visit v remote (when
remote_ok), y[e,d] an entry at enterprise e on day d, c[e,d] that entry counts toward the cap,
z[e,s,d] it holds a visit of section s. Objective, lexicographic: handle as many visits as can
be handled, then the fewest entries (`solve` says how).
Constraints: a visit at most once; x ≤ z ≤ y; counting days ≤ remaining cap; per day and
section, entries holding the section ≤ that section's officer slots; per day, the officers the
entries need (max(2, sections) each) ≤ all officer slots.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from anjian.domain.planning.capacity import Capacity
from anjian.domain.planning.greedy import Placement
from anjian.domain.planning.model import PlanInput


@dataclass
class SolverResult:
    placement: Placement | None
    optimal: bool
    dual_entries_bound: float | None  # entries ≥ this for any plan handling as many visits
    handled: int
    seconds: float


class _Model:
    def __init__(self) -> None:
        self.cost: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.rows: list[tuple[float, float, list[int], list[float]]] = []

    def var(self, cost: float, upper: float = 1.0, *, integer: bool = True) -> int:
        self.cost.append(cost)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, low: float, high: float, terms: list[tuple[int, float]]) -> None:
        self.rows.append((low, high, [i for i, _ in terms], [c for _, c in terms]))


def _build(plan: PlanInput, allowed: dict[str, list[date]], capacity: Capacity):  # type: ignore[no-untyped-def]
    m = _Model()
    x: dict[tuple[str, date], int] = {}
    r: dict[str, int] = {}
    y: dict[tuple[str, date], int] = {}
    c: dict[tuple[str, date], int] = {}
    z: dict[tuple[str, str, date], int] = {}
    for visit in plan.visits:
        once = []
        for day in allowed[visit.id]:
            key_e = (visit.enterprise, day)
            if key_e not in y:
                y[key_e] = m.var(0.0)
            key_z = (visit.enterprise, visit.section, day)
            if key_z not in z:
                z[key_z] = m.var(0.0)
                m.row(-1e30, 0.0, [(z[key_z], 1.0), (y[key_e], -1.0)])
            x[visit.id, day] = m.var(0.0)
            m.row(-1e30, 0.0, [(x[visit.id, day], 1.0), (z[key_z], -1.0)])
            if visit.activity in plan.cap_activities:
                if key_e not in c:
                    c[key_e] = m.var(0.0)
                m.row(-1e30, 0.0, [(x[visit.id, day], 1.0), (c[key_e], -1.0)])
            once.append((x[visit.id, day], 1.0))
        if visit.remote_ok:
            r[visit.id] = m.var(0.0)
            once.append((r[visit.id], 1.0))
        if once:
            m.row(-1e30, 1.0, once)
    _caps(plan, m, c)
    _capacity(m, y, z, capacity)
    return m, x, r, y, c, z


def _caps(plan: PlanInput, m: _Model, c: dict[tuple[str, date], int]) -> None:
    by_firm: dict[str, list[int]] = defaultdict(list)
    for (firm, _day), index in c.items():
        by_firm[firm].append(index)
    for firm, indices in by_firm.items():
        m.row(-1e30, float(plan.enterprises[firm].remaining_cap), [(i, 1.0) for i in indices])


def _capacity(m: _Model, y: dict, z: dict, capacity: Capacity) -> None:  # type: ignore[type-arg]
    per_section: dict[tuple[str, date], list[int]] = defaultdict(list)
    for (_firm, section, day), index in z.items():
        per_section[section, day].append(index)
    for (section, day), indices in per_section.items():
        m.row(-1e30, float(capacity.section[section, day]), [(i, 1.0) for i in indices])
    # An entry needs max(2, its sections) officers: n[e,d] ≥ 2·y[e,d] and n[e,d] ≥ Σ_s z[e,s,d].
    sections_of: dict[tuple[str, date], list[int]] = defaultdict(list)
    for (firm, _section, day), index in z.items():
        sections_of[firm, day].append(index)
    per_day: dict[date, list[int]] = defaultdict(list)
    entries_of_day: dict[date, list[int]] = defaultdict(list)
    for (firm, day), index in y.items():
        entries_of_day[day].append(index)
        needed = m.var(0.0, upper=float(len(sections_of[firm, day]) + 2), integer=False)
        m.row(0.0, 1e30, [(needed, 1.0), (index, -2.0)])
        m.row(0.0, 1e30, [(needed, 1.0), *((i, -1.0) for i in sections_of[firm, day])])
        per_day[day].append(needed)
    for day, indices in per_day.items():
        m.row(-1e30, float(capacity.total[day]), [(i, 1.0) for i in indices])
    # Every entry needs two officers at least, so a day has at most ⌊slots / 2⌋ entries: implied
    # for whole numbers, but it cuts off the half entries the LP relaxation would otherwise use.
    for day, indices in entries_of_day.items():
        m.row(-1e30, float(capacity.total[day] // 2), [(i, 1.0) for i in indices])


WEIGHTED_SHARE = 0.15  # of the time limit for the one-shot weighted solve
HANDLED_SHARE = 0.6  # of what is left, for phase one when the weighted solve did not finish


def _highs(plan: PlanInput, m: _Model):  # type: ignore[no-untyped-def]
    import highspy
    import numpy as np

    h = highspy.Highs()  # type: ignore[no-untyped-call]
    for option, value in (
        ("output_flag", False),
        ("random_seed", int(plan.seed)),
        ("mip_rel_gap", 0.0),
        ("mip_abs_gap", 0.5),  # objectives are whole numbers
        ("threads", 1),
    ):
        h.setOptionValue(option, value)
    n = len(m.cost)
    h.addVars(n, np.zeros(n), np.array(m.upper))
    kinds = [highspy.HighsVarType.kInteger, highspy.HighsVarType.kContinuous]
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.array([kinds[0] if w else kinds[1] for w in m.integer])
    )
    _add_rows(h, m, np)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    return h


def solve(
    plan: PlanInput,
    allowed: dict[str, list[date]],
    capacity: Capacity,
    start: Placement,
) -> SolverResult:
    """First one weighted solve (each handled visit worth more than all entries together) for a
    share of the time limit: easy months end there, proven optimal. A month it does not finish
    goes on in two phases on the same model from its best plan: the most visits handled, then,
    keeping that many, the fewest entries (measured: hard months finish faster this way)."""
    import highspy
    import numpy as np

    began = time.perf_counter()
    m, x, r, y, c, z = _build(plan, allowed, capacity)
    h = _highs(plan, m)
    n = len(m.cost)
    handled_columns = [*x.values(), *r.values()]
    entry_columns = list(y.values())
    weight = float(len(plan.visits) + 1)
    costs = np.zeros(n)
    costs[handled_columns] = weight
    costs[entry_columns] = -1.0
    _objective(h, np, costs, plan.time_limit_s * WEIGHTED_SHARE)
    _warm_start(h, highspy, n, (x, r, y, c, z), start, plan)
    h.run()
    if h.getInfo().primal_solution_status != 2:
        return SolverResult(None, False, None, 0, time.perf_counter() - began)
    if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        handled = _handled_in(h, handled_columns)
        entries_bound = weight * handled - h.getInfo().mip_dual_bound
        return _result(h, highspy, x, r, True, entries_bound, began)
    left = plan.time_limit_s - (time.perf_counter() - began)
    costs = np.zeros(n)
    costs[handled_columns] = 1.0
    first_optimal = _phase(h, highspy, np, costs, max(1.0, left * HANDLED_SHARE))
    handled = _handled_in(h, handled_columns)
    h.addRow(
        handled - 0.5,
        highspy.kHighsInf,
        len(handled_columns),
        np.array(handled_columns, dtype=np.int32),
        np.ones(len(handled_columns)),
    )
    costs = np.zeros(n)
    costs[entry_columns] = -1.0
    left = plan.time_limit_s - (time.perf_counter() - began)
    _phase(h, highspy, np, costs, max(1.0, left))
    # Phase two maximises −entries over plans handling at least this many visits, so its dual
    # bound is a proven lower bound on entries for any such plan, ours included.
    return _result(h, highspy, x, r, first_optimal, -h.getInfo().mip_dual_bound, began)


def _handled_in(h, columns: list[int]) -> int:  # type: ignore[no-untyped-def]
    values = h.getSolution().col_value
    return sum(1 for i in columns if values[i] > 0.5)


def _objective(h, np, costs, limit: float) -> None:  # type: ignore[no-untyped-def]
    n = len(costs)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), costs)
    h.setOptionValue("time_limit", float(limit))


def _phase(h, highspy, np, costs, limit: float) -> bool:  # type: ignore[no-untyped-def]
    """Runs with a new objective from the current best plan (feasible for every phase)."""
    incumbent = h.getSolution()
    _objective(h, np, costs, limit)
    h.setSolution(incumbent)
    h.run()
    return bool(h.getModelStatus() == highspy.HighsModelStatus.kOptimal)


def _add_rows(h, m: _Model, np) -> None:  # type: ignore[no-untyped-def]
    if not m.rows:
        return
    starts: list[int] = []
    indices: list[int] = []
    values: list[float] = []
    low: list[float] = []
    high: list[float] = []
    for lo, hi, idx, val in m.rows:
        starts.append(len(indices))
        indices.extend(idx)
        values.extend(val)
        low.append(lo)
        high.append(hi)
    h.addRows(
        len(m.rows),
        np.array(low),
        np.array(high),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.array(values),
    )


def _warm_start(h, highspy, n, maps, start: Placement, plan: PlanInput) -> None:  # type: ignore[no-untyped-def]
    x, r, y, c, z = maps
    values = [0.0] * n
    visits = {v.id: v for v in plan.visits}
    for visit_id, day in start.on_site.items():
        visit = visits[visit_id]
        if (visit_id, day) not in x:
            return  # not a start the model knows: let HiGHS find its own
        for index in (
            x[visit_id, day],
            y[visit.enterprise, day],
            z[visit.enterprise, visit.section, day],
        ):
            values[index] = 1.0
        if (visit.enterprise, day) in c and visit.activity in plan.cap_activities:
            values[c[visit.enterprise, day]] = 1.0
    for visit_id in start.remote:
        if visit_id in r:
            values[r[visit_id]] = 1.0
    solution = highspy.HighsSolution()
    solution.col_value = values
    solution.value_valid = True
    h.setSolution(solution)


def _result(  # type: ignore[no-untyped-def]
    h,
    highspy,
    x,
    r,
    first_optimal: bool,
    entries_bound: float,
    began: float,
) -> SolverResult:
    seconds = time.perf_counter() - began
    if h.getInfo().primal_solution_status != 2:  # no feasible solution
        return SolverResult(None, False, None, 0, seconds)
    values = h.getSolution().col_value
    placement = Placement()
    for (visit_id, day), index in x.items():
        if values[index] > 0.5:
            placement.on_site[visit_id] = day
    for visit_id, index in r.items():
        if values[index] > 0.5 and visit_id not in placement.on_site:
            placement.remote[visit_id] = date.min  # the planner dates remote visits
    handled = len(placement.on_site) + len(placement.remote)
    optimal = first_optimal and h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return SolverResult(placement, optimal, entries_bound, handled, seconds)


def _child(conn, plan: PlanInput, allowed, capacity: Capacity, start: Placement) -> None:  # type: ignore[no-untyped-def]
    """Runs in the watchdog's subprocess: HiGHS prints a banner on stdout, so stdout goes away."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    conn.send(solve(plan, allowed, capacity, start))
    conn.close()


def solve_with_watchdog(
    plan: PlanInput, allowed: dict[str, list[date]], capacity: Capacity, start: Placement
) -> SolverResult:
    """`solve` in a subprocess killed when it overruns its time limit by more than a margin
    (HiGHS can overrun its own limit on large models); then the caller keeps its greedy plan."""
    import multiprocessing

    began = time.perf_counter()
    methods = multiprocessing.get_all_start_methods()
    context: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, plan, allowed, capacity, start))
    process.start()
    sender.close()
    result = SolverResult(None, False, None, 0, 0.0)
    try:
        if receiver.poll(plan.time_limit_s * 1.2 + 10):
            result = receiver.recv()
    except EOFError:
        pass  # the child died: keep the greedy plan
    finally:
        if process.is_alive():
            process.kill()
        process.join()
    result.seconds = time.perf_counter() - began
    return result
