"""Exam questions as data: the vocabularies, the checks every question passes (on import and for
the shipped starter bank), and scoring.

A question is single choice (four options, one right), multiple choice (four options, two to four
right, scored all or nothing) or true/false. Single and multiple choice are preferred in the
adaptive pool: a guess succeeds far less often than on true/false. Rows are checked one by one and
every problem of every row is reported with its row number, so that an import writes nothing until
the whole file is right.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from anjian.domain.registry import SECTORS, FieldError, FieldErrors

QUESTION_SECTORS: dict[str, str] = {"general": "通用", **SECTORS}
JOBS: dict[str, str] = {
    "all": "全体从业人员",
    "principal": "主要负责人",
    "safety_manager": "安全生产管理人员",
    "special_operator": "特种作业人员",
    "worker": "一般从业人员",
}
TOPICS: dict[str, str] = {
    "law": "法律法规与安全职责",
    "training": "教育培训与持证上岗",
    "hazard": "风险分级管控与隐患排查治理",
    "equipment": "设备设施与安全标志",
    "fire_hot_work": "消防、动火与危险作业",
    "electrical": "用电安全",
    "chemicals": "危险化学品安全",
    "confined_space": "有限空间作业",
    "mining": "矿山安全",
    "dust_gas": "粉尘防爆与有毒有害气体",
    "ppe": "劳动防护用品与职业健康",
    "emergency": "应急处置与自救互救",
}
KINDS: dict[str, str] = {"single": "单选题", "multiple": "多选题", "true_false": "判断题"}
COLUMNS: tuple[str, ...] = (
    "code",
    "sector",
    "job",
    "topic",
    "kind",
    "stem",
    "option_a",
    "option_b",
    "option_c",
    "option_d",
    "answer",
    "explanation",
    "source",
)
LETTERS = "ABCD"


class QuestionsInvalid(FieldErrors):
    """Every problem of the input, each a FieldError."""


@dataclass(frozen=True)
class Question:
    code: str
    sector: str
    job: str
    topic: str
    kind: str
    stem: str
    options: tuple[str, ...]  # four for single/multiple, none for true/false
    answer: str  # "B", "ACD", "T" or "F"
    explanation: str
    source: str

    def is_correct(self, response: str) -> bool:
        """All or nothing: the same set of letters (order and case do not matter)."""
        given = "".join(sorted(set(response.strip().upper())))
        return given == self.answer

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        if self.kind == "true_false":
            return (("T", "正确"), ("F", "错误"))
        return tuple(zip(LETTERS, self.options, strict=True))


def _text(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value).strip()


def _vocabulary_errors(row: Mapping[str, Any], where: str) -> list[str]:
    found = []
    for key, known, label in (
        ("sector", QUESTION_SECTORS, "行业"),
        ("job", JOBS, "岗位"),
        ("topic", TOPICS, "知识点"),
        ("kind", KINDS, "题型"),
    ):
        if _text(row, key) not in known:
            found.append(f"{where}：未知的{label}“{_text(row, key)}”（可用：{'、'.join(known)}）")
    return found


def _answer_errors(kind: str, options: list[str], answer: str, where: str) -> list[str]:
    if kind == "true_false":
        if any(options):
            return [f"{where}：判断题不填选项"]
        return [] if answer in ("T", "F") else [f"{where}：判断题的答案应为 T 或 F"]
    if kind not in ("single", "multiple"):
        return []
    found = [f"{where}：选项{LETTERS[n]}为空" for n, o in enumerate(options) if not o]
    if len(set(options)) != len(options):
        found.append(f"{where}：选项重复")
    letters = "".join(sorted(set(answer)))
    if answer != letters or not letters or set(letters) - set(LETTERS):
        found.append(f"{where}：答案应为按顺序排列的 A–D 字母，如 B 或 ACD：“{answer}”")
    elif kind == "single" and len(letters) != 1:
        found.append(f"{where}：单选题只能有一个正确答案")
    elif kind == "multiple" and len(letters) < 2:
        found.append(f"{where}：多选题至少有两个正确答案")
    return found


def question_errors(row: Mapping[str, Any], where: str) -> list[str]:
    """Everything wrong with one row (an empty list: the row is a valid question)."""
    found = [
        f"{where}：{key} 必填"
        for key in ("code", "stem", "answer", "explanation")
        if not _text(row, key)
    ]
    found += _vocabulary_errors(row, where)
    options = [_text(row, f"option_{letter.lower()}") for letter in LETTERS]
    answer = _text(row, "answer").upper()
    found += _answer_errors(_text(row, "kind"), options, answer, where)
    return found


def _question(row: Mapping[str, Any]) -> Question:
    kind = _text(row, "kind")
    options = (
        ()
        if kind == "true_false"
        else tuple(_text(row, f"option_{letter.lower()}") for letter in LETTERS)
    )
    return Question(
        code=_text(row, "code"),
        sector=_text(row, "sector"),
        job=_text(row, "job"),
        topic=_text(row, "topic"),
        kind=kind,
        stem=_text(row, "stem"),
        options=options,
        answer=_text(row, "answer").upper(),
        explanation=_text(row, "explanation"),
        source=_text(row, "source") or "安全常识",
    )


def questions_from_rows(rows: Iterable[tuple[int, Mapping[str, Any]]]) -> list[Question]:
    """Checked questions from (row number, row) pairs; QuestionsInvalid lists every problem of
    every row, and duplicate codes."""
    errors: list[FieldError] = []
    found: list[Question] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        where = f"第{number}行"
        problems = question_errors(row, where)
        code = _text(row, "code")
        if code and code in seen:
            problems.append(f"{where}：题目编号 {code} 与第{seen[code]}行重复")
        seen.setdefault(code, number)
        errors += [FieldError(where, "INVALID_QUESTION", message) for message in problems]
        if not problems:
            found.append(_question(row))
    if errors:
        raise QuestionsInvalid(errors)
    return found
