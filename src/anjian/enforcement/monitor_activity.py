"""Penalty decisions and fines per month, per section and per officer, with the quota-like
jumps and month-end clusters of `domain/discretion/consistency.py`: the second half of the
consistency monitor (罚款竞赛监测); like cases are in `monitor.py`.

Fine income is not tied to any target or budget; this finds fine races, it never sets quotas."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy

from anjian.accounts.models import User
from anjian.domain.discretion.consistency import (
    Cluster,
    ClusterRule,
    Jump,
    JumpRule,
    MonthTotal,
    jumps,
    month_end_clusters,
    month_key,
    month_keys,
)
from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.monitor import officer_name, scoped_cases, section_name
from anjian.ui.charts import line_svg


@dataclass
class Series:
    who: str
    months: list[MonthTotal]

    @property
    def cases(self) -> int:
        return sum(m.cases for m in self.months)

    @property
    def fines(self) -> int:
        return sum(m.fines for m in self.months)


@dataclass
class Activity:
    months: list[str]
    sections: list[Series]
    officers: list[Series]
    jumps: list[tuple[str, Jump]] = field(default_factory=list)
    clusters: list[tuple[str, Cluster]] = field(default_factory=list)


def _series(
    cases: Iterable[PenaltyCase], name: Callable[[PenaltyCase], str], keys: list[str]
) -> dict[str, list[MonthTotal]]:
    """Decisions and fines (unit + person) per month of `keys`, for each name (0 where none)."""
    totals: dict[str, dict[str, list[int]]] = {}
    for case in cases:
        assert case.decided_on is not None
        cell = totals.setdefault(name(case), {}).setdefault(month_key(case.decided_on), [0, 0])
        cell[0] += 1
        cell[1] += (case.decided_unit_fine or 0) + (case.decided_person_fine or 0)
    return {
        who: [MonthTotal(k, *per.get(k, [0, 0])) for k in keys]
        for who, per in sorted(totals.items())
    }


def _decision_days(
    cases: Iterable[PenaltyCase], name: Callable[[PenaltyCase], str], first: str
) -> dict[str, list[date]]:
    days: dict[str, list[date]] = {}
    for case in cases:
        if case.decided_on is not None and month_key(case.decided_on) >= first:
            days.setdefault(name(case), []).append(case.decided_on)
    return days


def monthly_activity(
    user: User,
    *,
    today: date,
    months: int = 12,
    rule: JumpRule | None = None,
    cluster_rule: ClusterRule | None = None,
) -> Activity:
    """Penalty decisions (by decision date) and fines (unit + person) per section and per
    officer (the proposing user) for the last `months` months, with jumps (judged against the
    `rule.window` months before each month) and month-end clusters."""
    rule = rule or JumpRule()
    keys = month_keys(today, months + rule.window)
    cases = list(
        scoped_cases(user)
        .filter(decided_on__gte=f"{keys[0]}-01", decided_on__lte=today)
        .select_related("section", "proposed_by")
        .only(
            "decided_on",
            "decided_unit_fine",
            "decided_person_fine",
            "section__name",
            "proposed_by__display_name",
            "proposed_by__username",
        )
    )
    activity = Activity(months=keys[rule.window :], sections=[], officers=[])
    for by_section, title, name in (
        (True, gettext_lazy("股室"), section_name),
        (False, gettext_lazy("承办人"), officer_name),
    ):
        full = _series(cases, name, keys)
        shown = [Series(who, series[rule.window :]) for who, series in full.items()]
        activity.jumps += [(title, j) for j in jumps(full, rule, first=rule.window)]
        days = _decision_days(cases, name, activity.months[0])
        activity.clusters += [(title, c) for c in month_end_clusters(days, cluster_rule)]
        if by_section:
            activity.sections = shown
        else:
            activity.officers = shown
    return activity


def activity_chart(title: str, months: list[str], series: list[Series], measure: str) -> str:
    """An inline SVG line chart (no script, no CDN) of cases or fines (in 万元) per month."""
    if measure == "cases":
        lines = [(line.who, [float(m.cases) for m in line.months]) for line in series]
    else:
        lines = [(line.who, [round(m.fines / 10000, 2) for m in line.months]) for line in series]
    return line_svg(title, months, lines)
