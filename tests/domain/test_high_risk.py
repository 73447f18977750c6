"""工贸 is not high-risk: one definition (registry.HIGH_RISK_SECTORS) serves the caps, the training
hours and the annual plan; the rule set's quiet defaults are checked when it is read."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from anjian.cli import main
from anjian.domain.registry import HIGH_RISK_SECTORS, cap_table, is_high_risk
from anjian.domain.rules import RuleSetInvalid, ruleset_from_dict, ruleset_to_dict
from anjian.domain.rules.quiet import declaration_deadline, default_days, parse_ranges
from anjian.domain.training.requirements import RequirementsInvalid, requirements_from_dict
from anjian.policy_data.rulesets import shipped_rulesets
from anjian.policy_data.training import shipped_requirements_dict

SHIPPED = shipped_rulesets()["shanxi-2025"]


def test_one_definition_of_high_risk() -> None:
    assert {"hazardous_chemicals", "metallurgy", "coal_mine", "non_coal_mine"} == HIGH_RISK_SECTORS
    assert not is_high_risk("industry_trade") and not is_high_risk("other")
    assert [cap_table(s) for s in ("industry_trade", "metallurgy", "coal_mine")] == [
        "other",
        "high_risk",
        "coal_mine",
    ]


@pytest.mark.parametrize(("grade", "cap"), [(1, 1), (2, 2), (3, 4), (None, 6)])
def test_industry_trade_takes_the_non_high_risk_row(grade: int | None, cap: int) -> None:
    rules = ruleset_from_dict(SHIPPED)
    assert rules.cap_for("industry_trade", grade, None, None)[0] == cap
    assert rules.cap_for("industry_trade", 2, None, None)[1] == "非高危行业 标准化二级"
    assert rules.cap_for("metallurgy", 2, None, None) == (4, "高危行业 标准化二级")


def test_an_old_stored_high_risk_list_has_no_effect() -> None:
    old = {**copy.deepcopy(SHIPPED), "high_risk_sectors": ["industry_trade", "metallurgy"]}
    rules = ruleset_from_dict(old)
    assert rules.cap_for("industry_trade", 2, None, None)[0] == 2
    assert "high_risk_sectors" not in ruleset_to_dict(rules)
    assert "high_risk_sectors" not in SHIPPED


def test_training_reads_the_same_definition_and_refuses_another() -> None:
    data = copy.deepcopy(shipped_requirements_dict())
    assert requirements_from_dict(data).high_risk_sectors == HIGH_RISK_SECTORS
    data["high_risk"]["sectors"] = ["hazardous_chemicals", "metallurgy", "industry_trade"]
    with pytest.raises(RequirementsInvalid) as refused:
        requirements_from_dict(data)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("high_risk.sectors", "CONTRADICTION")
    ]


def test_check_entry_gives_a_grade_two_industry_trade_firm_a_cap_of_two(tmp_path, capsys) -> None:
    entry = {"body": "county", "activity": "enforcement_inspection", "mode": "on_site"}
    payload = {
        "policy": "shanxi-2025",
        "enterprise": {
            "id": "E9",
            "sector": "industry_trade",
            "standardization_grade": 2,
            "coal_mine_class": None,
            "non_coal_risk_class": None,
            "supervising_body": "county",
        },
        "quiet_days": [],
        "history": [{**entry, "date": "2025-03-12"}, {**entry, "date": "2025-05-13"}],
        "proposed": {**entry, "date": "2025-06-16", "officers": 2},
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    assert main(["check-entry", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["allowed"] is False
    assert out["counts"] == {
        "year": 2025,
        "entries": 2,
        "cap": 2,
        "supervision": 0,
        "supervision_cap": 3,
    }
    assert [r["code"] for r in out["reasons"]] == ["CAP_EXCEEDED"]


def test_check_entry_accepts_an_emergency_ground_as_a_back_fill_notice(
    tmp_path: Path, capsys
) -> None:
    payload = {
        "enterprise": {"sector": "other", "supervising_body": "county"},
        "quiet_days": ["2025-06-16"],
        "proposed": {
            "date": "2025-06-16",
            "body": "county",
            "activity": "enforcement_inspection",
            "mode": "on_site",
            "officers": 2,
            "quiet_emergency_ground": "accident",
        },
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    assert main(["check-entry", str(path)]) == 0
    [reason] = json.loads(capsys.readouterr().out)["reasons"]
    assert (reason["code"], reason["severity"]) == ("QUIET_BACKFILL", "notice")
    assert "生产安全事故" in reason["message"] and "事后补批" in reason["message"]


def test_default_quiet_days_and_their_deadline() -> None:
    rules = ruleset_from_dict(SHIPPED)
    assert rules.quiet_default_days == ((1, 10),) and rules.quiet_declare_by == 25
    assert rules.quiet_backfill_workdays == 3
    assert default_days(2026, 2, ((21, 31),)) == list(range(21, 29))
    assert declaration_deadline(2026, 3, 30).isoformat() == "2026-02-28"
    assert declaration_deadline(2026, 1, 25).isoformat() == "2025-12-25"
    assert parse_ranges("1-5，16至20日") == ((1, 5), (16, 20))
    with pytest.raises(ValueError):
        parse_ranges("一到十")


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"quiet_default_days": [[1, 5]]}, "quiet_default_days", "TOO_FEW_QUIET_DAYS"),
        ({"quiet_default_days": [[21, 31]]}, "quiet_default_days", "TOO_FEW_QUIET_DAYS"),
        ({"quiet_default_days": [[1, 10], [5, 12]]}, "quiet_default_days", "DUPLICATE"),
        ({"quiet_default_days": [[10, 1]]}, "quiet_default_days", "BAD_RANGE"),
        ({"quiet_declare_by": 30}, "quiet_declare_by", "BAD_NUMBER"),
        ({"quiet_backfill_workdays": 0}, "quiet_backfill_workdays", "BAD_NUMBER"),
    ],
)
def test_bad_quiet_settings_are_refused(change: dict, field: str, code: str) -> None:
    with pytest.raises(RuleSetInvalid) as refused:
        ruleset_from_dict({**copy.deepcopy(SHIPPED), **change})
    assert (field, code) in [(e.field, e.code) for e in refused.value.errors]
