"""Consistency of fines (类案同罚) and quota-like patterns (罚款竞赛), as pure statistics.

**Like cases** are cases decided under the same benchmark version, entry, tier and stage (timely or
overdue): the law and the benchmark treat them alike, so their fines should be close. For each
group we give the count, median, range, interquartile range, coefficient of variation and the
median absolute deviation (MAD), and the same per officer, section and month.

**Outlier rule** (`OutlierRule`, documented on the monitor page): a fine is flagged when
1. it lies outside its tier's range (always, whatever the group size); or
2. the group has at least `min_group` cases and the fine is more than `k` MADs from the group's
   median. The MAD is taken as at least `floor_share` of the median, so that in a group where
   most fines are equal a small difference is not called extreme (and a group of equal fines
   never has an outlier). The comparison is exact (rational arithmetic), so scaling every fine by
   the same factor flags the same cases.

**Jump rule** (`JumpRule`): a month in which a section's or an officer's number of penalty
decisions (or fine total) is at least `ratio` times its median over the `window` months before,
and higher by at least `min_count_increase` cases (or `min_fine_increase` yuan).

**Month-end cluster** (`ClusterRule`): at least `min_cases` decisions of a month fall in its last
`last_days` days and they are at least `share` of that month's decisions.

None of this judges a fine right or wrong: it points the legal office and the discipline
inspectors at cases to read.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

OUTSIDE_TIER = "OUTSIDE_TIER"
FAR_FROM_MEDIAN = "FAR_FROM_MEDIAN"
REASONS: dict[str, str] = {
    OUTSIDE_TIER: "超出裁量阶次的幅度",
    FAR_FROM_MEDIAN: "远离同类案件罚款中位数",
}


def _exact_median(values: Sequence[Fraction]) -> Fraction:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of nothing")
    return float(_exact_median([Fraction(v) for v in values]))


def quantile(values: Sequence[float], share: float) -> float:
    """Linear interpolation between the closest ranks (the common "type 7" definition)."""
    if not values:
        raise ValueError("quantile of nothing")
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Spread:
    """How the fines of a group are spread."""

    count: int
    median: float
    low: int
    high: int
    mean: float
    q1: float
    q3: float
    mad: float
    stdev: float

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1

    @property
    def cv(self) -> float:
        """Coefficient of variation (population standard deviation / mean); 0 for a mean of 0."""
        return self.stdev / self.mean if self.mean else 0.0


def spread(amounts: Sequence[int]) -> Spread:
    if not amounts:
        raise ValueError("spread of nothing")
    middle = median(amounts)
    mean = sum(amounts) / len(amounts)
    return Spread(
        count=len(amounts),
        median=middle,
        low=min(amounts),
        high=max(amounts),
        mean=mean,
        q1=quantile(amounts, 0.25),
        q3=quantile(amounts, 0.75),
        mad=median([abs(a - middle) for a in amounts]),
        stdev=math.sqrt(sum((a - mean) ** 2 for a in amounts) / len(amounts)),
    )


@dataclass(frozen=True)
class OutlierRule:
    k: float = 3.5
    min_group: int = 5
    floor_share: float = 0.1

    def __post_init__(self) -> None:
        if not (self.k > 0 and self.min_group >= 2 and 0 <= self.floor_share < 1):
            raise ValueError("k > 0, min_group ≥ 2, 0 ≤ floor_share < 1")


@dataclass(frozen=True)
class Deviation:
    """One fine against its peers: how far from their median, in MADs, and why it is flagged."""

    amount: int
    peers: int
    median: float | None
    distance: float | None  # in MADs; None when the group is too small or has no spread at all
    reasons: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


def _outside(amount: int, tier_range: tuple[int, int] | None) -> bool:
    return tier_range is not None and not tier_range[0] <= amount <= tier_range[1]


@dataclass(frozen=True)
class Centre:
    """A group's median and the scale a fine's distance from it is measured in (the MAD, at
    least `floor_share` of the median), computed once and used to judge every member: judging
    n members costs one sort, not n (2,000 like cases took 42 s when each re-sorted the group)."""

    peers: int
    median: Fraction | None
    scale: Fraction | None  # None when the group is too small or has no spread at all


def centre(peers: Sequence[int], rule: OutlierRule) -> Centre:
    if not peers:
        return Centre(0, None, None)
    exact = [Fraction(p) for p in peers]
    middle = _exact_median(exact)
    if len(peers) < rule.min_group:
        return Centre(len(peers), middle, None)
    mad = _exact_median([abs(p - middle) for p in exact])
    scale = max(mad, Fraction(rule.floor_share) * abs(middle))
    return Centre(len(peers), middle, scale or None)


def judge(
    amount: int, around: Centre, tier_range: tuple[int, int] | None, rule: OutlierRule
) -> Deviation:
    """`amount` against a group's centre (see `centre`)."""
    reasons = [OUTSIDE_TIER] if _outside(amount, tier_range) else []
    middle = float(around.median) if around.median is not None else None
    if around.median is None or around.scale is None:
        return Deviation(amount, around.peers, middle, None, tuple(reasons))
    gap = abs(Fraction(amount) - around.median)
    if gap > Fraction(rule.k) * around.scale:
        reasons.append(FAR_FROM_MEDIAN)
    return Deviation(amount, around.peers, middle, float(gap / around.scale), tuple(reasons))


