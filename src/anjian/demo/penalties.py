"""The demo's penalty cases, walked through the case services on past dates.

Cases open from the inspections demo's findings where one fits (a finding's item names the
provision it breaks; findings found not fixed on review open overdue-stage cases), else from a
report (举报) against an enterprise. Together they cover every state of the procedure, a no-penalty
first offense, lenient cases, a major case through legal review and a hearing, a proposal outside
the tier sent back by the legal office, and a group of like cases (安全生产法 97(7), tier A of the
national benchmark) with one fine far above the others, which the consistency monitor flags.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.demo.context import DemoContext
from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.selectors import case_suggestion
from anjian.enforcement.services import case_proposal, case_steps
from anjian.enforcement.services.cases import case_open, is_overdue
from anjian.inspections.models import Hazard
from anjian.policy.services.booking import certified_officers
from anjian.policy.workdays import workday_lookup
from anjian.registry.access import visible_enterprises
from anjian.registry.models import Enterprise, Officer

# the provision a finding of each starter-list item breaks (安全生产法 unless named)
ITEM_PROVISIONS: dict[str, tuple[str, str | None]] = {
    "WS-GEN-006": ("101", "4"),
    "WS-GEN-007": ("97", "5"),
    "WS-GEN-008": ("99", "1"),
    "WS-GEN-009": ("99", "3"),
    "WS-GEN-010": ("99", "4"),
    "WS-GEN-012": ("105", "2"),
    "WS-GEN-013": ("101", "3"),
    "WS-GEN-014": ("99", "5"),
    "WS-GEN-015": ("104", None),
    "WS-HC-001": ("101", "1"),
    "WS-HC-005": ("101", "2"),
    "WS-HC-008": ("99", "3"),
    "WS-HC-015": ("101", "3"),
    "WS-IT-002": ("101", "3"),
    "WS-IT-003": ("99", "5"),
    "WS-IT-008": ("99", "8"),
    "WS-IT-009": ("105", "2"),
    "WS-MT-004": ("99", "4"),
    "WS-MT-005": ("101", "3"),
}
# findings of an item that break another provision than the item's usual one
DESCRIPTION_PROVISIONS: dict[str, tuple[str, str | None]] = {
    "燃气灶具连接软管老化龟裂": ("102", None),
    "液化石油气钢瓶与灶具同室存放": ("102", None),
    "未制定人员密集场所应急疏散预案": ("97", "6"),
    "安全出口指示标志损坏": ("99", "3"),
    "可燃气体报警器 2 台处于故障状态": ("99", "3"),
    "煤气加压站固定式一氧化碳检测报警仪": ("99", "3"),
}
LAW = "安全生产法"


def provision_of(hazard: Hazard) -> tuple[str, str | None]:
    for start, provision in DESCRIPTION_PROVISIONS.items():
        if hazard.description.startswith(start):
            return provision
    return ITEM_PROVISIONS[hazard.item.code]  # type: ignore[union-attr]


FIRST = {"first_offense": True, "harm": "none", "corrected_in_time": True}


@dataclass
class Plan:
    """One demo case: where it comes from, its facts and proposal, and how far it goes."""

    name: str
    until: str  # the state it is left in
    start: int  # days before today the case is filed
    article: str = ""
    item: str | None = None
    hazard: Hazard | None = None
    enterprise: Enterprise | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    unit_fine: int | None = None  # None: the engine's suggested amounts
    person_fine: int | None = None
    measures: tuple[str, ...] = ()
    no_penalty: bool = False
    deviation: str = ""
    reject_first: tuple[int, str] | None = None  # (outside-tier fine, the legal office's opinion)
    hearing: bool = False
    title: str = ""
    text: str = ""


class Walk:
    """Runs the plans: each step on its own past day, through the services."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng("penalties")
        self.today = ctx.today
        self.legal = ctx.users["legal"]
        self.head = ctx.users["head"]
        self.is_workday = workday_lookup(ctx.today - timedelta(days=400), ctx.today)
        self.handlers = list(
            User.objects.filter(
                body=ctx.county, role__in=[Role.BUSINESS_SECTION, Role.ENFORCEMENT_TEAM]
            ).order_by("pk")
        )

    def workday(self, day: date, n: int) -> date:
        """The n-th working day after `day`, never after today."""
        for _ in range(n):
            day += timedelta(days=1)
            while not self.is_workday(day):
                day += timedelta(days=1)
        return min(day, self.today)

    def handler_for(self, enterprise: Enterprise, hazard: Hazard | None) -> User:
        section = hazard.task.section_id if hazard else None
        able = [
            u for u in self.handlers if visible_enterprises(u).filter(pk=enterprise.pk).exists()
        ]
        own = [u for u in able if u.section_id == section]
        return (own or able)[0]

    def officers(self, handler: User, day: date) -> list[Officer]:
        mine = Officer.objects.filter(section=handler.section, is_deleted=False).order_by("pk")
        team = certified_officers(list(mine), day)
        if len(team) < 2:
            team += certified_officers(
                list(Officer.objects.filter(body=self.ctx.county, is_deleted=False)), day
            )
        return team[:2]

    # --- one case ---

    def run(self, plan: Plan) -> PenaltyCase:
        enterprise = plan.hazard.task.enterprise if plan.hazard else plan.enterprise
        assert enterprise is not None
        handler = self.handler_for(enterprise, plan.hazard)
        day = self.today - timedelta(days=plan.start)
        while not self.is_workday(day):
            day -= timedelta(days=1)
        case = case_open(
            actor=handler,
            law=LAW,
            article=plan.article,
            item=plan.item,
            officers=self.officers(handler, day),
            filed_on=day,
            hazards=[plan.hazard] if plan.hazard else [],
            enterprise=None if plan.hazard else enterprise,
            title=plan.title,
            facts_text=plan.text or (plan.hazard.description if plan.hazard else ""),
        )
        if plan.until in ("filed", "dropped"):
            return case
        steps = self.steps(plan, handler)
        for event, gap, action in steps:
            if case.state == plan.until:
                break
            day = self.workday(day, gap)
            action(case, day)
            case.refresh_from_db()
            if event == plan.until:
                break
        return case

    def steps(self, plan: Plan, handler: User) -> list[tuple[str, int, Step]]:
        one = CaseWalk(self, plan, handler)
        first: list[tuple[str, int, Step]] = [("proposed", 6, one.propose)]
        if plan.reject_first:
            first = [("rejected", 6, one.outside), ("proposed", 3, one.propose)]
        return [
            *first,
            ("reviewing", 1, one.submit),
            ("reviewed", 2, one.approve),
            ("notified", 2, one.notify),
            ("hearing", 2, one.defence),
            ("heard", 8, one.hear),
            ("decided", 4, one.decide),
            ("delivered", 1, one.deliver),
            ("paid", 10, one.pay),
            ("closed", 3, one.close),
        ]


