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
from dataclasses import dataclass
from datetime import date, timedelta

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.demo.context import DemoContext
from anjian.demo.penalty_plans import LAW, Plan, plans
from anjian.domain.discretion.payments import payment_due
from anjian.enforcement.models import BenchmarkVersion, PenaltyCase
from anjian.enforcement.selectors import case_suggestion
from anjian.enforcement.services import case_proposal, case_steps
from anjian.enforcement.services.cases import case_open
from anjian.enforcement.services.library import version_adopt
from anjian.inspections.models import Hazard
from anjian.policy.services.booking import certified_officers
from anjian.policy.workdays import workday_lookup
from anjian.registry.access import visible_enterprises
from anjian.registry.models import Enterprise, Officer


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
        suggestion = case_suggestion(case, merged)
        if fine is None and not plan.no_penalty:  # the officer takes the engine's amounts
            fine = suggestion.suggested_unit.amount if suggestion.suggested_unit else None
            if suggestion.suggested_person and plan.person[0]:
                person = suggestion.suggested_person.amount
        persons = [case_proposal.FinedPerson(*plan.person, person)] if person else []
        # the measures the law makes mandatory at the stage are always proposed
        measures = () if plan.no_penalty else (*suggestion.mandatory_measures, *plan.measures)
        case_proposal.case_propose(
            actor=self.handler,
            case=case,
            facts=merged,
            unit_fine=fine or None,
            persons=persons,
            measures=tuple(dict.fromkeys(measures)),
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
        """Each fined party pays; a plan with `pay_late_days` pays that long after the 15 days,
        with its late fee (行政处罚法第七十二条)."""
        if self.plan.pay_late_days and case.delivered_on is not None:
            late = payment_due(case.delivered_on) + timedelta(days=self.plan.pay_late_days)
            day = min(max(day, late), self.walk.today)
        for fine in list(case.fines.all()):
            case_steps.case_pay(actor=self.handler, case=case, fine=fine, paid_on=day, today=day)

    def close(self, case: PenaltyCase, day: date) -> None:
        case_steps.case_close(actor=self.handler, case=case, today=day, note="执行完毕，归档")


DEMO_BENCHMARK_TITLE = "文水县应急管理行政处罚裁量基准（演示数据）"
DEMO_BENCHMARK_DOCUMENT = "演示〔2026〕1号"
"""The demo's legal office adopts the shipped benchmarks under a title that says it is the
demo's: a real bureau enters the official title and number (e.g. 应急〔2024〕90号)."""


def prepare_decisions(ctx: DemoContext, walk: Walk) -> None:
    """What a decision needs besides the case: the county's payment account, and the benchmark
    versions adopted by its legal office."""
    body = ctx.county
    if not body.payment_account_no:
        body.payment_bank = "中国农业银行文水县支行（演示）"
        body.payment_account_name = "文水县财政局非税收入汇缴专户（演示）"
        body.payment_account_no = "0000 0000 0000 0000"
        body.payment_note = "也可凭决定书所附非税收入缴款码通过网上银行缴纳"
        body.save()
    for version in BenchmarkVersion.objects.filter(adopted_at__isnull=True, withdrawn_at=None):
        version_adopt(
            actor=walk.legal,
            version=version,
            title=DEMO_BENCHMARK_TITLE,
            document=DEMO_BENCHMARK_DOCUMENT,
        )


def load_penalties(ctx: DemoContext) -> None:
    walk = Walk(ctx)
    prepare_decisions(ctx, walk)
    for plan in plans(ctx):
        case = walk.run(plan)
        if plan.until == "dropped":
            case_steps.case_drop(
                actor=walk.handler_for(case.enterprise, None),
                case=case,
                reason="经调查，举报事项不属实，企业已按规定设置警示标志",
                today=walk.workday(case.filed_on, 5),
            )
