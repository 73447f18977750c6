"""An abandoned on-site exam attempt (issue 20, item 6): the worker resumes it on another phone
after the same identity check; the task's officer ends it (中止, no score) or resets it (作废, the
worker starts again), with a reason, audited; a finished inspection takes no new attempts and no
longer shows its QR code or the exam form."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from anjian.audit.models import AuditEntry
from anjian.inspections.models import InspectionTask
from anjian.training.models import ExamAnswer, ExamAttempt, FieldExam
from anjian.training.services.exam_attempts import attempt_close, attempt_reset
from anjian.training.services.exam_entry import ENDED, TASK_FINISHED
from anjian.training.services.exams import exam_summaries
from tests.web.test_field_exams import (
    lead_of,
    open_exam,
    right_answer,
    snapshot,
    start,
    take_all,
)
from tests.web.test_field_exams import (
    task as task,
)

pytestmark = pytest.mark.django_db


def answer_one(phone: Client, exam: FieldExam) -> ExamAnswer:
    """Answers the first question served; returns its row."""
    row = phone.get(f"/training/x/{exam.token}/q/").context["row"]
    response = phone.post(
        f"/training/x/{exam.token}/q/",
        {
            "position": row.position,
            "question": row.question_id,
            "response": right_answer(row.question),
        },
    )
    assert response.status_code == 302
    return row


def test_a_worker_resumes_on_another_phone_with_the_answers_kept(task) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, max_items=5)
    old_phone = Client()
    start(old_phone, exam)
    first = answer_one(old_phone, exam)
    served = old_phone.get(f"/training/x/{exam.token}/q/").context["row"]  # shown, not answered
    attempt = ExamAttempt.objects.get()
    old_key, theta_after_one = attempt.key, ExamAnswer.objects.get(position=1).theta_after

    new_phone = Client()
    page = start(new_phone, exam, name=" 赵师傅 ", last4="123x")
    assert page.status_code == 302 and page["Location"].endswith("/q/")
    again = new_phone.get(f"/training/x/{exam.token}/q/")
    assert "已找到您的答卷" in again.content.decode()
    row = again.context["row"]
    assert (row.position, row.question_id) == (2, served.question_id)  # the pending one again
    attempt.refresh_from_db()
    assert attempt.key != old_key and attempt.resumes == 1
    assert ExamAttempt.objects.count() == 1
    # the old phone's key no longer works
    assert old_phone.get(f"/training/x/{exam.token}/q/").status_code == 403

    rest = take_all(new_phone, exam)
    attempt.refresh_from_db()
    assert attempt.finished_at is not None and attempt.score is not None
    positions = list(attempt.answers.order_by("position").values_list("position", "question_id"))
    assert positions[0] == (1, first.question_id)
    assert [q for _, q in positions[1:]] == rest
    assert len(positions) == 5  # the first answer counted towards the length
    assert ExamAnswer.objects.get(attempt=attempt, position=1).theta_after == theta_after_one
    assert AuditEntry.objects.filter(action="training.exam.attempt_resume").count() == 1
    # finished: a third phone is refused
    third = start(Client(), exam)
    assert third.status_code == 200 and "不能重复作答" in third.content.decode()


def test_resuming_with_another_job_is_refused_and_writes_nothing(task) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, jobs=["worker", "special_operator"])
    start(Client(), exam)
    before = snapshot()
    page = start(Client(), exam, job="special_operator")
    assert page.status_code == 200 and "请选择原岗位继续作答" in page.content.decode()
    assert snapshot() == before


def _end(client: Client, exam: FieldExam, attempt: ExamAttempt, action: str, reason: str) -> Any:
    return client.post(
        f"/training/exams/{exam.pk}/attempts/end/",
        {"attempt": attempt.pk, "reason": reason, "action": action},
        follow=True,
    )


def test_an_officer_closes_an_abandoned_attempt_without_a_score(task, client, world) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task)
    phone = Client()
    start(phone, exam)
    answer_one(phone, exam)
    attempt = ExamAttempt.objects.get()
    client.force_login(lead_of(task))
    page = client.get(f"/training/exams/{exam.pk}/")
    assert page.context["end_form"] is not None and page.context["running"] == 1

    before = snapshot()
    page = _end(client, exam, attempt, "close", "  ")
    assert "请填写理由" in page.content.decode()
    client.force_login(world.users["hazchem"])  # same section, not an officer of the task
    assert _end(client, exam, attempt, "close", "离岗").status_code == 403
    assert snapshot() == before

    client.force_login(lead_of(task))
    page = _end(client, exam, attempt, "close", "工作人员离岗未返回")
    assert "已中止" in page.content.decode()
    attempt.refresh_from_db()
    assert (attempt.ended, attempt.end_reason, attempt.ended_by) == (
        "abandoned",
        "工作人员离岗未返回",
        lead_of(task),
    )
    assert attempt.finished_at is None and attempt.score is None and attempt.passed is None
    entry = AuditEntry.objects.get(action="training.exam.attempt_close")
    assert entry.changes["reason"]["after"] == "工作人员离岗未返回"
    assert entry.changes["answered"]["after"] == 1
    summary = exam_summaries(FieldExam.objects.filter(pk=exam.pk), timezone.now())[0]
    assert (summary.persons, summary.finished, summary.passed) == (1, 0, 0)
    # the worker can no longer continue, on this phone or another
    assert ENDED in phone.get(f"/training/x/{exam.token}/q/").content.decode()
    assert ENDED in start(Client(), exam).content.decode()
    # a second close is refused with a message
    with pytest.raises(Exception, match="已中止"):
        attempt_close(actor=lead_of(task), attempt=attempt, reason="再次", now=timezone.now())


def test_an_officer_resets_an_attempt_so_the_worker_starts_again(task, client) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, max_items=5)
    phone = Client()
    start(phone, exam)
    answer_one(phone, exam)
    attempt = ExamAttempt.objects.get()
    client.force_login(lead_of(task))
    page = _end(client, exam, attempt, "reset", "手机没电，重新考")
    assert "可以重新开始考试" in page.content.decode()
    attempt.refresh_from_db()
    assert attempt.ended == "reset" and attempt.answers.count() == 1  # kept for the record
    assert AuditEntry.objects.filter(action="training.exam.attempt_reset").count() == 1

    again = Client()
    assert start(again, exam).status_code == 302
    fresh = ExamAttempt.objects.exclude(pk=attempt.pk).get()
    assert again.get(f"/training/x/{exam.token}/q/").context["row"].position == 1
    take_all(again, exam)
    fresh.refresh_from_db()
    assert fresh.finished_at is not None and fresh.answers.count() == 5
    summary = exam_summaries(FieldExam.objects.filter(pk=exam.pk), timezone.now())[0]
    assert (summary.persons, summary.finished) == (1, 1)
    exported = client.get(f"/training/exams/{exam.pk}/results.xlsx")
    assert exported.status_code == 200


def test_finished_attempts_and_closed_exams_are_not_reset(task) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, max_items=5)
    phone = Client()
    start(phone, exam)
    take_all(phone, exam)
    done = ExamAttempt.objects.get()
    with pytest.raises(Exception, match="已交卷"):
        attempt_reset(actor=lead_of(task), attempt=done, reason="重考", now=timezone.now())
    start(Client(), exam, name="钱师傅")
    running = ExamAttempt.objects.get(name="钱师傅")
    FieldExam.objects.filter(pk=exam.pk).update(status="closed", closed_at=timezone.now())
    with pytest.raises(Exception, match="请改为中止"):
        attempt_reset(actor=lead_of(task), attempt=running, reason="重考", now=timezone.now())
    attempt_close(actor=lead_of(task), attempt=running, reason="考试已结束", now=timezone.now())
    assert ExamAttempt.objects.get(pk=running.pk).ended == "abandoned"


def test_a_finished_inspection_takes_no_new_attempts_and_hides_the_exam(task, client) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task)
    phone = Client()
    start(phone, exam)
    answer_one(phone, exam)
    InspectionTask.objects.filter(pk=task.pk).update(finished_at=timezone.now())
    before = snapshot()
    refused = start(Client(), exam, name="钱师傅")
    assert refused.status_code == 200 and TASK_FINISHED in refused.content.decode()
    assert snapshot() == before
    assert start(Client(), exam).status_code == 302  # the started one may still be resumed
    client.force_login(lead_of(task))
    page = client.get(f"/training/exams/{exam.pk}/")
    body = page.content.decode()
    assert 'data-testid="exam-qr"' not in body and 'data-testid="exam-task-finished"' in body
    new = client.get(f"/training/tasks/{task.pk}/exams/new/")
    assert 'data-testid="exam-open-form"' not in new.content.decode()
    assert (
        'data-testid="exam-new"'
        not in client.get(f"/inspections/tasks/{task.pk}/").content.decode()
    )
