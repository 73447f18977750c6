"""Suspending a training institution's business as an adverse decision (暂停培训业务): the notice,
its delivery, the institution's statement (or its absence), then the decision or the notice's
withdrawal. The states and the order of steps are `domain/training/suspension.py`; each step
here checks who acts, locks the row, asks the guards, writes the row, the register's document
and one audit entry in one transaction. A refusal writes nothing.

Who acts: the HR & finance section (`institution.supervise`, data scope as for every institution
page) for every step; the institution's own login may also take delivery of its notice (签收 in
its portal) and state its case there."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.registry import FieldError
from anjian.domain.training import institutions as rules
from anjian.domain.training.suspension import (
    SuspensionFacts,
    event_refusals,
    heavier_than_notice,
    next_state,
)
from anjian.policy.workdays import deadline_after
from anjian.policy_data.training.suspension import shipped_suspension_policy
from anjian.training.access import institution_of
from anjian.training.models import SpotCheck, TrainingInstitution
from anjian.training.models.institutions import StatementSource, Suspension, SuspensionState
from anjian.training.services.institutions import (
    clean_text,
    day_or_today,
    lock_institution,
    periods_of,
    raise_errors,
    require_actor,
)
from anjian.training.suspension_documents import issue_decision, issue_notice

MAX_TEXT = 5000
MAX_PROPOSED_MONTHS = 24
PORTAL_DELIVERY = "培训机构端签收"


def facts_of(suspension: Suspension) -> SuspensionFacts:
    return SuspensionFacts(
        suspension.state, suspension.defence_due, suspension.statement_source or ""
    )


def is_own_institution(actor: User | None, suspension: Suspension) -> bool:
    """Whether the actor is the login of the suspended institution itself."""
    own = institution_of(actor) if actor is not None else None
    return own is not None and own.pk == suspension.institution_id


def _lock(suspension: Suspension) -> Suspension:
    return (
        Suspension.objects.select_for_update()
        .select_related("institution__body")
        .get(pk=suspension.pk)
    )


def _refuse(suspension: Suspension, event: str, today: date) -> None:
    refusals = event_refusals(facts_of(suspension), event, today=today)
    if refusals:
        raise ValidationError({NON_FIELD_ERRORS: [r.message for r in refusals]})


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _text_errors(field: str, value: str, required: str) -> list[FieldError]:
    if not value:
        return [FieldError(field, "REQUIRED", required)]
    if len(value) > MAX_TEXT:
        return [FieldError(field, "LENGTH", f"不得超过{MAX_TEXT}个字")]
    return []


def _day_errors(
    field: str, day: date, *, earliest: date | None, today: date, what: str
) -> list[FieldError]:
    if day > today:
        return [FieldError(field, "FUTURE", f"{what}不得晚于今天")]
    if earliest is not None and day < earliest:
        return [FieldError(field, "TOO_EARLY", f"{what}不得早于{_day(earliest)}")]
    return []


def _audit(actor: User | None, suspension: Suspension, event: str, **shown: Any) -> None:
    changes = {
        key: value.isoformat() if isinstance(value, date) else value for key, value in shown.items()
    }
    audit_record(
        actor=actor,
        action=f"training.suspension.{event}",
        target=suspension,
        changes={"state": suspension.state, **changes},
    )


def _notice_errors(
    institution: TrainingInstitution,
    *,
    reason: str,
    notified_on: date,
    today: date,
    proposed_months: int | None,
    spot_check: SpotCheck | None,
) -> list[FieldError]:
    errors = _text_errors("reason", reason, "须写明查实的事实和理由")
    errors += _day_errors("notified_on", notified_on, earliest=None, today=today, what="告知日期")
    if proposed_months is not None and not 1 <= proposed_months <= MAX_PROPOSED_MONTHS:
        message = f"拟暂停月数应为1至{MAX_PROPOSED_MONTHS}个月，不填表示至整改验收合格"
        errors.append(FieldError("proposed_months", "RANGE", message))
    if spot_check is not None and spot_check.institution_id != institution.pk:
        errors.append(FieldError("spot_check", "FOREIGN", "该抽查不是对此培训机构的抽查"))
    open_notice = institution.suspensions.filter(
        state__in=(SuspensionState.NOTIFIED, SuspensionState.DEFENCE)
    ).first()
    if open_notice is not None:
        message = f"已有尚未办结的暂停告知（{open_notice.notice_number}），请先作出决定或撤销告知"
        errors.append(FieldError("__all__", "OPEN_NOTICE", message))
    return errors


def suspension_notify(
    *,
    actor: User | None,
    institution: TrainingInstitution,
    reason: str,
    notified_on: date,
    proposed_months: int | None = None,
    spot_check: SpotCheck | None = None,
    today: date | None = None,
) -> Suspension:
    """暂停培训业务告知书: the facts and reasons, the intended period (months; None: until the
    rectification is accepted), the spot check it rests on; numbered and kept by the register."""
    require_actor(actor, "institution.supervise", institution)
    reason = clean_text(reason)
    with transaction.atomic():
        institution = lock_institution(institution)
        raise_errors(
            _notice_errors(
                institution,
                reason=reason,
                notified_on=notified_on,
                today=day_or_today(today),
                proposed_months=proposed_months,
                spot_check=spot_check,
            )
        )
        suspension = Suspension.objects.create(
            institution=institution,
            state=SuspensionState.NOTIFIED,
            reason=reason,
            spot_check=spot_check,
            notified_on=notified_on,
            proposed_months=proposed_months,
            created_by=actor,
        )
        document = issue_notice(actor=actor, suspension=suspension, on=notified_on)
        suspension.notice_number = document.number
        suspension.save(update_fields=["notice_number"])
        _audit(
            actor,
            suspension,
            "notify",
            notice_number=document.number,
            notified_on=notified_on,
            reason=reason,
            proposed_months=proposed_months,
            spot_check=spot_check.pk if spot_check else None,
        )
    return suspension


def suspension_deliver(
    *,
    actor: User | None,
    suspension: Suspension,
    delivered_on: date | None = None,
    how: str = "",
    today: date | None = None,
) -> Suspension:
    """The notice reached the institution: by its own login (签收 in the portal, today) or as the
    bureau records (the date it was signed for). From then the time limit for its statement runs:
    `defence_working_days` working days (policy_data/training/suspension.toml)."""
    day = day_or_today(today)
    own = is_own_institution(actor, suspension)
    if not own:
        require_actor(actor, "institution.supervise", suspension.institution)
    delivered_on, how = (day, PORTAL_DELIVERY) if own else (delivered_on or day, clean_text(how))
    with transaction.atomic():
        suspension = _lock(suspension)
        _refuse(suspension, "deliver", day)
        errors = _day_errors(
            "delivered_on",
            delivered_on,
            earliest=suspension.notified_on,
            today=day,
            what="送达日期",
        )
        if len(how) > 100:
            errors.append(FieldError("how", "LENGTH", "不得超过100个字"))
        raise_errors(errors)
        policy = shipped_suspension_policy()
        suspension.delivered_on = delivered_on
        suspension.delivery_note = how or "直接送达"
        suspension.defence_due = deadline_after(delivered_on, policy.defence_working_days)
        suspension.state = next_state(facts_of(suspension), "deliver")
        suspension.save(update_fields=["delivered_on", "delivery_note", "defence_due", "state"])
        _audit(
            actor,
            suspension,
            "deliver",
            delivered_on=delivered_on,
            delivery_note=suspension.delivery_note,
            defence_due=suspension.defence_due,
        )
    return suspension


def suspension_state_case(
    *,
    actor: User | None,
    suspension: Suspension,
    statement: str,
    received_on: date | None = None,
    today: date | None = None,
) -> Suspension:
    """陈述、申辩: from the institution's portal (received today), or a paper statement the
    bureau records with the day it was received. Once, and within the time limit."""
    day = day_or_today(today)
    own = is_own_institution(actor, suspension)
    if not own:
        require_actor(actor, "institution.supervise", suspension.institution)
    source = StatementSource.PORTAL if own else StatementSource.PAPER
    received = day if own or received_on is None else received_on
    statement = clean_text(statement)
    with transaction.atomic():
        suspension = _lock(suspension)
        _refuse(suspension, "state_case", received)
        raise_errors(
            _text_errors("statement", statement, "请填写陈述、申辩意见")
            + _day_errors(
                "received_on",
                received,
                earliest=suspension.delivered_on,
                today=day,
                what="收到日期",
            )
        )
        suspension.statement_source = source
        suspension.statement = statement
        suspension.statement_received_on = received
        suspension.save(update_fields=["statement_source", "statement", "statement_received_on"])
        _audit(
            actor,
            suspension,
            "state_case",
            source=source,
            received_on=received,
            statement=statement,
        )
    return suspension


def suspension_record_no_statement(
    *, actor: User | None, suspension: Suspension, today: date | None = None
) -> Suspension:
    """The time limit passed without a statement: recorded by the bureau, not assumed."""
    require_actor(actor, "institution.supervise", suspension.institution)
    day = day_or_today(today)
    with transaction.atomic():
        suspension = _lock(suspension)
        _refuse(suspension, "record_no_statement", day)
        suspension.statement_source = StatementSource.NONE
        suspension.save(update_fields=["statement_source"])
        _audit(actor, suspension, "record_no_statement", defence_due=suspension.defence_due)
    return suspension


def _decision_errors(
    suspension: Suspension,
    *,
    decided_on: date,
    starts_on: date,
    ends_on: date | None,
    answer: str,
    today: date,
) -> list[FieldError]:
    earliest = suspension.statement_received_on or suspension.delivered_on
    errors = _day_errors("decided_on", decided_on, earliest=earliest, today=today, what="决定日期")
    errors += rules.suspension_errors(
        decided_on=decided_on,
        starts_on=starts_on,
        ends_on=ends_on,
        existing=periods_of(suspension.institution),
    )
    heavier = heavier_than_notice(
        proposed_months=suspension.proposed_months, starts_on=starts_on, ends_on=ends_on
    )
    if heavier:
        errors.append(FieldError("ends_on", "HEAVIER_THAN_NOTICE", heavier))
    if suspension.statement_source in (StatementSource.PORTAL, StatementSource.PAPER):
        errors += _text_errors(
            "answer", answer, "须写明对陈述、申辩意见的复核意见（是否采纳及理由）"
        )
    return errors


def suspension_decide(
    *,
    actor: User | None,
    suspension: Suspension,
    decided_on: date,
    starts_on: date,
    ends_on: date | None = None,
    answer: str = "",
    today: date | None = None,
) -> Suspension:
    """暂停培训业务决定书: only after the statement was heard (answered here) or the time limit
    passed without one; never heavier than the notice; numbered and kept by the register."""
    require_actor(actor, "institution.supervise", suspension.institution)
    answer, day = clean_text(answer), day_or_today(today)
    with transaction.atomic():
        lock_institution(suspension.institution)
        suspension = _lock(suspension)
        _refuse(suspension, "decide", decided_on)
        raise_errors(
            _decision_errors(
                suspension,
                decided_on=decided_on,
                starts_on=starts_on,
                ends_on=ends_on,
                answer=answer,
                today=day,
            )
        )
        suspension.answer = answer
        suspension.decided_on, suspension.starts_on, suspension.ends_on = (
            decided_on,
            starts_on,
            ends_on,
        )
        suspension.state = next_state(facts_of(suspension), "decide")
        suspension.save(update_fields=["answer", "decided_on", "starts_on", "ends_on", "state"])
        document = issue_decision(actor=actor, suspension=suspension, on=decided_on)
        suspension.decision_number = document.number
        suspension.save(update_fields=["decision_number"])
        _audit(
            actor,
            suspension,
            "decide",
            decision_number=document.number,
            decided_on=decided_on,
            starts_on=starts_on,
            ends_on=ends_on,
            answer=answer,
        )
    return suspension


def suspension_withdraw(
    *,
    actor: User | None,
    suspension: Suspension,
    withdrawn_on: date,
    reason: str,
    today: date | None = None,
) -> Suspension:
    """不予暂停: the notice is withdrawn (e.g. the statement showed the facts do not hold)."""
    require_actor(actor, "institution.supervise", suspension.institution)
    reason, day = clean_text(reason), day_or_today(today)
    with transaction.atomic():
        suspension = _lock(suspension)
        _refuse(suspension, "withdraw", day)
        raise_errors(
            _text_errors("reason", reason, "须写明不予暂停的理由")
            + _day_errors(
                "withdrawn_on",
                withdrawn_on,
                earliest=suspension.notified_on,
                today=day,
                what="日期",
            )
        )
        suspension.withdrawn_on, suspension.withdraw_reason = withdrawn_on, reason
        suspension.state = next_state(facts_of(suspension), "withdraw")
        suspension.save(update_fields=["withdrawn_on", "withdraw_reason", "state"])
        _audit(actor, suspension, "withdraw", withdrawn_on=withdrawn_on, reason=reason)
    return suspension
