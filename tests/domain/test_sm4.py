"""SM4-GCM for personal data (domain/ciphers): the cipher is GB/T 32907's SM4, values round-trip,
every altered bit is refused, a value names its key, and the old Fernet values still read."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.ciphers import (
    Keyring,
    MalformedValue,
    TamperedValue,
    UnknownKey,
    fernet_decrypt,
    fernet_encrypt,
    legacy_fernet_keys,
    parse_field_key,
    sm4_decrypt,
    sm4_encrypt,
    value_key_id,
)

KEY = parse_field_key("0123456789abcdeffedcba9876543210")
OTHER = parse_field_key("00112233445566778899aabbccddeeff")
ID_NUMBER = "11010519491231002X"


def test_the_block_cipher_is_sm4_of_gb_t_32907() -> None:
    """The standard's example 1: key = plaintext = 0123456789abcdeffedcba9876543210."""
    encryptor = Cipher(algorithms.SM4(KEY.secret), modes.ECB()).encryptor()
    block = encryptor.update(KEY.secret) + encryptor.finalize()
    assert block.hex() == "681edf34d206965e86b3e94f536e4246"


def test_a_value_round_trips_and_describes_itself() -> None:
    stored = sm4_encrypt(KEY, ID_NUMBER)
    assert stored.startswith(f"sm4gcm:v1:{KEY.key_id}:")
    assert ID_NUMBER not in stored
    assert value_key_id(stored) == KEY.key_id
    assert sm4_decrypt(Keyring.of(KEY), stored) == ID_NUMBER
    # a fresh nonce each time: equal numbers do not give equal values
    assert sm4_encrypt(KEY, ID_NUMBER) != stored


@given(st.text(max_size=200))
def test_any_text_round_trips(text: str) -> None:
    assert sm4_decrypt(Keyring.of(KEY), sm4_encrypt(KEY, text)) == text


def _flip(stored: str, byte: int) -> str:
    header, _, payload = stored.rpartition(":")
    blob = bytearray(base64.b64decode(payload))
    blob[byte] ^= 0x01
    return f"{header}:{base64.b64encode(bytes(blob)).decode()}"


@pytest.mark.parametrize("byte", [0, 11, 12, 20, 29, -16, -1])  # nonce, ciphertext, tag
def test_a_flipped_bit_anywhere_is_refused(byte: int) -> None:
    stored = sm4_encrypt(KEY, ID_NUMBER)
    with pytest.raises(TamperedValue):
        sm4_decrypt(Keyring.of(KEY), _flip(stored, byte))


def test_the_header_is_authenticated_too() -> None:
    """Relabelling a value with another known key id fails the tag (the header is the AAD)."""
    stored = sm4_encrypt(KEY, ID_NUMBER)
    relabelled = stored.replace(KEY.key_id, OTHER.key_id)
    with pytest.raises(TamperedValue):
        sm4_decrypt(Keyring.of(KEY, [OTHER]), relabelled)


def test_rotation_reads_old_values_through_the_fallbacks() -> None:
    old_value = sm4_encrypt(OTHER, ID_NUMBER)
    with pytest.raises(UnknownKey) as missing:
        sm4_decrypt(Keyring.of(KEY), old_value)
    assert missing.value.key_id == OTHER.key_id
    assert sm4_decrypt(Keyring.of(KEY, [OTHER]), old_value) == ID_NUMBER


@pytest.mark.parametrize("bad", ["sm4gcm:v1:", "sm4gcm:v1:abcd", "gAAAAAB", "plain"])
def test_malformed_values_are_refused(bad: str) -> None:
    with pytest.raises((MalformedValue, UnknownKey)):
        sm4_decrypt(Keyring.of(KEY), bad)


def test_a_key_is_32_hex_characters_or_base64_of_16_bytes() -> None:
    as_base64 = base64.b64encode(KEY.secret).decode()
    assert parse_field_key(as_base64) == KEY
    assert parse_field_key(base64.urlsafe_b64encode(KEY.secret).decode()) == KEY
    assert parse_field_key(" 0123456789ABCDEFFEDCBA9876543210\n") == KEY
    assert len(KEY.key_id) == 8 and KEY.key_id != OTHER.key_id
    for bad in ["", "0123", "0123456789abcdeffedcba98765432", base64.b64encode(b"x" * 32).decode()]:
        with pytest.raises(ValueError, match="SM4"):
            parse_field_key(bad)


def test_the_old_fernet_values_read_with_the_key_derived_from_the_secret_key() -> None:
    keys = legacy_fernet_keys(["old secret", "older secret"], ["anjian-id-numbers"])
    stored = fernet_encrypt(ID_NUMBER, keys[1])
    assert fernet_decrypt(stored, keys) == ID_NUMBER
    wrong = legacy_fernet_keys(["another secret"], ["anjian-id-numbers"])
    with pytest.raises(TamperedValue, match="ANJIAN_SECRET_KEY"):
        fernet_decrypt(stored, wrong)
