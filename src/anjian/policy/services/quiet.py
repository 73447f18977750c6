"""Quiet months and quiet-period exceptions (特殊情形): declared by the bureau, requested by a
section, decided by the bureau head, and on approval numbered for the notice to the justice bureau
(抄告)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from anjian.accounts.models import EnforcementBody, Section, User
from anjian.accounts.roles import Role
from anjian.audit.services import audit_record
from anjian.domain.rules.quiet import validate_quiet_month
from anjian.domain.rules.vocab import ACTIVITIES
from anjian.policy.models import QuietException, QuietMonth
from anjian.policy.selectors import quiet_days, ruleset_in_force
from anjian.registry.models import Enterprise


def quiet_month_declare(
    *, actor: User | None, body: EnforcementBody, month: date, days: list[int], today: date
) -> QuietMonth:
    """Declare (or re-declare) a month's quiet days. Days already past cannot change."""
    month = month.replace(day=1)
    try:
        minimum = ruleset_in_force(month).rules().quiet_min_days
    except LookupError as exc:
        raise ValidationError(str(exc)) from exc
    errors = [e.message for e in validate_quiet_month(month.year, month.month, days, minimum)]
    existing = QuietMonth.objects.filter(body=body, month=month).first()
    before = set(existing.days) if existing else set()
    changed_past = (
        sorted(d for d in before.symmetric_difference(days) if month.replace(day=d) < today)
        if not errors
        else []
    )
    if changed_past:
        errors.append(f"已过去的日期不能再改动：{'、'.join(f'{d}日' for d in changed_past)}")
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
            changes={"days": {"before": sorted(before), "after": row.days}},
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
) -> QuietException:
    errors: dict[str, list[str]] = {}
    if activity not in ACTIVITIES:
        errors["activity"] = [f"未知的入企活动：{activity}"]
    if len(reason.strip()) < 10:
        errors["reason"] = ["请具体说明特殊情形（不少于 10 个字），它将写入抄告司法局的通知"]
    if day not in quiet_days(enterprise.supervising_body_id, day, day):
        errors["date"] = [f"{day} 不是该企业的安静期，无需申请例外"]
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


def quiet_exception_decide(
    *, actor: User, exception: QuietException, approve: bool, note: str
) -> QuietException:
    """The bureau head approves or refuses a pending request; approval numbers the notice."""
    if actor.role != Role.BUREAU_HEAD or actor.body_id != exception.body_id:
        raise ValidationError("只有本单位主要负责人（局领导）可以审批安静期例外")
    if not approve and not note.strip():
        raise ValidationError({"note": ["不予批准时请写明理由"]})
    with transaction.atomic():
        row = QuietException.objects.select_for_update().get(pk=exception.pk)
        if row.status != QuietException.Status.PENDING:
            raise ValidationError(f"该申请已是“{row.get_status_display()}”状态，不能再审批")
        row.status = QuietException.Status.APPROVED if approve else QuietException.Status.REFUSED
        row.decided_by, row.decided_at, row.decision_note = actor, timezone.now(), note.strip()
        if approve:
            _number_notice(row)
        row.save()
        audit_record(
            actor=actor,
            action="quiet_exception.approve" if approve else "quiet_exception.refuse",
            target=row,
            changes={"note": note, "notice": notice_number(row)},
        )
    return row


def _number_notice(row: QuietException) -> None:
    assert row.decided_at is not None
    year = timezone.localdate(row.decided_at).year
    last = QuietException.objects.filter(body_id=row.body_id, notice_year=year).aggregate(
        m=Max("notice_serial")
    )["m"]
    row.notice_year, row.notice_serial = year, (last or 0) + 1


def notice_number(row: QuietException) -> str:
    """The notice's document number, e.g. 文水应急抄〔2025〕3号."""
    if row.notice_serial is None:
        return ""
    return f"{row.body.document_prefix}抄〔{row.notice_year}〕{row.notice_serial}号"


def quiet_exception_withdraw(*, actor: User, exception: QuietException) -> QuietException:
    with transaction.atomic():
        row = QuietException.objects.select_for_update().get(pk=exception.pk)
        if row.status != QuietException.Status.PENDING or row.requested_by_id != actor.pk:
            raise ValidationError("只能撤回自己提出的、尚未审批的申请")
        row.status = QuietException.Status.WITHDRAWN
        row.save(update_fields=["status"])
        audit_record(actor=actor, action="quiet_exception.withdraw", target=row, changes={})
    return row
