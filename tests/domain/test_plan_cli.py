"""`anjian plan` as interfaces.md specifies it: a month of visits in, entries and metrics out;
bad input gets exit code 2 and a JSON error naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anjian.cli import main
from anjian.domain.planning.parse import parse_plan_input
from anjian.domain.planning.planner import make_plan
from anjian.domain.planning.validate import plan_violations

EXAMPLE = {
    "month": "2025-06",
    "non_working_days": ["2025-06-02"],
    "quiet_days": [f"2025-06-{d}" for d in range(20, 30)],
    "enterprises": [
        {"id": "E1", "remaining_cap": 1, "supervisor_days": []},
        {"id": "E2", "remaining_cap": 2},
        {"id": "E3", "remaining_cap": 0},
    ],
    "officers": [
        {"id": "o1", "section": "hazchem", "unavailable": [], "max_entries_per_day": 1},
        {"id": "o2", "section": "hazchem"},
        {"id": "o3", "section": "team", "unavailable": ["2025-06-05"]},
    ],
    "visits": [
        {
            "id": "V1",
            "enterprise": "E1",
            "section": "hazchem",
            "activity": "enforcement_inspection",
            "earliest": "2025-06-03",
            "latest": "2025-06-27",
            "remote_ok": False,
        },
        {
            "id": "V2",
            "enterprise": "E1",
            "section": "team",
            "activity": "rectification_review",
            "earliest": "2025-06-09",
            "latest": "2025-06-13",
        },
        {
            "id": "V3",
            "enterprise": "E2",
            "section": "hazchem",
            "activity": "assistance_guidance",
            "earliest": "2025-06-03",
            "latest": "2025-06-30",
            "remote_ok": True,
        },
        {
            "id": "V9",
            "enterprise": "E3",
            "section": "hazchem",
            "activity": "enforcement_inspection",
            "earliest": "2025-06-03",
            "latest": "2025-06-30",
        },
    ],
    "options": {"time_limit_s": 10, "seed": 0},
}


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], payload: object) -> tuple[int, dict]:
    path = tmp_path / "in.json"
    path.write_text(payload if isinstance(payload, str) else json.dumps(payload), encoding="utf-8")
    code = main(["plan", str(path)])
    return code, json.loads(capsys.readouterr().out)


def changed(**parts: object) -> dict:
    data = json.loads(json.dumps(EXAMPLE))
    data.update(parts)
    return data


def test_the_example_answers_per_the_contract(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = run(tmp_path, capsys, EXAMPLE)
    assert code == 0
    assert set(out) == {"status", "entries", "remote", "unscheduled", "metrics"}
    assert out["status"] == "OPTIMAL"
    [entry] = out["entries"]
    assert entry["enterprise"] == "E1" and entry["visits"] == ["V1", "V2"]
    assert "2025-06-09" <= entry["date"] <= "2025-06-13"
    assert len(entry["officers"]) >= 2 and "o3" in entry["officers"]
    assert entry["reasons"]
    assert out["remote"] == [{"visit": "V3", "date": "2025-06-03"}]
    assert out["unscheduled"] == [{"visit": "V9", "reason": "CAP"}]
    metrics = out["metrics"]
    assert {k: metrics[k] for k in ("visits", "entries", "baseline_entries", "lower_bound")} == {
        "visits": 4,
        "entries": 1,
        "baseline_entries": 3,
        "lower_bound": 1,
    }
    assert isinstance(metrics["solve_seconds"], float | int)


def test_the_same_input_gives_the_same_plan(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    first = run(tmp_path, capsys, EXAMPLE)[1]
    second = run(tmp_path, capsys, EXAMPLE)[1]
    first["metrics"].pop("solve_seconds"), second["metrics"].pop("solve_seconds")
    assert first == second


def test_weekends_can_be_working_days(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    only_saturday = changed(options={"weekends_off": False})
    only_saturday["visits"] = [
        {**EXAMPLE["visits"][0], "earliest": "2025-06-07", "latest": "2025-06-07"}  # type: ignore[dict-item]
    ]
    code, out = run(tmp_path, capsys, only_saturday)
    assert code == 0 and out["entries"][0]["date"] == "2025-06-07"
    parsed = parse_plan_input(only_saturday)
    assert plan_violations(parsed, make_plan(parsed)) == []


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"month": "2025-13"}, "BAD_MONTH", "month"),
        ({"month": None}, "MISSING_FIELD", "month"),
        ({"quiet_days": ["2025-06-31"]}, "BAD_DATE", "quiet_days[0]"),
        ({"non_working_days": "2025-06-02"}, "NOT_A_LIST", "non_working_days"),
        ({"enterprises": [{"id": "E1"}, {"id": "E1"}]}, "DUPLICATE_ID", "enterprises"),
        (
            {"enterprises": [{"id": "E1", "remaining_cap": -1}]},
            "BAD_NUMBER",
            "enterprises[0].remaining_cap",
        ),
        ({"officers": ["o1"]}, "NOT_AN_OBJECT", "officers[0]"),
        ({"options": {"time_limit_s": 0}}, "BAD_NUMBER", "options.time_limit_s"),
        ({"options": {"weekends_off": "no"}}, "BAD_FLAG", "options.weekends_off"),
        ({"options": {"seed": "x"}}, "BAD_NUMBER", "options.seed"),
    ],
)
def test_bad_input_names_the_field(tmp_path, capsys, change, code, field) -> None:  # type: ignore[no-untyped-def]
    data = changed(**change)
    if "enterprises" in change:
        data["visits"] = []
    status, out = run(tmp_path, capsys, data)
    assert status == 2
    assert out["error"]["code"] == code
    assert field in out["error"]["details"]


@pytest.mark.parametrize(
    ("visit_change", "code", "field"),
    [
        ({"enterprise": "E404"}, "UNKNOWN_ENTERPRISE", "visits[0].enterprise"),
        ({"activity": "tea"}, "UNKNOWN_ACTIVITY", "visits[0].activity"),
        ({"latest": "2025-06-01"}, "CONTRADICTION", "visits[0].latest"),
        ({"earliest": "6/3"}, "BAD_DATE", "visits[0].earliest"),
        ({"remote_ok": "yes"}, "BAD_FLAG", "visits[0].remote_ok"),
        ({"id": ""}, "MISSING_FIELD", "visits[0].id"),
    ],
)
def test_a_bad_visit_names_its_field(tmp_path, capsys, visit_change, code, field) -> None:  # type: ignore[no-untyped-def]
    data = changed()
    data["visits"][0].update(visit_change)
    status, out = run(tmp_path, capsys, data)
    assert status == 2 and out["error"]["code"] == code and field in out["error"]["details"]


def test_a_duplicate_visit_id_is_refused(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = changed()
    data["visits"][1]["id"] = "V1"
    status, out = run(tmp_path, capsys, data)
    assert status == 2 and out["error"]["code"] == "DUPLICATE_ID"


@pytest.mark.parametrize("payload", ["{not json", "[]", '"text"'])
def test_not_an_object_is_refused(tmp_path, capsys, payload) -> None:  # type: ignore[no-untyped-def]
    status, out = run(tmp_path, capsys, payload)
    assert status == 2 and out["error"]["code"]


def test_a_missing_file_is_refused(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["plan", str(tmp_path / "none.json")]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"]
