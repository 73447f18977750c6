"""The inspection item list as Excel: export of a version, the import template, and reading a
bureau's sheet into checked rows (nothing is written here)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from anjian.domain.registry import SECTORS
from anjian.policy.item_changes import FIELD_LABELS, field_text
from anjian.policy_data.items import (
    LEVELS,
    METHODS,
    ItemRow,
    RowError,
    header_field,
    parse_item_rows,
)
from anjian.ui.sheets import WorkbookRefused, read_upload, workbook_bytes, write_row

HEADERS = [*FIELD_LABELS.values(), "最近变更日期"]
WIDTHS = [14, 40, 34, 22, 12, 14, 28, 22, 36, 14]
MAX_BYTES = 10 * 1024 * 1024


def _sheet_setup(sheet: Any, title: str) -> None:
    sheet.title = title[:31]
    for column, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def items_workbook(items: Iterable[Any], *, title: str) -> bytes:
    """A printable sheet of a list's items with Chinese headers and labels."""
    book = Workbook()
    sheet = book.active
    _sheet_setup(sheet, "检查事项清单")
    for item in items:
        values = [field_text(item, field) for field in FIELD_LABELS]
        changed = getattr(item, "changed_on", None)
        write_row(sheet, [*values, changed.isoformat() if changed else ""])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.oddHeader.center.text = title
    return workbook_bytes(book)


def item_template() -> bytes:
    """The import template: the headers, one example row and the allowed values."""
    book = Workbook()
    sheet = book.active
    _sheet_setup(sheet, "检查事项清单")
    sheet.append(
        [
            "WS-HC-001",
            "重大危险源安全管理情况检查",
            "《中华人民共和国安全生产法》",
            "第四十条",
            "县级",
            "危化股",
            "危险化学品",
            "现场检查、非现场检查",
            "随执法检查一并检查",
            "",
        ]
    )
    notes = book.create_sheet("填写说明")
    notes.column_dimensions["A"].width, notes.column_dimensions["B"].width = 16, 90
    for row in (
        ("列", "说明"),
        ("事项编码", "必填；大写字母、数字和连字符，2–30 位，在清单中唯一"),
        ("事项名称", "必填；不超过 120 字"),
        ("法律依据", "必填；法律法规规章名称，如《中华人民共和国安全生产法》"),
        ("条款", "如 第四十条；整部法规时可空"),
        ("实施层级", "必填；" + "、".join(LEVELS.values()) + "，多个用顿号分隔"),
        ("实施股室", "必填；如 危化股、综合行政执法队"),
        ("检查对象", "必填；" + "、".join(SECTORS.values()) + "，或“全部”"),
        ("检查方式", "必填；" + "、".join(METHODS.values()) + "，至少一种"),
        ("频次说明", "可空"),
        ("最近变更日期", "导入时忽略：发布时由系统按内容是否变化填写"),
    ):
        notes.append(row)
    return workbook_bytes(book)


def read_item_workbook(data: bytes) -> tuple[list[ItemRow], list[RowError], str | None]:
    """Rows of the first sheet, checked; or a file-level error for an unreadable file."""
    if len(data) > MAX_BYTES:
        return [], [], "文件超过 10 MB"
    rows = read_upload(data)
    try:
        first = next(rows, None)
        if first is None:
            return [], [], "工作表是空的"
        headers = [str(h).strip() if h is not None else "" for h in first]
        found = {header_field(h) for h in headers}
        missing = [FIELD_LABELS[f] for f in ("code", "name", "law") if f not in found]
        if missing:
            return [], [], f"缺少列：{'、'.join(missing)}（请使用模板）"
        records = [dict(zip(headers, row, strict=False)) for row in rows]
    except WorkbookRefused as refused:
        return [], [], str(refused)
    finally:
        rows.close()
    parsed, errors = parse_item_rows(records, first_row=2)
    if not parsed and not errors:
        return [], [], "文件中没有任何事项"
    return parsed, errors, None
