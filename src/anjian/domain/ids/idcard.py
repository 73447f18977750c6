"""公民身份号码 (GB 11643-1999): 18 characters, the last an ISO 7064 MOD 11-2 check character."""

from __future__ import annotations

from datetime import date

from anjian.domain.ids.result import Validation, invalid

WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
CHECK_CHARACTERS = "10X98765432"


def id_check_character(body: str) -> str:
    """The check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(body, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def _birth_date(code: str) -> date | None:
    try:
        return date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return None


def validate_id_number(raw: str, *, today: date | None = None) -> Validation:
    code = raw.strip().upper()
    if len(code) != 18:
        return invalid(code, "LENGTH", f"身份证号码应为18位，实为{len(code)}位")
    if not code[:17].isdigit() or not (code[17].isdigit() or code[17] == "X"):
        return invalid(code, "CHARSET", "前17位应为数字，第18位应为数字或X")
    if code[0] not in "1234568":
        return invalid(code, "REGION", f"第1位{code[0]}不是有效的省级行政区划码")
    born = _birth_date(code)
    if born is None or born.year < 1800 or (today is not None and born > today):
        return invalid(code, "BIRTH_DATE", f"出生日期{code[6:14]}无效")
    expected = id_check_character(code[:17])
    if code[17] != expected:
        return invalid(code, "CHECK", f"校验码错误：第18位应为{expected}，实为{code[17]}")
    return Validation(code=code, valid=True)


def mask_id_number(raw: str | None) -> str:
    """Shows the first four and last four characters: 1101**********002X."""
    if not raw:
        return ""
    code = raw.strip()
    if len(code) <= 8:
        return "*" * len(code)
    return code[:4] + "*" * (len(code) - 8) + code[-4:]
