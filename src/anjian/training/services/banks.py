"""The question pools exams draw from and their IRT bank, shared by the on-site exams and the
diagnostics so that both put scores on the same scale.

A pool is the active questions of the enterprise's sector and the general ones, written for the
exam's job types or for everyone. The adaptive pool leaves out true/false questions (a guess
succeeds half the time, which costs precision) unless fewer than `MIN_ADAPTIVE_POOL` choice
questions remain. The fixed-form equivalent score of an ability θ is 100 × the expected share
right on the whole pool at θ (`domain.exam.diagnostics.form_score`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from anjian.domain.exam.diagnostics import form_score
from anjian.domain.exam.irt import Bank, Item
from anjian.training.models import Question, QuestionStatus

MIN_ADAPTIVE_POOL = 40
# what selecting, scoring and fixed forms read of a pool question; the texts are loaded only for
# the question actually shown
POOL_FIELDS = ("pk", "code", "version", "sector", "job", "topic", "kind", "answer", "a", "b")


def exam_pool(*, sector: str, jobs: Iterable[str], adaptive: bool) -> list[Question]:
    """Active questions for this sector (and general) and these jobs (and 'all'), by code."""
    jobs = list(jobs)
    questions = list(
        Question.objects.filter(
            status=QuestionStatus.ACTIVE,
            sector__in=[sector, "general"],
            job__in=[*jobs, "all"],
        )
        .only(*POOL_FIELDS)
        .order_by("code")
    )
    return pool_of(questions, sector=sector, jobs=jobs, adaptive=adaptive)


def active_questions() -> list[Question]:
    """Every active question (pool fields only), by code: what `pool_of` picks pools from when
    a report needs the pools of many sectors and jobs."""
    return list(
        Question.objects.filter(status=QuestionStatus.ACTIVE).only(*POOL_FIELDS).order_by("code")
    )


def pool_of(
    active: Sequence[Question], *, sector: str, jobs: Iterable[str], adaptive: bool
) -> list[Question]:
    """`exam_pool` chosen from already loaded active questions (ordered by code)."""
    wanted = {*jobs, "all"}
    questions = [q for q in active if q.sector in (sector, "general") and q.job in wanted]
    if adaptive:
        choice = [q for q in questions if q.kind != "true_false"]
        if len(choice) >= MIN_ADAPTIVE_POOL:
            return choice
    return questions


def bank_of(questions: Sequence[Question]) -> Bank:
    """The IRT bank of these questions; item ids are the question primary keys as text."""
    return Bank.of([Item(id=str(q.pk), a=q.a, b=q.b, topic=q.topic) for q in questions])


def equivalent_score(theta: float, bank: Bank) -> float:
    """The fixed-form equivalent score (0..100) of ability θ on this bank."""
    return form_score(theta, bank)
