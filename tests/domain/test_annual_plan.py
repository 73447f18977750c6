"""The annual supervision plan's rules (hypothesis): caps never exceeded, key enterprises at
least once when their cap allows, the budget respected except for key enterprises, months
distinct and usable, the same seed the same plan."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.domain.planning.annual import AnnualFirm, Budget, annual_plan

firms_strategy = st.lists(
    st.builds(
        AnnualFirm,
        id=st.text("abcdef", min_size=1, max_size=4),
        remaining_cap=st.integers(0, 4),
        key=st.booleans(),
    ),
    max_size=60,
    unique_by=lambda f: f.id,
)
capacity_strategy = st.dictionaries(st.integers(1, 12), st.integers(0, 22), min_size=1)
budget_strategy = st.builds(
    Budget, officers=st.integers(0, 10), working_days=st.integers(0, 250), share=st.floats(0, 1)
)


@settings(max_examples=300, deadline=None)
@given(firms=firms_strategy, capacity=capacity_strategy, budget=budget_strategy, seed=st.integers())
def test_every_plan_keeps_the_rules(firms, capacity, budget, seed) -> None:  # type: ignore[no-untyped-def]
    result = annual_plan(firms, capacity, budget, seed=seed)
    usable = {m for m, days in capacity.items() if days > 0}
    for firm in firms:
        months = result.months[firm.id]
        assert len(months) <= firm.remaining_cap
        assert len(set(months)) == len(months) and set(months) <= usable
        if firm.key and firm.remaining_cap > 0 and usable:
            assert months, firm
    planned_others = sum(len(result.months[f.id]) for f in firms if not f.key)
    keys_first = sum(1 for f in firms if f.key and f.remaining_cap > 0)
    assert planned_others <= max(0, budget.inspections - keys_first)
    assert result.inspections == sum(result.load.values())
    assert annual_plan(firms, capacity, budget, seed=seed).months == result.months


def test_a_small_county_in_numbers() -> None:
    firms = [AnnualFirm(f"K{n}", 3, key=True) for n in range(10)]
    firms += [AnnualFirm(f"O{n}", 1) for n in range(100)]
    capacity = dict.fromkeys(range(1, 13), 10)
    budget = Budget(officers=4, working_days=250, share=0.2)  # 200 officer-days: 100 inspections
    result = annual_plan(firms, capacity, budget, seed=1)
    assert budget.inspections == 100
    assert all(len(result.months[f"K{n}"]) == 1 for n in range(10))  # no room for seconds
    assert len(result.left_out) == 10 and result.inspections == 100
    assert result.utilisation == 1.0
    assert max(result.load.values()) - min(result.load.values()) <= 1


def test_key_enterprises_with_room_get_two_inspections_in_different_halves() -> None:
    firms = [AnnualFirm("K", 2, key=True)]
    result = annual_plan(firms, dict.fromkeys(range(1, 13), 10), Budget(2, 250, 0.5))
    first, second = result.months["K"]
    assert first <= 6 < second


def test_a_key_enterprise_without_cap_left_is_named() -> None:
    result = annual_plan([AnnualFirm("K", 0, key=True)], {1: 5}, Budget(2, 250, 0.5))
    assert result.months["K"] == [] and result.key_without_room == ["K"]
