"""Ciphers for personal data at rest: SM4-GCM (GB/T 32907 block cipher, authenticated) under the
field key, and reading the Fernet values earlier versions stored. Pure functions, no Django."""

from anjian.domain.ciphers.fernet_legacy import (
    fernet_decrypt,
    fernet_encrypt,
    legacy_fernet_keys,
)
from anjian.domain.ciphers.sm4 import (
    CipherError,
    FieldKey,
    Keyring,
    MalformedValue,
    TamperedValue,
    UnknownKey,
    is_sm4_value,
    parse_field_key,
    sm4_decrypt,
    sm4_encrypt,
    value_key_id,
)

__all__ = [
    "CipherError",
    "FieldKey",
    "Keyring",
    "MalformedValue",
    "TamperedValue",
    "UnknownKey",
    "fernet_decrypt",
    "fernet_encrypt",
    "is_sm4_value",
    "legacy_fernet_keys",
    "parse_field_key",
    "sm4_decrypt",
    "sm4_encrypt",
    "value_key_id",
]
