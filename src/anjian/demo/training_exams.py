"""逢查必考 in the demo: during the inspection replay, some on-site visits to the enterprises
whose people `demo/training.py` registered open an exam; a few of their workers take it,
answering from their own ability (each enterprise weaker in two topics); the officer closes it.
Afterwards a calibration on those answers is attempted (too few yet: refused, saying why).

Each attempt is replayed in memory (`training.services.exam_replay.attempt_replay`): the same
attempt, answers and audit entries as the phone pages' services record, written at once."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from anjian.accounts.models import User
from anjian.demo.context import DemoContext
from anjian.inspections.models import InspectionTask
from anjian.training.models import Question
from anjian.training.services.calibration import calibration_run
from anjian.training.services.exam_replay import attempt_replay
from anjian.training.services.exams import ExamSettings, exam_close, exam_open

EXAM_SHARE = 0.5  # of on-site tasks at those enterprises in the last year
EXAM_WINDOW_DAYS = 365


def _answer_for(
    rng: random.Random, ability: float, weak: tuple[str, ...]
) -> Callable[[Question], str]:
    def answer(question: Question) -> str:
        theta = ability - (0.9 if question.topic in weak else 0.0)
        right = rng.random() < 1.0 / (1.0 + math.exp(-question.a * (theta - question.b)))
        if right:
            return question.answer
        if question.kind == "true_false":
            return "F" if question.answer == "T" else "T"
        if question.kind == "multiple":
            return question.answer[:-1] if len(question.answer) > 2 else "ABCD"
        return rng.choice([x for x in "ABCD" if x != question.answer])

    return answer


def exam_during_visit(ctx: DemoContext, task: InspectionTask, lead: User, day: date) -> None:
    """Open an exam on some on-site visits to the trained enterprises, let workers take it,
    close it. Called by the inspection replay between check-in and the record's end."""
    entry = ctx.trained.get(task.enterprise_id)  # a demo.training.Trained
    if entry is None or day < ctx.today - timedelta(days=EXAM_WINDOW_DAYS):
        return
    rng = ctx.rng(f"training/exam/{task.pk}")
    if rng.random() > EXAM_SHARE:
        return
    jobs = ["worker", "special_operator"] if rng.random() < 0.7 else ["worker"]
    mode = "fixed" if rng.random() < 0.2 else "adaptive"
    opened = timezone.make_aware(datetime.combine(day, time(10, rng.randint(0, 40))))
    exam = exam_open(
        actor=lead,
        task=task,
        options=ExamSettings(jobs=jobs, mode=mode, max_items=rng.choice([10, 12, 15])),
        now=opened,
    )
    candidates = [(p, plan) for p, plan in entry.persons if p.role in jobs]
    rng.shuffle(candidates)
    clock = opened + timedelta(minutes=3)
    for person, plan in candidates[: rng.randint(4, 7)]:
        attempt_replay(
            exam=exam,
            name=person.name,
            job=person.role,
            id_last4=person.id_last4,
            answer=_answer_for(rng, plan.ability, entry.plan.weak_topics),
            now=clock,
            seconds_per_item=rng.randint(20, 45),
        )
        clock += timedelta(minutes=rng.randint(1, 4))
    exam_close(actor=lead, exam=exam, now=clock + timedelta(minutes=10))


def calibrate_after_exams(ctx: DemoContext) -> None:
    """A calibration on the exams' real answers: too few yet, so it is refused and says why."""
    calibration_run(actor=None)
