"""A planner run as the office reads it: why each visit was left unscheduled, in words that name
the real cause (the quiet period and its days, the weekends and holidays, the days already past,
the section without officers…); what the approval will book and how the entries saved split
between merging and remote inspection; and the schedule as rows for the print view and the Excel
export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext

from anjian.domain.planning.model import UNSCHEDULED_REASONS
from anjian.domain.rules.quiet import describe_days
from anjian.planning.models import PlanEntry, PlannedVisit, PlanRun


@dataclass(frozen=True)
class RunCounts:
    entries: int  # on-site entries (one per enterprise and day)
    on_site_visits: int  # planned visits those entries hold
    remote: int  # visits moved to remote inspection
    unscheduled: int
    joint_entries: int  # entries holding visits of two sections or more (联合检查)

    @property
    def bookings(self) -> int:
        """Entry bookings the approval registers: one per visit on site, one per remote visit."""
        return self.on_site_visits + self.remote

    @property
    def saved_by_merging(self) -> int:
        """Entries saved because visits of one enterprise share a day."""
        return self.on_site_visits - self.entries


def run_counts(run: PlanRun, entries: list[PlanEntry]) -> RunCounts:
    """Counts of a run whose entries were fetched with their visits prefetched."""
    held = [list(e.visits.all()) for e in entries]
    return RunCounts(
        entries=len(entries),
        on_site_visits=sum(len(v) for v in held),
        remote=len(run.remote or []),
        unscheduled=len(run.unscheduled or []),
        joint_entries=sum(1 for v in held if len({x.section_id for x in v}) > 1),
    )


def is_joint(entry: PlanEntry) -> bool:
    """Whether an entry (visits prefetched) is joint: visits of two sections or more."""
    return len({v.section_id for v in entry.visits.all()}) > 1


def _window(visit: PlannedVisit) -> str:
    return f"{visit.earliest:%m-%d}～{visit.latest:%m-%d}"


def unscheduled_reason(code: str, visit: PlannedVisit | None, quiet: set[date]) -> str:
    """The reason shown for a visit left unscheduled: the planner's cause, with the days."""
    if visit is None:
        return gettext(UNSCHEDULED_REASONS.get(code, code))
    activity = visit.get_activity_display()
    window = _window(visit)
    if code == "QUIET":
        inside = {
            d for d in quiet if d.year == visit.earliest.year and d.month == visit.earliest.month
        }
        return gettext(
            "时间窗 %(window)s 内的工作日全部在企业安静期（%(days)s）内，%(activity)s安静期内不得"
            "入企：请把时间窗放宽到安静期以外，确需入企的申请安静期例外"
        ) % {"window": window, "days": describe_days(inside) or "—", "activity": activity}
    if code == "HOLIDAY":
        return gettext("时间窗 %(window)s 内只有周末和法定节假日，没有工作日") % {"window": window}
    if code == "PAST":
        return gettext("时间窗 %(window)s 内的工作日在统筹时都已过去") % {"window": window}
    if code == "OUTSIDE":
        return gettext("时间窗 %(window)s 不在本月内") % {"window": window}
    if code == "NO_OFFICERS":
        return gettext("%(section)s没有证件有效的执法人员，无法组成检查组") % {
            "section": visit.section.name
        }
    if code == "OFFICERS_BUSY":
        return gettext(
            "时间窗 %(window)s 内可入企的工作日，%(section)s的执法人员都已有其他入企安排"
        ) % {"window": window, "section": visit.section.name}
    if code == "CAPACITY":
        return gettext(
            "时间窗 %(window)s 内可入企的工作日，%(section)s的执法人员已被本月其他入企排满"
        ) % {"window": window, "section": visit.section.name}
    if code == "CAP":
        return gettext("%(firm)s本年度执法检查频次已用完") % {"firm": visit.enterprise.name}
    return gettext(UNSCHEDULED_REASONS.get(code, code))


def visit_rows(run: PlanRun, quiet: set[date]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The run's remote visits (with their day) and unscheduled visits (with their reason)."""
    ids = [int(r["visit"]) for r in run.remote] + [int(u["visit"]) for u in run.unscheduled]
    visits = PlannedVisit.objects.select_related("section", "enterprise").in_bulk(ids)
    remote = [{"visit": visits.get(int(r["visit"])), "date": r["date"]} for r in run.remote]
    unscheduled = [
        {
            "visit": visits.get(int(u["visit"])),
            "code": u["reason"],
            "reason": unscheduled_reason(u["reason"], visits.get(int(u["visit"])), quiet),
        }
        for u in run.unscheduled
    ]
    return remote, unscheduled


SCHEDULE_HEADERS = [
    "日期",
    "星期",
    "企业名称",
    "统一社会信用代码",
    "方式",
    "联合检查",
    "报送股室",
    "入企活动",
    "检查事项",
    "执法人员",
    "联合检查编号",
]
WEEKDAYS = "一二三四五六日"


def schedule_rows(entries: list[PlanEntry], remote: list[dict[str, Any]]) -> list[list[Any]]:
    """One row per on-site entry and per remote visit, by date: the approved month's schedule."""
    rows: list[list[Any]] = []
    for entry in entries:
        visits = list(entry.visits.all())
        rows.append(
            [
                entry.date,
                f"周{WEEKDAYS[entry.date.weekday()]}",
                entry.enterprise.name,
                entry.enterprise.uscc,
                gettext("现场"),
                gettext("是") if is_joint(entry) else gettext("否"),
                "、".join(sorted({v.section.name for v in visits})),
                "、".join(v.get_activity_display() for v in visits),
                "、".join(code for v in visits for code in v.item_codes),
                "、".join(f"{o.name}（{o.section.name}）" for o in entry.officers.all()),
                entry.joint_key,
            ]
        )
    for row in remote:
        visit = row["visit"]
        if visit is None:
            continue
        day = date.fromisoformat(row["date"])
        rows.append(
            [
                day,
                f"周{WEEKDAYS[day.weekday()]}",
                visit.enterprise.name,
                visit.enterprise.uscc,
                gettext("非现场"),
                gettext("否"),
                visit.section.name,
                visit.get_activity_display(),
                "、".join(visit.item_codes),
                "",
                "",
            ]
        )
    rows.sort(key=lambda r: (r[0], r[2]))
    return rows
