"""What an attacker with the database (but without the audit key) can do: lift the triggers that
keep the audit table append-only (as the table's owner can) and change rows by SQL. Everything
happens inside the test's transaction and is rolled back with it."""

from __future__ import annotations

import importlib
import json
from datetime import datetime
from typing import Any

import time_machine
from django.db import connection

SQLITE_TRIGGERS = (
    "audit_auditentry_keep_young",
    "audit_auditentry_no_update",
    "audit_auditentry_actor_cleared_only",
)


def lift_guards() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending events: ALTER may run
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_guard")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {name}")


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def head_row() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_hash, last_entry_id, entry_count, pruned_count, first_entry_id, "
            "first_prev_hash, algorithm, seal FROM audit_auditchainhead WHERE id = 1"
        )
        names = [c[0] for c in cursor.description]
        row = cursor.fetchone()
    return dict(zip(names, row, strict=True))


def put_head(values: dict[str, Any]) -> None:
    """Writes the head row by SQL, as someone copying it from a backup or editing it would."""
    assignments = ", ".join(f"{name} = %s" for name in values)
    sql(f"UPDATE audit_auditchainhead SET {assignments} WHERE id = 1", list(values.values()))


def restore_guards() -> None:
    triggers = importlib.import_module("anjian.audit.migrations.0004_retention_triggers")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_guard")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for statement in triggers.SQLITE_CREATE:
                cursor.execute(statement)


def wipe_chain() -> None:
    """An empty table and no head (what the test starts from; restores the guards)."""
    lift_guards()
    sql("DELETE FROM audit_auditentry")
    sql("DELETE FROM audit_auditchainhead")
    restore_guards()


def record_at(moment: datetime, count: int, prefix: str) -> list[int]:
    from anjian.audit.services import audit_record

    with time_machine.travel(moment, tick=False):
        return [audit_record(actor=None, action=f"{prefix}.{i}").pk for i in range(count)]


def cli(capsys: Any, *args: str) -> tuple[int, dict[str, Any]]:
    from anjian.cli import main

    code = main(list(args))
    out = capsys.readouterr().out.strip().splitlines()
    return code, json.loads(out[-1])
