"""Checkpoints kept outside the database catch what the sealed head alone cannot: an older head
row copied back from a backup, with the entries after it deleted."""

from __future__ import annotations

import json
import logging
import stat
from datetime import timedelta

import pytest
import time_machine

from anjian.audit.models import AuditChainHead, AuditEntry
from anjian.audit.publishing import checkpoint_issue, checkpoint_publish
from anjian.audit.services import audit_record, audit_verify
from tests.clock import TEST_NOW
from tests.web.audit_helpers import cli, head_row, lift_guards, put_head, sql


@pytest.fixture
def checkpoint_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return settings.AUDIT_CHECKPOINT_DIR


def _write(tmp_path, data: dict, name: str = "checkpoint.json") -> str:  # type: ignore[no-untyped-def,type-arg]
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_head_restored_from_a_backup_passes_plain_verify_but_not_the_checkpoint(
    world, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    backup = head_row()  # the head as a nightly backup holds it
    kept = backup["last_entry_id"]
    for i in range(3):
        audit_record(actor=None, action=f"test.after_backup.{i}")
    path = _write(tmp_path, checkpoint_issue().as_dict())
    lift_guards()
    sql("DELETE FROM audit_auditentry WHERE id > %s", [kept])
    put_head(backup)
    assert audit_verify().ok  # consistent and validly sealed: only the checkpoint knows
    code, out = cli(capsys, "audit", "verify", "--checkpoint", path)
    assert code == 1
    assert out["ok"] is False
    assert out["problem"].startswith("审计链被截短")
    assert out["checkpoint"]["ok"] is False
    assert out["first_broken_id"] == kept + 3


def test_a_rewritten_checkpointed_entry_is_noticed(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    checkpoint = checkpoint_issue()
    report = audit_verify(checkpoint)
    assert report.ok and report.checkpoint["ok"]
    forged = type(checkpoint)(**{**checkpoint.as_dict(), "last_hash": "f" * 64})
    report = audit_verify(forged)  # (its seal is checked by the command line, not here)
    assert not report.ok
    assert "摘要不符" in report.problem


def test_a_checkpoint_from_the_sink_file_verifies(world, checkpoint_dir, capsys) -> None:  # type: ignore[no-untyped-def]
    first, _ = checkpoint_publish()
    audit_record(actor=None, action="test.between")
    second, path = checkpoint_publish()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["seal"] for line in lines] == [first.seal, second.seal]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(checkpoint_dir.stat().st_mode) == 0o700
    assert path.name == "audit-checkpoints-2026-11-16.jsonl"
    code, out = cli(capsys, "audit", "verify", "--checkpoint", str(path))
    assert code == 0, out
    assert out["checkpoint"] == {
        "ok": True,
        "count": second.count,
        "last_id": second.last_id,
        "issued_at": second.issued_at,
        "problem": None,
        "note": None,
    }


def test_the_checkpoint_command_publishes_to_the_folder(world, checkpoint_dir, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = cli(capsys, "audit", "checkpoint")
    assert code == 0
    head = AuditChainHead.objects.get()
    assert out["checkpoint"]["count"] == head.entry_count
    assert out["checkpoint"]["last_id"] == head.last_entry_id
    assert out["checkpoint"]["algorithm"] in ("sm3", "sha256")
    line = json.loads((checkpoint_dir / "audit-checkpoints-2026-11-16.jsonl").read_text())
    assert line == out["checkpoint"]
    assert head.checkpoint_at is not None


def test_a_published_checkpoint_goes_to_the_log(world, checkpoint_dir, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.INFO, logger="anjian.audit.checkpoint"):
        logged, _ = checkpoint_publish()
    assert [r.name for r in caplog.records] == ["anjian.audit.checkpoint"]
    assert logged.seal in caplog.records[0].getMessage()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ({"count": 3}, "INVALID_CHECKPOINT"),
        ("not json at all", "INVALID_CHECKPOINT"),
        (
            {
                "count": "3",
                "pruned": 0,
                "last_id": 1,
                "last_hash": "",
                "issued_at": "",
                "algorithm": "sm3",
                "seal": "",
            },
            "INVALID_CHECKPOINT",
        ),
    ],
)
def test_an_unreadable_checkpoint_is_a_json_error(world, tmp_path, capsys, content, code) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    exit_code, out = cli(capsys, "audit", "verify", "--checkpoint", str(path))
    assert exit_code == 2
    assert out["error"]["code"] == code


def test_a_missing_checkpoint_file_is_a_json_error(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = cli(capsys, "audit", "verify", "--checkpoint", str(tmp_path / "none.json"))
    assert code == 2
    assert out["error"]["code"] == "UNREADABLE_FILE"


def test_a_forged_checkpoint_is_refused(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    genuine = checkpoint_issue().as_dict()
    path = _write(tmp_path, {**genuine, "count": genuine["count"] + 1000})
    code, out = cli(capsys, "audit", "verify", "--checkpoint", path)
    assert code == 2
    assert out["error"]["code"] == "CHECKPOINT_FORGED"
    assert "签名不符" in out["error"]["message"]


def test_the_first_entry_a_day_after_the_last_checkpoint_publishes_one(
    world, checkpoint_dir, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    checkpoint_publish()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        audit_record(actor=None, action="test.same_day")
    assert callbacks == []
    with (
        time_machine.travel(TEST_NOW + timedelta(hours=25), tick=False),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        entry = audit_record(actor=None, action="test.next_day")
    assert len(callbacks) == 1
    published = checkpoint_dir / "audit-checkpoints-2026-11-17.jsonl"
    line = json.loads(published.read_text(encoding="utf-8"))
    assert (line["last_id"], line["count"]) == (entry.pk, AuditEntry.objects.count())


def test_the_audit_administrator_downloads_a_signed_checkpoint(
    world, login, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["audit_admin"])
    response = client.get("/audit/checkpoint/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="anjian-audit-checkpoint-'
    )
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    download = AuditEntry.objects.get(action="audit.checkpoint.download")
    assert download.actor_username == "audit_admin"
    assert data["last_id"] == download.pk  # the checkpoint covers its own download
    path = _write(tmp_path, data)
    code, out = cli(capsys, "audit", "verify", "--checkpoint", path)
    assert code == 0 and out["checkpoint"]["ok"] is True
    page = client.get("/audit/").content.decode()
    assert "/audit/checkpoint/" in page


@pytest.mark.parametrize("username", ["office", "system_admin", "legal_office"])
def test_other_roles_cannot_download_a_checkpoint(world, login, username) -> None:  # type: ignore[no-untyped-def]
    before = AuditEntry.objects.count()
    response = login(world.users[username]).get("/audit/checkpoint/")
    assert response.status_code == 403
    assert AuditEntry.objects.count() == before


def test_no_checkpoint_is_signed_for_a_tampered_head(world, login) -> None:  # type: ignore[no-untyped-def]
    put_head({"entry_count": 1})
    client = login(world.users["audit_admin"])
    before = AuditEntry.objects.count()
    response = client.get("/audit/checkpoint/")
    assert response.status_code == 409
    assert "封印不符" in response.content.decode()
    assert AuditEntry.objects.count() == before
