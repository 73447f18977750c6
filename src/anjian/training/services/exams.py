"""On-site exams (逢查必考), the officer's side: opening an exam during an inspection, picking the
fixed form, closing it, and the reads the pages need (the attempts, the task's exams panel,
the worker's result with the right answers).

An exam is opened only by one of the task's officers while the inspection is under way (checked
in, not finished). Its questions come from `banks.exam_pool` for the enterprise's sector and the
exam's job types; an adaptive exam needs each job's pool, a fixed one the pool of all its jobs,
to hold at least as many questions as the exam's length.
The public token in the QR code is 32 random bytes; the exam stays open for
`ANJIAN_EXAM_OPEN_HOURS` unless closed earlier. The worker's side is `exam_flow.py`."""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.inspections.access import require_task_officer
from anjian.inspections.models import InspectionTask
from anjian.training.models import (
    ExamAttempt,
    ExamMode,
    ExamStatus,
    FieldExam,
    PersonRole,
    Question,
)
from anjian.training.services.banks import exam_pool

MIN_ITEMS, MAX_ITEMS, DEFAULT_ITEMS = 5, 50, 15
MIN_SE, MAX_SE = 0.25, 0.8
STOP_FORM_COMPLETE = "FORM_COMPLETE"
STOP_LABELS = {
    "MAX_ITEMS": "达到题数上限",
    "PRECISION_REACHED": "达到精度要求",
    "BANK_EXHAUSTED": "题库已用完",
    STOP_FORM_COMPLETE: "答完试卷",
}


@dataclass(frozen=True)
class ExamSettings:
    """What the officer asks for when opening an exam."""

    jobs: Sequence[str]
    mode: str = ExamMode.ADAPTIVE
    max_items: int = DEFAULT_ITEMS
    min_se: float | None = None
    pass_mark: float | None = None  # None: settings.ANJIAN_EXAM_PASS_MARK


def exam_is_open(exam: FieldExam, now: datetime) -> bool:
    """Open, and not past its closing time (closing after `closes_at` is implicit)."""
    return exam.status == ExamStatus.OPEN and now < exam.closes_at


def task_accepts_exams(task: InspectionTask) -> bool:
    """An exam is held during the inspection: checked in and not finished."""
    return (
        task.status == InspectionTask.Status.IN_PROGRESS
        and task.checked_in_at is not None
        and task.finished_at is None
    )


def _settings_errors(options: ExamSettings) -> dict[str, str]:
    errors: dict[str, str] = {}
    jobs = list(options.jobs)
    if not jobs:
        errors["jobs"] = "请至少选择一个考试岗位"
    elif set(jobs) - set(PersonRole.values) or len(set(jobs)) != len(jobs):
        errors["jobs"] = "考试岗位不正确"
    if options.mode not in ExamMode.values:
        errors["mode"] = "组卷方式不正确"
    if not MIN_ITEMS <= options.max_items <= MAX_ITEMS:
        errors["max_items"] = f"最多题数应在 {MIN_ITEMS} 到 {MAX_ITEMS} 之间"
    if options.min_se is not None and not MIN_SE <= options.min_se <= MAX_SE:
        errors["min_se"] = f"精度要求（标准误）应在 {MIN_SE} 到 {MAX_SE} 之间，或留空只按题数结束"
    mark = options.pass_mark
    if mark is not None and (not math.isfinite(mark) or not 0 < mark <= 100):
        errors["pass_mark"] = "合格分应在 0 到 100 之间"
    return errors