Step = Callable[[PenaltyCase, date], None]
APPROVED = "事实清楚，证据确凿，适用依据正确，裁量适当，同意。"
HEARD = "当事人对违法事实无异议，请求考虑已投入资金整改、从轻处罚；调查人员坚持原处罚意见。"


@dataclass
class CaseWalk:
    """The steps of one case, each one service call by the role that takes it."""

    walk: Walk
    plan: Plan
    handler: User

    def propose(
        self, case: PenaltyCase, day: date, fine: int | None = None, reason: str = ""
    ) -> None:
        plan = self.plan
        merged = {**case.facts, **plan.facts}
        fine = fine if fine is not None else plan.unit_fine
        person = plan.person_fine
        if fine is None and not plan.no_penalty:  # the officer takes the engine's amounts
            suggestion = case_suggestion(case, merged)
            fine = suggestion.suggested_unit.amount if suggestion.suggested_unit else None
            if suggestion.suggested_person:
                person = suggestion.suggested_person.amount
        case_proposal.case_propose(
            actor=self.handler,
            case=case,
            facts=merged,
            unit_fine=fine or None,
            person_fine=person or None,
            measures=plan.measures,
            no_penalty=plan.no_penalty,
            deviation_reason=reason or plan.deviation,
            today=day,
        )

    def outside(self, case: PenaltyCase, day: date) -> None:
        """A proposal outside the tier that the legal office sends back."""
        assert self.plan.reject_first is not None
        fine, opinion = self.plan.reject_first
        self.propose(case, day, fine, "企业规模较大，拟从重处罚")
        case_steps.case_submit_review(actor=self.handler, case=case, today=day)
        later = self.walk.workday(day, 2)
        case_steps.case_review(
            actor=self.walk.legal, case=case, approve=False, opinion=opinion, today=later
        )

    def submit(self, case: PenaltyCase, day: date) -> None:
        if case.review_required and case.state == "proposed":
            case_steps.case_submit_review(actor=self.handler, case=case, today=day)

    def approve(self, case: PenaltyCase, day: date) -> None:
        if case.state == "reviewing":
            case_steps.case_review(
                actor=self.walk.legal, case=case, approve=True, opinion=APPROVED, today=day
            )

    def notify(self, case: PenaltyCase, day: date) -> None:
        case_steps.case_notify(actor=self.handler, case=case, today=day)

    def defence(self, case: PenaltyCase, day: date) -> None:
        if self.plan.hearing and case.hearing_right:
            case_steps.case_request_hearing(
                actor=self.handler, case=case, requested_on=day, today=day
            )
            return
        case_steps.case_record_defence(
            actor=self.handler,
            case=case,
            waived=True,
            waive_hearing=case.hearing_right,
            today=day,
        )

    def hear(self, case: PenaltyCase, day: date) -> None:
        if case.state != "hearing":
            return
        case_steps.case_hold_hearing(
            actor=self.handler, case=case, held_on=day, record=HEARD, today=day
        )
        case_steps.case_submit_review(actor=self.handler, case=case, today=day)
        case_steps.case_review(
            actor=self.walk.legal,
            case=case,
            approve=True,
            today=day,
            opinion="听证程序合法，当事人意见已充分听取，维持原处罚意见。",
        )

    def decide(self, case: PenaltyCase, day: date) -> None:
        if case.collective_required and not case.collective_done:
            case_steps.case_record_collective(
                actor=self.walk.head,
                case=case,
                today=day,
                note="局长办公会集体讨论：同意承办人员和法制审核意见。",
            )
        case_steps.case_decide(actor=self.walk.head, case=case, today=day)

    def deliver(self, case: PenaltyCase, day: date) -> None:
        case_steps.case_deliver(
            actor=self.handler, case=case, delivered_on=day, today=day, note="直接送达，当事人签收"
        )

    def pay(self, case: PenaltyCase, day: date) -> None:
        if case.decided_unit_fine or case.decided_person_fine:
            case_steps.case_pay(actor=self.handler, case=case, paid_on=day, today=day)

    def close(self, case: PenaltyCase, day: date) -> None:
        case_steps.case_close(actor=self.handler, case=case, today=day, note="执行完毕，归档")


