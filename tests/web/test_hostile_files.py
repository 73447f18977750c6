"""Hostile spreadsheets (issue 16, defects 3 and 4): user text leaves every export as text, never
as a live formula; an upload past the row or unpacked-size limit, a zip bomb, an .xls, a
password-protected or macro file and XML with a DOCTYPE are refused with a clear message before
anything is parsed or written."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from anjian.audit.models import AuditEntry
from anjian.domain.exam.questions import Question
from anjian.enforcement.benchmark_export import benchmark_workbook
from anjian.enforcement.spreadsheets import read_benchmark_workbook
from anjian.policy.item_changes import FIELD_LABELS
from anjian.policy.item_excel import items_workbook, read_item_workbook
from anjian.policy.ledger import ledger_workbook
from anjian.registry.models import Enterprise, Officer
from anjian.registry.spreadsheets import (
    ENTERPRISE_COLUMNS,
    CellError,
    export_workbook,
    read_rows,
)
from anjian.training.spreadsheets import question_workbook, read_question_workbook
from anjian.training.views.institution_portal import sheet_rows as trainee_rows
from anjian.ui import sheets
from anjian.ui.sheets import WorkbookRefused, read_upload, workbook_bytes
from tests.conftest import make_uscc
from tests.web.test_registry import enterprise_row

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://x","y")'
SUM = "+1+2"
HOSTILE = (LINK, SUM, "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1", "#N/A")


def _cells(content: bytes) -> dict[Any, Any]:
    """Every non-empty cell of every sheet, by value, as openpyxl reads it back."""
    book = load_workbook(io.BytesIO(content))
    return {
        cell.value: cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def _assert_text(content: bytes, *texts: str) -> None:
    cells = _cells(content)
    for text in texts:
        assert text in cells, f"{text!r} is not in the export unchanged"
        assert cells[text].data_type == "s", f"{text!r} left as {cells[text].data_type}"
    for text in texts:
        if text.startswith(sheets.FORMULA_STARTS):
            assert cells[text].quotePrefix, f"{text!r} has no quote prefix"
    assert not [c for c in cells.values() if c.data_type == "f"], "a formula was written"


# ---- defect 3: exports write user text as text -------------------------------------------


def test_an_imported_formula_name_exports_as_text(world, login) -> None:  # type: ignore[no-untyped-def]
    """The reported case: imported as a name and an address, exported through the list."""
    client = login(world.users["office"])
    row = enterprise_row(LINK, make_uscc(901))
    row[2] = SUM  # 地址
    # written as text, as Excel stores a cell typed '=HYPERLINK(...)
    upload = _upload(export_workbook("企业", [c.header for c in ENTERPRISE_COLUMNS], [row]))
    checked = client.post("/registry/enterprises/import/", {"file": upload})
    assert not checked.context["check"].bad_rows, checked.context["check"].bad_rows
    token = checked.context["token"]
    client.post("/registry/enterprises/import/", {"confirm": "1", "token": token})
    assert Enterprise.objects.get(uscc=make_uscc(901)).address == SUM

    response = client.get("/registry/enterprises/?export=xlsx")
    assert response.status_code == 200
    _assert_text(response.content, LINK, SUM)
    # the export imports back with the same text (the value is stored, not a leading ')
    again = read_rows(response.content, [c for c in ENTERPRISE_COLUMNS if c.header == "企业名称"])
    assert LINK in [r["企业名称"] for r in again]


def test_officer_export_writes_names_as_text(world, login) -> None:  # type: ignore[no-untyped-def]
    Officer.objects.filter(pk=world.officers[next(iter(world.officers))].pk).update(name=LINK)
    response = login(world.users["office"]).get("/registry/officers/?export=xlsx")
    _assert_text(response.content, LINK)


def _benchmark() -> bytes:
    entry = {"number": "1", "violation": LINK, "law": SUM, "article": "97", "source": "-1"}
    tier = {"code": "A", "condition": "@SUM(A1)", "note": "\t=1", "unit": [0, 10000]}
    return benchmark_workbook({"name": "＝1+1", "entry": [{**entry, "tier": [tier]}]})


def _questions() -> bytes:
    question = Question(
        code="X-1",
        sector="general",
        job="all",
        topic="emergency",
        kind="single",
        stem=LINK,
        options=(SUM, "-2+3", "@SUM(A1)", "甲"),
        answer="A",
        explanation="\r=1",
        source="＝1+1",
    )
    return question_workbook([question])


def _items() -> bytes:
    values: dict[str, Any] = dict.fromkeys(FIELD_LABELS, "")
    values.update(code="-1", name=LINK, law=SUM, body_levels=(), sectors=(), methods=("@SUM(A1)",))
    return items_workbook([SimpleNamespace(**values, changed_on=None)], title="清单")


def _ledger() -> bytes:
    row = SimpleNamespace(
        date=date(2026, 11, 2),
        enterprise=SimpleNamespace(name=LINK, uscc="-1"),
        get_activity_display=lambda: "检查",
        reason=SUM,
        decided_by=None,
        decided_at=None,
        is_backfill=False,
        get_timing_display=lambda: "事前审批",
    )
    with (
        patch("anjian.policy.ledger.notice_numbers", lambda _rows: {}),
        patch("anjian.policy.ledger.notice_number", lambda _row, _registered: "@SUM(A1)"),
    ):
        return ledger_workbook("＝1+1", 2026, [], [row])


def _plain_list() -> bytes:  # the planning month export and the annual plan annex
    return export_workbook("计划", ["企业", "日期", "数"], [[LINK, date(2026, 12, 1), 3], [SUM]])


def _any_workbook() -> bytes:  # exam results, diagnostics: ordinary workbooks saved here
    book = Workbook()
    book.active.append([LINK, SUM, 5])
    return workbook_bytes(book)


@pytest.mark.parametrize(
    ("build", "texts"),
    [
        (_benchmark, (LINK, SUM, "-1", "@SUM(A1)", "\t=1", "＝1+1")),
        (_questions, (LINK, SUM, "-2+3", "@SUM(A1)", "\r=1", "＝1+1")),
        (_items, (LINK, SUM, "-1", "@SUM(A1)")),
        (_ledger, (LINK, SUM, "-1", "@SUM(A1)")),
        (_plain_list, (LINK, SUM)),
        (_any_workbook, (LINK, SUM)),
    ],
    ids=["benchmark", "questions", "items", "ledger", "list", "workbook"],
)
def test_every_export_writes_user_text_as_text(build: Callable[[], bytes], texts) -> None:  # type: ignore[no-untyped-def]
    _assert_text(build(), *texts)


def test_numbers_dates_and_plain_text_keep_their_kind() -> None:
    content = export_workbook(
        "x", ["h"], [["文水县", 12, 1.5, date(2026, 12, 1), "#N/A", "a\x01b"]]
    )
    row = next(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2))
    assert [c.data_type for c in row] == ["s", "n", "n", "d", "s", "s"]
    assert [c.quotePrefix for c in row] == [False, False, False, False, True, True]
    assert row[5].value == "ab"  # a control character an .xlsx cannot hold is dropped, no 500


# ---- defect 4: hostile uploads ---------------------------------------------------------------

HEADER = [c.header for c in ENTERPRISE_COLUMNS]


def _rows_file(rows: int) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    for n in range(rows):
        book.active.append([f"企业{n}", make_uscc(700 + n)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip(parts: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _with_sheet(sheet_xml: bytes, **extra: bytes) -> bytes:
    """A real small workbook whose first sheet's XML is replaced."""
    with zipfile.ZipFile(io.BytesIO(_rows_file(1))) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    return _zip({**parts, "xl/worksheets/sheet1.xml": sheet_xml, **extra})


