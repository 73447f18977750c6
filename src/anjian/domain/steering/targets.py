"""A figure against last year and against its published target. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# How a target reads: the change against last year in per cent ("change"), or the figure itself
# at most / at least a value ("at_most", "at_least").
TARGET_KINDS: dict[str, str] = {
    "change_at_most": "同比变化不高于（%）",
    "change_at_least": "同比变化不低于（%）",
    "at_most": "不高于",
    "at_least": "不低于",
}


def change_percent(current: float, previous: float) -> Decimal | None:
    """The change from `previous` to `current` in per cent, one decimal; None when there is
    nothing to compare with (last year zero)."""
    if previous == 0:
        return None
    value = (Decimal(str(current)) - Decimal(str(previous))) * 100 / Decimal(str(previous))
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def share(part: float, whole: float) -> Decimal | None:
    """`part` of `whole` in per cent, one decimal; None when the whole is zero."""
    if whole == 0:
        return None
    value = Decimal(str(part)) * 100 / Decimal(str(whole))
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TargetVerdict:
    met: bool | None  # None: cannot tell yet (no comparison)
    text: str


def judge(
    kind: str, threshold: Decimal, *, value: Decimal | None, change: Decimal | None
) -> TargetVerdict:
    """Whether the figure meets its target. `value` is the figure (a count or a per cent),
    `change` its change against last year in per cent."""
    if kind not in TARGET_KINDS:
        raise ValueError(f"未知的目标类型：{kind}")
    measured = change if kind.startswith("change") else value
    if measured is None:
        return TargetVerdict(None, "暂无可比数据")
    met = measured <= threshold if kind.endswith("at_most") else measured >= threshold
    word = "达标" if met else "未达标"
    return TargetVerdict(met, f"{word}（目标：{TARGET_KINDS[kind]} {threshold}）")
