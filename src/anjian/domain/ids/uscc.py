"""统一社会信用代码 (GB 32100-2015).

18 characters: registration authority (1), organisation type (1), administrative division (6),
organisation code (9), check character (1). Characters come from a 31-symbol alphabet that
leaves out I, O, Z, S and V; the check character is computed with the weights 3^i mod 31.
"""

from __future__ import annotations

from anjian.domain.ids.result import Validation, invalid

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: index for index, char in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18


def uscc_check_character(body: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(VALUES[char] * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(raw: str) -> Validation:
    code = raw.strip().upper()
    if len(code) != LENGTH:
        return invalid(code, "LENGTH", f"统一社会信用代码应为18位，实为{len(code)}位")
    bad = [char for char in code if char not in VALUES]
    if bad:
        shown = "、".join(dict.fromkeys(bad))
        return invalid(code, "CHARSET", f"含有不允许的字符：{shown}（不使用I、O、Z、S、V）")
    if not code[2:8].isdigit():
        return invalid(code, "DIVISION", "第3至8位应为6位数字的行政区划码")
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return invalid(code, "CHECK", f"校验码错误：第18位应为{expected}，实为{code[17]}")
    return Validation(code=code, valid=True)
