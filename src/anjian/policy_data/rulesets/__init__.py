"""The rule sets shipped with anjian (one TOML file each), read without Django."""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from anjian.domain.rules import RuleSet, ruleset_from_dict


@cache
def shipped_rulesets() -> dict[str, dict[str, Any]]:
    """Every shipped rule set's dictionary form, by name."""
    found: dict[str, dict[str, Any]] = {}
    for entry in resources.files(__package__).iterdir():
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            found[str(data["name"])] = data
    return found


def ruleset_for(name: str | None, day: date) -> RuleSet:
    """The shipped rule set called `name`, or the one in force on `day`.

    Raises LookupError(code, message) when there is none.
    """
    rulesets = {key: ruleset_from_dict(data) for key, data in shipped_rulesets().items()}
    if name is not None:
        if name not in rulesets:
            known = "、".join(sorted(rulesets))
            raise LookupError("UNKNOWN_POLICY", f"未知的规则集：{name}（可用：{known}）")
        return rulesets[name]
    for rules in rulesets.values():
        if rules.in_force_on(day):
            return rules
    raise LookupError("NO_POLICY_IN_FORCE", f"{day} 没有生效的规则集")
