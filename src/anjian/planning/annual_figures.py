"""The annual plan page's figures, counted in the database over the lines the user may read.

A province plan has tens of thousands of lines; the page shows one page of them, and these
figures (lines, key enterprises, enterprises with a planned month, planned inspections and how
they fall over the months) come from two aggregate queries, not from the lines loaded into
Python. The months of a line are a JSON list; expanding it is the one vendor-specific step
(`jsonb_array_elements_text` on PostgreSQL, `json_each` on SQLite)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet

from anjian.planning.models import AnnualPlanLine

_EXPAND = {
    "postgresql": "jsonb_array_elements_text(line.months) AS m(value)",
    "sqlite": "json_each(line.months) AS m",
}


@dataclass(frozen=True)
class AnnualFigures:
    enterprises: int
    key: int
    planned: int  # lines with at least one planned month
    per_month: dict[int, int]  # month -> planned inspections

    @property
    def total(self) -> int:
        return sum(self.per_month.values())

    @property
    def peak(self) -> int:
        return max(self.per_month.values(), default=0) or 1


def annual_figures(lines: QuerySet[AnnualPlanLine]) -> AnnualFigures:
    counts = lines.order_by().aggregate(
        enterprises=Count("pk"),
        key=Count("pk", filter=Q(key=True)),
        planned=Count("pk", filter=~Q(months=[])),
    )
    return AnnualFigures(
        enterprises=counts["enterprises"],
        key=counts["key"],
        planned=counts["planned"],
        per_month=_per_month(lines),
    )


def _per_month(lines: QuerySet[AnnualPlanLine]) -> dict[int, int]:
    expand = _EXPAND.get(connection.vendor)
    if expand is None:  # another database: count in Python over the months alone
        found: dict[int, int] = {}
        for months in lines.order_by().values_list("months", flat=True).iterator():
            for month in months:
                found[int(month)] = found.get(int(month), 0) + 1
        return found
    inner, params = lines.order_by().values("pk").query.sql_with_params()
    table = AnnualPlanLine._meta.db_table
    sql = (
        f"SELECT m.value, COUNT(*) FROM {table} AS line, {expand} "
        f"WHERE line.id IN ({inner}) GROUP BY m.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {int(value): count for value, count in cursor.fetchall()}
