"""Making a backup folder and restoring from one.

A backup folder holds the database (`database.sqlite3` or `database.dump`), `media/` (the
uploaded evidence under MEDIA_ROOT) and `manifest.json`. Issued documents need no files: their
bytes are stored in the database (`IssuedDocument.content`). Keys are never put in a backup; they
are backed up apart from it (docs/ops/keys.md)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from anjian.audit.services import audit_verify
from anjian.core.backup import postgres, sqlite
from anjian.core.backup.facts import audit_facts, count_rows, holds_data, table_names
from anjian.core.backup.manifest import (
    DIR_MODE,
    FORMAT_VERSION,
    BackupError,
    FileEntry,
    check_files,
    copy_tree,
    read_manifest,
    write_manifest,
)

MEDIA_FOLDER = "media"
VENDORS = ("sqlite", "postgresql")
AUDIT_HINT = (
    "审计链核验未通过。若从第一条记录起就不符，多半是审计密钥与备份时不同："
    "请从密钥备份恢复 ANJIAN_AUDIT_KEY（docs/ops/keys.md）后再运行 anjian audit verify。"
)


def _app_version() -> str:
    try:
        return metadata.version("anjian")
    except metadata.PackageNotFoundError:
        return "unknown"


def default_folder() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(str(settings.DATA_DIR)) / "backups" / str(stamp)


def _vendor() -> str:
    if connection.vendor not in VENDORS:
        raise BackupError("UNSUPPORTED_DATABASE", f"不支持的数据库：{connection.vendor}")
    return str(connection.vendor)


def _prepare(target: Path) -> Path:
    """A private staging folder next to target; target must not hold files yet."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError("FOLDER_NOT_EMPTY", f"备份目录已存在且不为空：{target}", [str(target)])
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    staging.chmod(DIR_MODE)
    return staging


def backup_create(*, folder: Path | None = None) -> dict[str, Any]:
    """Writes a complete backup folder, or nothing: the files are gathered in a staging folder
    that is renamed into place only once the manifest is written."""
    began = time.perf_counter()
    vendor = _vendor()
    target = (folder or default_folder()).resolve()
    tables = table_names()
    staging = _prepare(target)
    try:
        backup = sqlite.sqlite_backup if vendor == "sqlite" else postgres.pg_backup
        database_entry, facts = backup(staging, tables)
        media = copy_tree(Path(settings.MEDIA_ROOT), staging / MEDIA_FOLDER, MEDIA_FOLDER)
        files = [database_entry, *media]
        manifest = _manifest(vendor, database_entry, facts, files)
        write_manifest(staging, manifest)
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {
        "ok": True,
        "folder": str(target),
        "database": vendor,
        "tables": len(facts["tables"]),
        "rows": sum(facts["tables"].values()),
        "audit": {k: facts["audit"][k] for k in ("count", "last_id", "last_hash")},
        "files": len(files),
        "bytes": sum(entry.size for entry in files),
        "seconds": round(time.perf_counter() - began, 2),
    }


def _manifest(
    vendor: str, database_entry: FileEntry, facts: dict[str, Any], files: list[FileEntry]
) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "app": "anjian",
        "app_version": _app_version(),
        "django_version": django.get_version(),
        "created_at": timezone.now().isoformat(),
        "database": {
            "vendor": vendor,
            "name": str(connection.settings_dict["NAME"]),
            "file": database_entry.path,
            "tool": facts["tool"],
        },
        "tables": facts["tables"],
        "audit": facts["audit"],
        "media": {"root": str(settings.MEDIA_ROOT), "files": len(files) - 1},
        "keys_included": False,
        "files": [entry.as_dict() for entry in files],
    }


def _refuse_if_data(*, force: bool) -> None:
    tables = set(table_names())
    with connection.cursor() as cursor:
        occupied = holds_data(cursor, tables)
    if occupied and not force:
        raise BackupError(
            "DATABASE_NOT_EMPTY",
            "目标数据库中已有数据（用户或审计记录）：恢复会覆盖它们。确认要覆盖时请加 --force。",
        )


