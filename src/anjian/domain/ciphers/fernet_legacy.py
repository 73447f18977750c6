"""Reading the ID numbers earlier versions stored with django-fernet-encrypted-fields: Fernet
under a key derived by PBKDF2-HMAC-SHA256 (100,000 rounds, 32 bytes) from the Django secret key
with the salt `ANJIAN_FIELD_SALT`, for every secret key (current and fallbacks) and salt, as
`encrypted_fields.fields.EncryptedFieldMixin.keys` does. Kept only until every value is SM4."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from anjian.domain.ciphers.sm4 import CipherError, TamperedValue


@lru_cache(maxsize=16)
def _derive(secret_key: str, salt: str) -> bytes:
    kdf = PBKDF2HMAC(
        algorithm=hashes.SHA256(), length=32, salt=salt.encode("utf-8"), iterations=100_000
    )
    return base64.urlsafe_b64encode(kdf.derive(secret_key.encode("utf-8")))


def legacy_fernet_keys(secret_keys: Sequence[str], salts: Sequence[str]) -> tuple[bytes, ...]:
    """The Fernet keys in the library's order: each secret key with each salt."""
    return tuple(_derive(secret, salt) for secret in secret_keys for salt in salts if secret)


def fernet_decrypt(stored: str, keys: Sequence[bytes]) -> str:
    if not keys:
        raise CipherError("没有可用于旧格式（Fernet）数据的密钥")
    try:
        plain = MultiFernet([Fernet(k) for k in keys]).decrypt(stored.encode("utf-8"))
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise TamperedValue(
            "旧格式（Fernet）加密值无法解密：升级前的 ANJIAN_SECRET_KEY 或 ANJIAN_FIELD_SALT 不对"
        ) from exc
    return plain.decode("utf-8")


def fernet_encrypt(plaintext: str, key: bytes) -> str:
    """A value as the old library stored it (the reverse migration and tests)."""
    return Fernet(key).encrypt(plaintext.encode("utf-8")).decode("utf-8")
