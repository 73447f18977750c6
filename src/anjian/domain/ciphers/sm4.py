"""SM4-GCM for personal data. A stored value describes itself:

    sm4gcm:v1:<key id>:<base64 of nonce (12 bytes) + ciphertext + tag (16 bytes)>

The key id (8 hex characters of HMAC-SM3(key, "anjian field key id")) names the key a value was
written under, so a keyring holding the current key and the keys being rotated out can read
every value and `anjian rekey` knows which values still need the new key. The header is the
authenticated associated data: a value cannot be moved under another key id or format without
the tag failing."""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PREFIX = "sm4gcm:v1:"
KEY_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
_HEX_KEY = re.compile(r"[0-9a-fA-F]{32}")


class CipherError(ValueError):
    """A stored value that cannot be read."""


class MalformedValue(CipherError):
    pass


class UnknownKey(CipherError):
    """The value was written under a key the keyring does not hold."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f"没有密钥标识为 {key_id} 的个人信息加密密钥")
        self.key_id = key_id


class TamperedValue(CipherError):
    """The authentication tag does not match: the value was altered, or the key is wrong."""


@dataclass(frozen=True)
class FieldKey:
    secret: bytes = field(repr=False)
    key_id: str

    @classmethod
    def from_bytes(cls, secret: bytes) -> FieldKey:
        if len(secret) != KEY_BYTES:
            raise ValueError(f"SM4 密钥必须是 {KEY_BYTES} 字节（128 位），不是 {len(secret)} 字节")
        # HMAC-SM3 from cryptography's own OpenSSL: it has SM3 whatever hashlib was built with
        mac = hmac.HMAC(secret, hashes.SM3())
        mac.update(b"anjian field key id")
        return cls(secret, mac.finalize().hex()[:8])


def parse_field_key(text: str) -> FieldKey:
    """A 128-bit key given as 32 hexadecimal characters or as base64 of 16 bytes."""
    raw = text.strip()
    if _HEX_KEY.fullmatch(raw):
        return FieldKey.from_bytes(bytes.fromhex(raw))
    try:
        secret = base64.b64decode(raw.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        secret = b""
    if len(secret) != KEY_BYTES:
        raise ValueError("SM4 密钥须为 32 个十六进制字符，或 16 字节的 base64 编码")
    return FieldKey.from_bytes(secret)


@dataclass(frozen=True)
class Keyring:
    """The current key (every new value) and the keys still read (rotation)."""

    current: FieldKey
    fallbacks: tuple[FieldKey, ...] = ()

    @classmethod
    def of(cls, current: FieldKey, fallbacks: Iterable[FieldKey] = ()) -> Keyring:
        return cls(current, tuple(k for k in fallbacks if k.key_id != current.key_id))

    def find(self, key_id: str) -> FieldKey:
        for key in (self.current, *self.fallbacks):
            if key.key_id == key_id:
                return key
        raise UnknownKey(key_id)


def is_sm4_value(stored: str) -> bool:
    return stored.startswith(PREFIX)


def value_key_id(stored: str) -> str:
    """The key id a stored SM4 value names."""
    if not is_sm4_value(stored):
        raise MalformedValue("不是 SM4 加密值")
    key_id, sep, _ = stored[len(PREFIX) :].partition(":")
    if not sep or not key_id:
        raise MalformedValue("SM4 加密值缺少密钥标识")
    return key_id


def _header(key: FieldKey) -> str:
    return f"{PREFIX}{key.key_id}"


def sm4_encrypt(key: FieldKey, plaintext: str, *, nonce: bytes | None = None) -> str:
    """Encrypts under `key` with a fresh random nonce (a fixed one only for test vectors)."""
    nonce = os.urandom(NONCE_BYTES) if nonce is None else nonce
    if len(nonce) != NONCE_BYTES:
        raise ValueError(f"nonce must be {NONCE_BYTES} bytes")
    header = _header(key)
    encryptor = Cipher(algorithms.SM4(key.secret), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(header.encode("ascii"))
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    payload = base64.b64encode(nonce + body + encryptor.tag).decode("ascii")
    return f"{header}:{payload}"


def sm4_decrypt(keyring: Keyring, stored: str) -> str:
    key = keyring.find(value_key_id(stored))
    header = _header(key)
    try:
        blob = base64.b64decode(stored[len(header) + 1 :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MalformedValue("SM4 加密值不是有效的 base64") from exc
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise MalformedValue("SM4 加密值太短")
    nonce, body, tag = blob[:NONCE_BYTES], blob[NONCE_BYTES:-TAG_BYTES], blob[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key.secret), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(header.encode("ascii"))
    try:
        plain = decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        raise TamperedValue("SM4 加密值校验失败：数据被改动，或密钥不对") from exc
    return plain.decode("utf-8")
