"""The head's delegation of inspection approval to another member of the body for a period."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.accounts.roles import BUREAU_STAFF
from anjian.audit.services import audit_record
from anjian.inspections.models import ApprovalDelegation

MAX_DAYS = 92  # a quarter at most; a longer absence calls for a new delegation


def delegate_approval(
    *,
    actor: User,
    delegate: User,
    starts_on: date,
    ends_on: date,
    reason: str,
    today: date,
) -> ApprovalDelegation:
    if not actor.can("inspection.approve") or actor.body_id is None:
        raise PermissionDenied("只有执法主体负责人才能授权他人审批检查任务。")
    errors: dict[str, list[str]] = {}
    if delegate.pk == actor.pk:
        errors["delegate"] = ["不能授权给自己"]
    elif (
        not delegate.is_active
        or delegate.role not in BUREAU_STAFF
        or delegate.body_id not in body_scope_ids(actor)
    ):
        errors["delegate"] = ["只能授权给本执法主体在职的工作人员"]
    if starts_on < today:
        errors["starts_on"] = ["起始日期不能早于今天"]
    if ends_on < starts_on:
        errors["ends_on"] = ["截止日期不能早于起始日期"]
    elif ends_on - starts_on > timedelta(days=MAX_DAYS):
        errors["ends_on"] = [f"一次授权最长 {MAX_DAYS} 天"]
    if not reason.strip():
        errors["reason"] = ["请写明授权事由（如外出学习、休假）"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = ApprovalDelegation.objects.create(
            body_id=actor.body_id,
            delegate=delegate,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason.strip()[:200],
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="inspection.delegate",
            target=row,
            changes={"delegate": str(delegate), "from": str(starts_on), "until": str(ends_on)},
        )
    return row


def revoke_delegation(*, actor: User, delegation: ApprovalDelegation) -> ApprovalDelegation:
    if not actor.can("inspection.approve") or delegation.body_id not in body_scope_ids(actor):
        raise PermissionDenied("只有执法主体负责人才能撤销审批授权。")
    with transaction.atomic():
        row = ApprovalDelegation.objects.select_for_update().get(pk=delegation.pk)
        if row.revoked_at is not None:
            raise ValidationError("该授权已撤销")
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="inspection.delegate_revoke", target=row, changes={})
    return row
