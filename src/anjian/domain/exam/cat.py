"""One adaptive exam as a pure state machine: start → select next item → record answer → stop?

Selection is maximum Fisher information at the current EAP, under two constraints:

- **content balancing by topic**: each topic has a target share (by default its share of the
  bank); the next item comes from the topic furthest below its target, i.e. with the largest
  `target × (asked + 1) − asked_in_topic`; ties go to the topic holding the most informative item;
- **exposure control**: the caller passes which items are still `eligible` (e.g. those under a hard
  exposure cap, see `under_cap`), and the item is drawn at random among the `randomesque` most
  informative eligible items of that topic (randomesque; 1 = pure maximum information).

If no eligible item is left anywhere the cap is relaxed (reason `EXPOSURE_CAP_RELAXED`) rather than
ending the exam early. Randomness comes only from the `numpy.random.Generator` passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from anjian.domain.exam.irt import (
    GRID,
    Bank,
    Estimate,
    Floats,
    Quadrature,
    information,
    item_log_likelihood,
    posterior_summary,
)

Mask = npt.NDArray[np.bool_]

STOP_MAX_ITEMS = "MAX_ITEMS"
STOP_PRECISION = "PRECISION_REACHED"
STOP_BANK_EXHAUSTED = "BANK_EXHAUSTED"


@dataclass(frozen=True)
class ExamRules:
    """How one exam runs. `min_se=None`: stop on length only. `topic_targets=None`: bank shares."""

    max_items: int
    min_se: float | None = None
    randomesque: int = 1
    topic_targets: Mapping[str, float] | None = field(default=None, hash=False)


@dataclass(frozen=True, eq=False)
class ExamState:
    """Items asked (bank indices, in order), the answers, the grid log-likelihood, the estimate."""

    asked: tuple[int, ...]
    answers: tuple[bool, ...]
    log_likelihood: Floats
    estimate: Estimate
    grid: Quadrature = GRID


@dataclass(frozen=True)
class Selection:
    """The chosen item and why: its topic, its information at θ, and the candidates drawn from."""

    item: int
    item_id: str
    topic: str
    information: float
    theta: float
    candidates: tuple[str, ...]
    reasons: tuple[str, ...]


def start_exam(grid: Quadrature = GRID) -> ExamState:
    """A fresh exam: nothing asked, θ = prior mean 0, SE = prior SD (≈ 1)."""
    flat = np.zeros(grid.points.size)
    mean, sd = posterior_summary(flat, grid)
    return ExamState((), (), flat, Estimate(float(mean), float(sd)), grid)


def record_answer(bank: Bank, state: ExamState, item: int, correct: bool) -> ExamState:
    """The state after the answer to bank item `item`, with the EAP updated."""
    if item in state.asked:
        raise ValueError(f"题目 {bank.items[item].id} 已在本场考试中出现")
    row = item_log_likelihood(bank.a[item], bank.b[item], bool(correct), state.grid)[0]
    log_likelihood = state.log_likelihood + row
    mean, sd = posterior_summary(log_likelihood, state.grid)
    return ExamState(
        (*state.asked, item),
        (*state.answers, bool(correct)),
        log_likelihood,
        Estimate(float(mean), float(sd)),
        state.grid,
    )


def stop_reason(bank: Bank, state: ExamState, rules: ExamRules) -> str | None:
    """Why the exam ends now, or None to go on."""
    if len(state.asked) >= rules.max_items:
        return STOP_MAX_ITEMS
    if rules.min_se is not None and state.asked and state.estimate.se <= rules.min_se:
        return STOP_PRECISION
    if len(state.asked) >= len(bank):
        return STOP_BANK_EXHAUSTED
    return None


def under_cap(counts: npt.NDArray[np.int64], limit: int) -> Mask:
    """Items shown fewer than `limit` times: the hard exposure cap."""
    return np.asarray(counts < limit)


def topic_targets(bank: Bank, rules: ExamRules) -> Floats:
    """Target share of each bank topic (normalised; bank shares when the rules give none)."""
    if rules.topic_targets is None:
        return bank.topic_shares()
    raw = np.array([max(0.0, rules.topic_targets.get(t, 0.0)) for t in bank.topics])
    total = raw.sum()
    return bank.topic_shares() if total <= 0 else np.asarray(raw / total)


def select_next(
    bank: Bank,
    state: ExamState,
    rules: ExamRules,
    rng: np.random.Generator,
    eligible: Mask | None = None,
) -> Selection:
    """The next item: best information in the topic furthest below target, randomesque."""
    unused = np.ones(len(bank), dtype=bool)
    unused[list(state.asked)] = False
    if not unused.any():
        raise ValueError("题库中的题目已全部出过")
    available = unused if eligible is None else unused & eligible
    reasons = ["MAX_INFORMATION"]
    if not available.any():
        available, reasons = unused, [*reasons, "EXPOSURE_CAP_RELAXED"]
    theta = state.estimate.theta
    info = information(theta, bank.a, bank.b)
    topic = _topic_most_behind(bank, state, topic_targets(bank, rules), available, info)
    pool = np.flatnonzero(available & (bank.topic_of == topic))
    k = max(1, min(rules.randomesque, pool.size))
    best = pool[np.argsort(-info[pool], kind="stable")[:k]]
    chosen = int(best[rng.integers(k)]) if k > 1 else int(best[0])
    if k > 1:
        reasons.append("RANDOMESQUE")
    if len(bank.topics) > 1:
        reasons.append("CONTENT_BALANCE")
    return Selection(
        item=chosen,
        item_id=bank.items[chosen].id,
        topic=bank.topics[topic],
        information=float(info[chosen]),
        theta=theta,
        candidates=tuple(bank.items[i].id for i in best),
        reasons=tuple(reasons),
    )


def _topic_most_behind(
    bank: Bank, state: ExamState, targets: Floats, available: Mask, info: Floats
) -> int:
    """Index of the topic with the largest deficit; ties to the most informative topic."""
    n_topics = len(bank.topics)
    asked = np.bincount(bank.topic_of[list(state.asked)], minlength=n_topics)
    deficit = targets * (len(state.asked) + 1) - asked
    best_info = np.full(n_topics, -np.inf)
    np.maximum.at(best_info, bank.topic_of[available], info[available])
    open_topics = np.isfinite(best_info)
    deficit = np.where(open_topics, deficit, -np.inf)
    tied = open_topics & (deficit >= deficit.max() - 1e-9)
    return int(np.argmax(np.where(tied, best_info, -np.inf)))
