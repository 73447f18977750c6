"""Emptying a whole database is allowed only for Django's test databases: `flush` (which
pytest-django runs after every transactional test) is the audit app's own command here, and on
any other database it refuses while the audit trail holds entries younger than the legal
minimum. On SQLite the delete trigger asks `wiping_allowed` through a registered function; on
PostgreSQL `flush` runs TRUNCATE, which row triggers do not see."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.backends.base.creation import TEST_DATABASE_PREFIX

_flushing: ContextVar[bool] = ContextVar("anjian_audit_flushing", default=False)


def is_test_database(connection: Any) -> bool:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        return True
    return str(connection.settings_dict.get("NAME") or "").startswith(TEST_DATABASE_PREFIX)


def wiping_allowed(connection: Any) -> bool:
    return _flushing.get() and is_test_database(connection)


@contextmanager
def flushing() -> Iterator[None]:
    token = _flushing.set(True)
    try:
        yield
    finally:
        _flushing.reset(token)
