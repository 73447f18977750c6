"""A lost key is never silent. Before the server (`anjian runserver`, `anjian demo`, gunicorn
through config/wsgi.py) or a management command starts, `refuse_without_keys` checks with a few
cheap queries that the configured keys read what the database holds:

- the field key: per encrypted column, the values are grouped by the key id they name (one
  grouped query); for each group one value is decrypted; a key id no configured key has, or a
  value that does not decrypt, stops the start;
- the audit key: the newest audit entry's seal must verify under `ANJIAN_AUDIT_KEY`.

Before `migrate` (no tables) there is nothing to check. Commands that repair or inspect (migrate,
rekey, check, shell, backup/restore …) are exempt (`EXEMPT_COMMANDS`); `anjian audit verify`
does not pass through here and reports the chain itself. This module imports no models at import
time: the command line imports it before Django is set up."""

from __future__ import annotations

import hmac
from collections import defaultdict
from typing import Any

from django.core.exceptions import ImproperlyConfigured

EXEMPT_COMMANDS = frozenset(
    {
        "migrate",
        "makemigrations",
        "showmigrations",
        "sqlmigrate",
        "squashmigrations",
        "rekey",
        "check",
        "help",
        "version",
        "--help",
        "-h",
        "--version",
        "collectstatic",
        "compilemessages",
        "makemessages",
        "shell",
        "dbshell",
        "backup",
        "restore",
    }
)
FIELD_KEY_HELP = (
    "请从密钥备份恢复该密钥，设为 ANJIAN_FIELD_KEY（或 ANJIAN_FIELD_KEY_FILE）；"
    "轮换期间的旧密钥放在 ANJIAN_FIELD_KEY_OLD。恢复前系统不会启动（见 docs/ops/keys.md）。"
)
LEGACY_HELP = (
    "这些是升级前的旧格式（Fernet）数据，其密钥由原来的 ANJIAN_SECRET_KEY 与 ANJIAN_FIELD_SALT "
    "派生：请恢复原来的 ANJIAN_SECRET_KEY（或放入 ANJIAN_SECRET_KEY_FALLBACKS），"
    "再运行 anjian rekey 转为 SM4。"
)


class KeysMissing(ImproperlyConfigured):
    """The configured keys cannot read the data: the message says what to restore."""


def command_is_checked(argv: list[str]) -> bool:
    return bool(argv) and argv[0] not in EXEMPT_COMMANDS


def _unreadable_groups(using: str) -> list[Any]:
    from anjian.crypto.columns import LEGACY, encrypted_columns, existing, groups, stored_value
    from anjian.crypto.keyring import CipherError, decrypt_value, field_keyring

    keyring = field_keyring()
    known = {keyring.current.key_id, *(k.key_id for k in keyring.fallbacks)}
    bad = []
    for column in existing(encrypted_columns(), using):
        for group in groups(column, using):
            if group.key_id != LEGACY and group.key_id not in known:
                bad.append(group)
                continue
            try:
                decrypt_value(stored_value(column, group.sample_pk, using))
            except CipherError:
                bad.append(group)
    return bad


def field_key_problems(using: str = "default") -> list[str]:
    """What keeps the field key from reading the encrypted columns (empty when all is well)."""
    from anjian.crypto.columns import LEGACY

    bad = _unreadable_groups(using)
    if not bad:
        return []
    by_kind: dict[bool, list[Any]] = defaultdict(list)
    for group in bad:
        by_kind[group.key_id == LEGACY].append(group)
    problems = []
    if by_kind[False]:
        groups = by_kind[False]
        total = sum(g.count for g in groups)
        where = "、".join(f"{g.column.label} {g.count} 条" for g in groups)
        key_ids = "、".join(sorted({g.key_id for g in groups}))
        problems.append(
            f"缺少个人信息加密密钥 ANJIAN_FIELD_KEY：数据库中有 {total} 条加密数据（{where}）"
            f"无法用当前配置的密钥解密，它们的密钥标识是 {key_ids}。{FIELD_KEY_HELP}"
        )
    if by_kind[True]:
        total = sum(g.count for g in by_kind[True])
        problems.append(f"数据库中有 {total} 条旧格式加密数据无法解密。{LEGACY_HELP}")
    return problems


def _seal_matches(entry: Any, key: str) -> bool:
    from anjian.audit.chain import seal
    from anjian.audit.services import _entry_fields

    try:
        expected = seal(
            key=key.encode(),
            algorithm=entry.algorithm,
            prev_hash=entry.prev_hash,
            fields=_entry_fields(entry),
        )
    except ValueError:  # an algorithm this machine's OpenSSL does not offer
        return False
    return hmac.compare_digest(expected, entry.hash)


def audit_key_problems(using: str = "default") -> list[str]:
    """Whether the audit key verifies the newest entry's seal (empty when it does)."""
    from django.conf import settings
    from django.db import connections

    from anjian.audit.models import AuditEntry

    if AuditEntry._meta.db_table not in connections[using].introspection.table_names():
        return []
    newest = AuditEntry.objects.using(using).order_by("-id").first()
    if newest is None or _seal_matches(newest, str(settings.AUDIT_HMAC_KEY)):
        return []
    count = AuditEntry.objects.using(using).count()
    message = (
        f"审计密钥 ANJIAN_AUDIT_KEY 无法验证最新一条审计记录（#{newest.pk}，"
        f"{newest.created_at:%Y-%m-%d %H:%M}）的封印：审计日志共 {count} 条，密钥缺失或不是"
        "写入时的密钥。请从密钥备份恢复 ANJIAN_AUDIT_KEY（或 ANJIAN_AUDIT_KEY_FILE）。"
    )
    old_secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if any(_seal_matches(newest, str(s)) for s in old_secrets):
        message += (
            "这些记录是用 Django 密钥（ANJIAN_SECRET_KEY）封印的（旧版本未设审计密钥时的做法）："
            "把 ANJIAN_AUDIT_KEY 设为该值即可。"
        )
    else:
        message += "若密钥确实无误，则是该记录被改动：运行 anjian audit verify 并报告安全管理员。"
    return [message]


def key_problems(using: str = "default") -> list[str]:
    return field_key_problems(using) + audit_key_problems(using)


def refuse_without_keys(using: str = "default") -> None:
    """Raises `KeysMissing` with every problem found; returns when the keys read the data."""
    problems = key_problems(using)
    if problems:
        raise KeysMissing("拒绝启动：\n" + "\n".join(f"- {p}" for p in problems))
