"""Diagnostics for a group of workers: pass rate on the fixed-form scale and the topics to train,
weakest first, found from simulated answers with one topic made weak on purpose."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.domain.exam.diagnostics import (
    Response,
    _topic,
    form_score,
    group_report,
    person_estimates,
    topic_from_counts,
)
from anjian.domain.exam.irt import Bank, Item, probability

TOPICS = ("law", "chemicals", "electrical", "emergency")


def _bank() -> Bank:
    items = [
        Item(f"q{n}", 1.2, float(np.linspace(-1.5, 1.5, 10)[n % 10]), TOPICS[n // 10])
        for n in range(40)
    ]
    return Bank.of(items)


def _answers(bank: Bank, thetas: np.ndarray, weak: str | None, seed: int) -> list[Response]:
    rng = np.random.default_rng(seed)
    found = []
    for person, theta in enumerate(thetas):
        for item in range(len(bank)):
            shift = 1.5 if bank.items[item].topic == weak else 0.0
            right = rng.random() < probability(theta - shift, bank.a[item], bank.b[item])
            found.append(Response(f"p{person}", item, bool(right)))
    return found


def test_the_weak_topic_comes_first_and_is_recommended() -> None:
    bank = _bank()
    thetas = np.random.default_rng(1).normal(0.8, 0.6, 60)
    report = group_report(bank, _answers(bank, thetas, "chemicals", seed=2))
    assert report.persons == 60 and report.answers == 60 * 40
    assert report.topics[0].topic == "chemicals" and report.topics[0].train
    assert report.to_train[0] == "chemicals"
    others = [t for t in report.topics if t.topic != "chemicals"]
    assert all(t.percent > report.topics[0].percent + 10 for t in others)
    assert all(t.persons == 60 and t.answers == 600 for t in report.topics)
    assert 0.0 <= report.pass_rate <= 1.0 and 0.0 < report.mean_score < 100.0


def test_pass_mark_and_scores() -> None:
    bank = _bank()
    assert form_score(4.0, bank) > 95 and form_score(-4.0, bank) < 5
    assert form_score(0.0, bank, []) == 0.0
    strong = group_report(bank, _answers(bank, np.full(20, 2.5), None, seed=3))
    weak = group_report(bank, _answers(bank, np.full(20, -1.5), None, seed=3))
    assert strong.pass_rate > 0.8 and weak.pass_rate == 0.0
    assert strong.mean_score > weak.mean_score
    lenient = group_report(bank, _answers(bank, np.full(20, -1.5), None, seed=3), pass_mark=10)
    assert lenient.pass_rate == 1.0


def test_no_answers_no_report() -> None:
    report = group_report(_bank(), [])
    assert (report.persons, report.pass_rate, report.topics) == (0, 0.0, ())


@settings(max_examples=50, deadline=None)
@given(rights=st.integers(0, 10))
def test_more_right_answers_never_lower_the_estimate(rights: int) -> None:
    bank = _bank()
    answers = [Response("x", item, item < rights) for item in range(10)]
    more = [Response("x", item, item <= rights) for item in range(10)]
    assert person_estimates(bank, more)["x"].theta >= person_estimates(bank, answers)["x"].theta


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 7), st.integers(0, 29), st.booleans()), min_size=1, max_size=120
    )
)
def test_a_topic_from_counts_is_the_topic_from_the_answers(
    rows: list[tuple[int, int, bool]],
) -> None:
    """The bureau's diagnostics read per-item right/wrong counts from a GROUP BY instead of
    every answer; the pooled EAP, percent, SE and verdict are the same."""
    bank = _bank()
    responses = [Response(f"w{person}", item, correct) for person, item, correct in rows]
    for topic in range(len(bank.topics)):
        mine = [r for r in responses if bank.topic_of[r.item] == topic]
        if not mine:
            continue
        counts: dict[int, tuple[int, int]] = {}
        for r in mine:
            right, wrong = counts.get(r.item, (0, 0))
            counts[r.item] = (right + r.correct, wrong + (not r.correct))
        persons = len({r.person for r in mine})
        expected = _topic(bank, topic, mine, 70.0, 80.0)
        found = topic_from_counts(bank, topic, counts, persons, 70.0, 80.0)
        assert found.answers == expected.answers and found.persons == expected.persons
        assert abs(found.theta - expected.theta) < 1e-9 and abs(found.se - expected.se) < 1e-9
        assert abs(found.percent - expected.percent) < 1e-7 and found.train == expected.train
