"""The enterprises of a demo county, planned as plain data before anything is written.

Pure: a seeded `random.Random` in, a list of `EnterprisePlan` out. The same seed gives the same
county, enterprise for enterprise.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from anjian.demo import names, people

Classification = str | int | None


@dataclass(frozen=True)
class Place:
    """Where a county's enterprises are: names, towns, streets, the USCC division code."""

    county: str
    division: str
    prefixes: tuple[str, ...]
    towns: tuple[str, ...]
    mine_towns: tuple[str, ...]
    industrial_towns: tuple[str, ...]
    seat_town: str
    streets: tuple[str, ...]
    park: str = ""
    park_town: str = ""


WENSHUI = Place(
    county=names.COUNTY_PLACE,
    division="141121",
    prefixes=names.PLACE_PREFIXES,
    towns=names.TOWNS,
    mine_towns=names.MINE_TOWNS,
    industrial_towns=names.INDUSTRIAL_TOWNS,
    seat_town=names.SEAT_TOWN,
    streets=names.SEAT_STREETS,
    park=names.INDUSTRIAL_PARK,
    park_town=names.INDUSTRIAL_PARK_TOWN,
)
JIAOCHENG = Place(
    county=names.OTHER_COUNTY_PLACE,
    division="141122",
    prefixes=names.OTHER_PLACE_PREFIXES,
    towns=names.OTHER_TOWNS,
    mine_towns=names.OTHER_TOWNS[5:],
    industrial_towns=names.OTHER_TOWNS[:5],
    seat_town=names.OTHER_TOWNS[0],
    streets=names.OTHER_SEAT_STREETS,
)


@dataclass(frozen=True)
class SectorMix:
    """How many enterprises of a sector, and the weight of each class or grade.
    Every class or grade with a weight appears at least once."""

    sector: str
    count: int
    classes: dict[Classification, int]
    employees: tuple[int, int]


@dataclass(frozen=True)
class CountyMix:
    place: Place
    sectors: tuple[SectorMix, ...]
    city_supervised: dict[str, int] = field(default_factory=dict)
    contact_points: dict[str, int] = field(default_factory=dict)
    suspended: int = 0


WENSHUI_MIX = CountyMix(
    place=WENSHUI,
    sectors=(
        SectorMix("coal_mine", 6, {"A": 1, "B": 2, "C": 2, "D": 1}, (280, 1300)),
        SectorMix("non_coal_mine", 10, {"A": 3, "B": 4, "C": 2, "D": 1}, (15, 120)),
        SectorMix("hazardous_chemicals", 40, {1: 1, 2: 4, 3: 8, None: 3}, (8, 600)),
        SectorMix("metallurgy", 20, {1: 1, 2: 3, 3: 8, None: 4}, (30, 900)),
        SectorMix("industry_trade", 30, {1: 1, 2: 3, 3: 8, None: 6}, (6, 400)),
        SectorMix("other", 194, {2: 1, 3: 6, None: 14}, (3, 260)),
    ),
    city_supervised={"hazardous_chemicals": 2, "metallurgy": 1},
    contact_points={
        "hazardous_chemicals": 3,
        "metallurgy": 1,
        "industry_trade": 2,
        "coal_mine": 1,
        "non_coal_mine": 1,
        "other": 2,
    },
    suspended=4,
)
JIAOCHENG_MIX = CountyMix(
    place=JIAOCHENG,
    sectors=(
        SectorMix("hazardous_chemicals", 8, {2: 2, 3: 4, None: 2}, (8, 500)),
        SectorMix("metallurgy", 4, {2: 1, 3: 2, None: 1}, (30, 700)),
        SectorMix("industry_trade", 4, {3: 2, None: 1}, (6, 300)),
        SectorMix("other", 4, {3: 1, None: 2}, (3, 200)),
    ),
)


PLANNED_FIELDS = (
    "name",
    "uscc",
    "sector",
    "town",
    "address",
    "employees",
    "legal_representative",
    "contact_phone",
    "standardization_grade",
    "coal_mine_class",
    "non_coal_risk_class",
    "is_contact_point",
    "status",
)


@dataclass
class EnterprisePlan:
    name: str
    uscc: str
    sector: str
    town: str
    address: str
    employees: int
    legal_representative: str
    contact_phone: str
    standardization_grade: int | None = None
    coal_mine_class: str = ""
    non_coal_risk_class: str = ""
    supervisor: str = "county"  # or "city": the one body that enforces
    is_contact_point: bool = False
    status: str = "operating"

    @property
    def scale(self) -> str:
        """Industrial size classes: 大型 1000+, 中型 300+, 小型 20+, else 微型."""
        for floor, scale in ((1000, "large"), (300, "medium"), (20, "small")):
            if self.employees >= floor:
                return scale
        return "micro"

    def service_data(self, supervising_body: Any) -> dict[str, Any]:
        """The `data` argument of `registry.services.enterprise_create`."""
        data = {name: getattr(self, name) for name in PLANNED_FIELDS}
        return {**data, "scale": self.scale, "supervising_body": supervising_body}


def spread(rng: random.Random, count: int, weights: dict[Classification, int]) -> list[Any]:
    """`count` values: each option once, the rest drawn by weight, in shuffled order."""
    options = list(weights)
    extra = rng.choices(options, weights=list(weights.values()), k=max(0, count - len(options)))
    chosen = options[:count] + extra
    rng.shuffle(chosen)
    return chosen


