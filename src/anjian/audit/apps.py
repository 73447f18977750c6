from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """The SQLite delete trigger of the audit trail asks `anjian_audit_wiping()` (migration
    0004); see `audit.wiping`."""
    if connection.vendor != "sqlite":
        return
    from anjian.audit.wiping import wiping_allowed

    connection.connection.create_function(
        "anjian_audit_wiping", 0, lambda: int(wiping_allowed(connection)), deterministic=False
    )


class AuditConfig(AppConfig):
    name = "anjian.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        connection_created.connect(register_sqlite_functions, dispatch_uid="anjian-audit-sqlite")
