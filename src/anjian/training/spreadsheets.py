"""The question bank as Excel: reading an uploaded workbook into the rows that
`questions_from_rows` checks (nothing is written here), and writing the template and the export
in the same format, so that an exported bank imports back unchanged.

Vocabulary cells (行业, 岗位, 知识点, 题型) take the Chinese label or the code; the export writes
the label. A true/false answer may be written T/F or 正确/错误."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from anjian.domain.exam.questions import JOBS, KINDS, LETTERS, QUESTION_SECTORS, TOPICS, Question
from anjian.ui.sheets import (
    CellError,
    SheetError,
    WorkbookRefused,
    instructions_sheet,
    read_upload,
    workbook_bytes,
    write_row,
)

HEADERS: dict[str, str] = {
    "code": "题目编号",
    "sector": "行业",
    "job": "岗位",
    "topic": "知识点",
    "kind": "题型",
    "stem": "题干",
    **{f"option_{letter.lower()}": f"选项{letter}" for letter in LETTERS},
    "answer": "答案",
    "explanation": "解析",
    "source": "依据",
}
OPTIONAL = frozenset({"source"})
VOCABULARIES: dict[str, dict[str, str]] = {
    "sector": QUESTION_SECTORS,
    "job": JOBS,
    "topic": TOPICS,
    "kind": KINDS,
}
TRUE_FALSE = {"正确": "T", "对": "T", "√": "T", "错误": "F", "错": "F", "×": "F"}
ANSWER_SEPARATORS = re.compile(r"[\s,，、;；/]+")
EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"})
MAX_BYTES = 10 * 1024 * 1024
SHEET_TITLE = "题目"


@dataclass
class SheetRead:
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[SheetError] = field(default_factory=list)
    file_error: str | None = None


def _normal(header: Any) -> str:
    return str(header or "").strip().replace(" ", "").replace("\u3000", "")


def text(value: Any) -> str:
    """A cell as text; dates, times and Excel error values cannot be a question's text."""
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        raise CellError(f"“{value}”是日期或时间，请将单元格设为文本格式")
    if isinstance(value, bool):
        raise CellError("是逻辑值（TRUE/FALSE），请填写文字")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value).strip()
    if raw in EXCEL_ERRORS:
        raise CellError(f"公式错误“{raw}”")
    return raw


def _vocabulary(key: str, raw: str) -> str:
    """The code for a label or a code; anything else is left for the domain to report."""
    known = VOCABULARIES[key]
    by_label = {label: code for code, label in known.items()}
    return by_label.get(raw, raw)


def _answer(raw: str) -> str:
    if raw in TRUE_FALSE:
        return TRUE_FALSE[raw]
    return ANSWER_SEPARATORS.sub("", raw).upper()


def _row(number: int, cells: Mapping[str, Any], errors: list[SheetError]) -> dict[str, str]:
    row: dict[str, str] = {}
    for key in HEADERS:
        try:
            row[key] = text(cells.get(key))
        except CellError as problem:
            errors.append(SheetError(number, HEADERS[key], str(problem)))
            row[key] = ""
    for key in VOCABULARIES:
        row[key] = _vocabulary(key, row[key])
    row["answer"] = _answer(row["answer"])
    return row


def _columns(headers: Iterable[Any]) -> tuple[dict[int, str], str | None]:
    by_header = {_normal(label): key for key, label in HEADERS.items()}
    by_header.update({key: key for key in HEADERS})
    found = {i: by_header[_normal(h)] for i, h in enumerate(headers) if _normal(h) in by_header}
    missing = [label for key, label in HEADERS.items() if key not in OPTIONAL]
    missing = [label for label in missing if label not in {HEADERS[k] for k in found.values()}]
    if missing:
        return found, f"缺少列：{'、'.join(missing)}（请使用模板）"
    return found, None


def read_question_workbook(content: bytes) -> SheetRead:
    """The rows of the first sheet (row numbers as Excel shows them) with every cell problem;
    or a file-level error."""
    if len(content) > MAX_BYTES:
        return SheetRead(file_error="文件超过 10 MB")
    values = read_upload(content)
    try:
        return _read(values)
    except WorkbookRefused as refused:
        return SheetRead(file_error=str(refused))
    finally:
        values.close()


