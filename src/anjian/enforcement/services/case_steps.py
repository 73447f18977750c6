"""The steps of a case after the proposal: legal review, the notice and the party's defence and
hearing, collective discussion, the decision, delivery, payment, closure, and dropping a case.
The order and the guards are the procedure's (`domain/discretion/procedure.py`); each step keeps
the flags of its `CaseStatus` as that module's docstring asks."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError

from anjian.accounts.models import User
from anjian.domain.discretion.deadlines import PAYMENT_DAYS
from anjian.domain.discretion.procedure import decision_gates, late_payment_fee
from anjian.enforcement.models import CaseDocument, LegalReview, PenaltyCase
from anjian.enforcement.selectors import proposal_flags
from anjian.enforcement.services import discretion
from anjian.enforcement.services.case_numbers import issue_case_document
from anjian.enforcement.services.cases import (
    case_step,
    check_day,
    own_step,
    require_capability,
)


def _need(errors: dict[str, list[str]], name: str, text: str, message: str) -> None:
    if not text.strip():
        errors.setdefault(name, []).append(message)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# ---- legal review and collective discussion ----------------------------------------------------


def case_submit_review(*, actor: User, case: PenaltyCase, today: date) -> PenaltyCase:
    """提交法制审核: a major decision's proposal (or, after a hearing, the proposal again)."""
    with case_step(actor=actor, case=case, event="submit_review", on=today):
        pass
    return case


def _proposal(case: PenaltyCase) -> dict[str, object]:
    return {
        "unit_fine": case.proposed_unit_fine,
        "person_fine": case.proposed_person_fine,
        "measures": case.proposed_measures,
        "no_penalty": case.no_penalty,
        "disposition": case.disposition,
        "tier": case.tier,
        "outside_tier": case.outside_tier,
        "deviation_reason": case.deviation_reason,
    }


def case_review(
    *, actor: User, case: PenaltyCase, approve: bool, opinion: str, today: date
) -> LegalReview:
    """法制审核: the legal office approves the proposal or sends it back with its opinion. A
    rejection, and an approval of a proposal outside the benchmark tier, need a written opinion."""
    event = "approve_review" if approve else "reject_review"
    require_capability(actor, event)
    with case_step(actor=actor, case=case, event=event, on=today) as step:
        errors: dict[str, list[str]] = {}
        if not approve:
            _need(errors, "opinion", opinion, "退回修改须写明审核意见")
        elif step.case.outside_tier:
            _need(errors, "opinion", opinion, "处罚意见偏离裁量阶次，同意的须写明审核意见")
        _raise(errors)
        review = LegalReview.objects.create(
            case=step.case,
            reviewer=actor,
            verdict=LegalReview.Verdict.APPROVED if approve else LegalReview.Verdict.REJECTED,
            opinion=opinion.strip() or "同意",
            after_hearing=step.case.hearing_held,
            proposal=_proposal(step.case),
            flags=proposal_flags(step.case),
            reviewed_on=today,
        )
        if approve:
            step.set(review_approved=True, reviewed_after_hearing=step.case.hearing_held)
        else:
            step.set(review_approved=False)
        step.note = review.opinion
        step.data = {"review": review.pk, "verdict": review.verdict}
    return review


def case_record_collective(
    *, actor: User, case: PenaltyCase, note: str, today: date
) -> PenaltyCase:
    """集体讨论: the bureau's leaders discussed the case; `note` records their conclusion."""
    with case_step(actor=actor, case=case, event="record_collective", on=today) as step:
        errors: dict[str, list[str]] = {}
        _need(errors, "note", note, "请记录集体讨论的参加人员和结论")
        _raise(errors)
        step.set(collective_done=True)
        step.note = note.strip()
    return case


# ---- the notice, the defence and the hearing ---------------------------------------------------


def case_notify(*, actor: User, case: PenaltyCase, today: date) -> PenaltyCase:
    """送达告知书 today: numbers the 行政处罚告知书 and, with a hearing right, the 听证告知书."""
    with case_step(actor=actor, case=case, event="notify", on=today) as step:
        step.set(notified_on=today)
        numbers = [
            issue_case_document(
                actor=actor, case=step.case, kind=CaseDocument.Kind.NOTICE, on=today
            ).number
        ]
        if step.case.hearing_right:
            hearing = issue_case_document(
                actor=actor, case=step.case, kind=CaseDocument.Kind.HEARING, on=today
            )
            numbers.append(hearing.number)
        step.data = {"documents": numbers}
    return case


def case_record_defence(
    *,
    actor: User,
    case: PenaltyCase,
    statement: str = "",
    waived: bool = False,
    waive_hearing: bool = False,
    today: date,
) -> PenaltyCase:
    """The party's defence (陈述申辩) or its waiver. The defence window closes early when the
    party waives (with a hearing right: waives the hearing too), or states its defence and has no
    hearing right or expressly waives the hearing."""
    with own_step(
        actor=actor, case=case, event="record_defence", states={"notified"}, on=today
    ) as step:
        if step.case.defence_closed:
            raise ValidationError("当事人已陈述申辩或放弃，陈述申辩期限已结束")
        if not waived and not statement.strip():
            raise ValidationError({"statement": ["请记录当事人的陈述申辩意见，或选择当事人放弃"]})
        closed = waived or waive_hearing or not step.case.hearing_right
        if statement.strip():
            earlier = step.case.defence_text
            step.set(defence_text=f"{earlier}\n{statement.strip()}".strip())
        step.set(defence_closed=closed)
        step.note = statement.strip() or "当事人明确放弃陈述申辩"
        step.data = {"waived": waived, "waive_hearing": waive_hearing, "closed": closed}
    return case


