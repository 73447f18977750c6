"""What the answers say about a group of workers (an enterprise, a job type, a sector, a town, the
trainees of one institution): ability with its uncertainty, a pass rate on the fixed-form scale,
and the topics to train, weakest first.

- A worker's ability is the EAP of all their answers (`irt.eap`); their **fixed-form equivalent
  score** is 100 × the expected share of right answers on a reference form (by default the whole
  bank) at that ability, and they pass at `pass_mark` (80, as the national exams).
- A group's **topic mastery** pools the group's answers to that topic's items as if one examinee
  had given them (EAP with the standard normal prior, so a topic with few answers is pulled
  towards average and says so by a wide SE), reported as the expected percentage right on the
  topic's items. Topics are ranked by mastery, lowest first; a topic is recommended for training
  when its mastery is below the pass mark or clearly (more than one SE) below the group's overall.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from anjian.domain.exam.irt import GRID, Bank, Estimate, eap, posterior_summary, probability

PASS_MARK = 80.0


@dataclass(frozen=True)
class Response:
    person: str
    item: int  # index in the bank
    correct: bool


@dataclass(frozen=True)
class TopicMastery:
    topic: str
    theta: float
    se: float
    percent: float  # expected % right on the topic's items at theta
    answers: int
    persons: int
    train: bool


@dataclass(frozen=True)
class GroupReport:
    persons: int
    answers: int
    theta: float  # the group's mean ability
    pass_rate: float  # share of persons at or above the pass mark, 0..1
    mean_score: float  # mean fixed-form equivalent score, 0..100
    topics: tuple[TopicMastery, ...]  # weakest first

    @property
    def to_train(self) -> list[str]:
        return [t.topic for t in self.topics if t.train]


def _estimate(bank: Bank, answers: Sequence[Response]) -> Estimate:
    items = np.array([r.item for r in answers], dtype=np.intp)
    correct = np.array([r.correct for r in answers], dtype=bool)
    return eap(bank.a[items], bank.b[items], correct)


def person_estimates(bank: Bank, responses: Iterable[Response]) -> dict[str, Estimate]:
    """Each person's EAP ability and SE from all of their answers."""
    by_person: dict[str, list[Response]] = {}
    for response in responses:
        by_person.setdefault(response.person, []).append(response)
    return {person: _estimate(bank, answers) for person, answers in by_person.items()}


def form_score(theta: float, bank: Bank, form: Sequence[int] | None = None) -> float:
    """100 × the expected share right on the reference form at `theta` (0..100)."""
    items = np.arange(len(bank)) if form is None else np.asarray(form, dtype=np.intp)
    if items.size == 0:
        return 0.0
    return float(100.0 * probability(theta, bank.a[items], bank.b[items]).mean())


def pooled_estimate(bank: Bank, counts: Mapping[int, tuple[int, int]]) -> Estimate:
    """The EAP of a group's pooled answers given only how many were right and wrong on each
    item (`{item index: (right, wrong)}`). The pooled likelihood is a product over answers, so
    these counts are all it needs: the same estimate as `_estimate` over the answers themselves,
    from a GROUP BY instead of every answer row."""
    items = np.array(sorted(counts), dtype=np.intp)
    if items.size == 0:
        return eap([], [], [])
    right = np.array([counts[i][0] for i in items], dtype=np.float64)
    wrong = np.array([counts[i][1] for i in items], dtype=np.float64)
    p = probability(GRID.points[None, :], bank.a[items][:, None], bank.b[items][:, None])
    log_likelihood = right @ np.log(p) + wrong @ np.log(1.0 - p)
    mean, sd = posterior_summary(log_likelihood, GRID)
    return Estimate(float(mean), float(sd))


def topic_from_counts(
    bank: Bank,
    topic: int,
    counts: Mapping[int, tuple[int, int]],
    persons: int,
    overall: float,
    pass_mark: float,
) -> TopicMastery:
    """`_topic` for a group known by its per-item counts (`pooled_estimate`) and the number
    of persons who answered the topic."""
    return _mastery(
        bank,
        topic,
        pooled_estimate(bank, counts),
        sum(r + w for r, w in counts.values()),
        persons,
        overall,
        pass_mark,
    )


def _topic(
    bank: Bank, topic: int, answers: Sequence[Response], overall: float, pass_mark: float
) -> TopicMastery:
    persons = len({r.person for r in answers})
    return _mastery(
        bank, topic, _estimate(bank, answers), len(answers), persons, overall, pass_mark
    )


def _mastery(
    bank: Bank,
    topic: int,
    estimate: Estimate,
    answers: int,
    persons: int,
    overall: float,
    pass_mark: float,
) -> TopicMastery:
    items = np.flatnonzero(bank.topic_of == topic)
    percent = form_score(estimate.theta, bank, items.tolist())
    high = form_score(estimate.theta + estimate.se, bank, items.tolist())
    return TopicMastery(
        topic=bank.topics[topic],
        theta=estimate.theta,
        se=estimate.se,
        percent=percent,
        answers=answers,
        persons=persons,
        train=percent < pass_mark or high < overall,
    )


def group_report(
    bank: Bank,
    responses: Sequence[Response],
    *,
    pass_mark: float = PASS_MARK,
    form: Sequence[int] | None = None,
) -> GroupReport:
    """The group's abilities, pass rate and topics to train (see the module docstring)."""
    estimates = person_estimates(bank, responses)
    scores = [form_score(e.theta, bank, form) for e in estimates.values()]
    overall = float(np.mean(scores)) if scores else 0.0
    by_topic: dict[int, list[Response]] = {}
    for response in responses:
        by_topic.setdefault(int(bank.topic_of[response.item]), []).append(response)
    topics = [_topic(bank, t, answers, overall, pass_mark) for t, answers in by_topic.items()]
    return GroupReport(
        persons=len(estimates),
        answers=len(responses),
        theta=float(np.mean([e.theta for e in estimates.values()])) if estimates else 0.0,
        pass_rate=float(np.mean([s >= pass_mark for s in scores])) if scores else 0.0,
        mean_score=overall,
        topics=tuple(sorted(topics, key=lambda t: (t.percent, t.topic))),
    )
