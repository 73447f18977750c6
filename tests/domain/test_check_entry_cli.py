"""`anjian check-entry` as interfaces.md specifies it: JSON in, verdict or error out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anjian.cli import main

EXAMPLE = {
    "policy": "shanxi-2025",
    "enterprise": {
        "id": "E1",
        "sector": "hazardous_chemicals",
        "standardization_grade": 2,
        "coal_mine_class": None,
        "non_coal_risk_class": None,
        "supervising_body": "county",
    },
    "quiet_days": ["2025-06-01", "2025-06-02"],
    "history": [
        {
            "date": "2025-03-02",
            "body": "county",
            "activity": "enforcement_inspection",
            "mode": "on_site",
            "joint_id": "J7",
        }
    ],
    "proposed": {
        "date": "2025-06-05",
        "body": "county",
        "activity": "enforcement_inspection",
        "mode": "on_site",
        "joint_id": None,
        "officers": 2,
        "quiet_exception_approved": False,
    },
}


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], payload: object) -> tuple[int, dict]:
    path = tmp_path / "in.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    code = main(["check-entry", str(path)])
    return code, json.loads(capsys.readouterr().out)


def with_changes(**parts: dict) -> dict:
    data = json.loads(json.dumps(EXAMPLE))
    for key, change in parts.items():
        data[key].update(change)
    return data


def test_the_example_answers_per_the_contract(tmp_path, capsys) -> None:
    code, out = run(tmp_path, capsys, EXAMPLE)
    assert code == 0
    assert out == {
        "allowed": True,
        "counts": {"year": 2025, "entries": 1, "cap": 4, "supervision": 0, "supervision_cap": 3},
        "reasons": [],
    }


def test_a_quiet_day_is_blocked_with_basis(tmp_path, capsys) -> None:
    code, out = run(tmp_path, capsys, with_changes(proposed={"date": "2025-06-02"}))
    assert code == 0 and out["allowed"] is False
    [reason] = out["reasons"]
    assert reason["code"] == "QUIET_PERIOD" and reason["severity"] == "block"
    assert "三(一)4" in reason["basis"] and "安静期" in reason["message"]


def test_policy_defaults_to_the_one_in_force(tmp_path, capsys) -> None:
    data = json.loads(json.dumps(EXAMPLE))
    del data["policy"]
    assert run(tmp_path, capsys, data)[0] == 0


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ("{not json", "INVALID_JSON", None),
        ([1, 2], "NOT_AN_OBJECT", ""),
        (with_changes(enterprise={"sector": "bakery"}), "UNKNOWN_SECTOR", "enterprise.sector"),
        (
            with_changes(enterprise={"standardization_grade": 7}),
            "UNKNOWN_GRADE",
            "enterprise.standardization_grade",
        ),
        (
            with_changes(enterprise={"sector": "coal_mine"}),
            "MISSING_FIELD",
            "enterprise.coal_mine_class",
        ),
        (
            with_changes(enterprise={"supervising_body": "town"}),
            "UNKNOWN_LEVEL",
            "enterprise.supervising_body",
        ),
        (with_changes(proposed={"activity": "tea_party"}), "UNKNOWN_ACTIVITY", "proposed.activity"),
        (with_changes(proposed={"mode": "drone"}), "UNKNOWN_MODE", "proposed.mode"),
        (with_changes(proposed={"date": "2025-02-30"}), "BAD_DATE", "proposed.date"),
        (with_changes(proposed={"date": "5 June"}), "BAD_DATE", "proposed.date"),
        (with_changes(proposed={"officers": -1}), "BAD_NUMBER", "proposed.officers"),
        (with_changes(proposed={"joint_id": "J7"}), "CONTRADICTION", "proposed.joint_id"),
        (
            with_changes(proposed={"activity": "supervisor_patrol"}),
            "CONTRADICTION",
            "proposed.activity",
        ),
        ({**EXAMPLE, "policy": "mars-2099"}, "UNKNOWN_POLICY", "policy"),
        (
            with_changes(proposed={"date": "2019-06-05"}) | {"policy": None},
            "NO_POLICY_IN_FORCE",
            "policy",
        ),
        ({**EXAMPLE, "quiet_days": ["2025-06-31"]}, "BAD_DATE", "quiet_days[0]"),
        ({**EXAMPLE, "history": "none"}, "NOT_A_LIST", "history"),
    ],
)
def test_bad_input_is_a_clear_error_never_a_traceback(
    tmp_path, capsys, payload, code, field
) -> None:
    status, out = run(tmp_path, capsys, payload)
    assert status == 2
    assert out["error"]["code"] == code
    assert out["error"]["message"]
    if field is not None:
        assert field in out["error"]["details"]


def test_standard_input(monkeypatch, capsys) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(EXAMPLE)))
    assert main(["check-entry", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["allowed"] is True
