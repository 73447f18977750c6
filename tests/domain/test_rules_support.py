"""Quiet months, rule-set versions over time, mode suggestion and the rule-set data itself."""

from __future__ import annotations

from datetime import date

import pytest

from anjian.domain.rules import RuleSetInvalid, ruleset_from_dict, ruleset_to_dict
from anjian.domain.rules.coverage import Span, coverage_errors, insert_version, withdraw_version
from anjian.domain.rules.mode import ItemMethods, suggest_mode
from anjian.domain.rules.quiet import describe_days, exception_rate, validate_quiet_month
from anjian.policy_data.rulesets import shipped_rulesets

from .rules_fixtures import shanxi


def test_quiet_month_refuses_fewer_than_ten_days_and_says_so() -> None:
    errors = validate_quiet_month(2025, 6, range(1, 10), 10)
    assert [e.code for e in errors] == ["TOO_FEW_QUIET_DAYS"]
    assert "不少于 10 天" in errors[0].message and "9 天" in errors[0].message
    assert validate_quiet_month(2025, 6, range(1, 11), 10) == []
    assert [e.code for e in validate_quiet_month(2025, 2, [*range(1, 11), 30], 10)] == ["BAD_DATE"]
    assert "DUPLICATE" in [e.code for e in validate_quiet_month(2025, 6, [*range(1, 11), 3], 10)]


def test_describe_days_in_chinese_runs() -> None:
    days = [date(2025, 6, d) for d in (*range(1, 11), 20, 21, 25)]
    assert describe_days(days) == "6月1日至10日、20日至21日、25日"
    assert describe_days([date(2025, 6, 30), date(2025, 7, 1)]) == "6月30日至7月1日"


def test_exception_rate() -> None:
    assert exception_rate(0, 0) is None
    assert exception_rate(20, 1) == 0.05


def test_versions_cover_every_date_once() -> None:
    spans = [Span("v1", date(2025, 1, 1), None)]
    spans = insert_version(spans, "v2", date(2025, 7, 1))
    assert coverage_errors(spans) == []
    assert spans[0].until == date(2025, 6, 30) and spans[1].until is None
    spans = insert_version(spans, "v3", date(2025, 3, 1))
    assert {s.key: s.until for s in spans} == {
        "v1": date(2025, 2, 28),
        "v2": None,
        "v3": date(2025, 6, 30),
    }
    back = withdraw_version(spans, "v3")
    assert {s.key: s.until for s in back} == {"v1": date(2025, 6, 30), "v2": None}
    with pytest.raises(ValueError, match="已有规则集"):
        insert_version(spans, "v4", date(2025, 7, 1))
    with pytest.raises(ValueError, match="早于"):
        insert_version(spans, "v4", date(2024, 7, 1))
    with pytest.raises(ValueError, match="第一版"):
        withdraw_version(spans, "v1")


def test_coverage_errors_name_gaps_and_overlaps() -> None:
    gap = [Span("a", date(2025, 1, 1), date(2025, 1, 31)), Span("b", date(2025, 3, 1), None)]
    assert coverage_errors(gap) == ["2025-02-01 至 2025-02-28 没有生效的规则集"]
    overlap = [Span("a", date(2025, 1, 1), None), Span("b", date(2025, 3, 1), None)]
    assert "重叠" in coverage_errors(overlap)[0]
    assert "以后没有" in coverage_errors([Span("a", date(2025, 1, 1), date(2025, 12, 31))])[0]


def test_mode_suggestion() -> None:
    remote = ItemMethods("A", "在线监测", frozenset({"remote", "written", "on_site"}))
    papers = ItemMethods("B", "培训档案", frozenset({"written", "on_site"}))
    site = ItemMethods("C", "现场设备", frozenset({"on_site"}))
    assert suggest_mode([remote], True).mode == "remote"
    assert suggest_mode([remote], False).mode == "written"
    assert suggest_mode([remote, papers], True).mode == "written"
    chosen = suggest_mode([remote, site], True)
    assert chosen.mode == "on_site" and "C 现场设备" in chosen.reason
    assert suggest_mode([], True).mode == "on_site"


def test_shipped_rule_set_round_trips_and_documents_its_choices() -> None:
    rules = shanxi()
    assert ruleset_from_dict(ruleset_to_dict(rules)) == rules
    assert len(rules.choices) >= 5
    assert all(rules.basis(code) for code in ("CAP_EXCEEDED", "QUIET_PERIOD", "WRONG_LEVEL"))


def test_a_broken_rule_set_lists_every_problem() -> None:
    data = dict(shipped_rulesets()["shanxi-2025"])
    data["caps"] = {**data["caps"], "coal_mine": {"A": 2, "B": -1, "C": "six"}}
    data["activities"] = {k: v for k, v in data["activities"].items() if k != "research_visit"}
    data["effective_from"] = "2025-13-01"
    with pytest.raises(RuleSetInvalid) as caught:
        ruleset_from_dict(data)
    fields = {e.field for e in caught.value.errors}
    assert {"caps.coal_mine.B", "caps.coal_mine.C", "caps.coal_mine.D"} <= fields
    assert {"activities.research_visit", "effective_from"} <= fields
