"""A whole on-site exam attempt replayed in memory: the demo loader's past exams.

`attempt_replay` gives the same attempt, answers and audit entries as `exam_flow.attempt_simulate`
(start → next → answer … → finish through the phone's services), without a round trip per
question. The attempt starts through `attempt_start` itself (same checks, same audit entry
"training.exam.attempt_start"); the questions are then chosen, answered and scored with the pure
exam engine (`domain.exam.cat`) as `attempt_next` and `attempt_answer` do:

- the worker's pool is read once; a fixed form's questions outside it join the bank when served,
  as `exam_flow._progress` adds them;
- the exposure cap is computed at each question's serving time from the serving times read once
  (every answer of the window, and the attempts started in it), so the same questions are eligible;
- each answer is checked and scored by the same functions (`_letters`, `is_correct`), the exam
  stops for the same reasons (`_stop`), and refuses the same way once closed;
- the answers are written in one `bulk_create`, and the attempt is finished by the same code
  (`_finish`: score, pass mark, audit entry "training.exam.attempt_finish").

One transaction: if anything is refused, nothing of the attempt is kept."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt
from django.db import transaction

from anjian.domain.exam.cat import ExamState, record_answer, select_next, start_exam, under_cap
from anjian.training.models import ExamAnswer, ExamAttempt, ExamMode, FieldExam, Question
from anjian.training.services.banks import bank_of, exam_pool
from anjian.training.services.exam_flow import (
    CLOSED,
    EXPOSURE_RATE,
    EXPOSURE_WINDOW,
    _finish,
    _letters,
    _Progress,
    _refuse,
    _rules,
    _stop,
    attempt_start,
)
from anjian.training.services.exams import exam_is_open, seed_of

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _micros(moment: datetime) -> int:
    """Exact microseconds since the epoch (comparisons on the window's edges stay exact)."""
    return (moment - _EPOCH) // _MICROSECOND


@dataclass
class _Exposure:
    """Every serving of a pool question and every attempt start in the window, read once, so the
    cap can be computed for any moment of the attempt as `exam_flow._eligible` does. This
    attempt's own servings are left out: they count only for questions it has already been
    asked, which are never chosen again."""

    served_pk: list[int]
    served_at: list[int]
    started_at: npt.NDArray[np.int64]

    @classmethod
    def read(cls, question_pks: list[int], since: datetime) -> _Exposure:
        rows = list(
            ExamAnswer.objects.filter(
                question_id__in=question_pks, served_at__gt=since
            ).values_list("question_id", "served_at")
        )
        starts = ExamAttempt.objects.filter(started_at__gt=since).values_list(
            "started_at", flat=True
        )
        return cls(
            served_pk=[pk for pk, _ in rows],
            served_at=[_micros(at) for _, at in rows],
            started_at=np.array([_micros(at) for at in starts], dtype=np.int64),
        )

    def eligible(self, pks: list[int], now: datetime) -> npt.NDArray[np.bool_]:
        low, high = _micros(now - EXPOSURE_WINDOW), _micros(now)
        counts: dict[int, int] = {}
        for pk, at in zip(self.served_pk, self.served_at, strict=True):
            if low < at <= high:
                counts[pk] = counts.get(pk, 0) + 1
        started = int(((self.started_at > low) & (self.started_at <= high)).sum())
        limit = math.floor(EXPOSURE_RATE * started) + 1
        return under_cap(np.array([counts.get(pk, 0) for pk in pks], dtype=np.int64), limit)


class _Replay:
    """The attempt's questions, bank and state as they grow, question by question."""

    def __init__(self, attempt: ExamAttempt, exam: FieldExam) -> None:
        self.attempt, self.exam = attempt, exam
        pool = exam_pool(
            sector=exam.enterprise.sector,
            jobs=[attempt.job],
            adaptive=exam.mode == ExamMode.ADAPTIVE,
        )
        wanted = [q.pk for q in pool] + [int(pk) for pk in exam.fixed_questions]
        self.full = Question.objects.in_bulk(wanted)  # what the phone's answer sees
        self.questions: list[Question] = list(pool)
        self.index = {q.pk: n for n, q in enumerate(pool)}
        self.bank = bank_of(self.questions)
        self.state: ExamState = start_exam()
        self.rows: list[ExamAnswer] = []
        self.exposure = (
            _Exposure.read([q.pk for q in pool], attempt.started_at - EXPOSURE_WINDOW)
            if exam.mode == ExamMode.ADAPTIVE
            else None
        )

    def progress(self) -> _Progress:
        return _Progress(self.rows, self.questions, self.bank, self.index, self.state)

    def choose(self, now: datetime) -> int:
        """The pk of the question served at this position (as `exam_flow._choose`)."""
        position = len(self.rows) + 1
        if self.exposure is None:
            return int(self.exam.fixed_questions[position - 1])
        pks = [int(item.id) for item in self.bank.items]
        rng = np.random.default_rng(seed_of(f"{self.attempt.key}:{position}"))
        eligible = self.exposure.eligible(pks, now)
        return int(select_next(self.bank, self.state, _rules(self.exam), rng, eligible).item_id)

    def serve(self, question_pk: int) -> Question:
        """A question served: a fixed form's question outside the pool joins the bank."""
        question = self.full[question_pk]
        if question_pk not in self.index:
            self.index[question_pk] = len(self.questions)
            self.questions.append(question)
            self.bank = bank_of(self.questions)
        return question

    def answer(self, question: Question, response: str, served: datetime, now: datetime) -> None:
        letters = _letters(question, response)
        correct = question.as_domain().is_correct(letters)
        self.state = record_answer(self.bank, self.state, self.index[question.pk], correct)
        estimate = self.state.estimate
        self.rows.append(
            ExamAnswer(
                attempt=self.attempt,
                position=len(self.rows) + 1,
                question=question,
                served_at=served,
                answered_at=now,
                response=letters,
                correct=correct,
                theta_after=estimate.theta,
                se_after=estimate.se,
            )
        )


def _open_at(exam: FieldExam, now: datetime) -> None:
    if not exam_is_open(exam, now):
        raise _refuse(CLOSED)


def attempt_replay(
    *,
    exam: FieldExam,
    name: str,
    job: str,
    id_last4: str,
    answer: Callable[[Question], str],
    now: datetime,
    seconds_per_item: int = 30,
) -> ExamAttempt:
    """The attempt `attempt_simulate` would record, written at once: each question is served at
    the time the previous one was answered and answered `seconds_per_item` later; `answer`
    gives the response to each question served."""
    with transaction.atomic():
        attempt = attempt_start(exam=exam, name=name, job=job, id_last4=id_last4, now=now)
        exam = FieldExam.objects.select_for_update().select_related("enterprise").get(pk=exam.pk)
        attempt.exam = exam
        replay = _Replay(attempt, exam)
        clock = now
        while (reason := _stop(exam, replay.progress())) is None:
            _open_at(exam, clock)
            served = clock
            question = replay.serve(replay.choose(served))
            clock += timedelta(seconds=seconds_per_item)
            _open_at(exam, clock)
            replay.answer(question, answer(question), served, clock)
        _open_at(exam, clock)
        ExamAnswer.objects.bulk_create(replay.rows)
        _finish(attempt, replay.progress(), reason, clock)
    return attempt