def _read(values: Iterator[tuple[Any, ...]]) -> SheetRead:
    header = next(values, None)
    if header is None:
        return SheetRead(file_error="工作表是空的")
    columns, problem = _columns(header)
    if problem:
        return SheetRead(file_error=problem)
    read = SheetRead()
    for number, line in enumerate(values, start=2):
        cells = {key: line[i] for i, key in columns.items() if i < len(line)}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        read.rows.append((number, _row(number, cells, read.errors)))
    if not read.rows and not read.errors:
        read.file_error = "文件中没有任何题目"
    return read


# writing


def question_cells(question: Question) -> list[str]:
    """One sheet row of a question, in the order of HEADERS."""
    options = list(question.options) + [""] * (len(LETTERS) - len(question.options))
    values = {
        "code": question.code,
        **{key: VOCABULARIES[key][getattr(question, key)] for key in VOCABULARIES},
        "stem": question.stem,
        **{f"option_{letter.lower()}": options[n] for n, letter in enumerate(LETTERS)},
        "answer": question.answer,
        "explanation": question.explanation,
        "source": question.source,
    }
    return [values[key] for key in HEADERS]


WIDE = frozenset({"stem", "explanation", *(f"option_{letter.lower()}" for letter in LETTERS)})


def _sheet(book: Workbook, questions: Iterable[Question]) -> None:
    sheet = book.active
    sheet.title = SHEET_TITLE
    for column, (key, header) in enumerate(HEADERS.items(), start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        sheet.column_dimensions[get_column_letter(column)].width = 36 if key in WIDE else 14
    for question in questions:
        write_row(sheet, question_cells(question))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"  # text, so that Excel keeps codes such as 001 as written
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"


def _choices(vocabulary: Mapping[str, str]) -> str:
    return "；".join(f"{label}（{code}）" for code, label in vocabulary.items())


INSTRUCTIONS: tuple[tuple[str, str], ...] = (
    ("列", "说明"),
    ("题目编号", "必填；同一道题的各版本用同一编号，如 GEN-LAW-001；文件内不得重复"),
    ("行业", "必填；可写名称或代码：" + _choices(QUESTION_SECTORS)),
    ("岗位", "必填；可写名称或代码：" + _choices(JOBS)),
    ("知识点", "必填；可写名称或代码：" + _choices(TOPICS)),
    ("题型", "必填；可写名称或代码：" + _choices(KINDS)),
    ("题干", "必填"),
    ("选项A–D", "单选题、多选题四个选项都必填且不得重复；判断题四个选项都留空"),
    (
        "答案",
        "单选题写一个字母，如 B；多选题写两到四个字母，按顺序，如 ACD（全对才得分）；"
        "判断题写 T 或 F（也可写 正确、错误）",
    ),
    ("解析", "必填；答对答错后都向考生显示"),
    ("依据", "可空；法规条款或“安全常识”，空时记为“安全常识”"),
    (
        "导入规则",
        "先检查全部行，有任何错误都不写入；确认后：新编号建第1版并在用；已有编号内容有变化的"
        "建新版本并停用旧版本；内容相同的跳过",
    ),
)


def question_workbook(questions: Iterable[Question]) -> bytes:
    """Questions in the import format, with the instructions."""
    book = Workbook()
    _sheet(book, questions)
    instructions_sheet(book, INSTRUCTIONS, (14, 110))
    return workbook_bytes(book)


TEMPLATE_EXAMPLES = (
    Question(
        code="EX-001",
        sector="general",
        job="all",
        topic="emergency",
        kind="single",
        stem="发生火灾时，正确的逃生做法是（ ）。",
        options=(
            "乘坐电梯迅速下楼",
            "用湿毛巾捂住口鼻，低姿沿疏散通道撤离",
            "返回室内取贵重物品",
            "跳楼逃生",
        ),
        answer="B",
        explanation="火灾时应低姿、捂住口鼻，沿疏散通道和安全出口撤离，不得乘坐电梯。",
        source="安全常识",
    ),
    Question(
        code="EX-002",
        sector="general",
        job="worker",
        topic="law",
        kind="true_false",
        stem=(
            "从业人员发现直接危及人身安全的紧急情况时，"
            "有权停止作业或者在采取可能的应急措施后撤离作业场所（ ）。"
        ),
        options=(),
        answer="T",
        explanation="安全生产法第五十五条规定了从业人员的紧急避险权。",
        source="安全生产法第五十五条",
    ),
)


def question_template() -> bytes:
    """The headers, two example rows and the instructions."""
    return question_workbook(TEMPLATE_EXAMPLES)
