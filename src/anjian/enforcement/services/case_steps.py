"""The steps of a case after the proposal: legal review, the notice and the party's defence and
hearing, collective discussion, the decision, delivery, payment, closure, and dropping a case.
The order and the guards are the procedure's (`domain/discretion/procedure.py`); each step keeps
the flags of its `CaseStatus` as that module's docstring asks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from anjian.accounts.models import EnforcementBody, User
from anjian.domain.discretion.measures import missing_measures
from anjian.domain.discretion.prefill import proposal_gates
from anjian.enforcement.decision_record import decision_record
from anjian.enforcement.models import CaseDocument, CaseFine, LegalReview, PenaltyCase
from anjian.enforcement.selectors import case_suggestion, proposal_flags
from anjian.enforcement.services import discretion
from anjian.enforcement.services.case_numbers import issue_case_document
from anjian.enforcement.services.case_payments import case_close, case_fine_ground, case_pay  # noqa: F401 (re-exported)
from anjian.enforcement.services.cases import (
    case_step,
    check_day,
    need_text,
    own_step,
    raise_errors,
    require_capability,
)

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
            need_text(errors, "opinion", opinion, "退回修改须写明审核意见")
        elif step.case.outside_tier:
            need_text(errors, "opinion", opinion, "处罚意见偏离裁量阶次，同意的须写明审核意见")
        raise_errors(errors)
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
        need_text(errors, "note", note, "请记录集体讨论的参加人员和结论")
        raise_errors(errors)
        step.set(collective_done=True)
        step.note = note.strip()
    return case


# ---- the notice, the defence and the hearing ---------------------------------------------------


def case_notify(*, actor: User, case: PenaltyCase, today: date) -> PenaltyCase:
    """送达告知书 today: numbers the 行政处罚告知书 and, with a hearing right, the 听证告知书."""
    with case_step(actor=actor, case=case, event="notify", on=today) as step:
        step.set(notified_on=today)
        step.save()  # the notice prints the date
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
        raise_errors(errors)
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
        need_text(
            errors, "record", record, "请记录听证笔录摘要（当事人意见、调查人员意见、主持人意见）"
        )
        raise_errors(errors)
        gates = proposal_gates(
            unit_fine=step.case.proposed_unit_fine,
            person_fine=step.case.proposed_person_fine,
            measures=step.case.proposed_measures,
            outside_tier=step.case.outside_tier,
            after_hearing=True,
            complex_case=step.case.complex_case,
            thresholds=discretion.configured_thresholds(),
        )
        step.set(
            hearing_held=True,
            hearing_on=held_on,
            hearing_record=record.strip(),
            review_required=gates.legal_review,
            collective_required=gates.collective_decision,
            review_approved=False,
            collective_done=False,
        )
        step.note = record.strip()
    return case


# ---- the decision and after it -----------------------------------------------------------------


def case_decide(*, actor: User, case: PenaltyCase, today: date, note: str = "") -> PenaltyCase:
    """作出决定: the reviewed proposal becomes the decision, one fine per fined party; numbers the
    行政处罚决定书 (or the 不予行政处罚决定书) and its 送达回证. Refused, nothing written, when a
    mandatory measure is missing, the body has no payment account, or the amount rests on a
    benchmark the legal office has not adopted (decision_refusals)."""
    with case_step(actor=actor, case=case, event="decide", on=today) as step:
        refusals = decision_refusals(step.case)
        raise_errors({"__all__": refusals} if refusals else {})
        penalty = not step.case.no_penalty
        persons = [p for p in step.case.proposed_persons if p.get("fine")] if penalty else []
        step.set(
            decided_on=today,
            decided_unit_fine=step.case.proposed_unit_fine if penalty else None,
            decided_person_fine=sum(int(p["fine"]) for p in persons) or None,
        )
        _fines(step.case, persons)
        step.set(decision_record=decision_record(step.case))
        step.save()  # every fact the documents print is on the case before they are issued
        kind = CaseDocument.Kind.DECISION if penalty else CaseDocument.Kind.NO_PENALTY
        document = issue_case_document(actor=actor, case=step.case, kind=kind, on=today)
        receipt = issue_case_document(
            actor=actor, case=step.case, kind=CaseDocument.Kind.SERVICE, on=today
        )
        step.note = note.strip()
        step.data = {
            "document": document.number,
            "receipt": receipt.number,
            "unit_fine": step.case.decided_unit_fine,
            "person_fines": [{"name": p["name"], "fine": p["fine"]} for p in persons],
        }
    return case


def _fines(case: PenaltyCase, persons: list[dict[str, Any]]) -> None:
    """One CaseFine per fined party: the unit, then each person in the proposal's order."""
    case.fines.all().delete()
    if case.decided_unit_fine:
        CaseFine.objects.create(
            case=case, party="unit", name=case.enterprise.name, amount=case.decided_unit_fine
        )
    for order, person in enumerate(persons, start=1):
        CaseFine.objects.create(
            case=case,
            party="person",
            name=person["name"],
            post=person.get("post", ""),
            id_number=person.get("id_number", ""),
            amount=int(person["fine"]),
            order=order,
        )


