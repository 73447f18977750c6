"""Calibrating the question bank: the IRT parameters (a, b) of each question estimated by
marginal maximum likelihood (MAP-EM, `domain.exam.calibration`) from the answers recorded in
on-site exams.

Only questions with at least `MIN_RESPONSES_PER_ITEM` answers are calibrated; the others keep
their parameters (the prior a = 1, b = 0 for a new question) until they have enough. A run is
refused — and kept with its reason, saying how many more answers it needs — when fewer than
`MIN_PERSONS` candidates answered those questions. Every run, refused or not, is a
`CalibrationRun` row with the parameters before and after, and one audit entry.

Before any real answers exist (a first rollout, the demo), `calibration_simulate` calibrates the
bank on simulated answers drawn from plausible parameters; the run says so, and the parameters
should be replaced by a calibration on real answers as soon as there are enough."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.exam.calibration import (
    MIN_PERSONS,
    MIN_RESPONSES_PER_ITEM,
    CalibrationRefused,
    calibrate,
)
from anjian.domain.exam.simulate import simulate_answers
from anjian.training.models import (
    CalibrationRun,
    ExamAnswer,
    Question,
    QuestionStatus,
)

# How simulated "true" parameters are drawn for the starter bank: discrimination lognormal,
# difficulty normal around SIMULATED_DIFFICULTY (safety questions are mostly easy for trained
# workers: an average worker of the calibration population expects about 75 of 100 on the pool,
# so the 80-point pass mark separates), shifted by kind (true/false easier, all-or-nothing
# multiple choice harder).
SIMULATED_DIFFICULTY = -1.2
SIMULATED_KIND_SHIFT = {"true_false": -0.8, "single": 0.0, "multiple": 0.6}
NOT_CONVERGED = "（{} 次迭代后仍未收敛，结果仅供参考）"


@dataclass(frozen=True)
class CalibrationReadiness:
    """What the recorded answers allow now."""

    answers: int
    persons: int
    questions_ready: int  # questions with enough answers
    questions_answered: int
    persons_needed: int  # more candidates needed before a run can succeed (0 = enough)


def calibration_readiness() -> CalibrationReadiness:
    answered = ExamAnswer.objects.filter(answered_at__isnull=False)
    per_question = answered.values("question_id").annotate(n=Count("id"))
    ready = [row["question_id"] for row in per_question if row["n"] >= MIN_RESPONSES_PER_ITEM]
    persons = (
        answered.filter(question_id__in=ready).values("attempt_id").distinct().count()
        if ready
        else 0
    )
    return CalibrationReadiness(
        answers=answered.count(),
        persons=persons,
        questions_ready=len(ready),
        questions_answered=len(per_question),
        persons_needed=max(0, MIN_PERSONS - persons),
    )


def _matrix(question_ids: list[int]) -> tuple[np.ndarray, int]:
    """Persons (attempts) × questions 0/1 with NaN for not asked, and the number of answers."""
    column = {pk: n for n, pk in enumerate(question_ids)}
    rows: dict[int, int] = {}
    cells: list[tuple[int, int, float]] = []
    answered = ExamAnswer.objects.filter(
        answered_at__isnull=False, question_id__in=question_ids
    ).values_list("attempt_id", "question_id", "correct")
    for attempt_id, question_id, correct in answered.iterator():
        row = rows.setdefault(attempt_id, len(rows))
        cells.append((row, column[question_id], 1.0 if correct else 0.0))
    matrix = np.full((len(rows), len(question_ids)), np.nan)
    for row, col, value in cells:
        matrix[row, col] = value
    return matrix, len(cells)


def _apply(
    *,
    actor: User | None,
    source: str,
    questions: list[Question],
    responses: np.ndarray,
    answers: int,
    note: str,
    truth: tuple[np.ndarray, np.ndarray] | None = None,
) -> CalibrationRun:
    """Calibrate these questions on this matrix and store the run (and the parameters unless
    refused), all in one transaction."""
    persons = int((~np.isnan(responses)).any(axis=1).sum()) if responses.size else 0
    started = time.perf_counter()
    with transaction.atomic():
        try:
            result = calibrate(responses)
        except CalibrationRefused as refusal:
            run = CalibrationRun.objects.create(
                source=source,
                ran_by=actor,
                persons=persons,
                answers=answers,
                refused=True,
                message=refusal.message,
                seconds=time.perf_counter() - started,
            )
            audit_record(
                actor=actor,
                action="training.calibration.refuse",
                target=run,
                changes={"message": {"before": None, "after": refusal.message}},
            )
            return run
        if truth is not None:
            rmse_a = float(np.sqrt(np.mean((result.a - truth[0]) ** 2)))
            rmse_b = float(np.sqrt(np.mean((result.b - truth[1]) ** 2)))
            note += f"与模拟所用真值相比：RMSE(a) = {rmse_a:.3f}，RMSE(b) = {rmse_b:.3f}。"
        now = timezone.now()
        locked = {
            q.pk: q
            for q in Question.objects.select_for_update().filter(pk__in=[q.pk for q in questions])
        }
        changes = []
        for n, question in enumerate(questions):
            row = locked[question.pk]
            new_a, new_b = round(float(result.a[n]), 4), round(float(result.b[n]), 4)
            changes.append(
                {"code": row.code, "version": row.version, "a": [row.a, new_a], "b": [row.b, new_b]}
            )
            row.a, row.b, row.calibrated_at = new_a, new_b, now
        Question.objects.bulk_update(list(locked.values()), ["a", "b", "calibrated_at"])
        run = CalibrationRun.objects.create(
            source=source,
            ran_by=actor,
            persons=persons,
            answers=answers,
            items=len(questions),
            message=note if result.converged else note + NOT_CONVERGED.format(result.iterations),
            iterations=result.iterations,
            seconds=time.perf_counter() - started,
            changes=changes,
        )
        audit_record(
            actor=actor,
            action="training.calibration.run",
            target=run,
            changes={
                "items": {"before": None, "after": len(questions)},
                "persons": {"before": None, "after": persons},
                "source": {"before": None, "after": source},
            },
        )
    return run


def calibration_run(*, actor: User | None) -> CalibrationRun:
    """Calibrate every question that has enough recorded answers (refused runs are kept)."""
    per_question = (
        ExamAnswer.objects.filter(answered_at__isnull=False)
        .values("question_id")
        .annotate(n=Count("id"))
    )
    ready = sorted(r["question_id"] for r in per_question if r["n"] >= MIN_RESPONSES_PER_ITEM)
    questions = list(Question.objects.filter(pk__in=ready).order_by("pk"))
    if not questions:
        readiness = calibration_readiness()
        message = (
            f"没有一道题的作答达到 {MIN_RESPONSES_PER_ITEM} 人次，无法标定；"
            f"现有作答 {readiness.answers} 条，涉及 {readiness.questions_answered} 道题。"
        )
        return _refused(actor=actor, message=message, answers=readiness.answers)
    responses, answers = _matrix([q.pk for q in questions])
    return _apply(
        actor=actor,
        source="answers",
        questions=questions,
        responses=responses,
        answers=answers,
        note=f"依据现场考试实际作答标定 {len(questions)} 道题。",
    )


def _refused(*, actor: User | None, message: str, answers: int) -> CalibrationRun:
    with transaction.atomic():
        run = CalibrationRun.objects.create(
            source="answers",
            ran_by=actor,
            persons=0,
            answers=answers,
            refused=True,
            message=message,
        )
        audit_record(
            actor=actor,
            action="training.calibration.refuse",
            target=run,
            changes={"message": {"before": None, "after": message}},
        )
    return run


def calibration_simulate(
    *, actor: User | None, persons: int = 3000, per_person: int = 60, seed: int = 2025
) -> CalibrationRun:
    """Calibrate every active question on simulated answers (first rollout, demo). Refused
    once the bank has been calibrated on real answers: simulated parameters never replace them."""
    if CalibrationRun.objects.filter(source="answers", refused=False).exists():
        raise ValidationError(
            {"source": "题库已用实际作答标定过，不能再用模拟作答覆盖；请用实际作答重新标定。"}
        )
    questions = list(Question.objects.filter(status=QuestionStatus.ACTIVE).order_by("pk"))
    rng = np.random.default_rng(seed)
    true_a = np.clip(rng.lognormal(0.0, 0.3, len(questions)), 0.4, 2.5)
    shift = np.array([SIMULATED_KIND_SHIFT.get(q.kind, 0.0) for q in questions])
    true_b = rng.normal(SIMULATED_DIFFICULTY, 0.8, len(questions)) + shift
    simulated = simulate_answers(
        true_a, true_b, persons=persons, per_person=min(per_person, len(questions)), seed=seed
    )
    answers = int((~np.isnan(simulated.responses)).sum())
    return _apply(
        actor=actor,
        source="simulated",
        questions=questions,
        responses=simulated.responses,
        answers=answers,
        note=(
            f"以 {persons} 名模拟考生、每人 {per_person} 题的模拟作答标定 {len(questions)} 道题"
            f"（随机种子 {seed}）；有足够的实际作答后应重新标定。"
        ),
        truth=(simulated.true_a, simulated.true_b),
    )
