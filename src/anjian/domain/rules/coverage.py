"""Rule-set versions over time: every date from the first version on has exactly one in force.

A new version starts on its effective date and ends the version in force then; withdrawing a
version that has not been used hands its days back to the one before. An edit that would leave a
date with no rule set, or with two, is refused.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Span:
    key: str
    start: date
    until: date | None  # None: open-ended


def coverage_errors(spans: list[Span]) -> list[str]:
    """Gaps, overlaps and an end date on the last version, in Chinese."""
    ordered = sorted(spans, key=lambda s: s.start)
    errors: list[str] = []
    for before, after in itertools.pairwise(ordered):
        if before.until is None or before.until >= after.start:
            errors.append(f"{before.key} 与 {after.key} 的生效期重叠（{after.start} 起）")
        elif before.until + ONE_DAY != after.start:
            gap = before.until + ONE_DAY
            errors.append(f"{gap} 至 {after.start - ONE_DAY} 没有生效的规则集")
    if ordered and ordered[-1].until is not None:
        errors.append(f"{ordered[-1].until + ONE_DAY} 以后没有生效的规则集")
    return errors


def insert_version(spans: list[Span], key: str, start: date) -> list[Span]:
    """The spans after a new version `key` starts on `start`; raises ValueError when refused."""
    if any(s.start == start for s in spans):
        raise ValueError(f"{start} 已有规则集开始生效，请选择其他生效日期或撤回那一版")
    if spans and start < min(s.start for s in spans):
        raise ValueError(f"生效日期不能早于第一版规则集的生效日期 {min(s.start for s in spans)}")
    later = [s.start for s in spans if s.start > start]
    new = Span(key, start, min(later) - ONE_DAY if later else None)
    result = [
        replace(s, until=start - ONE_DAY)
        if s.start < start and (s.until is None or s.until >= start)
        else s
        for s in spans
    ]
    result.append(new)
    _raise_on_errors(result)
    return result


def withdraw_version(spans: list[Span], key: str) -> list[Span]:
    """The spans after version `key` is withdrawn; the version before it takes over its days."""
    gone = next(s for s in spans if s.key == key)
    rest = [s for s in spans if s.key != key]
    if not rest:
        raise ValueError("不能撤回唯一的规则集：撤回后将没有任何生效的规则集")
    earlier = [s for s in rest if s.start < gone.start]
    if not earlier:
        raise ValueError("不能撤回第一版规则集：其生效期内将没有规则集")
    previous = max(earlier, key=lambda s: s.start)
    result = [replace(s, until=gone.until) if s == previous else s for s in rest]
    _raise_on_errors(result)
    return result


def _raise_on_errors(spans: list[Span]) -> None:
    errors = coverage_errors(spans)
    if errors:
        raise ValueError("；".join(errors))
