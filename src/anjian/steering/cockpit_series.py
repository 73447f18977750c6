"""The cockpit's series by month: each counted figure grouped by the month of its date in one
query, this year's months to the as-of day against last year's twelve, and shares from their
parts (steering/cockpit.py draws them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from anjian.domain.steering.slices import RecordSlice
from anjian.domain.steering.targets import share
from anjian.steering.figures import BY_CODE


@dataclass(frozen=True)
class Series:
    """A figure month by month: this year's months up to the as-of day's, last year's twelve."""

    code: str
    label: str
    unit: str
    current: list[float | None]
    previous: list[float | None]


def series_codes(codes: Iterable[str]) -> list[str]:
    """The counted figures among `codes` that have a date to group by (totals have none)."""
    return [
        code
        for code in codes
        if code in BY_CODE
        and BY_CODE[code].date_field
        and BY_CODE[code].records is not None
        and BY_CODE[code].total is None
    ]


def month_counts(code: str, span: RecordSlice) -> dict[tuple[int, int], int]:
    """The figure's records over the span counted by month, in one query. A month of a date-time
    is the month in the current time zone (as `TruncMonth` takes it)."""
    spec = BY_CODE[code]
    records: Callable[[RecordSlice], QuerySet[Any]] = spec.records  # type: ignore[assignment]
    found = records(span)
    if found.query.annotations:  # grouped already: count the records, not the groups
        found = found.model._default_manager.filter(pk__in=found.values("pk"))
    rows = (
        found.annotate(m=TruncMonth(spec.date_field)).order_by().values("m").annotate(n=Count("pk"))
    )
    return {(row["m"].year, row["m"].month): row["n"] for row in rows if row["m"] is not None}


Months = dict[tuple[int, int], int]


def _months(by_month: Months, year: int, months: int) -> list[float | None]:
    return [float(by_month.get((year, m), 0)) for m in range(1, months + 1)]


def _share_months(part: Months, whole: Months, year: int, months: int) -> list[float | None]:
    found = (share(part.get((year, m), 0), whole.get((year, m), 0)) for m in range(1, months + 1))
    return [None if value is None else float(value) for value in found]


def _shares(
    codes: Iterable[str], extra: Mapping[str, tuple[str, str]]
) -> dict[str, tuple[str, str]]:
    """The shares among `codes` by their (numerator, denominator) figures, and `extra` ones."""
    found = dict(extra)
    for code in codes:
        ratio = BY_CODE[code].ratio if code in BY_CODE else None
        if ratio:
            found[code] = ratio
    return found


def by_month(
    span: RecordSlice,
    codes: Iterable[str],
    label_of: Callable[[str], str],
    unit_of: Callable[[str], str],
    extra_shares: Mapping[str, tuple[str, str]],
) -> dict[str, Series]:
    """Every counted figure of `codes` by month over the span (one query each), and the shares
    whose parts are among them (no query)."""
    codes = list(codes)
    year, month = span.end.year, span.end.month
    counts = {code: month_counts(code, span) for code in series_codes(codes)}
    found = {
        code: Series(
            code,
            label_of(code),
            unit_of(code),
            _months(by_month, year, month),
            _months(by_month, year - 1, 12),
        )
        for code, by_month in counts.items()
    }
    for code, (part, whole) in _shares(codes, extra_shares).items():
        if part in counts and whole in counts:
            found[code] = Series(
                code,
                label_of(code),
                "%",
                _share_months(counts[part], counts[whole], year, month),
                _share_months(counts[part], counts[whole], year - 1, 12),
            )
    return found