def _pool_errors(
    task: InspectionTask, options: ExamSettings
) -> tuple[dict[str, str], list[Question]]:
    """An adaptive exam draws each worker's questions from the pool of their job, so every job's
    pool must hold the exam's length; the fixed form is one form drawn from all jobs' pool."""
    sector = task.enterprise.sector
    adaptive = options.mode == ExamMode.ADAPTIVE
    labels = dict(PersonRole.choices)
    pools = [([job], str(labels[job])) for job in options.jobs] if adaptive else []
    pools.append((list(options.jobs), "所选岗位"))
    for jobs, label in pools:
        size = len(exam_pool(sector=sector, jobs=jobs, adaptive=adaptive))
        if size < options.max_items:
            message = (
                f"{label}的可用题目只有 {size} 道，少于最多题数 {options.max_items}，"
                "请减少题数或先补充题库"
            )
            return {"max_items": message}, []
    return {}, exam_pool(sector=sector, jobs=options.jobs, adaptive=adaptive)


def seed_of(text: str) -> int:
    """A 64-bit seed from a token or key (the same text always gives the same draws)."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def _topic_quotas(by_topic: dict[str, list[Question]], length: int) -> dict[str, int]:
    """Questions per topic in proportion to the topic's share of the pool (largest remainder),
    never more than the topic holds."""
    total = sum(len(items) for items in by_topic.values())
    length = min(length, total)
    exact = {t: length * len(items) / total for t, items in by_topic.items()}
    quotas = {t: int(v) for t, v in exact.items()}
    order = sorted(by_topic, key=lambda t: (-(exact[t] - quotas[t]), t))
    while sum(quotas.values()) < length:
        for topic in order:
            if sum(quotas.values()) < length and quotas[topic] < len(by_topic[topic]):
                quotas[topic] += 1
    return quotas


def fixed_form(pool: Sequence[Question], length: int, seed: int) -> list[int]:
    """A fixed form of `length` question pks: topics in proportion to the pool, and inside each
    topic one question drawn at random from each of `quota` bands of difficulty (b)."""
    rng = np.random.default_rng(seed)
    by_topic: dict[str, list[Question]] = {}
    for question in sorted(pool, key=lambda q: q.code):
        by_topic.setdefault(question.topic, []).append(question)
    chosen: list[int] = []
    for topic, quota in sorted(_topic_quotas(by_topic, length).items()):
        if quota == 0:
            continue
        ranked = sorted(by_topic[topic], key=lambda q: (q.b, q.code))
        for band in np.array_split(np.arange(len(ranked)), quota):
            chosen.append(ranked[int(band[rng.integers(band.size)])].pk)
    rng.shuffle(chosen)
    return [int(pk) for pk in chosen]


def exam_open(
    *, actor: User, task: InspectionTask, options: ExamSettings, now: datetime
) -> FieldExam:
    """Opens an exam on this inspection for the enterprise's workers of the given job types."""
    require_task_officer(actor, task)
    errors = _settings_errors(options)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        task = (
            InspectionTask.objects.select_for_update().select_related("enterprise").get(pk=task.pk)
        )
        if not task_accepts_exams(task):
            raise ValidationError({"__all__": "检查签到后、完成检查记录前才能开考"})
        errors, pool = _pool_errors(task, options)
        if errors:
            raise ValidationError(errors)
        token = secrets.token_urlsafe(32)
        fixed = (
            fixed_form(pool, options.max_items, seed_of(token))
            if options.mode == ExamMode.FIXED
            else []
        )
        pass_mark = (
            float(settings.ANJIAN_EXAM_PASS_MARK)
            if options.pass_mark is None
            else float(options.pass_mark)
        )
        exam = FieldExam.objects.create(
            task=task,
            enterprise=task.enterprise,
            jobs=list(options.jobs),
            mode=options.mode,
            max_items=options.max_items,
            min_se=options.min_se,
            pass_mark=pass_mark,
            fixed_questions=fixed,
            token=token,
            status=ExamStatus.OPEN,
            opened_by=actor,
            opened_at=now,
            closes_at=now + timedelta(hours=settings.ANJIAN_EXAM_OPEN_HOURS),
        )
        audit_record(
            actor=actor,
            action="training.exam.open",
            target=exam,
            changes={
                "task": {"before": None, "after": task.pk},
                "jobs": {"before": None, "after": exam.jobs},
                "mode": {"before": None, "after": exam.mode},
                "max_items": {"before": None, "after": exam.max_items},
                "min_se": {"before": None, "after": exam.min_se},
                "pass_mark": {"before": None, "after": exam.pass_mark},
                "fixed_questions": {"before": None, "after": fixed},
                "closes_at": {"before": None, "after": exam.closes_at.isoformat()},
            },
        )
    return exam


