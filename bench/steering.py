"""Campaign steering benchmark (issue 18). Not a test: it times the leadership cockpit and the
weekly pre-fill on a loaded database and prints seconds and query counts.

It measures, for one county's campaign (文水县 unless `--body` names another body):

- the cockpit computation (`anjian.steering.cockpit.cockpit`) for the whole county and for one
  business section, as of `--day` (default today): this year to that day against the same period
  last year, every figure, the sector tables and the monthly series;
- the cockpit page as the county's head sees it (the view, its charts and template);
- the weekly pre-fill (`anjian.steering.services.weekly.week_figures`) of every reporting section
  for the last full ISO week before `--day`.

Each is run `--repeat` times after one warm-up run (reported apart as "first": cold database
caches, the URLconf already loaded as in a running server); the query count
comes from `django.test.utils.CaptureQueriesContext` and must not depend on the data's size.

The county's campaign for the day's year is used when it exists; otherwise one is created (with
one measure falling to every business section, so every business section and enforcement team
reports) inside a transaction that is rolled back at the end, so the database is left as it was
(`--keep` commits it instead).

    # the province data set (bench/province.py; see docs/ops/province-scale.md)
    python bench/province.py --database-url postgres://postgres@127.0.0.1:5432/anjian_province
    python bench/steering.py --database-url postgres://postgres@127.0.0.1:5432/anjian_province
    # the SQLite demo (anjian demo --no-serve with ANJIAN_DATA_DIR=/tmp/dd)
    python bench/steering.py --database-url sqlite --data-dir /tmp/dd

With a PostgreSQL URL the data folder defaults to the one the province loader kept for that
database (its keys); with `sqlite` the data folder's own file is used and `--data-dir` is needed
(the site's keys are then the folder's own).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

from _serve import default_data_dir, is_sqlite, site_env


@dataclass(frozen=True)
class Timing:
    label: str
    first: float
    median: float
    best: float
    queries: int
    queries_first: int


def measure(label: str, run: Callable[[], object], repeat: int) -> Timing:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds, counts = [], []
    for _ in range(repeat + 1):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            run()
            seconds.append(time.perf_counter() - started)
        counts.append(len(captured.captured_queries))
    rest = seconds[1:] or seconds
    return Timing(label, seconds[0], statistics.median(rest), min(rest), counts[-1], counts[0])


class Rollback(Exception):
    pass


@contextmanager
def scratch(keep: bool) -> Iterator[None]:
    """A transaction rolled back at the end (committed with `--keep`)."""
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            if not keep:
                raise Rollback
    except Rollback:
        pass


def county(body: int | None) -> Any:
    from anjian.accounts.models import EnforcementBody

    if body is not None:
        return EnforcementBody.objects.get(pk=body)
    return EnforcementBody.objects.get(name="文水县应急管理局")


def campaign_of(body: Any, year: int) -> tuple[Any, bool]:
    """The body's campaign of the year, or a new one (then True)."""
    from anjian.steering.models import Campaign, Measure

    found = Campaign.objects.filter(body=body, year=year).first()
    if found is not None:
        return found, False
    campaign = Campaign.objects.create(
        body=body,
        year=year,
        title=f"{body.name}{year}年“听民意办实事”专项工作（基准测试）",
        report_weekday=4,
        report_time=clock(17, 0),
        report_grace_days=3,
        reports_from=date(year, 1, 1),
        reports_until=date(year, 12, 31),
    )
    Measure.objects.create(
        campaign=campaign, clause="三（一）1", title="积极推行联合执法", all_sections=True
    )
    return campaign, True


def page_run(campaign: Any, day: date) -> Callable[[], object]:
    """A GET of the cockpit page as the body's head (logged in once, outside the timing)."""
    from django.test import Client

    from anjian.accounts.models import User

    head = User.objects.filter(body=campaign.body, role="bureau_head", is_active=True).first()
    if head is None:
        raise SystemExit(f"{campaign.body} has no active bureau head to open the page as")
    client = Client(HTTP_HOST="localhost")
    client.force_login(head)
    url = f"/campaign/cockpit/?campaign={campaign.pk}&day={day.isoformat()}"

    def run() -> object:
        answer = client.get(url)
        if answer.status_code != 200:
            raise SystemExit(f"{url} answered {answer.status_code}")
        return answer

    return run


