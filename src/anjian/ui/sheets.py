"""Small pieces every Excel import and export shares: a cell that cannot be read, an error with its
row and column, the instructions sheet, and the workbook as bytes."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook


class CellError(ValueError):
    """A cell that cannot be read; the message is shown with its row and column."""


@dataclass(frozen=True)
class SheetError:
    row: int | None  # None: the file or its header
    column: str
    message: str


def instructions_sheet(
    book: Workbook, rows: Iterable[tuple[str, str]], widths: tuple[int, int] = (26, 100)
) -> None:
    """A 填写说明 sheet: what goes in each column and how the file is checked."""
    notes = book.create_sheet("填写说明")
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = widths
    for row in rows:
        notes.append(list(row))


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
