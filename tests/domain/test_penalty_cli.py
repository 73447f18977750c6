"""`anjian penalty` as interfaces.md specifies it: JSON in, the outcome or an error out."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.cli import main

EXAMPLE: dict[str, Any] = {
    "violation": {"law": "安全生产法", "article": "97", "item": "7"},
    "party": {"kind": "unit", "sector": "hazardous_chemicals"},
    "facts": {
        "overdue": False,
        "first_offense": True,
        "harm": "none",
        "corrected_in_time": True,
        "deaths_last_3_years": 0,
        "severely_dishonest": False,
        "count": 1,
    },
}


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, payload: Any) -> Any:
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code = main(["penalty", "-"])
    return code, json.loads(capsys.readouterr().out)


def test_the_example_answers_per_the_contract(capsys, monkeypatch) -> None:
    code, out = run(capsys, monkeypatch, EXAMPLE)
    assert code == 0
    assert out["statute"]["law"] == "安全生产法"
    assert (out["statute"]["article"], out["statute"]["item"]) == ("97", "7")
    assert out["statute"]["unit"] == {"min": 0, "max": 100000}
    assert out["statute"]["responsible_person"] is None
    assert out["statute"]["other_measures"] == ["责令限期改正"]
    assert out["benchmark"]["tier"] == "A"
    assert out["benchmark"]["unit"] == {"min": 0, "max": 30000}
    assert out["benchmark"]["id"] and out["benchmark"]["version"]
    assert out["disposition"] == "no_penalty_eligible"
    assert out["legal_review_required"] is False
    assert out["hearing_right"] is False
    # the reasons for the outcome come first; the ranges' own explanations after them
    assert out["reasons"][0]["code"] == "FIRST_OFFENSE"
    assert out["reasons"][0]["basis"] == "行政处罚法第三十三条" and out["reasons"][0]["message"]


def test_overdue_stage_selects_the_later_ranges(capsys, monkeypatch) -> None:
    data = json.loads(json.dumps(EXAMPLE))
    data["facts"]["overdue"] = True
    code, out = run(capsys, monkeypatch, data)
    assert code == 0
    assert out["statute"]["unit"] == {"min": 100000, "max": 200000}
    assert out["statute"]["responsible_person"] == {"min": 20000, "max": 50000}
    assert out["statute"]["other_measures"] == ["责令停产停业整顿"]
    assert out["disposition"] == "standard"
    assert out["legal_review_required"] is True and out["hearing_right"] is True


def test_the_provision_may_be_written_as_in_a_decision(capsys, monkeypatch) -> None:
    data = json.loads(json.dumps(EXAMPLE))
    data["violation"] = {
        "law": "《中华人民共和国安全生产法》",
        "article": "第九十七条",
        "item": "（七）",
    }
    code, out = run(capsys, monkeypatch, data)
    assert code == 0 and out["statute"]["law"] == "安全生产法"
    assert (out["statute"]["article"], out["statute"]["item"]) == ("97", "7")


def test_the_output_is_deterministic(capsys, monkeypatch) -> None:
    data = {**EXAMPLE, "date": "2026-03-01"}
    assert run(capsys, monkeypatch, data) == run(capsys, monkeypatch, data)


def test_file_argument(tmp_path: Path, capsys) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    assert main(["penalty", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["disposition"] == "no_penalty_eligible"


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"violation": {"law": "安全生产法", "article": "977"}}, "UNKNOWN_ARTICLE", "violation"),
        (
            {"violation": {"law": "安全生产法", "article": "97", "item": "9"}},
            "UNKNOWN_ITEM",
            "violation",
        ),
        ({"violation": {"law": "道路交通安全法", "article": "1"}}, "UNKNOWN_LAW", "violation"),
        ({"violation": {"law": "安全生产法"}}, "MISSING_FIELD", "violation.article"),
        ({"party": {"sector": "bakery"}}, "UNKNOWN_SECTOR", "party.sector"),
        ({"party": {}}, "MISSING_FIELD", "party.sector"),
        ({"party": {"kind": "robot", "sector": "other"}}, "UNKNOWN_PARTY_KIND", "party.kind"),
        ({"facts": {"count": -2}}, "BAD_NUMBER", "facts.count"),
        ({"facts": {"share": 35}}, "BAD_NUMBER", "facts.share"),
        ({"facts": {"harm": "terrible"}}, "UNKNOWN_HARM", "facts.harm"),
        ({"facts": {"first_offense": "yes"}}, "BAD_VALUE", "facts.first_offense"),
        ({"facts": {"mitigating": ["bribery"]}}, "UNKNOWN_CIRCUMSTANCE", "facts.mitigating[0]"),
        ({"date": "2026-13-01"}, "BAD_DATE", "date"),
    ],
)
def test_bad_input_is_refused_with_its_field(capsys, monkeypatch, change, code, field) -> None:
    data = {**json.loads(json.dumps(EXAMPLE)), **change}
    exit_code, out = run(capsys, monkeypatch, data)
    assert exit_code == 2
    assert out["error"]["code"] == code
    assert field in out["error"]["details"]
    assert out["error"]["message"]


def test_invalid_json(capsys, monkeypatch) -> None:
    code, out = run(capsys, monkeypatch, "{not json")
    assert code == 2 and out["error"]["code"] == "INVALID_JSON"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    violation=st.one_of(
        json_values,
        st.fixed_dictionaries(
            {
                "law": st.sampled_from(["安全生产法", "x"]),
                "article": json_values,
                "item": json_values,
            }
        ),
    ),
    party=json_values,
    facts=st.one_of(
        json_values,
        st.dictionaries(
            st.sampled_from(
                [
                    "overdue",
                    "count",
                    "share",
                    "harm",
                    "mitigating",
                    "tier",
                    "accident_grade",
                    "illegal_gains",
                    "deaths_last_3_years",
                ]
            ),
            json_values,
        ),
    ),
)
def test_never_a_traceback(capsys, monkeypatch, violation, party, facts) -> None:
    payload = json.dumps({"violation": violation, "party": party, "facts": facts})
    code, out = run(capsys, monkeypatch, payload)
    assert code in (0, 2)
    assert ("error" in out) == (code == 2)
