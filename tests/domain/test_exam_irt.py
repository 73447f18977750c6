"""The 2PL model, item information and EAP ability (src/anjian/domain/exam/irt.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.domain.exam.irt import (
    GRID,
    Bank,
    Item,
    eap,
    information,
    pattern_log_likelihood,
    posterior_summary,
    probability,
    quadrature,
)


def test_the_grid_has_61_points_on_minus_four_to_four_with_a_normalised_prior() -> None:
    assert GRID.points.size == 61
    assert (GRID.points[0], GRID.points[-1], GRID.points[30]) == (-4.0, 4.0, 0.0)
    assert np.exp(GRID.log_prior).sum() == pytest.approx(1.0)


def test_probability_is_one_half_at_the_difficulty_and_logistic_elsewhere() -> None:
    assert float(probability(0.3, 1.7, 0.3)) == 0.5
    assert float(probability(1.0, 1.0, 0.0)) == pytest.approx(1 / (1 + np.exp(-1.0)))
    assert float(probability(-2.0, 2.0, 0.5)) == pytest.approx(1 / (1 + np.exp(5.0)))


def test_information_peaks_at_the_difficulty_with_value_a_squared_over_four() -> None:
    theta = np.linspace(-3, 3, 601)
    info = information(theta, 1.6, 0.7)
    assert theta[np.argmax(info)] == pytest.approx(0.7)
    assert float(information(0.7, 1.6, 0.7)) == pytest.approx(1.6**2 / 4)


def test_eap_of_no_answers_is_the_prior_mean_with_se_one() -> None:
    estimate = eap([], [], [])
    assert estimate.theta == pytest.approx(0.0, abs=1e-12)
    assert estimate.se == pytest.approx(1.0, abs=1e-3)


def test_all_correct_pushes_theta_up_and_all_wrong_down_symmetrically() -> None:
    a, b = [1.0, 1.5, 0.8], [0.0, 0.0, 0.0]
    up, down = eap(a, b, [True] * 3), eap(a, b, [False] * 3)
    assert up.theta > 0.5 and down.theta == pytest.approx(-up.theta)
    assert up.se < 1.0 and up.se == pytest.approx(down.se)


def test_more_informative_answers_shrink_the_standard_error() -> None:
    few = eap([1.0] * 2, [0.0] * 2, [True, False])
    many = eap([1.0] * 20, [0.0] * 20, [True, False] * 10)
    assert many.se < few.se < 1.0
    assert many.theta == pytest.approx(0.0, abs=1e-9)


def test_a_coarser_grid_is_available_and_still_centred() -> None:
    grid = quadrature(21, 3.0)
    mean, sd = posterior_summary(np.zeros(21), grid)
    assert float(mean) == pytest.approx(0.0, abs=1e-12) and 0.9 < float(sd) < 1.01


def test_pattern_scoring_ignores_missing_answers_and_matches_one_by_one_eap() -> None:
    a, b = np.array([1.0, 1.4, 0.6]), np.array([-0.5, 0.2, 1.0])
    answers = np.array([[1.0, np.nan, 0.0], [np.nan, np.nan, np.nan], [1.0, 1.0, 1.0]])
    theta, se = posterior_summary(pattern_log_likelihood(a, b, answers))
    first = eap(a[[0, 2]], b[[0, 2]], [True, False])
    assert (theta[0], se[0]) == pytest.approx((first.theta, first.se))
    assert (theta[1], se[1]) == pytest.approx((0.0, eap([], [], []).se))
    assert theta[2] == pytest.approx(eap(a, b, [True] * 3).theta)


def test_a_bank_keeps_its_arrays_and_topic_shares() -> None:
    bank = Bank.of([Item("q1", 1.0, 0.0, "x"), Item("q2", 2.0, 1.0, "y"), Item("q3", 1, 2, "x")])
    assert list(bank.a) == [1.0, 2.0, 1.0] and list(bank.b) == [0.0, 1.0, 2.0]
    assert bank.topics == ("x", "y") and list(bank.topic_of) == [0, 1, 0]
    assert list(bank.topic_shares()) == pytest.approx([2 / 3, 1 / 3])
    assert len(bank) == 3


items = st.lists(
    st.tuples(st.floats(0.4, 2.5), st.floats(-3, 3), st.booleans()), min_size=1, max_size=25
)


@given(items, st.data())
@settings(max_examples=60, deadline=None)
def test_turning_a_wrong_answer_right_always_raises_the_eap(data_items, data) -> None:
    a = [x[0] for x in data_items]
    b = [x[1] for x in data_items]
    answers = [x[2] for x in data_items]
    wrong = [n for n, right in enumerate(answers) if not right]
    if not wrong:
        answers[0], wrong = False, [0]
    flip = data.draw(st.sampled_from(wrong))
    better = list(answers)
    better[flip] = True
    assert eap(a, b, better).theta > eap(a, b, answers).theta


@given(st.floats(0.4, 2.5), st.lists(st.floats(-3, 3), min_size=2, max_size=20))
@settings(max_examples=40, deadline=None)
def test_eap_is_monotone_in_the_number_correct_on_equally_discriminating_items(a, b) -> None:
    """With one discrimination the number correct is sufficient: more right, higher EAP."""
    thetas = [eap([a] * len(b), b, [n > k for n in range(len(b))]).theta for k in range(len(b))]
    thetas.reverse()  # k = len(b) - 1 … 0 wrong answers → 1 … len(b) right
    assert all(x < y for x, y in itertools.pairwise(thetas))
