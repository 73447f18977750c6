"""Diagnostics for the bureau (issue 7 item 7): every exam in the user's scope, overall, by
sector, by town, and each enterprise ranked by its pass rate.

Province scale (issue 17): a city or province sees hundreds of thousands of answers, so this
report never loads them. Every figure is an aggregate the database computes:

- a group's sittings, workers, enterprises, passes and mean score come from the finished
  attempts, each with the fixed-form equivalent score recorded when the worker finished (the
  score the worker and the inspection record were given);
- a topic's mastery pools the group's answers to the topic's items, and that pooled estimate
  needs only how many answers were right and wrong on each item (`domain.exam.diagnostics.
  pooled_estimate`), read with one GROUP BY per dimension.

The enterprise and institution pages (`services.diagnostics`) still score each sitting from its
answers: they read one enterprise's or one institution's sittings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.domain.exam.diagnostics import form_score, topic_from_counts
from anjian.domain.registry import SECTORS
from anjian.training.access import visible_exams
from anjian.training.models import ExamAnswer, ExamAttempt, FieldExam, Question
from anjian.training.services.banks import POOL_FIELDS, active_questions, bank_of, pool_of
from anjian.training.services.diagnostics import TOPICS, Group, Period, TopicRow, _reasons


@dataclass(frozen=True)
class BureauReport:
    period: Period
    overall: Group
    sectors: tuple[Group, ...]
    towns: tuple[Group, ...]
    enterprises: tuple[Group, ...]  # key: enterprise pk; lowest pass rate first, thin ones last

    @property
    def lowest(self) -> list[Group]:
        return [g for g in self.enterprises if g.enough][:10]

    @property
    def thin(self) -> int:
        return sum(1 for g in self.enterprises if not g.enough)


def _lowest_first(group: Group) -> tuple[bool, float, float, str]:
    return (not group.enough, group.pass_rate, group.mean_score, group.label)


# -- what is counted ----------------------------------------------------------------------------

SECTOR = "exam__enterprise__sector"
TOWN = "exam__enterprise__town"
ENTERPRISE = "exam__enterprise_id"

# the same worker across sittings: the registered person, else enterprise + name + ID last four
WORKER = Case(
    When(person__isnull=False, then=Concat(Value("p"), Cast("person_id", CharField()))),
    default=Concat(Cast(ENTERPRISE, CharField()), Value("/"), "name", Value("/"), "id_last4"),
    output_field=CharField(),
)


def scored_attempts(exams: QuerySet[FieldExam], period: Period) -> QuerySet[ExamAttempt]:
    """Finished attempts with a recorded score and at least one judged answer, of the exams
    opened in the period."""
    if period.start:
        exams = exams.filter(opened_at__date__gte=period.start)
    if period.end:
        exams = exams.filter(opened_at__date__lte=period.end)
    judged = ExamAnswer.objects.filter(attempt=OuterRef("pk"), correct__isnull=False)
    return ExamAttempt.objects.filter(
        Exists(judged), exam__in=exams, finished_at__isnull=False, score__isnull=False
    )


@dataclass
class _Tally:
    persons: int = 0
    workers: int = 0
    enterprises: int = 0
    passed: int = 0
    mean: float = 0.0
    answers: int = 0
    label: str = ""


FIGURES = {
    "persons": Count("pk"),
    "workers": Count(WORKER, distinct=True),
    "enterprises": Count(ENTERPRISE, distinct=True),
    "mean": Avg("score"),
}


def _tallies(
    attempts: QuerySet[ExamAttempt], field: str | None, mark: float
) -> dict[object, _Tally]:
    """Per value of `field` (None: one group of everything): the sittings' figures."""
    figures = {**FIGURES, "passed": Count("pk", filter=Q(score__gte=mark))}
    answers = _answers(attempts)
    if field is None:
        row = attempts.order_by().aggregate(**figures)
        tally = _tally(row)
        tally.answers = answers.order_by().aggregate(n=Count("pk"))["n"]
        return {None: tally} if tally.persons else {}
    fields = [field, "exam__enterprise__name"] if field == ENTERPRISE else [field]
    found = {}
    for row in attempts.values(*fields).annotate(**figures).order_by():
        found[row[field]] = _tally(row, row.get("exam__enterprise__name", ""))
    for row in answers.values(f"attempt__{field}").annotate(n=Count("pk")).order_by():
        if row[f"attempt__{field}"] in found:
            found[row[f"attempt__{field}"]].answers = row["n"]
    return found


def _tally(row: dict[str, Any], label: str = "") -> _Tally:
    return _Tally(
        row["persons"],
        row["workers"],
        row["enterprises"],
        row["passed"],
        row["mean"] or 0.0,
        label=label,
    )


def _answers(attempts: QuerySet[ExamAttempt]) -> QuerySet[ExamAnswer]:
    return ExamAnswer.objects.filter(attempt__in=attempts, correct__isnull=False)


def _on_answer(fields: list[str]) -> list[str]:
    return [f"attempt__{f}" for f in fields]


# -- topics -------------------------------------------------------------------------------------


