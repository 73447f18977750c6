"""Personal data removed from a published penalty decision (行政执法公示). Pure.

What is published of a decision is the unit's name (a legal person is published), the
violation, the basis and the penalty. Personal data is removed:

- resident ID numbers (居民身份证号码: 18 characters, the last a digit or X; the old 15-digit
  form; the partly starred forms stored as "脱敏" numbers; any run of 15 or more digits, so an
  ID inside a longer number goes too) are replaced by ``[身份证号码已隐去]``;
- telephone numbers (mobile 1xxxxxxxxxx, landline 0xxx-xxxxxxx) by ``[电话号码已隐去]``;
- the names of the natural persons involved (the caller names them: the fined persons, the
  directly responsible persons proposed) keep their surname, the rest is starred:
  张三 → 张*, 王小明 → 王**, and a compound surname (复姓) is kept whole: 欧阳明明 → 欧阳**.
  A name that would still be readable after that (another name given is a prefix of it, e.g.
  张 and 张三) is starred whole at that place, so no given name is left in the text.

A name is matched as written; a name containing "*" (already starred) is not searched for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "*"
ID_REMOVED = "[身份证号码已隐去]"
PHONE_REMOVED = "[电话号码已隐去]"

_COMPOUND = (
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 "
    "司空 夏侯 令狐 轩辕 端木 独孤 南宫 西门 百里 呼延 申屠 澹台 "
    "太史 闻人 万俟 钟离 赫连 第五 拓跋 公羊 东郭 濮阳 淳于 单于 "
    "仲孙 乐正 宗政 微生 羊舌 梁丘 左丘 谷梁 段干 巫马 漆雕 壤驷 "
    "公西"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND.split())
"""Common two-character surnames: kept whole when a name is masked."""

_ID = re.compile(r"[0-9][0-9*]{13,}[0-9Xx*]")
"""Any run of 15 or more digits (or stars, after a first digit), the last possibly X: an 18- or
15-digit ID number, its starred form (110105********002X), or one inside a longer number."""
_PHONE = re.compile(
    r"(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}"  # mobile, maybe +86 and grouped
    r"|0[0-9]{2,3}[- ]?[0-9]{7,8}"  # landline with its area code
)
"""Telephone numbers, also inside a longer run of digits (no amount of money or date in a
decision has eleven digits)."""


def surname_length(name: str) -> int:
    """1, or 2 for a compound surname (欧阳明明); never the whole name unless it is one char."""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return 2
    return 1 if len(name) >= 2 else 0


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳明明 → 欧阳**, a one-character name → *."""
    name = name.strip()
    keep = surname_length(name)
    return name[:keep] + MASK * (len(name) - keep)


def remove_numbers(text: str) -> str:
    """ID numbers and telephone numbers replaced by a note that they were removed."""
    return _PHONE.sub(PHONE_REMOVED, _ID.sub(ID_REMOVED, text))


def _names(names: Iterable[str]) -> list[str]:
    found = {n.strip() for n in names if n and n.strip() and MASK not in n}
    return sorted(found, key=lambda n: (-len(n), n))


def _spans(text: str, name: str) -> list[int]:
    starts, at = [], text.find(name)
    while at >= 0:
        starts.append(at)
        at = text.find(name, at + 1)
    return starts


def mask_names(text: str, names: Iterable[str]) -> str:
    """Each given name starred after its surname wherever it appears; where a given name can
    still be read after that, it is starred whole. Characters only ever become stars, so a
    name without a star that is found in the result was found in the text: the loop ends."""
    wanted = _names(names)
    chars = list(text)
    for name in wanted:
        keep = surname_length(name)
        for start in _spans(text, name):
            for i in range(start + keep, start + len(name)):
                chars[i] = MASK
    while True:
        current = "".join(chars)
        left = [(start, name) for name in wanted for start in _spans(current, name)]
        if not left:
            return current
        for start, name in left:
            for i in range(start, start + len(name)):
                chars[i] = MASK


def redact(text: str, names: Iterable[str]) -> str:
    """The text as it may be published: numbers removed, then the persons' names masked."""
    return mask_names(remove_numbers(text), names)


def remaining_names(text: str, names: Iterable[str]) -> list[str]:
    """The given names still readable in `text` (empty for a text `redact` returned)."""
    return [name for name in _names(names) if name in text]
