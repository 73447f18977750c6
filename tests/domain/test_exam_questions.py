"""Exam questions as data: every row checked with its row number, all-or-nothing scoring, and the
shipped starter bank (≥ 300 questions across the sectors, jobs and topics)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from anjian.domain.exam.questions import (
    JOBS,
    TOPICS,
    QuestionsInvalid,
    questions_from_rows,
)
from anjian.policy_data.questions import shipped_questions

GOOD: dict[str, Any] = {
    "code": "T-001",
    "sector": "general",
    "job": "all",
    "topic": "law",
    "kind": "single",
    "stem": "从业人员发现事故隐患，应当（ ）。",
    "option_a": "自行处理后不再报告",
    "option_b": "立即向现场安全生产管理人员或者本单位负责人报告",
    "option_c": "等到月底安全检查时再说",
    "option_d": "只告诉同班组的工友",
    "answer": "B",
    "explanation": "安全生产法第五十九条规定从业人员发现事故隐患应当立即报告。",
    "source": "安全生产法第五十九条",
}


def _rows(*changes: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    return [(n + 2, {**GOOD, "code": f"T-{n:03d}", **c}) for n, c in enumerate(changes)]


def test_a_valid_row_is_a_question() -> None:
    [question] = questions_from_rows(_rows({}))
    assert question.answer == "B" and len(question.options) == 4
    assert question.choices[1] == ("B", GOOD["option_b"])
    assert question.is_correct("b") and not question.is_correct("A")


def test_multiple_choice_is_all_or_nothing_and_true_false_has_no_options() -> None:
    multiple, judge = questions_from_rows(
        _rows(
            {"kind": "multiple", "answer": "ACD"},
            {
                "kind": "true_false",
                "answer": "t",
                "option_a": "",
                "option_b": "",
                "option_c": "",
                "option_d": "",
            },
        )
    )
    assert multiple.is_correct("DCA") and not multiple.is_correct("AC")
    assert judge.options == () and judge.answer == "T" and judge.choices[0] == ("T", "正确")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"sector": "bakery"}, "未知的行业"),
        ({"job": "boss"}, "未知的岗位"),
        ({"topic": "luck"}, "未知的知识点"),
        ({"kind": "essay"}, "未知的题型"),
        ({"answer": "E"}, "答案应为"),
        ({"answer": "BA"}, "答案应为"),
        ({"answer": "AB"}, "单选题只能有一个正确答案"),
        ({"kind": "multiple", "answer": "C"}, "多选题至少有两个正确答案"),
        ({"option_c": ""}, "选项C为空"),
        ({"option_d": GOOD["option_a"]}, "选项重复"),
        ({"kind": "true_false", "answer": "T"}, "判断题不填选项"),
        ({"stem": ""}, "stem 必填"),
    ],
)
def test_bad_rows_are_refused_with_their_row(change: dict[str, Any], words: str) -> None:
    with pytest.raises(QuestionsInvalid) as caught:
        questions_from_rows(_rows({}, change))
    messages = [e.message for e in caught.value.errors]
    assert any(m.startswith("第3行") and words in m for m in messages), messages


def test_every_bad_row_is_listed_and_duplicates_found() -> None:
    rows = _rows({"sector": "x"}, {}, {"job": "y"})
    rows.append((9, {**GOOD, "code": "T-001"}))
    with pytest.raises(QuestionsInvalid) as caught:
        questions_from_rows(rows)
    fields = [e.field for e in caught.value.errors]
    assert fields == ["第2行", "第4行", "第9行"]
    assert "与第3行重复" in caught.value.errors[-1].message


def test_the_shipped_starter_bank() -> None:
    bank = shipped_questions()
    assert len(bank) >= 300
    assert len({q.code for q in bank}) == len(bank)
    sectors = Counter(q.sector for q in bank)
    assert {"general", "coal_mine", "non_coal_mine", "hazardous_chemicals"} <= set(sectors)
    assert sectors["metallurgy"] + sectors["industry_trade"] >= 30
    assert set(Counter(q.job for q in bank)) == set(JOBS)
    assert len(set(q.topic for q in bank)) >= len(TOPICS) - 1
    kinds = Counter(q.kind for q in bank)
    assert kinds["single"] >= 0.6 * len(bank) and kinds["true_false"] <= 0.1 * len(bank)
    letters = Counter(q.answer for q in bank if q.kind == "single")
    assert all(letters[x] >= 0.15 * kinds["single"] for x in "ABCD"), letters
    assert all(q.explanation and q.source for q in bank)
    # the key personnel's legal duties are in it
    assert sum(q.job in ("principal", "safety_manager") for q in bank) >= 30
