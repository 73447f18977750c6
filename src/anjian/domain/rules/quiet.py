"""Quiet periods (企业安静期): a month's quiet days, checked and described in words."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date

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
