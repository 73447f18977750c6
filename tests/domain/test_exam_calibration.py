"""MML-EM calibration of 2PL items (src/anjian/domain/exam/calibration.py)."""

from __future__ import annotations

import numpy as np
import pytest

from anjian.domain.exam.calibration import (
    MIN_PERSONS,
    MIN_RESPONSES_PER_ITEM,
    CalibrationRefused,
    calibrate,
)
from anjian.domain.exam.irt import probability


def simulate_answers(items: int, persons: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    a = np.clip(rng.lognormal(0.0, 0.3, items), 0.4, 2.5)
    b = rng.normal(0.0, 1.0, items)
    theta = rng.normal(0.0, 1.0, persons)
    answers = (rng.random((persons, items)) < probability(theta[:, None], a, b)).astype(float)
    return a, b, answers


def rmse(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.sqrt(np.mean((x - y) ** 2)))


def test_parameters_are_recovered_from_20_items_and_2000_people() -> None:
    a, b, answers = simulate_answers(20, 2000, seed=11)
    result = calibrate(answers)
    assert result.converged and result.iterations < 200
    assert rmse(result.a, a) < 0.15 and rmse(result.b, b) < 0.15
    assert np.corrcoef(result.b, b)[0, 1] > 0.98
    assert np.isfinite(result.log_posterior) and result.log_posterior < 0


def test_missing_answers_as_nan_or_as_a_mask_give_the_same_estimates() -> None:
    a, b, answers = simulate_answers(15, 1500, seed=5)
    answered = np.random.default_rng(1).random(answers.shape) < 0.7
    with_nan = np.where(answered, answers, np.nan)
    one, two = calibrate(with_nan), calibrate(answers, mask=answered)
    assert np.allclose(one.a, two.a) and np.allclose(one.b, two.b)
    assert rmse(one.b, b) < 0.2 and rmse(one.a, a) < 0.2


def test_an_item_everybody_got_right_stays_finite_thanks_to_the_priors() -> None:
    _, _, answers = simulate_answers(10, 400, seed=2)
    answers[:, 0] = 1.0
    result = calibrate(answers)
    assert np.isfinite(result.a).all() and np.isfinite(result.b).all()
    assert result.b[0] < -2 and 0 < result.a[0] < 10


def test_too_few_persons_are_refused_saying_how_many_are_needed() -> None:
    _, _, answers = simulate_answers(5, MIN_PERSONS - 1, seed=1)
    with pytest.raises(CalibrationRefused) as refused:
        calibrate(answers)
    assert refused.value.code == "TOO_FEW_RESPONSES"
    assert f"至少需要 {MIN_PERSONS} 名" in refused.value.message
    assert f"现有 {MIN_PERSONS - 1} 名" in refused.value.message


def test_an_item_with_too_few_answers_is_refused_and_named() -> None:
    _, _, answers = simulate_answers(4, 400, seed=1)
    answers[MIN_RESPONSES_PER_ITEM - 1 :, 2] = np.nan
    with pytest.raises(CalibrationRefused) as refused:
        calibrate(answers)
    assert refused.value.details == ["items[2]"]
    assert f"至少需要 {MIN_RESPONSES_PER_ITEM} 人作答" in refused.value.message
    assert f"第 3 题（{MIN_RESPONSES_PER_ITEM - 1} 人）" in refused.value.message


def test_malformed_matrices_are_refused() -> None:
    with pytest.raises(CalibrationRefused) as refused:
        calibrate(np.full((300, 3), 2.0))
    assert refused.value.code == "BAD_RESPONSE"
    with pytest.raises(CalibrationRefused) as refused:
        calibrate(np.ones(300))
    assert refused.value.code == "BAD_SHAPE"


def test_simulated_answers_are_sparse_and_reproducible() -> None:
    from anjian.domain.exam.simulate import simulate_answers

    a, b = np.full(30, 1.0), np.linspace(-2, 2, 30)
    first = simulate_answers(a, b, persons=50, per_person=7, seed=1)
    again = simulate_answers(a, b, persons=50, per_person=7, seed=1)
    assert np.array_equal(first.responses, again.responses, equal_nan=True)
    asked = ~np.isnan(first.responses)
    assert (asked.sum(axis=1) == 7).all()
    assert set(np.unique(first.responses[asked])) <= {0.0, 1.0}
    with pytest.raises(ValueError):
        simulate_answers(a, b, persons=5, per_person=31, seed=1)
    with pytest.raises(ValueError):
        simulate_answers(a, b[:3], persons=5, per_person=2, seed=1)