def runs(campaign: Any, day: date) -> list[tuple[str, Callable[[], object]]]:
    from django.urls import reverse

    from anjian.accounts.models import Section
    from anjian.domain.steering.weeks import IsoWeek
    from anjian.steering.access import reporting_sections
    from anjian.steering.cockpit import cockpit
    from anjian.steering.services.weekly import week_figures

    section = (
        Section.objects.filter(body=campaign.body, kind="business").exclude(sectors=[]).first()
    )
    sections = list(reporting_sections(campaign))
    week = IsoWeek.of(day - timedelta(days=7))
    reverse("steering:cockpit")  # loads the URLconf (once per process), not part of "first"

    def prefill() -> object:
        return [week_figures(campaign, s, week) for s in sections]

    found: list[tuple[str, Callable[[], object]]] = [
        ("cockpit, whole county", lambda: cockpit(campaign, day=day)),
    ]
    if section is not None:
        label = f"cockpit, one section ({section.name})"
        found.append((label, lambda: cockpit(campaign, day=day, section=section)))
    found.append(("cockpit page (head, view + charts)", page_run(campaign, day)))
    found.append((f"weekly pre-fill, {len(sections)} sections, {week.code}", prefill))
    return found


def facts(campaign: Any, day: date) -> dict[str, int]:
    from anjian.policy.models import EntryBooking
    from anjian.registry.models import Enterprise

    body = campaign.body
    return {
        "enterprises (body)": Enterprise.objects.live().filter(supervising_body=body).count(),
        "entry bookings (body, this year and last)": EntryBooking.objects.filter(
            body=body, date__gte=date(day.year - 1, 1, 1), date__lte=day
        ).count(),
        "entry bookings (all)": EntryBooking.objects.count(),
    }


def report(rows: Sequence[Timing]) -> None:
    print("\n| run | first s | median s | best s | queries (first) |\n|---|---:|---:|---:|---:|")
    for t in rows:
        print(
            f"| {t.label} | {t.first:.3f} | {t.median:.3f} | {t.best:.3f} | "
            f"{t.queries} ({t.queries_first}) |"
        )


def main(argv: Sequence[str] | None = None) -> None:
    options = parse(argv)
    setup(options)
    from django.utils import timezone

    day = options.day or timezone.localdate()
    with scratch(options.keep):
        body = county(options.body)
        campaign, created = campaign_of(body, day.year)
        print(f"database: {options.database_url}; campaign {campaign.pk} ({campaign.title})")
        if created:
            print("created for the benchmark" + ("" if options.keep else " (rolled back)"))
        for name, value in facts(campaign, day).items():
            print(f"{name}: {value:,}")
        print(f"as of {day.isoformat()}; {options.repeat} runs after a warm-up")
        report([measure(label, run, options.repeat) for label, run in runs(campaign, day)])


def setup(options: argparse.Namespace) -> None:
    if is_sqlite(options.database_url):
        if options.data_dir is None:
            raise SystemExit("--data-dir is needed with sqlite (the demo's ANJIAN_DATA_DIR)")
        os.environ["ANJIAN_DATA_DIR"] = str(options.data_dir)
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("ANJIAN_ALLOWED_HOSTS", "localhost")
    else:
        data_dir = options.data_dir or default_data_dir(options.database_url)
        os.environ.update(site_env(data_dir, options.database_url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.config.settings")
    import django

    django.setup()


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--database-url", default="sqlite", help="postgres://… or sqlite")
    parser.add_argument("--data-dir", type=Path, default=None, help="ANJIAN_DATA_DIR")
    parser.add_argument("--body", type=int, default=None, help="the county body's pk (文水县)")
    parser.add_argument("--day", type=date.fromisoformat, default=None, help="as-of day")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="commit a campaign it creates")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
