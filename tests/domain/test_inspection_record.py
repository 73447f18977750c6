"""What a finished inspection record needs (domain/inspections.py), without a database."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.inspections import RecordFacts, record_problems, unknown_items


def complete(mode: str, items: frozenset[int], findings: frozenset[int]) -> RecordFacts:
    return RecordFacts(
        mode=mode,
        task_items=items,
        results={i: ("finding" if i in findings else "checked") for i in items},
        findings_per_item={i: 1 for i in findings},
        evidence_kinds=frozenset({"video_session", "document_reviewed"}),
        checked_in=mode == "on_site",
        confirmation="confirmed" if mode == "on_site" else "pending",
    )


items_and_findings = st.sets(st.integers(1, 50), min_size=1, max_size=8).flatmap(
    lambda s: st.tuples(st.just(frozenset(s)), st.sets(st.sampled_from(sorted(s))).map(frozenset))
)
modes = st.sampled_from(["on_site", "remote", "written"])


@given(items_and_findings, modes)
def test_a_complete_record_has_no_problems(pair, mode) -> None:  # type: ignore[no-untyped-def]
    items, findings = pair
    assert record_problems(complete(mode, items, findings)) == []


@given(items_and_findings, modes, st.data())
def test_each_missing_part_is_named(pair, mode, data) -> None:  # type: ignore[no-untyped-def]
    items, findings = pair
    facts = complete(mode, items, findings)
    dropped = data.draw(st.sampled_from(sorted(items)))
    missing = replace(facts, results={k: v for k, v in facts.results.items() if k != dropped})
    assert any("未填写" in p for p in record_problems(missing))
    stranger = replace(facts, results={**facts.results, 999: "checked"})
    assert any("不属于本任务" in p for p in record_problems(stranger))
    if findings:
        bare = replace(facts, findings_per_item={})
        assert any("至少登记一条问题" in p for p in record_problems(bare))
    if mode == "on_site":
        assert any("签到" in p for p in record_problems(replace(facts, checked_in=False)))
        unsigned = replace(facts, confirmation="pending")
        assert any("签字" in p for p in record_problems(unsigned))
    else:
        bare = replace(facts, evidence_kinds=frozenset())
        assert any("非现场检查须上传" in p for p in record_problems(bare))


def test_refusal_to_sign_is_a_valid_ending() -> None:
    facts = replace(complete("on_site", frozenset({1}), frozenset()), confirmation="refused")
    assert record_problems(facts) == []


def test_unknown_items() -> None:
    assert unknown_items([1, 2, 3], [3, 4, 4, 5]) == [4, 5]
