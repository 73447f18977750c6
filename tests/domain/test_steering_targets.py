"""A figure against last year and against its published target (domain/steering/targets.py):
table cases and hypothesis properties. No database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.steering.targets import TARGET_KINDS, change_percent, judge, share

counts = st.integers(min_value=0, max_value=10**7)
positive = st.integers(min_value=1, max_value=10**7)
percents = st.decimals(min_value=-1000, max_value=1000, places=1, allow_nan=False)
thresholds = st.decimals(min_value=-100, max_value=10**6, places=1, allow_nan=False)
kinds = st.sampled_from(sorted(TARGET_KINDS))
TENTH = Decimal("0.1")
OPPOSITE = {
    "at_most": "at_least",
    "at_least": "at_most",
    "change_at_most": "change_at_least",
    "change_at_least": "change_at_most",
}


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        (70, 100, Decimal("-30.0")),
        (4, 5, Decimal("-20.0")),
        (2, 1, Decimal("100.0")),
        (1, 3, Decimal("-66.7")),
        (2, 3, Decimal("-33.3")),
        (4.5, 2.0, Decimal("125.0")),
        (0, 7, Decimal("-100.0")),
        (5, 5, Decimal("0.0")),
        (3, 0, None),
        (0, 0, None),
    ],
)
def test_change_percent_table(current: float, previous: float, expected: Decimal | None) -> None:
    assert change_percent(current, previous) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 4, Decimal("25.0")), (2, 3, Decimal("66.7")), (1, 3, Decimal("33.3")), (0, 0, None)],
)
def test_share_table(part: int, whole: int, expected: Decimal | None) -> None:
    assert share(part, whole) == expected


@given(counts, positive)
def test_change_is_one_decimal_and_has_the_sign_of_the_difference(now: int, then: int) -> None:
    change = change_percent(now, then)
    assert change is not None
    assert change == change.quantize(TENTH)
    assert change >= -100
    if now > then:
        assert change >= 0
    elif now < then:
        assert change <= 0
    else:
        assert change == 0
    # within half a tenth of the exact value
    exact = (Decimal(now) - Decimal(then)) * 100 / Decimal(then)
    assert abs(change - exact) <= Decimal("0.05")


@given(counts)
def test_no_change_without_last_year(now: int) -> None:
    assert change_percent(now, 0) is None


@given(counts, counts)
def test_share_is_a_per_cent_of_the_whole(part: int, extra: int) -> None:
    whole = part + extra
    value = share(part, whole)
    if whole == 0:
        assert value is None
        return
    assert value is not None
    assert Decimal(0) <= value <= Decimal(100)
    assert value == value.quantize(TENTH)
    assert (value == 100) == (2000 * part >= 1999 * whole)  # rounds half up from 99.95
    assert share(whole, whole) == Decimal("100.0") and share(0, whole) == Decimal("0.0")


@given(kinds, thresholds, percents, percents)
def test_at_most_and_at_least_meet_exactly_at_the_threshold_and_split_elsewhere(
    kind: str, threshold: Decimal, value: Decimal, change: Decimal
) -> None:
    verdict = judge(kind, threshold, value=value, change=change)
    measured = change if kind.startswith("change") else value
    assert verdict.met is not None
    if measured == threshold:
        assert verdict.met is True
    else:
        opposite = judge(OPPOSITE[kind], threshold, value=value, change=change)
        assert verdict.met != opposite.met
    assert verdict.text.startswith("达标" if verdict.met else "未达标")
    assert TARGET_KINDS[kind] in verdict.text


@given(thresholds, percents)
def test_a_change_target_reads_the_change_not_the_value(
    threshold: Decimal, change: Decimal
) -> None:
    first = judge("change_at_most", threshold, value=Decimal(0), change=change)
    second = judge("change_at_most", threshold, value=Decimal(10**6), change=change)
    assert first == second
    assert first.met == (change <= threshold)


@given(kinds, thresholds, percents)
def test_cannot_tell_without_a_measure(kind: str, threshold: Decimal, other: Decimal) -> None:
    if kind.startswith("change"):
        verdict = judge(kind, threshold, value=other, change=None)
    else:
        verdict = judge(kind, threshold, value=None, change=other)
    assert verdict.met is None
    assert verdict.text == "暂无可比数据"


def test_entries_down_thirty_per_cent() -> None:
    target = Decimal("-30")
    assert judge("change_at_most", target, value=Decimal(70), change=change_percent(70, 100)).met
    assert not judge(
        "change_at_most", target, value=Decimal(80), change=change_percent(80, 100)
    ).met


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="未知的目标类型"):
        judge("roughly", Decimal(1), value=Decimal(1), change=None)
