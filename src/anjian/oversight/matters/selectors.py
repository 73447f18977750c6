"""Reads of the register: the list's filters (the clock colour in the database), the clocks of a
page of rows, and the statistics per section and month (one grouped query)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncMonth
from openpyxl import Workbook

from anjian.domain.oversight import matters as rules
from anjian.oversight.matters.collect import clock_of
from anjian.oversight.matters.services import accept_days, answer_days
from anjian.oversight.models import Matter
from anjian.policy.workdays import deadline_after, workday_lookup
from anjian.ui.sheets import workbook_bytes, write_row

FILTERS = ("kind", "source", "status")
CLOSED = Q(status=rules.CLOSED)
FINISHED_ON = Coalesce("replied_on", "closed_on")


def _stage_filter(status: str, due: str, today: date, total: int, colour: str) -> Q:
    """Running matters of one stage whose clock has `colour` today (the configured total)."""
    limit = deadline_after(today, rules.amber_threshold(total) + 1)
    base = Q(status=status)
    if colour == rules.RED:
        return base & Q(**{f"{due}__lt": today})
    if colour == rules.AMBER:
        return base & Q(**{f"{due}__gte": today, f"{due}__lt": limit})
    return base & Q(**{f"{due}__gte": limit})


def clock_filter(rows: QuerySet[Matter], colour: str, today: date) -> QuerySet[Matter]:
    """Rows whose clock shows `colour`: running clocks by their due day against today, stopped
    ones by whether they were answered (or closed) in time. The amber band uses the configured
    totals (a matter registered under other settings may differ by a day)."""
    if colour not in (rules.GREEN, rules.AMBER, rules.RED):
        return rows
    condition = _stage_filter(rules.RECEIVED, "accept_due", today, accept_days(), colour)
    condition |= _stage_filter(rules.ACCEPTED, "answer_due", today, answer_days(), colour)
    done = Q(status__in=[rules.ANSWERED, rules.CLOSED])
    if colour == rules.RED:
        condition |= done & Q(finished__gt=F("answer_due"))
    elif colour == rules.GREEN:
        condition |= done & Q(finished__lte=F("answer_due"))
    return rows.annotate(finished=FINISHED_ON).filter(condition)


def filtered(rows: QuerySet[Matter], params: Any, today: date) -> QuerySet[Matter]:
    for name in FILTERS:
        value = params.get(name, "")
        if value:
            rows = rows.filter(**{name: value})
    section = params.get("section", "")
    if section == "none":
        rows = rows.filter(section__isnull=True)
    elif section.isdigit() and len(section) < 10:
        rows = rows.filter(section_id=int(section))
    return clock_filter(rows, params.get("clock", ""), today)


def page_clocks(rows: list[Matter], today: date) -> dict[int, rules.Clock]:
    """The clock of every row of a page, over one calendar lookup."""
    if not rows:
        return {}
    first = min(m.received_on for m in rows)
    last = max([today, *(m.answer_due for m in rows), *(m.accept_due for m in rows)])
    is_workday = workday_lookup(first, last)
    return {m.pk: clock_of(m, today, is_workday) for m in rows}


@dataclass(frozen=True)
class StatRow:
    month: date
    section: str
    received: int
    closed: int
    on_time: int
    average_days: float | None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.closed, 1) if self.closed else None


def stats(rows: QuerySet[Matter]) -> list[StatRow]:
    """Per month received and section (or the discipline group): received, closed, closed on
    time (answered, or closed, by the answer limit) and the average calendar days from receipt
    to closing. One grouped query."""
    days = ExpressionWrapper(F("closed_on") - F("received_on"), output_field=DurationField())
    grouped = (
        rows.annotate(month=TruncMonth("received_on"), finished=FINISHED_ON)
        .values("month", "route", "section__name")
        .annotate(
            received=Count("pk"),
            closed=Count("pk", filter=CLOSED),
            on_time=Count("pk", filter=CLOSED & Q(finished__lte=F("answer_due"))),
            average=Avg(days, filter=CLOSED),
        )
        .order_by("-month", "route", "section__name")
    )
    return [_stat_row(row) for row in grouped]


def _stat_row(row: dict[str, Any]) -> StatRow:
    average = row["average"]
    if average is not None and hasattr(average, "total_seconds"):
        average = average.total_seconds() / 86400
    if row["route"] == Matter.Route.DISCIPLINE:
        section = str(dict(Matter.Route.choices)[Matter.Route.DISCIPLINE])
    else:
        section = row["section__name"] or "未指定股室（办公室、法制办办理）"
    return StatRow(
        month=row["month"],
        section=section,
        received=row["received"],
        closed=row["closed"],
        on_time=row["on_time"],
        average_days=None if average is None else round(float(average), 1),
    )


STAT_HEADERS = ["月份", "责任股室", "收到件数", "办结件数", "按期办结件数", "按期办结率（%）"]


def stats_xlsx(rows: list[StatRow]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("举报事项办理统计")
    write_row(sheet, [*STAT_HEADERS, "平均办结天数"])
    for row in rows:
        write_row(
            sheet,
            [
                f"{row.month:%Y-%m}",
                row.section,
                row.received,
                row.closed,
                row.on_time,
                row.on_time_rate,
                row.average_days,
            ],
        )
    return workbook_bytes(book)
