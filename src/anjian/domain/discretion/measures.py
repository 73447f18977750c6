"""The measures a stage requires, and the two provisions whose outcome is not a fine range:
按日连续处罚 (安全生产法第一百一十二条) and 提请关闭 (第一百一十三条).

A measure the law makes mandatory (责令……, 应当……) must be carried by the proposal and the
decision; a discretionary one ("情节严重的", "可以") may be. A discretionary measure with a
`mandatory_fact` (有违法所得的，没收违法所得) is required unless that fact is recorded as 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from anjian.domain.discretion.request import Facts
from anjian.domain.discretion.statute import Provision, Range, Stage, yuan


def required_measures(stage: Stage, facts: Facts) -> tuple[str, ...]:
    """The measures a decision at this stage must carry, on these facts."""
    conditional = []
    for m in stage.optional:
        value = facts.value(m.mandatory_fact) if m.mandatory_fact else 0.0
        if m.mandatory_fact and (value is None or value > 0):
            conditional.append(m.measure)
    return stage.measures + tuple(conditional)


def measure_choices(stage: Stage) -> tuple[str, ...]:
    """Every measure a proposal at this stage may name (mandatory, then discretionary)."""
    return stage.measures + tuple(m.measure for m in stage.optional)


def missing_measure_message(provision: Provision, overdue: bool, measure: str) -> str:
    """“依照《安全生产法》第一百零一条，逾期未改正的，应当责令停产停业整顿”."""
    words = provision.stage_words(overdue)
    stage = f"{words}，" if words else ""
    return f"依照{provision.article_cite}，{stage}应当{measure}"


def missing_measures(
    provision: Provision, overdue: bool, required: Sequence[str], chosen: Sequence[str]
) -> list[str]:
    """A message for each required measure the proposal leaves out."""
    return [missing_measure_message(provision, overdue, m) for m in required if m not in chosen]


# ---- 第一百一十二条：按日连续处罚 ---------------------------------------------------------------


@dataclass(frozen=True)
class DailyPenalty:
    original_fine: int
    days: int

    @property
    def total(self) -> int:
        return self.original_fine * self.days

    def as_dict(self) -> dict[str, int]:
        return {"original_fine": self.original_fine, "days": self.days, "total": self.total}

    def message(self) -> str:
        return (
            f"自作出责令改正之日的次日起按原处罚数额{yuan(self.original_fine)}按日连续处罚"
            f"{self.days}日，共{yuan(self.total)}"
        )


def daily_penalty(facts: Facts) -> DailyPenalty | None:
    """The daily penalty on the facts, or None while the original fine or the days are
    missing."""
    if facts.original_fine is None or facts.days is None:
        return None
    return DailyPenalty(int(facts.original_fine), int(facts.days))


def daily_range(facts: Facts) -> Range | None:
    found = daily_penalty(facts)
    return Range(found.total, found.total) if found else None


# ---- 第一百一十三条：提请关闭 -------------------------------------------------------------------

CLOSURE_MEASURE = "提请县级以上人民政府予以关闭"
REPEAT_180_DAYS, REPEAT_YEAR = 3, 4


@dataclass(frozen=True)
class Closure:
    """提请关闭: the measure, the condition of the item, and whether the facts show it met
    (None: for the officer to establish)."""

    measure: str
    condition: str
    met: bool | None
    consequences: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "condition": self.condition,
            "met": self.met,
            "consequences": list(self.consequences),
        }


def closure(provision: Provision, facts: Facts) -> Closure:
    met: bool | None = None
    if provision.item == "1":
        counts = (facts.penalties_180_days, facts.penalties_1_year)
        if counts != (None, None):
            repeated = (facts.penalties_180_days or 0) >= REPEAT_180_DAYS or (
                facts.penalties_1_year or 0
            ) >= REPEAT_YEAR
            met = facts.major_hazard and repeated
    return Closure(CLOSURE_MEASURE, provision.violation, met, provision.notes)


def closure_message(found: Closure) -> str:
    if found.met is None:
        return f"须认定是否存在以下情形：{found.condition}；存在的，应当{found.measure}"
    if found.met:
        return f"存在{found.condition}的情形，应当{found.measure}"
    return (
        f"事实不满足{found.condition}的条件（须存在重大事故隐患，且一百八十日内受到行政处罚"
        f"{REPEAT_180_DAYS}次或者一年内{REPEAT_YEAR}次），不得据此提请关闭"
    )
