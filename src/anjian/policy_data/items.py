"""The inspection item list (涉企行政检查事项清单): row parsing, validation and the starter list.

Under 国办发〔2024〕54号 an item that is not on the published list may not be inspected, so the
list is data the bureau owns. This module ships a starter list and the parser that the bureau's
own list (usually an Excel sheet) goes through, so both are held to exactly the same rules.

Everything here is pure Python: no Django, no I/O except reading the packaged starter CSV.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from anjian.domain.registry import SECTORS
from anjian.domain.rules.vocab import LEVELS, MODES

STARTER_LABEL = "文水县应急管理局涉企行政检查事项清单（起步版，须由本局正式公布的清单替换）"
STARTER_PACKAGE = "anjian.policy_data"
STARTER_RESOURCE = "inspection_items_starter.csv"

FIELDS: tuple[str, ...] = (
    "code",
    "name",
    "law",
    "article",
    "body_levels",
    "section",
    "sectors",
    "methods",
    "frequency_note",
)
REQUIRED_FIELDS: frozenset[str] = frozenset(
    {"code", "name", "law", "body_levels", "section", "sectors", "methods"}
)
FIELD_LABELS: dict[str, str] = {
    "code": "事项编码",
    "name": "事项名称",
    "law": "法律依据",
    "article": "条款",
    "body_levels": "实施层级",
    "section": "承办股室",
    "sectors": "行业领域",
    "methods": "检查方式",
    "frequency_note": "频次说明",
}

# Body levels and inspection methods are the entry rules' own vocabularies.
METHODS: dict[str, str] = MODES
ALL_SECTORS = "all"

# The sections of the Wenshui bureau named in its 2025 work plan. The parser does not restrict
# ``section`` to these, because the bureau's own list may name sections differently.
KNOWN_SECTIONS: tuple[str, ...] = (
    "危化股",
    "冶金工贸股",
    "非煤矿山股",
    "煤矿股",
    "综合行政执法队",
    "法制办",
    "人事财务股",
)

NAME_MAX_LENGTH = 120
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,29}$")
# Separators accepted inside list cells: ASCII and full-width semicolons and commas, the
# enumeration comma, and any whitespace (Excel cells often carry line breaks).
_LIST_SEPARATORS = re.compile(r"[;；,，、\s]+")

# Column headings a spreadsheet may use instead of the field names.
HEADER_ALIASES: dict[str, str] = {
    **{label: field for field, label in FIELD_LABELS.items()},
    "编码": "code",
    "名称": "name",
    "检查事项": "name",
    "依据": "law",
    "检查依据": "law",
    "条款号": "article",
    "层级": "body_levels",
    "股室": "section",
    "实施股室": "section",
    "检查对象": "sectors",
    "责任股室": "section",
    "行业": "sectors",
    "方式": "methods",
    "频次": "frequency_note",
    "备注": "frequency_note",
}


@dataclass(frozen=True)
class ItemRow:
    code: str
    name: str
    law: str
    article: str
    body_levels: tuple[str, ...]
    section: str
    sectors: tuple[str, ...]
    methods: tuple[str, ...]
    frequency_note: str


@dataclass(frozen=True)
class RowError:
    """One problem in one row. ``row`` is the row number a spreadsheet shows (header = 1)."""

    row: int
    field: str
    message: str

    @property
    def label(self) -> str:
        """The column heading the user sees for ``field``."""
        return FIELD_LABELS.get(self.field, self.field)


def _vocabulary(names: Mapping[str, str], extra: Mapping[str, str]) -> dict[str, str]:
    """Accepted spellings (identifier or Chinese label) mapped to the identifier."""
    lookup = {key.lower(): key for key in names}
    lookup.update({label: key for key, label in names.items()})
    lookup.update(extra)
    return lookup


_LEVEL_WORDS = _vocabulary(LEVELS, {"省": "province", "市": "city", "县": "county"})
_METHOD_WORDS = _vocabulary(
    METHODS, {"现场": "on_site", "书面": "written", "非现场": "remote", "远程": "remote"}
)
_SECTOR_WORDS = _vocabulary(
    SECTORS, {"危化": "hazardous_chemicals", "危化品": "hazardous_chemicals"}
)
_ALL_SECTOR_WORDS = frozenset({ALL_SECTORS, "全部", "全部行业", "所有行业", "全行业"})


def header_field(key: object) -> str:
    """The field a column heading names (a field name or a Chinese heading), else the heading."""
    return _normalise_header(key)


def _normalise_header(key: object) -> str:
    text = str(key).replace("\ufeff", "").strip()
    lowered = text.lower()
    if lowered in FIELDS:
        return lowered
    return HEADER_ALIASES.get(text, lowered)


def _cell_text(value: object) -> str | None:
    """The trimmed text of a cell, or None when the cell holds a type we do not accept."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def _split_list(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text)
    return [token for token in _LIST_SEPARATORS.split(folded) if token]


