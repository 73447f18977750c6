"""Benchmark of the month planner (issue 4). Not a test: it prints what it measured.

Three seeded sizes, each solved by `make_plan` exactly as `anjian plan` does, and each plan checked
by the independent validator (`plan_violations`), not by the solver's word:

1. county month: 1,500 enterprises, 600 visits from five sections, 40 officers (≤ 10 s,
   ≤ 1.01 × bound);
2. county year, month by month: 2,000 enterprises, 6,000 visits, 40 officers (≤ 15 s in all,
   ≤ 1.005 × bound); each month's remaining caps are the year's caps less the entries planned in
   earlier months;
3. city year, month by month: 10,000 enterprises, 30,000 visits, 200 officers (≤ 120 s,
   ≤ 1.01 × bound).

    python bench/plan.py                 # all three
    python bench/plan.py --only county-month --seed 3

For each it reports solve time, entries, baseline (every handled visit alone), the reported lower
bound, the interval-piercing bound on its own, the ratio entries / bound, the visits left remote or
unscheduled, and the validator's verdict.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import dataclass, field, replace

from anjian.domain.planning.bounds import piercing_bound
from anjian.domain.planning.days import working_days
from anjian.domain.planning.generate import generate
from anjian.domain.planning.model import EnterpriseSlot, PlanInput
from anjian.domain.planning.planner import make_plan
from anjian.domain.planning.validate import plan_violations

SIZES = {
    "county-month": (1_500, 600, 40, 1),
    "county-year": (2_000, 6_000, 40, 12),
    "city-year": (10_000, 30_000, 200, 12),
}


@dataclass
class Tally:
    seconds: float = 0.0
    entries: int = 0
    baseline: int = 0
    bound: int = 0
    piercing: int = 0
    remote: int = 0
    unscheduled: int = 0
    optimal_months: int = 0
    months: int = 0
    violations: int = 0
    reasons: Counter[str] = field(default_factory=Counter)


def run(name: str, seed: int, time_limit_s: float) -> Tally:
    enterprises, visits, officers, months = SIZES[name]
    tally = Tally()
    caps: dict[str, int] | None = None
    for month in range(1, months + 1) if months > 1 else [6]:
        plan = generate(
            enterprises=enterprises,
            visits=visits // months,
            officers=officers,
            month=month,
            seed=seed * 100 + month,
            time_limit_s=time_limit_s,
        )
        if caps is None:
            caps = {f: slot.remaining_cap for f, slot in plan.enterprises.items()}
        plan = _with_caps(plan, caps)
        began = time.perf_counter()
        out = make_plan(plan)
        tally.seconds += time.perf_counter() - began
        problems = plan_violations(plan, out)
        tally.violations += len(problems)
        for problem in problems[:5]:
            print(f"  VIOLATION {name} month {month}: {problem}")
        activity = {v.id: v.activity for v in plan.visits}
        for entry in out.entries:
            if any(activity[v] in plan.cap_activities for v in entry.visits):
                caps[entry.enterprise] -= 1
        on_site = [v for v in plan.visits if any(v.id in e.visits for e in out.entries)]
        tally.entries += len(out.entries)
        tally.baseline += out.baseline_entries
        tally.bound += out.lower_bound
        tally.piercing += piercing_bound(on_site, working_days(plan))
        tally.remote += len(out.remote)
        tally.unscheduled += len(out.unscheduled)
        tally.reasons.update(reason for _, reason in out.unscheduled)
        tally.optimal_months += out.status == "OPTIMAL"
        tally.months += 1
    return tally


def _with_caps(plan: PlanInput, caps: dict[str, int]) -> PlanInput:
    firms = {
        f: EnterpriseSlot(f, max(0, caps[f]), slot.supervisor_days)
        for f, slot in plan.enterprises.items()
    }
    return replace(plan, enterprises=firms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(SIZES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=30.0, help="per month, seconds")
    args = parser.parse_args()
    print(
        f"{'size':<13}{'seconds':>9}{'entries':>9}{'baseline':>10}{'bound':>8}{'piercing':>10}"
        f"{'ratio':>8}{'remote':>8}{'unsched.':>10}{'optimal':>9}  validator; unscheduled by reason"
    )
    for name in [args.only] if args.only else list(SIZES):
        t = run(name, args.seed, args.time_limit)
        ratio = t.entries / t.bound if t.bound else 1.0
        verdict = "every rule holds" if t.violations == 0 else f"{t.violations} VIOLATIONS"
        print(
            f"{name:<13}{t.seconds:>9.1f}{t.entries:>9}{t.baseline:>10}{t.bound:>8}{t.piercing:>10}"
            f"{ratio:>8.4f}{t.remote:>8}{t.unscheduled:>10}{t.optimal_months:>5}/{t.months:<3}  "
            f"{verdict}; {dict(sorted(t.reasons.items()))}"
        )


if __name__ == "__main__":
    main()
