"""Quiet months and quiet-period exceptions (特殊情形): declared by the bureau, requested by a
section, decided by the bureau head, and on approval numbered for the notice to the justice bureau
(抄告)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.accounts.models import EnforcementBody, Section, User
from anjian.accounts.roles import Role
from anjian.audit.services import audit_record
from anjian.domain.rules import RuleSetInvalid, ruleset_from_dict, ruleset_to_dict
from anjian.domain.rules.quiet import validate_quiet_month
from anjian.domain.rules.vocab import ACTIVITIES, QUIET_EMERGENCY_GROUNDS
from anjian.policy.models import QuietDefault, QuietException, QuietMonth
from anjian.policy.notice import notice_issue, notice_number
from anjian.policy.selectors import (
    QuietMonthState,
    quiet_days,
    quiet_month_state,
    ruleset_in_force,
)
from anjian.policy.workdays import deadline_after
from anjian.registry.models import Enterprise


def _after_deadline_error(actor: User | None, state: QuietMonthState, today: date) -> list[str]:
    """Once the deadline has passed the month's days are published (declared, or the default)
    and only the bureau head may change what is still to come."""
    if state.deadline is None or today <= state.deadline:
        return []
    if actor is not None and actor.role == Role.BUREAU_HEAD:
        return []
    shown = "默认安静期" if state.is_default else "已设置的安静期"
    return [
        f"{state.month:%Y年%m月}安静期的设置截止日（{state.deadline:%Y年%m月%d日}）已过，"
        f"{shown}已向企业公布；如确需改动，须由局领导决定"
    ]


def quiet_month_declare(
    *, actor: User | None, body: EnforcementBody, month: date, days: list[int], today: date
) -> QuietMonth:
    """Declare (or re-declare) a month's quiet days: by the office or the head until the deadline
    (day `quiet_declare_by` of the month before), by the head only after it; days already past
    cannot change (a month on the default pattern compares with the default days)."""
    month = month.replace(day=1)
    try:
        minimum = ruleset_in_force(month).rules().quiet_min_days
    except LookupError as exc:
        raise ValidationError(str(exc)) from exc
    errors = [e.message for e in validate_quiet_month(month.year, month.month, days, minimum)]
    state = quiet_month_state(body.pk, month)
    before = {d.day for d in state.days}
    changed_past = (
        sorted(d for d in before.symmetric_difference(days) if month.replace(day=d) < today)
        if not errors
        else []
    )
    if changed_past:
        errors.append(f"已过去的日期不能再改动：{'、'.join(f'{d}日' for d in changed_past)}")
    errors += _after_deadline_error(actor, state, today)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, created = QuietMonth.objects.update_or_create(
            body=body, month=month, defaults={"days": sorted(set(days)), "declared_by": actor}
        )
        audit_record(
            actor=actor,
            action="quiet_month.declare" if created else "quiet_month.change",
            target=row,
            changes={
                "days": {"before": sorted(before), "after": row.days},
                "before_source": state.source,
                "after_deadline": bool(state.deadline and today > state.deadline),
            },
        )
    return row


def quiet_default_set(
    *, actor: User, body: EnforcementBody, ranges: tuple[tuple[int, int], ...], today: date
) -> QuietDefault:
    """A body's own default pattern. It applies to months whose deadline is today or later, so a
    default already published to enterprises never changes."""
    if actor.role not in (Role.BUREAU_HEAD, Role.OFFICE) or actor.body_id != body.pk:
        raise ValidationError("只有本单位办公室或局领导可以设置本单位默认安静期")
    try:
        rules = ruleset_in_force(today).rules()
    except LookupError as exc:
        raise ValidationError(str(exc)) from exc
    data = {**ruleset_to_dict(rules), "quiet_default_days": [list(r) for r in ranges]}
    try:
        ruleset_from_dict(data)
    except RuleSetInvalid as invalid:
        raise ValidationError({"ranges": [e.message for e in invalid.errors]}) from invalid
    with transaction.atomic():
        row = QuietDefault.objects.create(
            body=body, ranges=[list(r) for r in ranges], effective_from=today, set_by=actor
        )
        audit_record(
            actor=actor,
            action="quiet_default.set",
            target=row,
            changes={"ranges": row.ranges, "effective_from": today.isoformat()},
        )
    return row


def quiet_exception_request(
    *,
    actor: User,
    enterprise: Enterprise,
    day: date,
    activity: str,
    reason: str,
    section: Section | None,
    today: date | None = None,
) -> QuietException:
    """A request for the head's prior approval (事前审批) to enter on a quiet day. An entry date
    already past cannot be approved beforehand: an emergency entry is recorded as a back-fill."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if activity not in ACTIVITIES:
        errors["activity"] = [f"未知的入企活动：{activity}"]
    if len(reason.strip()) < 10:
        errors["reason"] = ["请具体说明特殊情形（不少于 10 个字），它将写入抄告司法局的通知"]
    if day not in quiet_days(enterprise.supervising_body_id, day, day):
        errors["date"] = [f"{day} 不是该企业的安静期，无需申请例外"]
    elif day < today:
        errors["date"] = [PAST_ENTRY_MESSAGE.format(day=day)]
    if actor.body_id is None:
        errors["date"] = ["您的账号不属于任何执法主体"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = QuietException.objects.create(
            body_id=actor.body_id,
            section=section,
            enterprise=enterprise,
            date=day,
            activity=activity,
            reason=reason.strip(),
            requested_by=actor,
        )
        audit_record(
            actor=actor, action="quiet_exception.request", target=row, changes={"reason": reason}
        )
    return row


PAST_ENTRY_MESSAGE = (
    "入企日期 {day} 已过：安静期例外须在入企之前经主要负责人批准；"
    "因事故、紧急危险或重大事故隐患举报先行入企的，应在入企时登记紧急事由，按事后补批办理"
)


def quiet_backfill_record(
    *,
    actor: User,
    body: EnforcementBody,
    enterprise: Enterprise,
    day: date,
    activity: str,
    ground: str,
    reason: str,
    section: Section | None,
) -> QuietException:
    """The back-fill request (事后补批) an emergency entry on a quiet day makes at once: its
    ground is recorded now and the head must decide within the rule set's working days. Called
    inside the booking's transaction."""
    if ground not in QUIET_EMERGENCY_GROUNDS:
        raise ValidationError({"quiet_ground": [f"未知的紧急事由：{ground}"]})
    workdays = ruleset_in_force(day).rules().quiet_backfill_workdays
    due = deadline_after(day, workdays)
    detail = reason.strip() or QUIET_EMERGENCY_GROUNDS[ground]
    row = QuietException.objects.create(
        body=body,
        section=section,
        enterprise=enterprise,
        date=day,
        activity=activity,
        reason=detail,
        requested_by=actor,
        timing=QuietException.Timing.BACKFILL,
        emergency_ground=ground,
        backfill_due=due,
    )
    audit_record(
        actor=actor,
        action="quiet_exception.backfill_request",
        target=row,
        changes={"ground": ground, "reason": detail, "due": due.isoformat()},
    )
    return row


def _decide_errors(actor: User, row: QuietException, approve: bool, today: date) -> list[str]:
    if actor.role != Role.BUREAU_HEAD or actor.body_id != row.body_id:
        return ["只有本单位主要负责人（局领导）可以审批安静期例外"]
    if row.status != QuietException.Status.PENDING:
        return [f"该申请已是“{row.get_status_display()}”状态，不能再审批"]
    if approve and not row.is_backfill and today > row.date:
        return [
            f"入企日期（{row.date:%Y年%m月%d日}）已过，不能再按事前审批批准：安静期例外须在"
            "入企之前批准。确因紧急情形先行入企的，应登记紧急事由按事后补批办理"
        ]
    return []


def quiet_exception_decide(
    *,
    actor: User,
    exception: QuietException,
    approve: bool,
    note: str,
    today: date | None = None,
) -> QuietException:
    """The bureau head decides: a prior request no later than the entry date (refused after it),
    a back-fill at any time (late ones are flagged in the ledger). Approval numbers the notice."""
    today = today or timezone.localdate()
    if not approve and not note.strip():
        raise ValidationError({"note": ["不予批准时请写明理由"]})
    with transaction.atomic():
        row = QuietException.objects.select_for_update().get(pk=exception.pk)
        errors = _decide_errors(actor, row, approve, today)
        if errors:
            raise ValidationError(errors)
        row.status = QuietException.Status.APPROVED if approve else QuietException.Status.REFUSED
        row.decided_by, row.decided_at, row.decision_note = actor, timezone.now(), note.strip()
        row.save()
        if approve:  # the notice is issued once, now, and kept in the register
            notice_issue(actor=actor, row=row, on=today)
        verb = ("backfill_" if row.is_backfill else "") + ("approve" if approve else "refuse")
        audit_record(
            actor=actor,
            action=f"quiet_exception.{verb}",
            target=row,
            changes={"note": note, "notice": notice_number(row), "timing": row.timing},
        )
    return row


def quiet_exception_withdraw(*, actor: User, exception: QuietException) -> QuietException:
    with transaction.atomic():
        row = QuietException.objects.select_for_update().get(pk=exception.pk)
        if row.status != QuietException.Status.PENDING or row.requested_by_id != actor.pk:
            raise ValidationError("只能撤回自己提出的、尚未审批的申请")
        if row.is_backfill:
            raise ValidationError("紧急入企已经发生，事后补批申请不能撤回，须由局领导审批")
        row.status = QuietException.Status.WITHDRAWN
        row.save(update_fields=["status"])
        audit_record(actor=actor, action="quiet_exception.withdraw", target=row, changes={})
    return row
