"""Item selection, exposure and content balancing, one exam as a state machine, and simulation
(src/anjian/domain/exam/cat.py, simulate.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.domain.exam.cat import (
    STOP_BANK_EXHAUSTED,
    STOP_MAX_ITEMS,
    STOP_PRECISION,
    ExamRules,
    ExamState,
    record_answer,
    select_next,
    start_exam,
    stop_reason,
    topic_targets,
    under_cap,
)
from anjian.domain.exam.irt import Bank, Item, eap
from anjian.domain.exam.simulate import generate_bank, simulate

BANK = Bank.of(
    [
        Item("easy", 1.0, -2.0, "laws"),
        Item("sharp", 2.0, 0.1, "laws"),
        Item("flat", 0.5, 0.0, "laws"),
        Item("hard", 1.2, 2.0, "mining"),
        Item("mid", 1.5, 0.3, "mining"),
    ]
)
ONE_TOPIC = Bank.of([Item(i.id, i.a, i.b, "all") for i in BANK.items])


def run_exam(bank: Bank, rules: ExamRules, seed: int, answers: list[bool]) -> ExamState:
    rng = np.random.default_rng(seed)
    state = start_exam()
    while stop_reason(bank, state, rules) is None:
        item = select_next(bank, state, rules, rng).item
        state = record_answer(bank, state, item, answers[len(state.asked) % len(answers)])
    return state


def test_a_fresh_exam_sits_at_the_prior() -> None:
    state = start_exam()
    assert state.asked == () and state.answers == ()
    assert state.estimate.theta == pytest.approx(0.0, abs=1e-12)
    assert state.estimate.se == pytest.approx(1.0, abs=1e-3)


def test_the_first_item_is_the_most_informative_at_zero_and_explains_itself() -> None:
    choice = select_next(ONE_TOPIC, start_exam(), ExamRules(max_items=3), np.random.default_rng(0))
    assert (choice.item, choice.item_id, choice.topic) == (1, "sharp", "all")
    p = 1 / (1 + math.exp(0.2))
    assert choice.information == pytest.approx(4 * p * (1 - p)), "a² P Q at θ = 0"
    assert choice.theta == pytest.approx(0.0, abs=1e-12) and choice.candidates == ("sharp",)
    assert choice.reasons == ("MAX_INFORMATION",)


def test_recording_answers_updates_the_eap_like_scoring_from_scratch() -> None:
    state = record_answer(BANK, start_exam(), 1, True)
    state = record_answer(BANK, state, 3, False)
    expected = eap([2.0, 1.2], [0.1, 2.0], [True, False])
    assert state.asked == (1, 3) and state.answers == (True, False)
    assert state.estimate.theta == pytest.approx(expected.theta)
    assert state.estimate.se == pytest.approx(expected.se)


def test_an_item_cannot_be_answered_twice() -> None:
    state = record_answer(BANK, start_exam(), 1, True)
    with pytest.raises(ValueError, match="sharp"):
        record_answer(BANK, state, 1, False)


def test_stop_reasons() -> None:
    state = start_exam()
    assert stop_reason(BANK, state, ExamRules(max_items=2, min_se=0.99)) is None
    state = record_answer(BANK, state, 1, True)
    assert stop_reason(BANK, state, ExamRules(max_items=2, min_se=0.99)) == STOP_PRECISION
    assert stop_reason(BANK, state, ExamRules(max_items=1)) == STOP_MAX_ITEMS
    small = Bank.of([BANK.items[1]])
    assert stop_reason(small, state, ExamRules(max_items=5)) == STOP_BANK_EXHAUSTED


def test_content_balancing_alternates_towards_target_shares() -> None:
    state = run_exam(BANK, ExamRules(max_items=5), seed=1, answers=[True, False])
    topics = [BANK.items[i].topic for i in state.asked]
    assert sorted(topics) == ["laws", "laws", "laws", "mining", "mining"]
    targets = {"laws": 0.0, "mining": 1.0}
    first = select_next(
        BANK, start_exam(), ExamRules(3, topic_targets=targets), np.random.default_rng()
    )
    assert first.topic == "mining" and first.item_id == "mid"
    assert list(topic_targets(BANK, ExamRules(3, topic_targets={"laws": 3, "x": 9}))) == [1, 0]


def test_ineligible_items_are_skipped_and_the_cap_relaxed_only_when_nothing_is_left() -> None:
    rules, rng = ExamRules(max_items=3), np.random.default_rng(0)
    capped = under_cap(np.array([5, 5, 0, 0, 0]), limit=5)
    assert list(capped) == [False, False, True, True, True]
    choice = select_next(ONE_TOPIC, start_exam(), rules, rng, capped)
    assert choice.item_id == "mid"
    none_left = np.zeros(5, dtype=bool)
    relaxed = select_next(ONE_TOPIC, start_exam(), rules, rng, none_left)
    assert relaxed.item_id == "sharp" and "EXPOSURE_CAP_RELAXED" in relaxed.reasons


def test_randomesque_draws_among_the_k_best_and_is_deterministic_per_seed() -> None:
    rules = ExamRules(max_items=1, randomesque=3)
    picks = {
        select_next(ONE_TOPIC, start_exam(), rules, np.random.default_rng(s)).item_id
        for s in range(40)
    }
    assert picks == {"sharp", "mid", "hard"}, "the three most informative at θ = 0"
    first = select_next(ONE_TOPIC, start_exam(), rules, np.random.default_rng(9))
    assert first.candidates == ("sharp", "mid", "hard")
    again = select_next(ONE_TOPIC, start_exam(), rules, np.random.default_rng(9))
    assert first == again and "RANDOMESQUE" in first.reasons


def test_all_correct_answers_drive_theta_up_through_the_exam() -> None:
    bank = generate_bank(100, seed=3)
    state = run_exam(bank, ExamRules(max_items=8), seed=0, answers=[True])
    assert state.estimate.theta > 1.5 and len(state.asked) == 8


def test_simulation_is_deterministic_for_the_same_seed() -> None:
    bank = generate_bank(80, seed=2)
    rules = ExamRules(max_items=5, randomesque=2)
    one = simulate(bank, simulees=30, seed=4, method="cat", rules=rules).summary()
    two = simulate(bank, simulees=30, seed=4, method="cat", rules=rules).summary()
    other = simulate(bank, simulees=30, seed=5, method="cat", rules=rules).summary()
    assert one == two and one != other
    assert one.mean_items == 5.0 and 0 < one.max_exposure <= 0.2


def test_random_forms_and_an_se_target() -> None:
    bank = generate_bank(120, seed=2)
    rules = ExamRules(max_items=30, min_se=0.6)
    result = simulate(bank, simulees=40, seed=1, method="random", rules=rules)
    assert result.lengths.max() <= 30 and result.lengths.mean() < 30
    assert all(se <= 0.6 for se, n in zip(result.se, result.lengths, strict=True) if n < 30)
    with pytest.raises(ValueError):
        simulate(bank, simulees=1, seed=1, method="mle", rules=rules)


def test_the_generated_bank_follows_its_recipe() -> None:
    bank = generate_bank(500, seed=1)
    assert len(bank) == 500 and bank.a.min() >= 0.4 and bank.a.max() <= 2.5
    assert abs(float(np.median(np.log(bank.a)))) < 0.05 and abs(float(bank.b.mean())) < 0.15
    assert bank.items[0].id == "g1" and len(bank.topics) == 5
    assert [i.topic for i in bank.items[:6]] == [*bank.topics, bank.topics[0]]
    assert generate_bank(500, seed=1).items == bank.items


@given(seed=st.integers(0, 2**32), answers=st.lists(st.booleans(), min_size=1, max_size=8))
@settings(max_examples=30, deadline=None)
def test_selection_never_repeats_an_item_within_an_exam(seed, answers) -> None:
    bank = generate_bank(40, seed=seed % 7)
    state = run_exam(bank, ExamRules(max_items=40, randomesque=3), seed, answers)
    assert len(state.asked) == len(set(state.asked)) == 40


@given(
    seed=st.integers(0, 2**32),
    shares=st.lists(st.integers(1, 5), min_size=2, max_size=4),
    length=st.integers(10, 30),
    answers=st.lists(st.booleans(), min_size=1, max_size=5),
)
@settings(max_examples=30, deadline=None)
def test_content_balance_keeps_each_topic_within_one_item_of_its_target(
    seed, shares, length, answers
) -> None:
    rng = np.random.default_rng(seed)
    items = [
        Item(f"t{t}-{n}", float(rng.uniform(0.5, 2.0)), float(rng.normal()), f"t{t}")
        for t in range(len(shares))
        for n in range(length)
    ]
    bank = Bank.of(items)
    targets = {f"t{t}": float(w) for t, w in enumerate(shares)}
    state = run_exam(bank, ExamRules(length, topic_targets=targets), seed, answers)
    asked = [bank.items[i].topic for i in state.asked]
    for t, weight in enumerate(shares):
        target = weight / sum(shares) * length
        assert abs(asked.count(f"t{t}") - target) < 1 + 1e-9


@given(
    seed=st.integers(0, 2**16),
    simulees=st.integers(10, 60),
    cap=st.floats(0.1, 0.6),
    length=st.integers(1, 5),
)
@settings(max_examples=15, deadline=None)
def test_the_exposure_cap_is_respected_in_simulation(seed, simulees, cap, length) -> None:
    bank = generate_bank(60, seed=seed)
    limit = math.floor(cap * simulees)
    if limit < 1 or limit * len(bank) < simulees * length:
        return  # the cap cannot hold: too few simulees for the fraction, or a bank too small
    rules = ExamRules(max_items=length, randomesque=2)
    result = simulate(
        bank, simulees=simulees, seed=seed, method="cat", rules=rules, exposure_cap=cap
    )
    assert result.exposure.max() <= limit
    assert result.summary().max_exposure <= cap
    assert result.exposure.sum() == simulees * length