def exam_close(*, actor: User, exam: FieldExam, now: datetime) -> FieldExam:
    """Closes the exam now: no new attempt starts and no answer is taken afterwards."""
    require_task_officer(actor, exam.task)
    with transaction.atomic():
        exam = FieldExam.objects.select_for_update().get(pk=exam.pk)
        if exam.status == ExamStatus.CLOSED:
            raise ValidationError({"__all__": "本场考试已结束"})
        exam.status, exam.closed_at = ExamStatus.CLOSED, now
        exam.save(update_fields=["status", "closed_at"])
        audit_record(
            actor=actor,
            action="training.exam.close",
            target=exam,
            changes={
                "status": {"before": ExamStatus.OPEN, "after": ExamStatus.CLOSED},
                "closed_at": {"before": None, "after": now.isoformat()},
            },
        )
    return exam


# reads for the officer's pages


def exam_attempts(exam: FieldExam) -> QuerySet[ExamAttempt]:
    """The exam's attempts with the number of answered questions and the time of the last
    question served or answered, first started first."""
    return exam.attempts.select_related("person").annotate(
        items=Count("answers", filter=Q(answers__answered_at__isnull=False)),
        last_served=Max("answers__served_at"),
        last_answered=Max("answers__answered_at"),
    )


@dataclass(frozen=True)
class ExamSummary:
    exam: FieldExam
    persons: int
    finished: int
    passed: int
    is_open: bool

    @property
    def jobs(self) -> str:
        return job_labels(self.exam.jobs)

    @property
    def pass_rate(self) -> float | None:
        return None if not self.finished else 100.0 * self.passed / self.finished


def exam_summaries(exams: QuerySet[FieldExam], now: datetime) -> list[ExamSummary]:
    """Persons tested, finished and passed per exam (for the task's panel)."""
    counted = exams.annotate(
        n_persons=Count("attempts", filter=~Q(attempts__ended="reset"), distinct=True),
        n_finished=Count("attempts", filter=Q(attempts__finished_at__isnull=False), distinct=True),
        n_passed=Count("attempts", filter=Q(attempts__passed=True), distinct=True),
    ).order_by("opened_at", "pk")
    return [
        ExamSummary(e, e.n_persons, e.n_finished, e.n_passed, exam_is_open(e, now)) for e in counted
    ]


def job_labels(jobs: Sequence[str]) -> str:
    labels: dict[str, Any] = dict(PersonRole.choices)
    return "、".join(str(labels.get(job, job)) for job in jobs)


# the worker's result page

TRUE_FALSE_CHOICES = (("T", "对"), ("F", "错"))


@dataclass(frozen=True)
class ReviewedAnswer:
    position: int
    question: Question
    response: str
    correct: bool
    choices: list[tuple[str, str, bool, bool]]  # letter, text, is right, was chosen


def question_choices(question: Question) -> tuple[tuple[str, str], ...]:
    """(value, label) of each choice as the phone shows it (对/错 for true/false)."""
    if question.kind == "true_false":
        return TRUE_FALSE_CHOICES
    return question.as_domain().choices


def attempt_review(attempt: ExamAttempt) -> list[ReviewedAnswer]:
    """Every answered question with the worker's answer, the right one and (on the question)
    the explanation."""
    rows = attempt.answers.filter(answered_at__isnull=False).select_related("question")
    return [
        ReviewedAnswer(
            position=row.position,
            question=row.question,
            response=row.response,
            correct=bool(row.correct),
            choices=[
                (value, label, value in row.question.answer, value in row.response)
                for value, label in question_choices(row.question)
            ],
        )
        for row in rows.order_by("position")
    ]
