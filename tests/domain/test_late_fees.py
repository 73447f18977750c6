"""Issue 15 item 5: the late fee (加处罚款, 行政处罚法第七十二条) of each fine — 3 % of that fine a
day from the day after the 15 days (第六十七条), never more than the fine — and when a fine is
settled for closure."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.discretion.payments import (
    FineRecord,
    amount_due,
    late_fee_on,
    payment_due,
    unsettled,
)

DELIVERED = date(2025, 3, 4)

fines = st.integers(min_value=0, max_value=20_000_000)
days = st.integers(min_value=-30, max_value=400)


def test_the_fifteenth_day_is_still_in_time() -> None:
    assert payment_due(DELIVERED) == date(2025, 3, 19)
    assert late_fee_on(fine=10000, delivered_on=DELIVERED, paid_on=date(2025, 3, 19)) == 0
    assert late_fee_on(fine=10000, delivered_on=DELIVERED, paid_on=date(2025, 3, 20)) == 300
    assert late_fee_on(fine=10000, delivered_on=DELIVERED, paid_on=date(2025, 3, 21)) == 600
    # 34 days late: 102 % — capped at the fine
    assert late_fee_on(fine=10000, delivered_on=DELIVERED, paid_on=date(2025, 4, 22)) == 10000


def test_each_fine_has_its_own_fee() -> None:
    late = date(2025, 3, 24)  # five days late
    assert late_fee_on(fine=50000, delivered_on=DELIVERED, paid_on=late) == 7500
    assert late_fee_on(fine=20000, delivered_on=DELIVERED, paid_on=late) == 3000


@given(fine=fines, late=days)
def test_never_above_the_fine(fine: int, late: int) -> None:
    paid = payment_due(DELIVERED) + timedelta(days=late)
    assert 0 <= late_fee_on(fine=fine, delivered_on=DELIVERED, paid_on=paid) <= fine


@given(fine=fines, early=st.integers(min_value=0, max_value=15))
def test_zero_when_paid_in_time(fine: int, early: int) -> None:
    paid = DELIVERED + timedelta(days=early)
    assert late_fee_on(fine=fine, delivered_on=DELIVERED, paid_on=paid) == 0


@given(fine=fines, a=days, b=days)
def test_monotone_in_days(fine: int, a: int, b: int) -> None:
    due = payment_due(DELIVERED)
    first, second = sorted((a, b))
    fee_first = late_fee_on(fine=fine, delivered_on=DELIVERED, paid_on=due + timedelta(days=first))
    fee_second = late_fee_on(
        fine=fine, delivered_on=DELIVERED, paid_on=due + timedelta(days=second)
    )
    assert fee_first <= fee_second


def test_a_waiver_removes_the_late_fee_not_the_fine() -> None:
    late = date(2025, 3, 24)
    assert amount_due(fine=10000, delivered_on=DELIVERED, paid_on=late, waived=False) == (
        10000,
        1500,
    )
    assert amount_due(fine=10000, delivered_on=DELIVERED, paid_on=late, waived=True) == (10000, 0)
    waived_unpaid = FineRecord("王五", 10000, ground="waiver")
    assert not waived_unpaid.settled


def test_a_case_closes_only_when_every_fine_is_settled() -> None:
    unit = FineRecord("宏达化工", 50000, paid_on=date(2025, 3, 10))
    person = FineRecord("王五", 20000)
    assert unsettled([unit, person]) == ["王五的罚款20,000元未缴纳"]
    court = FineRecord("王五", 20000, ground="court")
    assert unsettled([unit, court]) == []
