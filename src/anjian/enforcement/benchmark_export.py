"""Writing a discretion benchmark as Excel in the import format (`spreadsheets.py` reads it): the
template with one example entry and the instructions, and the export of any stored version, so
that an exported file imports back unchanged."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from anjian.domain.discretion.benchmark import FAMILIES
from anjian.domain.discretion.conditions import BOUNDS, FACTS
from anjian.domain.registry import SECTORS
from anjian.enforcement.spreadsheets import COLUMNS, ENTRY_FIELDS, RANGES, STATUTE_LABELS
from anjian.ui.sheets import instructions_sheet, workbook_bytes, write_row


def tier_cells(entry: Mapping[str, Any], tier: Mapping[str, Any]) -> list[Any]:
    """One sheet row of a stored tier, in the order of COLUMNS."""
    rule = tier.get("rule") or {}
    values: dict[str, Any] = {key: entry.get(key) or "" for key in ("number", *ENTRY_FIELDS)}
    values.update({key: tier.get(key) or "" for key in ("code", "condition", "note")})
    values["fact"] = FACTS.get(rule.get("fact", ""), "")
    values.update({b: rule.get(b, "") for b in BOUNDS})
    for key in RANGES:
        pair = tier.get(key) or ["", ""]
        values[f"{key}.0"], values[f"{key}.1"] = pair
    statute = entry.get("statute") or {}
    values["statute.basis"] = statute.get("basis") or ""
    for key in STATUTE_LABELS:
        pair = statute.get(key) or ["", ""]
        values[f"statute.{key}.0"], values[f"statute.{key}.1"] = pair
    for key in ("measures", "measures_overdue"):
        values[f"statute.{key}"] = "；".join(statute.get(key) or ())
    return [values[key] for _, key in COLUMNS]


def _sheet(book: Workbook, data: Mapping[str, Any]) -> None:
    sheet = book.active
    sheet.title = "裁量阶次"
    for column, (header, _) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        width = 36 if header in ("违法行为", "来源", "适用条件", "备注") else 12
        sheet.column_dimensions[get_column_letter(column)].width = width
    for entry in data.get("entry") or ():
        for tier in entry.get("tier") or ():
            write_row(sheet, tier_cells(entry, tier))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"


def _header_sheet(book: Workbook, data: Mapping[str, Any]) -> None:
    sheet = book.create_sheet("基准信息")
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 16, 80
    sectors = "、".join(SECTORS.get(s, s) for s in data.get("sectors") or ())
    for label, value in (
        ("基准标识", data.get("id")),
        ("版本", data.get("version")),
        ("名称", data.get("name")),
        ("制定机关", data.get("issuer")),
        ("文号", data.get("document")),
        ("适用类别", FAMILIES.get(str(data.get("family")), data.get("family"))),
        ("适用行业", sectors or "（该类别的全部行业）"),
        ("生效日期", str(data.get("effective_from") or "")),
        ("失效日期", str(data.get("effective_until") or "")),
        ("说明", data.get("note") or ""),
    ):
        write_row(sheet, [label, value])


INSTRUCTIONS: tuple[tuple[str, str], ...] = (
    ("列", "说明"),
    ("（表头信息）", "文号、版本、名称、类别、适用行业、生效日期等在导入页面的表单中填写"),
    ("条目序号", "必填；同一条目的各阶次写同一序号，如 26；违法行为、法律法规、条、项、来源同"),
    ("法律法规", "必填；法规简称，如 安全生产法（可带书名号和“中华人民共和国”）"),
    ("条 / 项", "条必填，如 97 或 第九十七条；项可空，如 7 或 第七项"),
    ("阶次", "必填；如 A、B、C；同一条目内不得重复"),
    ("适用条件", "文字描述，如 涉及1人次；可空（空时按机读条件生成）"),
    ("分档事实", "可空；" + "、".join(FACTS.values()) + "；也可写 人数、占比、从业人员、投资额"),
    ("下限(含)/超过/上限(含)/不满", "以上/以下含本数，超过/不满不含本数；占比写 10% 或 0.1"),
    ("……罚款下限/上限", "元；可写 30000、3万 或 3万元；“N以下”下限写 0 或留空；固定金额上下限同"),
    ("备注", "可空"),
    (
        "法定依据 / 法定……罚款 / 法定处罚种类",
        "条款在系统法定幅度表（安全生产法第九十二至一百一十四条等，见“法定处罚幅度”页）中时留空；"
        "不在表中时（如其他法规、规章的条款）必填，按原基准“处罚依据”栏填写该条款的法定幅度，"
        "同一条目只需在一行填写；处罚种类之间用分号隔开",
    ),
    (
        "检查",
        "逐行检查：幅度须在法定幅度内，同一条目各阶次条件不得重叠，条款须在法定幅度表中或写明法定幅度",
    ),
)


def benchmark_workbook(data: Mapping[str, Any]) -> bytes:
    """A stored version in the import format, with its header and the instructions."""
    book = Workbook()
    _sheet(book, data)
    _header_sheet(book, data)
    instructions_sheet(book, INSTRUCTIONS)
    return workbook_bytes(book)


def benchmark_template(example: Mapping[str, Any]) -> bytes:
    """The headers, one example entry and the instructions."""
    book = Workbook()
    _sheet(book, {"entry": [example]})
    instructions_sheet(book, INSTRUCTIONS)
    return workbook_bytes(book)
