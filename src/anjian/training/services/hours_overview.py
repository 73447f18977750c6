"""The 培训学时 page's figures for a year over a set of people, summed in the database: a fixed
number of queries whatever the number of people or records.

One query gives every person employed in the year with the year's online and offline hours and
the facts the rule needs (an initial training before the year, the induction levels done); each
person's `YearHours` is then the pure rule (`domain/training/hours.year_hours`) over those sums
(`summary_facts`), so the page and the person's own page agree. One more query sums the
records by institution, one names the enterprises, and the shown page's people are loaded by
`hours_page`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from anjian.domain.training.hours import (
    INDUCTION_KINDS,
    PersonFact,
    YearHours,
    summary_facts,
    year_hours,
)
from anjian.policy_data.training import shipped_requirements
from anjian.registry.models import Enterprise
from anjian.training.models import Person, TrainingDelivery, TrainingRecord

SELF_ORGANISED = "企业自行组织"
ZERO = Decimal(0)
HOURS = DecimalField(max_digits=9, decimal_places=1)


@dataclass(frozen=True)
class PersonHours:
    """One employed person's year, without the person loaded."""

    pk: int
    enterprise_id: int
    hours: YearHours


@dataclass
class InstitutionHours:
    name: str
    institution_id: int | None
    trainees: int = 0
    hours: Decimal = ZERO
    online: Decimal = ZERO


@dataclass
class EnterpriseHours:
    enterprise: Enterprise
    persons: int = 0
    short: int = 0
    done: Decimal = ZERO
    online: Decimal = ZERO

    @property
    def online_share(self) -> float | None:
        return None if not self.done else float(self.online / self.done)


@dataclass
class HoursOverview:
    year: int
    entries: list[PersonHours] = field(default_factory=list)
    by_enterprise: list[EnterpriseHours] = field(default_factory=list)
    by_institution: list[InstitutionHours] = field(default_factory=list)
    done: Decimal = ZERO
    online: Decimal = ZERO

    @property
    def persons(self) -> int:
        return len(self.entries)

    @property
    def short(self) -> list[PersonHours]:
        return [entry for entry in self.entries if entry.hours.is_short]

    @property
    def short_count(self) -> int:
        return len(self.short)

    @property
    def online_share(self) -> float | None:
        return None if not self.done else float(self.online / self.done)


def employed_in_year(persons: QuerySet[Person], year: int) -> QuerySet[Person]:
    """`domain.training.hours.employed_in` as a filter."""
    return persons.filter(
        Q(hired_on__isnull=True) | Q(hired_on__lt=date(year + 1, 1, 1)),
        Q(left_on__isnull=True) | Q(left_on__gte=date(year, 1, 1)),
    )


def _hours_sum(year: int, online: bool) -> Coalesce:
    delivery = Q(training_records__delivery=TrainingDelivery.ONLINE)
    in_year = Q(training_records__ended_on__year=year) & (delivery if online else ~delivery)
    return Coalesce(Sum("training_records__hours", filter=in_year), Value(ZERO), output_field=HOURS)


def _record_exists(year: int, kind: str, before_year: bool) -> Exists:
    limit = Q(ended_on__lt=date(year, 1, 1)) if before_year else Q(ended_on__lte=date(year, 12, 31))
    return Exists(TrainingRecord.objects.filter(limit, person=OuterRef("pk"), kind=kind))


def _entries(persons: QuerySet[Person], year: int) -> list[PersonHours]:
    annotations = {f"has_{kind}": _record_exists(year, kind, False) for kind in INDUCTION_KINDS}
    rows = (
        employed_in_year(persons, year)
        .annotate(
            online=_hours_sum(year, True),
            offline=_hours_sum(year, False),
            initial_before=_record_exists(year, "initial", True),
            **annotations,
        )
        .order_by("enterprise__name", "name", "pk")
        .values(
            "pk",
            "enterprise_id",
            "enterprise__sector",
            "role",
            "hired_on",
            "left_on",
            "online",
            "offline",
            "initial_before",
            *annotations,
        )
    )
    rules = shipped_requirements()
    entries = []
    for row in rows:
        person = PersonFact(row["role"], row["enterprise__sector"], row["hired_on"], row["left_on"])
        facts = summary_facts(
            year,
            online=Decimal(row["online"]),
            offline=Decimal(row["offline"]),
            initial_before=row["initial_before"],
            induction_done=[kind for kind in INDUCTION_KINDS if row[f"has_{kind}"]],
        )
        entries.append(
            PersonHours(row["pk"], row["enterprise_id"], year_hours(person, facts, year, rules))
        )
    return entries


def _by_enterprise(entries: list[PersonHours]) -> list[EnterpriseHours]:
    ids = list(dict.fromkeys(entry.enterprise_id for entry in entries))
    enterprises = Enterprise.objects.in_bulk(ids)
    lines = {pk: EnterpriseHours(enterprises[pk]) for pk in ids}
    for entry in entries:
        line = lines[entry.enterprise_id]
        line.persons += 1
        line.short += int(entry.hours.is_short)
        line.done += entry.hours.done
        line.online += entry.hours.online
    return list(lines.values())


def _by_institution(persons: QuerySet[Person], year: int) -> list[InstitutionHours]:
    online = Q(delivery=TrainingDelivery.ONLINE)
    sums = (
        TrainingRecord.objects.filter(
            person__in=employed_in_year(persons, year).values("pk"), ended_on__year=year
        )
        .values("institution_id", "institution__name")
        .annotate(
            total=Sum("hours"),
            on_line=Coalesce(Sum("hours", filter=online), Value(ZERO), output_field=HOURS),
            people=Count("person", distinct=True),
        )
        .order_by()
    )
    lines = [
        InstitutionHours(
            row["institution__name"] or SELF_ORGANISED,
            row["institution_id"],
            trainees=row["people"],
            hours=Decimal(row["total"]),
            online=Decimal(row["on_line"]),
        )
        for row in sums
    ]
    return sorted(lines, key=lambda line: (-line.hours, line.name))


def hours_overview(persons: QuerySet[Person], year: int) -> HoursOverview:
    """The year's hours of every person employed in it, with totals by enterprise and by
    institution (records that ended in the year), in a fixed number of queries."""
    entries = _entries(persons, year)
    overview = HoursOverview(year, entries)
    overview.done = sum((entry.hours.done for entry in entries), ZERO)
    overview.online = sum((entry.hours.online for entry in entries), ZERO)
    overview.by_enterprise = _by_enterprise(entries)
    overview.by_institution = _by_institution(persons, year)
    return overview


def hours_page(entries: list[PersonHours]) -> list[tuple[Person, YearHours]]:
    """The shown page's people (one query), in the entries' order."""
    persons = Person.objects.select_related("enterprise").in_bulk([e.pk for e in entries])
    return [(persons[entry.pk], entry.hours) for entry in entries]