class _RowChecker:
    """Collects the errors of one row while its fields are converted."""

    def __init__(self, row: int, raw: Mapping[str, object]) -> None:
        self.row = row
        self.errors: list[RowError] = []
        self.values: dict[str, str] = {}
        for key, value in raw.items():
            field = _normalise_header(key)
            if field not in FIELDS or self.values.get(field):
                continue
            text = _cell_text(value)
            if text is None:
                self.error(
                    field, f"{FIELD_LABELS[field]}的单元格类型无法识别（{type(value).__name__}）"
                )
                text = ""
            self.values[field] = text

    def is_blank(self) -> bool:
        return not any(self.values.values()) and not self.errors

    def error(self, field: str, message: str) -> None:
        self.errors.append(RowError(self.row, field, message))

    def text(self, field: str) -> str:
        value = self.values.get(field, "")
        if not value and field in REQUIRED_FIELDS and not self._has_error(field):
            self.error(field, f"缺少必填字段：{FIELD_LABELS[field]}")
        return value

    def _has_error(self, field: str) -> bool:
        return any(e.field == field for e in self.errors)

    def choices(
        self, field: str, words: Mapping[str, str], order: Mapping[str, str]
    ) -> tuple[str, ...]:
        """The identifiers named in a list cell, deduplicated and in vocabulary order."""
        tokens = _split_list(self.values.get(field, ""))
        found: set[str] = set()
        for token in tokens:
            if field == "sectors" and token.lower() in _ALL_SECTOR_WORDS:
                found.update(SECTORS)
                continue
            key = words.get(token.lower(), words.get(token))
            if key is None:
                allowed = "、".join(order)
                self.error(field, f"未知的{FIELD_LABELS[field]}：{token}（可用：{allowed}）")
            else:
                found.add(key)
        if not tokens and not self._has_error(field):
            if field == "methods":
                self.error(field, "至少应允许一种检查方式（现场检查、书面检查、非现场检查）")
            else:
                self.error(field, f"缺少必填字段：{FIELD_LABELS[field]}")
        return tuple(key for key in order if key in found)


def _check_row(checker: _RowChecker, seen: dict[str, int]) -> ItemRow | None:
    code = unicodedata.normalize("NFKC", checker.text("code"))
    if code and not CODE_PATTERN.match(code):
        checker.error(
            "code",
            f"事项编码格式不正确：{code}（应以大写字母或数字开头，只含大写字母、数字和连字符，2～30位）",
        )
    elif code in seen:
        checker.error("code", f"事项编码{code}与第{seen[code]}行重复")
    elif code:
        seen[code] = checker.row
    name = checker.text("name")
    if len(name) > NAME_MAX_LENGTH:
        checker.error("name", f"事项名称过长：{len(name)}个字符，最多{NAME_MAX_LENGTH}个")
    item = ItemRow(
        code=code,
        name=name,
        law=checker.text("law"),
        article=checker.text("article"),
        body_levels=checker.choices("body_levels", _LEVEL_WORDS, LEVELS),
        section=checker.text("section"),
        sectors=checker.choices("sectors", _SECTOR_WORDS, SECTORS),
        methods=checker.choices("methods", _METHOD_WORDS, METHODS),
        frequency_note=checker.text("frequency_note"),
    )
    return None if checker.errors else item


def parse_item_rows(
    rows: Iterable[Mapping[str, object]], *, first_row: int = 2
) -> tuple[list[ItemRow], list[RowError]]:
    """Validate every row and return the good items together with every error found.

    ``first_row`` is the spreadsheet row number of the first mapping (the header is row 1).
    Column headings may be the field names or their Chinese labels; cells may be text, whole
    numbers or empty. List cells accept ``;`` ``；`` ``,`` ``，`` ``、`` and line breaks as
    separators, and identifiers or their Chinese labels as values; ``all`` (全部) in ``sectors``
    stands for every sector. Completely empty rows are skipped. A row with any error yields no
    item, so callers must treat a non-empty error list as a failed import.
    """
    items: list[ItemRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for row_number, raw in enumerate(rows, start=first_row):
        checker = _RowChecker(row_number, raw)
        if checker.is_blank():
            continue
        item = _check_row(checker, seen)
        errors.extend(checker.errors)
        if item is not None:
            items.append(item)
    return items, errors


def parse_item_csv(text: str) -> tuple[list[ItemRow], list[RowError]]:
    """Parse CSV text whose first line is the header; a missing column is a row-1 error."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = {_normalise_header(name) for name in reader.fieldnames or []}
    missing = [field for field in FIELDS if field not in header]
    if missing:
        return [], [RowError(1, field, f"表头缺少列：{field}") for field in missing]
    return parse_item_rows(reader)


def format_errors(errors: Iterable[RowError]) -> str:
    """The errors as Chinese lines, one per error, for messages and logs."""
    return "\n".join(f"第{e.row}行 {e.field}：{e.message}" for e in errors)


def load_starter_items() -> list[ItemRow]:
    """The shipped starter list. Raises ValueError listing every bad row if the data is broken."""
    text = resources.files(STARTER_PACKAGE).joinpath(STARTER_RESOURCE).read_text(encoding="utf-8")
    items, errors = parse_item_csv(text)
    if errors:
        raise ValueError(f"起步版检查事项清单数据有误：\n{format_errors(errors)}")
    return items
