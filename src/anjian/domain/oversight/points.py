"""The yearly mix of contact points (基层联系点, 实施方案三（二）4): how many enterprises of each
sector a body designates. The mix is data (`policy_data/contact_points.toml`); this module parses
it and checks a designation against it, saying exactly what is missing or extra.

Pure Python, no Django."""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from anjian.domain.registry import SECTORS


class MixError(ValueError):
    """The mix file is not a valid mix; the message (Chinese) names the problem."""


@dataclass(frozen=True)
class Mix:
    """Sector code → the number of contact points of that sector, in the file's order."""

    counts: tuple[tuple[str, int], ...]

    def as_dict(self) -> dict[str, int]:
        return dict(self.counts)

    @property
    def total(self) -> int:
        return sum(count for _sector, count in self.counts)


def mix_from_dict(data: Mapping[str, Any]) -> Mix:
    """The mix of a parsed file (`{"mix": {sector: count}}`); MixError on anything else."""
    raw = data.get("mix")
    if not isinstance(raw, Mapping) or not raw:
        raise MixError("缺少 [mix] 表")
    counts: list[tuple[str, int]] = []
    for sector, count in raw.items():
        if sector not in SECTORS:
            raise MixError(f"mix.{sector}：不是已知的行业代码")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise MixError(f"mix.{sector}：家数应为非负整数")
        counts.append((sector, count))
    return Mix(tuple(counts))


def mix_parse(text: str) -> Mix:
    """Parses the TOML text of a mix file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MixError(f"不是有效的 TOML：{error}") from error
    return mix_from_dict(data)


def mix_problems(mix: Mix, sectors: Iterable[str]) -> list[str]:
    """What is missing or extra in a designation whose enterprises are of `sectors` (one entry
    per enterprise): one Chinese sentence per sector that is off, in the mix's order and then
    the extra sectors in the registry's order. An empty list means the mix is right."""
    actual = Counter(sectors)
    wanted = mix.as_dict()
    problems = [
        f"{SECTORS[sector]}应为 {count} 家，现为 {actual.get(sector, 0)} 家"
        for sector, count in mix.counts
        if actual.get(sector, 0) != count
    ]
    problems.extend(
        f"{SECTORS.get(sector, sector)}不在联系点行业之列，现有 {actual[sector]} 家"
        for sector in sorted(actual, key=_registry_order)
        if sector not in wanted
    )
    return problems


def _registry_order(sector: str) -> int:
    order = list(SECTORS)
    return order.index(sector) if sector in order else len(order)
