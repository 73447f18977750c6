"""Every ledger list (台账) as an Excel file and as a print view, one mechanism for all.

A list view hands its filtered rows and its columns to `ledger_output`; for `?format=xlsx` the
rows leave as a workbook (user text stored as text, `ui.sheets`), for `?format=print` as a plain
page of all the filtered rows with a 打印 button; otherwise the view goes on and renders its page,
which includes `core/ledger_tools.html` for the two buttons. Both are bounded: at most
LEDGER_CAP rows, with a line saying the list was cut and asking for a narrower filter. The rows
are read in chunks (`iterator`), the columns decide which related records to select."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook

from anjian.ui.pages import attachment
from anjian.ui.sheets import XLSX, workbook_bytes, write_row

LEDGER_CAP = 5000
FORMATS = ("xlsx", "print")


@dataclass(frozen=True)
class LedgerColumn:
    header: str | Promise
    value: Callable[[Any], Any]  # the row's cell: text, number, date or None


def _cell(value: Any) -> Any:
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, (str, int, float, Decimal, date)):
        return value
    return str(value)


def _rows(rows: Iterable[Any], columns: Sequence[LedgerColumn]) -> tuple[list[list[Any]], bool]:
    source = rows.iterator(chunk_size=500) if isinstance(rows, QuerySet) else iter(rows)
    taken = [[_cell(c.value(row)) for c in columns] for row in islice(source, LEDGER_CAP + 1)]
    return taken[:LEDGER_CAP], len(taken) > LEDGER_CAP


def cut_note() -> str:
    return _("仅列出前%(cap)s行：请缩小筛选范围后再导出或打印。") % {"cap": LEDGER_CAP}


def ledger_xlsx(
    title: str, columns: Sequence[LedgerColumn], rows: list[list[Any]], cut: bool
) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append([str(column.header) for column in columns])
    for row in rows:
        write_row(sheet, row)
    if cut:
        write_row(sheet, [cut_note()])
    return workbook_bytes(book)


def _filters(request: HttpRequest) -> list[tuple[str, str]]:
    return [
        (key, ", ".join(values))
        for key, values in request.GET.lists()
        if key not in ("format", "page") and any(values)
    ]


def ledger_output(
    request: HttpRequest,
    rows: Iterable[Any],
    columns: Sequence[LedgerColumn],
    *,
    title: str | Promise,
) -> HttpResponse | None:
    """The list as Excel (`?format=xlsx`) or as a print page (`?format=print`); None when the
    request asks for neither, so the view renders its ordinary page."""
    kind = request.GET.get("format")
    if kind not in FORMATS:
        return None
    name = str(title)
    taken, cut = _rows(rows, columns)
    if kind == "xlsx":
        stamp = timezone.localdate().strftime("%Y%m%d")
        return attachment(ledger_xlsx(name, columns, taken, cut), f"{name}-{stamp}.xlsx", XLSX)
    context = {
        "title": name,
        "headers": [str(column.header) for column in columns],
        "rows": taken,
        "cut": cut_note() if cut else "",
        "filters": _filters(request),
        "printed": timezone.localtime(),
    }
    return render(request, "core/ledger_print.html", context)
