"""The month planner's plain data: what goes in (`anjian plan` input) and what comes out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

# As in the shipped rule set shanxi-2025: what counts toward the cap and what may happen on a
# quiet day. The command line passes the rule set's own values.
CAP_ACTIVITIES = frozenset({"enforcement_inspection"})
QUIET_EXEMPT = frozenset(
    {
        "supervision_inspection",
        "complaint_verification",
        "assessment_patrol",
        "rectification_review",
        "supervisor_patrol",
    }
)
UNSCHEDULED_REASONS = {
    "CAP": "该企业本年度入企频次已用完",
    "CAPACITY": "可安排的工作日里，本股室执法人员都已排满（执法人员不足）",
    "NO_OFFICERS": "本股室没有证件有效的执法人员",
    "OFFICERS_BUSY": "可安排的工作日里，本股室执法人员都已有其他入企安排或不在岗",
    "WINDOW": "时间窗内没有可用的工作日",
    "OUTSIDE": "时间窗不在本月内",
    "HOLIDAY": "时间窗内只有周末和法定节假日，没有工作日",
    "PAST": "时间窗内的工作日都已过去",
    "QUIET": "时间窗内的工作日全部在企业安静期内，该活动安静期内不得入企",
}
"""Why a visit was left unscheduled, one code per real cause (the page adds the days)."""


@dataclass(frozen=True)
class EnterpriseSlot:
    id: str
    remaining_cap: int
    supervisor_days: frozenset[date] = frozenset()


@dataclass(frozen=True)
class OfficerSlot:
    id: str
    section: str
    unavailable: frozenset[date] = frozenset()
    max_entries_per_day: int = 1


@dataclass(frozen=True)
class Visit:
    id: str
    enterprise: str
    section: str
    activity: str
    earliest: date
    latest: date
    remote_ok: bool = False


@dataclass(frozen=True)
class PlanInput:
    year: int
    month: int
    non_working_days: frozenset[date]
    quiet_days: frozenset[date]
    enterprises: dict[str, EnterpriseSlot]
    officers: tuple[OfficerSlot, ...]
    visits: tuple[Visit, ...]
    time_limit_s: float = 30.0
    seed: int = 0
    weekends_off: bool = True
    cap_activities: frozenset[str] = CAP_ACTIVITIES
    quiet_exempt: frozenset[str] = QUIET_EXEMPT
    first_day: date | None = None  # no entry before this day (the planner runs mid-month)


@dataclass(frozen=True)
class Entry:
    id: str
    enterprise: str
    date: date
    visits: tuple[str, ...]
    officers: tuple[str, ...]
    reasons: tuple[str, ...] = ()


@dataclass
class Plan:
    status: str
    entries: list[Entry] = field(default_factory=list)
    remote: list[tuple[str, date]] = field(default_factory=list)
    unscheduled: list[tuple[str, str]] = field(default_factory=list)
    visits: int = 0
    baseline_entries: int = 0
    lower_bound: int = 0
    solve_seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "entries": [
                {
                    "id": e.id,
                    "enterprise": e.enterprise,
                    "date": e.date.isoformat(),
                    "visits": list(e.visits),
                    "officers": list(e.officers),
                    "reasons": list(e.reasons),
                }
                for e in self.entries
            ],
            "remote": [{"visit": v, "date": d.isoformat()} for v, d in self.remote],
            "unscheduled": [{"visit": v, "reason": r} for v, r in self.unscheduled],
            "metrics": {
                "visits": self.visits,
                "entries": len(self.entries),
                "baseline_entries": self.baseline_entries,
                "lower_bound": self.lower_bound,
                "solve_seconds": round(self.solve_seconds, 3),
            },
        }
