"""The keys of personal data, read from settings each time (tests override them) and parsed
once per distinct value."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from anjian.domain.ciphers import (
    CipherError,
    Keyring,
    fernet_decrypt,
    is_sm4_value,
    legacy_fernet_keys,
    parse_field_key,
    sm4_decrypt,
    sm4_encrypt,
)


@lru_cache(maxsize=8)
def _keyring(current: str, fallbacks: tuple[str, ...]) -> Keyring:
    return Keyring.of(parse_field_key(current), [parse_field_key(k) for k in fallbacks])


def field_keyring() -> Keyring:
    return _keyring(
        str(settings.FIELD_ENCRYPTION_KEY), tuple(settings.FIELD_ENCRYPTION_KEY_FALLBACKS)
    )


def legacy_keys() -> tuple[bytes, ...]:
    """The Fernet keys earlier versions derived from the secret key(s) and ANJIAN_FIELD_SALT."""
    salts = settings.SALT_KEY if isinstance(settings.SALT_KEY, list) else [settings.SALT_KEY]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return legacy_fernet_keys(tuple(secrets), tuple(salts))


def encrypt_value(plaintext: str) -> str:
    return sm4_encrypt(field_keyring().current, plaintext)


def decrypt_value(stored: str) -> str:
    """A stored value in either format: SM4 (today) or Fernet (before the migration)."""
    if is_sm4_value(stored):
        return sm4_decrypt(field_keyring(), stored)
    return fernet_decrypt(stored, legacy_keys())


def needs_rekey(stored: str) -> bool:
    """True for a value not (yet) under the current field key."""
    current = field_keyring().current.key_id
    return not stored.startswith(f"sm4gcm:v1:{current}:")


__all__ = ["CipherError", "decrypt_value", "encrypt_value", "field_keyring", "needs_rekey"]
