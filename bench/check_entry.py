"""Benchmark of the entry check (issue 3). Not a test: it prints what it measured.

1. The pure engine: checks per second on a history of 50 entries (target ≥ 20,000/s).
2. `entry_check` through the database (the service every booking calls): median and p99 latency
   with 300,000 enterprises and 3,000,000 entries (target p99 ≤ 20 ms).

    python bench/check_entry.py --pure-only
    python bench/check_entry.py --database postgres://postgres@127.0.0.1:5432/anjian_bench \
        --enterprises 300000 --entries 3000000

The database run creates (or reuses) its own database: never point it at real data. It loads the
rows with PostgreSQL COPY (or bulk inserts on SQLite), then times random checks.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

from anjian.domain.rules import (
    EnterpriseFacts,
    Entry,
    ProposedEntry,
    check_entry,
    ruleset_from_dict,
)
from anjian.domain.rules.vocab import ACTIVITIES
from anjian.policy_data.rulesets import shipped_rulesets

SECTORS = [
    "hazardous_chemicals",
    "metallurgy",
    "industry_trade",
    "coal_mine",
    "non_coal_mine",
    "other",
]


def pure(n: int, seed: int) -> None:
    rules = ruleset_from_dict(shipped_rulesets()["shanxi-2025"])
    rng = random.Random(seed)
    firm = EnterpriseFacts("E", "hazardous_chemicals", 3, None, None, "county")
    start = date(2025, 1, 1)
    history = [
        Entry(
            start + timedelta(days=rng.randrange(365)),
            "county",
            rng.choice(list(ACTIVITIES)),
            rng.choice(["on_site", "on_site", "remote"]),
            rng.choice([None, None, "J1", "J2"]),
        )
        for _ in range(50)
    ]
    quiet = {start + timedelta(days=d) for d in range(0, 365, 3)}
    proposals = [
        ProposedEntry(
            start + timedelta(days=rng.randrange(365)),
            "county",
            "enforcement_inspection",
            "on_site",
            None,
            2,
            False,
        )
        for _ in range(1000)
    ]
    began = time.perf_counter()
    for i in range(n):
        check_entry(rules, firm, quiet, history, proposals[i % 1000])
    elapsed = time.perf_counter() - began
    print(
        f"pure engine: {n} checks on a 50-entry history in {elapsed:.2f} s "
        f"= {n / elapsed:,.0f} checks/s"
    )


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.config.settings")
    os.environ.setdefault("ANJIAN_DATA_DIR", "/tmp/anjian-bench")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _copy(table: str, columns: list[str], rows) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _insert(table: str, columns: list[str], rows, batch: int = 5000) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    if connection.vendor == "postgresql":
        _copy(table, columns, rows)
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    chunk = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


def _load(enterprises: int, entries: int, seed: int) -> None:
    from django.db import transaction

    from anjian.accounts.models import EnforcementBody
    from anjian.policy.models import EntryBooking, QuietMonth, RuleSet
    from anjian.registry.models import Enterprise

    if Enterprise.objects.count() >= enterprises and EntryBooking.objects.count() >= entries:
        print(
            f"reusing {Enterprise.objects.count():,} enterprises, "
            f"{EntryBooking.objects.count():,} entries"
        )
        return
    rng = random.Random(seed)
    began = time.perf_counter()
    with transaction.atomic():
        body, _ = EnforcementBody.objects.get_or_create(
            name="基准县应急管理局", defaults={"level": "county"}
        )
        for month in range(1, 13):
            QuietMonth.objects.get_or_create(
                body=body, month=date(2025, month, 1), defaults={"days": list(range(1, 11))}
            )
        first = (Enterprise.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        now = "2025-01-01 00:00:00+00"
        _insert(
            "registry_enterprise",
            [
                "id",
                "name",
                "name_initials",
                "uscc",
                "address",
                "town",
                "sector",
                "standardization_grade",
                "coal_mine_class",
                "non_coal_risk_class",
                "scale",
                "supervising_body_id",
                "legal_representative",
                "contact_phone",
                "is_contact_point",
                "online_monitoring",
                "status",
                "is_deleted",
                "created_at",
                "updated_at",
            ],
            (
                (
                    first + i,
                    f"基准企业{i}",
                    "",
                    f"BENCH{first + i:013d}",
                    "",
                    "",
                    sector,
                    grade,
                    "B" if sector == "coal_mine" else "",
                    "C" if sector == "non_coal_mine" else "",
                    "",
                    body.pk,
                    "",
                    "",
                    False,
                    False,
                    "operating",
                    False,
                    now,
                    now,
                )
                for i in range(enterprises)
                for sector in [SECTORS[i % 6]]
                for grade in [None if sector in ("coal_mine", "non_coal_mine") else (i % 3) + 1]
            ),
        )
        ruleset = RuleSet.objects.order_by("effective_from").first()
        assert ruleset is not None
        _insert(
            "policy_entrybooking",
            [
                "enterprise_id",
                "date",
                "body_id",
                "activity",
                "mode",
                "joint_key",
                "ground",
                "ruleset_id",
                "verdict",
                "counts_toward",
                "created_at",
                "cancel_reason",
            ],
            (
                (
                    first + rng.randrange(enterprises),
                    date(2025, 1, 1) + timedelta(days=rng.randrange(365)),
                    body.pk,
                    "enforcement_inspection",
                    "on_site",
                    "",
                    "",
                    ruleset.pk,
                    "{}",
                    "cap",
                    now,
                    "",
                )
                for _ in range(entries)
            ),
        )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"loaded {enterprises:,} enterprises and {entries:,} entries "
        f"in {time.perf_counter() - began:.0f} s"
    )


def through_database(samples: int, seed: int) -> None:
    from anjian.policy.services.booking import EntryRequest, entry_check
    from anjian.registry.models import Enterprise, Officer

    rng = random.Random(seed)
    ids = list(Enterprise.objects.values_list("id", flat=True))
    officers: list[Officer] = []
    timings = []
    for i in range(samples + 50):
        enterprise = Enterprise.objects.select_related("supervising_body").get(pk=rng.choice(ids))
        request = EntryRequest(
            enterprise=enterprise,
            date=date(2025, 6, 1) + timedelta(days=rng.randrange(180)),
            activity="enforcement_inspection",
            mode="on_site",
            body=enterprise.supervising_body,
            officers=officers,
        )
        began = time.perf_counter()
        entry_check(request)
        if i >= 50:  # warm-up excluded
            timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    from django.db import connection

    print(
        f"entry_check via {connection.vendor}: {samples} checks, "
        f"median {statistics.median(timings):.2f} ms, "
        f"p99 {p99:.2f} ms, max {timings[-1]:.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pure-only", action="store_true")
    parser.add_argument("--checks", type=int, default=100_000)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/anjian_bench")
    parser.add_argument("--enterprises", type=int, default=300_000)
    parser.add_argument("--entries", type=int, default=3_000_000)
    parser.add_argument("--samples", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    pure(args.checks, args.seed)
    if args.pure_only:
        return 0
    _setup_django(args.database)
    _load(args.enterprises, args.entries, args.seed)
    through_database(args.samples, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
