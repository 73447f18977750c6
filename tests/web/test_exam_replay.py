"""`attempt_replay` (the demo's exams, in memory) records exactly what the phone's services record
through `attempt_simulate`: the same questions in the same order under the exposure cap, the
same answers, estimates, score and audit entries; and it refuses what they refuse, writing
nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from unittest.mock import patch

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.audit.models import AuditEntry
from anjian.audit.services import audit_verify
from anjian.inspections.codes import entry_code
from anjian.inspections.models import InspectionTask
from anjian.inspections.services.visits import check_in
from anjian.training.models import ExamAnswer, ExamAttempt, FieldExam, Person, Question
from anjian.training.services.banks import exam_pool
from anjian.training.services.exam_flow import attempt_simulate
from anjian.training.services.exam_replay import attempt_replay
from anjian.training.services.exams import ExamSettings, exam_open
from anjian.training.services.questions import load_starter
from tests.conftest import World
from tests.web.inspection_helpers import approved_task, field_team, today

pytestmark = pytest.mark.django_db

SECTOR = "hazardous_chemicals"  # the world's chemical works, where the task is
KEY = "replay-key-0123456789abcdefghijklmnopqrstuv"  # 43 characters, like token_urlsafe(32)
Run = Callable[..., ExamAttempt]
ANSWER_FIELDS = (
    "position",
    "question_id",
    "served_at",
    "answered_at",
    "response",
    "correct",
    "theta_after",
    "se_after",
)
ATTEMPT_FIELDS = (
    "name",
    "job",
    "id_last4",
    "person_id",
    "key",
    "started_at",
    "finished_at",
    "theta",
    "se",
    "score",
    "passed",
    "stop_reason",
)


@pytest.fixture
def task(world: World) -> InspectionTask:
    load_starter()  # a transactional test elsewhere may have flushed the migration's bank
    team = field_team(world)
    return check_in(actor=team.lead, code=entry_code(approved_task(world, team)), today=today())


def open_exam(task: InspectionTask, **options: Any) -> FieldExam:
    options.setdefault("jobs", ["worker"])
    officer = task.officers.order_by("pk").first()
    assert officer is not None
    return exam_open(
        actor=officer.user, task=task, options=ExamSettings(**options), now=timezone.now()
    )


def mixed(question: Question) -> str:
    """Right on two questions in three (by pk), wrong otherwise, in the question's own form."""
    if question.pk % 3:
        return question.answer
    if question.kind == "true_false":
        return "F" if question.answer == "T" else "T"
    return "A" if question.answer != "A" else "B"


def take(run: Run, exam: FieldExam, now: datetime, n: int, **kw: Any) -> ExamAttempt:
    kw.setdefault("answer", mixed)
    kw.setdefault("job", "worker")
    return run(exam=exam, name=f"工人{n}", id_last4=f"{n:04d}", now=now, **kw)


def recorded(run: Run, exam: FieldExam, now: datetime, n: int, **kw: Any) -> dict[str, Any]:
    """What one attempt writes (its row, its answers, its audit entries), then rolled back."""
    last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    with transaction.atomic():
        with patch("anjian.training.services.exam_entry.secrets.token_urlsafe", return_value=KEY):
            attempt = take(run, exam, now, n, **kw)
        found = {
            "attempt": ExamAttempt.objects.filter(pk=attempt.pk).values(*ATTEMPT_FIELDS).get(),
            "answers": list(
                ExamAnswer.objects.filter(attempt=attempt)
                .order_by("position")
                .values_list(*ANSWER_FIELDS)
            ),
            "audit": list(
                AuditEntry.objects.filter(pk__gt=last_entry)
                .order_by("pk")
                .values_list("action", "target_type", "changes")
            ),
            "chain": audit_verify().ok,
        }
        transaction.set_rollback(True)
    return found


def assert_same(exam: FieldExam, now: datetime, n: int, **kw: Any) -> dict[str, Any]:
    through_services = recorded(attempt_simulate, exam, now, n, **kw)
    replayed = recorded(attempt_replay, exam, now, n, **kw)
    assert replayed == through_services
    assert replayed["chain"] and len(replayed["answers"]) > 0
    assert [a for a, _, _ in replayed["audit"]] == [
        "training.exam.attempt_start",
        "training.exam.attempt_finish",
    ]
    return replayed


