"""The encrypted columns of the database, read and rewritten as stored text (raw SQL, so that
nothing decrypts or encrypts on the way): what the start-up check samples, what the migrations
convert from Fernet and what `anjian rekey` moves under the current key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import connections

from anjian.crypto.fields import SM4TextField

LEGACY = "legacy"  # the group of values in the old Fernet format
CHUNK = 500


@dataclass(frozen=True)
class Column:
    label: str  # e.g. "执法人员.身份证号码"
    table: str
    pk: str
    column: str


@dataclass(frozen=True)
class Group:
    """The values of one column under one key id (or in the old format)."""

    column: Column
    key_id: str
    count: int
    sample_pk: Any


def _column(model: Any, field: Any) -> Column:
    label = f"{model._meta.verbose_name}.{field.verbose_name}"
    return Column(label, model._meta.db_table, model._meta.pk.column, field.column)


def encrypted_columns(app_registry: Apps | None = None) -> list[Column]:
    registry = app_registry or global_apps
    return [
        _column(model, field)
        for model in registry.get_models()
        for field in model._meta.local_fields
        if isinstance(field, SM4TextField)
    ]


def column_of(app_registry: Apps, app_label: str, model_name: str, field_name: str) -> Column:
    model = app_registry.get_model(app_label, model_name)
    return _column(model, model._meta.get_field(field_name))


def existing(columns: list[Column], using: str = "default") -> list[Column]:
    """The columns whose table exists (before `migrate` there are none)."""
    tables = set(connections[using].introspection.table_names())
    return [c for c in columns if c.table in tables]


def groups(column: Column, using: str = "default") -> list[Group]:
    """One cheap grouped query: how many values under each key id, and one row of each."""
    qn = connections[using].ops.quote_name
    value, table, pk = qn(column.column), qn(column.table), qn(column.pk)
    sql = (
        f"SELECT CASE WHEN {value} LIKE %s THEN substr({value}, 11, 8) ELSE %s END, "
        f"COUNT(*), MIN({pk}) FROM {table} WHERE {value} IS NOT NULL AND {value} <> '' "
        "GROUP BY 1 ORDER BY 1"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, ["sm4gcm:v1:%", LEGACY])
        return [Group(column, str(k), int(n), sample) for k, n, sample in cursor.fetchall()]


def stored_value(column: Column, pk: Any, using: str = "default") -> str:
    qn = connections[using].ops.quote_name
    sql = f"SELECT {qn(column.column)} FROM {qn(column.table)} WHERE {qn(column.pk)} = %s"
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def stored_values(column: Column, using: str = "default") -> Iterator[tuple[Any, str]]:
    """(pk, stored text) of every non-empty value, in chunks by primary key."""
    qn = connections[using].ops.quote_name
    value, table, pk = qn(column.column), qn(column.table), qn(column.pk)
    sql = (
        f"SELECT {pk}, {value} FROM {table} WHERE {value} IS NOT NULL AND {value} <> '' "
        f"AND {pk} > %s ORDER BY {pk} LIMIT {CHUNK}"
    )
    last: Any = -1
    while True:
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [last])
            rows = cursor.fetchall()
        yield from rows
        if len(rows) < CHUNK:
            return
        last = rows[-1][0]


def rewrite(column: Column, transform: Callable[[str], str | None], using: str = "default") -> int:
    """Replaces each stored value by `transform(value)` (None: leave it); the count changed.
    Run it inside a transaction: an exception from `transform` then leaves the column as it was."""
    qn = connections[using].ops.quote_name
    sql = f"UPDATE {qn(column.table)} SET {qn(column.column)} = %s WHERE {qn(column.pk)} = %s"
    changed = 0
    for pk, stored in stored_values(column, using):
        new = transform(stored)
        if new is not None and new != stored:
            with connections[using].cursor() as cursor:
                cursor.execute(sql, [new, pk])
            changed += 1
    return changed
