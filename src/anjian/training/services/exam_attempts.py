"""An officer ending a worker's abandoned attempt at an on-site exam, with a reason, audited.

- **中止 (close)**: the attempt ends without a score. It is not scored on the questions answered:
  an adaptive estimate after a few answers is mostly the prior (its standard error is large), so
  a pass or fail from it would not rest on what the worker knows, and unanswered questions are
  not wrong answers; a result on the inspection record must rest on evidence. The answers stay
  for the record; the attempt counts neither as sat nor as passed or failed anywhere.
- **作废 (reset)**: the attempt is discarded so the worker can start again from the first
  question (only while the exam is open). The row and its served questions are kept for the
  record and for the exposure count, but it no longer counts as the worker's attempt (the
  once-per-worker constraint excludes it).

Only the task's officers may do either, only on an unfinished attempt not already ended."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.inspections.access import require_task_officer
from anjian.training.models import AttemptEnd, ExamAttempt, FieldExam
from anjian.training.services.exams import exam_is_open

REASON_MAX = 500


def unfinished_attempts(exam: FieldExam) -> QuerySet[ExamAttempt]:
    """The exam's attempts an officer may still end: not finished, not ended."""
    return exam.attempts.filter(finished_at__isnull=True, ended="").order_by("started_at", "pk")


def _reason(reason: str) -> str:
    text = " ".join(str(reason).split())
    if not text:
        raise ValidationError({"reason": "请填写理由"})
    if len(text) > REASON_MAX:
        raise ValidationError({"reason": f"理由不能超过 {REASON_MAX} 个字"})
    return text


def _end(*, actor: User, attempt: ExamAttempt, kind: str, reason: str, now: datetime) -> None:
    text = _reason(reason)
    with transaction.atomic():
        locked = (
            ExamAttempt.objects.select_for_update()
            .select_related("exam", "exam__task")
            .get(pk=attempt.pk)
        )
        require_task_officer(actor, locked.exam.task)
        if locked.finished_at is not None:
            raise ValidationError({"__all__": "该答卷已交卷，不能中止或作废"})
        if locked.ended:
            raise ValidationError({"__all__": f"该答卷已{locked.get_ended_display()}"})
        if kind == AttemptEnd.RESET and not exam_is_open(locked.exam, now):
            raise ValidationError({"__all__": "考试已结束，作废后也不能重考；请改为中止"})
        answered = locked.answers.filter(answered_at__isnull=False).count()
        locked.ended, locked.ended_at, locked.ended_by, locked.end_reason = kind, now, actor, text
        locked.save(update_fields=["ended", "ended_at", "ended_by", "end_reason"])
        audit_record(
            actor=actor,
            action=f"training.exam.attempt_{'reset' if kind == AttemptEnd.RESET else 'close'}",
            target=locked,
            changes={
                "ended": {"before": "", "after": kind},
                "reason": {"before": None, "after": text},
                "answered": {"before": None, "after": answered},
            },
        )
    attempt.refresh_from_db()


def attempt_close(*, actor: User, attempt: ExamAttempt, reason: str, now: datetime) -> ExamAttempt:
    """Ends an abandoned attempt without a score (中止); the worker cannot continue it."""
    _end(actor=actor, attempt=attempt, kind=AttemptEnd.ABANDONED, reason=reason, now=now)
    return attempt


def attempt_reset(*, actor: User, attempt: ExamAttempt, reason: str, now: datetime) -> ExamAttempt:
    """Discards an abandoned attempt (作废) so the worker can start the exam again."""
    _end(actor=actor, attempt=attempt, kind=AttemptEnd.RESET, reason=reason, now=now)
    return attempt
