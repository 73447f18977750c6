"""A discretion benchmark as Excel: the columns of the import format and reading the legal
office's sheet into the dictionary that `benchmark_from_dict` checks (nothing is written here).
The template and the export are `benchmark_export.py`.

One sheet row is one tier (阶次); rows with the same 条目序号 form one entry. Amounts are yuan,
written as 30000, "3万" or "3万元". Each tier dictionary carries `"row"`, so that the domain's
errors name the spreadsheet row (第n行)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from anjian.domain.discretion.conditions import BOUNDS, FACTS
from anjian.ui.sheets import CellError, SheetError, WorkbookRefused, read_upload

RANGES = ("unit", "unit_overdue", "person", "person_overdue")
RANGE_LABELS = {
    "unit": "单位罚款",
    "unit_overdue": "逾期单位罚款",
    "person": "个人罚款",
    "person_overdue": "逾期个人罚款",
}
STATUTE_LABELS = {
    "unit": "法定单位罚款",
    "person": "法定个人罚款",
    "unit_overdue": "逾期法定单位罚款",
    "person_overdue": "逾期法定个人罚款",
}
MEASURE_SPLIT = re.compile(r"[；;\n]+")
BOUND_LABELS = {"min": "下限(含)", "above": "超过", "max": "上限(含)", "below": "不满"}
COLUMNS: tuple[tuple[str, str], ...] = (
    ("条目序号", "number"),
    ("违法行为", "violation"),
    ("法律法规", "law"),
    ("条", "article"),
    ("项", "item"),
    ("来源", "source"),
    ("阶次", "code"),
    ("适用条件", "condition"),
    ("分档事实", "fact"),
    *((label, bound) for bound, label in BOUND_LABELS.items()),
    *(
        (f"{RANGE_LABELS[key]}{end}", f"{key}.{n}")
        for key in RANGES
        for n, end in enumerate(("下限", "上限"))
    ),
    ("备注", "note"),
    # the statute's range, for a provision the statute table does not hold (entry columns)
    ("法定依据", "statute.basis"),
    *(
        (f"{label}{end}", f"statute.{key}.{n}")
        for key, label in STATUTE_LABELS.items()
        for n, end in enumerate(("下限", "上限"))
    ),
    ("法定处罚种类", "statute.measures"),
    ("逾期法定处罚种类", "statute.measures_overdue"),
)
HEADER_OF = {key: header for header, key in COLUMNS}
ENTRY_FIELDS = ("violation", "law", "article", "item", "source")
REQUIRED = ("number", "law", "article", "code")
FACT_WORDS = {
    **{label: key for key, label in FACTS.items()},
    **{key: key for key in FACTS},
    **dict.fromkeys(("处数", "人次", "台套", "项数", "处", "次数"), "count"),
    **dict.fromkeys(("人数", "涉及人数"), "persons"),
    **dict.fromkeys(("占比", "比例", "涉及人数占比"), "share"),
    **dict.fromkeys(("从业人员", "从业人员数", "从业人数"), "employees"),
    **dict.fromkeys(("投资额", "项目投资额"), "investment"),
    **dict.fromkeys(("违法所得",), "illegal_gains"),
}
MAX_BYTES = 10 * 1024 * 1024
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


@dataclass
class SheetRead:
    entries: list[dict[str, Any]] = field(default_factory=list)
    errors: list[SheetError] = field(default_factory=list)
    file_error: str | None = None
    by_number: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)


def _normal(header: Any) -> str:
    text = str(header or "").strip().replace("（", "(").replace("）", ")").replace(" ", "")
    return text.removesuffix("(元)")


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(raw: str) -> Decimal | None:
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_yuan(value: Any) -> int | None:
    """30000, 30000.0, "30000", "3万", "3万元", "30,000元" → 30000; blank → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError("不是金额")
    raw = text(value).replace(",", "").replace("，", "").replace(" ", "").removesuffix("元")
    wan = raw.endswith("万")
    number = _decimal(raw.removesuffix("万"))
    if number is None:
        raise CellError(f"“{text(value)}”不是金额：请写元数（如 30000）或万元（如 3万、3万元）")
    amount = number * 10000 if wan else number
    if amount < 0 or amount != amount.to_integral_value():
        raise CellError(f"“{text(value)}”不是整数元的非负金额")
    return int(amount)


