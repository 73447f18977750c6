"""Excel templates, import parsing and export, for enterprises and officers.

A column spec names the header users see, the field it fills and how a cell becomes a value.
Parsing never writes: it returns every row with its errors, and the commit step writes all
rows or none (`services_import.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from anjian.domain import registry as vocab

# CellError: a cell that cannot be read or a refused file (WorkbookRefused); shown to the user
from anjian.ui.sheets import CellError, WorkbookUnreadable, read_upload, workbook_bytes, write_row

Parser = Callable[[Any, "Lookups"], Any]
ROW_NUMBER = "\x00row"  # the sheet row a raw row came from (blank rows are skipped)


@dataclass
class Lookups:
    """Names users type, resolved to records within their scope."""

    bodies: dict[str, Any] = field(default_factory=dict)
    sections: dict[tuple[int, str], Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Parser
    required: bool = False
    choices: tuple[str, ...] = ()
    note: str = ""


@dataclass
class ParsedRow:
    number: int
    raw: dict[str, Any]
    values: dict[str, Any]
    errors: list[tuple[str, str]]  # (column header, reason)


def _text(value: Any, _: Lookups) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _choice(mapping: dict[Any, str], what: str) -> Parser:
    by_label = {label: key for key, label in mapping.items()}
    by_key = {str(key): key for key in mapping}

    def parse(value: Any, lookups: Lookups) -> Any:
        text = _text(value, lookups)
        if not text:
            return None
        if text in by_label:
            return by_label[text]
        if text in by_key:
            return by_key[text]
        raise CellError(f"未知的{what}“{text}”，可选：{'、'.join(mapping.values())}")

    return parse


def _grade(value: Any, lookups: Lookups) -> int | None:
    text = _text(value, lookups)
    if text in ("", "未定级", "无"):
        return None
    for key, label in vocab.STANDARDIZATION_GRADES.items():
        if text in (str(key), label, f"标准化{label}"):
            return key
    raise CellError(f"未知的标准化等级“{text}”，应为一级、二级、三级或未定级")


def _letter_class(mapping: dict[str, str], what: str) -> Parser:
    def parse(value: Any, lookups: Lookups) -> str:
        text = _text(value, lookups).upper().removesuffix("类").removesuffix("级")
        if not text:
            return ""
        if text in mapping:
            return text
        raise CellError(f"未知的{what}“{text}”，应为A、B、C或D")

    return parse


def _count(value: Any, lookups: Lookups) -> int | None:
    text = _text(value, lookups)
    if not text:
        return None
    try:
        number = int(text)
    except ValueError as exc:
        raise CellError(f"“{text}”不是整数") from exc
    if number < 0:
        raise CellError("不能为负数")
    return number


def _yes_no(value: Any, lookups: Lookups) -> bool:
    text = _text(value, lookups)
    if text in ("", "否", "0", "N", "n", "False", "FALSE"):
        return False
    if text in ("是", "1", "Y", "y", "True", "TRUE"):
        return True
    raise CellError(f"应填“是”或“否”，实为“{text}”")


def _date(value: Any, lookups: Lookups) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value, lookups)
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(f"日期“{text}”无法识别，请写成2026-12-31")


def _body(value: Any, lookups: Lookups) -> Any:
    text = _text(value, lookups)
    if not text:
        return None
    body = lookups.bodies.get(text)
    if body is None:
        raise CellError(f"执法主体“{text}”不存在或不在您的管辖范围内")
    return body


def _section_name(value: Any, lookups: Lookups) -> str:
    return _text(value, lookups)


ENTERPRISE_COLUMNS: tuple[Column, ...] = (
    Column("企业名称", "name", _text, required=True),
    Column("统一社会信用代码", "uscc", _text, required=True, note="18位，含校验码"),
    Column("地址", "address", _text),
    Column("乡镇", "town", _text),
    Column(
        "行业领域",
        "sector",
        _choice(vocab.SECTORS, "行业领域"),
        required=True,
        choices=tuple(vocab.SECTORS.values()),
    ),
    Column(
        "标准化等级",
        "standardization_grade",
        _grade,
        choices=("一级", "二级", "三级", "未定级"),
        note="煤矿、非煤矿山不填",
    ),
    Column(
        "煤矿分类",
        "coal_mine_class",
        _letter_class(vocab.COAL_MINE_CLASSES, "煤矿分类"),
        choices=("A", "B", "C", "D"),
        note="仅煤矿填写",
    ),
    Column(
        "非煤矿山风险等级",
        "non_coal_risk_class",
        _letter_class(vocab.NON_COAL_RISK_CLASSES, "非煤矿山风险等级"),
        choices=("A", "B", "C", "D"),
        note="仅非煤矿山填写",
    ),
    Column("从业人员数", "employees", _count),
    Column(
        "企业规模", "scale", _choice(vocab.SCALES, "企业规模"), choices=tuple(vocab.SCALES.values())
    ),
    Column("监管执法主体", "supervising_body", _body, required=True, note="填执法主体全称"),
    Column("法定代表人", "legal_representative", _text),
    Column("联系电话", "contact_phone", _text),
    Column("基层联系点", "is_contact_point", _yes_no, choices=("是", "否")),
    Column("重大危险源", "major_hazard", _yes_no, choices=("是", "否"), note="空白为否"),
    Column("在线监测", "online_monitoring", _yes_no, choices=("是", "否"), note="空白为否"),
    Column(
        "经营状态",
        "status",
        _choice(vocab.ENTERPRISE_STATUSES, "经营状态"),
        choices=tuple(vocab.ENTERPRISE_STATUSES.values()),
        note="空白为正常生产",
    ),
)

OFFICER_COLUMNS: tuple[Column, ...] = (
    Column("姓名", "name", _text, required=True),
    Column("身份证号码", "id_number", _text),
    Column("执法主体", "body", _body, required=True, note="填执法主体全称"),
    Column("股室", "section", _section_name, note="填本主体的股室名称"),
    Column("执法证号", "certificate_no", _text, required=True),
    Column("执法证有效期至", "certificate_valid_until", _date, required=True, note="如2027-12-31"),
    Column("联系电话", "phone", _text),
)


def template_workbook(columns: Iterable[Column], sheet_title: str) -> bytes:
    columns = list(columns)
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = header_fill
        sheet.column_dimensions[get_column_letter(index)].width = max(
            12, len(column.header) * 2 + 4
        )
        if column.choices:
            rule = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
            )
            rule.error = f"请从下拉列表中选择{column.header}"
            sheet.add_data_validation(rule)
            letter = get_column_letter(index)
            rule.add(f"{letter}2:{letter}5000")
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明", "可选值"])
    for column in columns:
        notes.append(
            [
                column.header,
                "必填" if column.required else "",
                column.note,
                "、".join(column.choices),
            ]
        )
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["C"].width = 30
    notes.column_dimensions["D"].width = 50
    return workbook_bytes(book)


def read_rows(data: bytes, columns: Iterable[Column]) -> list[dict[str, Any]]:
    """The data rows of the first sheet as {header: cell value} (and the row's sheet number under
    ROW_NUMBER), streamed within the import limits; raises CellError for a file that is refused,
    not a workbook or lacks a required column."""
    columns = list(columns)
    rows = read_upload(data)
    try:
        header = [(_text(cell, Lookups()) if cell is not None else "") for cell in next(rows, ())]
        missing = [c.header for c in columns if c.required and c.header not in header]
        if missing:
            raise CellError(f"缺少必填列：{'、'.join(missing)}。请使用模板。")
        out = []
        for number, cells in enumerate(rows, start=2):
            if all(cell is None or str(cell).strip() == "" for cell in cells):
                continue
            raw = {
                name: cells[i] if i < len(cells) else None for i, name in enumerate(header) if name
            }
            out.append({**raw, ROW_NUMBER: number})
    except WorkbookUnreadable as exc:
        raise CellError("无法读取该文件：请上传由模板填写的.xlsx文件") from exc
    finally:
        rows.close()
    return out


def parse_rows(
    raw_rows: list[dict[str, Any]], columns: Iterable[Column], lookups: Lookups
) -> list[ParsedRow]:
    columns = list(columns)
    parsed = []
    for offset, raw in enumerate(raw_rows):
        values: dict[str, Any] = {}
        errors: list[tuple[str, str]] = []
        for column in columns:
            cell = raw.get(column.header)
            try:
                values[column.field] = column.parse(cell, lookups)
            except CellError as exc:
                errors.append((column.header, str(exc)))
                continue
            if column.required and values[column.field] in (None, ""):
                errors.append((column.header, "必填项为空"))
        number = int(raw.get(ROW_NUMBER) or offset + 2)
        parsed.append(ParsedRow(number=number, raw=raw, values=values, errors=errors))
    return parsed


def export_workbook(sheet_title: str, headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    sheet.append(headers)
    for row in rows:
        write_row(sheet, row)
    return workbook_bytes(book)


# Cell readers other areas' imports reuse (planned visits, …), under public names.
text_cell = _text
choice_cell = _choice
yes_no_cell = _yes_no
date_cell = _date
