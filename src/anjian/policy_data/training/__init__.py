"""The training requirements shipped with anjian (`requirements.toml`), read without Django."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from anjian.domain.training.requirements import Requirements, requirements_from_dict


def shipped_requirements_dict() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("requirements.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def shipped_requirements() -> Requirements:
    """The shipped requirements, checked; raises RequirementsInvalid on a broken file."""
    return requirements_from_dict(shipped_requirements_dict())