SHEET_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _upload(content: bytes) -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = "import.xlsx"
    return upload


def _state() -> tuple[int, int]:
    return Enterprise.objects.count(), AuditEntry.objects.count()


@override_settings(ANJIAN_IMPORT_MAX_ROWS=5)
def test_one_row_past_the_limit_is_refused_and_nothing_is_written(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    before = _state()
    response = client.post("/registry/enterprises/import/", {"file": _upload(_rows_file(6))})
    assert response.status_code == 200
    assert "文件超过 5 行（上限），请拆分后分批导入。" in response.content.decode()
    assert "token" not in response.context
    assert _state() == before


@override_settings(ANJIAN_IMPORT_MAX_ROWS=5)
def test_a_file_at_the_limit_is_read() -> None:
    assert len(read_rows(_rows_file(5), ENTERPRISE_COLUMNS)) == 5


def _read_enterprises(data: bytes) -> str | None:
    try:
        read_rows(data, ENTERPRISE_COLUMNS)
    except CellError as refused:
        return str(refused)
    return None


def _read_trainees(data: bytes) -> str | None:
    try:
        trainee_rows(data)
    except ValidationError as refused:
        return " ".join(refused.messages)
    return None


READERS: dict[str, Callable[[bytes], str | None]] = {
    # enterprises, officers, personnel and planned visits all read through read_rows
    "registry": _read_enterprises,
    "questions": lambda data: read_question_workbook(data).file_error,
    "benchmarks": lambda data: read_benchmark_workbook(data).file_error,
    "items": lambda data: read_item_workbook(data)[2],
    "trainees": _read_trainees,
}


@override_settings(ANJIAN_IMPORT_MAX_ROWS=5)
@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_every_import_refuses_rows_past_the_limit(reader) -> None:  # type: ignore[no-untyped-def]
    assert reader(_rows_file(6)) == "文件超过 5 行（上限），请拆分后分批导入。"
    assert "超过" not in (reader(_rows_file(5)) or "")


@override_settings(ANJIAN_IMPORT_MAX_ROWS=5)
def test_a_lying_dimension_and_row_number_gaps_do_not_escape_the_limit() -> None:
    """Three row elements, a dimension claiming two rows, the last row numbered 500: openpyxl
    would yield 500 rows; the count stops at the sixth."""
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
        for n in (1, 2, 500)
    )
    data = _with_sheet(
        SHEET_OPEN + b'<dimension ref="A1:A2"/><sheetData>' + rows + b"</sheetData></worksheet>"
    )
    seen: list[Any] = []
    with pytest.raises(WorkbookRefused, match="文件超过 5 行"):
        for values in read_upload(data):
            seen.append(values)
    assert len(seen) == 6


