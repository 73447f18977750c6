"""Invented people and codes for the demo: names, phone numbers, USCCs and ID numbers.

Pure functions over a seeded `random.Random`; no Django.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from anjian.demo import names
from anjian.domain.ids.idcard import id_check_character
from anjian.domain.ids.uscc import ALPHABET, uscc_check_character

# GB 11714-1997 organisation code: 8 characters and a check character.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# The USCC alphabet leaves out I, O, Z, S and V; organisation codes here keep to it.
ORG_CODE_CHARACTERS = ALPHABET


@dataclass(frozen=True)
class Person:
    name: str
    male: bool


def person(rng: random.Random) -> Person:
    surname = rng.choices(names.SURNAMES, weights=names.SURNAME_WEIGHTS)[0]
    male = rng.random() < 0.7
    given = rng.choice(names.MALE_GIVEN if male else names.FEMALE_GIVEN)
    return Person(surname + given, male)


def unique_person(rng: random.Random, taken: set[str]) -> Person:
    """A person whose name is not in `taken` (and is added to it)."""
    while True:
        candidate = person(rng)
        if candidate.name not in taken:
            taken.add(candidate.name)
            return candidate


def mobile_phone(rng: random.Random) -> str:
    return rng.choice(names.MOBILE_PREFIXES) + "".join(rng.choices("0123456789", k=8))


def landline_phone(rng: random.Random) -> str:
    """A 吕梁 (0358) number; 文水 numbers start with 3."""
    return f"{names.LANDLINE_AREA}-3{rng.randrange(10**6):06d}"


def org_code_check_character(code: str) -> str:
    """GB 11714 check character of an 8-character organisation code."""
    total = sum(int(char, 36) * weight for char, weight in zip(code, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _org_code(rng: random.Random) -> str:
    if rng.random() < 0.6:  # registered after 2015: MA + 6 characters
        body = "MA" + "".join(rng.choices(ORG_CODE_CHARACTERS, k=6))
    else:  # an older organisation code, digits only
        body = str(rng.choice((5, 6, 7))) + "".join(rng.choices("0123456789", k=7))
    return body + org_code_check_character(body)


def uscc(rng: random.Random, division: str, taken: set[str]) -> str:
    """A valid 统一社会信用代码 of an enterprise (registration 9, type 1) in `division`."""
    while True:
        body = f"91{division}{_org_code(rng)}"
        code = body + uscc_check_character(body)
        if code not in taken:
            taken.add(code)
            return code


def id_number(rng: random.Random, region: str, male: bool, born: date) -> str:
    """A valid 18-character resident ID number; the sequence is odd for men, even for women."""
    sequence = rng.randrange(100) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    return body + id_check_character(body)


def birth_date(rng: random.Random, first_year: int = 1970, last_year: int = 1995) -> date:
    start = date(first_year, 1, 1)
    span = (date(last_year, 12, 31) - start).days
    return start + timedelta(days=rng.randrange(span + 1))
