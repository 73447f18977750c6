"""Small pieces every Excel import and export shares: a cell that cannot be read, an error with its
row and column, the instructions sheet, the workbook as bytes with every user text stored as text,
and the one way an uploaded workbook is opened and its rows streamed within limits.

Exports (formula injection, OWASP "CSV injection"): every `str` is written as a string cell, never
as a formula or an error value, and one that starts like a formula (`= + - @`, tab, CR, LF or the
full-width `＝ ＋ － ＠` an East Asian Excel also accepts) gets Excel's quote prefix, the stored
equivalent of typing a leading `'`: Excel shows the text exactly as written and keeps it text when
the cell is edited. The value itself is not changed, so a file exported and imported again reads
back the same text. Numbers and dates stay numbers and dates.

Imports (hostile files): `open_workbook` refuses before openpyxl reads anything a file that is not
an .xlsx (an old .xls, a password-protected file, a macro workbook), a zip whose members unpack to
more than `ANJIAN_IMPORT_MAX_UNCOMPRESSED_MB` or with an absurd compression ratio, XML with a
DOCTYPE (entity bombs), a worksheet with more than `ANJIAN_IMPORT_MAX_ROWS` data rows or a row with
more cells than Excel allows; `sheet_rows` then streams the first sheet and stops at the row past
the limit, counting the rows openpyxl yields (gaps in row numbers included), whatever the sheet's
declared dimension says."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet


class CellError(ValueError):
    """A cell that cannot be read; the message is shown with its row and column."""


class WorkbookRefused(CellError):
    """An uploaded workbook refused as a whole (too big, not an .xlsx, damaged); the message is
    shown as it is."""


class WorkbookUnreadable(WorkbookRefused):
    """A file that is not a readable .xlsx at all; an import may word this one its own way."""


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


# -- exports: user text stays text ---------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def looks_like_formula(value: object) -> bool:
    """True for text Excel (or a CSV reader) could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _clean(value: str) -> str:
    """Control characters an .xlsx cannot hold are dropped instead of failing the export."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", value))


def _guard(cell: Any) -> None:
    """Makes a cell holding a str a string cell, quote-prefixed when it looks like a formula."""
    value = cell.value
    if not isinstance(value, str):
        return
    cell.value = _clean(value) if ILLEGAL_CHARACTERS_RE.search(value) else value
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True


def safe_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A value for `append` on a write-only sheet: text that looks like a formula becomes a
    quote-prefixed string cell; anything else is returned as it is."""
    if not isinstance(value, str) or not (
        looks_like_formula(value) or value in ERROR_CODES or ILLEGAL_CHARACTERS_RE.search(value)
    ):
        return value
    cell = WriteOnlyCell(sheet, value=_clean(value))
    cell.data_type = "s"
    cell.quotePrefix = True  # a styled cell, so openpyxl does not reuse it for the next value
    return cell


def write_row(sheet: WriteOnlyWorksheet | Worksheet, values: Iterable[Any]) -> None:
    """Appends one row of user values, each written as what it is (text as text). On an ordinary
    sheet the cells are made text cells when the workbook is saved (`workbook_bytes`)."""
    if isinstance(sheet, WriteOnlyWorksheet):
        sheet.append([safe_cell(sheet, value) for value in values])
        return
    sheet.append([_clean(value) if isinstance(value, str) else value for value in values])


def guard_workbook(book: Workbook) -> None:
    """Every text cell of an ordinary (not write-only) workbook stored as text."""
    if book.write_only:
        return
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                _guard(cell)


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes; every export saves through here, so that no user text
    leaves as a formula."""
    guard_workbook(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- imports: hostile files ----------------------------------------------------------------------

EXCEL_MAX_COLUMNS = 16384
READ_COLUMNS = 100  # no import has more columns; cells further right are ignored
MAX_MEMBERS = 1000
MAX_RATIO = 200  # an .xlsx member packs ~5-50x; a huge ratio is a zip bomb
RATIO_FLOOR = 1024 * 1024  # the ratio is judged only for members unpacking to more than this
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_XLSX = "无法读取文件：请上传 Excel（.xlsx）文件"
MACROS = "文件含有宏（.xlsm），不予导入：请在 Excel 中另存为 .xlsx 后再导入。"
SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")


def max_rows() -> int:
    return int(settings.ANJIAN_IMPORT_MAX_ROWS)


def too_many_rows(limit: int) -> str:
    return f"文件超过 {limit} 行（上限），请拆分后分批导入。"


def _max_unpacked() -> int:
    return int(settings.ANJIAN_IMPORT_MAX_UNCOMPRESSED_MB) * 1024 * 1024


def _refuse_foreign(data: bytes) -> None:
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise WorkbookRefused("文件设置了打开密码，无法读取：请取消密码后另存为 .xlsx 再导入。")
        raise WorkbookRefused("这是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 后再导入。")
    raise WorkbookUnreadable(NOT_XLSX)


def _check_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS or "xl/workbook.xml" not in archive.NameToInfo:
        raise WorkbookUnreadable(NOT_XLSX)
    if any(member.flag_bits & 0x1 for member in members):
        raise WorkbookRefused("文件经过加密，无法读取：请取消密码后另存为 .xlsx 再导入。")
    if any(m.filename.lower().endswith("vbaproject.bin") for m in members):
        raise WorkbookRefused(MACROS)
    limit = _max_unpacked()
    if sum(member.file_size for member in members) > limit:
        raise WorkbookRefused(
            f"文件解压后超过 {limit // (1024 * 1024)} MB（上限），请拆分后分批导入。"
        )
    for member in members:
        packed = max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and member.file_size / packed > MAX_RATIO:
            raise WorkbookRefused("文件的压缩比异常（疑似压缩炸弹），不予导入。")
    return members


class _XmlScan:
    """One streaming expat pass over a part: no DOCTYPE anywhere; in a worksheet, at most
    `rows` rows and at most Excel's column count of cells in a row."""

    def __init__(self, *, sheet: bool, rows: int) -> None:
        self.rows, self.limit, self.cells = 0, rows, 0
        self.parser = expat.ParserCreate()
        self.parser.StartDoctypeDeclHandler = self._doctype
        if sheet:
            self.parser.StartElementHandler = self._start

    def _doctype(self, *_: Any) -> None:
        raise WorkbookRefused("文件含有 DOCTYPE 声明（Excel 不会写入），不予导入。")

    def _start(self, name: str, _: Any) -> None:
        tag = name.rpartition(":")[2]
        if tag == "row":
            self.rows, self.cells = self.rows + 1, 0
            if self.rows > self.limit:
                raise WorkbookRefused(too_many_rows(self.limit - 1))
        elif tag == "c":
            self.cells += 1
            if self.cells > EXCEL_MAX_COLUMNS:
                raise WorkbookRefused("文件中有一行超过 Excel 的最大列数，文件已损坏或被篡改。")

    def feed(self, stream: IO[bytes]) -> None:
        while chunk := stream.read(64 * 1024):
            self.parser.Parse(chunk, False)
        self.parser.Parse(b"", True)