def _hazards(ctx: DemoContext) -> dict[str, list[Hazard]]:
    """County findings by kind: fixed in time, found not fixed on review, still open."""
    found: dict[str, list[Hazard]] = {"fixed": [], "not_fixed": [], "open": []}
    hazards = (
        Hazard.objects.filter(task__body=ctx.county, item__code__in=list(ITEM_PROVISIONS))
        .select_related("task", "task__enterprise", "item")
        .order_by("pk")
    )
    for hazard in hazards:
        if hazard.review_lines.filter(decision="not_fixed").exists():
            found["not_fixed"].append(hazard)
        elif hazard.status == Hazard.Status.CLOSED and not is_overdue(hazard, ctx.today):
            found["fixed"].append(hazard)
        elif hazard.status == Hazard.Status.OPEN:
            found["open"].append(hazard)
    return found


def _from(hazard: Hazard, **kwargs: Any) -> Plan:
    article, item = provision_of(hazard)
    return Plan(article=article, item=item, hazard=hazard, **kwargs)


def _firms(ctx: DemoContext) -> list[Enterprise]:
    return list(
        Enterprise.objects.filter(supervising_body=ctx.county, status="operating")
        .exclude(sector__in=["coal_mine", "non_coal_mine"])
        .order_by("pk")
    )


