"""Concurrent writers keep the audit chain linear: the chain head row is locked per append.
SQLite serialises writers by itself (IMMEDIATE transactions), so this runs on PostgreSQL only."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from anjian.audit.models import AuditEntry
from anjian.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite serialises writers itself")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                audit_record(actor=None, action=f"test.concurrent.{n}.{i}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.filter(action__startswith="test.concurrent").count() == 60
    report = audit_verify()
    assert report.ok, report
    # 60 entries, and the genesis entry (of the migration, or of the first append after a flush)
    assert report.checked == AuditEntry.objects.count() == 61
