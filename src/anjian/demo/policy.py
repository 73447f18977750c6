"""Demo policy data: a year of quiet calendars and entries into the county's enterprises, each
checked by the rule engine the entry service asks and booked as it books (so every entry passed
the rules and is audited; `entry_batch` writes the year at once), one approved and one pending
quiet-period exception, whose entry goes through the entry service itself."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db.models import Q

from anjian.accounts.models import Section
from anjian.demo.context import DemoContext
from anjian.demo.entry_batch import EntryBatch
from anjian.domain.rules.ruleset import RuleSet as Rules
from anjian.policy.models import RuleSet
from anjian.policy.selectors import next_month, quiet_days, ruleset_in_force
from anjian.policy.services.booking import EntryRequest, entry_book
from anjian.policy.services.items import item_list_publish, item_list_start
from anjian.policy.services.quiet import (
    quiet_exception_decide,
    quiet_exception_request,
    quiet_month_declare,
)
from anjian.policy.services.rulesets import ruleset_load_shipped
from anjian.registry.models import Enterprise, Officer

ENFORCEMENT_TEAM = "综合行政执法队"


def _first_day(ctx: DemoContext) -> date:
    """A year back from the load date, but not before the first rule set's effective date."""
    first = RuleSet.objects.order_by("effective_from").values_list("effective_from", flat=True)
    return max(ctx.today - timedelta(days=360), first[0])


def _months(ctx: DemoContext) -> list[date]:
    """The months from a year back (see `_first_day`) to the month after the load date."""
    month = _first_day(ctx).replace(day=1)
    if month < _first_day(ctx):
        month = next_month(month)
    months = []
    while month <= next_month(ctx.today.replace(day=1)):
        months.append(month)
        month = next_month(month)
    return months


def load_quiet_calendar(ctx: DemoContext) -> None:
    ruleset_load_shipped()  # present after migrate; again here for databases flushed since
    rng = ctx.rng("policy/quiet")
    office = ctx.users.get("office")
    for month in _months(ctx):
        start = rng.choice([1, 1, 1, 11, 16])
        length = rng.choice([10, 10, 12, 15])
        days = [d for d in range(start, start + length) if d <= 28]
        days += list(range(1, 11 - len(days) + 1)) if len(days) < 10 else []
        declared_on = month - timedelta(days=12)  # before the deadline (25th of the month before)
        quiet_month_declare(
            actor=office, body=ctx.county, month=month, days=sorted(set(days)), today=declared_on
        )


def _section_for(ctx: DemoContext, enterprise: Enterprise) -> Section:
    for section in ctx.sections["county"].values():
        if enterprise.sector in (section.sectors or []):
            return section
    return ctx.sections["county"][ENFORCEMENT_TEAM]


def _officers(ctx: DemoContext, section: Section) -> list[Officer]:
    return [o for o in ctx.officers["county"] if o.section_id == section.pk]


