"""Calibration of 2PL item parameters from a response matrix: marginal maximum likelihood by EM
(Bock–Aitkin) on the quadrature grid, with priors (MAP-EM) for stability.

- Abilities are integrated out over the fixed grid of `irt.py` (61 points on [-4, 4], standard
  normal prior), which also fixes the scale: θ ~ N(0, 1) in the calibration population.
- Priors: log a ~ N(0, 0.5²) (a lognormal prior on a, applied on the log scale) and
  b ~ N(0, 2²). They keep every item finite, even one everybody answered correctly.
- E-step: posterior weight of every person at every grid point, then the expected number of
  persons answering each item (n_jq) and answering it correctly (r_jq) at each point.
- M-step: a few Fisher-scoring steps in (log a, b), vectorised across items (2 × 2 systems solved
  in closed form).

Missing responses are NaN (or pass a `mask`, True = answered). Calibration is refused with
`CalibrationRefused` when there are fewer than `MIN_PERSONS` (200) persons who answered anything,
or when any item has fewer than `MIN_RESPONSES_PER_ITEM` (30) answers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from anjian.domain.exam.irt import GRID, Floats, Quadrature

MIN_PERSONS = 200
MIN_RESPONSES_PER_ITEM = 30


@dataclass(frozen=True)
class Priors:
    """Normal prior on log a and on b (MAP-EM)."""

    log_a_mean: float = 0.0
    log_a_sd: float = 0.5
    b_mean: float = 0.0
    b_sd: float = 2.0


@dataclass(frozen=True, eq=False)
class Calibration:
    """Estimated parameters (one per item, in column order) and how EM ended."""

    a: Floats
    b: Floats
    iterations: int
    converged: bool
    log_posterior: float


class CalibrationRefused(ValueError):
    """Too few (or malformed) responses; `details` name the offending persons/items."""

    def __init__(self, code: str, message: str, details: list[str]) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


@dataclass(frozen=True, eq=False)
class _Counts:
    right: Floats  # persons × items, 1 where answered correctly
    asked: Floats  # persons × items, 1 where answered


def calibrate(
    responses: npt.ArrayLike,
    *,
    mask: npt.ArrayLike | None = None,
    priors: Priors = Priors(),
    grid: Quadrature = GRID,
    max_iterations: int = 500,
    tolerance: float = 1e-4,
    newton_steps: int = 3,
) -> Calibration:
    """MAP-EM estimates of a and b for each column of the persons × items 0/1 matrix."""
    counts = _counts(responses, mask)
    _check_enough(counts.asked)
    a, b = _start(counts)
    log_posterior = -np.inf
    for iteration in range(1, max_iterations + 1):
        expected_n, expected_r, log_posterior = _e_step(a, b, counts, grid)
        new_a, new_b = a, b
        for _ in range(newton_steps):
            new_a, new_b = _scoring_step(new_a, new_b, expected_n, expected_r, grid, priors)
        change = max(np.abs(new_a - a).max(), np.abs(new_b - b).max())
        a, b = new_a, new_b
        if change < tolerance:
            return Calibration(a, b, iteration, True, log_posterior)
    return Calibration(a, b, max_iterations, False, log_posterior)


def _counts(responses: npt.ArrayLike, mask: npt.ArrayLike | None) -> _Counts:
    data = np.asarray(responses, dtype=np.float64)
    if data.ndim != 2:
        raise CalibrationRefused("BAD_SHAPE", "作答数据应为二维矩阵（考生 × 题目）", ["responses"])
    asked = ~np.isnan(data)
    if mask is not None:
        asked &= np.asarray(mask, dtype=bool)
    values = np.where(asked, data, 0.0)
    if not np.all((values == 0.0) | (values == 1.0)):
        raise CalibrationRefused("BAD_RESPONSE", "作答只能是 0（错）或 1（对）", ["responses"])
    return _Counts(right=values, asked=asked.astype(np.float64))


def _check_enough(asked: Floats) -> None:
    persons = int((asked.sum(axis=1) > 0).sum())
    if persons < MIN_PERSONS:
        message = f"作答人数不足：至少需要 {MIN_PERSONS} 名有作答的考生，现有 {persons} 名"
        raise CalibrationRefused("TOO_FEW_RESPONSES", message, ["persons"])
    per_item = asked.sum(axis=0)
    short = np.flatnonzero(per_item < MIN_RESPONSES_PER_ITEM)
    if short.size:
        listed = "、".join(f"第 {j + 1} 题（{int(per_item[j])} 人）" for j in short[:10])
        message = (
            f"每道题至少需要 {MIN_RESPONSES_PER_ITEM} 人作答，"
            f"{short.size} 道题不足：{listed}{'…' if short.size > 10 else ''}"
        )
        raise CalibrationRefused("TOO_FEW_RESPONSES", message, [f"items[{j}]" for j in short])


def _start(counts: _Counts) -> tuple[Floats, Floats]:
    """a = 1 and b from the proportion correct (a logit, shrunk away from the extremes)."""
    share = (counts.right.sum(axis=0) + 0.5) / (counts.asked.sum(axis=0) + 1.0)
    b = np.clip(-np.log(share / (1.0 - share)), -3.0, 3.0)
    return np.ones_like(b), np.asarray(b)


def _e_step(
    a: Floats, b: Floats, counts: _Counts, grid: Quadrature
) -> tuple[Floats, Floats, float]:
    """Expected answers (n_jq) and correct answers (r_jq) per item and grid point."""
    z = a[:, None] * (grid.points[None, :] - b[:, None])
    log_p = -np.logaddexp(0.0, -z)
    log_q = -np.logaddexp(0.0, z)
    wrong = counts.asked - counts.right
    log_joint = counts.right @ log_p + wrong @ log_q + grid.log_prior
    top = log_joint.max(axis=1, keepdims=True)
    weight = np.exp(log_joint - top)
    total = weight.sum(axis=1, keepdims=True)
    weight /= total
    log_marginal = float((np.log(total) + top).sum())
    return counts.asked.T @ weight, counts.right.T @ weight, log_marginal


def _scoring_step(
    a: Floats, b: Floats, n: Floats, r: Floats, grid: Quadrature, priors: Priors
) -> tuple[Floats, Floats]:
    """One Fisher-scoring step on every item's (log a, b), prior terms included."""
    log_a = np.log(a)
    spread = grid.points[None, :] - b[:, None]
    p = 1.0 / (1.0 + np.exp(-a[:, None] * spread))
    residual = r - n * p
    weight = n * p * (1.0 - p)
    precision_a, precision_b = priors.log_a_sd**-2, priors.b_sd**-2
    grad_a = a * (residual * spread).sum(axis=1) - (log_a - priors.log_a_mean) * precision_a
    grad_b = -a * residual.sum(axis=1) - (b - priors.b_mean) * precision_b
    info_aa = a**2 * (weight * spread**2).sum(axis=1) + precision_a
    info_bb = a**2 * weight.sum(axis=1) + precision_b
    info_ab = -(a**2) * (weight * spread).sum(axis=1)
    det = info_aa * info_bb - info_ab**2
    step_a = np.clip((info_bb * grad_a - info_ab * grad_b) / det, -1.0, 1.0)
    step_b = np.clip((info_aa * grad_b - info_ab * grad_a) / det, -1.0, 1.0)
    return np.exp(log_a + step_a), b + step_b
