"""A proven lower bound on entries: per enterprise, the fewest days that hit every scheduled
visit's window (interval piercing on working days, exact by a sweep on window ends). Quiet days
and supervisor days only shrink the allowed sets, so the bound stays valid."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from anjian.domain.planning.model import Visit


def piercing_bound(visits: Iterable[Visit], workdays: list[date]) -> int:
    windows: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for visit in visits:
        first = bisect_left(workdays, visit.earliest)
        last = bisect_right(workdays, visit.latest) - 1
        if first <= last:
            windows[visit.enterprise].append((first, last))
    total = 0
    for intervals in windows.values():
        point = -1
        for first, last in sorted(intervals, key=lambda w: w[1]):
            if first > point:
                point = last
                total += 1
    return total
