"""The discretion data shipped with anjian, read without Django: the statute's ranges
(`statute-*.toml`), the starter benchmarks (`benchmarks/*.toml`) and the starter
flexible-enforcement lists (`lists/*.toml`). The app loads the benchmarks and lists into the
database, where the legal office replaces them with the official tables.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from anjian.domain.discretion.benchmark import Benchmark, benchmark_from_dict
from anjian.domain.discretion.lists import FlexibleList, list_from_dict
from anjian.domain.discretion.statute import Statute, statute_from_dicts


def _documents(folder: str | None, prefix: str = "") -> list[dict[str, Any]]:
    root = resources.files(__package__)
    place = root.joinpath(folder) if folder else root
    return [
        tomllib.loads(entry.read_text(encoding="utf-8"))
        for entry in sorted(place.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml") and entry.name.startswith(prefix)
    ]


@cache
def general_rules() -> tuple[dict[str, str], ...]:
    """The Administrative Penalty Law's general rules (general-rules.toml): article, title, the
    rule, and where anjian applies it."""
    data = tomllib.loads(
        resources.files(__package__).joinpath("general-rules.toml").read_text(encoding="utf-8")
    )
    return tuple({key: str(value) for key, value in rule.items()} for rule in data["rule"])


@cache
def shipped_statute() -> Statute:
    return statute_from_dicts(_documents(None, "statute-"))


def shipped_benchmark_dicts() -> list[dict[str, Any]]:
    return _documents("benchmarks")


def shipped_list_dicts() -> list[dict[str, Any]]:
    return _documents("lists")


@cache
def shipped_benchmarks() -> tuple[Benchmark, ...]:
    statute = shipped_statute()
    return tuple(benchmark_from_dict(data, statute) for data in shipped_benchmark_dicts())


@cache
def shipped_lists() -> tuple[FlexibleList, ...]:
    return tuple(list_from_dict(data) for data in shipped_list_dicts())
