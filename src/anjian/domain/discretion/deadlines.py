"""The time limits of a penalty case (行政处罚法), and the late-payment addition (加处罚款).

How periods are counted (行政处罚法第八十五条): the "三日""五日""七日" of the law are working days
(工作日, statutory holidays not counted), counted from the day after the event; every other period
(the 15 days to pay, the 90 days to decide) is in calendar days, also from the day after. Which
days are working days is the caller's `is_workday`; a calendar-day period ending on a holiday is
not extended here.

The defence period (陈述申辩) is not fixed by the law (第四十五条 gives the right, not a term): this
module uses three working days after the notice is served, the usual wording of a notice, and the
five working days of 第六十四条 for asking for a hearing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from anjian.domain.calendar import add_working_days

DECISION_DAYS = 90
"""Decide within 90 calendar days of filing (立案之日起九十日内, 第六十条)."""
DEFENCE_WORKING_DAYS = 3
"""The party states its defence within 3 working days of being told (this module's choice)."""
HEARING_REQUEST_WORKING_DAYS = 5
"""The party asks for a hearing within 5 working days of being told (第六十四条、第八十五条)."""
HEARING_NOTICE_WORKING_DAYS = 7
"""The party is told of the hearing 7 working days before it is held (第六十四条)."""
DELIVERY_WORKING_DAYS = 7
"""The decision is delivered within 7 working days when not on the spot (第六十一条)."""
PAYMENT_DAYS = 15
"""The fine is paid within 15 calendar days of receiving the decision (第六十七条)."""
LATE_FEE_PERCENT_PER_DAY = 3
"""Each day late adds 3% of the fine, the total addition never above the fine (第七十二条)."""

_RELEVANT_STATES: dict[str, frozenset[str]] = {
    "DECISION": frozenset({"filed", "proposed", "reviewing", "reviewed", "notified", "hearing"}),
    "DEFENCE": frozenset({"notified"}),
    "HEARING_REQUEST": frozenset({"notified"}),
    "DELIVERY": frozenset({"decided"}),
    "PAYMENT": frozenset({"delivered"}),
}
"""While a case is in which states each deadline still matters."""


@dataclass(frozen=True)
class Deadline:
    code: str  # DECISION / DEFENCE / HEARING_REQUEST / DELIVERY / PAYMENT
    label: str
    due: date  # the last day on which the step is still in time
    basis: str


@dataclass(frozen=True)
class DeadlineWarning:
    code: str
    label: str
    due: date
    days_left: int  # negative when overdue
    level: str  # "overdue" | "due_soon"


def defence_due(notified_on: date, is_workday: Callable[[date], bool]) -> date:
    """The last day for stating a defence: the 3rd working day after the notice."""
    return add_working_days(notified_on, DEFENCE_WORKING_DAYS, is_workday)


def hearing_request_due(notified_on: date, is_workday: Callable[[date], bool]) -> date:
    """The last day for asking for a hearing: the 5th working day after the notice."""
    return add_working_days(notified_on, HEARING_REQUEST_WORKING_DAYS, is_workday)


def case_deadlines(
    *,
    filed_on: date,
    notified_on: date | None,
    hearing_right: bool,
    decided_on: date | None,
    delivered_on: date | None,
    is_workday: Callable[[date], bool],
) -> list[Deadline]:
    """Every deadline known so far, in procedural order (HEARING_REQUEST with a hearing right)."""
    deadlines = [
        Deadline(
            "DECISION",
            "作出处罚决定期限（立案之日起九十日内）",
            filed_on + timedelta(days=DECISION_DAYS),
            "行政处罚法第六十条",
        )
    ]
    if notified_on is not None:
        deadlines.append(
            Deadline(
                "DEFENCE",
                "陈述申辩期限（告知后三个工作日内）",
                defence_due(notified_on, is_workday),
                "行政处罚法第四十五条、第八十五条",
            )
        )
        if hearing_right:
            deadlines.append(
                Deadline(
                    "HEARING_REQUEST",
                    "申请听证期限（告知后五个工作日内）",
                    hearing_request_due(notified_on, is_workday),
                    "行政处罚法第六十四条、第八十五条",
                )
            )
    deadlines += _after_decision(decided_on, delivered_on, is_workday)
    return deadlines


def _after_decision(
    decided_on: date | None, delivered_on: date | None, is_workday: Callable[[date], bool]
) -> list[Deadline]:
    deadlines = []
    if decided_on is not None:
        due = add_working_days(decided_on, DELIVERY_WORKING_DAYS, is_workday)
        deadlines.append(
            Deadline(
                "DELIVERY",
                "送达处罚决定书期限（决定后七个工作日内）",
                due,
                "行政处罚法第六十一条、第八十五条",
            )
        )
    if delivered_on is not None:
        due = delivered_on + timedelta(days=PAYMENT_DAYS)
        deadlines.append(
            Deadline(
                "PAYMENT",
                "缴纳罚款期限（收到决定书之日起十五日内）",
                due,
                "行政处罚法第六十七条",
            )
        )
    return deadlines


def deadline_warnings(
    deadlines: Sequence[Deadline], *, state: str, today: date, soon_days: int = 10
) -> list[DeadlineWarning]:
    """Deadlines still relevant in `state` that are overdue or due within `soon_days`, soonest
    first. A deadline due today is "due_soon"; "overdue" starts the day after."""
    warnings = []
    for deadline in deadlines:
        if state not in _RELEVANT_STATES.get(deadline.code, frozenset()):
            continue
        days_left = (deadline.due - today).days
        if days_left > soon_days:
            continue
        level = "overdue" if days_left < 0 else "due_soon"
        warnings.append(
            DeadlineWarning(deadline.code, deadline.label, deadline.due, days_left, level)
        )
    return sorted(warnings, key=lambda w: w.due)


def late_payment_fee(*, fine: int, due: date, paid_on: date) -> int:
    """The addition for paying after `due`: 3% of the fine for each day after it, in whole yuan
    (rounded down), never more than the fine itself (第七十二条第一款第一项)."""
    if fine < 0:
        raise ValueError(f"罚款金额不能为负数，收到 {fine}")
    days_late = max((paid_on - due).days, 0)
    return min(fine * LATE_FEE_PERCENT_PER_DAY * days_late // 100, fine)
