"""Paying a fine (行政处罚法第六十七条、第七十二条): each fined party — the unit, each directly
responsible person — pays its own fine within 15 days of receiving the decision; from the day
after that, 3 % of that fine is added for each day, the addition never more than the fine. A fine
is settled when it is paid with its addition — no addition is due once a decision waives it
(减免加处罚款决定) — or when the bureau has applied to the people's court for enforcement
(申请人民法院强制执行); a case closes only when every fine is settled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from anjian.domain.discretion.deadlines import PAYMENT_DAYS, late_payment_fee

GROUNDS: dict[str, str] = {
    "waiver": "减免加处罚款决定",
    "court": "申请人民法院强制执行",
}


def payment_due(delivered_on: date) -> date:
    """The last day to pay without addition: the 15th day after delivery."""
    return delivered_on + timedelta(days=PAYMENT_DAYS)


def late_fee_on(*, fine: int, delivered_on: date, paid_on: date) -> int:
    """The addition for paying `fine` on `paid_on` when the decision was delivered on
    `delivered_on`: 3 % a day from the day after the due day, never more than the fine."""
    return late_payment_fee(fine=fine, due=payment_due(delivered_on), paid_on=paid_on)


@dataclass(frozen=True)
class FineRecord:
    """One fine as the case holds it."""

    name: str
    amount: int
    paid_on: date | None = None
    late_fee_due: int = 0  # the addition due on the day it was paid
    late_fee_paid: int = 0
    ground: str = ""  # "" | waiver | court

    @property
    def settled(self) -> bool:
        return self.ground == "court" or self.paid_on is not None

    def outstanding(self) -> str:
        """What is still owed, in words ("" when settled)."""
        return "" if self.settled else f"{self.name}的罚款{self.amount:,}元未缴纳"


def amount_due(*, fine: int, delivered_on: date, paid_on: date, waived: bool) -> tuple[int, int]:
    """(fine, late fee) due when paying on `paid_on`; no late fee once a decision waived it."""
    fee = 0 if waived else late_fee_on(fine=fine, delivered_on=delivered_on, paid_on=paid_on)
    return fine, fee


def unsettled(fines: Sequence[FineRecord]) -> list[str]:
    """What keeps a case from closing, one line per fine."""
    return [f.outstanding() for f in fines if not f.settled]
