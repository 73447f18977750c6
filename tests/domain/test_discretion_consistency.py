"""Consistency statistics over like cases: exact values, the outlier, jump and cluster rules, and
properties (order does not matter, equal fines are never outliers, scaling scales)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.discretion.consistency import (
    FAR_FROM_MEDIAN,
    OUTSIDE_TIER,
    CaseFine,
    ClusterRule,
    JumpRule,
    MonthTotal,
    OutlierRule,
    breakdown,
    deviation,
    jumps,
    median,
    month_end_clusters,
    month_keys,
    outliers,
    quantile,
    spread,
)

GROUP = ("mem-2024-90@1", "26", "A", "timely")


def _cases(amounts: list[int], group: tuple[str, ...] = GROUP) -> list[CaseFine]:
    return [CaseFine(case=f"c{i}", group=group, amount=a) for i, a in enumerate(amounts)]


def test_spread_exact_values() -> None:
    s = spread([10000, 15000, 15000, 20000, 40000])
    assert (s.count, s.median, s.low, s.high) == (5, 15000, 10000, 40000)
    assert (s.q1, s.q3, s.iqr) == (15000, 20000, 5000)
    assert s.mad == 5000 and s.mean == 20000
    assert s.cv == pytest.approx(10488.088 / 20000, rel=1e-6)
    assert median([1, 2, 3, 4]) == 2.5 and quantile([1, 2, 3, 4], 0.5) == 2.5
    with pytest.raises(ValueError):
        spread([])


def test_a_fine_far_from_the_median_is_flagged_with_its_distance() -> None:
    found = outliers(_cases([15000, 15000, 14000, 16000, 15000, 60000]))
    assert [(o.case, o.reasons) for o in found] == [("c5", (FAR_FROM_MEDIAN,))]
    # median 15000; |x - m| = 0,0,1000,1000,0,45000 → MAD 500, floored to 10% of 15000 = 1500
    assert found[0].median == 15000 and found[0].distance == pytest.approx(30.0)


def test_small_groups_are_not_judged_but_the_tier_range_always_is() -> None:
    assert outliers(_cases([15000, 15000, 90000])) == []
    cases = [
        CaseFine("a", GROUP, 15000, tier_range=(0, 30000)),
        CaseFine("b", GROUP, 35000, tier_range=(0, 30000)),
    ]
    assert [(o.case, o.reasons) for o in outliers(cases)] == [("b", (OUTSIDE_TIER,))]


def test_the_rule_is_configurable() -> None:
    amounts = [10000, 12000, 15000, 18000, 20000, 30000]
    # median 16500, MAD 4000: 30000 is 3.375 MADs away, under the default k = 3.5
    assert outliers(_cases(amounts)) == []
    loose = OutlierRule(k=2, min_group=3)
    assert [o.case for o in outliers(_cases(amounts), loose)] == ["c5"]
    with pytest.raises(ValueError):
        OutlierRule(k=0)


def test_deviation_of_a_proposal_against_decided_peers() -> None:
    judged = deviation(30000, [15000] * 6, (0, 30000), OutlierRule())
    assert judged.peers == 6 and judged.median == 15000
    assert judged.distance == pytest.approx(10.0) and judged.reasons == (FAR_FROM_MEDIAN,)
    assert deviation(30000, [], None, OutlierRule()).reasons == ()
    assert deviation(0, [0, 0, 0, 0, 0], None, OutlierRule()).distance is None


def test_breakdown_by_officer() -> None:
    cases = [
        CaseFine("a", GROUP, 10000, officer="王明"),
        CaseFine("b", GROUP, 20000, officer="王明"),
        CaseFine("c", GROUP, 30000, officer="李强"),
    ]
    parts = breakdown(cases, "officer")
    assert list(parts) == ["李强", "王明"] and parts["王明"].median == 15000
    with pytest.raises(ValueError):
        breakdown(cases, "enterprise")


def test_month_keys() -> None:
    assert month_keys(date(2025, 2, 10), 3) == ["2024-12", "2025-01", "2025-02"]


def _series(counts: list[int], fine: int = 10000) -> list[MonthTotal]:
    keys = month_keys(date(2025, 12, 1), len(counts))
    return [MonthTotal(k, c, c * fine) for k, c in zip(keys, counts, strict=True)]


def test_a_quota_like_jump_is_found_and_an_ordinary_month_is_not() -> None:
    found = jumps({"危化股": _series([2, 1, 2, 2, 3, 2, 8])})
    assert [(j.month, j.measure, j.value, j.baseline) for j in found] == [
        ("2025-12", "cases", 8, 2.0),
        ("2025-12", "fines", 80000, 20000.0),
    ]
    assert jumps({"危化股": _series([2, 1, 2, 2, 3, 2, 4])}) == []
    # the first months have too little history to judge
    assert jumps({"x": _series([0, 9])}) == []
    assert jumps({"x": _series([5, 5, 5, 20])}, JumpRule(ratio=5)) == []


def test_one_large_decision_is_not_a_fine_campaign() -> None:
    """A section that decides one major case of 14万 after months without fines is not flagged;
    three decisions adding up the same are."""
    quiet = [MonthTotal(f"2026-0{m}", 0, 0) for m in range(1, 7)]
    one = jumps({"冶金工贸股": [*quiet, MonthTotal("2026-07", 1, 140000)]})
    assert one == []
    three = jumps({"冶金工贸股": [*quiet, MonthTotal("2026-07", 3, 140000)]})
    assert [(j.measure, j.value) for j in three] == [("cases", 3), ("fines", 140000)]


def test_month_end_clusters() -> None:
    days = [date(2025, 3, 28), date(2025, 3, 29), date(2025, 3, 31), date(2025, 3, 5)]
    found = month_end_clusters({"王明": days})
    assert [(c.month, c.cases, c.late, c.quarter_end) for c in found] == [("2025-03", 4, 3, True)]
    spread_out = [date(2025, 4, d) for d in (2, 9, 16, 28, 29, 30, 12)]
    assert month_end_clusters({"王明": spread_out}) == []
    assert month_end_clusters({"王明": days}, ClusterRule(min_cases=4)) == []


fines = st.lists(st.integers(min_value=0, max_value=2_000_000), min_size=1, max_size=30)


@given(fines, st.randoms(use_true_random=False))
def test_outliers_do_not_depend_on_order(amounts: list[int], random) -> None:  # type: ignore[no-untyped-def]
    cases = _cases(amounts)
    shuffled = list(cases)
    random.shuffle(shuffled)
    assert outliers(cases) == outliers(shuffled)


@given(st.integers(min_value=0, max_value=2_000_000), st.integers(min_value=1, max_value=40))
def test_equal_fines_have_no_outliers(amount: int, count: int) -> None:
    cases = [CaseFine(f"c{i}", GROUP, amount, tier_range=(0, max(amount, 1))) for i in range(count)]
    assert outliers(cases, OutlierRule(k=0.01, min_group=2)) == []


@given(fines, st.integers(min_value=1, max_value=50))
def test_scaling_every_fine_scales_the_median_and_keeps_the_outliers(
    amounts: list[int], factor: int
) -> None:
    scaled = [a * factor for a in amounts]
    assert spread(scaled).median == pytest.approx(spread(amounts).median * factor)
    assert spread(scaled).iqr == pytest.approx(spread(amounts).iqr * factor)
    before = [o.case for o in outliers(_cases(amounts))]
    assert [o.case for o in outliers(_cases(scaled))] == before


@given(fines)
def test_the_median_lies_between_the_quartiles(amounts: list[int]) -> None:
    s = spread(amounts)
    assert s.low <= s.q1 <= s.median <= s.q3 <= s.high
    assert s.mad >= 0 and s.cv >= 0


@given(fines, st.tuples(st.integers(0, 50_000), st.integers(0, 50_000)))
def test_outliers_judge_each_member_against_its_whole_group(
    amounts: list[int], limits: tuple[int, int]
) -> None:
    """The group's median and MAD are computed once; each member's verdict is still exactly
    `deviation(member, whole group)`."""
    tier = (min(limits), max(limits))
    cases = [CaseFine(f"c{i:03d}", GROUP, a, tier_range=tier) for i, a in enumerate(amounts)]
    rule = OutlierRule()
    expected = {
        c.case: deviation(c.amount, amounts, tier, rule)
        for c in cases
        if deviation(c.amount, amounts, tier, rule).flagged
    }
    found = {o.case: o for o in outliers(cases, rule)}
    assert found.keys() == expected.keys()
    for case, outlier in found.items():
        assert outlier.reasons == expected[case].reasons
        assert outlier.distance == expected[case].distance
