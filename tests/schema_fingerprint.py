"""Build a blank database one way and print what it holds as one line of JSON.

    python -m tests.schema_fingerprint migrate|fresh

`migrate` runs the migrations one by one; `fresh` uses `anjian.core.fresh_schema.build`. The
database is whatever the environment configures (ANJIAN_DATA_DIR for SQLite, DATABASE_URL).
The fingerprint holds every table's columns (sorted by name: the two ways add columns in a
different order), constraints and indexes, the triggers, functions and extensions, and every
row, with the values that depend on the moment of the build (times and what is hashed over
them) masked."""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Any

UNNAMED = re.compile(r"^(fk_\d+|__unnamed_constraint_\d+__)$")  # SQLite: numbered by position
MOMENT = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d")
# Columns computed over the build's moment (the audit chain's hashes cover each entry's time).
VOLATILE = {
    "audit_auditentry": {"hash", "prev_hash"},
    "audit_auditchainhead": {"last_hash", "seal", "first_prev_hash"},
}


def _value(value: Any) -> Any:
    if isinstance(value, datetime) or (isinstance(value, str) and MOMENT.match(value)):
        return "<moment>"
    if isinstance(value, date | Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def _vendor_objects(cursor: Any, vendor: str) -> dict[str, Any]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE type IN ('trigger', 'index') AND sql IS NOT NULL ORDER BY type, name"
        )
        return {"sqlite_master": [list(row) for row in cursor.fetchall()]}
    cursor.execute(
        "SELECT tgname, tgrelid::regclass::text, pg_get_triggerdef(oid) FROM pg_trigger "
        "WHERE NOT tgisinternal ORDER BY tgname"
    )
    triggers = [list(row) for row in cursor.fetchall()]
    cursor.execute(
        "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = 'public' ORDER BY p.proname"
    )
    functions = [list(row) for row in cursor.fetchall()]
    cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")
    indexes = sorted(list(row) for row in cursor.fetchall())
    cursor.execute("SELECT extname FROM pg_extension ORDER BY extname")
    extensions = [row[0] for row in cursor.fetchall()]
    return {"triggers": triggers, "functions": functions, "indexes": indexes, "ext": extensions}


def _rows(cursor: Any, connection: Any, table: str) -> list[list[Any]]:
    """Every row, columns in name order. Ids that only follow the order rows were made in
    (migrations recorded, content types made for the models in the order each way lists them)
    give way to natural keys."""
    quoted = connection.ops.quote_name(table)
    cursor.execute(f"SELECT * FROM {quoted}")
    names = [d[0] for d in cursor.description]
    skip = VOLATILE.get(table, set())
    if table in {"django_migrations", "django_content_type", "auth_permission"}:
        skip = skip | {"id", "applied"}
    keep = sorted((name, i) for i, name in enumerate(names) if name not in skip)
    rows = [[_value(row[i]) for _, i in keep] for row in cursor.fetchall()]
    if table == "auth_permission":
        cursor.execute("SELECT id, app_label, model FROM django_content_type")
        types = {pk: f"{app}.{model}" for pk, app, model in cursor.fetchall()}
        at = [name for name, _ in keep].index("content_type_id")
        rows = [[*row[:at], types[row[at]], *row[at + 1 :]] for row in rows]
    return sorted(rows, key=lambda row: json.dumps(row, default=str, ensure_ascii=False))


def _constraints(cursor: Any, connection: Any, table: str) -> dict[str, Any]:
    named: dict[str, Any] = {}
    unnamed: list[str] = []
    for name, info in connection.introspection.get_constraints(cursor, table).items():
        info = {k: v for k, v in sorted(info.items()) if k != "orders"}
        if UNNAMED.match(name):
            unnamed.append(json.dumps(info, sort_keys=True, default=str))
        else:
            named[name] = info
    return {"named": named, "unnamed": sorted(unnamed)}


def fingerprint() -> dict[str, Any]:
    from django.db import connection

    introspection = connection.introspection
    tables: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in sorted(introspection.table_names(cursor)):
            columns = sorted(
                [c.name, c.type_code, c.null_ok, c.default, getattr(c, "collation", None)]
                for c in introspection.get_table_description(cursor, table)
            )
            tables[table] = {
                "columns": columns,
                "constraints": _constraints(cursor, connection, table),
                "rows": _rows(cursor, connection, table),
            }
        return {"tables": tables, **_vendor_objects(cursor, connection.vendor)}


def main(way: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from anjian.core import fresh_schema

    if way == "migrate":
        call_command("migrate", verbosity=0, interactive=False)
    else:
        fresh_schema.build(connection)
    print(json.dumps(fingerprint(), default=str, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])
