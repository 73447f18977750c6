"""Payment and closing steps of a penalty case: each fined party pays its own fine and late fee
(3 % a day after the deadline, never above the fine), or a recorded ground closes it unpaid
(a waiver of the late fee, an application to the court); the case closes when every fine is
settled."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from anjian.accounts.models import User
from anjian.domain.discretion.payments import GROUNDS, amount_due, payment_due
from anjian.enforcement.models import CaseFine, PenaltyCase
from anjian.enforcement.services.cases import (
    case_step,
    check_day,
    need_text,
    own_step,
    raise_errors,
    require_capability,
)


def _unsettled_fine(case: PenaltyCase, fine: CaseFine | None) -> CaseFine:
    open_fines = [f for f in case.fines.all() if not f.settled]
    if fine is not None:
        found = next((f for f in open_fines if f.pk == fine.pk), None)
        if found is None:
            raise ValidationError({"fine": ["该罚款已缴纳或已登记结案依据"]})
        return found
    if len(open_fines) != 1:
        raise ValidationError({"fine": ["请选择缴纳的是哪一笔罚款"]})
    return open_fines[0]


def _payment_step(actor: User, case: PenaltyCase, fine: CaseFine | None, on: date) -> Any:
    """The step that records one payment: "pay" (to 已缴款) when it is the last fine to settle
    and every fine is then paid, else a step that keeps the state."""
    others = [f for f in case.fines.all() if fine is None or f.pk != fine.pk]
    last = len([f for f in case.fines.all() if not f.settled]) == 1
    if last and all(f.paid_on is not None for f in others if f.settled):
        return case_step(actor=actor, case=case, event="pay", on=on, clock=on)
    return own_step(actor=actor, case=case, event="record_payment", states={"delivered"}, on=on)


def case_pay(
    *,
    actor: User,
    case: PenaltyCase,
    paid_on: date,
    today: date,
    amount: int | None = None,
    fine: CaseFine | None = None,
) -> PenaltyCase:
    """缴纳罚款 on `paid_on` for one fined party (`fine`; may be left out when only one is
    unpaid): that fine and, after the 15 days, 3 % of it a day, never more than the fine
    (第七十二条), unless a waiver of the late fee was recorded. `amount`, when given, must be
    what is due."""
    require_capability(actor, "pay")
    errors: dict[str, list[str]] = {}
    check_day(errors, "paid_on", paid_on, today=today, after=case.delivered_on)
    raise_errors(errors)
    if case.state != "delivered" or not case.fines.exists():
        with case_step(actor=actor, case=case, event="pay", on=paid_on, clock=today):
            raise ValidationError("本案没有待缴纳的罚款")
    target = _unsettled_fine(case, fine)
    with _payment_step(actor, case, target, paid_on) as step:
        target = CaseFine.objects.select_for_update().get(pk=target.pk)
        assert step.case.delivered_on is not None
        due_fine, fee = amount_due(
            fine=target.amount,
            delivered_on=step.case.delivered_on,
            paid_on=paid_on,
            waived=target.ground == CaseFine.Ground.WAIVER,
        )
        if amount is not None and amount != due_fine + fee:
            message = f"应缴罚款 {due_fine:,} 元" + (f"及加处罚款 {fee:,} 元" if fee else "")
            raise ValidationError(
                {"amount": [f"{message}，共 {due_fine + fee:,} 元，与所填金额不符"]}
            )
        target.paid_on, target.paid_amount = paid_on, due_fine
        target.late_fee_due = target.late_fee = fee
        target.save(update_fields=["paid_on", "paid_amount", "late_fee_due", "late_fee"])
        step.note = f"{target.name}：罚款 {due_fine:,} 元" + (
            f"，加处罚款 {fee:,} 元" if fee else ""
        )
        step.data = {
            "fine": target.pk,
            "name": target.name,
            "amount": due_fine,
            "late_fee": fee,
            "due": payment_due(step.case.delivered_on).isoformat(),
        }
    return case


def case_fine_ground(
    *,
    actor: User,
    case: PenaltyCase,
    fine: CaseFine,
    ground: str,
    on: date,
    document: str,
    today: date,
    note: str = "",
) -> CaseFine:
    """登记一笔罚款的结案依据: a decision waiving the late fee (减免加处罚款决定; the fine itself
    is still to be paid, without the late fee) or the application to the people's court for
    enforcement (申请人民法院强制执行; the fine is then settled for closure). Date and document
    number are required."""
    with own_step(
        actor=actor, case=case, event="record_ground", states={"delivered"}, on=on
    ) as step:
        errors: dict[str, list[str]] = {}
        if ground not in GROUNDS:
            errors["ground"] = ["请选择减免加处罚款决定或申请人民法院强制执行"]
        need_text(errors, "document", document, "请填写文书名称及文号")
        check_day(errors, "on", on, today=today, after=step.case.delivered_on)
        target = CaseFine.objects.select_for_update().filter(case=step.case, pk=fine.pk).first()
        if target is None or target.settled:
            errors.setdefault("fine", []).append("该罚款已缴纳或已登记结案依据")
        raise_errors(errors)
        assert target is not None
        target.ground, target.ground_on = ground, on
        target.ground_document, target.ground_note = document.strip(), note.strip()
        target.save(update_fields=["ground", "ground_on", "ground_document", "ground_note"])
        step.note = f"{target.name}：{GROUNDS[ground]}（{document.strip()}）"
        step.data = {"fine": target.pk, "ground": ground, "document": document.strip()}
    fine.refresh_from_db()
    return fine


def case_close(*, actor: User, case: PenaltyCase, today: date, note: str = "") -> PenaltyCase:
    """结案: after payment, or after delivery when the decision imposes no fine."""
    with case_step(actor=actor, case=case, event="close", on=today) as step:
        step.set(closed_on=today)
        step.note = note.strip()
    return case
