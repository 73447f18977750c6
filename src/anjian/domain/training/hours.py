"""One person's training hours in one calendar year against the requirements.

- Required: the role's rule for the enterprise's risk class (`Requirements.hour_rule`); the
  initial (岗前 / 初次) hours when the person is new that year — hired in the year, or no initial
  training completed before the year began — else the yearly re-training hours, which may be
  "no uniform number" (None: nothing can be short).
- Done: every record that ended in the year counts, whatever its kind; online and offline
  separately, for the share the work plan worries about.
- Three-level induction (厂/车间/班组): for a new person in an induction role, the levels with no
  record ended by the end of the year.
- A person not employed at any time in the year (hired after it, or left before it) needs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from anjian.domain.training.requirements import INDUCTION_LEVELS, Requirements

TRAINING_KINDS: dict[str, str] = {
    "initial": "初次培训（岗前）",
    "annual": "每年再培训",
    "induction_company": "厂（矿）级安全教育",
    "induction_workshop": "车间（工段、区、队）级安全教育",
    "induction_team": "班组级安全教育",
    "review": "复审培训",
    "special": "专项培训（新工艺、转岗等）",
}
INDUCTION_KINDS: dict[str, str] = {f"induction_{level}": level for level in INDUCTION_LEVELS}
DELIVERIES: dict[str, str] = {"offline": "线下面授", "online": "线上"}
ZERO = Decimal(0)


@dataclass(frozen=True)
class RecordFact:
    kind: str
    delivery: str
    hours: Decimal
    started_on: date
    ended_on: date


@dataclass(frozen=True)
class PersonFact:
    role: str
    sector: str
    hired_on: date | None = None
    left_on: date | None = None


@dataclass(frozen=True)
class YearHours:
    year: int
    employed: bool
    high_risk: bool
    is_new: bool
    required: Decimal | None  # None: no uniform number applies
    done: Decimal
    online: Decimal
    offline: Decimal
    induction_missing: tuple[str, ...]
    source: str
    reasons: tuple[str, ...]

    @property
    def shortfall(self) -> Decimal:
        if self.required is None:
            return ZERO
        return max(self.required - self.done, ZERO)

    @property
    def online_share(self) -> float | None:
        return None if self.done == ZERO else float(self.online / self.done)

    @property
    def is_short(self) -> bool:
        return self.shortfall > ZERO or bool(self.induction_missing)

    @property
    def induction_missing_labels(self) -> tuple[str, ...]:
        return tuple(INDUCTION_LEVELS[level] for level in self.induction_missing)


def employed_in(person: PersonFact, year: int) -> bool:
    if person.hired_on is not None and person.hired_on.year > year:
        return False
    return not (person.left_on is not None and person.left_on.year < year)


def is_new_in(person: PersonFact, records: Iterable[RecordFact], year: int) -> bool:
    if person.hired_on is not None and person.hired_on.year == year:
        return True
    start = date(year, 1, 1)
    return not any(r.kind == "initial" and r.ended_on < start for r in records)


def _induction_missing(
    person: PersonFact, records: list[RecordFact], year: int, rules: Requirements
) -> tuple[str, ...]:
    if person.role not in rules.induction_roles:
        return ()
    done = {
        INDUCTION_KINDS[r.kind]
        for r in records
        if r.kind in INDUCTION_KINDS and r.ended_on.year <= year
    }
    return tuple(level for level in rules.induction_levels if level not in done)


def year_hours(
    person: PersonFact, records: Iterable[RecordFact], year: int, rules: Requirements
) -> YearHours:
    records = list(records)
    rule = rules.hour_rule(person.role, person.sector)
    high_risk = rules.is_high_risk(person.sector)
    in_year = [r for r in records if r.ended_on.year == year]
    online = sum((r.hours for r in in_year if r.delivery == "online"), ZERO)
    offline = sum((r.hours for r in in_year if r.delivery != "online"), ZERO)
    risk = "高危行业" if high_risk else "一般行业"
    if not employed_in(person, year):
        return YearHours(
            year=year,
            employed=False,
            high_risk=high_risk,
            is_new=False,
            required=ZERO,
            done=online + offline,
            online=online,
            offline=offline,
            induction_missing=(),
            source=rule.source,
            reasons=(f"{year}年不在岗，不计学时要求",),
        )
    new = is_new_in(person, records, year)
    if new:
        required: Decimal | None = Decimal(rule.initial)
        reasons = [f"{risk}新上岗/初次培训应不少于{rule.initial}学时"]
        missing = _induction_missing(person, records, year, rules)
    else:
        required = None if rule.annual is None else Decimal(rule.annual)
        reasons = [
            f"{risk}每年再培训应不少于{rule.annual}学时"
            if rule.annual is not None
            else rule.annual_note or "未规定统一的每年再培训学时"
        ]
        missing = ()
    if missing:
        labels = "、".join(INDUCTION_LEVELS[m] for m in missing)
        reasons.append(f"三级安全教育缺{labels}")
    return YearHours(
        year=year,
        employed=True,
        high_risk=high_risk,
        is_new=new,
        required=required,
        done=online + offline,
        online=online,
        offline=offline,
        induction_missing=missing,
        source=rule.source,
        reasons=tuple(reasons),
    )


def summary_facts(
    year: int,
    *,
    online: Decimal,
    offline: Decimal,
    initial_before: bool,
    induction_done: Iterable[str],
) -> list[RecordFact]:
    """Records standing for a person's history as the database sums it up (the year's online and
    offline hours, whether an initial training ended before the year, the induction kinds ended
    by its end), so that `year_hours` over them equals `year_hours` over the real records: the
    hours count in the year, the markers carry no hours and end before the year."""
    before = date(year - 1, 12, 31)
    facts = [
        RecordFact("annual", "online", online, date(year, 1, 1), date(year, 1, 1)),
        RecordFact("annual", "offline", offline, date(year, 1, 1), date(year, 1, 1)),
    ]
    if initial_before:
        facts.append(RecordFact("initial", "offline", ZERO, before, before))
    facts.extend(RecordFact(kind, "offline", ZERO, before, before) for kind in induction_done)
    return facts
