"""Writing and verifying the audit trail. Services of every app call `audit_record` inside
their own transaction, so the entry and the change commit or roll back together."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from anjian.audit.chain import (
    GENESIS,
    ChainReport,
    HeadState,
    SealedRow,
    head_seal_valid,
    preferred_algorithm,
    seal,
    verify_rows,
)
from anjian.audit.checkpoints import Checkpoint, checkpoint_compare
from anjian.audit.context import current_ip
from anjian.audit.models import AuditChainHead, AuditEntry

CHAIN_START = "audit.chain.start"
CHECKPOINT_EVERY = timedelta(hours=24)
_SEALED_COLUMNS = (
    "created_at",
    "actor_username",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "changes",
    "ip",
)


class AuditChainBroken(RuntimeError):
    """The head does not hold (deleted, or its seal fails): appending would reseal a tampered
    chain, so writing stops until someone has looked."""


def audit_key() -> bytes:
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


def entry_fields(entry: Any) -> dict[str, Any]:
    """The sealed fields of an entry (also of the migrations' historical model)."""
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


_entry_fields = entry_fields  # the name crypto/startup.py imports


def head_state(head: Any) -> HeadState:
    return HeadState(
        count=head.entry_count,
        pruned=head.pruned_count,
        first_id=head.first_entry_id,
        first_prev_hash=head.first_prev_hash,
        last_id=head.last_entry_id,
        last_hash=head.last_hash,
        algorithm=head.algorithm or preferred_algorithm(),
    )


def head_store(head: Any, state: HeadState, *, key: bytes, **unsealed: Any) -> None:
    """Writes the state and its seal into the (locked) head row; `unsealed` carries
    checkpoint_at."""
    values = {
        "entry_count": state.count,
        "pruned_count": state.pruned,
        "first_entry_id": state.first_id,
        "first_prev_hash": state.first_prev_hash,
        "last_entry_id": state.last_id,
        "last_hash": state.last_hash,
        "algorithm": state.algorithm,
        "seal": state.seal(key),
        **unsealed,
    }
    for name, value in values.items():
        setattr(head, name, value)
    type(head).objects.filter(pk=head.pk).update(**values)


def append_sealed(entry: Any, head: Any, *, key: bytes, **unsealed: Any) -> Any:
    """Seals `entry` onto the chain after `head` (locked by the caller), saves it and moves the
    head. Works on the migrations' historical models too."""
    entry.algorithm = preferred_algorithm()
    entry.prev_hash = head.last_hash or GENESIS
    entry.hash = seal(
        key=key, algorithm=entry.algorithm, prev_hash=entry.prev_hash, fields=entry_fields(entry)
    )
    entry.save()
    state = head_state(head).appended(
        entry_id=entry.pk, entry_hash=entry.hash, prev_hash=entry.prev_hash
    )
    head_store(head, state, key=key, **unsealed)
    return entry


def chain_start_entry(entry_model: Any, *, changes: dict[str, Any]) -> Any:
    """The genesis entry `audit.chain.start`: a chain is never legitimately empty."""
    return entry_model(
        created_at=timezone.now(),
        actor_username="system",
        action=CHAIN_START,
        changes=changes,
    )


def _head_for_append(key: bytes) -> AuditChainHead:
    head, created = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS}
    )
    if created:
        if AuditEntry.objects.exists():
            raise AuditChainBroken("审计链头缺失，而审计记录仍在：请先核查并从备份恢复。")
        start = chain_start_entry(AuditEntry, changes={"reason": "新建审计链"})
        append_sealed(start, head, key=key, checkpoint_at=start.created_at)
    elif not head_seal_valid(head_state(head), head.seal, key):
        raise AuditChainBroken(
            "审计链头封印不符（链头被改动或回退，或审计密钥不对）：拒绝继续写入，请先核查。"
        )
    return head


def _publish_checkpoint_after_commit() -> None:
    from anjian.audit.publishing import checkpoint_publish_quietly

    checkpoint_publish_quietly()


@dataclass(frozen=True)
class AuditRecord:
    """One entry for `audit_record_many`: the arguments of `audit_record`."""

    actor: Any
    action: str
    target: models.Model | None = None
    changes: dict[str, Any] | None = None
    ip: str | None = None


