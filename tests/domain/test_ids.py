from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.ids import mask_id_number, validate_id_number, validate_uscc
from anjian.domain.ids.idcard import id_check_character
from anjian.domain.ids.uscc import ALPHABET, uscc_check_character

USCC_BODY = st.tuples(
    st.text(alphabet=ALPHABET, min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
).map("".join)


@pytest.mark.parametrize("code", ["91110000600037341L", "91350100M000100Y43", "91440300708461136T"])
def test_real_usccs_are_valid(code: str) -> None:
    assert validate_uscc(code).valid


@pytest.mark.parametrize(
    ("code", "reason_code"),
    [
        ("91110000600037341", "LENGTH"),
        ("91110000600037341M", "CHECK"),
        ("9111000060003734IL", "CHARSET"),
        ("91A10000600037341L", "DIVISION"),
    ],
)
def test_bad_usccs_name_the_reason(code: str, reason_code: str) -> None:
    result = validate_uscc(code)
    assert not result.valid
    assert result.reason_code == reason_code
    assert result.reason


def test_uscc_lowercase_and_spaces_are_normalised() -> None:
    assert validate_uscc("  91350100m000100y43 ").valid


@given(USCC_BODY)
def test_computed_check_character_always_validates(body: str) -> None:
    assert validate_uscc(body + uscc_check_character(body)).valid


@given(USCC_BODY, st.integers(min_value=0, max_value=16), st.sampled_from(ALPHABET))
def test_any_single_substitution_is_caught(body: str, position: int, replacement: str) -> None:
    code = body + uscc_check_character(body)
    if code[position] == replacement or (2 <= position < 8 and not replacement.isdigit()):
        return
    tampered = code[:position] + replacement + code[position + 1 :]
    assert not validate_uscc(tampered).valid


@pytest.mark.parametrize("code", ["11010519491231002X", "440524188001010014", "11010119900307803X"])
def test_real_id_numbers_are_valid(code: str) -> None:
    assert validate_id_number(code).valid


@pytest.mark.parametrize(
    ("code", "reason_code"),
    [
        ("110105194912310021", "CHECK"),
        ("11010519491231002", "LENGTH"),
        ("1101051949123100XX", "CHARSET"),
        ("910105194912310025", "REGION"),
        ("110105194913310020", "BIRTH_DATE"),
    ],
)
def test_bad_id_numbers_name_the_reason(code: str, reason_code: str) -> None:
    result = validate_id_number(code)
    assert not result.valid
    assert result.reason_code == reason_code


def test_future_birth_date_is_refused_when_today_is_given() -> None:
    body = "11010520300101002"
    code = body + id_check_character(body)
    assert validate_id_number(code).valid
    assert validate_id_number(code, today=date(2026, 11, 28)).reason_code == "BIRTH_DATE"


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    st.integers(min_value=0, max_value=999),
    st.integers(min_value=0, max_value=16),
    st.integers(min_value=1, max_value=9),
)
def test_id_single_digit_errors_are_caught(
    born: date, serial: int, position: int, shift: int
) -> None:
    body = f"141121{born:%Y%m%d}{serial:03d}"
    code = body + id_check_character(body)
    assert validate_id_number(code).valid
    digit = (int(code[position]) + shift) % 10
    tampered = code[:position] + str(digit) + code[position + 1 :]
    assert not validate_id_number(tampered).valid


def test_masking_keeps_four_at_each_end() -> None:
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_id_number("") == ""
    assert mask_id_number("1234") == "****"
