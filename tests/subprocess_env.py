"""What tests that run `anjian` in subprocesses share: an environment with every key given
explicitly, and a scratch PostgreSQL database on the server the suite uses."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[1]


def keys_env(**extra: str) -> dict[str, str]:
    """Every key given explicitly, so the subprocesses work however keys are loaded."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    field_key = getattr(settings, "FIELD_ENCRYPTION_KEY", None)
    if isinstance(field_key, bytes):
        field_key = field_key.hex()
    env.update(
        {
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
            "ANJIAN_SECRET_KEY": str(settings.SECRET_KEY),
            "ANJIAN_AUDIT_KEY": str(settings.AUDIT_HMAC_KEY),
            "ANJIAN_FIELD_KEY": str(field_key or secrets.token_hex(16)),
            **extra,
        }
    )
    return env


@contextmanager
def scratch_postgres(prefix: str) -> Iterator[str]:
    """A new empty database on the suite's PostgreSQL server, as a DATABASE_URL; dropped after."""
    db = connection.settings_dict
    scratch = f"{prefix}_{secrets.token_hex(4)}"
    admin = {
        "dbname": "postgres",
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "autocommit": True,
    }
    with psycopg.connect(**admin) as server:
        server.execute(f'CREATE DATABASE "{scratch}"')
    try:
        user = f"{db['USER']}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{db['USER']}@"
        yield f"postgres://{user}{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{scratch}"
    finally:
        with psycopg.connect(**admin) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
