"""Last year's entries, so the cockpit compares two years: the year before the campaign's, up to
where the rest of the demo's data begins (`policy._first_day`). Entries were more frequent and
less often joint then — the burden the campaign set out to cut — and passed the same entry check
(caps, quiet days) as this year's, booked as one batch (`entry_batch`)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from anjian.demo.context import DemoContext
from anjian.demo.entry_batch import EntryBatch
from anjian.demo.policy import _book, _first_day, _section_for
from anjian.policy.models import RuleSet
from anjian.policy.selectors import quiet_days, ruleset_in_force
from anjian.registry.models import Enterprise

ENFORCEMENT_TEAM = "综合行政执法队"


def campaign_year(today: date) -> int:
    """The year of the demo's campaign: this year once its dispatch has mostly run (from
    August), else last year's, so the demo always shows a campaign with 30 weeks and more."""
    return today.year if today >= date(today.year, 8, 1) else today.year - 1


def history_window(today: date, data_begins: date, rules_begin: date) -> tuple[date, date] | None:
    """The year before the campaign's, from 1 January (or the first rule set's day) to 31
    December or the day before the rest of the demo's data begins, whichever comes first."""
    year = campaign_year(today) - 1
    start = max(date(year, 1, 1), rules_begin)
    end = min(date(year, 12, 31), data_begins - timedelta(days=1))
    return (start, end) if start < end else None


def _window(ctx: DemoContext) -> tuple[date, date] | None:
    first_rules = RuleSet.objects.order_by("effective_from").values_list(
        "effective_from", flat=True
    )
    return history_window(ctx.today, _first_day(ctx), first_rules[0])


def _days(rng: random.Random, start: date, end: date, n: int, quiet: set[date]) -> list[date]:
    """`n` working days in [start, end] outside the quiet days."""
    span = (end - start).days
    found: set[date] = set()
    for _ in range(n * 20):
        if len(found) >= n:
            break
        day = start + timedelta(days=rng.randrange(span + 1))
        if day.weekday() < 5 and day not in quiet:
            found.add(day)
    return sorted(found)


def load_last_year(ctx: DemoContext) -> None:
    window = _window(ctx)
    if window is None:
        return
    rng = ctx.rng("steering/last-year")
    rules = ruleset_in_force(window[0]).rules()
    quiet = set(quiet_days(ctx.county.pk, *window))
    team = ctx.sections["county"][ENFORCEMENT_TEAM]
    county = Enterprise.objects.filter(supervising_body=ctx.county, is_deleted=False)
    batch = EntryBatch(ctx.county)
    for enterprise in county.order_by("pk"):
        cap, _label = rules.cap_for(
            enterprise.sector,
            enterprise.standardization_grade,
            enterprise.coal_mine_class or None,
            enterprise.non_coal_risk_class or None,
        )
        section = _section_for(ctx, enterprise)
        wanted = min(cap, rng.choice([1, 1, 2, 2, 3, 3, 4]))
        for day in _days(rng, *window, wanted, quiet):
            joint = f"LH-{enterprise.pk}-{day:%y%m%d}" if rng.random() < 0.1 else ""
            if _book(ctx, enterprise, section, day, batch, joint_key=joint) and joint:
                _book(ctx, enterprise, team, day, batch, joint_key=joint)
        if rng.random() < 0.25:  # assistance and research visits, counted as entries too
            for day in _days(rng, *window, 1, quiet):
                _book(ctx, enterprise, section, day, batch, activity="assistance_guidance")
    batch.flush()
