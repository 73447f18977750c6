"""A truncated audit trail does not verify: the sealed head remembers the entry count, the
anchor and the last entry; the database keeps young rows; only the lawful prune removes old
ones, and it re-anchors the head."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from anjian.audit.models import AppendOnlyError, AuditChainHead, AuditEntry
from anjian.audit.pruning import PRUNE, audit_prune
from anjian.audit.publishing import checkpoint_issue
from anjian.audit.services import AuditChainBroken, audit_record, audit_verify
from tests.web.audit_helpers import (
    SQLITE_TRIGGERS,
    cli,
    head_row,
    lift_guards,
    put_head,
    record_at,
    sql,
    wipe_chain,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
JANUARY_2025 = datetime(2025, 1, 10, 9, 0, tzinfo=SHANGHAI)
MARCH_2025 = datetime(2025, 3, 10, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def old_chain(db: None) -> dict[str, list[int]]:
    """A chain started in January 2025 (genesis + 3 entries), 2 entries of March 2025 and 2 of
    today (2026-11-16)."""
    wipe_chain()
    january = record_at(JANUARY_2025, 3, "test.january")
    march = record_at(MARCH_2025, 2, "test.march")
    today = [audit_record(actor=None, action=f"test.today.{i}").pk for i in range(2)]
    assert audit_verify().ok
    return {"january": january, "march": march, "today": today}


def _ids() -> list[int]:
    return list(AuditEntry.objects.order_by("id").values_list("id", flat=True))


def test_rewinding_the_head_with_the_tail_deleted_fails_on_the_seal(world) -> None:  # type: ignore[no-untyped-def]
    ids = _ids()
    keep = AuditEntry.objects.get(pk=ids[-3])
    lift_guards()
    sql("DELETE FROM audit_auditentry WHERE id > %s", [keep.pk])
    put_head({"last_hash": keep.hash, "last_entry_id": keep.pk, "entry_count": len(ids) - 2})
    report = audit_verify()
    assert not report.ok
    assert report.problem.startswith("链头封印不符")
    with pytest.raises(AuditChainBroken):  # the next entry does not reseal the rewound head
        audit_record(actor=None, action="test.after_rewind")
    assert not AuditEntry.objects.filter(action="test.after_rewind").exists()


def test_deleting_the_newest_rows_without_touching_the_head_fails(world) -> None:  # type: ignore[no-untyped-def]
    ids = _ids()
    lift_guards()
    sql("DELETE FROM audit_auditentry WHERE id >= %s", [ids[-2]])
    report = audit_verify()
    assert not report.ok
    assert report.problem.startswith("链头与最后一条记录不符")
    assert report.checked == len(ids) - 2


def test_deleting_the_oldest_rows_by_sql_fails(old_chain) -> None:  # type: ignore[no-untyped-def]
    first_march = old_chain["march"][0]
    sql("DELETE FROM audit_auditentry WHERE id < %s", [first_march])  # old rows: triggers allow
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_id == first_march
    assert report.problem.startswith("最早的记录不是链头封存的起点")


def test_deleting_every_row_and_the_head_fails(world, capsys) -> None:  # type: ignore[no-untyped-def]
    lift_guards()
    sql("DELETE FROM audit_auditentry")
    sql("DELETE FROM audit_auditchainhead")
    code, out = cli(capsys, "audit", "verify")
    assert code == 1
    assert out["ok"] is False
    assert out["problem"].startswith("审计链为空")


def test_deleting_every_row_but_keeping_the_head_fails(world) -> None:  # type: ignore[no-untyped-def]
    lift_guards()
    sql("DELETE FROM audit_auditentry")
    report = audit_verify()
    assert not report.ok
    assert report.problem.startswith("审计链为空")


def test_a_deleted_head_stops_writing(world) -> None:  # type: ignore[no-untyped-def]
    sql("DELETE FROM audit_auditchainhead")
    before = AuditEntry.objects.count()
    assert audit_verify().problem.startswith("链头缺失")
    with pytest.raises(AuditChainBroken):
        audit_record(actor=None, action="test.headless")
    assert AuditEntry.objects.count() == before


def test_an_empty_database_starts_its_chain_with_a_genesis_entry(db) -> None:  # type: ignore[no-untyped-def]
    wipe_chain()
    entry = audit_record(actor=None, action="test.first")
    first, second = AuditEntry.objects.order_by("id")
    assert first.action == "audit.chain.start"
    assert second == entry
    assert entry.prev_hash == first.hash
    head = AuditChainHead.objects.get()
    assert (head.entry_count, head.first_entry_id, head.last_entry_id) == (2, first.pk, entry.pk)
    assert audit_verify().ok


def test_the_migrated_database_holds_a_sealed_genesis_entry(db) -> None:  # type: ignore[no-untyped-def]
    first = AuditEntry.objects.order_by("id").first()
    assert first is not None and first.action == "audit.chain.start"
    report = audit_verify()
    assert report.ok and report.checked == AuditEntry.objects.count()


def test_bulk_changes_through_the_orm_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    before = AuditEntry.objects.count()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(action__startswith="registry").delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=_ids()[-1]).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create([AuditEntry(action="forged")])
    assert AuditEntry.objects.count() == before
    assert not AuditEntry.objects.filter(action="forged").exists()


def test_the_database_refuses_deleting_or_changing_a_young_row(world) -> None:  # type: ignore[no-untyped-def]
    young = _ids()[-1]
    with pytest.raises(DatabaseError, match="保存期"), transaction.atomic():
        sql("DELETE FROM audit_auditentry WHERE id = %s", [young])
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
        sql("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["forged", young])
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
        sql(
            "UPDATE audit_auditentry SET actor_id = %s WHERE id = %s",
            [world.users["office"].pk, young],
        )
    assert AuditEntry.objects.filter(pk=young).exclude(action="forged").exists()
    assert audit_verify().ok


def test_the_retention_triggers_are_installed(db) -> None:  # type: ignore[no-untyped-def]
    """A later migration that rebuilds the table on SQLite would drop them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger "
                "WHERE tgrelid = 'audit_auditentry'::regclass AND NOT tgisinternal"
            )
            assert {row[0] for row in cursor.fetchall()} == {"audit_auditentry_guard"}
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'audit_auditentry'"
            )
            assert {row[0] for row in cursor.fetchall()} == set(SQLITE_TRIGGERS)


