"""On-site exams (逢查必考): an officer on a checked-in inspection opens an adaptive or fixed
exam; workers start it from the public pages without an account, answer one question per page
and see their result with the right answers at once; every refusal writes nothing."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.signing import get_cookie_signer
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from anjian.accounts.roles import Role
from anjian.accounts.services import user_create
from anjian.audit.models import AuditEntry
from anjian.inspections.codes import entry_code
from anjian.inspections.models import InspectionTask
from anjian.inspections.services.visits import check_in
from anjian.registry.services import officer_create
from anjian.training.models import (
    ExamAnswer,
    ExamAttempt,
    FieldExam,
    Person,
    Question,
    QuestionStatus,
)
from anjian.training.services.banks import exam_pool
from anjian.training.services.exam_flow import attempt_simulate, exposure_limit
from anjian.training.services.exams import ExamSettings, exam_open, fixed_form, seed_of
from anjian.training.services.questions import load_starter
from anjian.training.views.exam_public import COOKIE, COOKIE_SALT
from tests.conftest import PASSWORD, World
from tests.web.inspection_helpers import approved_task, field_team, today

pytestmark = pytest.mark.django_db

SECTOR = "hazardous_chemicals"


@pytest.fixture
def task(world: World) -> InspectionTask:
    """An on-site inspection of the chemical works, checked in by its lead officer."""
    load_starter()  # a transactional test elsewhere may have flushed the migration's bank
    team = field_team(world)
    return check_in(actor=team.lead, code=entry_code(approved_task(world, team)), today=today())


def lead_of(task: InspectionTask) -> Any:
    officer = task.officers.order_by("pk").first()
    assert officer is not None
    return officer.user


def open_exam(task: InspectionTask, **options: Any) -> FieldExam:
    options.setdefault("jobs", ["worker"])
    return exam_open(
        actor=lead_of(task), task=task, options=ExamSettings(**options), now=timezone.now()
    )


def form_data(**data: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "jobs": ["worker"],
        "mode": "adaptive",
        "max_items": "15",
        "min_se": "",
        "pass_mark": "80",
    }
    base.update(data)
    return base


def snapshot() -> tuple[Any, ...]:
    return (
        list(FieldExam.objects.values()),
        list(ExamAttempt.objects.values()),
        list(ExamAnswer.objects.values()),
        AuditEntry.objects.count(),
    )


def start(
    client: Client, exam: FieldExam, name: str = "赵师傅", last4: str = "123X", job: str = "worker"
) -> Any:
    return client.post(f"/training/x/{exam.token}/", {"name": name, "id_last4": last4, "job": job})


def right_answer(question: Question) -> str:
    return question.answer


def wrong_answer(question: Question) -> str:
    if question.kind == "true_false":
        return "F" if question.answer == "T" else "T"
    return "A" if question.answer != "A" else "B"


def take_all(client: Client, exam: FieldExam, pick: Any = right_answer) -> list[int]:
    """Answers every question served to the phone; returns the question pks in order."""
    served: list[int] = []
    for _ in range(60):
        page = client.get(f"/training/x/{exam.token}/q/")
        if page.status_code == 302:
            assert page["Location"].endswith("/result/")
            return served
        assert page.status_code == 200, page.content.decode()
        row = page.context["row"]
        served.append(row.question_id)
        response = client.post(
            f"/training/x/{exam.token}/q/",
            {
                "position": row.position,
                "question": row.question_id,
                "response": list(pick(row.question)),
            },
        )
        assert response.status_code == 302, response.content.decode()
    raise AssertionError("the exam never ended")


# opening


def test_an_officer_opens_an_adaptive_exam_and_sees_its_qr_code(task, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(lead_of(task))
    page = client.get(f"/training/tasks/{task.pk}/exams/new/")
    assert page.status_code == 200
    assert "开考并生成二维码" in page.content.decode()
    response = client.post(f"/training/tasks/{task.pk}/exams/new/", form_data())
    exam = FieldExam.objects.get()
    assert response["Location"] == f"/training/exams/{exam.pk}/"
    assert (exam.mode, exam.jobs, exam.max_items, exam.min_se, exam.pass_mark) == (
        "adaptive",
        ["worker"],
        15,
        None,
        80.0,
    )
    assert exam.enterprise_id == task.enterprise_id and exam.fixed_questions == []
    assert len(exam.token) == 43
    assert exam.closes_at - exam.opened_at == timedelta(hours=4)
    entry = AuditEntry.objects.get(action="training.exam.open")
    assert entry.changes["jobs"]["after"] == ["worker"]
    html = client.get(f"/training/exams/{exam.pk}/").content.decode()
    assert "<svg" in html
    assert f"http://testserver/training/x/{exam.token}/" in html
    assert "结束考试" in html


def test_an_officer_opens_a_fixed_exam_with_a_balanced_form(task, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(lead_of(task))
    data = form_data(mode="fixed", max_items="12", jobs=["worker", "special_operator"])
    client.post(f"/training/tasks/{task.pk}/exams/new/", data)
    exam = FieldExam.objects.get()
    pool = exam_pool(sector=SECTOR, jobs=["worker", "special_operator"], adaptive=False)
    assert exam.mode == "fixed" and len(exam.fixed_questions) == 12
    assert len(set(exam.fixed_questions)) == 12
    assert set(exam.fixed_questions) <= {q.pk for q in pool}
    assert exam.fixed_questions == fixed_form(pool, 12, seed_of(exam.token))
    topics = Question.objects.filter(pk__in=exam.fixed_questions).values_list("topic", flat=True)
    assert len(set(topics)) >= 8  # spread over the pool's topics, not drawn from one


def test_only_an_officer_of_the_task_opens_an_exam(task, world, client) -> None:  # type: ignore[no-untyped-def]
    before = snapshot()
    client.force_login(world.users["hazchem"])  # same section, not on the task
    assert client.get(f"/training/tasks/{task.pk}/exams/new/").status_code == 403
    assert client.post(f"/training/tasks/{task.pk}/exams/new/", form_data()).status_code == 403
    client.force_login(world.users["office"])  # no exam.open capability
    assert client.post(f"/training/tasks/{task.pk}/exams/new/", form_data()).status_code == 403
    assert snapshot() == before


def test_only_an_officer_of_the_task_closes_an_exam(task, world, client) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task)
    before = snapshot()
    client.force_login(world.users["hazchem"])
    assert client.post(f"/training/exams/{exam.pk}/close/").status_code == 403
    assert client.get(f"/training/exams/{exam.pk}/close/").status_code == 405
    html = client.get(f"/training/exams/{exam.pk}/").content.decode()
    assert "结束考试" not in html and "<svg" not in html  # no QR code for bystanders
    assert snapshot() == before


def test_another_countys_officer_gets_404(task, world, client) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task)
    stranger = user_create(
        actor=None,
        username="other_officer",
        password=PASSWORD,
        role=Role.BUSINESS_SECTION,
        display_name="外县执法",
        body=world.other_county,
        section=world.sections["other_hazchem"],
    )
    officer = officer_create(
        actor=None,
        data={
            "name": "外县执法",
            "body": world.other_county,
            "certificate_no": "C-999",
            "certificate_valid_until": today() + timedelta(days=900),
        },
    )
    officer.user = stranger
    officer.save(update_fields=["user"])
    before = snapshot()
    for user in (stranger, world.users["other_office"]):
        client.force_login(user)
        assert client.get(f"/training/exams/{exam.pk}/").status_code == 404
        assert client.get(f"/training/exams/{exam.pk}/results.xlsx").status_code == 404
    client.force_login(stranger)
    assert client.post(f"/training/tasks/{task.pk}/exams/new/", form_data()).status_code == 404
    assert client.post(f"/training/exams/{exam.pk}/close/").status_code == 404
    assert snapshot() == before


def test_an_exam_needs_a_checked_in_inspection(world, client) -> None:  # type: ignore[no-untyped-def]
    load_starter()
    team = field_team(world)
    task = approved_task(world, team)  # approved, not checked in
    client.force_login(team.lead)
    before = snapshot()
    page = client.post(f"/training/tasks/{task.pk}/exams/new/", form_data())
    assert page.status_code == 200
    assert "检查签到后、完成检查记录前才能开考" in page.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"jobs": []}, "请至少选择一个考试岗位"),
        ({"max_items": "4"}, "最多题数应在 5 到 50 之间"),
        ({"max_items": "51"}, "最多题数应在 5 到 50 之间"),
        ({"min_se": "0.1"}, "精度要求（标准误）应在 0.25 到 0.8 之间"),
        ({"pass_mark": "120"}, "合格分应在 0 到 100 之间"),
        ({"max_items": "十"}, "最多题数应为整数"),
        ({"mode": "random"}, "请选择组卷方式"),
    ],
)
def test_bad_exam_settings_are_refused_with_a_message(task, client, data, message) -> None:  # type: ignore[no-untyped-def]
    client.force_login(lead_of(task))
    before = snapshot()
    page = client.post(f"/training/tasks/{task.pk}/exams/new/", form_data(**data))
    assert page.status_code == 200
    assert message in page.content.decode()
    assert snapshot() == before


def test_a_pool_smaller_than_the_length_is_refused(task, client) -> None:  # type: ignore[no-untyped-def]
    pool = exam_pool(sector=SECTOR, jobs=["worker"], adaptive=True)
    keep = [q.pk for q in pool[:45]]
    Question.objects.filter(status=QuestionStatus.ACTIVE).exclude(pk__in=keep).update(
        status=QuestionStatus.RETIRED
    )
    client.force_login(lead_of(task))
    before = snapshot()
    page = client.post(f"/training/tasks/{task.pk}/exams/new/", form_data(max_items="50"))
    assert "一般从业人员的可用题目只有 45 道，少于最多题数 50" in page.content.decode()
    assert snapshot() == before
    client.post(f"/training/tasks/{task.pk}/exams/new/", form_data(max_items="45"))
    assert FieldExam.objects.count() == 1


# the worker's pages


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "id_last4": "123X", "job": "worker"}, "name", "请填写姓名"),
        ({"name": "赵", "id_last4": "", "job": "worker"}, "id_last4", "请填写身份证号码后四位"),
        (
            {"name": "赵", "id_last4": "12A4", "job": "worker"},
            "id_last4",
            "3 位数字加 1 位数字或 X",
        ),
        (
            {"name": "赵", "id_last4": "12345", "job": "worker"},
            "id_last4",
            "3 位数字加 1 位数字或 X",
        ),
        ({"name": "赵", "id_last4": "1234", "job": ""}, "job", "请选择您的岗位"),
        ({"name": "赵", "id_last4": "1234", "job": "principal"}, "job", "请选择本场考试的岗位"),
    ],
)
def test_the_start_form_explains_what_is_missing(task, data, field, message) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task)
    before = snapshot()
    client = Client()
    assert client.get(f"/training/x/{exam.token}/").status_code == 200
    page = client.post(f"/training/x/{exam.token}/", data)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert page.context["form"].errors[field]
    assert COOKIE not in page.cookies
    assert snapshot() == before


def test_an_unknown_code_answers_404_with_a_message(task) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.raise_request_exception = False
    unknown = "A" * 43
    paths = [f"/training/x/{unknown}/", f"/training/x/{unknown}/q/", "/training/x/nope/result/"]
    for path in [*paths, "/training/x/%00/", "/training/x/%E4%B8%AD%00/q/"]:
        page = client.get(path)
        assert page.status_code == 404
        assert "考试码无效" in page.content.decode()


def test_a_full_adaptive_run_stops_at_the_length_and_shows_the_answers(task) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, max_items=8)
    client = Client()
    response = start(client, exam)
    assert response["Location"] == f"/training/x/{exam.token}/q/"
    assert client.cookies[COOKIE]["path"] == f"/training/x/{exam.token}/"
    served = take_all(client, exam)
    attempt = ExamAttempt.objects.get()
    assert len(served) == 8 and len(set(served)) == 8
    assert (attempt.name, attempt.id_last4, attempt.job) == ("赵师傅", "123X", "worker")
    assert attempt.finished_at is not None and attempt.stop_reason == "MAX_ITEMS"
    assert attempt.passed is True and attempt.score is not None and attempt.score >= 80
    rows = list(attempt.answers.order_by("position"))
    assert [r.position for r in rows] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert all(r.correct and r.se_after is not None for r in rows)
    assert rows[-1].theta_after == pytest.approx(attempt.theta)
    assert rows[-1].se_after > rows[-1].theta_after * 0  # a standard error was kept
    assert all(r.question.kind != "true_false" for r in rows)  # the adaptive pool
    page = client.get(f"/training/x/{exam.token}/result/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="right-answer"') == sum(len(r.question.answer) for r in rows)
    assert rows[0].question.explanation in html
    assert "合格" in html and f"{attempt.score:.1f}" in html
    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("pk"))
    assert actions[-2:] == ["training.exam.attempt_start", "training.exam.attempt_finish"]


def test_an_adaptive_run_stops_when_precise_enough(task) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, max_items=20, min_se=0.8)
    client = Client()
    start(client, exam)
    served = take_all(client, exam, wrong_answer)
    attempt = ExamAttempt.objects.get()
    assert attempt.stop_reason == "PRECISION_REACHED"
    assert len(served) < 20 and attempt.se <= 0.8
    assert attempt.passed is False and attempt.score < 80
    html = client.get(f"/training/x/{exam.token}/result/").content.decode()
    assert "不合格" in html and "您的选择" in html


def test_a_fixed_run_follows_the_form(task) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, mode="fixed", max_items=8)
    client = Client()
    start(client, exam)
    served = take_all(client, exam)
    attempt = ExamAttempt.objects.get()
    assert served == exam.fixed_questions
    assert attempt.stop_reason == "FORM_COMPLETE" and attempt.passed is True  # 8 of 8 right


def test_a_reload_shows_the_same_question(task) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task)
    client = Client()
    start(client, exam)
    first = client.get(f"/training/x/{exam.token}/q/").context["row"]
    again = client.get(f"/training/x/{exam.token}/q/").context["row"]
    assert (
        (first.position, first.question_id)
        == (again.position, again.question_id)
        == (
            1,
            first.question_id,
        )
    )
    assert ExamAnswer.objects.count() == 1


def test_a_worker_cannot_start_twice(task) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, max_items=5)
    phone = Client()
    start(phone, exam, last4="123X")
    take_all(phone, exam)  # an unfinished one is resumed instead (tests/web/test_exam_resume.py)
    before = snapshot()
    for name, last4 in (("赵师傅", "123x"), (" 赵师傅 ", "123X")):
        page = start(Client(), exam, name=name, last4=last4)
        assert page.status_code == 200
        assert "您已参加过本场考试，不能重复作答" in page.content.decode()
    assert snapshot() == before
    assert start(Client(), exam, name="钱师傅", last4="123X").status_code == 302


def test_an_attempt_is_matched_to_the_registered_person(task) -> None:  # type: ignore[no-untyped-def]
    person = Person.objects.create(
        enterprise=task.enterprise,
        name="孙操作",
        id_number="11010519491231002X",
        id_last4="002X",
        role="worker",
    )
    exam = open_exam(task)
    start(Client(), exam, name="孙操作", last4="002x")
    start(Client(), exam, name="孙操作", last4="0021")
    assert list(ExamAttempt.objects.values_list("id_last4", "person_id").order_by("pk")) == [
        ("002X", person.pk),
        ("0021", None),
    ]


def test_a_closed_exam_refuses_new_and_running_attempts(task, client) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task)
    phone = Client()
    start(phone, exam)
    row = phone.get(f"/training/x/{exam.token}/q/").context["row"]
    client.force_login(lead_of(task))
    assert client.post(f"/training/exams/{exam.pk}/close/").status_code == 302
    exam.refresh_from_db()
    assert exam.status == "closed" and exam.closed_at is not None
    assert AuditEntry.objects.filter(action="training.exam.close").count() == 1
    before = snapshot()
    for response in (
        Client().get(f"/training/x/{exam.token}/"),
        start(Client(), exam, name="周", last4="5678"),
        phone.get(f"/training/x/{exam.token}/q/"),
        phone.post(
            f"/training/x/{exam.token}/q/",
            {"position": 1, "question": row.question_id, "response": row.question.answer},
        ),
    ):
        assert response.status_code == 410
        assert "本场考试已结束" in response.content.decode()
    assert "未完成" in phone.get(f"/training/x/{exam.token}/result/").content.decode()
    assert client.post(f"/training/exams/{exam.pk}/close/").status_code == 302  # said, not 500
    assert snapshot() == before


def test_an_exam_closes_by_itself_after_its_hours(task) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task)
    FieldExam.objects.filter(pk=exam.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    page = Client().get(f"/training/x/{exam.token}/")
    assert page.status_code == 410 and "本场考试已结束" in page.content.decode()


def _signed(key: str) -> str:
    return get_cookie_signer(salt=COOKIE + COOKIE_SALT).sign(key)


def _invalid_for(question: Question) -> list[str]:
    if question.kind == "single":
        return ["AB", "E", "T"]
    return ["AE", "T", "AAB"]


def test_every_tampered_answer_is_refused_and_writes_nothing(task) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, max_items=5)
    phone = Client()
    start(phone, exam)
    url = f"/training/x/{exam.token}/q/"
    first = phone.get(url).context["row"]
    phone.post(
        url, {"position": 1, "question": first.question_id, "response": first.question.answer}
    )
    row = phone.get(url).context["row"]
    assert row.position == 2
    good = {"position": 2, "question": row.question_id, "response": row.question.answer}
    other = Question.objects.exclude(pk__in=[row.question_id, first.question_id]).first()
    stranger = Client()
    forged = Client()
    forged.cookies[COOKIE] = _signed("not-a-key")
    unsigned = Client()
    unsigned.cookies[COOKIE] = phone.cookies[COOKIE].value.split(":")[0]
    cases: list[tuple[Client, dict[str, Any], int, str]] = [
        (stranger, good, 403, "未找到您的答卷"),
        (forged, good, 403, "未找到您的答卷"),
        (unsigned, good, 403, "未找到您的答卷"),
        (phone, {**good, "position": 3}, 400, "提交的题目与系统所出的题目不一致"),
        (phone, {**good, "position": "abc"}, 400, "提交的题目与系统所出的题目不一致"),
        (phone, {**good, "question": other.pk}, 400, "提交的题目与系统所出的题目不一致"),
        (phone, {**good, "question": ""}, 400, "提交的题目与系统所出的题目不一致"),
        (phone, {**good, "position": 1, "question": first.question_id}, 400, "第 1 题已作答"),
        (phone, {**good, "response": ""}, 400, "请先选择答案"),
    ]
    cases += [
        (phone, {**good, "response": bad}, 400, "答案不符合本题题型")
        for bad in _invalid_for(row.question)
    ]
    before = snapshot()
    for client, data, status, message in cases:
        response = client.post(url, data)
        assert response.status_code == status, (data, response.status_code)
        assert message in response.content.decode(), data
        assert snapshot() == before, data
    assert phone.post(url, good).status_code == 302  # the honest answer still goes through


def test_a_finished_attempt_takes_no_more_answers(task) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, max_items=5)
    phone = Client()
    start(phone, exam)
    served = take_all(phone, exam)
    before = snapshot()
    response = phone.post(
        f"/training/x/{exam.token}/q/", {"position": 6, "question": served[0], "response": "A"}
    )
    assert response.status_code == 400 and "您已交卷，不能再作答" in response.content.decode()
    assert snapshot() == before
    assert phone.get(f"/training/x/{exam.token}/q/")["Location"].endswith("/result/")


# the officer's pages and the task page


def test_the_exam_page_lists_attempts_and_exports_them(task, client) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, max_items=8)
    phone = Client()
    start(phone, exam, name="吴工")
    take_all(phone, exam)
    start(Client(), exam, name="郑工", last4="9876")
    client.force_login(lead_of(task))
    partial = client.get(f"/training/exams/{exam.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "吴工" in partial and "郑工" in partial and "作答中" in partial and "合格" in partial
    response = client.get(f"/training/exams/{exam.pk}/results.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["考试信息", "成绩", "作答明细"]
    rows = list(book["成绩"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[7], r[12]) for r in rows] == [("吴工", 8, "合格"), ("郑工", 0, None)]
    assert book["作答明细"].max_row == 9


def test_the_task_page_shows_the_exams_panel(task, client, world) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, max_items=8)
    phone = Client()
    start(phone, exam)
    take_all(phone, exam)
    client.force_login(lead_of(task))
    html = client.get(f"/inspections/{task.pk}/").content.decode()
    assert "现场考试（逢查必考）" in html
    assert f'href="/training/exams/{exam.pk}/"' in html
    assert "参考 1 人，交卷 1 人，合格 1 人" in html and "合格率 100%" in html
    assert f'href="/training/tasks/{task.pk}/exams/new/"' in html
    assert f'href="/training/tasks/{task.pk}/certificates/"' in html  # 查验人员证书
    client.force_login(world.users["hazchem"])  # sees the task and its exams, cannot open one
    html = client.get(f"/inspections/{task.pk}/").content.decode()
    assert f'href="/training/exams/{exam.pk}/"' in html
    assert "/exams/new/" not in html
    assert client.get(f"/training/exams/{exam.pk}/").status_code == 200


def test_the_exposure_cap_spreads_questions_over_attempts(task) -> None:  # type: ignore[no-untyped-def]
    exam = open_exam(task, max_items=10)
    now = timezone.now()
    for n in range(4):
        attempt_simulate(
            exam=exam,
            name=f"工人{n}",
            job="worker",
            id_last4=f"{n:04d}",
            answer=right_answer,
            now=now + timedelta(minutes=10 * n),
        )
    assert exposure_limit(now + timedelta(minutes=35)) == 1  # ⌊0.2 × 4⌋ + 1
    served = list(ExamAnswer.objects.values_list("question_id", flat=True))
    assert len(served) == 40 and len(set(served)) == 40  # no question shown twice
    for n in range(4, 7):
        attempt_simulate(
            exam=exam,
            name=f"工人{n}",
            job="worker",
            id_last4=f"{n:04d}",
            answer=wrong_answer,
            now=now + timedelta(minutes=10 * n),
        )
    counts: dict[int, int] = {}
    for pk in ExamAnswer.objects.values_list("question_id", flat=True):
        counts[pk] = counts.get(pk, 0) + 1
    assert max(counts.values()) <= 2  # ⌊0.2 × 7⌋ + 1
    assert ExamAttempt.objects.filter(finished_at__isnull=False).count() == 7
