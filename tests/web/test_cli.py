from __future__ import annotations

import json

import pytest

from anjian.cli import main


def run(capsys, *args: str) -> tuple[int, list[dict]]:  # type: ignore[no-untyped-def,type-arg]
    code = main(list(args))
    lines = capsys.readouterr().out.strip().splitlines()
    return code, [json.loads(line) for line in lines]


def test_validate_uscc(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = run(capsys, "validate", "uscc", "91350100M000100Y43", "91350100M000100Y44")
    assert code == 0
    assert out[0] == {"code": "91350100M000100Y43", "valid": True}
    assert out[1]["valid"] is False
    assert "校验码" in out[1]["reason"]


def test_validate_idcard(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = run(capsys, "validate", "idcard", "11010519491231002X", "abc")
    assert code == 0
    assert out[0]["valid"] is True
    assert out[1]["valid"] is False


@pytest.mark.parametrize(
    "args", [("validate",), ("validate", "passport", "X"), ("validate", "uscc"), ("audit", "fix")]
)
def test_bad_usage_is_a_json_error_with_exit_2(capsys, args) -> None:  # type: ignore[no-untyped-def]
    code, out = run(capsys, *args)
    assert code == 2
    assert set(out[0]["error"]) == {"code", "message", "details"}


def test_audit_verify(world, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = run(capsys, "audit", "verify")
    assert code == 0
    assert out[0]["ok"] is True
    assert out[0]["checked"] > 0
