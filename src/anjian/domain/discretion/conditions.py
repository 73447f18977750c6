"""Machine-checkable conditions on the facts of a violation
(处数、人数、占比、从业人员、投资额、违法所得).

A benchmark tier or a list item says in words when it applies ("涉及人数占比10%以下"); where the
words are a bound on one number, the same bound is kept as a `Condition` so that the engine can
pick the tier itself. Bounds follow the usual reading of Chinese legal texts: 以上/以下 include the
number (`min`/`max`), 超过/不满 exclude it (`above`/`below`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FACTS: dict[str, str] = {
    "count": "处数（人次、台套、项数）",
    "persons": "涉及人数",
    "share": "涉及人数占从业人员比例",
    "employees": "从业人员数",
    "investment": "项目投资额（元）",
    "illegal_gains": "违法所得（元）",
}
BOUNDS = ("min", "above", "max", "below")


@dataclass(frozen=True)
class Condition:
    fact: str
    min: float | None = None
    above: float | None = None
    max: float | None = None
    below: float | None = None

    def matches(self, value: float) -> bool:
        return not (
            (self.min is not None and value < self.min)
            or (self.above is not None and value <= self.above)
            or (self.max is not None and value > self.max)
            or (self.below is not None and value >= self.below)
        )

    def _low(self) -> tuple[float, bool]:
        """Lower end and whether it is included."""
        if self.above is not None and (self.min is None or self.above >= self.min):
            return self.above, False
        return (self.min, True) if self.min is not None else (float("-inf"), False)

    def _high(self) -> tuple[float, bool]:
        if self.below is not None and (self.max is None or self.below <= self.max):
            return self.below, False
        return (self.max, True) if self.max is not None else (float("inf"), False)

    def is_empty(self) -> bool:
        low, low_in = self._low()
        high, high_in = self._high()
        return low > high or (low == high and not (low_in and high_in))

    def overlaps(self, other: Condition) -> bool:
        """Whether some value of the same fact satisfies both."""
        if self.fact != other.fact:
            return True
        low = max(self._low(), other._low(), key=lambda end: (end[0], not end[1]))
        high = min(self._high(), other._high(), key=lambda end: (end[0], end[1]))
        return low[0] < high[0] or (low[0] == high[0] and low[1] and high[1])

    def label(self) -> str:
        parts = []
        for bound, word in (("min", "≥"), ("above", ">"), ("max", "≤"), ("below", "<")):
            value = getattr(self, bound)
            if value is not None:
                parts.append(f"{word}{value:g}")
        return f"{FACTS.get(self.fact, self.fact)} {' 且 '.join(parts)}"

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"fact": self.fact}
        found.update({b: getattr(self, b) for b in BOUNDS if getattr(self, b) is not None})
        return found


def condition_from_dict(raw: Any) -> tuple[Condition | None, str | None]:
    """The condition, or None and the reason it cannot be read."""
    if raw is None:
        return None, None
    if not isinstance(raw, Mapping):
        return None, "条件应为表：{fact = …, min/max/above/below = …}"
    fact = raw.get("fact")
    if fact not in FACTS:
        return None, f"未知的事实：{fact}（可用：{'、'.join(FACTS)}）"
    bounds: dict[str, float] = {}
    for bound in BOUNDS:
        value = raw.get(bound)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, f"条件 {bound} 应为数字：{value}"
        bounds[bound] = float(value)
    if not bounds:
        return None, "条件至少要有一个界限（min、above、max、below）"
    condition = Condition(fact=str(fact), **bounds)
    if condition.is_empty():
        return None, f"条件永远不成立：{condition.label()}"
    return condition, None
