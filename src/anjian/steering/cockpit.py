"""The leadership cockpit (领导驾驶舱): the campaign's figures from 1 January to an as-of day
against the same period last year, each with its change, its published target and a link to the
records behind it; entries per enterprise and the exam pass rate by sector; cap use; the time
complaints take to close; and monthly series of both years for the charts.

Every number is a database count or aggregate, so the number of queries is fixed however many
records there are (73; `bench/steering.py` measures them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse

from anjian.accounts.models import Section
from anjian.domain.registry import SECTORS
from anjian.domain.steering.slices import RecordSlice
from anjian.domain.steering.targets import TargetVerdict, change_percent, judge, share
from anjian.inspections.figure_selectors import complaint_days_to_close
from anjian.policy.figure_selectors import cap_use, onsite_entries
from anjian.registry.figure_selectors import slice_enterprise_rows
from anjian.steering import figures
from anjian.steering.cockpit_series import Series, by_month
from anjian.steering.figures import BY_CODE, Value
from anjian.steering.models import Campaign, Target
from anjian.steering.slicing import campaign_slice
from anjian.training.figure_selectors import attempts_finished, attempts_passed


@dataclass(frozen=True)
class Extra:
    """A cockpit figure that is not one of `figures.FIGURES`: computed here from them or from
    one aggregate; its link lists the records of the figure named by `drill`."""

    code: str
    label: str
    unit: str
    drill: str
    note: str = ""


EXTRAS: dict[str, Extra] = {
    "exception_rate": Extra(
        "exception_rate", "安静期例外率", "%", "quiet_exceptions", "安静期例外申请 ÷ 现场入企"
    ),
    "cap_use": Extra(
        "cap_use",
        "年度频次上限使用率",
        "%",
        "near_cap",
        "各企业年度执法检查计次之和 ÷ 上限之和（全年计数，去年为全年）",
    ),
    "complaint_days": Extra(
        "complaint_days", "投诉平均办结天数", "天", "complaints_closed", "办结时间减投诉时间的平均"
    ),
}

_GROUPS = (
    (
        "入企",
        "entries_onsite entries_joint joint_share entries_saved entries_quiet quiet_exceptions"
        " exception_rate entries_remote remote_share cap_use",
    ),
    ("检查", "inspections_done findings findings_closed on_time_rate"),
    (
        "处罚",
        "cases_filed cases_decided fines cases_no_penalty no_penalty_share cases_lenient"
        " lenient_share review_coverage",
    ),
    ("培训", "attempts pass_rate certificates_expiring"),
    ("投诉", "complaints_received complaints_closed complaint_days"),
)
# The cockpit's figures by group, in the order shown.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (group, tuple(codes.split())) for group, codes in _GROUPS
)
CODES: tuple[str, ...] = tuple(code for _, codes in GROUPS for code in codes)
# shares of the cockpit's own (not in figures.py): (numerator, denominator)
EXTRA_SHARES = {"exception_rate": ("quiet_exceptions", "entries_onsite")}


def label_of(code: str) -> str:
    return EXTRAS[code].label if code in EXTRAS else figures.figure(code).label


def unit_of(code: str) -> str:
    return EXTRAS[code].unit if code in EXTRAS else figures.figure(code).unit


# --- periods ---------------------------------------------------------------------------------


def same_day_last_year(day: date) -> date:
    """The same day a year earlier; 29 February becomes 28 February."""
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def year_to_date(day: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """This year from 1 January to `day`, and the same period last year."""
    return (date(day.year, 1, 1), day), (date(day.year - 1, 1, 1), same_day_last_year(day))


# --- the result ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    unit: str
    note: str
    current: Value
    previous: Value
    change: Decimal | None  # against the same period last year, per cent
    points: Decimal | None  # for a share: the difference in percentage points
    target: Target | None
    verdict: TargetVerdict | None
    link: str  # the records behind this year's figure
    link_previous: str

    @property
    def is_share(self) -> bool:
        return self.unit == "%"

    @property
    def change_text(self) -> str:
        """`+12.5%`, `-30.0%`; empty when last year was zero or unknown."""
        return "" if self.change is None else f"{self.change:+}%"

    @property
    def points_text(self) -> str:
        return "" if self.points is None else f"{self.points:+}"


@dataclass(frozen=True)
class SectorRow:
    sector: str
    label: str
    enterprises: int
    current: int
    previous: int
    per_enterprise: Decimal | None
    per_enterprise_previous: Decimal | None


@dataclass(frozen=True)
class ExamRow:
    sector: str
    label: str
    attempts: int
    passed: int
    rate: Decimal | None
    attempts_previous: int
    passed_previous: int
    rate_previous: Decimal | None


@dataclass(frozen=True)
class Cockpit:
    day: date
    current: RecordSlice
    previous: RecordSlice
    groups: list[tuple[str, list[Line]]]
    sectors: list[SectorRow]
    exams: list[ExamRow]
    series: dict[str, Series]
    cap: tuple[tuple[int, int], tuple[int, int]]  # (used, cap) this year and last year

    def line(self, code: str) -> Line:
        return next(line for _, lines in self.groups for line in lines if line.code == code)


# --- computing it ----------------------------------------------------------------------------


def cockpit(
    campaign: Campaign, *, day: date, section: Section | None = None, town: str = ""
) -> Cockpit:
    """The cockpit of the campaign's body (one section's records, one town's enterprises) from
    1 January of `day`'s year to `day`, against the same period last year."""
    (start, end), (last_start, last_end) = year_to_date(day)
    now = campaign_slice(campaign, start, end, section=section, town=town)
    then = now.between(last_start, last_end)
    caps = (cap_use(now), cap_use(then))
    current, previous = _values(now, caps[0]), _values(then, caps[1])
    targets = {target.figure: target for target in Target.objects.filter(campaign=campaign)}
    links = _Links(campaign, now, then)
    groups = [
        (group, [_line(code, current, previous, targets.get(code), links) for code in codes])
        for group, codes in GROUPS
    ]
    return Cockpit(
        day=day,
        current=now,
        previous=then,
        groups=groups,
        sectors=_sectors(now, then),
        exams=_exams(now, then),
        series=by_month(now.between(last_start, end), CODES, label_of, unit_of, EXTRA_SHARES),
        cap=caps,
    )


