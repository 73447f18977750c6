"""Calibrating the question bank: from recorded on-site answers (refused, with what it needs, when
there are too few; the parameters of questions with enough answers updated otherwise), from
simulated answers before any real ones exist, the audit entries, and the page's access."""

from __future__ import annotations

import secrets

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from anjian.audit.models import AuditEntry
from anjian.domain.exam.simulate import simulate_answers
from anjian.training.models import (
    CalibrationRun,
    ExamAnswer,
    ExamAttempt,
    FieldExam,
    Question,
    QuestionStatus,
)
from anjian.training.services.calibration import (
    calibration_readiness,
    calibration_run,
    calibration_simulate,
)
from tests.web.inspection_helpers import approved_task, field_team

pytestmark = pytest.mark.django_db

ITEMS = 12


def _record_answers(world, persons: int) -> tuple[list[Question], np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """`persons` finished attempts on one exam, each answering all of ITEMS questions drawn
    from known parameters."""
    team = field_team(world)
    task = approved_task(world, team)
    now = timezone.now()
    exam = FieldExam.objects.create(
        task=task,
        enterprise=task.enterprise,
        jobs=["worker"],
        token=secrets.token_urlsafe(32),
        opened_by=team.lead,
        opened_at=now,
        closes_at=now,
    )
    questions = list(Question.objects.filter(status=QuestionStatus.ACTIVE).order_by("pk")[:ITEMS])
    true_a = np.linspace(0.6, 1.8, ITEMS)
    true_b = np.linspace(-1.5, 1.5, ITEMS)
    data = simulate_answers(true_a, true_b, persons=persons, per_person=ITEMS, seed=7)
    answers = []
    for n in range(persons):
        attempt = ExamAttempt.objects.create(
            exam=exam,
            name=f"考生{n}",
            job="worker",
            id_last4=f"{n:04d}"[-4:],
            key=secrets.token_urlsafe(16),
            started_at=now,
            finished_at=now,
        )
        for position, question in enumerate(questions, start=1):
            answers.append(
                ExamAnswer(
                    attempt=attempt,
                    position=position,
                    question=question,
                    served_at=now,
                    answered_at=now,
                    response="A",
                    correct=bool(data.responses[n, position - 1]),
                )
            )
    ExamAnswer.objects.bulk_create(answers)
    return questions, true_a, true_b


def test_too_few_answers_refuses_and_says_how_many_are_needed(world) -> None:  # type: ignore[no-untyped-def]
    questions, _, _ = _record_answers(world, persons=40)
    before = {q.pk: (q.a, q.b) for q in questions}
    readiness = calibration_readiness()
    assert readiness.questions_ready == ITEMS
    assert readiness.persons == 40
    assert readiness.persons_needed == 160
    run = calibration_run(actor=world.users["office"])
    assert run.refused
    assert "200" in run.message and "40" in run.message
    after = {q.pk: (q.a, q.b) for q in Question.objects.filter(pk__in=before)}
    assert after == before
    assert AuditEntry.objects.filter(action="training.calibration.refuse").count() == 1


def test_nothing_answered_refuses(world) -> None:  # type: ignore[no-untyped-def]
    run = calibration_run(actor=None)
    assert run.refused
    assert "30" in run.message
    assert not Question.objects.filter(calibrated_at__isnull=False).exists()


def test_enough_answers_calibrate_those_questions_only(world) -> None:  # type: ignore[no-untyped-def]
    questions, true_a, true_b = _record_answers(world, persons=400)
    run = calibration_run(actor=world.users["office"])
    assert not run.refused, run.message
    assert run.items == ITEMS and run.persons == 400 and run.answers == 400 * ITEMS
    calibrated = list(Question.objects.filter(calibrated_at__isnull=False).order_by("pk"))
    assert [q.pk for q in calibrated] == [q.pk for q in questions]
    b = np.array([q.b for q in calibrated])
    # difficulties come back in order and near the truth (400 answers each)
    assert np.corrcoef(b, true_b)[0, 1] > 0.95
    assert np.sqrt(np.mean((b - true_b) ** 2)) < 0.3
    a = np.array([q.a for q in calibrated])
    assert np.corrcoef(a, true_a)[0, 1] > 0.7
    assert len(run.changes) == ITEMS
    assert AuditEntry.objects.filter(action="training.calibration.run").count() == 1
    # simulated answers may no longer overwrite a calibration on real ones
    with pytest.raises(ValidationError):
        calibration_simulate(actor=None)


def test_simulated_calibration_of_the_whole_active_bank(world) -> None:  # type: ignore[no-untyped-def]
    active = Question.objects.filter(status=QuestionStatus.ACTIVE).count()
    run = calibration_simulate(actor=None, persons=1200, per_person=60, seed=3)
    assert not run.refused, run.message
    assert run.source == "simulated" and run.items == active
    assert "RMSE" in run.message
    assert Question.objects.filter(calibrated_at__isnull=True, status="active").count() == 0
    spread = np.std([q.b for q in Question.objects.filter(status="active")])
    assert spread > 0.5  # no longer the flat prior b = 0


def test_page_access(world, client, login) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/training/calibration/").status_code == 302  # login first
    login(world.users["discipline"])
    page = client.get("/training/calibration/")
    assert page.status_code == 200
    assert "用实际作答标定" not in page.content.decode()
    assert client.post("/training/calibration/run/", {"source": "answers"}).status_code == 403
    login(world.users["office"])
    response = client.post("/training/calibration/run/", {"source": "answers"})
    assert response.status_code == 302
    run = CalibrationRun.objects.get()
    assert run.refused
    detail = client.get(response["Location"]).content.decode()
    assert "未标定" in detail
