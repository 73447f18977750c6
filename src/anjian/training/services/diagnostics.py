"""Diagnostics (issue 7 item 7): what the on-site exams say about a group of workers — an
enterprise and its job types, the bureau's sectors and towns, the trainees of one training
institution — and which topics to train. Read-only selectors: they build the inputs of
`domain.exam.diagnostics` from the recorded answers and return plain dataclasses for the pages.

- The unit is a **sitting** (人次): one finished attempt with at least one answer. A worker
  examined at two inspections counts twice, as exam pass rates usually do.
- A sitting's ability is the EAP of its answers with the items' current parameters (so a
  recalibration improves old results too); its **score** is the fixed-form equivalent on the
  adaptive pool of the enterprise's sector and the sitting's job — the scale the exams use
  (`services.banks`). It passes at the page's pass mark (default `ANJIAN_EXAM_PASS_MARK`), not at
  each exam's own, so that every figure on a page compares like with like.
- A group's **topic mastery** is the domain's (ADR 0019): the group's answers to a topic pooled,
  EAP with its SE, as the expected percentage right on the topic's items in the group's pools,
  shown with the band θ ± SE. A topic is to be trained when it is below the pass mark, or when
  even the top of its band is below the group's mean score ("clearly below average"); the page
  says which. A group or topic with fewer than `MIN_PERSONS` sittings or `MIN_ANSWERS` answers
  gets no verdict (数据不足).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.domain.exam.diagnostics import Response, form_score, group_report, person_estimates
from anjian.domain.exam.irt import Bank
from anjian.domain.exam.questions import TOPICS
from anjian.registry.models import Enterprise
from anjian.training.access import visible_exams
from anjian.training.models import (
    ExamAnswer,
    ExamAttempt,
    FieldExam,
    PersonRole,
    Question,
)
from anjian.training.services.banks import bank_of, equivalent_score, exam_pool

MIN_PERSONS = 3
MIN_ANSWERS = 10
PASS_MARK_MIN = 50.0
PASS_MARK_MAX = 100.0
BUREAU_DAYS = 365  # the bureau page looks at the last year unless told otherwise


def default_pass_mark() -> float:
    return float(settings.ANJIAN_EXAM_PASS_MARK)


@dataclass(frozen=True)
class Period:
    """The exams looked at (by the day they opened, both ends included) and the pass mark."""

    start: date | None = None
    end: date | None = None
    pass_mark: float = field(default_factory=default_pass_mark)


def bureau_default_start() -> date:
    today: date = timezone.localdate()
    return today - timedelta(days=BUREAU_DAYS)


@dataclass
class Sitting:
    id: int
    exam_id: int
    enterprise_id: int
    enterprise_name: str
    sector: str
    town: str
    job: str
    person_id: int | None
    worker: str
    day: date
    answers: list[tuple[int, bool]] = field(default_factory=list)
    theta: float = 0.0
    score: float = 0.0


@dataclass(frozen=True)
class TopicRow:
    topic: str
    label: str
    percent: float  # expected % right on the topic's items
    low: float  # the same at θ - SE
    high: float  # the same at θ + SE
    answers: int
    persons: int
    reasons: tuple[str, ...]  # why to train it; empty: no need seen

    @property
    def enough(self) -> bool:
        return self.persons >= MIN_PERSONS and self.answers >= MIN_ANSWERS

    @property
    def train(self) -> bool:
        return self.enough and bool(self.reasons)

    @property
    def spread(self) -> float:
        return self.high - self.low

    @property
    def band(self) -> float:
        return self.spread / 2


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    persons: int  # sittings (人次)
    workers: int  # distinct workers
    enterprises: int
    answers: int
    passed: int
    mean_score: float
    topics: tuple[TopicRow, ...] = ()  # weakest first

    @property
    def enough(self) -> bool:
        return self.persons >= MIN_PERSONS and self.answers >= MIN_ANSWERS

    @property
    def pass_rate(self) -> float:
        return self.passed / self.persons if self.persons else 0.0

    @property
    def to_train(self) -> list[TopicRow]:
        return [t for t in self.topics if t.train] if self.enough else []


@dataclass(frozen=True)
class TrendPoint:
    """One exam of the enterprise: its day, its inspection task and how its sittings did."""

    exam_id: int
    day: date
    task_id: int
    task_label: str
    group: Group


@dataclass(frozen=True)
class EnterpriseReport:
    enterprise: Enterprise
    period: Period
    overall: Group
    jobs: tuple[Group, ...]
    trend: tuple[TrendPoint, ...]


# -- loading ------------------------------------------------------------------------------------


def sittings_of(exams: QuerySet[FieldExam], period: Period) -> list[Sitting]:
    if period.start:
        exams = exams.filter(opened_at__date__gte=period.start)
    if period.end:
        exams = exams.filter(opened_at__date__lte=period.end)
    finished = ExamAttempt.objects.filter(exam__in=exams, finished_at__isnull=False)
    sittings: dict[int, Sitting] = {}
    for row in finished.values_list(
        "pk",
        "exam_id",
        "exam__enterprise_id",
        "exam__enterprise__name",
        "exam__enterprise__sector",
        "exam__enterprise__town",
        "job",
        "person_id",
        "name",
        "id_last4",
        "exam__opened_at",
    ):
        pk, exam, enterprise, name, sector, town, job, person, worker, last4, opened = row
        key = f"p{person}" if person else f"{enterprise}/{worker}/{last4}"
        day = timezone.localtime(opened).date()
        sittings[pk] = Sitting(pk, exam, enterprise, name, sector, town, job, person, key, day)
    answers = ExamAnswer.objects.filter(attempt__in=finished, correct__isnull=False)
    for attempt, question, correct in answers.order_by("attempt_id", "position").values_list(
        "attempt_id", "question_id", "correct"
    ):
        if attempt in sittings:
            sittings[attempt].answers.append((question, bool(correct)))
    return [s for s in sittings.values() if s.answers]


class Scale:
    """The questions involved and the exam pools, loaded once per report; scores sittings."""

    def __init__(self, sittings: list[Sitting]) -> None:
        answered = {q for s in sittings for q, _ok in s.answers}
        self.questions: dict[int, Question] = {
            q.pk: q for q in Question.objects.filter(pk__in=answered)
        }
        self._pools: dict[tuple[str, str], list[int]] = {}
        self._banks: dict[tuple[str, str], Bank] = {}
        self._score(sittings)

    def pool(self, sector: str, job: str) -> list[int]:
        key = (sector, job)
        if key not in self._pools:
            questions = exam_pool(sector=sector, jobs=[job], adaptive=True)
            self.questions.update({q.pk: q for q in questions})
            self._pools[key] = [q.pk for q in questions]
            self._banks[key] = bank_of(questions)
        return self._pools[key]

    def _score(self, sittings: list[Sitting]) -> None:
        ordered = sorted(self.questions)
        bank = bank_of([self.questions[pk] for pk in ordered])
        index = {pk: n for n, pk in enumerate(ordered)}
        responses = [Response(str(s.id), index[q], ok) for s in sittings for q, ok in s.answers]
        estimates = person_estimates(bank, responses)
        for sitting in sittings:
            sitting.theta = estimates[str(sitting.id)].theta
            if self.pool(sitting.sector, sitting.job):
                pool_bank = self._banks[(sitting.sector, sitting.job)]
                sitting.score = equivalent_score(sitting.theta, pool_bank)
            else:  # no active questions left for this job: score on what was asked
                asked = [index[q] for q, _ok in sitting.answers]
                sitting.score = form_score(sitting.theta, bank, asked)


# -- groups -------------------------------------------------------------------------------------


def _reasons(percent: float, high: float, pass_mark: float, overall: float) -> tuple[str, ...]:
    reasons = []
    if percent < pass_mark:
        reasons.append(
            _("掌握程度 %(p).0f%% 低于合格线 %(m).0f 分") % {"p": percent, "m": pass_mark}
        )
    if high < overall:
        reasons.append(
            _("明显低于本组平均水平：误差上限 %(h).0f%% 仍低于平均分 %(o).0f 分")
            % {"h": high, "o": overall}
        )
    return tuple(reasons)


def _topics(
    sittings: list[Sitting], scale: Scale, pass_mark: float, overall: float
) -> tuple[TopicRow, ...]:
    ids = {q for s in sittings for q, _ok in s.answers}
    for sector, job in {(s.sector, s.job) for s in sittings}:
        ids.update(scale.pool(sector, job))
    questions = [scale.questions[pk] for pk in sorted(ids)]
    bank = bank_of(questions)
    index = {q.pk: n for n, q in enumerate(questions)}
    responses = [Response(str(s.id), index[q], ok) for s in sittings for q, ok in s.answers]
    rows = []
    for topic in group_report(bank, responses, pass_mark=pass_mark).topics:
        items = [n for n, q in enumerate(questions) if q.topic == topic.topic]
        low = form_score(topic.theta - topic.se, bank, items)
        high = form_score(topic.theta + topic.se, bank, items)
        rows.append(
            TopicRow(
                topic=topic.topic,
                label=_(TOPICS.get(topic.topic, topic.topic)),
                percent=topic.percent,
                low=low,
                high=high,
                answers=topic.answers,
                persons=topic.persons,
                reasons=_reasons(topic.percent, high, pass_mark, overall),
            )
        )
    return tuple(rows)


def group_of(
    key: str,
    label: str,
    sittings: list[Sitting],
    scale: Scale,
    pass_mark: float,
    *,
    topics: bool = True,
) -> Group:
    scores = [s.score for s in sittings]
    mean = sum(scores) / len(scores) if scores else 0.0
    return Group(
        key=key,
        label=label,
        persons=len(sittings),
        workers=len({s.worker for s in sittings}),
        enterprises=len({s.enterprise_id for s in sittings}),
        answers=sum(len(s.answers) for s in sittings),
        passed=sum(1 for s in scores if s >= pass_mark),
        mean_score=mean,
        topics=_topics(sittings, scale, pass_mark, mean) if topics and sittings else (),
    )


def split_by(
    sittings: Iterable[Sitting], key: Callable[[Sitting], str]
) -> dict[str, list[Sitting]]:
    groups: dict[str, list[Sitting]] = defaultdict(list)
    for sitting in sittings:
        groups[key(sitting)].append(sitting)
    return groups


def enterprise_diagnostics(
    *, user: User, enterprise: Enterprise, period: Period
) -> EnterpriseReport:
    """One enterprise (already fetched through `access_enterprise`): overall, by job type, by
    topic and over its inspections."""
    exams = visible_exams(user).filter(enterprise=enterprise)
    sittings = sittings_of(exams, period)
    scale = Scale(sittings)
    mark = period.pass_mark
    by_job = split_by(sittings, lambda s: s.job)
    jobs = tuple(
        group_of(job, str(label), by_job[job], scale, mark)
        for job, label in PersonRole.choices
        if job in by_job
    )
    return EnterpriseReport(
        enterprise=enterprise,
        period=period,
        overall=group_of("all", _("全部岗位"), sittings, scale, mark),
        jobs=jobs,
        trend=_trend(sittings, scale, mark),
    )


def _trend(sittings: list[Sitting], scale: Scale, pass_mark: float) -> tuple[TrendPoint, ...]:
    by_exam = split_by(sittings, lambda s: str(s.exam_id))
    exams = FieldExam.objects.filter(pk__in=[int(k) for k in by_exam]).select_related("task")
    points = []
    for exam in exams.order_by("opened_at", "pk"):
        task = exam.task
        points.append(
            TrendPoint(
                exam_id=exam.pk,
                day=timezone.localtime(exam.opened_at).date(),
                task_id=task.pk,
                task_label=f"{task.date:%Y-%m-%d} {task.get_activity_display()}",
                group=group_of(
                    str(exam.pk), "", by_exam[str(exam.pk)], scale, pass_mark, topics=False
                ),
            )
        )
    return tuple(points)
