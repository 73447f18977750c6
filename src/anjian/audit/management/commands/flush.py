"""Django's `flush`, kept from emptying the audit trail of a real database: nothing younger
than the retention period may be deleted by any path (see `audit.wiping`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import DatabaseError, connections
from django.utils import timezone

from anjian.audit.wiping import flushing, is_test_database

RETENTION_FLOOR = timedelta(days=185)


class Command(flush.Command):
    help = flush.Command.help + " 审计记录保存期内的数据库不能清空（测试数据库除外）。"

    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if not is_test_database(connection) and _has_young_entries(connection.alias):
            raise CommandError("审计日志中有保存期（185 天）内的记录：不能清空这个数据库。")
        with flushing():
            super().handle(**options)


def _has_young_entries(alias: str) -> bool:
    from anjian.audit.models import AuditEntry

    try:
        entries = AuditEntry.objects.using(alias)
        return entries.filter(created_at__gt=timezone.now() - RETENTION_FLOOR).exists()
    except DatabaseError:  # not migrated yet: nothing to keep
        return False
