"""SQLite: a consistent copy through the online backup API while the application runs (WAL mode
lets it keep writing), and putting a copy back in place while the application is stopped."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from django.db import connection

from anjian.core.backup.facts import audit_facts, count_rows
from anjian.core.backup.manifest import BackupError, FileEntry, copy_file, digest, private_file

DATABASE_FILE = "database.sqlite3"
SIDE_FILES = ("-wal", "-shm", "-journal")


def database_path() -> Path:
    """The configured SQLite file; an in-memory database cannot be restored into."""
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db():
        raise BackupError("IN_MEMORY_DATABASE", f"当前数据库在内存中（{name}），无法恢复到文件。")
    return Path(name)


def sqlite_backup(folder: Path, tables: list[str]) -> tuple[FileEntry, dict[str, Any]]:
    """Copies the live database into folder/database.sqlite3 with sqlite3's backup API (one step:
    a single read transaction, so the copy is one consistent state), then counts the copy."""
    target = folder / DATABASE_FILE
    os.close(private_file(target))
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(target)
    _register_django_functions(copy)
    try:
        source.backup(copy)
        # One self-contained file; Django turns WAL back on when it opens the restored file.
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError("CORRUPT_DATABASE", f"数据库副本完整性检查未通过：{check}")
        cursor = copy.cursor()
        facts = {
            "tables": count_rows(cursor, tables),
            "audit": audit_facts(cursor, set(tables)),
            "tool": f"sqlite3 online backup API (SQLite {sqlite3.sqlite_version})",
        }
    finally:
        copy.close()
    return digest(target, DATABASE_FILE), facts


def _register_django_functions(copy: sqlite3.Connection) -> None:
    """The SQL functions Django defines on its own connections: the schema's check constraints
    call them, so the integrity check of the copy needs them."""
    from django.db.backends.sqlite3 import _functions

    _functions.register(copy)


def refuse_if_in_use(target: Path, *, force: bool) -> None:
    """A -wal file next to the database means a connection is (or was left) open: the
    application must be stopped before its file is replaced."""
    wal = Path(f"{target}-wal")
    if wal.exists() and not force:
        raise BackupError(
            "DATABASE_IN_USE",
            f"数据库可能正在使用（存在 {wal.name}）：请先停止 anjian 服务和任务进程再恢复；"
            "确认没有其他进程打开数据库后，可加 --force。",
            [str(wal)],
        )


def stage_database(folder: Path, target: Path, expected: dict[str, Any]) -> Path:
    """Copies the backup's database file next to the target (not yet in place) and checks the
    copy's hash once more."""
    staged = target.with_name(f"{target.name}.restoring")
    staged.unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    entry = copy_file(folder / DATABASE_FILE, staged, DATABASE_FILE)
    if entry.as_dict() != expected:
        staged.unlink(missing_ok=True)
        raise BackupError("CHECKSUM_MISMATCH", f"复制时文件发生变化：{DATABASE_FILE}")
    return staged


def put_in_place(staged: Path, target: Path) -> None:
    """Replaces the database file; the old file's WAL and shared-memory files go with it (they
    belong to the old file and would corrupt the new one)."""
    connection.close()
    for suffix in SIDE_FILES:
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(staged, target)
