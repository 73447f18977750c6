"""The three keys and the private data folder (docs/ops/keys.md).

- `ANJIAN_SECRET_KEY`: Django's secret key (sessions, signed entry codes, password reset links);
- `ANJIAN_AUDIT_KEY`: the HMAC key that seals the audit trail;
- `ANJIAN_FIELD_KEY`: the 128-bit SM4 key of personal data (ID numbers), with the keys being
  rotated out in `ANJIAN_FIELD_KEY_OLD`.

Each comes from its own variable or from the file named by `<NAME>_FILE` (which wins); no key
ever falls back to another. With `ANJIAN_REQUIRE_KEYS=true` (production) a key that is not given
so stops the start. Otherwise (development, the demo) a missing key is generated once into its
own file in the key folder (`ANJIAN_KEY_DIR`, default `DATA_DIR/keys`), 0600 in a 0700 folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from anjian.config.env import env_secret
from anjian.domain.ciphers import parse_field_key

SECRET = "ANJIAN_SECRET_KEY"
AUDIT = "ANJIAN_AUDIT_KEY"
FIELD = "ANJIAN_FIELD_KEY"
FIELD_OLD = "ANJIAN_FIELD_KEY_OLD"
FILE_NAMES = {SECRET: "secret_key", AUDIT: "audit_key", FIELD: "field_key"}
GENERATORS: dict[str, Callable[[], str]] = {
    SECRET: lambda: secrets.token_urlsafe(50),
    AUDIT: lambda: secrets.token_hex(32),
    FIELD: lambda: secrets.token_hex(16),
}
# Where a key came from: the deploy check warns about the last two.
FROM_ENVIRONMENT, FROM_FILE, FROM_KEY_DIR, GENERATED = "environment", "file", "key_dir", "generated"


def _owned(path: Path) -> bool:
    return not hasattr(os, "getuid") or path.stat().st_uid == os.getuid()


def tighten(path: Path, mode: int) -> None:
    """Sets `mode` on a file or folder of ours (not one an administrator owns)."""
    with contextlib.suppress(OSError):
        if _owned(path) and (path.stat().st_mode & 0o777) != mode:
            path.chmod(mode)


def private_dir(path: Path) -> Path:
    """A folder only the service user can enter (0700), whatever the umask."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    tighten(path, 0o700)
    return path


def private_file(path: Path) -> Path:
    """An existing or new empty file only the service user can read (0600), whatever the umask:
    the SQLite database before Django opens it (its -wal and -shm files take its mode)."""
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    tighten(path, 0o600)
    return path


def publish(path: Path, text: str) -> bool:
    """Writes a new 0600 file atomically, unless it exists (two processes starting at once both
    end up reading the one that won). True when this call wrote it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        temporary.chmod(0o600)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        temporary.unlink(missing_ok=True)


@dataclass(frozen=True)
class Keys:
    secret_key: str = field(repr=False)
    audit_key: str = field(repr=False)
    field_key: str = field(repr=False)
    field_key_fallbacks: list[str] = field(repr=False)
    sources: dict[str, str]


def _explicit(name: str) -> tuple[str, str]:
    value = env_secret(name, "")
    return value, (FROM_FILE if os.environ.get(f"{name}_FILE") else FROM_ENVIRONMENT)


def load_key(name: str, *, key_dir: Path, require: bool) -> tuple[str, str]:
    """(value, source) of one key."""
    value, source = _explicit(name)
    if value:
        return value, source
    if require:
        raise ImproperlyConfigured(
            f"未配置密钥 {name}：ANJIAN_REQUIRE_KEYS=true 时每个密钥都必须由 {name} 或 "
            f"{name}_FILE 明确给出，不会自动生成（见 docs/ops/keys.md）。"
        )
    path = private_dir(key_dir) / FILE_NAMES[name]
    source = GENERATED if publish_if_missing(path, GENERATORS[name]) else FROM_KEY_DIR
    tighten(path, 0o600)
    value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise ImproperlyConfigured(f"密钥文件 {path} 是空的：请从密钥备份恢复 {name}。")
    return value, source


def publish_if_missing(path: Path, make: Callable[[], str]) -> bool:
    return False if path.exists() else publish(path, make())


def adopt_legacy_secret(*, data_dir: Path, key_dir: Path) -> None:
    """Earlier versions kept a generated secret key in `DATA_DIR/secret_key` and sealed the audit
    trail with it when no audit key was set. Move it into the key folder as the secret key and,
    once, as the audit key, so existing sessions, stored ID numbers (read through the old Fernet
    scheme until migrated) and the existing audit chain stay readable. From then on the two are
    separate files; the audit key is rotated as docs/ops/keys.md says."""
    legacy = data_dir / "secret_key"
    if not legacy.is_file() or _explicit(SECRET)[0]:
        return
    value = legacy.read_text(encoding="utf-8").strip()
    if value:
        private_dir(key_dir)
        publish_if_missing(key_dir / FILE_NAMES[SECRET], lambda: value)
        if not _explicit(AUDIT)[0]:
            publish_if_missing(key_dir / FILE_NAMES[AUDIT], lambda: value)
    legacy.unlink(missing_ok=True)


def split_keys(raw: str) -> list[str]:
    return [part for part in re.split(r"[\s,]+", raw) if part]


def _checked_field_keys(current: str, old: list[str]) -> None:
    for name, value in [(FIELD, current), *((FIELD_OLD, v) for v in old)]:
        try:
            parse_field_key(value)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} 无效：{exc}") from exc


def load_keys(*, data_dir: Path, key_dir: Path, require: bool) -> Keys:
    if not require:
        adopt_legacy_secret(data_dir=data_dir, key_dir=key_dir)
    loaded = {name: load_key(name, key_dir=key_dir, require=require) for name in FILE_NAMES}
    values = {name: value for name, (value, _) in loaded.items()}
    if len(set(values.values())) < len(values) and require:
        raise ImproperlyConfigured(
            "ANJIAN_SECRET_KEY、ANJIAN_AUDIT_KEY、ANJIAN_FIELD_KEY 必须是三个不同的密钥。"
        )
    old = split_keys(env_secret(FIELD_OLD, ""))
    _checked_field_keys(values[FIELD], old)
    return Keys(
        secret_key=values[SECRET],
        audit_key=values[AUDIT],
        field_key=values[FIELD],
        field_key_fallbacks=old,
        sources={name: source for name, (_, source) in loaded.items()},
    )
