"""A measure's status (未开始 / 推进中 / 已完成 / 逾期) from what is recorded of it. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

STATUSES: dict[str, str] = {
    "not_started": "未开始",
    "in_progress": "推进中",
    "done": "已完成",
    "overdue": "逾期",
}


@dataclass(frozen=True)
class MeasureState:
    status: str  # a key of STATUSES
    late: bool  # done after its deadline (the basis for accountability even when done)
    reason: str

    @property
    def label(self) -> str:
        return STATUSES[self.status]


def measure_state(
    *,
    started: bool,
    done_on: date | None,
    deadline: date | None,
    evidence_count: int,
    today: date,
) -> MeasureState:
    """Done wins when the measure has a completion day; a measure past its deadline and not done
    is overdue; one with evidence or marked started is in progress; otherwise not started."""
    if done_on is not None:
        late = deadline is not None and done_on > deadline
        why = f"{done_on:%Y-%m-%d} 完成" + ("，晚于时限" if late else "")
        return MeasureState("done", late, why)
    if deadline is not None and today > deadline:
        return MeasureState("overdue", True, f"时限 {deadline:%Y-%m-%d} 已过，尚未完成")
    if started or evidence_count:
        why = f"已有 {evidence_count} 项佐证" if evidence_count else "已开始推进"
        return MeasureState("in_progress", False, why)
    return MeasureState("not_started", False, "尚无佐证")