@pytest.fixture
def no_parsing(monkeypatch):  # type: ignore[no-untyped-def]
    """Proves a refusal came before openpyxl opened the workbook."""

    def forbidden(*_: Any, **__: Any) -> None:
        raise AssertionError("openpyxl was asked to parse a file that should have been refused")

    monkeypatch.setattr(sheets, "load_workbook", forbidden)


@override_settings(ANJIAN_IMPORT_MAX_UNCOMPRESSED_MB=5)
def test_a_zip_bomb_is_refused_before_parsing(no_parsing) -> None:  # type: ignore[no-untyped-def]
    padding = b" " * (6 * 1024 * 1024)  # 6 MB of blanks pack to a few KB
    data = _with_sheet(SHEET_OPEN + b"<sheetData>" + padding + b"</sheetData></worksheet>")
    assert len(data) < 64 * 1024
    for reader in READERS.values():
        assert reader(data) == "文件解压后超过 5 MB（上限），请拆分后分批导入。"


def test_an_absurd_compression_ratio_is_refused_before_parsing(no_parsing) -> None:  # type: ignore[no-untyped-def]
    padding = b" " * (3 * 1024 * 1024)  # under the 50 MB limit, but ~1000:1
    data = _with_sheet(SHEET_OPEN + b"<sheetData>" + padding + b"</sheetData></worksheet>")
    assert _read_enterprises(data) == "文件的压缩比异常（疑似压缩炸弹），不予导入。"


@override_settings(ANJIAN_IMPORT_MAX_ROWS=5)
def test_rows_past_the_limit_are_counted_before_parsing(no_parsing) -> None:  # type: ignore[no-untyped-def]
    assert _read_enterprises(_rows_file(6)) == "文件超过 5 行（上限），请拆分后分批导入。"


ENTITY_BOMB = (
    SHEET_OPEN.replace(
        b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><worksheet'
    )
    + b"<sheetData/></worksheet>"
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (OLE, "这是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 后再导入。"),
        (
            OLE + "EncryptedPackage".encode("utf-16-le"),
            "文件设置了打开密码，无法读取：请取消密码后另存为 .xlsx 再导入。",
        ),
        (
            _with_sheet(SHEET_OPEN + b"<sheetData/></worksheet>", **{"xl/vbaProject.bin": b"x"}),
            "文件含有宏（.xlsm），不予导入：请在 Excel 中另存为 .xlsx 后再导入。",
        ),
        (_with_sheet(ENTITY_BOMB), "文件含有 DOCTYPE 声明（Excel 不会写入），不予导入。"),
        (_zip({"a.txt": b"hello"}), "无法读取文件：请上传 Excel（.xlsx）文件"),
        (_with_sheet(SHEET_OPEN + b"<sheetData><row>"), "无法读取文件：请上传 Excel（.xlsx）文件"),
        (b"PK\x03\x04 not really a zip", "无法读取文件：请上传 Excel（.xlsx）文件"),
    ],
    ids=["xls", "encrypted", "macro", "doctype", "foreign-zip", "broken-xml", "broken-zip"],
)
def test_files_that_are_not_plain_xlsx_are_refused_with_a_message(
    content: bytes,
    message: str,
    no_parsing,  # type: ignore[no-untyped-def]
) -> None:
    assert READERS["questions"](content) == message


def test_an_encrypted_zip_member_is_refused(no_parsing) -> None:  # type: ignore[no-untyped-def]
    data = bytearray(_rows_file(1))
    # set the "encrypted" flag bit on every member of the central directory
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + 8] |= 0x1
        at = data.find(b"PK\x01\x02", at + 4)
    assert (
        READERS["benchmarks"](bytes(data))
        == "文件经过加密，无法读取：请取消密码后另存为 .xlsx 再导入。"
    )


def test_the_registry_keeps_its_own_word_for_an_unreadable_file(world, login) -> None:  # type: ignore[no-untyped-def]
    response = login(world.users["office"]).post(
        "/registry/enterprises/import/", {"file": _upload(OLE)}
    )
    assert "这是旧版 Excel（.xls）文件" in response.content.decode()
    assert _read_enterprises(_zip({"a.txt": b"x"})) == "无法读取该文件：请上传由模板填写的.xlsx文件"