def test_flush_refuses_a_real_database_with_young_entries(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        "anjian.audit.management.commands.flush.is_test_database", lambda connection: False
    )
    before = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="不能清空"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.count() == before


def test_a_lawful_prune_reanchors_the_head_and_verifies(old_chain, capsys) -> None:  # type: ignore[no-untyped-def]
    before_prune = checkpoint_issue()
    genesis = _ids()[0]
    pruned = [genesis, *old_chain["january"]]
    last_pruned = AuditEntry.objects.get(pk=pruned[-1])
    code, out = cli(capsys, "audit", "prune", "--before", "2025-02-01")
    assert code == 0, out
    assert out["pruned"] == 4
    assert (out["first_id"], out["last_id"]) == (genesis, pruned[-1])
    assert out["last_hash"] == last_pruned.hash
    assert _ids()[0] == old_chain["march"][0]
    note = AuditEntry.objects.get(action=PRUNE)
    assert note.changes["count"] == 4 and note.changes["last_hash"] == last_pruned.hash
    assert note.changes["before"] == "2025-02-01"
    head = AuditChainHead.objects.get()
    assert (head.entry_count, head.pruned_count) == (5, 4)
    assert head.first_entry_id == old_chain["march"][0]
    report = audit_verify()
    assert report.ok and report.checked == 5
    assert audit_verify(before_prune).ok  # a checkpoint taken before the prune still holds


def test_after_a_lawful_prune_deleting_more_old_rows_still_fails(old_chain) -> None:  # type: ignore[no-untyped-def]
    audit_prune(before=date(2025, 2, 1))
    sql("DELETE FROM audit_auditentry WHERE id = %s", [old_chain["march"][0]])
    report = audit_verify()
    assert not report.ok
    assert report.problem.startswith("最早的记录不是链头封存的起点")


def test_a_prune_inside_the_retention_period_is_refused(old_chain, capsys) -> None:  # type: ignore[no-untyped-def]
    before = _ids()
    code, out = cli(capsys, "audit", "prune", "--before", "2026-06-01")
    assert code == 2
    assert out["error"]["code"] == "INSIDE_RETENTION"
    assert "185" in out["error"]["message"] and "2026-05-15" in out["error"]["message"]
    assert _ids() == before


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("audit", "prune"), "USAGE"),
        (("audit", "prune", "--before", "2025-13-01"), "INVALID_DATE"),
        (("audit", "prune", "--after", "2025-01-01"), "USAGE"),
    ],
)
def test_bad_prune_usage_is_a_json_error(old_chain, capsys, args, error) -> None:  # type: ignore[no-untyped-def]
    code, out = cli(capsys, *args)
    assert code == 2
    assert out["error"]["code"] == error


def test_a_broken_chain_is_not_pruned(old_chain, capsys) -> None:  # type: ignore[no-untyped-def]
    sql("DELETE FROM audit_auditentry WHERE id = %s", [old_chain["january"][1]])
    before = _ids()
    code, out = cli(capsys, "audit", "prune", "--before", "2025-02-01")
    assert code == 2
    assert out["error"]["code"] == "CHAIN_BROKEN"
    assert _ids() == before
    assert head_row()["pruned_count"] == 0
