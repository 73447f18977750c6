"""Demo planning: the office has opened next month for submissions and every business section and
the enforcement team have submitted planned visits, some to the same enterprises (so the planner
has something to merge)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db.models import Q

from anjian.accounts.models import User
from anjian.demo.context import DemoContext
from anjian.planning.access import visible_visits
from anjian.planning.annual import DEFAULT_SHARE, annual_plan_advance, annual_plan_generate
from anjian.planning.models import AnnualPlanLine, PlanningMonth
from anjian.planning.services import (
    VisitRequest,
    month_end,
    planned_visit_submit,
    planning_month_open,
)
from anjian.policy.selectors import items_for_enterprise
from anjian.registry.access import visible_enterprises
from anjian.registry.models import Enterprise

SUBMITTERS = ("hazchem", "metal", "coal", "noncoal", "team")
NOTES = ("", "", "", "结合冬季专项检查", "双随机抽查", "请与其他股室合并")
GROUNDS = {
    "rectification_review": "复查 文水应急责改〔{year}〕{n}号 责令限期整改指令书",
    "complaint_verification": "核查 {year} 年第 {n} 号举报件",
}


def _visit(rng: random.Random, first: date, firm: Enterprise, activity: str) -> VisitRequest | None:
    items = [item.code for item in items_for_enterprise(firm)]
    inspects = activity == "enforcement_inspection"
    if inspects and not items:
        return None
    last = month_end(first)
    start = first + timedelta(days=rng.randrange(0, 15))
    end = min(last, start + timedelta(days=rng.choice([5, 10, 14, 20, 30])))
    return VisitRequest(
        enterprise=firm,
        activity=activity,
        item_codes=tuple(sorted(rng.sample(items, min(len(items), rng.randint(1, 3)))))
        if inspects or (items and rng.random() < 0.5)
        else (),
        earliest=start,
        latest=end,
        remote_ok=activity != "enforcement_inspection" and rng.random() < 0.4,
        note=GROUNDS[activity].format(year=first.year, n=rng.randint(1, 120))
        if activity in GROUNDS
        else rng.choice(NOTES),
    )


def _planned_this_month(ctx: DemoContext, month: PlanningMonth) -> set[int]:
    lines = AnnualPlanLine.objects.filter(
        plan__body=ctx.county, plan__year=month.month.year, plan__status="approved"
    ).values_list("enterprise_id", "months")
    return {firm_id for firm_id, months in lines if month.month.month in months}


def _submit(
    ctx: DemoContext, rng: random.Random, month: PlanningMonth, user: User, count: int
) -> None:
    """Sections mostly follow the approved annual plan: their enforcement visits go to the
    enterprises it foresees this month; a few stay off-plan for the office to query."""
    firms = list(visible_enterprises(user).filter(supervising_body=ctx.county, status="operating"))
    planned = _planned_this_month(ctx, month)
    activities = (
        ["rectification_review", "enforcement_inspection", "complaint_verification"]
        if user.username == "team"
        else ["enforcement_inspection"] * 3 + ["assistance_guidance"]
    )
    on_plan = [f for f in firms if f.pk in planned]
    others = [f for f in firms if f.pk not in planned]
    picked = rng.sample(on_plan, min(len(on_plan), count * 2 // 3))
    picked += rng.sample(others, min(len(others), count - len(picked)))
    for firm in picked:
        activity = rng.choice(activities)
        if activity == "enforcement_inspection" and firm.pk not in planned and rng.random() < 0.7:
            activity = "assistance_guidance"
        request = _visit(rng, month.month, firm, activity)
        if request is not None:
            planned_visit_submit(actor=user, planning_month=month, request=request, today=ctx.today)


def load_planned_visits(ctx: DemoContext) -> None:
    rng = ctx.rng("planning")
    first = month_end(ctx.today) + timedelta(days=1)
    cutoff = max(ctx.today, ctx.today.replace(day=25))
    month = planning_month_open(
        actor=ctx.users["office"], body=ctx.county, month=first, cutoff=cutoff, today=ctx.today
    )
    for username in SUBMITTERS:
        _submit(ctx, rng, month, ctx.users[username], 12 if username != "team" else 15)
    # The team re-visits some enterprises the sections plan too: candidates for merging.
    section_firms = [v.enterprise for v in visible_visits(ctx.users["office"], month)]
    team = ctx.users["team"]
    taken = {v.enterprise_id for v in visible_visits(team, month)}
    for firm in rng.sample(section_firms, min(10, len(section_firms))):
        if firm.pk in taken:
            continue
        taken.add(firm.pk)
        request = _visit(rng, first, firm, "rectification_review")
        if request is not None:
            planned_visit_submit(actor=team, planning_month=month, request=request, today=ctx.today)


def load_annual_plan(ctx: DemoContext) -> None:
    """This year's plan, generated, reviewed, approved by the head and by the county
    government. Before it, the larger chemical works and the gas and oil depots are marked as
    major hazard sources (重大危险源)."""
    Enterprise.objects.filter(
        Q(name__contains="化工") | Q(name__contains="燃气") | Q(name__contains="油库"),
        sector="hazardous_chemicals",
        employees__gte=50,
    ).update(major_hazard=True)
    office, head = ctx.users["office"], ctx.users["head"]
    plan = annual_plan_generate(
        actor=office, body=ctx.county, year=ctx.today.year, share=DEFAULT_SHARE, today=ctx.today
    )
    for actor, action in ((office, "submit"), (office, "office_pass"), (head, "head_approve")):
        annual_plan_advance(actor=actor, plan=plan, action=action, note="同意", today=ctx.today)
    annual_plan_advance(
        actor=office,
        plan=plan,
        action="record_approval",
        document_number=f"文政函〔{ctx.today.year}〕{ctx.rng('annual').randint(10, 60)}号",
        approved_on=ctx.today - timedelta(days=1),
        today=ctx.today,
    )
