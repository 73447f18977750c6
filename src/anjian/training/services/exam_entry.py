"""The worker's way into an on-site exam: the identity check (name, job, last four ID digits),
then a new attempt, or the worker's unfinished attempt resumed on another phone with a new key
(the old phone's key stops working; the answers stay and the adaptive state is rebuilt from them
by `exam_flow`). A finished attempt, or one an officer ended (`exam_attempts.py`), is refused; one
an officer reset (作废) no longer counts, so the worker starts again. Once the inspection is
finished no new attempt starts (the officer's page stops showing the QR code); attempts already
begun may still be resumed and finished while the exam is open."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from anjian.audit.services import audit_record
from anjian.training.models import AttemptEnd, ExamAttempt, FieldExam, Person
from anjian.training.services.exams import exam_is_open

ID_LAST4 = re.compile(r"\d{3}[\dX]")
CLOSED = "本场考试已结束"
TWICE = "您已参加过本场考试，不能重复作答"
ENDED = "您的答卷已由执法人员中止，不能继续作答；如需重考请联系现场执法人员"
TASK_FINISHED = "本次检查已结束，不能再开始考试；已开始的答卷可以继续作答"
WRONG_JOB = "您的答卷是按另一岗位开始的，请选择原岗位继续作答"


def refuse(message: str, field: str = "__all__") -> ValidationError:
    return ValidationError({field: message})


def _start_errors(exam: FieldExam, name: str, job: str, last4: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "请填写姓名"
    elif len(name) > 40:
        errors["name"] = "姓名不能超过 40 个字"
    if job not in exam.jobs:
        errors["job"] = "请选择本场考试的岗位"
    if not last4:
        errors["id_last4"] = "请填写身份证号码后四位"
    elif not ID_LAST4.fullmatch(last4):
        errors["id_last4"] = "身份证号码后四位应为 3 位数字加 1 位数字或 X"
    return errors


def _person(exam: FieldExam, name: str, last4: str) -> Person | None:
    found = list(Person.objects.filter(enterprise=exam.enterprise, name=name, id_last4=last4)[:2])
    return found[0] if len(found) == 1 else None


def _existing(exam: FieldExam, name: str, last4: str) -> ExamAttempt | None:
    """The worker's attempt at this exam still counted (a reset one is not)."""
    return (
        ExamAttempt.objects.select_for_update()
        .filter(exam=exam, name=name, id_last4=last4)
        .exclude(ended=AttemptEnd.RESET)
        .first()
    )


def _resume(attempt: ExamAttempt, job: str) -> ExamAttempt:
    """The same attempt on a new phone: a new key (the old phone's stops working), the answers
    kept; refused once it is finished or ended by an officer, or for another job."""
    if attempt.finished_at is not None:
        raise refuse(TWICE)
    if attempt.ended:
        raise refuse(ENDED)
    if attempt.job != job:
        raise refuse(f"{WRONG_JOB}（{attempt.get_job_display()}）", "job")
    attempt.key, attempt.resumes = secrets.token_urlsafe(32), attempt.resumes + 1
    attempt.save(update_fields=["key", "resumes"])
    audit_record(
        actor=None,
        action="training.exam.attempt_resume",
        target=attempt,
        changes={"resumes": {"before": attempt.resumes - 1, "after": attempt.resumes}},
    )
    return attempt


def attempt_enter(
    *, exam: FieldExam, name: str, job: str, id_last4: str, now: datetime
) -> tuple[ExamAttempt, bool]:
    """The worker's attempt after the identity check (name, job, last four ID digits): a new
    one, or their unfinished one resumed with a fresh key (True) — e.g. on another phone."""
    name, last4 = " ".join(str(name).split()), str(id_last4).strip().upper()
    with transaction.atomic():
        exam = FieldExam.objects.select_for_update().get(pk=exam.pk)
        if not exam_is_open(exam, now):
            raise refuse(CLOSED)
        errors = _start_errors(exam, name, job, last4)
        if errors:
            raise ValidationError(errors)
        existing = _existing(exam, name, last4)
        if existing is not None:
            return _resume(existing, job), True
        if exam.task.finished_at is not None:
            raise refuse(TASK_FINISHED)
        person = _person(exam, name, last4)
        try:
            with transaction.atomic():
                attempt = ExamAttempt.objects.create(
                    exam=exam,
                    name=name,
                    job=job,
                    id_last4=last4,
                    person=person,
                    key=secrets.token_urlsafe(32),
                    started_at=now,
                )
        except IntegrityError as error:
            raise refuse(TWICE) from error
        audit_record(
            actor=None,
            action="training.exam.attempt_start",
            target=attempt,
            changes={
                "exam": {"before": None, "after": exam.pk},
                "name": {"before": None, "after": name},
                "job": {"before": None, "after": job},
                "id_last4": {"before": None, "after": last4},
                "person": {"before": None, "after": person.pk if person else None},
            },
        )
    return attempt, False


def attempt_start(
    *, exam: FieldExam, name: str, job: str, id_last4: str, now: datetime
) -> ExamAttempt:
    """The worker's attempt: a new one with a fresh random key for the phone, or their
    unfinished one resumed (`attempt_enter`)."""
    return attempt_enter(exam=exam, name=name, job=job, id_last4=id_last4, now=now)[0]