def deviation(
    amount: int,
    peers: Sequence[int],
    tier_range: tuple[int, int] | None,
    rule: OutlierRule,
) -> Deviation:
    """`amount` against `peers` (which may or may not include it; the caller decides)."""
    return judge(amount, centre(peers, rule), tier_range, rule)


@dataclass(frozen=True)
class CaseFine:
    """One decided (or proposed) fine as the statistics see it."""

    case: str
    group: tuple[str, ...]
    amount: int
    officer: str = ""
    section: str = ""
    month: str = ""  # "2025-03"
    tier_range: tuple[int, int] | None = None


@dataclass(frozen=True)
class Outlier:
    case: str
    group: tuple[str, ...]
    amount: int
    median: float | None
    distance: float | None
    reasons: tuple[str, ...]


def group_cases(cases: Sequence[CaseFine]) -> dict[tuple[str, ...], list[CaseFine]]:
    groups: dict[tuple[str, ...], list[CaseFine]] = {}
    for case in cases:
        groups.setdefault(case.group, []).append(case)
    return groups


def outliers(cases: Sequence[CaseFine], rule: OutlierRule | None = None) -> list[Outlier]:
    """Flagged fines of every group (median and MAD over the whole group), in a fixed order."""
    rule = rule or OutlierRule()
    found = []
    for group, members in group_cases(cases).items():
        around = centre([m.amount for m in members], rule)
        for member in members:
            judged = judge(member.amount, around, member.tier_range, rule)
            if judged.flagged:
                found.append(
                    Outlier(
                        member.case,
                        group,
                        member.amount,
                        judged.median,
                        judged.distance,
                        judged.reasons,
                    )
                )
    return sorted(found, key=lambda o: (o.group, o.case, o.amount))


def breakdown(cases: Sequence[CaseFine], by: str) -> dict[str, Spread]:
    """The spread of the fines per officer, section or month (`by` names the attribute)."""
    if by not in ("officer", "section", "month"):
        raise ValueError(f"cannot break down by {by}")
    parts: dict[str, list[int]] = {}
    for case in cases:
        parts.setdefault(str(getattr(case, by)), []).append(case.amount)
    return {key: spread(amounts) for key, amounts in sorted(parts.items())}


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_keys(last: date, count: int) -> list[str]:
    """`count` months ending with the month of `last`, oldest first."""
    index = last.year * 12 + last.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


@dataclass(frozen=True)
class MonthTotal:
    month: str
    cases: int
    fines: int


@dataclass(frozen=True)
class JumpRule:
    window: int = 6
    ratio: float = 2.0
    min_count_increase: int = 3
    min_fine_increase: int = 50_000
    min_history: int = 3
    min_cases_for_fines: int = 3  # one large decision is a case, not a campaign


@dataclass(frozen=True)
class Jump:
    who: str
    month: str
    measure: str  # "cases" | "fines"
    value: int
    baseline: float


def _jump(value: int, history: Sequence[int], increase: int, rule: JumpRule) -> float | None:
    baseline = median(history)
    if value >= rule.ratio * baseline and value - baseline >= increase:
        return baseline
    return None


def jumps(
    series: Mapping[str, Sequence[MonthTotal]], rule: JumpRule | None = None, *, first: int = 0
) -> list[Jump]:
    """Months (from index `first` of each consecutive series) far above their own past."""
    rule = rule or JumpRule()
    found = []
    for who, months in series.items():
        for i in range(first, len(months)):
            history = months[max(0, i - rule.window) : i]
            if len(history) < rule.min_history:
                continue
            month = months[i]
            for measure, value, past, increase in (
                ("cases", month.cases, [m.cases for m in history], rule.min_count_increase),
                ("fines", month.fines, [m.fines for m in history], rule.min_fine_increase),
            ):
                if measure == "fines" and month.cases < rule.min_cases_for_fines:
                    continue
                baseline = _jump(value, past, increase, rule)
                if baseline is not None:
                    found.append(Jump(who, month.month, measure, value, baseline))
    return found


@dataclass(frozen=True)
class ClusterRule:
    last_days: int = 5
    share: float = 0.5
    min_cases: int = 3


@dataclass(frozen=True)
class Cluster:
    who: str
    month: str
    cases: int
    late: int
    quarter_end: bool


def _late(day: date, last_days: int) -> bool:
    return day.day > calendar.monthrange(day.year, day.month)[1] - last_days


def month_end_clusters(
    days: Mapping[str, Sequence[date]], rule: ClusterRule | None = None
) -> list[Cluster]:
    """Months whose decisions bunch up in their last days (a sign of a month-end target)."""
    rule = rule or ClusterRule()
    found = []
    for who, decided in days.items():
        per_month: dict[str, list[date]] = {}
        for day in decided:
            per_month.setdefault(month_key(day), []).append(day)
        for month, members in sorted(per_month.items()):
            late = sum(1 for day in members if _late(day, rule.last_days))
            if late >= rule.min_cases and late >= rule.share * len(members):
                quarter_end = members[0].month % 3 == 0
                found.append(Cluster(who, month, len(members), late, quarter_end))
    return found
