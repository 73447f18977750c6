"""The discretion data in force, read from the database, and the engine over it.

Benchmark and list versions are stored in their dictionary form and checked again by the domain
when read, so the engine only ever sees data that passed `benchmark_from_dict`/`list_from_dict`.
The shipped starter versions are loaded by a data migration (and by `load_shipped`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.discretion.benchmark import Benchmark, BenchmarkInvalid, benchmark_from_dict
from anjian.domain.discretion.engine import PenaltyRequest, PenaltySuggestion, suggest_penalty
from anjian.domain.discretion.lists import FlexibleList, ListInvalid, list_from_dict
from anjian.domain.discretion.procedure import Thresholds
from anjian.domain.discretion.statute import Provision
from anjian.enforcement.models import BenchmarkVersion, ListVersion, Origin
from anjian.policy_data.discretion import (
    shipped_benchmark_dicts,
    shipped_list_dicts,
    shipped_statute,
)


def jsonable(value: Any) -> Any:
    """TOML and spreadsheet values as JSON: dates become ISO strings."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def configured_thresholds() -> Thresholds:
    return Thresholds(
        large_unit_fine=settings.ANJIAN_LARGE_FINE_UNIT,
        large_person_fine=settings.ANJIAN_LARGE_FINE_PERSON,
    )


def active_benchmark_rows() -> list[BenchmarkVersion]:
    return list(BenchmarkVersion.objects.filter(withdrawn_at__isnull=True))


def active_benchmarks() -> list[Benchmark]:
    statute = shipped_statute()
    return [benchmark_from_dict(row.data, statute) for row in active_benchmark_rows()]


def active_lists() -> list[FlexibleList]:
    return [
        list_from_dict(row.data) for row in ListVersion.objects.filter(withdrawn_at__isnull=True)
    ]


def suggest(request: PenaltyRequest) -> PenaltySuggestion:
    """The engine over the statute, the benchmarks and lists in the database, and the configured
    thresholds. Raises LookupError(code, message) for a provision not in the statute table."""
    return suggest_penalty(
        request,
        statute=shipped_statute(),
        benchmarks=active_benchmarks(),
        lists=active_lists(),
        thresholds=configured_thresholds(),
    )


def known_provisions() -> list[Provision]:
    """The statute table's provisions, and those the benchmarks in the database bring beyond it
    (each once)."""
    found = {p.key: p for p in shipped_statute().provisions.values()}
    for benchmark in active_benchmarks():
        for provision in benchmark.provisions():
            found.setdefault(provision.key, provision)
    return list(found.values())


def provision_for(law: str, article: str, item: str | None) -> Provision | None:
    """A provision of the statute table, or one a benchmark in the database brings."""
    key = (law, article, item or None)
    return next((p for p in known_provisions() if p.key == key), None)


def benchmark_row(benchmark: Benchmark) -> BenchmarkVersion | None:
    return BenchmarkVersion.objects.filter(key=benchmark.id, version=benchmark.version).first()


def _errors(invalid: BenchmarkInvalid | ListInvalid) -> ValidationError:
    return ValidationError([e.message for e in invalid.errors])


def benchmark_save(
    *, actor: User | None, data: dict[str, Any], origin: str = Origin.IMPORTED
) -> BenchmarkVersion:
    """Store a new benchmark version after the domain has checked every tier against the statute.
    Refused (nothing written) when invalid or when the same id and version exist."""
    data = jsonable(data)
    try:
        benchmark = benchmark_from_dict(data, shipped_statute())
    except BenchmarkInvalid as invalid:
        raise _errors(invalid) from invalid
    if BenchmarkVersion.objects.filter(key=benchmark.id, version=benchmark.version).exists():
        raise ValidationError(
            f"基准 {benchmark.id} 的版本“{benchmark.version}”已存在，请换一个版本号"
        )
    with transaction.atomic():
        row = BenchmarkVersion.objects.create(
            key=benchmark.id,
            version=benchmark.version,
            name=benchmark.name,
            issuer=benchmark.issuer,
            document=benchmark.document,
            family=benchmark.family,
            sectors=sorted(benchmark.sectors),
            effective_from=benchmark.effective_from,
            effective_until=benchmark.effective_until,
            note=benchmark.note,
            data=data,
            entry_count=len(benchmark.entries),
            tier_count=sum(len(e.tiers) for e in benchmark.entries),
            origin=origin,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="benchmark.create",
            target=row,
            changes={"entries": row.entry_count, "tiers": row.tier_count, "origin": origin},
        )
    return row


def list_save(
    *, actor: User | None, data: dict[str, Any], origin: str = Origin.IMPORTED
) -> ListVersion:
    """Store a new flexible-enforcement list version (checked by the domain first)."""
    data = jsonable(data)
    try:
        lst = list_from_dict(data)
    except ListInvalid as invalid:
        raise _errors(invalid) from invalid
    if ListVersion.objects.filter(key=lst.id, version=lst.version).exists():
        raise ValidationError(f"清单 {lst.id} 的版本“{lst.version}”已存在，请换一个版本号")
    with transaction.atomic():
        row = ListVersion.objects.create(
            key=lst.id,
            version=lst.version,
            kind=lst.kind,
            name=lst.name,
            issuer=lst.issuer,
            effective_from=lst.effective_from,
            effective_until=lst.effective_until,
            note=lst.note,
            data=data,
            item_count=len(lst.items),
            origin=origin,
            created_by=actor,
        )
        audit_record(
            actor=actor, action="list.create", target=row, changes={"items": row.item_count}
        )
    return row


def load_shipped() -> int:
    """Load every shipped starter version not yet in the database; returns how many."""
    loaded = 0
    for data in shipped_benchmark_dicts():
        if not BenchmarkVersion.objects.filter(key=data["id"], version=data["version"]).exists():
            benchmark_save(actor=None, data=data, origin=Origin.SHIPPED)
            loaded += 1
    for data in shipped_list_dicts():
        if not ListVersion.objects.filter(key=data["id"], version=data["version"]).exists():
            list_save(actor=None, data=data, origin=Origin.SHIPPED)
            loaded += 1
    return loaded
