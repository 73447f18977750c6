"""Quiet periods (企业安静期): a month's quiet days, checked and described in words."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

from anjian.domain.registry import FieldError


def month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def validate_quiet_month(
    year: int, month: int, days: Iterable[int], min_days: int
) -> list[FieldError]:
    """Every problem with a month's declared quiet days (day numbers within the month)."""
    chosen = list(days)
    last = month_days(year, month)
    errors = [
        FieldError("days", "BAD_DATE", f"{year}年{month}月没有{day}日")
        for day in sorted(set(chosen))
        if not 1 <= day <= last
    ]
    if len(set(chosen)) != len(chosen):
        errors.append(FieldError("days", "DUPLICATE", "同一天不能重复设为安静期"))
    count = len({d for d in chosen if 1 <= d <= last})
    if count < min_days:
        errors.append(
            FieldError(
                "days",
                "TOO_FEW_QUIET_DAYS",
                f"每月安静期不少于 {min_days} 天，{year}年{month}月现只选了 {count} 天",
            )
        )
    return errors


def default_days(year: int, month: int, ranges: Iterable[tuple[int, int]]) -> list[int]:
    """The day numbers a default pattern (day ranges, both ends included) gives one month; a range
    reaching past the month's end stops at its last day."""
    last = month_days(year, month)
    return sorted({d for first, end in ranges for d in range(first, min(end, last) + 1)})


def declaration_deadline(year: int, month: int, declare_by: int) -> date:
    """The last day to declare a month's quiet days: day `declare_by` of the month before."""
    before = date(year, month, 1) - timedelta(days=1)
    return before.replace(day=min(declare_by, before.day))


def describe_ranges(ranges: Iterable[tuple[int, int]]) -> str:
    """Day ranges in words: "1日至10日、21日至25日"."""
    return "、".join(f"{a}日" if a == b else f"{a}日至{b}日" for a, b in ranges)


def parse_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """Text such as "1-10, 21-25" (至、～ and Chinese commas too) as day ranges, or ValueError."""
    cleaned = text.replace("，", ",").replace("、", ",").replace("至", "-").replace("～", "-")
    ranges: list[tuple[int, int]] = []
    for part in (p.strip().rstrip("日") for p in cleaned.split(",") if p.strip()):
        ends = [e.strip().rstrip("日") for e in part.split("-")]
        if len(ends) > 2 or not all(e.isdigit() for e in ends):
            raise ValueError(f"无法识别的日期段：{part}（示例：1-10 或 1-5,16-20）")
        ranges.append((int(ends[0]), int(ends[-1])))
    return tuple(ranges)


def describe_days(days: Iterable[date]) -> str:
    """Dates as Chinese runs: "6月1日至10日、20日至29日"; months are named when they change."""
    ordered = sorted(set(days))
    runs: list[tuple[date, date]] = []
    for day in ordered:
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    parts: list[str] = []
    shown_month: tuple[int, int] | None = None
    for start, end in runs:
        head = (
            f"{start.day}日"
            if shown_month == (start.year, start.month)
            else f"{start.month}月{start.day}日"
        )
        shown_month = (end.year, end.month)
        if start == end:
            parts.append(head)
        else:
            tail = (
                f"{end.day}日"
                if (start.year, start.month) == shown_month
                else f"{end.month}月{end.day}日"
            )
            parts.append(f"{head}至{tail}")
    return "、".join(parts)


def exception_rate(on_site_entries: int, under_exception: int) -> float | None:
    """Share of a month's on-site entries made on quiet days under an approved exception."""
    if on_site_entries <= 0:
        return None
    return under_exception / on_site_entries