def _check_backup(folder: Path) -> dict[str, Any]:
    manifest = read_manifest(folder)
    problems = check_files(folder, manifest)
    if problems:
        raise BackupError(
            "CHECKSUM_MISMATCH", f"备份校验失败，未做任何更改：{problems[0]}", problems
        )
    vendor = _vendor()
    database = manifest.get("database")
    source = database.get("vendor") if isinstance(database, dict) else None
    if source != vendor:
        raise BackupError(
            "VENDOR_MISMATCH", f"备份来自 {source} 数据库，当前配置的是 {vendor}，不能直接恢复。"
        )
    expected = sqlite.DATABASE_FILE if vendor == "sqlite" else postgres.DUMP_FILE
    listed = {entry.get("path") for entry in manifest["files"] if isinstance(entry, dict)}
    if database.get("file") != expected or expected not in listed:
        raise BackupError("BAD_MANIFEST", f"manifest.json 中缺少数据库文件 {expected}")
    if not isinstance(manifest.get("tables"), dict):
        raise BackupError("BAD_MANIFEST", "manifest.json 中缺少各表行数")
    return manifest


def _database_entry(manifest: dict[str, Any]) -> dict[str, Any]:
    name = manifest["database"]["file"]
    return next(entry for entry in manifest["files"] if entry["path"] == name)


def _stage_media(folder: Path) -> Path:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{media_root.name}.restoring-", dir=media_root.parent))
    shutil.rmtree(staged)
    copy_tree(folder / MEDIA_FOLDER, staged, MEDIA_FOLDER)
    return staged


def _swap_media(staged: Path) -> str | None:
    """Puts the restored media folder in place; a non-empty old one is kept beside it."""
    media_root = Path(settings.MEDIA_ROOT)
    kept: Path | None = None
    if media_root.exists():
        if any(media_root.iterdir()):
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            kept = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
            os.replace(media_root, kept)
        else:
            media_root.rmdir()
    os.replace(staged, media_root)
    return str(kept) if kept else None


def backup_restore(*, folder: Path, force: bool = False) -> dict[str, Any]:
    """Checks the backup, puts database and media in place, then compares the result with the
    manifest. Refusals (BackupError) change nothing."""
    began = time.perf_counter()
    folder = folder.resolve()
    manifest = _check_backup(folder)
    _refuse_if_data(force=force)
    target = sqlite.database_path() if manifest["database"]["vendor"] == "sqlite" else None
    if target is not None:
        connection.close()  # our own connection's WAL file is not someone else's
        sqlite.refuse_if_in_use(target, force=force)
    staged_media = _stage_media(folder)
    try:
        if target is not None:
            staged = sqlite.stage_database(folder, target, _database_entry(manifest))
            sqlite.put_in_place(staged, target)
        else:
            postgres.pg_restore(folder)
    except BaseException:
        shutil.rmtree(staged_media, ignore_errors=True)
        raise
    kept = _swap_media(staged_media)
    report = compare_with_manifest(manifest)
    report.update(
        {
            "backup": str(folder),
            "backup_created_at": manifest.get("created_at"),
            "app_version": {"backup": manifest.get("app_version"), "now": _app_version()},
            "media_files": manifest.get("media", {}).get("files"),
            "media_kept_as": kept,
            "seconds": round(time.perf_counter() - began, 2),
        }
    )
    return report


def compare_with_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    """The restored database against the manifest: every table's row count, the audit chain's
    newest seal, and `audit verify`."""
    expected: dict[str, int] = manifest.get("tables") or {}
    present = set(table_names())
    with connection.cursor() as cursor:
        actual = count_rows(cursor, sorted(present & set(expected)))
        facts = audit_facts(cursor, present)
    mismatches: list[dict[str, Any]] = [
        {"check": "rows", "table": table, "expected": count, "actual": actual.get(table)}
        for table, count in sorted(expected.items())
        if actual.get(table) != count
    ]
    want_hash = (manifest.get("audit") or {}).get("last_hash")
    if facts["last_hash"] != want_hash:
        mismatches.append(
            {"check": "audit_last_hash", "expected": want_hash, "actual": facts["last_hash"]}
        )
    try:
        audit = audit_verify().as_dict()
    except DatabaseError as exc:
        audit = {"ok": False, "checked": 0, "first_broken_id": None, "problem": str(exc)}
    report: dict[str, Any] = {
        "ok": not mismatches and bool(audit["ok"]),
        "tables_checked": len(expected),
        "mismatches": mismatches,
        "audit": audit,
    }
    if not audit["ok"]:
        report["hint"] = AUDIT_HINT
    return report