def _values(s: RecordSlice, caps: tuple[int, int]) -> dict[str, Value]:
    found = figures.values([code for code in CODES if code in BY_CODE], s)
    found["exception_rate"] = share(
        int(found["quiet_exceptions"] or 0), int(found["entries_onsite"] or 0)
    )
    found["cap_use"] = share(*caps)
    found["complaint_days"] = complaint_days_to_close(s)
    return found


def _number(value: Value) -> float | None:
    return None if value is None else float(value)


def _line(
    code: str,
    current: dict[str, Value],
    previous: dict[str, Value],
    target: Target | None,
    links: _Links,
) -> Line:
    now, then = current[code], previous[code]
    change = None
    if now is not None and then is not None:
        change = change_percent(float(now), float(then))
    points = None
    if unit_of(code) == "%" and isinstance(now, Decimal) and isinstance(then, Decimal):
        points = now - then
    verdict = None
    if target is not None:
        value = None if now is None else Decimal(now)
        verdict = judge(target.kind, target.threshold, value=value, change=change)
    extra = EXTRAS.get(code)
    return Line(
        code=code,
        label=label_of(code),
        unit=unit_of(code),
        note=extra.note if extra else figures.figure(code).note,
        current=now,
        previous=then,
        change=change,
        points=points,
        target=target,
        verdict=verdict,
        link=links.of(code, links.now),
        link_previous=links.of(code, links.then),
    )


@dataclass(frozen=True)
class _Links:
    campaign: Campaign
    now: RecordSlice
    then: RecordSlice

    def of(self, code: str, s: RecordSlice) -> str:
        """The drill-down of a figure (a share's: its numerator's records)."""
        drill = EXTRAS[code].drill if code in EXTRAS else code
        ratio = BY_CODE[drill].ratio
        if ratio:
            drill = ratio[0]
        query = {
            "campaign": self.campaign.pk,
            "start": s.start.isoformat(),
            "end": s.end.isoformat(),
            "section": s.section_id or "",
            "town": s.town,
        }
        return f"{reverse('steering:figure_records', args=[drill])}?{urlencode(query)}"


# --- by sector -------------------------------------------------------------------------------


def _by(records: QuerySet[Any], path: str) -> dict[str, int]:
    rows = records.order_by().values(path).annotate(n=Count("pk"))
    return {row[path]: row["n"] for row in rows}


def _per(count: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(count) / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _sector_label(sector: str) -> str:
    return SECTORS.get(sector, sector or "—")


def _sectors(now: RecordSlice, then: RecordSlice) -> list[SectorRow]:
    """On-site entries per enterprise by sector: the entries grouped by their enterprise's
    sector, divided by the sector's enterprises in the registry now (three queries)."""
    firms = _by(slice_enterprise_rows(now), "sector")
    current = _by(onsite_entries(now), "enterprise__sector")
    previous = _by(onsite_entries(then), "enterprise__sector")
    keys = [key for key in SECTORS if key in firms or key in current or key in previous]
    return [
        SectorRow(
            sector=key,
            label=_sector_label(key),
            enterprises=firms.get(key, 0),
            current=current.get(key, 0),
            previous=previous.get(key, 0),
            per_enterprise=_per(current.get(key, 0), firms.get(key, 0)),
            per_enterprise_previous=_per(previous.get(key, 0), firms.get(key, 0)),
        )
        for key in keys
    ]


def _exams(now: RecordSlice, then: RecordSlice) -> list[ExamRow]:
    """The exam pass rate by the enterprise's sector, both years (four queries)."""
    path = "exam__enterprise__sector"
    done, passed = _by(attempts_finished(now), path), _by(attempts_passed(now), path)
    done_then, passed_then = _by(attempts_finished(then), path), _by(attempts_passed(then), path)
    keys = [key for key in SECTORS if key in done or key in done_then]
    return [
        ExamRow(
            sector=key,
            label=_sector_label(key),
            attempts=done.get(key, 0),
            passed=passed.get(key, 0),
            rate=share(passed.get(key, 0), done.get(key, 0)),
            attempts_previous=done_then.get(key, 0),
            passed_previous=passed_then.get(key, 0),
            rate_previous=share(passed_then.get(key, 0), done_then.get(key, 0)),
        )
        for key in keys
    ]
