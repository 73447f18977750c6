"""The officers of a demo bureau, planned as plain data. Pure: seeded random and a date in."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from anjian.demo import people


@dataclass(frozen=True)
class OfficerPlan:
    name: str
    id_number: str
    section: str | None  # a section name of the bureau; None for the bureau head
    certificate_no: str
    certificate_valid_until: date
    phone: str
    login: str = ""  # username of the officer's own login, if the demo gives it one


@dataclass(frozen=True)
class Staffing:
    """Officers per section, in order; the first officer of a section listed in `logins`
    holds that login."""

    region: str  # ID number region of locally born officers
    certificate_prefix: str
    sections: tuple[tuple[str | None, int], ...]
    logins: dict[str | None, str]
    expiring: int = 0  # certificates running out within 60 days
    expired: int = 0


WENSHUI_STAFFING = Staffing(
    region="141121",
    certificate_prefix="14110021",
    sections=(
        (None, 1),
        ("办公室", 2),
        ("法制办", 3),
        ("危化股", 5),
        ("冶金工贸股", 5),
        ("非煤矿山股", 3),
        ("煤矿股", 4),
        ("人事财务股", 1),
        ("综合行政执法队", 6),
    ),
    logins={
        None: "head",
        "办公室": "office",
        "法制办": "legal",
        "危化股": "hazchem",
        "冶金工贸股": "metal",
        "非煤矿山股": "noncoal",
        "煤矿股": "coal",
        "人事财务股": "hr",
        "综合行政执法队": "team",
    },
    expiring=2,
    expired=1,
)
JIAOCHENG_STAFFING = Staffing(
    region="141122",
    certificate_prefix="14110022",
    sections=(("办公室", 1), ("危化股", 1)),
    logins={"办公室": "othercounty"},
)


def _certificate_dates(
    rng: random.Random, staffing: Staffing, count: int, today: date
) -> list[date]:
    """Mostly valid two to four years ahead; a few about to run out, a few already out."""
    first, last = date(today.year + 2, 1, 1), date(today.year + 4, 12, 31)
    span = (last - first).days
    dates = [first + timedelta(days=rng.randrange(span + 1)) for _ in range(count)]
    without_login = [i for i in range(count) if i not in _login_positions(staffing)]
    odd = rng.sample(without_login, staffing.expiring + staffing.expired)
    for position in odd[: staffing.expiring]:
        dates[position] = today + timedelta(days=rng.randint(7, 55))
    for position in odd[staffing.expiring :]:
        dates[position] = today - timedelta(days=rng.randint(10, 90))
    return dates


def _section_slots(staffing: Staffing) -> list[tuple[str | None, str]]:
    """(section, login) for every officer, in order."""
    slots: list[tuple[str | None, str]] = []
    for section, count in staffing.sections:
        login = staffing.logins.get(section, "")
        slots.extend((section, login if index == 0 else "") for index in range(count))
    return slots


def _login_positions(staffing: Staffing) -> set[int]:
    return {i for i, (_, login) in enumerate(_section_slots(staffing)) if login}


def plan_officers(
    rng: random.Random,
    staffing: Staffing,
    today: date,
    taken_names: set[str],
    taken_certificates: set[str],
) -> list[OfficerPlan]:
    slots = _section_slots(staffing)
    dates = _certificate_dates(rng, staffing, len(slots), today)
    plans = []
    for (section, login), valid_until in zip(slots, dates, strict=True):
        who = people.unique_person(rng, taken_names)
        born = people.birth_date(rng)
        certificate = f"{staffing.certificate_prefix}{rng.randrange(10_000):04d}"
        while certificate in taken_certificates:
            certificate = f"{staffing.certificate_prefix}{rng.randrange(10_000):04d}"
        taken_certificates.add(certificate)
        plans.append(
            OfficerPlan(
                name=who.name,
                id_number=people.id_number(rng, staffing.region, who.male, born),
                section=section,
                certificate_no=certificate,
                certificate_valid_until=valid_until,
                phone=people.mobile_phone(rng),
                login=login,
            )
        )
    return plans
