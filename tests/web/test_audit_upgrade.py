"""A database from before the sealed head (entries sealed with HMAC-SHA256, an unsealed head)
keeps verifying after the upgrade: the migration seals the head over the entries as they are
and appends the genesis entry `audit.chain.start` that marks where the guarantee starts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from anjian.audit.chain import GENESIS, seal
from anjian.audit.models import AuditChainHead, AuditEntry
from anjian.audit.services import audit_key, audit_record, audit_verify, entry_fields


def _migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.migrate(targets).apps


@pytest.mark.django_db(transaction=True)
def test_an_old_chain_is_sealed_by_the_upgrade_and_goes_on() -> None:
    old = _migrate([("audit", "0001_initial")])
    entry_model = old.get_model("audit", "AuditEntry")
    head_model = old.get_model("audit", "AuditChainHead")
    entry_model.objects.all().delete()  # the old schema has no guards
    head_model.objects.all().delete()
    previous = GENESIS
    for i in range(3):
        entry = entry_model(
            created_at=timezone.now(),
            actor_username="system",
            action=f"legacy.{i}",
            algorithm="sha256",
            prev_hash=previous,
        )
        entry.hash = seal(
            key=audit_key(), algorithm="sha256", prev_hash=previous, fields=entry_fields(entry)
        )
        entry.save()
        previous = entry.hash
    head_model.objects.create(pk=1, last_hash=previous, last_entry_id=entry.pk)

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    rows = list(AuditEntry.objects.order_by("id"))
    assert [r.algorithm for r in rows[:3]] == ["sha256"] * 3
    start = rows[-1]
    assert start.action == "audit.chain.start"
    assert start.changes == {"reason": "升级：链头自此封存", "entries_before": 3}
    assert start.prev_hash == previous
    head = AuditChainHead.objects.get()
    assert (head.entry_count, head.first_entry_id, head.last_entry_id) == (4, rows[0].pk, start.pk)
    report = audit_verify()
    assert report.ok and report.checked == 4
    audit_record(actor=None, action="test.after_upgrade")
    assert audit_verify().checked == 5
