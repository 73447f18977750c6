"""`SM4TextField`: a text column whose values are SM4-GCM encrypted under the field key.

No well-kept Django field offers SM4 (the Fernet fields we used before cannot be given another
cipher), so this is a small TextField: `get_prep_value` encrypts, `from_db_value` decrypts.
Values read from an earlier version's Fernet column are still understood until they are
re-encrypted (the migrations and `anjian rekey` do that). A value that cannot be read raises
`CipherError` instead of showing the ciphertext, and the start-up check (crypto/startup.py)
refuses to run before that can happen. Equality lookups cannot match (every encryption is
randomised): find a row by another column (e.g. `id_last4`) and compare the decrypted value."""

from __future__ import annotations

from typing import Any

from django.db import models

from anjian.crypto.keyring import decrypt_value, encrypt_value


class SM4TextField(models.TextField):
    description = "Text encrypted with SM4-GCM under ANJIAN_FIELD_KEY"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if not value:
            return value
        return decrypt_value(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt_value(str(value))
