"""`anjian exam simulate` as interfaces.md specifies it: JSON in, the figures or an error out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.cli import main

SMALL: dict[str, Any] = {
    "generate": {"items": 60, "seed": 1},
    "simulees": 40,
    "seed": 7,
    "method": "cat",
    "max_items": 5,
    "min_se": None,
}
BANK = {
    "items": [
        {"id": f"q{n}", "a": 0.8 + n / 10, "b": n / 5 - 1, "topic": ["laws", "fire"][n % 2]}
        for n in range(10)
    ]
}


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], payload: Any) -> tuple[int, Any]:
    path = tmp_path / "input.json"
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    code = main(["exam", "simulate", str(path)])
    return code, json.loads(capsys.readouterr().out)


def test_the_output_has_exactly_the_contract_keys(tmp_path, capsys) -> None:
    code, out = run(tmp_path, capsys, SMALL)
    assert code == 0
    assert list(out) == ["rmse", "bias", "mean_items", "mean_se", "max_exposure", "seconds"]
    assert all(isinstance(v, float) for v in out.values())
    assert out["mean_items"] == 5.0 and 0 < out["max_exposure"] <= 0.2
    assert 0 < out["mean_se"] < 1 and out["rmse"] > abs(out["bias"])


def test_the_same_input_gives_the_same_figures_but_the_seconds(tmp_path, capsys) -> None:
    _, one = run(tmp_path, capsys, SMALL)
    _, two = run(tmp_path, capsys, SMALL)
    _, other = run(tmp_path, capsys, {**SMALL, "seed": 8})
    one.pop("seconds"), two.pop("seconds"), other.pop("seconds")
    assert one == two and one != other


def test_an_explicit_bank_random_forms_and_an_se_target(tmp_path, capsys) -> None:
    payload = {**SMALL, "bank": BANK, "method": "random", "max_items": 10, "min_se": 0.7}
    del payload["generate"]
    code, out = run(tmp_path, capsys, payload)
    assert code == 0 and out["mean_items"] < 10
    code, out = run(tmp_path, capsys, {**payload, "min_se": None})
    assert code == 0 and (out["mean_items"], out["max_exposure"]) == (10.0, 1.0)


def test_standard_input_and_usage(tmp_path, capsys, monkeypatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(SMALL)))
    assert main(["exam", "simulate", "-"]) == 0
    assert "rmse" in json.loads(capsys.readouterr().out)
    assert main(["exam", "grade", "x"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "UNKNOWN_COMMAND"
    assert main(["exam", "simulate"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "USAGE"
    assert main(["--help"]) == 0 and "exam simulate" in capsys.readouterr().out


def with_bank(items: list[Any]) -> dict[str, Any]:
    payload = {k: v for k, v in SMALL.items() if k != "generate"}
    return {**payload, "bank": {"items": items}}


GOOD = {"id": "q", "a": 1.0, "b": 0.0, "topic": "laws"}
CASES = [
    ("{not json", "INVALID_JSON", []),
    ([1, 2], "NOT_AN_OBJECT", [""]),
    ({k: v for k, v in SMALL.items() if k != "method"}, "MISSING_FIELD", ["method"]),
    ({k: v for k, v in SMALL.items() if k != "generate"}, "MISSING_FIELD", ["bank"]),
    ({**SMALL, "bank": BANK}, "AMBIGUOUS_BANK", ["bank"]),
    ({**SMALL, "method": "mle"}, "UNKNOWN_METHOD", ["method"]),
    ({**SMALL, "simulees": 0}, "BAD_NUMBER", ["simulees"]),
    ({**SMALL, "simulees": 2.5}, "BAD_NUMBER", ["simulees"]),
    ({**SMALL, "max_items": 61}, "BAD_NUMBER", ["max_items"]),
    ({**SMALL, "min_se": -0.1}, "BAD_NUMBER", ["min_se"]),
    ({**SMALL, "seed": "7"}, "BAD_NUMBER", ["seed"]),
    ({**SMALL, "generate": {"items": 10**400, "seed": 1}}, "BAD_NUMBER", ["generate.items"]),
    (with_bank([]), "EMPTY_BANK", ["bank.items"]),
    (
        with_bank([{**GOOD, "id": f"q{n}"} for n in range(3)] + [{**GOOD, "a": 0}]),
        "BAD_NUMBER",
        ["bank.items[3].a"],
    ),
    (
        with_bank([{**GOOD, "id": f"q{n}"} for n in range(5)] + [{**GOOD, "id": "q2"}]),
        "DUPLICATE_ITEM",
        ["bank.items[5].id"],
    ),
    (
        with_bank([{**GOOD, "id": f"q{n}"} for n in range(5)] + [{"a": 1, "b": "x"}]),
        "MISSING_FIELD",
        ["bank.items[5].id", "bank.items[5].b"],
    ),
]


@pytest.mark.parametrize(("payload", "code", "fields"), CASES)
def test_bad_input_exits_2_naming_the_fields(tmp_path, capsys, payload, code, fields) -> None:
    status, out = run(tmp_path, capsys, payload)
    assert status == 2
    assert out["error"]["code"] == code
    assert out["error"]["details"] == fields
    assert out["error"]["message"] and "Traceback" not in out["error"]["message"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
KEYS = ["bank", "generate", "simulees", "seed", "method", "max_items", "min_se"]


@given(st.one_of(json_values, st.fixed_dictionaries({}, optional={k: json_values for k in KEYS})))
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_arbitrary_json_never_raises(tmp_path, capsys, payload) -> None:
    status, out = run(tmp_path, capsys, payload)
    assert status in (0, 2)
    assert (status == 2) == ("error" in out)


@given(key=st.sampled_from([*KEYS, "items"]), value=json_values)
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_one_bad_field_in_a_valid_input_never_raises(tmp_path, capsys, key, value) -> None:
    payload = dict(SMALL)
    if key == "items":
        payload = with_bank([dict(GOOD, id=f"q{n}") for n in range(6)])
        payload["bank"]["items"][3]["a"] = value
    else:
        payload[key] = value
    status, out = run(tmp_path, capsys, payload)
    assert status in (0, 2)
    if status == 2:
        assert out["error"]["code"].isupper() and out["error"]["details"]