def _new_entry(record: AuditRecord) -> AuditEntry:
    """The entry, not yet sealed, stamped now."""
    actor, target = record.actor, record.target
    return AuditEntry(
        created_at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_username=getattr(actor, "username", "") or "system",
        actor_name=str(getattr(actor, "display_name", "") or ""),
        action=record.action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        changes=record.changes or {},
        ip=record.ip if record.ip is not None else current_ip.get(),
    )


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Appends one sealed entry and reseals the head. Must run inside the caller's transaction.
    The first entry 24 hours or more after the last checkpoint publishes a new one after
    commit."""
    key = audit_key()
    with transaction.atomic():
        head = _head_for_append(key)
        entry = _new_entry(AuditRecord(actor, action, target, changes, ip))
        unsealed: dict[str, Any] = {}
        if head.checkpoint_at is None or entry.created_at - head.checkpoint_at >= CHECKPOINT_EVERY:
            unsealed["checkpoint_at"] = entry.created_at
            transaction.on_commit(_publish_checkpoint_after_commit)
        append_sealed(entry, head, key=key, **unsealed)
    return entry


def audit_record_many(records: Sequence[AuditRecord]) -> list[AuditEntry]:
    """Appends the entries in order, as many `audit_record` calls would, under one lock of the
    head: each sealed onto the one before and saved, the head moved and resealed once at the
    end. For loads that write many records at once (the demo's year of entries)."""
    if not records:
        return []
    key = audit_key()
    with transaction.atomic():
        head = _head_for_append(key)
        previous, algorithm = head.last_hash or GENESIS, preferred_algorithm()
        entries = []
        for record in records:
            entry = _new_entry(record)
            entry.algorithm, entry.prev_hash = algorithm, previous
            entry.hash = previous = seal(
                key=key, algorithm=algorithm, prev_hash=previous, fields=entry_fields(entry)
            )
            entry.save()
            entries.append(entry)
        state = head_state(head)
        for entry in entries:
            state = state.appended(
                entry_id=entry.pk, entry_hash=entry.hash, prev_hash=entry.prev_hash
            )
        unsealed: dict[str, Any] = {}
        if (
            head.checkpoint_at is None
            or entries[0].created_at - head.checkpoint_at >= CHECKPOINT_EVERY
        ):
            unsealed["checkpoint_at"] = entries[0].created_at
            transaction.on_commit(_publish_checkpoint_after_commit)
        head_store(head, state, key=key, **unsealed)
    return entries


def _sealed_rows() -> Iterator[SealedRow]:
    columns = ("id", "algorithm", "prev_hash", "hash", *_SEALED_COLUMNS)
    rows = AuditEntry.objects.order_by("id").values_list(*columns)
    for row in rows.iterator(chunk_size=2000):
        values = dict(zip(columns, row, strict=True))
        values["created_at"] = values["created_at"].isoformat()
        fields = {name: values[name] for name in _SEALED_COLUMNS}
        yield SealedRow(
            values["id"], values["algorithm"], values["prev_hash"], values["hash"], fields
        )


def _hash_of(entry_id: int) -> str | None:
    return AuditEntry.objects.filter(pk=entry_id).values_list("hash", flat=True).first()


def _check_checkpoint(report: ChainReport, head: HeadState, checkpoint: Checkpoint) -> ChainReport:
    finding = checkpoint_compare(checkpoint, head, _hash_of)
    summary = {
        "ok": finding.ok,
        "count": checkpoint.count,
        "last_id": checkpoint.last_id,
        "issued_at": checkpoint.issued_at,
        "problem": finding.problem,
        "note": finding.note,
    }
    if finding.ok:
        return replace(report, checkpoint=summary)
    return ChainReport(False, report.checked, checkpoint.last_id, finding.problem, summary)


def audit_verify(checkpoint: Checkpoint | None = None) -> ChainReport:
    """Checks the head's seal, then streams every entry (see `chain.verify_rows`), then, given
    a checkpoint whose own seal the caller has checked, that the chain still holds it."""
    key = audit_key()
    head_row = AuditChainHead.objects.filter(pk=1).first()
    if head_row is None:
        if AuditEntry.objects.exists():
            return ChainReport(False, 0, None, "链头缺失：审计链头被删除")
        return ChainReport(
            False, 0, None, "审计链为空：没有链头，也没有任何记录（链头和记录被删除）"
        )
    head = head_state(head_row)
    if not head_seal_valid(head, head_row.seal, key):
        return ChainReport(
            False, 0, head.last_id, "链头封印不符：链头被改动或回退到旧状态（或审计密钥不对）"
        )
    report = verify_rows(_sealed_rows(), key=key, head=head)
    if report.ok and checkpoint is not None:
        return _check_checkpoint(report, head, checkpoint)
    return report