def parse_bound(value: Any, fact: str | None) -> float | None:
    """A bound of a condition: a number, "10%" (for a share), "7000万" (for yuan), "3人"."""
    raw = text(value).replace(",", "")
    if not raw:
        return None
    percent = raw.endswith("%") or raw.endswith("％")
    wan = raw.endswith("万") or raw.endswith("万元")
    core = re.sub(r"(%|％|万元|万|元|人次|人|处|台套|台|套|项|次)$", "", raw)
    number = _decimal(core)
    if number is None:
        raise CellError(f"“{raw}”不是数字")
    if percent:
        number /= 100
    elif wan:
        number *= 10000
    if fact == "share" and not percent and number > 1:
        raise CellError(f"占比应写成 10% 或 0.1，不是“{raw}”")
    return float(number)


def parse_fact(value: Any) -> str | None:
    raw = text(value)
    if not raw:
        return None
    if raw in FACT_WORDS:
        return FACT_WORDS[raw]
    raise CellError(f"未知的分档事实“{raw}”，可选：{'、'.join(FACTS.values())}")


def _arabic(raw: str) -> str | None:
    if raw.isdigit():
        return str(int(raw))
    total, current = 0, 0
    for char in raw:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char in "十百":
            total += (current or 1) * (10 if char == "十" else 100)
            current = 0
        else:
            return None
    return str(total + current) if total + current else None


def parse_number_cell(value: Any, word: str) -> str | None:
    """An article or item number: 第97条, 第九十七条 → 97; (7), 第七项 → 7; blank → None."""
    raw = text(value).strip("()（）")
    raw = raw.removeprefix("第").removesuffix(word)
    if not raw:
        return None
    number = _arabic(raw)
    if number is None:
        raise CellError(f"“{text(value)}”不是{word}号：请写数字，如 97 或 第九十七{word}")
    return number


def parse_law(value: Any) -> str:
    return text(value).strip("《》").removeprefix("中华人民共和国")


@dataclass
class _Row:
    number: int
    errors: list[SheetError] = field(default_factory=list)

    def read(self, cells: Mapping[str, Any], key: str, parse: Any, *args: Any) -> Any:
        try:
            return parse(cells.get(key), *args)
        except CellError as problem:
            self.errors.append(SheetError(self.number, HEADER_OF[key], str(problem)))
            return None

    def fail(self, key: str, message: str) -> None:
        self.errors.append(SheetError(self.number, HEADER_OF[key], message))


def _rule(row: _Row, cells: Mapping[str, Any]) -> dict[str, Any] | None:
    fact = row.read(cells, "fact", parse_fact)
    bounds = {b: row.read(cells, b, parse_bound, fact) for b in BOUNDS}
    given = {b: v for b, v in bounds.items() if v is not None}
    if fact is None:
        if given and not text(cells.get("fact")):
            row.fail("fact", "填写了分档界限，却没有写分档事实")
        return None
    if not given:
        row.fail("fact", "写了分档事实，却没有任何界限（下限、超过、上限、不满）")
        return None
    return {"fact": fact, **given}


def _ranges(
    row: _Row, cells: Mapping[str, Any], keys: Any = RANGES, prefix: str = ""
) -> dict[str, list[int]]:
    found = {}
    for key in keys:
        low = row.read(cells, f"{prefix}{key}.0", parse_yuan)
        high = row.read(cells, f"{prefix}{key}.1", parse_yuan)
        if high is None and low is not None:
            row.fail(f"{prefix}{key}.1", "只填了下限：请填上限（固定金额时上下限相同）")
        elif high is not None:
            found[key] = [low or 0, high]
    return found


def _statute(row: _Row, cells: Mapping[str, Any]) -> dict[str, Any] | None:
    """The statute's range as the row states it (only needed for a provision the statute table
    does not hold); None when the row leaves those columns empty."""
    found: dict[str, Any] = _ranges(row, cells, STATUTE_LABELS, "statute.")
    for key in ("measures", "measures_overdue"):
        measures = [m.strip() for m in MEASURE_SPLIT.split(text(cells.get(f"statute.{key}")))]
        if any(measures):
            found[key] = [m for m in measures if m]
    if found and text(cells.get("statute.basis")):
        found["basis"] = text(cells.get("statute.basis"))
    return found or None


