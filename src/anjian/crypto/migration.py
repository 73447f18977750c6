"""The data migration from the Fernet values of django-fernet-encrypted-fields to SM4, used by
registry 0005 and training 0005. A value is decrypted with the old scheme (key derived from the
secret key and ANJIAN_FIELD_SALT) and encrypted under the field key. A value the old keys cannot
read is left as it is and counted: the start-up check then refuses to run and says which key to
restore, and `anjian rekey` converts it once the key is back. Backwards, SM4 values are written
in the old format again."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from anjian.crypto.columns import column_of, rewrite
from anjian.crypto.keyring import decrypt_value, encrypt_value, legacy_keys
from anjian.domain.ciphers import CipherError, fernet_decrypt, fernet_encrypt, is_sm4_value

Step = Callable[[Any, Any], None]


def sm4_from_fernet(app_label: str, model_name: str, field_name: str) -> tuple[Step, Step]:
    """(forwards, backwards) for `migrations.RunPython`."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        column = column_of(apps, app_label, model_name, field_name)
        unreadable = 0

        def convert(stored: str) -> str | None:
            nonlocal unreadable
            if is_sm4_value(stored):
                return None
            try:
                return encrypt_value(fernet_decrypt(stored, legacy_keys()))
            except CipherError:
                unreadable += 1
                return None

        rewrite(column, convert, schema_editor.connection.alias)
        if unreadable:
            sys.stderr.write(
                f"警告：{column.label} 有 {unreadable} 条旧格式加密数据无法解密，保持原样。"
                "请恢复原来的 ANJIAN_SECRET_KEY 后运行 anjian rekey。\n"
            )

    def backwards(apps: Any, schema_editor: Any) -> None:
        column = column_of(apps, app_label, model_name, field_name)
        key = legacy_keys()[0]

        def convert(stored: str) -> str | None:
            return fernet_encrypt(decrypt_value(stored), key) if is_sm4_value(stored) else None

        rewrite(column, convert, schema_editor.connection.alias)

    return forwards, backwards
