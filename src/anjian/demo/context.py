"""What every demo loader receives: the seed, the load date, and what earlier loaders made."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from anjian.accounts.models import EnforcementBody, Section, User
    from anjian.registry.models import Enterprise, Officer


def seeded(seed: int, area: str) -> random.Random:
    """A random stream for one area of the demo. Each area has its own, so a loader added later
    does not change what the earlier ones produce for the same seed."""
    return random.Random(f"{seed}/{area}")


@dataclass
class DemoContext:
    """Shared state of one demo load. Keys of `bodies`, `sections`, `enterprises` and
    `officers`: "province", "city", "county" (文水县), "other_county" (交城县)."""

    seed: int
    today: date
    bodies: dict[str, EnforcementBody]
    sections: dict[str, dict[str, Section]]  # body key -> section name -> section
    users: dict[str, User] = field(default_factory=dict)  # username -> user
    enterprises: dict[str, list[Enterprise]] = field(default_factory=dict)  # by supervisor's place
    officers: dict[str, list[Officer]] = field(default_factory=dict)
    person_names: set[str] = field(default_factory=set)  # staff names already used
    # called by the inspection replay on each on-site visit between check-in and the record's
    # end: (ctx, task, lead officer's login, day) — the training loader adds its exams here
    on_site: list[Callable[..., None]] = field(default_factory=list)
    trained: dict[int, Any] = field(default_factory=dict)  # enterprise pk -> training plan

    def rng(self, area: str) -> random.Random:
        return seeded(self.seed, area)

    @property
    def county(self) -> EnforcementBody:
        return self.bodies["county"]

    @property
    def city(self) -> EnforcementBody:
        return self.bodies["city"]

    @property
    def other_county(self) -> EnforcementBody:
        return self.bodies["other_county"]