def check_workbook_file(data: bytes) -> None:
    """Refuses, before any workbook parsing, a file that must not be opened (see the module
    docstring); raises WorkbookRefused with the message to show."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        _refuse_foreign(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = _check_members(archive)
            if b"macroEnabled" in archive.read("[Content_Types].xml"):
                raise WorkbookRefused(MACROS)
            for member in members:
                if not member.filename.endswith((".xml", ".rels")):
                    continue
                scan = _XmlScan(sheet=bool(SHEET_PART.match(member.filename)), rows=max_rows() + 1)
                with archive.open(member) as stream:
                    scan.feed(stream)
    except WorkbookRefused:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, expat.ExpatError, ValueError) as exc:
        raise WorkbookUnreadable(NOT_XLSX) from exc


def open_workbook(data: bytes) -> Workbook:
    """An uploaded .xlsx checked by `check_workbook_file`, opened read-only with cached values
    (formulas are never evaluated). Close it after use."""
    check_workbook_file(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key, value) for a bad file
        raise WorkbookUnreadable(NOT_XLSX) from exc


def sheet_rows(
    book: Workbook, *, header_rows: int = 1, limit: int | None = None
) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows as value tuples (at most READ_COLUMNS wide), streamed. Raises
    WorkbookRefused at the first row past `header_rows` + the row limit, before yielding it."""
    limit = max_rows() if limit is None else limit
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # a declared dimension may lie: read the rows that are there
        for count, values in enumerate(
            sheet.iter_rows(max_col=READ_COLUMNS, values_only=True), start=1
        ):
            if count > limit + header_rows:
                raise WorkbookRefused(too_many_rows(limit))
            yield values
    except WorkbookRefused:
        raise
    except Exception as exc:  # no worksheet, or damaged XML deep inside the sheet
        raise WorkbookUnreadable(NOT_XLSX) from exc


def read_upload(data: bytes, *, header_rows: int = 1) -> Iterator[tuple[Any, ...]]:
    """`open_workbook` and `sheet_rows` in one: the first sheet's rows, the file closed at the
    end (or when the caller stops early)."""
    book = open_workbook(data)
    try:
        yield from sheet_rows(book, header_rows=header_rows)
    finally:
        book.close()


# -- an import's errors, downloadable ------------------------------------------------------------

ERRORS_COLUMN = "错误原因"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _trimmed(values: tuple[Any, ...]) -> list[Any]:
    cells = list(values)
    while cells and (cells[-1] is None or cells[-1] == ""):
        cells.pop()
    return cells


def _reasons(errors: Iterable[SheetError]) -> dict[int | None, list[str]]:
    by_row: dict[int | None, list[str]] = {}
    for error in errors:
        text = f"{error.column}：{error.message}" if error.column else error.message
        by_row.setdefault(error.row or None, []).append(text)
    return by_row


def errors_workbook(data: bytes, errors: Iterable[SheetError], *, header_rows: int = 1) -> bytes:
    """An import's upload sent back with its errors: the first sheet's rows as uploaded (values,
    text kept as text) and an 错误原因 column after the widest header, filled on each row that
    has errors; a second sheet lists every error, file-level ones included. The importers read
    columns by header, so the file can be corrected and uploaded again as it is."""
    by_row = _reasons(errors)
    rows = [_trimmed(values) for values in read_upload(data, header_rows=header_rows)]
    width = max((len(row) for row in rows[:header_rows]), default=0)
    width = max([width] + [len(row) for row in rows[header_rows:]])
    book = Workbook(write_only=True)
    sheet = book.create_sheet("导入数据及错误")
    for number, row in enumerate(rows, start=1):
        padded = row + [None] * (width - len(row))
        if number == 1:
            extra = ERRORS_COLUMN
        else:
            extra = "；".join(by_row.get(number, [])) if number > header_rows else None
        write_row(sheet, [*padded, extra])
    listing = book.create_sheet("错误清单")
    listing.append(["行号", "错误"])
    for number in sorted(by_row, key=lambda row: -1 if row is None else row):
        for reason in by_row[number]:
            write_row(listing, [number if number is not None else "文件", reason])
    return workbook_bytes(book)