def _tier(row: _Row, cells: Mapping[str, Any]) -> dict[str, Any]:
    tier: dict[str, Any] = {"row": row.number, "code": text(cells.get("code"))}
    for key in ("condition", "note"):
        if text(cells.get(key)):
            tier[key] = text(cells.get(key))
    rule = _rule(row, cells)
    if rule is not None:
        tier["rule"] = rule
    tier.update(_ranges(row, cells))
    return tier


def _entry(row: _Row, cells: Mapping[str, Any]) -> dict[str, Any]:
    for key in REQUIRED:
        if not text(cells.get(key)):
            row.fail(key, "必填")
    entry = {
        "row": row.number,
        "number": text(cells.get("number")),
        "violation": text(cells.get("violation")),
        "law": parse_law(cells.get("law")),
        "article": row.read(cells, "article", parse_number_cell, "条") or "",
        "item": row.read(cells, "item", parse_number_cell, "项"),
        "source": text(cells.get("source")),
        "statute": _statute(row, cells),
    }
    kept = ("number", "law", "article")
    return {k: v for k, v in entry.items() if v not in (None, "") or k in kept}


def _merge(read: SheetRead, entry: dict[str, Any], tier: dict[str, Any]) -> None:
    """Adds a row to the entry of its 条目序号; entry columns must agree where both are filled."""
    known = read.by_number.get(entry["number"])  # a dictionary: 20,000 rows stay linear
    if known is None:
        read.by_number[entry["number"]] = {**entry, "tier": [tier]}
        read.entries.append(read.by_number[entry["number"]])
        return
    for key in ENTRY_FIELDS:
        mine, theirs = entry.get(key), known.get(key)
        if mine and theirs and mine != theirs:
            read.errors.append(
                SheetError(
                    entry["row"],
                    HEADER_OF[key],
                    f"与第{known['row']}行（同一条目序号{entry['number']}）不一致：“{mine}”≠“{theirs}”",
                )
            )
        elif mine and not theirs:
            known[key] = mine
    if entry.get("statute") and known.get("statute") not in (None, entry["statute"]):
        message = f"与第{known['row']}行（同一条目序号{entry['number']}）的法定幅度不一致"
        read.errors.append(SheetError(entry["row"], HEADER_OF["statute.basis"], message))
    elif entry.get("statute"):
        known["statute"] = entry["statute"]
    known["tier"].append(tier)


def _columns(headers: list[Any]) -> tuple[dict[int, str], str | None]:
    by_header = {_normal(header): key for header, key in COLUMNS}
    found = {i: by_header[_normal(h)] for i, h in enumerate(headers) if _normal(h) in by_header}
    missing = [HEADER_OF[key] for key in REQUIRED if key not in found.values()]
    if missing:
        return found, f"缺少列：{'、'.join(missing)}（请使用模板）"
    return found, None


def read_benchmark_workbook(content: bytes) -> SheetRead:
    """The entries of the first sheet with every cell problem; or a file-level error."""
    if len(content) > MAX_BYTES:
        return SheetRead(file_error="文件超过 10 MB")
    rows = read_upload(content)
    try:
        return _read(rows)
    except WorkbookRefused as refused:
        return SheetRead(file_error=str(refused))
    finally:
        rows.close()


def _read(rows: Iterator[tuple[Any, ...]]) -> SheetRead:
    header = next(rows, None)
    if header is None:
        return SheetRead(file_error="工作表是空的")
    columns, problem = _columns(list(header))
    if problem:
        return SheetRead(file_error=problem)
    read = SheetRead()
    for number, values in enumerate(rows, start=2):
        cells = {key: values[i] for i, key in columns.items() if i < len(values)}
        if not any(text(v) for v in cells.values()):
            continue
        row = _Row(number)
        entry, tier = _entry(row, cells), _tier(row, cells)
        read.errors.extend(row.errors)
        _merge(read, entry, tier)
    if not read.entries and not read.errors:
        read.file_error = "文件中没有任何阶次"
    return read
