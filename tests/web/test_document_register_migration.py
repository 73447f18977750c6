"""The data migration moves every serial counter into the register, so no number is reused;
penalty counters (kinds "case_…") take the register's penalty kinds."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("inspections", "0002_approval_delegation"), ("documents", None)]
AFTER = [("documents", "0002_move_serials_and_register")]


def _migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets).apps


@pytest.mark.django_db(transaction=True)
def test_counters_move_into_the_register_and_numbering_goes_on() -> None:
    old = _migrate(BEFORE)
    body = old.get_model("accounts", "EnforcementBody").objects.create(
        name="文水县应急管理局", level="county"
    )
    serial = old.get_model("inspections", "DocumentSerial")
    serial.objects.create(body_id=body.pk, kind="record", year=2026, last=7)
    serial.objects.create(body_id=body.pk, kind="case_decision", year=2026, last=3)
    new = _migrate(AFTER)
    moved = {
        (s.kind, s.year): s.last
        for s in new.get_model("documents", "DocumentSerial").objects.filter(body_id=body.pk)
    }
    assert moved == {("record", 2026): 7, ("decision", 2026): 3}
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    from anjian.accounts.models import EnforcementBody
    from anjian.documents.services import next_serial

    with transaction.atomic():
        assert next_serial(EnforcementBody.objects.get(pk=body.pk), "record", 2026) == 8
        assert next_serial(EnforcementBody.objects.get(pk=body.pk), "decision", 2026) == 4