class _Topics:
    """Each group's topic rows from per-item right/wrong counts (one GROUP BY per dimension),
    on the bank of the questions the group answered and the pools of its sectors and jobs."""

    def __init__(self, attempts: QuerySet[ExamAttempt]) -> None:
        self.attempts = attempts
        self.active = active_questions()
        answered = _answers(attempts).values("question_id").distinct()
        self.questions: dict[int, Question] = {q.pk: q for q in self.active}
        missing = Question.objects.filter(pk__in=answered).exclude(pk__in=list(self.questions))
        self.questions.update({q.pk: q for q in missing.only(*POOL_FIELDS)})
        self._pools: dict[tuple[str, str], list[int]] = {}

    def pool(self, sector: str, job: str) -> list[int]:
        if (sector, job) not in self._pools:
            chosen = pool_of(self.active, sector=sector, jobs=[job], adaptive=True)
            self._pools[(sector, job)] = [q.pk for q in chosen]
        return self._pools[(sector, job)]

    def rows(
        self, field: str | None, means: dict[object, float], mark: float
    ) -> dict[object, tuple[TopicRow, ...]]:
        on = _on_answer([field] if field else [])
        counts: dict[object, dict[int, tuple[int, int]]] = defaultdict(dict)
        items = (
            _answers(self.attempts)
            .values(*on, "question_id")
            .annotate(
                right=Count("pk", filter=Q(correct=True)),
                wrong=Count("pk", filter=Q(correct=False)),
            )
            .order_by()
        )
        for row in items:
            counts[row[on[0]] if on else None][row["question_id"]] = (row["right"], row["wrong"])
        persons: dict[tuple[object, str], int] = {}
        per_topic = (
            _answers(self.attempts)
            .values(*on, "question__topic")
            .annotate(n=Count("attempt_id", distinct=True))
            .order_by()
        )
        for row in per_topic:
            persons[(row[on[0]] if on else None, row["question__topic"])] = row["n"]
        pairs: dict[object, set[tuple[str, str]]] = defaultdict(set)
        fields = [field] if field else []
        for row in self.attempts.values(*fields, SECTOR, "job").distinct().order_by():
            pairs[row[field] if field else None].add((row[SECTOR], row["job"]))
        return {
            key: self._group_rows(group, pairs[key], persons, key, means.get(key, 0.0), mark)
            for key, group in counts.items()
        }

    def _group_rows(
        self,
        counts: dict[int, tuple[int, int]],
        pairs: Iterable[tuple[str, str]],
        persons: dict[tuple[object, str], int],
        key: object,
        overall: float,
        mark: float,
    ) -> tuple[TopicRow, ...]:
        ids = set(counts)
        for sector, job in pairs:
            ids.update(self.pool(sector, job))
        questions = [self.questions[pk] for pk in sorted(ids) if pk in self.questions]
        bank = bank_of(questions)
        index = {q.pk: n for n, q in enumerate(questions)}
        by_topic: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
        for pk, pair in counts.items():
            if pk in index:
                by_topic[int(bank.topic_of[index[pk]])][index[pk]] = pair
        rows = []
        for topic, topic_counts in by_topic.items():
            name = bank.topics[topic]
            mastery = topic_from_counts(
                bank, topic, topic_counts, persons.get((key, name), 0), overall, mark
            )
            items = [n for n, q in enumerate(questions) if q.topic == name]
            low = form_score(mastery.theta - mastery.se, bank, items)
            high = form_score(mastery.theta + mastery.se, bank, items)
            rows.append(
                TopicRow(
                    topic=name,
                    label=_(TOPICS.get(name, name)),
                    percent=mastery.percent,
                    low=low,
                    high=high,
                    answers=mastery.answers,
                    persons=mastery.persons,
                    reasons=_reasons(mastery.percent, high, mark, overall),
                )
            )
        return tuple(sorted(rows, key=lambda r: (r.percent, r.topic)))


# -- the report ---------------------------------------------------------------------------------


def _group(key: str, label: str, tally: _Tally, topics: tuple[TopicRow, ...] = ()) -> Group:
    return Group(
        key=key,
        label=label,
        persons=tally.persons,
        workers=tally.workers,
        enterprises=tally.enterprises,
        answers=tally.answers,
        passed=tally.passed,
        mean_score=tally.mean,
        topics=topics,
    )


def bureau_diagnostics(*, user: User, period: Period) -> BureauReport:
    """Every exam in the user's scope: overall, by sector, by town, and each enterprise."""
    attempts = scored_attempts(visible_exams(user), period)
    mark = period.pass_mark
    topics = _Topics(attempts)

    def groups(field: str | None) -> tuple[dict[object, _Tally], dict[object, tuple]]:  # type: ignore[type-arg]
        tallies = _tallies(attempts, field, mark)
        rows = topics.rows(field, {k: t.mean for k, t in tallies.items()}, mark)
        return tallies, rows

    overall, overall_topics = groups(None)
    everything = overall.get(None, _Tally())
    by_sector, sector_topics = groups(SECTOR)
    sectors = [
        _group(sector, _(label), by_sector[sector], sector_topics.get(sector, ()))
        for sector, label in SECTORS.items()
        if sector in by_sector
    ]
    by_town, town_topics = groups(TOWN)
    towns = [
        _group(str(town), str(town) or _("未填写乡镇"), tally, town_topics.get(town, ()))
        for town, tally in sorted(by_town.items(), key=lambda pair: str(pair[0]))
    ]
    enterprises = [
        _group(str(pk), tally.label, tally)
        for pk, tally in _tallies(attempts, ENTERPRISE, mark).items()
    ]
    return BureauReport(
        period=period,
        overall=_group("all", _("全部"), everything, overall_topics.get(None, ())),
        sectors=tuple(sectors),
        towns=tuple(towns),
        enterprises=tuple(sorted(enterprises, key=_lowest_first)),
    )
