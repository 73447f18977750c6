"""Writing and verifying the audit trail. Services of every app call `audit_record` inside
their own transaction, so the entry and the change commit or roll back together."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from anjian.audit.chain import (
    GENESIS,
    ChainReport,
    SealedRow,
    preferred_algorithm,
    seal,
    verify_rows,
)
from anjian.audit.context import current_ip
from anjian.audit.models import AuditChainHead, AuditEntry


def _key() -> bytes:
    return str(settings.AUDIT_HMAC_KEY).encode()


def plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"before": …, "after": …}} for the fields whose value changed."""
    changed: dict[str, dict[str, Any]] = {}
    for field in sorted(set(before) | set(after)):
        old, new = plain(before.get(field)), plain(after.get(field))
        if old != new:
            changed[field] = {"before": old, "after": new}
    return changed


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: plain(getattr(instance, name)) for name in fields}


def _entry_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "created_at": entry.created_at.isoformat(),
        "actor_username": entry.actor_username,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_repr": entry.target_repr,
        "changes": entry.changes,
        "ip": entry.ip,
    }


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Appends one sealed entry. Must run inside the caller's transaction."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS}
        )
        entry = AuditEntry(
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_username=getattr(actor, "username", "") or "system",
            actor_name=str(getattr(actor, "display_name", "") or ""),
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_repr=str(target)[:200] if target is not None else "",
            changes=changes or {},
            ip=ip if ip is not None else current_ip.get(),
            algorithm=preferred_algorithm(),
            prev_hash=head.last_hash,
        )
        entry.hash = seal(
            key=_key(),
            algorithm=entry.algorithm,
            prev_hash=entry.prev_hash,
            fields=_entry_fields(entry),
        )
        entry.save()
        AuditChainHead.objects.filter(pk=head.pk).update(
            last_hash=entry.hash, last_entry_id=entry.pk
        )
    return entry


def _sealed_rows() -> Iterator[SealedRow]:
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        yield SealedRow(
            entry.pk, entry.algorithm, entry.prev_hash, entry.hash, _entry_fields(entry)
        )


def audit_verify() -> ChainReport:
    report = verify_rows(_sealed_rows(), key=_key())
    if not report.ok:
        return report
    head = AuditChainHead.objects.filter(pk=1).first()
    last = AuditEntry.objects.order_by("-id").first()
    if head is not None and last is not None and head.last_hash != last.hash:
        return ChainReport(False, report.checked, last.pk, "链头与最后一条记录不符：最新记录被删除")
    return report
