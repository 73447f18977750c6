"""`summary_facts` (the 培训学时 page's database sums standing for a person's records) gives the
same `year_hours` as the real records, for any records, role, sector and hiring date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.domain.training.hours import (
    INDUCTION_KINDS,
    TRAINING_KINDS,
    PersonFact,
    RecordFact,
    summary_facts,
    year_hours,
)
from anjian.policy_data.training import shipped_requirements

RULES = shipped_requirements()
YEAR = 2026

records = st.builds(
    lambda kind, delivery, hours, ended: RecordFact(kind, delivery, Decimal(hours), ended, ended),
    st.sampled_from(sorted(TRAINING_KINDS)),
    st.sampled_from(["online", "offline"]),
    st.integers(1, 80),
    st.dates(date(YEAR - 3, 1, 1), date(YEAR + 1, 12, 31)),
)
persons = st.builds(
    PersonFact,
    st.sampled_from(["principal", "safety_manager", "special_operator", "worker"]),
    st.sampled_from(["hazardous_chemicals", "coal", "industry_trade", "fireworks"]),
    st.one_of(st.none(), st.dates(date(YEAR - 5, 1, 1), date(YEAR, 12, 31))),
    st.one_of(st.none(), st.dates(date(YEAR, 1, 1), date(YEAR + 1, 12, 31))),
)


@settings(max_examples=300, deadline=None)
@given(person=persons, history=st.lists(records, max_size=8))
def test_summary_facts_give_the_same_year_as_the_records(
    person: PersonFact, history: list[RecordFact]
) -> None:
    in_year = [r for r in history if r.ended_on.year == YEAR]
    facts = summary_facts(
        YEAR,
        online=sum((r.hours for r in in_year if r.delivery == "online"), Decimal(0)),
        offline=sum((r.hours for r in in_year if r.delivery != "online"), Decimal(0)),
        initial_before=any(r.kind == "initial" and r.ended_on < date(YEAR, 1, 1) for r in history),
        induction_done=[
            k
            for k in INDUCTION_KINDS
            if any(r.kind == k and r.ended_on.year <= YEAR for r in history)
        ],
    )
    assert year_hours(person, facts, YEAR, RULES) == year_hours(person, history, YEAR, RULES)
