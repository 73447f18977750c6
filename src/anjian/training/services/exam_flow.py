"""On-site exams (逢查必考), the worker's side: starting an attempt, serving the next question,
taking an answer and finishing with the score — the same functions behind the phone pages and
the demo loader's replay (`attempt_simulate`).

- **Start**: name, job (one of the exam's) and the last four ID digits; once per exam, name and
  last four (the constraint `exam_attempt_once_per_worker` refuses a second start, which is
  caught inside the transaction); matched to a registry person of the enterprise with the same
  name and last four, when there is exactly one. The same check on another phone resumes the
  worker's unfinished attempt with a new key (the answers and the adaptive state are rebuilt from
  the rows); a finished one, or one an officer ended (`exam_attempts.py`), is refused.
- **Next question**: the served question is stored (unanswered) before it is shown, so a reload
  shows it again. Adaptive: maximum information at the current ability, content balanced by
  topic, randomesque among the 2 best, among questions served fewer than ⌊0.2 × attempts started
  in the last 90 days⌋ + 1 times in those 90 days (the exposure cap); the random draw is seeded
  by the attempt key and position. Fixed: the next question of the form.
- **Answer**: refused, with nothing written, unless the attempt key is known, the exam is open,
  the attempt unfinished, and the position and question are the ones served and still pending,
  and the response is valid for the question's kind. The ability is updated (EAP) and the exam
  stops at its length, its precision, or when the bank runs out.
- **Finish**: ability, standard error, the fixed-form equivalent score on the worker's pool and
  pass/fail at the exam's pass mark.

Attempts are audited when they start, resume and finish; single answers are not (they are
records of their own, with their times)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.db import transaction
from django.db.models import Count

from anjian.audit.services import audit_record
from anjian.domain.exam.cat import (
    ExamRules,
    ExamState,
    Mask,
    record_answer,
    select_next,
    start_exam,
    stop_reason,
    under_cap,
)
from anjian.domain.exam.irt import Bank
from anjian.training.models import (
    ExamAnswer,
    ExamAttempt,
    ExamMode,
    FieldExam,
    Question,
)
from anjian.training.services.banks import bank_of, equivalent_score, exam_pool
from anjian.training.services.exam_entry import CLOSED as CLOSED
from anjian.training.services.exam_entry import ENDED as ENDED
from anjian.training.services.exam_entry import TWICE as TWICE
from anjian.training.services.exam_entry import attempt_enter as attempt_enter
from anjian.training.services.exam_entry import attempt_start as attempt_start
from anjian.training.services.exam_entry import refuse as _refuse
from anjian.training.services.exams import STOP_FORM_COMPLETE, exam_is_open, seed_of

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
EXPOSURE_WINDOW = timedelta(days=90)
EXPOSURE_RATE = 0.2
RANDOMESQUE = 2

NO_ATTEMPT = "未找到您的答卷，请重新扫码开始考试"
FINISHED = "您已交卷，不能再作答"
MISMATCH = "提交的题目与系统所出的题目不一致，请返回当前题目重新作答"


def exam_by_token(token: str) -> FieldExam | None:
    """The exam behind a QR code (the token is its only key; no login); None for anything that
    is not a well-formed token."""
    if not TOKEN.fullmatch(token):
        return None
    return FieldExam.objects.select_related("enterprise").filter(token=token).first()


def attempt_by_key(exam: FieldExam, key: str | None) -> ExamAttempt | None:
    """The attempt of this exam holding this key, if any."""
    if not key:
        return None
    return ExamAttempt.objects.filter(exam=exam, key=key).select_related("exam").first()


def _locked_attempt(exam: FieldExam, key: str | None) -> ExamAttempt:
    attempt = None
    if key:
        attempt = (
            ExamAttempt.objects.select_for_update()
            .select_related("exam", "exam__enterprise")
            .filter(exam_id=exam.pk, key=key)
            .first()
        )
    if attempt is None:
        raise _refuse(NO_ATTEMPT)
    return attempt


@dataclass(frozen=True, eq=False)
class _Progress:
    """The worker's bank (their job's pool plus anything already served), and the state of the
    exam rebuilt from the answered rows."""

    rows: list[ExamAnswer]
    questions: list[Question]
    bank: Bank
    index: dict[int, int]
    state: ExamState

    @property
    def pending(self) -> ExamAnswer | None:
        return next((row for row in self.rows if row.answered_at is None), None)


def _progress(attempt: ExamAttempt) -> _Progress:
    exam = attempt.exam
    rows = list(attempt.answers.select_related("question").order_by("position"))
    pool = exam_pool(
        sector=exam.enterprise.sector, jobs=[attempt.job], adaptive=exam.mode == ExamMode.ADAPTIVE
    )
    known = {q.pk for q in pool}
    questions = pool + [row.question for row in rows if row.question_id not in known]
    bank = bank_of(questions)
    index = {q.pk: n for n, q in enumerate(questions)}
    state = start_exam()
    for row in rows:
        if row.answered_at is not None:
            state = record_answer(bank, state, index[row.question_id], bool(row.correct))
    return _Progress(rows, questions, bank, index, state)


def _rules(exam: FieldExam) -> ExamRules:
    return ExamRules(max_items=exam.max_items, min_se=exam.min_se, randomesque=RANDOMESQUE)


def _stop(exam: FieldExam, progress: _Progress) -> str | None:
    if exam.mode == ExamMode.FIXED:
        done = len(progress.state.asked) >= len(exam.fixed_questions)
        return STOP_FORM_COMPLETE if done else None
    return stop_reason(progress.bank, progress.state, _rules(exam))


def exposure_limit(now: datetime) -> int:
    """How often a question may have been served in the window and still be chosen."""
    started = ExamAttempt.objects.filter(
        started_at__gt=now - EXPOSURE_WINDOW, started_at__lte=now
    ).count()
    return math.floor(EXPOSURE_RATE * started) + 1


def _eligible(bank: Bank, now: datetime) -> Mask:
    pks = [int(item.id) for item in bank.items]
    served = dict(
        ExamAnswer.objects.filter(
            question_id__in=pks, served_at__gt=now - EXPOSURE_WINDOW, served_at__lte=now
        )
        .values("question_id")
        .annotate(n=Count("pk"))
        .values_list("question_id", "n")
    )
    counts = np.array([served.get(pk, 0) for pk in pks], dtype=np.int64)
    return under_cap(counts, exposure_limit(now))


def _choose(attempt: ExamAttempt, progress: _Progress, now: datetime) -> int:
    """The pk of the next question."""
    exam = attempt.exam
    position = len(progress.rows) + 1
    if exam.mode == ExamMode.FIXED:
        return int(exam.fixed_questions[position - 1])
    rng = np.random.default_rng(seed_of(f"{attempt.key}:{position}"))
    selection = select_next(
        progress.bank, progress.state, _rules(exam), rng, _eligible(progress.bank, now)
    )
    return int(selection.item_id)


def attempt_next(*, exam: FieldExam, key: str | None, now: datetime) -> ExamAnswer | None:
    """The question to show now: the one served and still pending, or a newly served one; None
    when the attempt is finished (it may finish here if the bank has run out)."""
    with transaction.atomic():
        attempt = _locked_attempt(exam, key)
        if attempt.finished_at is not None:
            return None
        if not exam_is_open(attempt.exam, now):
            raise _refuse(CLOSED)
        if attempt.ended:
            raise _refuse(ENDED)
        progress = _progress(attempt)
        if progress.pending is not None:
            return progress.pending
        reason = _stop(attempt.exam, progress)
        if reason is not None:
            _finish(attempt, progress, reason, now)
            return None
        return ExamAnswer.objects.create(
            attempt=attempt,
            position=len(progress.rows) + 1,
            question_id=_choose(attempt, progress, now),
            served_at=now,
        )


def _number(raw: object) -> int | None:
    try:
        return int(str(raw).strip())
    except (TypeError, ValueError):
        return None


def _letters(question: Question, raw: str) -> str:
    """The response as stored: sorted letters, or T/F; refused if not valid for the kind."""
    text = "".join(str(raw).split()).upper()
    if not text:
        raise _refuse("请先选择答案", "response")
    letters = "".join(sorted(set(text)))
    if question.kind == "true_false":
        valid = text in ("T", "F")
    else:
        valid = len(letters) == len(text) and not set(letters) - set("ABCD")
        valid = valid and (question.kind != "single" or len(letters) == 1)
    if not valid:
        raise _refuse("答案不符合本题题型，请重新选择", "response")
    return letters


def _pending_row(progress: _Progress, position: object, question: object) -> ExamAnswer:
    at = _number(position)
    served = next((row for row in progress.rows if row.position == at), None)
    if served is not None and served.answered_at is not None:
        raise _refuse(f"第 {at} 题已作答，不能修改")
    pending = progress.pending
    if pending is None or served is not pending or pending.question_id != _number(question):
        raise _refuse(MISMATCH)
    return pending


def attempt_answer(
    *,
    exam: FieldExam,
    key: str | None,
    position: object,
    question: object,
    response: str,
    now: datetime,
) -> ExamAttempt:
    """Takes the answer to the pending question; finishes the attempt when the exam stops."""
    with transaction.atomic():
        attempt = _locked_attempt(exam, key)
        if not exam_is_open(attempt.exam, now):
            raise _refuse(CLOSED)
        if attempt.finished_at is not None:
            raise _refuse(FINISHED)
        if attempt.ended:
            raise _refuse(ENDED)
        progress = _progress(attempt)
        row = _pending_row(progress, position, question)
        letters = _letters(row.question, response)
        correct = row.question.as_domain().is_correct(letters)
        state = record_answer(
            progress.bank, progress.state, progress.index[row.question_id], correct
        )
        row.response, row.correct, row.answered_at = letters, correct, now
        row.theta_after, row.se_after = state.estimate.theta, state.estimate.se
        row.save(update_fields=["response", "correct", "answered_at", "theta_after", "se_after"])
        progress = _Progress(
            progress.rows, progress.questions, progress.bank, progress.index, state
        )
        reason = _stop(attempt.exam, progress)
        if reason is not None:
            _finish(attempt, progress, reason, now)
    return attempt


def _finish(attempt: ExamAttempt, progress: _Progress, reason: str, now: datetime) -> None:
    estimate = progress.state.estimate
    attempt.theta, attempt.se = estimate.theta, estimate.se
    attempt.score = round(equivalent_score(estimate.theta, progress.bank), 1)
    attempt.passed = attempt.score >= attempt.exam.pass_mark
    attempt.stop_reason, attempt.finished_at = reason, now
    attempt.save(update_fields=["theta", "se", "score", "passed", "stop_reason", "finished_at"])
    audit_record(
        actor=None,
        action="training.exam.attempt_finish",
        target=attempt,
        changes={
            "items": {"before": None, "after": len(progress.state.asked)},
            "theta": {"before": None, "after": round(estimate.theta, 4)},
            "se": {"before": None, "after": round(estimate.se, 4)},
            "score": {"before": None, "after": attempt.score},
            "passed": {"before": None, "after": attempt.passed},
            "stop_reason": {"before": None, "after": reason},
        },
    )


def attempt_simulate(
    *,
    exam: FieldExam,
    name: str,
    job: str,
    id_last4: str,
    answer: Callable[[Question], str],
    now: datetime,
    seconds_per_item: int = 30,
) -> ExamAttempt:
    """Replays a whole attempt through the same start/next/answer services as the phone pages
    (for the demo loader): `answer` gives the response to each question served."""
    attempt = attempt_start(exam=exam, name=name, job=job, id_last4=id_last4, now=now)
    clock = now
    while (row := attempt_next(exam=exam, key=attempt.key, now=clock)) is not None:
        clock += timedelta(seconds=seconds_per_item)
        attempt_answer(
            exam=exam,
            key=attempt.key,
            position=row.position,
            question=row.question_id,
            response=answer(row.question),
            now=clock,
        )
    attempt.refresh_from_db()
    return attempt
