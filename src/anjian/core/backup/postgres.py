"""PostgreSQL: pg_dump in the custom format, reading the same snapshot the row counts are taken
in, and pg_restore in one transaction. Connection arguments come from the configured database;
the password goes through PGPASSWORD, never on the command line."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from django.db import connection

from anjian.core.backup.facts import audit_facts, count_rows
from anjian.core.backup.manifest import BackupError, FileEntry, digest, private_file

DUMP_FILE = "database.dump"
# libpq settings that may sit in OPTIONS, and the variables pg_dump/pg_restore read them from
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            "TOOL_MISSING",
            f"找不到 {name}：请安装 PostgreSQL 客户端（Debian/Ubuntu：apt-get install "
            f"postgresql-client，版本不低于数据库服务器），或把 {name} 所在目录加入 PATH。",
            [name],
        )
    return found


def _settings() -> dict[str, Any]:
    return dict(connection.settings_dict)


def client_args(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """The pg_dump/pg_restore arguments and environment for the configured database."""
    args = ["--no-password"]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    args += ["--dbname", str(db["NAME"])]
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    options = db.get("OPTIONS") or {}
    for option, variable in LIBPQ_OPTIONS.items():
        if options.get(option) is not None:
            env[variable] = str(options[option])
    return args, env


def _connect_kwargs(db: dict[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"dbname": db["NAME"]}
    for key, name in (("HOST", "host"), ("PORT", "port"), ("USER", "user")):
        if db.get(key):
            kwargs[name] = str(db[key])
    if db.get("PASSWORD"):
        kwargs["password"] = str(db["PASSWORD"])
    options = db.get("OPTIONS") or {}
    kwargs.update({k: options[k] for k in LIBPQ_OPTIONS if options.get(k) is not None})
    return kwargs


@contextmanager
def _snapshot(db: dict[str, Any]) -> Iterator[tuple[Any, str]]:
    """A read-only repeatable-read transaction and its exported snapshot id, held open while
    pg_dump runs so that the dump and the counts describe the same instant."""
    try:
        conn = psycopg.connect(**_connect_kwargs(db))
    except psycopg.Error as exc:
        raise BackupError("DATABASE_UNREACHABLE", f"无法连接数据库：{exc}") from exc
    try:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        cursor = conn.cursor()
        cursor.execute("SELECT pg_export_snapshot()")
        row = cursor.fetchone()
        assert row is not None
        yield cursor, str(row[0])
    finally:
        conn.rollback()
        conn.close()


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-5:])
        raise BackupError(
            f"{what.upper()}_FAILED", f"{what} 失败（退出码 {result.returncode}）：{tail}"
        )


def pg_backup(folder: Path, tables: list[str]) -> tuple[FileEntry, dict[str, Any]]:
    db = _settings()
    pg_dump = tool("pg_dump")
    target = folder / DUMP_FILE
    os.close(private_file(target))  # pg_dump truncates the file and keeps its 0600 mode
    args, env = client_args(db)
    version = subprocess.run([pg_dump, "--version"], capture_output=True, text=True, check=False)
    with _snapshot(db) as (cursor, snapshot):
        command = [pg_dump, "--format=custom", f"--file={target}", f"--snapshot={snapshot}"]
        _run([*command, *args], env, "pg_dump")
        facts = {
            "tables": count_rows(cursor, tables),
            "audit": audit_facts(cursor, set(tables)),
            "tool": version.stdout.strip(),
        }
    return digest(target, DUMP_FILE), facts


def pg_restore(folder: Path) -> None:
    """Restores the dump into the configured database in one transaction: on any error nothing
    is changed. --clean --if-exists drops what the dump recreates; --no-owner and
    --no-privileges let the dump of one server's role load under another."""
    pg_restore_path = tool("pg_restore")
    args, env = client_args(_settings())
    connection.close()
    options = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
    _run(
        [pg_restore_path, *options, "--exit-on-error", *args, str(folder / DUMP_FILE)],
        env,
        "pg_restore",
    )