@pytest.fixture
def crowded(task: InspectionTask) -> tuple[FieldExam, datetime, set[int]]:
    """An adaptive exam of 10 questions that three workers took in the last 30 minutes, and a
    fourth 70 minutes from now (rows the window must leave out). An attempt now may only be
    served questions none of the three was served (⌊0.2 × 4⌋ + 1 = 1)."""
    exam = open_exam(task, max_items=10)
    now = timezone.now()
    for n, minutes in enumerate((0, 10, 20, 100)):
        attempt_simulate(
            exam=exam,
            name=f"先考{n}",
            job="worker",
            id_last4=f"9{n:03d}",
            answer=mixed,
            now=now + timedelta(minutes=minutes),
        )
    earlier = ExamAnswer.objects.filter(served_at__lt=now + timedelta(minutes=30))
    return exam, now + timedelta(minutes=30), set(earlier.values_list("question_id", flat=True))


def test_an_adaptive_attempt_under_the_exposure_cap_is_the_same(crowded) -> None:  # type: ignore[no-untyped-def]
    exam, now, shown = crowded
    assert len(shown) == 30
    same = assert_same(exam, now, 1, seconds_per_item=37)
    served = [question for _, question, *_ in same["answers"]]
    assert len(served) == 10 and not set(served) & shown
    assert same["attempt"]["stop_reason"] == "MAX_ITEMS"


def test_an_attempt_that_reaches_its_precision_is_the_same(task) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, max_items=30, min_se=0.6)
    same = assert_same(exam, timezone.now(), 2, answer=lambda q: q.answer)
    assert same["attempt"]["stop_reason"] == "PRECISION_REACHED"
    assert len(same["answers"]) < 30


def test_a_fixed_form_from_two_jobs_is_the_same(task) -> None:  # type: ignore[no-untyped-def]
    """A form drawn for workers and special operators holds questions outside a special
    operator's own pool: they join the bank as they are served, and the score is taken on that
    bank, as the phone's services do."""
    token = "fixed-form-token-0123456789abcdefghijklmnop"
    with patch("anjian.training.services.exams.secrets.token_urlsafe", return_value=token):
        exam = open_exam(task, mode="fixed", max_items=12, jobs=["worker", "special_operator"])
    same = assert_same(exam, timezone.now(), 3, job="special_operator")
    assert [q for _, q, *_ in same["answers"]] == exam.fixed_questions
    own_pool = {q.pk for q in exam_pool(sector=SECTOR, jobs=["special_operator"], adaptive=False)}
    assert (
        set(exam.fixed_questions) - own_pool
    )  # served from outside the special operator's own pool
    assert same["attempt"]["stop_reason"] == "FORM_COMPLETE"


def test_the_attempt_is_matched_to_the_registered_person(task) -> None:  # type: ignore[no-untyped-def]
    person = Person.objects.create(
        enterprise=task.enterprise,
        name="工人4",
        id_number="110105194912310044",
        id_last4="0004",
        role="worker",
    )
    same = assert_same(open_exam(task), timezone.now(), 4)
    assert same["attempt"]["person_id"] == person.pk


def test_refusals_write_nothing(task) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, max_items=10)
    now = timezone.now()
    take(attempt_replay, exam, now, 5)
    before = (ExamAttempt.objects.count(), ExamAnswer.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError, match="不能重复作答"):
        take(attempt_replay, exam, now, 5)
    with pytest.raises(ValidationError, match="身份证号码后四位"):
        attempt_replay(exam=exam, name="赵", job="worker", id_last4="12", answer=mixed, now=now)
    with pytest.raises(ValidationError, match="答案不符合本题题型"):
        take(attempt_replay, exam, now, 6, answer=lambda q: "Z")
    # the exam closes while the attempt is running: refused, and the attempt is not kept
    FieldExam.objects.filter(pk=exam.pk).update(closes_at=now + timedelta(minutes=2))
    with pytest.raises(ValidationError, match="本场考试已结束"):
        take(attempt_replay, exam, now, 7, seconds_per_item=30)
    after = (ExamAttempt.objects.count(), ExamAnswer.objects.count(), AuditEntry.objects.count())
    assert after == before
    assert audit_verify().ok
