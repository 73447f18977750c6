"""逢查必考 in a real browser: the officer (desktop) opens an exam on a checked-in inspection and
reads its QR address; a worker's phone (390 px) opens it without an account, answers every
question and sees the result with the right answers; a second start is refused; the officer's
page then lists the attempt. A worker who stops after one question resumes on another phone; the
officer resets another's abandoned attempt with a reason (issue 20)."""

from __future__ import annotations

from django.utils.timezone import now
from playwright.sync_api import expect

from anjian.inspections.codes import entry_code
from anjian.inspections.services.visits import check_in
from anjian.training.models import ExamAnswer, ExamAttempt
from anjian.training.services.exams import ExamSettings, exam_open
from anjian.training.services.questions import load_starter
from tests.web.inspection_helpers import approved_task, field_team, today

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LENGTH = 8


def _fits(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _start(page, url: str, name: str, last4: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    expect(page.get_by_test_id("exam-start-form")).to_be_visible()
    page.get_by_label("姓名").fill(name)
    page.get_by_label("身份证号码后四位").fill(last4)
    with page.expect_navigation():
        page.get_by_test_id("exam-start").click()


def _answer_everything(page) -> int:  # type: ignore[no-untyped-def]
    """Answers every question right, as the server knows the answers; returns how many."""
    for n in range(1, 60):
        if "/result/" in page.url:
            return n - 1
        expect(page.get_by_test_id("question-position")).to_have_attribute("data-position", str(n))
        if n == 1:
            _fits(page)
        pending = ExamAnswer.objects.select_related("question").get(answered_at__isnull=True)
        for letter in pending.question.answer:
            page.get_by_test_id(f"choice-{letter}").check()
        with page.expect_navigation():
            page.get_by_test_id("answer-submit").click()
    raise AssertionError("the exam never ended")


def test_a_worker_takes_an_exam_on_a_phone_from_its_qr_code(
    live_world, browser, live_server, page_for
) -> None:  # type: ignore[no-untyped-def]
    load_starter()  # transactional tests flush the bank the data migration loaded
    team = field_team(live_world)
    task = check_in(
        actor=team.lead, code=entry_code(approved_task(live_world, team)), today=today()
    )
    desk = page_for(team.lead.username)
    desk.goto(f"{live_server.url}/inspections/{task.pk}/")
    desk.get_by_test_id("exam-new").click()
    desk.wait_for_url("**/exams/new/")
    desk.get_by_label("最多题数").fill(str(LENGTH))
    desk.get_by_test_id("exam-open").click()
    desk.wait_for_url("**/training/exams/*/")
    expect(desk.get_by_test_id("exam-qr").locator("svg")).to_have_count(1)
    url = desk.get_by_test_id("exam-url").inner_text()
    assert url.startswith(f"{live_server.url}/training/x/")

    phone_context = browser.new_context(locale="zh-CN", **PHONE)
    try:
        phone = phone_context.new_page()
        phone.set_default_timeout(15_000)
        _start(phone, url, "赵师傅", "123x")
        assert _answer_everything(phone) == LENGTH
        expect(phone.get_by_test_id("result-verdict")).to_have_text("合格")
        expect(phone.get_by_test_id("result-answer")).to_have_count(LENGTH)
        rights = sum(len(a.question.answer) for a in ExamAnswer.objects.select_related("question"))
        expect(phone.get_by_test_id("right-answer")).to_have_count(rights)
        _fits(phone)
        attempt = ExamAttempt.objects.get()
        assert attempt.id_last4 == "123X" and attempt.passed is True

        _start(phone, url, "赵师傅", "123X")  # the same worker again
        expect(phone.get_by_test_id("start-errors")).to_contain_text(
            "您已参加过本场考试，不能重复作答"
        )
        assert ExamAttempt.objects.count() == 1
    finally:
        phone_context.close()

    desk.reload()
    rows = desk.get_by_test_id("attempt-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("赵师傅")
    expect(rows.first.get_by_test_id("attempt-passed")).to_be_visible()


def _answer_one(page) -> None:  # type: ignore[no-untyped-def]
    expect(page.get_by_test_id("question-position")).to_have_attribute("data-position", "1")
    pending = ExamAnswer.objects.select_related("question").get(answered_at__isnull=True)
    for letter in pending.question.answer:
        page.get_by_test_id(f"choice-{letter}").check()
    with page.expect_navigation():
        page.get_by_test_id("answer-submit").click()


def test_a_worker_resumes_on_another_phone_and_the_officer_resets_an_abandoned_attempt(
    live_world, browser, live_server, page_for
) -> None:  # type: ignore[no-untyped-def]
    """Issue 20, item 6: one worker stops after one question and finishes on another phone after
    the same identity check; another abandons, and the officer resets the attempt with a reason
    (confirmed), so that worker starts again."""
    load_starter()
    team = field_team(live_world)
    task = check_in(
        actor=team.lead, code=entry_code(approved_task(live_world, team)), today=today()
    )
    exam = exam_open(
        actor=team.lead, task=task, options=ExamSettings(jobs=["worker"], max_items=5), now=now()
    )
    url = f"{live_server.url}/training/x/{exam.token}/"

    first = browser.new_context(locale="zh-CN", **PHONE)
    phone = first.new_page()
    phone.set_default_timeout(15_000)
    _start(phone, url, "赵师傅", "123X")
    _answer_one(phone)
    first.close()  # the phone is gone: the worker left after one question

    second = browser.new_context(locale="zh-CN", **PHONE)
    try:
        phone = second.new_page()
        phone.set_default_timeout(15_000)
        phone.goto(url)
        expect(phone.get_by_test_id("exam-resume-help")).to_be_visible()
        _start(phone, url, "赵师傅", "123x")
        expect(phone.get_by_test_id("question-position")).to_have_attribute("data-position", "2")
        expect(phone.locator("body")).to_contain_text("已找到您的答卷")
        for _ in range(2, 60):
            if "/result/" in phone.url:
                break
            pending = ExamAnswer.objects.select_related("question").get(answered_at__isnull=True)
            for letter in pending.question.answer:
                phone.get_by_test_id(f"choice-{letter}").check()
            with phone.expect_navigation():
                phone.get_by_test_id("answer-submit").click()
        expect(phone.get_by_test_id("result-answer")).to_have_count(5)
        attempt = ExamAttempt.objects.get(name="赵师傅")
        assert attempt.finished_at is not None and attempt.resumes == 1

        # another worker abandons after one question
        _start(phone, url, "钱师傅", "5678")
        _answer_one(phone)
    finally:
        second.close()

    desk = page_for(team.lead.username)
    desk.goto(f"{live_server.url}/training/exams/{exam.pk}/")
    rows = desk.get_by_test_id("attempt-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="赵师傅").get_by_test_id("attempt-resumed")).to_be_visible()
    expect(rows.filter(has_text="钱师傅").get_by_test_id("attempt-running")).to_be_visible()
    form = desk.get_by_test_id("attempt-end-form")
    form.get_by_label("答卷").select_option(label="钱师傅（5678）一般从业人员")
    form.get_by_label("理由").fill("离岗未归，重新考试")
    messages: list[str] = []

    def accept(dialog) -> None:  # type: ignore[no-untyped-def]
        messages.append(dialog.message)
        dialog.accept()

    desk.on("dialog", accept)
    with desk.expect_navigation():
        form.get_by_test_id("attempt-reset").click()
    assert messages and "重新扫码从第 1 题开始" in messages[0]
    expect(desk.locator("body")).to_contain_text("钱师傅：已作废")
    expect(rows.filter(has_text="钱师傅").get_by_test_id("attempt-ended")).to_have_text("已作废")
    abandoned = ExamAttempt.objects.get(name="钱师傅")
    assert (abandoned.ended, abandoned.end_reason) == ("reset", "离岗未归，重新考试")

    third = browser.new_context(locale="zh-CN", **PHONE)
    try:
        phone = third.new_page()
        phone.set_default_timeout(15_000)
        _start(phone, url, "钱师傅", "5678")
        expect(phone.get_by_test_id("question-position")).to_have_attribute("data-position", "1")
    finally:
        third.close()
    assert ExamAttempt.objects.filter(name="钱师傅").count() == 2