def enterprise_name(rng: random.Random, place: Place, sector: str, town: str, in_park: bool) -> str:
    words = names.INDUSTRY_WORDS[sector]
    if in_park:  # works without a company form (…厂, …站) are not in the park
        words = tuple(w for w in words if not is_works(w)) or words
    word = rng.choice(words)
    trade = rng.choice(names.TRADE_NAMES)
    if is_works(word):
        return f"{place.county}{town}{trade}{word}"
    prefixes = (
        place.prefixes if place is not WENSHUI else names.SECTOR_PLACES.get(sector, place.prefixes)
    )
    form = rng.choices(names.COMPANY_FORMS, weights=names.COMPANY_FORM_WEIGHTS)[0]
    return f"{rng.choice(prefixes)}{trade}{word}{form}"


def is_works(name: str) -> bool:
    """A works (…厂) or a filling station (…站) rather than a company."""
    return name.endswith(("厂", "站"))


def choose_town(rng: random.Random, place: Place, sector: str) -> str:
    if sector in ("coal_mine", "non_coal_mine"):
        return rng.choice(place.mine_towns)
    if sector != "other" and rng.random() < 0.8:
        return rng.choice(place.industrial_towns)
    return rng.choice((place.seat_town, *place.towns))


def locate(rng: random.Random, place: Place, sector: str) -> tuple[str, str, bool]:
    """(town, address, in the industrial park)."""
    number = rng.randint(1, 288)
    if place.park and sector in ("hazardous_chemicals", "metallurgy") and rng.random() < 0.3:
        road = rng.choice(names.PARK_ROADS)
        return place.park_town, f"{place.county}{place.park}{road}{number}号", True
    town = choose_town(rng, place, sector)
    if town == place.seat_town:
        return town, f"{place.county}{town}{rng.choice(place.streets)}{number}号", False
    return town, f"{place.county}{town}{rng.choice(names.VILLAGE_STEMS)}村", False


def employees(rng: random.Random, low: int, high: int, grade: Classification) -> int:
    """Log-uniform in [low, high]: most firms are small. Grade 1 firms are at least medium."""
    count = round(math.exp(rng.uniform(math.log(low), math.log(high))))
    return max(count, rng.randint(300, 900)) if grade == 1 else count


def _classify(plan: EnterprisePlan, value: Classification) -> None:
    if plan.sector == "coal_mine":
        plan.coal_mine_class = str(value)
        plan.status = "suspended" if value == "D" else "operating"  # D: long-term stopped
    elif plan.sector == "non_coal_mine":
        plan.non_coal_risk_class = str(value)
    else:
        plan.standardization_grade = value if isinstance(value, int) else None


def plan_one(
    rng: random.Random, mix: CountyMix, sector: SectorMix, value: Classification, taken: set[str]
) -> EnterprisePlan:
    place = mix.place
    town, where, in_park = locate(rng, place, sector.sector)
    name = enterprise_name(rng, place, sector.sector, town, in_park)
    while name in taken:
        name = enterprise_name(rng, place, sector.sector, town, in_park)
    taken.add(name)
    small_works = is_works(name) and sector.sector != "metallurgy" and value != 1
    staff = rng.randint(6, 25) if small_works else None
    phone = people.landline_phone(rng) if rng.random() < 0.6 else people.mobile_phone(rng)
    plan = EnterprisePlan(
        name=name,
        uscc=people.uscc(rng, place.division, taken),
        sector=sector.sector,
        town=town,
        address=where,
        employees=staff or employees(rng, *sector.employees, value),
        legal_representative=people.person(rng).name,
        contact_phone=phone,
    )
    _classify(plan, value)
    return plan


def _pick(
    rng: random.Random, plans: Sequence[EnterprisePlan], sector: str, count: int
) -> list[EnterprisePlan]:
    """`count` county-supervised, operating, not-yet-special enterprises of `sector`."""
    pool = [
        p
        for p in plans
        if p.sector == sector
        and p.supervisor == "county"
        and p.status == "operating"
        and not p.is_contact_point
    ]
    return rng.sample(pool, min(count, len(pool)))


def _mark_specials(rng: random.Random, mix: CountyMix, plans: list[EnterprisePlan]) -> None:
    for sector, count in mix.city_supervised.items():
        graded = [
            p
            for p in plans
            if p.sector == sector and p.standardization_grade in (1, 2) and not is_works(p.name)
        ]
        for plan in rng.sample(graded, min(count, len(graded))):
            plan.supervisor = "city"
            plan.employees = rng.randint(1100, 2600)
    for sector, count in mix.contact_points.items():
        for plan in _pick(rng, plans, sector, count):
            plan.is_contact_point = True
    for sector in rng.choices(["other", "industry_trade", "metallurgy"], k=mix.suspended):
        for plan in _pick(rng, plans, sector, 1):
            plan.status = "suspended"


def plan_county(rng: random.Random, mix: CountyMix, taken: set[str]) -> list[EnterprisePlan]:
    """Every enterprise of one county. `taken` holds names and codes already used anywhere."""
    plans = [
        plan_one(rng, mix, sector, value, taken)
        for sector in mix.sectors
        for value in spread(rng, sector.count, sector.classes)
    ]
    _mark_specials(rng, mix, plans)
    return plans
