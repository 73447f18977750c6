"""Simulated exams on a bank, and how well they measure (the `anjian exam simulate` engine).

True abilities are drawn N(0, 1); each simulee sits one exam, answering each item correctly with
its 2PL probability; the final EAP is compared with the truth. Two methods:

- `cat`: the adaptive exam of `cat.py` — maximum information at the EAP, content balanced by
  topic, randomesque among the `randomesque` best items, and a hard exposure cap: no item is shown
  to more than `floor(exposure_cap × simulees)` simulees (respected exactly whenever that is ≥ 1
  and the bank is not exhausted);
- `random`: a random fixed form of `max_items` distinct items per simulee, scored by EAP.

Both stop at `max_items`, or earlier once SE ≤ `min_se`. Everything is drawn from one
`numpy.random.default_rng(seed)`: the same input gives the same summary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from anjian.domain.exam.cat import (
    ExamRules,
    ExamState,
    record_answer,
    select_next,
    start_exam,
    stop_reason,
    under_cap,
)
from anjian.domain.exam.irt import Bank, Floats, Item, probability

METHODS = {"cat": "自适应测验（最大信息量）", "random": "随机固定题目"}
GENERATED_TOPICS = ("laws", "hazardous_chemicals", "mining", "industry_trade", "emergency")
DEFAULT_EXPOSURE_CAP = 0.2
DEFAULT_RANDOMESQUE = 2


@dataclass(frozen=True)
class SimulationSummary:
    """The figures `anjian exam simulate` reports (without the wall-clock seconds)."""

    rmse: float
    bias: float
    mean_items: float
    mean_se: float
    max_exposure: float

    def as_dict(self) -> dict[str, float]:
        return {
            "rmse": round(self.rmse, 4),
            "bias": round(self.bias, 4),
            "mean_items": round(self.mean_items, 4),
            "mean_se": round(self.mean_se, 4),
            "max_exposure": round(self.max_exposure, 4),
        }


@dataclass(frozen=True, eq=False)
class Simulation:
    """Per-simulee results (true θ, EAP, SE, exam length) and per-item exposure counts."""

    true_theta: Floats
    theta: Floats
    se: Floats
    lengths: npt.NDArray[np.int64]
    exposure: npt.NDArray[np.int64]

    def summary(self) -> SimulationSummary:
        error = self.theta - self.true_theta
        simulees = max(1, self.theta.size)
        return SimulationSummary(
            rmse=float(np.sqrt(np.mean(error**2))),
            bias=float(np.mean(error)),
            mean_items=float(np.mean(self.lengths)),
            mean_se=float(np.mean(self.se)),
            max_exposure=float(self.exposure.max(initial=0) / simulees),
        )


def generate_bank(items: int, seed: int) -> Bank:
    """A synthetic bank: a ~ lognormal(0, 0.3) clipped to [0.4, 2.5], b ~ N(0, 1), topics
    cycling over `GENERATED_TOPICS`."""
    rng = np.random.default_rng(seed)
    a = np.clip(rng.lognormal(0.0, 0.3, items), 0.4, 2.5)
    b = rng.normal(0.0, 1.0, items)
    cycle = GENERATED_TOPICS
    return Bank.of(
        [Item(f"g{n + 1}", float(a[n]), float(b[n]), cycle[n % len(cycle)]) for n in range(items)]
    )


def simulate(
    bank: Bank,
    *,
    simulees: int,
    seed: int,
    method: str,
    rules: ExamRules,
    exposure_cap: float | None = DEFAULT_EXPOSURE_CAP,
) -> Simulation:
    """Run `simulees` exams of the given method; `exposure_cap` applies to `cat` only."""
    if method not in METHODS:
        raise ValueError(f"未知的方法：{method}")
    rng = np.random.default_rng(seed)
    true_theta = rng.normal(0.0, 1.0, simulees)
    exposure = np.zeros(len(bank), dtype=np.int64)
    limit = max(1, math.floor(exposure_cap * simulees)) if exposure_cap is not None else None
    theta, se, lengths = np.zeros(simulees), np.zeros(simulees), np.zeros(simulees, np.int64)
    for person in range(simulees):
        if method == "cat":
            state = _adaptive_exam(bank, rules, rng, true_theta[person], exposure, limit)
        else:
            state = _random_form(bank, rules, rng, true_theta[person])
        exposure[list(state.asked)] += 1
        theta[person], se[person] = state.estimate.theta, state.estimate.se
        lengths[person] = len(state.asked)
    return Simulation(true_theta, theta, se, lengths, exposure)


def _answer(bank: Bank, item: int, true_theta: float, rng: np.random.Generator) -> bool:
    return bool(rng.random() < probability(true_theta, bank.a[item], bank.b[item]))


def _adaptive_exam(
    bank: Bank,
    rules: ExamRules,
    rng: np.random.Generator,
    true_theta: float,
    exposure: npt.NDArray[np.int64],
    limit: int | None,
) -> ExamState:
    state = start_exam()
    while stop_reason(bank, state, rules) is None:
        eligible = None if limit is None else under_cap(exposure, limit)
        item = select_next(bank, state, rules, rng, eligible).item
        state = record_answer(bank, state, item, _answer(bank, item, true_theta, rng))
    return state


def _random_form(
    bank: Bank, rules: ExamRules, rng: np.random.Generator, true_theta: float
) -> ExamState:
    form = rng.choice(len(bank), size=min(rules.max_items, len(bank)), replace=False)
    state = start_exam()
    for item in form:
        if stop_reason(bank, state, rules) is not None:
            break
        state = record_answer(bank, state, int(item), _answer(bank, int(item), true_theta, rng))
    return state


@dataclass(frozen=True, eq=False)
class SimulatedAnswers:
    """A sparse persons × items 0/1 matrix (NaN where an item was not asked) drawn from the
    `true_a`/`true_b` given, as a first rollout or the demo uses before real answers exist."""

    responses: Floats
    true_theta: Floats
    true_a: Floats
    true_b: Floats


def simulate_answers(
    true_a: npt.ArrayLike,
    true_b: npt.ArrayLike,
    *,
    persons: int,
    per_person: int,
    seed: int,
) -> SimulatedAnswers:
    """Each of `persons` simulees (θ ~ N(0, 1)) answers `per_person` distinct random items by
    the 2PL; the rest of the row is NaN."""
    a = np.asarray(true_a, dtype=np.float64)
    b = np.asarray(true_b, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1 or a.size == 0:
        raise ValueError("a 与 b 应为等长的一维数组")
    if not 1 <= per_person <= a.size:
        raise ValueError(f"每人作答题数应在 1 到 {a.size} 之间")
    rng = np.random.default_rng(seed)
    theta = rng.normal(0.0, 1.0, persons)
    responses = np.full((persons, a.size), np.nan)
    for person in range(persons):
        items = rng.choice(a.size, size=per_person, replace=False)
        right = rng.random(per_person) < probability(theta[person], a[items], b[items])
        responses[person, items] = right.astype(np.float64)
    return SimulatedAnswers(responses, theta, a, b)
