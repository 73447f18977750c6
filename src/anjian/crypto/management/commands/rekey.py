"""`anjian rekey`: move every encrypted value under the current field key.

Rotation: set the new key in ANJIAN_FIELD_KEY and the old one in ANJIAN_FIELD_KEY_OLD, restart,
run `anjian rekey`, then remove ANJIAN_FIELD_KEY_OLD. The same command converts values still in
the old Fernet format. All in one transaction: a value that cannot be read leaves every value as
it was. `--check` only counts."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from anjian.audit.services import audit_record
from anjian.crypto.columns import LEGACY, encrypted_columns, existing, groups, rewrite
from anjian.crypto.keyring import (
    CipherError,
    decrypt_value,
    encrypt_value,
    field_keyring,
    needs_rekey,
)


def _reencrypted(stored: str) -> str | None:
    if not needs_rekey(stored):
        return None
    return encrypt_value(decrypt_value(stored))


class Command(BaseCommand):
    help = "Re-encrypt personal data under ANJIAN_FIELD_KEY. 用当前密钥重新加密个人信息。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--check", action="store_true", help="only count, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        current = field_keyring().current.key_id
        columns = existing(encrypted_columns())
        for column in columns:
            for group in groups(column):
                kind = "旧格式（Fernet）" if group.key_id == LEGACY else f"密钥 {group.key_id}"
                mark = "（当前密钥）" if group.key_id == current else ""
                self.stdout.write(f"{column.label}：{kind}{mark} {group.count} 条")
        if options["check"]:
            return
        try:
            with transaction.atomic():
                changed = {column.label: rewrite(column, _reencrypted) for column in columns}
                total = sum(changed.values())
                if total:
                    audit_record(
                        actor=None,
                        action="crypto.field_key.rekey",
                        changes={
                            "key_id": {"before": None, "after": current},
                            **{label: {"before": None, "after": n} for label, n in changed.items()},
                        },
                    )
        except CipherError as exc:
            raise CommandError(
                f"有数据无法解密，未做任何改动：{exc}。请把写入这些数据的旧密钥放入 "
                "ANJIAN_FIELD_KEY_OLD（旧格式数据需原来的 ANJIAN_SECRET_KEY）后重试。"
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(f"已用当前密钥 {current} 重新加密 {total} 条。")
            + ("现在可以从 ANJIAN_FIELD_KEY_OLD 中去掉旧密钥。" if total else "")
        )
