"""Seeded planner instances for tests and benchmarks: a county's sections, officers and a
month of planned visits with realistic windows, caps, quiet days and mine patrol days."""

from __future__ import annotations

import calendar
import random
from datetime import date, timedelta

from anjian.domain.planning.model import EnterpriseSlot, OfficerSlot, PlanInput, Visit

SECTIONS = ("hazchem", "metallurgy", "noncoal", "coal", "team")
ACTIVITY_MIX = (
    ["enforcement_inspection"] * 6
    + ["rectification_review"] * 2
    + ["assistance_guidance", "complaint_verification", "research_visit"]
)


def generate(
    *,
    enterprises: int,
    visits: int,
    officers: int,
    year: int = 2025,
    month: int = 6,
    seed: int = 0,
    time_limit_s: float = 30.0,
) -> PlanInput:
    rng = random.Random(seed)
    last = calendar.monthrange(year, month)[1]
    days = [date(year, month, d) for d in range(1, last + 1)]
    quiet_start = rng.choice([1, 11, 16])
    quiet = frozenset(d for d in days if quiet_start <= d.day < quiet_start + 10)
    firms = {}
    for n in range(enterprises):
        is_mine = n % 25 == 0
        patrol = frozenset(d for d in days if is_mine and d.weekday() == rng.randrange(5))
        firms[f"E{n}"] = EnterpriseSlot(f"E{n}", rng.choice([0, 1, 1, 2, 2, 3, 4]), patrol)
    staff = tuple(
        OfficerSlot(
            f"o{n}",
            SECTIONS[n % len(SECTIONS)],
            frozenset(rng.sample(days, rng.randrange(0, 4))),
            rng.choice([1, 1, 1, 2]),
        )
        for n in range(officers)
    )
    planned = []
    firm_ids = list(firms)
    for n in range(visits):
        start = rng.randrange(1, last - 3)
        length = rng.choice([3, 7, 10, 15, 20, last])
        earliest = date(year, month, start)
        latest = min(earliest + timedelta(days=length), days[-1])
        planned.append(
            Visit(
                f"V{n}",
                rng.choice(
                    firm_ids[: max(1, enterprises // 3)] if rng.random() < 0.5 else firm_ids
                ),
                rng.choice(SECTIONS),
                rng.choice(ACTIVITY_MIX),
                earliest,
                latest,
                rng.random() < 0.15,
            )
        )
    holidays = frozenset(rng.sample([d for d in days if d.weekday() < 5], 1))
    return PlanInput(
        year,
        month,
        holidays,
        quiet,
        firms,
        staff,
        tuple(planned),
        time_limit_s=time_limit_s,
        seed=seed,
    )
