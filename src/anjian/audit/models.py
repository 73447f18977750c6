"""The audit trail: append-only entries, each sealed with an HMAC over the previous seal."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AppendOnlyError(RuntimeError):
    pass


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Bulk changes are refused like single ones: entries are appended by `audit_record` and
    removed only by the lawful prune (`audit.pruning`), which goes around the ORM on purpose."""

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计记录只能追加，不能删除。")

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("审计记录只能追加，不能修改。")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AppendOnlyError("审计记录只能追加，不能修改。")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AuditEntry]:
        raise AppendOnlyError("审计记录只能逐条追加并封存，不能批量写入。")


class AuditEntry(models.Model):
    created_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_username = models.CharField("操作人账号", max_length=150, blank=True)
    actor_name = models.CharField("操作人姓名", max_length=50, blank=True)
    action = models.CharField("操作", max_length=80, db_index=True)
    target_type = models.CharField("对象类型", max_length=80, blank=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    target_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    algorithm = models.CharField("摘要算法", max_length=20)
    prev_hash = models.CharField("前一条摘要", max_length=64)
    hash = models.CharField("摘要", max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("审计记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("审计记录只能追加，不能删除。")

    @property
    def change_rows(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for the list page. Most entries record {field: {"before",
        "after"}}; some record a plain fact ({"items": 94}), shown as its value after. (A
        template cannot loop over `changes.items`: a key named "items" wins over the method.)"""
        rows = []
        for name, change in (self.changes or {}).items():
            if isinstance(change, dict) and ("before" in change or "after" in change):
                rows.append((str(name), change.get("before"), change.get("after")))
            else:
                rows.append((str(name), None, change))
        return rows


class AuditChainHead(models.Model):
    """One row that holds the latest seal; locking it serialises appends to the chain. It is
    itself sealed with the audit key over the entry count, the anchor (the oldest entry's id and
    prev_hash) and the last entry, so a shortened chain cannot be made to look whole without the
    key. `checkpoint_at` (not sealed) only schedules the next automatic checkpoint."""

    last_hash = models.CharField(max_length=64)
    last_entry_id = models.BigIntegerField(null=True)
    entry_count = models.BigIntegerField(default=0)
    pruned_count = models.BigIntegerField(default=0)
    first_entry_id = models.BigIntegerField(null=True)
    first_prev_hash = models.CharField(max_length=64, blank=True)
    algorithm = models.CharField(max_length=20, blank=True)
    seal = models.CharField(max_length=64, blank=True)
    checkpoint_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "审计链头"

    def __str__(self) -> str:
        return f"审计链头 → {self.last_entry_id}"