def _working_days(ctx: DemoContext, rng: random.Random, n: int) -> list[date]:
    start = _first_day(ctx)
    span = max((ctx.today - start).days - 2, 1)
    days: set[date] = set()
    while len(days) < min(n, span * 5 // 7):
        day = start + timedelta(days=rng.randrange(0, span))
        if day.weekday() < 5:
            days.add(day)
    return sorted(days)


def _book(
    ctx: DemoContext,
    enterprise: Enterprise,
    section: Section,
    day: date,
    batch: EntryBatch | None = None,
    **kw: object,
) -> bool:
    """Books the entry if the rules allow it, in the batch when one is given, else through the
    entry service."""
    officers = _officers(ctx, section)
    if batch is not None:
        return batch.book(
            enterprise=enterprise,
            day=day,
            section=section,
            officers=officers[:2],
            **kw,  # type: ignore[arg-type]
        )
    request = EntryRequest(
        enterprise=enterprise,
        date=day,
        body=ctx.county,
        section=section,
        officers=officers[:2],
        activity=str(kw.pop("activity", "enforcement_inspection")),
        mode=str(kw.pop("mode", "on_site")),
        **kw,  # type: ignore[arg-type]
    )
    return entry_book(actor=None, request=request).booked


def _entries_for(
    ctx: DemoContext, rng: random.Random, enterprise: Enterprise, rules: Rules, batch: EntryBatch
) -> None:
    cap, _label = rules.cap_for(
        enterprise.sector,
        enterprise.standardization_grade,
        enterprise.coal_mine_class or None,
        enterprise.non_coal_risk_class or None,
    )
    section = _section_for(ctx, enterprise)
    team = ctx.sections["county"][ENFORCEMENT_TEAM]
    wanted = cap if rng.random() < 0.06 else min(cap, rng.choice([0, 1, 1, 1, 2, 2, 3]))
    if enterprise.memberships.exists():  # the demo enterprise logins see a year in use
        wanted = min(cap, 3)
    for n, day in enumerate(_working_days(ctx, rng, wanted + 4)):
        if n >= wanted:
            break
        joint = f"LH-{enterprise.pk}-{day:%m%d}" if rng.random() < 0.25 else ""
        if _book(ctx, enterprise, section, day, batch, joint_key=joint) and joint:
            _book(ctx, enterprise, team, day, batch, joint_key=joint)
        if rng.random() < 0.3 and day + timedelta(days=21) < ctx.today:
            ground = f"责令限期整改指令书 文应急责改〔{day.year}〕{rng.randint(10, 300)}号"
            _book(
                ctx,
                enterprise,
                section,
                day + timedelta(days=21),
                batch,
                activity="rectification_review",
                ground=ground,
            )
    if enterprise.online_monitoring and rng.random() < 0.5:
        day = _working_days(ctx, rng, 1)[0]
        _book(ctx, enterprise, section, day, batch, mode="remote")
    if rng.random() < 0.05:
        ground = f"12350 举报件 {rng.randint(1000, 9999)} 号"
        _book(
            ctx,
            enterprise,
            section,
            _working_days(ctx, rng, 1)[0],
            batch,
            activity="complaint_verification",
            ground=ground,
        )


def _patrols(ctx: DemoContext, rng: random.Random, mine: Enterprise, batch: EntryBatch) -> None:
    """Weekly supervisor patrols at each coal mine; some enforcement rides on a patrol day."""
    section = _section_for(ctx, mine)
    monday = ctx.today - timedelta(days=ctx.today.weekday() + 7 * 26)
    while monday < _first_day(ctx):
        monday += timedelta(days=7)
    while monday < ctx.today - timedelta(days=7):
        day = monday + timedelta(days=rng.randrange(5))
        _book(ctx, mine, section, day, batch, activity="supervisor_patrol")
        monday += timedelta(days=7)


def load_entries(ctx: DemoContext) -> None:
    rng = ctx.rng("policy/entries")
    county = Enterprise.objects.filter(supervising_body=ctx.county, is_deleted=False)
    county.filter(
        Q(sector__in=["coal_mine", "non_coal_mine"])
        | Q(sector="hazardous_chemicals", employees__gte=100)
    ).update(online_monitoring=True)
    rules = ruleset_in_force(ctx.today).rules()
    batch = EntryBatch(ctx.county)
    for enterprise in county.order_by("pk"):
        if enterprise.sector == "coal_mine":
            _patrols(ctx, rng, enterprise, batch)
        _entries_for(ctx, rng, enterprise, rules, batch)
    batch.flush()


def _quiet_day(ctx: DemoContext, after: date, before: date) -> date | None:
    days = sorted(d for d in quiet_days(ctx.county.pk, after, before) if d.weekday() < 5)
    return days[len(days) // 2] if days else None


def load_item_list(ctx: DemoContext) -> None:
    """The starter item list, published by the legal office at the start of the demo year."""
    legal = ctx.users.get("legal")
    start = _first_day(ctx)
    draft = item_list_start(actor=legal, body=ctx.county, today=start)
    item_list_publish(
        actor=legal, draft=draft, today=start, change_note="暂以起步清单公布，待本局梳理后替换"
    )


def load_exceptions(ctx: DemoContext) -> None:
    """One approved exception (with its entry) in the past two months, one pending next month."""
    chem = Enterprise.objects.filter(
        supervising_body=ctx.county, sector="hazardous_chemicals"
    ).order_by("pk")
    hazchem = ctx.sections["county"]["危化股"]
    past = _quiet_day(ctx, ctx.today - timedelta(days=60), ctx.today - timedelta(days=1))
    if past is not None:
        _approved_exception(ctx, chem[3], hazchem, past)
    upcoming = _quiet_day(
        ctx,
        next_month(ctx.today.replace(day=1)),
        next_month(next_month(ctx.today.replace(day=1))) - timedelta(days=1),
    )
    if upcoming is not None:
        quiet_exception_request(
            actor=ctx.users["hazchem"],
            enterprise=chem[5],
            day=upcoming,
            activity="enforcement_inspection",
            reason="省厅部署的危险化学品储罐区专项检查限期完成，该企业储罐区检修后须在复产前现场核查",
            section=hazchem,
            today=ctx.today,
        )


def _approved_exception(
    ctx: DemoContext, enterprise: Enterprise, section: Section, day: date
) -> None:
    approved = quiet_exception_request(
        actor=ctx.users["hazchem"],
        enterprise=enterprise,
        day=day,
        activity="enforcement_inspection",
        reason="群众举报该企业在安静期内夜间违规充装液化石油气，需入企核查并固定证据",
        section=section,
        today=day - timedelta(days=2),
    )
    approved = quiet_exception_decide(  # approved the day before the entry (事前审批)
        actor=ctx.users["head"],
        exception=approved,
        approve=True,
        note="同意，抄告县司法局",
        today=day - timedelta(days=1),
    )
    _book(ctx, enterprise, section, day, quiet_exception=approved)