def case_request_hearing(
    *, actor: User, case: PenaltyCase, requested_on: date, today: date
) -> PenaltyCase:
    """申请听证: the party asked for a hearing on `requested_on` (within 5 working days)."""
    with case_step(
        actor=actor, case=case, event="request_hearing", on=requested_on, clock=requested_on
    ) as step:
        errors: dict[str, list[str]] = {}
        after = step.case.notified_on
        check_day(errors, "requested_on", requested_on, today=today, after=after)
        _raise(errors)
        step.set(hearing_requested=True)
    return case


def case_hold_hearing(
    *, actor: User, case: PenaltyCase, held_on: date, record: str, today: date
) -> PenaltyCase:
    """举行听证: the hearing was held; the proposal now needs a fresh legal review and, being a
    decision after a hearing, collective discussion."""
    with case_step(actor=actor, case=case, event="hold_hearing", on=held_on, clock=today) as step:
        errors: dict[str, list[str]] = {}
        check_day(errors, "held_on", held_on, today=today, after=step.case.notified_on)
        _need(
            errors, "record", record, "请记录听证笔录摘要（当事人意见、调查人员意见、主持人意见）"
        )
        _raise(errors)
        gates = decision_gates(
            unit_fine=step.case.proposed_unit_fine,
            person_fine=step.case.proposed_person_fine,
            measures=step.case.proposed_measures,
            after_hearing=True,
            complex_case=step.case.complex_case,
            thresholds=discretion.configured_thresholds(),
        )
        step.set(
            hearing_held=True,
            hearing_on=held_on,
            hearing_record=record.strip(),
            review_required=gates.legal_review or step.case.outside_tier,
            collective_required=gates.collective_decision,
            review_approved=False,
            collective_done=False,
        )
        step.note = record.strip()
    return case


# ---- the decision and after it -----------------------------------------------------------------


def case_decide(*, actor: User, case: PenaltyCase, today: date, note: str = "") -> PenaltyCase:
    """作出决定: the reviewed proposal becomes the decision; numbers the 行政处罚决定书 (or the
    不予行政处罚决定书)."""
    with case_step(actor=actor, case=case, event="decide", on=today) as step:
        penalty = not step.case.no_penalty
        step.set(
            decided_on=today,
            decided_unit_fine=step.case.proposed_unit_fine if penalty else None,
            decided_person_fine=step.case.proposed_person_fine if penalty else None,
        )
        kind = CaseDocument.Kind.DECISION if penalty else CaseDocument.Kind.NO_PENALTY
        document = issue_case_document(actor=actor, case=step.case, kind=kind, on=today)
        step.note = note.strip()
        step.data = {
            "document": document.number,
            "unit_fine": step.case.decided_unit_fine,
            "person_fine": step.case.decided_person_fine,
        }
    return case


def case_deliver(
    *, actor: User, case: PenaltyCase, delivered_on: date, today: date, note: str = ""
) -> PenaltyCase:
    """送达决定书 on `delivered_on` (the 15 days to pay run from it)."""
    with case_step(actor=actor, case=case, event="deliver", on=delivered_on, clock=today) as step:
        errors: dict[str, list[str]] = {}
        check_day(errors, "delivered_on", delivered_on, today=today, after=step.case.decided_on)
        _raise(errors)
        step.set(delivered_on=delivered_on)
        step.note = note.strip()
    return case


def case_pay(
    *,
    actor: User,
    case: PenaltyCase,
    paid_on: date,
    today: date,
    amount: int | None = None,
) -> PenaltyCase:
    """缴纳罚款 on `paid_on`: the fine and, after the 15 days, 3% of it a day (第七十二条).
    `amount`, when given, must be what is due (the fine and the late fee together)."""
    with case_step(actor=actor, case=case, event="pay", on=paid_on, clock=today) as step:
        errors: dict[str, list[str]] = {}
        check_day(errors, "paid_on", paid_on, today=today, after=step.case.delivered_on)
        _raise(errors)
        fine = (step.case.decided_unit_fine or 0) + (step.case.decided_person_fine or 0)
        assert step.case.delivered_on is not None
        due = step.case.delivered_on + timedelta(days=PAYMENT_DAYS)
        fee = late_payment_fee(fine=fine, due=due, paid_on=paid_on)
        if amount is not None and amount != fine + fee:
            message = f"应缴罚款 {fine:,} 元" + (f"及加处罚款 {fee:,} 元" if fee else "")
            raise ValidationError({"amount": [f"{message}，共 {fine + fee:,} 元，与所填金额不符"]})
        step.set(paid_on=paid_on, paid_amount=fine, late_fee=fee)
        step.data = {"fine": fine, "late_fee": fee, "due": due.isoformat()}
    return case


def case_close(*, actor: User, case: PenaltyCase, today: date, note: str = "") -> PenaltyCase:
    """结案: after payment, or after delivery when the decision imposes no fine."""
    with case_step(actor=actor, case=case, event="close", on=today) as step:
        step.set(closed_on=today)
        step.note = note.strip()
    return case


def case_drop(*, actor: User, case: PenaltyCase, reason: str, today: date) -> PenaltyCase:
    """撤销案件 before the decision (e.g. the facts do not hold), with the reason."""
    with case_step(actor=actor, case=case, event="drop", on=today) as step:
        errors: dict[str, list[str]] = {}
        _need(errors, "reason", reason, "请写明撤案理由")
        _raise(errors)
        step.set(drop_reason=reason.strip(), closed_on=today)
        step.note = reason.strip()
    return case
