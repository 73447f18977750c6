from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.registry import (
    COAL_MINE_CLASSES,
    NON_COAL_RISK_CLASSES,
    SECTORS,
    EnterpriseProfile,
    classification_label,
    validate_profile,
)


def codes(profile: EnterpriseProfile) -> list[tuple[str, str]]:
    return [(e.field, e.code) for e in validate_profile(profile)]


def test_unknown_sector() -> None:
    assert codes(EnterpriseProfile("fishing", None, None, None)) == [("sector", "UNKNOWN_SECTOR")]


def test_coal_mine_needs_a_class_and_only_coal_mines_have_one() -> None:
    assert codes(EnterpriseProfile("coal_mine", None, None, None)) == [
        ("coal_mine_class", "MISSING_FIELD")
    ]
    assert codes(EnterpriseProfile("coal_mine", None, "B", None)) == []
    assert codes(EnterpriseProfile("other", None, "B", None)) == [
        ("coal_mine_class", "CONTRADICTION")
    ]


def test_non_coal_mine_needs_a_risk_class() -> None:
    assert codes(EnterpriseProfile("non_coal_mine", None, None, None)) == [
        ("non_coal_risk_class", "MISSING_FIELD")
    ]
    assert codes(EnterpriseProfile("hazardous_chemicals", 1, None, "A")) == [
        ("non_coal_risk_class", "CONTRADICTION")
    ]


def test_unknown_grade_and_negative_employees() -> None:
    assert codes(EnterpriseProfile("metallurgy", 4, None, None)) == [
        ("standardization_grade", "UNKNOWN_GRADE")
    ]
    assert codes(EnterpriseProfile("metallurgy", 1, None, None, employees=-1)) == [
        ("employees", "NEGATIVE")
    ]


@pytest.mark.parametrize(
    ("profile", "label"),
    [
        (EnterpriseProfile("coal_mine", None, "D", None), "D类（长期停产）"),
        (EnterpriseProfile("non_coal_mine", None, None, "C"), "C级（较大风险）"),
        (EnterpriseProfile("hazardous_chemicals", 2, None, None), "标准化二级"),
        (EnterpriseProfile("other", None, None, None), "未定级"),
    ],
)
def test_classification_label(profile: EnterpriseProfile, label: str) -> None:
    assert classification_label(profile) == label


@given(
    st.sampled_from(sorted(SECTORS)),
    st.sampled_from([None, 1, 2, 3]),
    st.sampled_from([None, *COAL_MINE_CLASSES]),
    st.sampled_from([None, *NON_COAL_RISK_CLASSES]),
)
def test_a_profile_is_valid_exactly_when_its_class_matches_its_sector(
    sector: str, grade: int | None, coal: str | None, noncoal: str | None
) -> None:
    valid = not validate_profile(EnterpriseProfile(sector, grade, coal, noncoal))
    expected = (coal is not None) == (sector == "coal_mine") and (noncoal is not None) == (
        sector == "non_coal_mine"
    )
    assert valid == expected