def decision_refusals(case: PenaltyCase) -> list[str]:
    """Why the decision cannot be issued yet: a mandatory measure left out (the law names it),
    no payment account for a fine, or a benchmark tier not adopted by the legal office."""
    refusals: list[str] = []
    if not case.no_penalty:
        suggestion = case_suggestion(case)
        overdue = suggestion.overdue and suggestion.provision.overdue is not None
        refusals += missing_measures(
            suggestion.provision, overdue, suggestion.mandatory_measures, case.proposed_measures
        )
    fined = case.proposed_unit_fine or any(p.get("fine") for p in case.proposed_persons)
    if fined and not case.no_penalty and not payment_ready(case.body):
        refusals.append(
            f"{case.body.name}尚未设置罚款缴款账户（开户银行、账户名称和账号）或缴款码说明，"
            "不能作出罚款决定；请系统管理员在执法主体设置中填写"
        )
    if cites_unadopted_benchmark(case):
        refusals.append(
            "本案裁量所依据的裁量基准尚未经法制机构采用，不能作为正式依据作出决定；"
            "请法制机构在“裁量基准”页面核对后填写正式名称和文号并采用"
        )
    return refusals


def payment_ready(body: EnforcementBody) -> bool:
    """Whether a decision can tell the party where to pay: an account, or a payment code."""
    account = body.payment_bank and body.payment_account_name and body.payment_account_no
    return bool(account or body.payment_note.strip())


def cites_unadopted_benchmark(case: PenaltyCase) -> bool:
    """The amount rests on a tier of a benchmark version the legal office has not adopted."""
    tier = ((case.suggestion or {}).get("benchmark") or {}).get("tier")
    return bool(tier) and case.benchmark is not None and case.benchmark.adopted_at is None


def case_deliver(
    *, actor: User, case: PenaltyCase, delivered_on: date, today: date, note: str = ""
) -> PenaltyCase:
    """送达决定书 on `delivered_on` (the 15 days to pay run from it)."""
    with case_step(actor=actor, case=case, event="deliver", on=delivered_on, clock=today) as step:
        errors: dict[str, list[str]] = {}
        check_day(errors, "delivered_on", delivered_on, today=today, after=step.case.decided_on)
        raise_errors(errors)
        step.set(delivered_on=delivered_on)
        step.note = note.strip()
    return case


def case_drop(*, actor: User, case: PenaltyCase, reason: str, today: date) -> PenaltyCase:
    """撤销案件 before the decision (e.g. the facts do not hold), with the reason."""
    with case_step(actor=actor, case=case, event="drop", on=today) as step:
        errors: dict[str, list[str]] = {}
        need_text(errors, "reason", reason, "请写明撤案理由")
        raise_errors(errors)
        step.set(drop_reason=reason.strip(), closed_on=today)
        step.note = reason.strip()
    return case
