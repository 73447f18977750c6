"""What a backup records about its database and what a restore compares: the row count of every
table and the audit chain's head. Read through a plain DB-API cursor, so that a backup can count
inside its own snapshot (the SQLite copy, or the PostgreSQL snapshot pg_dump reads)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection

from anjian.audit import models as audit_models

GENESIS_ACTION = "audit.chain.start"  # the entry a new chain starts with (written by migrate)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names() -> list[str]:
    """Every table of the configured database (Django's introspection: the models' tables, the
    many-to-many tables, the migration record and any other table)."""
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor, include_views=False))


def count_rows(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return str(value)


def _head_rows(cursor: Any, tables: set[str]) -> list[dict[str, Any]] | None:
    """The chain head row(s) as stored, whatever columns the audit app gives them."""
    model = getattr(audit_models, "AuditChainHead", None)
    if model is None or model._meta.db_table not in tables:
        return None
    cursor.execute(f"SELECT * FROM {quote(model._meta.db_table)} ORDER BY 1")
    names = [column[0] for column in cursor.description]
    return [{n: _json_safe(v) for n, v in zip(names, row, strict=True)} for row in cursor]


def audit_facts(cursor: Any, tables: set[str]) -> dict[str, Any]:
    """The audit chain's head: entry count, newest entry's id and seal, and the head row."""
    facts: dict[str, Any] = {"count": None, "last_id": None, "last_hash": None, "head": None}
    entry_table = audit_models.AuditEntry._meta.db_table
    if entry_table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(entry_table)}")
        facts["count"] = int(cursor.fetchone()[0])
        cursor.execute(f"SELECT id, hash FROM {quote(entry_table)} ORDER BY id DESC LIMIT 1")
        last = cursor.fetchone()
        if last is not None:
            facts["last_id"], facts["last_hash"] = int(last[0]), str(last[1])
    facts["head"] = _head_rows(cursor, tables)
    return facts


def holds_data(cursor: Any, tables: set[str]) -> bool:
    """Does the database hold anything a restore would destroy: a user account, or an audit
    entry beyond the chain's start? (The tables and shipped data `migrate` creates do not count.)"""
    user_table = get_user_model()._meta.db_table
    if user_table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(user_table)}")
        if int(cursor.fetchone()[0]):
            return True
    entry_table = audit_models.AuditEntry._meta.db_table
    if entry_table in tables:
        cursor.execute(
            f"SELECT COUNT(*) FROM {quote(entry_table)} WHERE action <> '{GENESIS_ACTION}'"
        )
        if int(cursor.fetchone()[0]):
            return True
    return False
