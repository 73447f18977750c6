"""`anjian backup` / `anjian restore` (issue 16, defect 10): a consistent copy of the default
SQLite database and of PostgreSQL, the media files, a manifest with hashes; a restore that checks
the hashes first, refuses to overwrite data, and afterwards verifies the audit chain and compares
every table's row count. The round trips run the real `anjian` command in subprocesses."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from anjian.audit.models import AuditEntry
from anjian.core.backup import postgres
from anjian.core.backup.facts import count_rows, table_names
from anjian.core.backup.manifest import BackupError
from anjian.core.backup.service import compare_with_manifest
from anjian.core.backup.sqlite import refuse_if_in_use
from anjian.registry.models import Enterprise

from ..conftest import build_world
from ..subprocess_env import REPO, keys_env, scratch_postgres

ANJIAN = str(Path(sys.executable).with_name("anjian"))
PHOTO = b"\xff\xd8\xff\xe0 a photo of a finding"


def _media_file(relative: str = "evidence/2026/hazard-1.jpg") -> Path:
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PHOTO)
    return path


def _backup(folder: Path) -> dict[str, Any]:
    call_command("backup", str(folder), stdout=(out := _Out()))
    return json.loads(out.text)


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.django_db(transaction=True)
def test_backup_writes_a_private_folder_with_a_complete_manifest(tmp_path: Path) -> None:
    build_world()
    _media_file()
    folder = tmp_path / "backup"
    summary = _backup(folder)
    assert summary["ok"] is True
    assert summary["database"] == connection.vendor
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format_version"] == 1
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["keys_included"] is False
    assert set(manifest["tables"]) == set(table_names())
    assert manifest["tables"]["registry_enterprise"] == Enterprise.objects.count() == 4
    last = AuditEntry.objects.order_by("-id").first()
    assert last is not None
    assert manifest["audit"]["count"] == AuditEntry.objects.count()
    assert (manifest["audit"]["last_id"], manifest["audit"]["last_hash"]) == (last.pk, last.hash)
    paths = {entry["path"]: entry for entry in manifest["files"]}
    photo = paths["media/evidence/2026/hazard-1.jpg"]
    assert photo["size"] == len(PHOTO)
    assert photo["sha256"] == hashlib.sha256(PHOTO).hexdigest()
    assert manifest["database"]["file"] in paths
    # private: the folder and every folder in it 0700, every file 0600; no key in it
    assert _mode(folder) == 0o700
    for path in folder.rglob("*"):
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path
    text = "".join(p.read_text(errors="ignore") for p in folder.rglob("*") if p.is_file())
    assert str(settings.SECRET_KEY) not in text
    assert str(settings.AUDIT_HMAC_KEY) not in text
    assert not list(tmp_path.glob(".backup.partial-*"))


@pytest.mark.django_db
def test_backup_refuses_a_folder_that_holds_files(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError) as refused:
        _backup(tmp_path)
    assert refused.value.returncode == 2
    assert "不为空" in str(refused.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.txt"]


@pytest.mark.parametrize("tamper", ["changed", "missing", "extra"])
@pytest.mark.django_db(transaction=True)
def test_restore_checks_every_hash_first_and_names_the_file(tmp_path: Path, tamper: str) -> None:
    build_world()
    _media_file()
    folder = tmp_path / "backup"
    _backup(folder)
    photo = folder / "media/evidence/2026/hazard-1.jpg"
    if tamper == "changed":
        photo.write_bytes(PHOTO.replace(b"photo", b"fakes"))
    elif tamper == "missing":
        photo.unlink()
    else:
        (folder / "media/evidence/2026/planted.jpg").write_bytes(b"x")
    before = Enterprise.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(folder), "--force", stdout=_Out())
    assert refused.value.returncode == 2
    named = "planted.jpg" if tamper == "extra" else "media/evidence/2026/hazard-1.jpg"
    assert named in str(refused.value)
    assert Enterprise.objects.count() == before
    assert (Path(settings.MEDIA_ROOT) / "evidence/2026/hazard-1.jpg").read_bytes() == PHOTO


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_data_without_force(tmp_path: Path) -> None:
    build_world()
    folder = tmp_path / "backup"
    _backup(folder)
    out = _Out()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(folder), stdout=out)
    assert refused.value.returncode == 2
    assert json.loads(out.text)["error"]["code"] == "DATABASE_NOT_EMPTY"
    assert "--force" in str(refused.value)


def test_restore_refuses_a_missing_or_foreign_folder(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"没有 manifest\.json"):
        call_command("restore", str(tmp_path), stdout=_Out())
    (tmp_path / "manifest.json").write_text('{"format_version": 9, "files": []}')
    with pytest.raises(CommandError, match="不支持的备份格式版本"):
        call_command("restore", str(tmp_path), stdout=_Out())
    foreign = {"format_version": 1, "files": [], "database": {"vendor": "oracle"}}
    (tmp_path / "manifest.json").write_text(json.dumps(foreign))
    with pytest.raises(CommandError, match="备份来自 oracle 数据库"):
        call_command("restore", str(tmp_path), stdout=_Out())
    foreign["database"] = {"vendor": connection.vendor, "file": "elsewhere.db"}
    (tmp_path / "manifest.json").write_text(json.dumps(foreign))
    with pytest.raises(CommandError, match="缺少数据库文件"):
        call_command("restore", str(tmp_path), stdout=_Out())


def test_a_wal_file_means_the_database_is_in_use(tmp_path: Path) -> None:
    database = tmp_path / "anjian.sqlite3"
    database.write_bytes(b"")
    refuse_if_in_use(database, force=False)  # no -wal: stopped
    Path(f"{database}-wal").write_bytes(b"")
    with pytest.raises(BackupError, match="请先停止 anjian 服务"):
        refuse_if_in_use(database, force=False)
    refuse_if_in_use(database, force=True)


def test_pg_dump_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError) as missing:
        postgres.tool("pg_dump")
    assert missing.value.code == "TOOL_MISSING"
    assert "找不到 pg_dump" in missing.value.message
    assert "postgresql-client" in missing.value.message


def test_the_password_goes_through_the_environment_never_the_command_line() -> None:
    db = {
        "NAME": "anjian",
        "USER": "anjian",
        "PASSWORD": "s3cret:p@ss",
        "HOST": "db.example.gov.cn",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "verify-full"},
    }
    args, env = postgres.client_args(db)
    assert args == [
        "--no-password",
        "--host",
        "db.example.gov.cn",
        "--port",
        "5433",
        "--username",
        "anjian",
        "--dbname",
        "anjian",
    ]
    assert not any("s3cret" in arg for arg in args)
    assert env["PGPASSWORD"] == "s3cret:p@ss"
    assert env["PGSSLMODE"] == "verify-full"


@pytest.mark.django_db
def test_a_restore_under_another_audit_key_fails_with_a_hint(world, settings) -> None:  # type: ignore[no-untyped-def]
    tables = table_names()
    with connection.cursor() as cursor:
        manifest = {"tables": count_rows(cursor, tables), "audit": {}}
    manifest["audit"]["last_hash"] = AuditEntry.objects.order_by("-id").values_list(
        "hash", flat=True
    )[0]
    settings.AUDIT_HMAC_KEY = "not the key the trail was sealed with"
    report = compare_with_manifest(manifest)
    assert report["mismatches"] == []
    assert report["audit"]["ok"] is False
    assert report["ok"] is False
    assert "ANJIAN_AUDIT_KEY" in report["hint"]


@pytest.mark.django_db
def test_the_comparison_names_every_mismatch(world) -> None:  # type: ignore[no-untyped-def]
    tables = table_names()
    with connection.cursor() as cursor:
        counts = count_rows(cursor, tables)
    last = AuditEntry.objects.order_by("-id").first()
    assert last is not None
    manifest = {"tables": dict(counts), "audit": {"last_hash": last.hash}}
    report = compare_with_manifest(manifest)
    assert report["mismatches"] == []
    assert report["tables_checked"] == len(tables)
    assert report["audit"]["ok"] is True
    assert report["ok"] is True
    manifest["tables"]["registry_enterprise"] += 1
    manifest["tables"]["gone_table"] = 3
    manifest["audit"]["last_hash"] = "0" * 64
    report = compare_with_manifest(manifest)
    assert report["ok"] is False
    assert report["mismatches"] == [
        {"check": "rows", "table": "gone_table", "expected": 3, "actual": None},
        {"check": "rows", "table": "registry_enterprise", "expected": 5, "actual": 4},
        {"check": "audit_last_hash", "expected": "0" * 64, "actual": last.hash},
    ]


def _anjian(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ANJIAN, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )


def _json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr
    return dict(json.loads(lines[-1]))


@pytest.mark.django_db(transaction=True)
def test_sqlite_online_backup_and_restore_in_subprocesses(tmp_path: Path) -> None:
    """The suite's data becomes a running installation's SQLite file (WAL mode, a writer holding
    an open transaction); `anjian backup` copies it online, `anjian restore` puts it into a new
    data folder and checks counts and the audit chain."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip runs in the SQLite run of the suite")
    build_world()
    _media_file()
    seed = tmp_path / "seed"
    _backup(seed)
    live = tmp_path / "source"
    live.mkdir()
    shutil.copyfile(seed / "database.sqlite3", live / "anjian.sqlite3")
    shutil.copytree(seed / "media", live / "media")
    writer = sqlite3.connect(live / "anjian.sqlite3", isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "DELETE FROM registry_enterprise WHERE id = (SELECT MIN(id) FROM registry_enterprise)"
    )
    source = keys_env(ANJIAN_DATA_DIR=str(live))
    made = _anjian(source, "backup", str(tmp_path / "backup"))
    writer.execute("ROLLBACK")
    writer.close()
    assert made.returncode == 0, made.stdout + made.stderr
    summary = _json(made)
    assert summary["ok"] is True and summary["files"] == 2
    manifest = json.loads((tmp_path / "backup/manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["registry_enterprise"] == 4  # the writer's open change is not in it

    target = {**source, "ANJIAN_DATA_DIR": str(tmp_path / "target")}
    restored = _anjian(target, "restore", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    report = _json(restored)
    assert report["ok"] is True
    assert report["mismatches"] == []
    assert report["tables_checked"] == summary["tables"] == len(manifest["tables"])
    assert report["audit"]["ok"] is True
    assert report["audit"]["checked"] == summary["audit"]["count"] > 0
    assert _mode(tmp_path / "target" / "anjian.sqlite3") == 0o600
    assert (tmp_path / "target/media/evidence/2026/hazard-1.jpg").read_bytes() == PHOTO
    # the restored database now holds data: a second restore is refused without --force
    again = _anjian(target, "restore", str(tmp_path / "backup"))
    assert again.returncode == 2
    assert _json(again)["error"]["code"] == "DATABASE_NOT_EMPTY"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_round_trip_into_a_scratch_database(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: DATABASE_URL must point at a PostgreSQL server")
    build_world()
    _media_file()
    folder = tmp_path / "backup"
    summary = _backup(folder)
    assert summary["audit"]["count"] == AuditEntry.objects.count() > 0
    with scratch_postgres("anjian_restore") as url:
        env = keys_env(ANJIAN_DATA_DIR=str(tmp_path / "target"), DATABASE_URL=url)
        restored = _anjian(env, "restore", str(folder))
        assert restored.returncode == 0, restored.stdout + restored.stderr
        report = _json(restored)
        assert report["ok"] is True
        assert report["mismatches"] == []
        assert report["tables_checked"] == summary["tables"]
        assert report["audit"]["ok"] is True
        assert report["audit"]["checked"] == summary["audit"]["count"]
        assert (tmp_path / "target/media/evidence/2026/hazard-1.jpg").read_bytes() == PHOTO
