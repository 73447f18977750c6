"""The two-parameter logistic model (2PL) and ability estimation by EAP.

P(correct | θ) = 1 / (1 + exp(-a(θ - b))), on the logistic metric (scaling constant D = 1: the
discriminations `a` are already on the logistic scale, as catsim and most software report them).

Ability is the expected a posteriori (EAP) estimate on a fixed quadrature grid — 61 equally spaced
points on [-4, 4] with a standard normal prior — and its standard error is the posterior SD. EAP is
finite for any answer pattern (all correct, all wrong, none at all), unlike maximum likelihood.
Everything is vectorised numpy and pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

Floats: TypeAlias = npt.NDArray[np.float64]

D = 1.0
GRID_POINTS = 61
GRID_BOUND = 4.0


@dataclass(frozen=True, eq=False)
class Quadrature:
    """Grid points and the log of the (normalised) prior weight at each."""

    points: Floats
    log_prior: Floats


def quadrature(points: int = GRID_POINTS, bound: float = GRID_BOUND) -> Quadrature:
    """A grid on [-bound, bound] carrying a standard normal prior."""
    theta = np.linspace(-bound, bound, points)
    log_weight = -0.5 * theta**2
    log_weight -= np.log(np.exp(log_weight).sum())
    return Quadrature(theta, log_weight)


GRID = quadrature()


@dataclass(frozen=True)
class Item:
    """One calibrated question: discrimination `a` (> 0), difficulty `b`, content `topic`."""

    id: str
    a: float
    b: float
    topic: str


@dataclass(frozen=True, eq=False)
class Bank:
    """A calibrated item bank, with its parameters as arrays for vectorised selection."""

    items: tuple[Item, ...]
    a: Floats
    b: Floats
    topics: tuple[str, ...]
    topic_of: npt.NDArray[np.intp]

    @classmethod
    def of(cls, items: tuple[Item, ...] | list[Item]) -> Bank:
        items = tuple(items)
        topics = tuple(dict.fromkeys(item.topic for item in items))
        index = {topic: n for n, topic in enumerate(topics)}
        return cls(
            items=items,
            a=np.array([item.a for item in items], dtype=np.float64),
            b=np.array([item.b for item in items], dtype=np.float64),
            topics=topics,
            topic_of=np.array([index[item.topic] for item in items], dtype=np.intp),
        )

    def __len__(self) -> int:
        return len(self.items)

    def topic_shares(self) -> Floats:
        """Each topic's share of the bank, in the order of `topics`."""
        counts = np.bincount(self.topic_of, minlength=len(self.topics)).astype(np.float64)
        return np.asarray(counts / max(1, len(self.items)))


@dataclass(frozen=True)
class Estimate:
    """An ability estimate: the EAP θ and its posterior SD (the standard error)."""

    theta: float
    se: float


def probability(theta: Floats | float, a: Floats | float, b: Floats | float) -> Floats:
    """P(correct) under the 2PL, broadcasting θ against the item parameters."""
    z = D * np.asarray(a) * (np.asarray(theta) - np.asarray(b))
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -35.0, 35.0))), dtype=np.float64)


def information(theta: Floats | float, a: Floats | float, b: Floats | float) -> Floats:
    """Fisher information of each item at θ: (D a)² P (1 - P); largest at θ = b."""
    p = probability(theta, a, b)
    return np.asarray((D * np.asarray(a)) ** 2 * p * (1.0 - p), dtype=np.float64)


def item_log_likelihood(
    a: Floats | float, b: Floats | float, correct: bool | npt.NDArray[np.bool_], grid: Quadrature
) -> Floats:
    """log P(answer | θ_q) at every grid point; one row per item if `a`, `b` are arrays."""
    p = probability(grid.points[None, :], np.atleast_1d(a)[:, None], np.atleast_1d(b)[:, None])
    right = np.atleast_1d(correct)[:, None]
    return np.asarray(np.log(np.where(right, p, 1.0 - p)), dtype=np.float64)


def posterior_summary(log_likelihood: Floats, grid: Quadrature = GRID) -> tuple[Floats, Floats]:
    """EAP and posterior SD for each row of log-likelihoods on the grid (shape (..., Q))."""
    log_post = log_likelihood + grid.log_prior
    log_post = log_post - log_post.max(axis=-1, keepdims=True)
    weight = np.exp(log_post)
    weight /= weight.sum(axis=-1, keepdims=True)
    mean = weight @ grid.points
    variance = weight @ grid.points**2 - mean**2
    return np.asarray(mean), np.sqrt(np.maximum(variance, 0.0))


def eap(
    a: Floats | list[float],
    b: Floats | list[float],
    correct: npt.NDArray[np.bool_] | list[bool],
    grid: Quadrature = GRID,
) -> Estimate:
    """EAP estimate from one person's answers to the items with parameters `a`, `b`."""
    a_arr, b_arr = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a_arr.size == 0:
        mean, sd = posterior_summary(np.zeros(grid.points.size), grid)
    else:
        rows = item_log_likelihood(a_arr, b_arr, np.asarray(correct, dtype=bool), grid)
        mean, sd = posterior_summary(rows.sum(axis=0), grid)
    return Estimate(float(mean), float(sd))


def pattern_log_likelihood(
    a: Floats, b: Floats, answers: Floats, grid: Quadrature = GRID
) -> Floats:
    """Log-likelihood on the grid for a persons × items matrix of 0/1 answers, NaN = not asked.

    Returns shape (persons, Q). Used by calibration (E-step) and by fixed-form scoring.
    """
    p = probability(grid.points[None, :], a[:, None], b[:, None])
    log_p, log_q = np.log(p), np.log1p(-p)
    asked = ~np.isnan(answers)
    right = np.where(asked, answers, 0.0)
    wrong = asked - right
    return np.asarray(right @ log_p + wrong @ log_q, dtype=np.float64)
