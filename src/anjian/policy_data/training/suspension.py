"""The suspension procedure's data shipped with anjian (`suspension.toml`), read without Django."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from anjian.domain.training.suspension import SuspensionPolicy, suspension_policy_from_dict


def shipped_suspension_dict() -> dict[str, Any]:
    folder = resources.files("anjian.policy_data.training")
    return tomllib.loads(folder.joinpath("suspension.toml").read_text(encoding="utf-8"))


@cache
def shipped_suspension_policy() -> SuspensionPolicy:
    """The shipped data, checked; raises SuspensionPolicyInvalid on a broken file."""
    return suspension_policy_from_dict(shipped_suspension_dict())
