"""The one lawful way to remove audit entries: the oldest ones, once the retention period
(`AUDIT_RETENTION_DAYS`, at least 185 days) is over. The chain is verified first, the rows go
by SQL (the ORM refuses bulk deletes, and the database triggers let only old rows go), the
sealed head is re-anchored on the oldest remaining entry, and an entry `audit.chain.prune`
records what went. Someone deleting old rows without the key cannot re-anchor the head, so
verification fails for them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from anjian.audit.models import AuditChainHead, AuditEntry
from anjian.audit.services import audit_key, audit_record, audit_verify, head_state, head_store

PRUNE = "audit.chain.prune"


class PruneRefused(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class PruneResult:
    pruned: int
    first_id: int | None = None
    last_id: int | None = None
    last_hash: str | None = None
    entry_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "pruned": self.pruned,
            "first_id": self.first_id,
            "last_id": self.last_id,
            "last_hash": self.last_hash,
            "entry_id": self.entry_id,
        }


def latest_prunable_day() -> date:
    """`--before` may be at most this day: everything kept is at least the retention period
    old."""
    return timezone.localdate() - timedelta(days=settings.AUDIT_RETENTION_DAYS)


def _delete_through(last_id: int) -> None:
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id <= %s", [last_id])


def _reanchor(head: AuditChainHead, removed: int) -> None:
    oldest = AuditEntry.objects.order_by("id").values_list("id", "prev_hash").first()
    state = head_state(head)
    state = replace(
        state,
        count=state.count - removed,
        pruned=state.pruned + removed,
        first_id=oldest[0] if oldest else None,
        first_prev_hash=oldest[1] if oldest else "",
    )
    head_store(head, state, key=audit_key())


def audit_prune(*, before: date, actor: Any = None) -> PruneResult:
    """Removes the oldest entries made before `before` (local midnight), in id order, stopping
    at the first entry made on or after it. All or nothing."""
    latest = latest_prunable_day()
    if before > latest:
        raise PruneRefused(
            "INSIDE_RETENTION",
            f"审计记录至少保存 {settings.AUDIT_RETENTION_DAYS} 天：截止日期最晚为 {latest}，"
            f"不能是 {before}",
        )
    cutoff = datetime.combine(before, time.min, tzinfo=timezone.get_current_timezone())
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        report = audit_verify()
        if head is None or not report.ok:
            raise PruneRefused("CHAIN_BROKEN", f"审计链校验未通过，不能清理：{report.problem}")
        kept = AuditEntry.objects.filter(created_at__gte=cutoff).order_by("id")
        keep_from = kept.values_list("id", flat=True).first()
        doomed = AuditEntry.objects.all()
        if keep_from is not None:
            doomed = doomed.filter(id__lt=keep_from)
        span = doomed.aggregate(n=Count("id"), first=Min("id"), last=Max("id"))
        if not span["n"]:
            return PruneResult(0)
        last_hash = AuditEntry.objects.filter(pk=span["last"]).values_list("hash", flat=True).get()
        _delete_through(span["last"])
        _reanchor(head, span["n"])
        result = PruneResult(span["n"], span["first"], span["last"], last_hash)
        changes = {
            "count": result.pruned,
            "first_id": result.first_id,
            "last_id": result.last_id,
            "last_hash": result.last_hash,
            "before": before.isoformat(),
            "retention_days": settings.AUDIT_RETENTION_DAYS,
        }
        entry = audit_record(actor=actor, action=PRUNE, changes=changes)
    return replace(result, entry_id=entry.pk)