UNCERTIFIED = "特种作业人员未取得相应资格上岗作业"
LIKE_FINES = (10000, 12000, 10000, 13000, 12000, 15000)


def plans(ctx: DemoContext) -> list[Plan]:
    hazards = _hazards(ctx)
    fixed, late, still = hazards["fixed"], hazards["not_fixed"], hazards["open"]
    firms = _firms(ctx)
    found: list[Plan] = []
    if fixed:
        found.append(
            _from(
                fixed[0],
                name="首违不罚",
                until="closed",
                start=120,
                facts={**FIRST},
                no_penalty=True,
            )
        )
    if len(fixed) > 1:
        found.append(
            _from(
                fixed[1],
                name="从轻",
                until="closed",
                start=150,
                facts={"mitigating": ["eliminated_harm"], "count": 2},
            )
        )
    fined = [h for h in late if provision_of(h)[0] in ("99", "101")]
    late_stages = (
        ("closed", 110, True),
        ("hearing", 14, True),
        ("reviewing", 9, False),
        ("reviewed", 30, False),
        ("paid", 70, False),
    )
    for hazard, (stage, start, hearing) in zip(fined, late_stages, strict=False):
        found.append(
            _from(
                hazard,
                name=stage,
                until=stage,
                start=start,
                hearing=hearing,
                facts={"overdue": True},
            )
        )
    for n, hazard in enumerate(still[:5]):
        stage = ("filed", "proposed", "notified", "decided", "delivered")[n]
        found.append(_from(hazard, name=stage, until=stage, start=20 + 6 * n, facts={"count": 1}))
    for n, fine in enumerate(LIKE_FINES):
        found.append(
            Plan(
                name="类案",
                until="closed" if n % 2 else "paid",
                start=300 - 35 * n,
                article="97",
                item="7",
                enterprise=firms[(3 * n + 5) % len(firms)],
                title="",
                text=f"{UNCERTIFIED}（1人次），已责令停止作业并限期改正",
                facts={"count": 1, "first_offense": False},
                unit_fine=fine,
            )
        )
    found.append(
        Plan(
            name="类案偏离",
            until="reviewing",
            start=12,
            article="97",
            item="7",
            enterprise=firms[2],
            text=f"{UNCERTIFIED}（1人次）",
            facts={"count": 1},
            unit_fine=30000,
            deviation="",
        )
    )
    found.append(
        Plan(
            name="退回",
            until="notified",
            start=40,
            article="97",
            item="7",
            enterprise=firms[7],
            text=f"{UNCERTIFIED}（1人次），企业主动清退",
            facts={"count": 1},
            unit_fine=10000,
            reject_first=(
                60000,
                "拟罚6万元超出裁量阶次A（3万元以下），偏离理由不足，请按基准重新拟定。",
            ),
        )
    )
    found.append(
        Plan(
            name="撤案",
            until="dropped",
            start=60,
            article="99",
            item="1",
            enterprise=firms[9],
            text="举报称未设置安全警示标志，经查已设置",
        )
    )
    return found


def load_penalties(ctx: DemoContext) -> None:
    walk = Walk(ctx)
    for plan in plans(ctx):
        case = walk.run(plan)
        if plan.until == "dropped":
            case_steps.case_drop(
                actor=walk.handler_for(case.enterprise, None),
                case=case,
                reason="经调查，举报事项不属实，企业已按规定设置警示标志",
                today=walk.workday(case.filed_on, 5),
            )
