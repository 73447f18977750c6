"""The annual supervision plan (年度监督检查计划): how many inspections each enterprise gets this
year and in which months, within its cap and the body's workday budget.

Rules: an enterprise never gets more than its remaining cap; a key enterprise (major hazard
source, high-risk sector, last year's serious violations) gets at least one inspection whenever
its cap allows, even over budget (then the plan says it is over); others get one while the budget
lasts, chosen by a seeded shuffle (a lottery, like 双随机, not favouritism); a key enterprise with
room gets a second one only if the budget still allows. Inspections of one enterprise fall in
different months spread over the year; a month's load follows its inspection days (working days
outside the quiet period).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AnnualFirm:
    id: str
    remaining_cap: int
    key: bool = False


@dataclass(frozen=True)
class Budget:
    officers: int
    working_days: int
    share: float  # of officers' working days available for inspections
    officers_per_inspection: int = 2

    @property
    def officer_days(self) -> float:
        return self.officers * self.working_days * self.share

    @property
    def inspections(self) -> int:
        return math.floor(self.officer_days / self.officers_per_inspection)


@dataclass
class AnnualResult:
    months: dict[str, list[int]] = field(default_factory=dict)  # firm id -> months (1..12)
    load: dict[int, int] = field(default_factory=dict)  # month -> inspections
    inspections: int = 0
    budget: int = 0
    utilisation: float = 0.0  # officer-days needed / officer-days available
    key_without_room: list[str] = field(default_factory=list)  # key firms whose cap is used up
    left_out: list[str] = field(default_factory=list)  # others the budget did not reach


def _targets(
    firms: Sequence[AnnualFirm], budget: int, seed: int
) -> tuple[dict[str, int], list[str]]:
    targets = {f.id: 0 for f in firms}
    key = [f for f in firms if f.key and f.remaining_cap > 0]
    for firm in key:
        targets[firm.id] = 1
    room = budget - len(key)
    others = [f for f in firms if not f.key and f.remaining_cap > 0]
    random.Random(seed).shuffle(others)
    left_out = []
    for firm in others:
        if room > 0:
            targets[firm.id] = 1
            room -= 1
        else:
            left_out.append(firm.id)
    for firm in key:
        if room > 0 and firm.remaining_cap >= 2:
            targets[firm.id] = 2
            room -= 1
    return targets, sorted(left_out)


def _spread(count: int, capacity: dict[int, int], load: dict[int, int]) -> list[int]:
    """`count` different months, one from each of `count` equal stretches of the year where it
    can be, each the least loaded for its capacity."""
    usable = [m for m in range(1, 13) if capacity.get(m, 0) > 0]
    chosen: list[int] = []
    for part in range(count):
        stretch = [m for m in usable if (m - 1) * count // 12 == part and m not in chosen]
        pool = stretch or [m for m in usable if m not in chosen]
        if not pool:
            break
        best = min(pool, key=lambda m: ((load[m] + 1) / capacity[m], m))
        chosen.append(best)
        load[best] += 1
    return sorted(chosen)


def annual_plan(
    firms: Sequence[AnnualFirm], capacity: dict[int, int], budget: Budget, *, seed: int = 0
) -> AnnualResult:
    """`capacity`: inspection days per month (working days outside the quiet period)."""
    targets, left_out = _targets(firms, budget.inspections, seed)
    load = {m: 0 for m in range(1, 13)}
    result = AnnualResult(load=load, budget=budget.inspections, left_out=left_out)
    for firm in sorted(firms, key=lambda f: (-targets[f.id], f.id)):
        months = _spread(targets[firm.id], capacity, load) if targets[firm.id] else []
        result.months[firm.id] = months
        if firm.key and firm.remaining_cap == 0:
            result.key_without_room.append(firm.id)
    result.inspections = sum(len(m) for m in result.months.values())
    needed = result.inspections * budget.officers_per_inspection
    result.utilisation = needed / budget.officer_days if budget.officer_days else 0.0
    return result
