"""What a new case takes from the records, in the pure core: the penalty provision a finding's
breached duty points to, the first-offence period of the no-penalty list, corrected in time,
and the gates of a proposal (hypothesis: review whenever a fine leaves the tier, and never
fewer gates than `decision_gates`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.discretion.lists import ListInvalid, list_from_dict
from anjian.domain.discretion.prefill import (
    cites_provision,
    corrected_in_time,
    first_offense_period,
    proposal_gates,
    provisions_for_basis,
)
from anjian.domain.discretion.procedure import Thresholds, decision_gates
from anjian.policy_data.discretion import shipped_list_dicts, shipped_statute

STATUTE = shipped_statute()
PROVISIONS = list(STATUTE.provisions.values())


def _labels(basis: str) -> list[str]:
    return [p.label for p in provisions_for_basis(basis, PROVISIONS)]


@pytest.mark.parametrize(
    ("basis", "first"),
    [
        ("《中华人民共和国安全生产法》第三十五条", "安全生产法第99条第1项"),
        ("《中华人民共和国安全生产法》第二十八条第二款", "安全生产法第97条第3项"),
        ("《安全生产法》第二十八条第四款", "安全生产法第97条第4项"),
        ("《中华人民共和国安全生产法》第八十一条", "安全生产法第97条第6项"),
        ("《中华人民共和国安全生产法》第二十一条", "安全生产法第94条"),
    ],
)
def test_a_breached_duty_points_to_its_penalty(basis: str, first: str) -> None:
    assert _labels(basis)[0] == first


def test_a_basis_citing_no_known_duty_points_nowhere() -> None:
    assert _labels("GB 30871-2022 第5.1条") == []
    assert _labels("《中华人民共和国消防法》第三十五条") == []  # another law
    assert _labels("") == []


def test_the_same_article_in_another_paragraph_is_a_weaker_match() -> None:
    p97_3 = STATUTE.find("安全生产法", "97", "3")
    p97_4 = STATUTE.find("安全生产法", "97", "4")
    assert p97_3 is not None and p97_4 is not None
    basis = "《中华人民共和国安全生产法》第二十八条第二款"
    assert cites_provision(basis, p97_3) and not cites_provision(basis, p97_4)
    assert _labels(basis)[:2] == [p97_3.label, p97_4.label]


def _no_penalty(**conditions: object) -> dict[str, object]:
    data = next(d for d in shipped_list_dicts() if d["kind"] == "no_penalty")
    return {**data, "conditions": {**data.get("conditions", {}), **conditions}}


def test_first_offence_counts_from_the_list_in_force() -> None:
    lst = list_from_dict(_no_penalty())
    period = first_offense_period([lst], date(2025, 6, 1))
    assert period.since == lst.effective_from and "自清单施行起" in period.basis
    shorter = list_from_dict(_no_penalty(first_offense_years=1))
    period = first_offense_period([shorter], date(2025, 6, 1))
    assert period.since == date(2024, 6, 1) and "1 年内" in period.basis
    assert first_offense_period([lst], date(2024, 6, 1)).since is None  # not yet in force
    leap = first_offense_period(
        [list_from_dict(_no_penalty(first_offense_years=1))], date(2028, 2, 29)
    )
    assert leap.since == date(2027, 2, 28)


def test_a_list_with_a_bad_first_offence_period_is_refused() -> None:
    with pytest.raises(ListInvalid):
        list_from_dict(_no_penalty(first_offense_years="两年"))


def test_corrected_in_time() -> None:
    deadline = date(2025, 3, 10)
    assert corrected_in_time(deadline, date(2025, 3, 10), date(2025, 4, 1)) is True
    assert corrected_in_time(deadline, date(2025, 3, 11), date(2025, 4, 1)) is False
    assert corrected_in_time(deadline, None, date(2025, 3, 9)) is None
    assert corrected_in_time(deadline, None, date(2025, 3, 11)) is False


MEASURES = st.lists(
    st.sampled_from(["责令限期改正", "责令停产停业整顿", "没收违法所得"]), max_size=2
)


@given(
    unit=st.none() | st.integers(min_value=0, max_value=2_000_000),
    person=st.none() | st.integers(min_value=0, max_value=200_000),
    measures=MEASURES,
    outside=st.booleans(),
    after_hearing=st.booleans(),
    complex_case=st.booleans(),
)
def test_the_gates_of_a_proposal(
    unit: int | None,
    person: int | None,
    measures: list[str],
    outside: bool,
    after_hearing: bool,
    complex_case: bool,
) -> None:
    args = {
        "unit_fine": unit,
        "person_fine": person,
        "measures": measures,
        "after_hearing": after_hearing,
        "complex_case": complex_case,
        "thresholds": Thresholds(),
    }
    gates = proposal_gates(outside_tier=outside, **args)  # type: ignore[arg-type]
    plain = decision_gates(**args)  # type: ignore[arg-type]
    assert gates.legal_review == (plain.legal_review or outside)
    assert (gates.hearing_right, gates.collective_decision) == (
        plain.hearing_right,
        plain.collective_decision,
    )
    assert replace(gates, legal_review=plain.legal_review, reasons=plain.reasons) == plain
    assert ("OUTSIDE_TIER" in {r.code for r in gates.reasons}) == outside
