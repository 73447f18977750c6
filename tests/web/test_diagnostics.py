"""Diagnostics pages: who sees which enterprise, and whether the numbers find what was planted —
a group simulated weak in one topic gets that topic first to train, the pass mark moves the pass
rate, an institution counts only its own trainees, and too little data says 数据不足.

Exams, attempts and answers are written straight to the database (the exam-taking services are
not needed): each simulated worker answers a random selection of a small calibrated bank with
the 2PL probability at a known ability, lowered in the weak topic."""

from __future__ import annotations

import math
import random
import secrets
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.domain.exam.irt import eap
from anjian.inspections.models import InspectionTask
from anjian.registry.models import Enterprise
from anjian.training.models import (
    Certificate,
    ExamAnswer,
    ExamAttempt,
    FieldExam,
    Person,
    Question,
    QuestionStatus,
    TrainingInstitution,
    TrainingRecord,
)
from anjian.training.services.banks import bank_of, equivalent_score, exam_pool
from anjian.training.services.diagnostics import Period, enterprise_diagnostics
from tests.conftest import World

TOPICS = ("law", "hazard", "confined_space", "emergency", "ppe")
WEAK = "confined_space"


def make_bank() -> list[Question]:
    """Five topics of twelve four-option questions for every sector and job (the starter bank
    is retired so that the pools are exactly these)."""
    Question.objects.update(status=QuestionStatus.RETIRED)
    questions = []
    for topic in TOPICS:
        for n in range(12):
            questions.append(
                Question.objects.create(
                    code=f"DX-{topic}-{n:02d}",
                    version=1,
                    sector="general",
                    job="all",
                    topic=topic,
                    kind="single",
                    stem=f"{topic} 第{n}题",
                    options=["甲", "乙", "丙", "丁"],
                    answer="A",
                    explanation="测试",
                    origin="manual",
                    a=1.6,
                    b=-2.0 + n * 0.3,
                )
            )
    return questions


def make_task(world: World, enterprise: Enterprise, day: date) -> InspectionTask:
    return InspectionTask.objects.create(
        body=enterprise.supervising_body,
        section=world.sections["hazchem"],
        enterprise=enterprise,
        date=day,
        activity="enforcement_inspection",
        mode="on_site",
        source="complaint",
        status="done",
        requested_by=world.users["hazchem"],
    )


def open_exam(world: World, key: str = "chem", days_ago: int = 0) -> FieldExam:
    enterprise = world.enterprises[key]
    opened = timezone.now() - timedelta(days=days_ago)
    return FieldExam.objects.create(
        task=make_task(world, enterprise, timezone.localtime(opened).date()),
        enterprise=enterprise,
        jobs=["worker", "special_operator"],
        token=secrets.token_urlsafe(32),
        opened_by=world.users["hazchem"],
        opened_at=opened,
        closes_at=opened + timedelta(hours=4),
        status="closed",
    )


def sit(
    exam: FieldExam,
    name: str,
    answers: list[tuple[Question, bool]],
    *,
    job: str = "worker",
    person: Person | None = None,
) -> ExamAttempt:
    at: datetime = exam.opened_at + timedelta(minutes=5)
    # scored as the finish service scores: EAP of the answers, equivalent score on the pool
    estimate = eap([q.a for q, _ in answers], [q.b for q, _ in answers], [ok for _, ok in answers])
    pool = exam_pool(sector=exam.enterprise.sector, jobs=[job], adaptive=True)
    score = round(equivalent_score(estimate.theta, bank_of(pool)), 1) if pool else None
    attempt = ExamAttempt.objects.create(
        exam=exam,
        name=name,
        job=job,
        id_last4=f"{len(name):04d}",
        person=person,
        key=secrets.token_urlsafe(32),
        started_at=at,
        finished_at=at + timedelta(minutes=10),
        theta=estimate.theta,
        se=estimate.se,
        score=score,
        passed=None if score is None else score >= exam.pass_mark,
    )
    ExamAnswer.objects.bulk_create(
        ExamAnswer(
            attempt=attempt,
            position=n,
            question=q,
            served_at=at,
            answered_at=at,
            response="A" if ok else "B",
            correct=ok,
        )
        for n, (q, ok) in enumerate(answers, start=1)
    )
    return attempt


def simulate(
    exam: FieldExam,
    bank: list[Question],
    workers: int,
    *,
    ability: float = 1.5,
    weak_by: float = 3.0,
    seed: int = 7,
    job: str = "worker",
    prefix: str = "工人",
    persons: list[Person] | None = None,
) -> list[ExamAttempt]:
    """`workers` sittings of 20 items each at `ability`, `weak_by` lower in the weak topic."""
    rng = random.Random(seed)
    attempts = []
    for w in range(workers):
        answers = []
        for q in rng.sample(bank, 20):
            theta = ability - (weak_by if q.topic == WEAK else 0.0)
            p = 1 / (1 + math.exp(-q.a * (theta - q.b)))
            answers.append((q, rng.random() < p))
        person = persons[w] if persons else None
        attempts.append(sit(exam, f"{prefix}{w:02d}", answers, job=job, person=person))
    return attempts


def url(name: str, *args: object, **query: object) -> str:
    path = reverse(f"training:{name}", args=args)
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


# -- scope --------------------------------------------------------------------------------------


def test_an_enterprise_sees_only_itself(world, login) -> None:  # type: ignore[no-untyped-def]
    bank = make_bank()
    simulate(open_exam(world, "chem"), bank, 4)
    client = login(world.users["enterprise"])
    mine = client.get(url("diagnostics_mine"))
    assert mine.status_code == 302
    assert mine["Location"] == url("diagnostics_enterprise", world.enterprises["chem"].pk)
    page = client.get(mine["Location"])
    assert page.status_code == 200 and world.enterprises["chem"].name in page.content.decode()
    for key in ("coal", "other_chem", "city_chem"):
        assert (
            client.get(url("diagnostics_enterprise", world.enterprises[key].pk)).status_code == 404
        )
    bureau = client.get(url("diagnostics_bureau"))
    assert bureau.status_code == 302 and bureau["Location"].startswith(url("diagnostics_mine"))


def test_bureau_staff_see_their_county_and_a_section_its_sectors(world, login) -> None:  # type: ignore[no-untyped-def]
    bank = make_bank()
    simulate(open_exam(world, "chem"), bank, 4, prefix="化工")
    simulate(open_exam(world, "coal"), bank, 4, prefix="煤矿")
    simulate(open_exam(world, "other_chem"), bank, 4, prefix="外县")
    office = login(world.users["office"])
    assert (
        office.get(url("diagnostics_enterprise", world.enterprises["coal"].pk)).status_code == 200
    )
    assert (
        office.get(url("diagnostics_enterprise", world.enterprises["other_chem"].pk)).status_code
        == 404
    )
    page = office.get(url("diagnostics_bureau")).content.decode()
    assert world.enterprises["chem"].name in page and world.enterprises["coal"].name in page
    assert world.enterprises["other_chem"].name not in page
    assert page.count('data-testid="enterprise-row"') == 2
    section = login(world.users["hazchem"])
    assert (
        section.get(url("diagnostics_enterprise", world.enterprises["coal"].pk)).status_code == 404
    )
    page = section.get(url("diagnostics_bureau")).content.decode()
    assert page.count('data-testid="enterprise-row"') == 1
    assert world.enterprises["coal"].name not in page


def test_other_roles_are_refused(world, login) -> None:  # type: ignore[no-untyped-def]
    chem = world.enterprises["chem"].pk
    for username in ("training_institution", "system_admin", "audit_admin"):
        client = login(world.users[username])
        assert client.get(url("diagnostics_bureau")).status_code == 403, username
        assert client.get(url("diagnostics_enterprise", chem)).status_code == 403, username


# -- numbers ------------------------------------------------------------------------------------


def test_a_group_weak_in_one_topic_gets_it_first_to_train(world, login) -> None:  # type: ignore[no-untyped-def]
    bank = make_bank()
    simulate(open_exam(world, "chem", days_ago=40), bank, 10, seed=1)
    simulate(open_exam(world, "chem"), bank, 10, seed=2)
    simulate(open_exam(world, "chem"), bank, 6, seed=3, job="special_operator", prefix="焊工")
    report = enterprise_diagnostics(
        user=world.users["office"], enterprise=world.enterprises["chem"], period=Period()
    )
    overall = report.overall
    assert overall.persons == 26 and overall.answers == 26 * 20 and overall.enough
    assert overall.to_train[0].topic == WEAK
    assert [t.topic for t in overall.to_train] == [WEAK]  # the others are well above 80%
    weak = overall.topics[0]
    assert weak.topic == WEAK and weak.percent < 50 and weak.low < weak.percent < weak.high
    assert any("合格线" in reason for reason in weak.reasons)
    assert [j.key for j in report.jobs] == ["special_operator", "worker"]
    assert all(j.to_train[0].topic == WEAK for j in report.jobs)
    assert [p.group.persons for p in report.trend] == [10, 10, 6]
    page = login(world.users["enterprise"]).get(
        url("diagnostics_enterprise", world.enterprises["chem"].pk)
    )
    html = page.content.decode()
    first = html.index('data-testid="to-train-item"')
    assert f'data-topic="{WEAK}"' in html[first : first + 80]
    assert 'data-testid="trend-chart"' in html and 'data-testid="topic-chart"' in html


def test_the_pass_mark_changes_the_pass_rate(world, login) -> None:  # type: ignore[no-untyped-def]
    bank = make_bank()
    simulate(open_exam(world, "chem"), bank, 12, ability=0.8, weak_by=0.0, seed=4)
    office = world.users["office"]
    chem = world.enterprises["chem"]
    rates = {
        mark: enterprise_diagnostics(
            user=office, enterprise=chem, period=Period(pass_mark=mark)
        ).overall.pass_rate
        for mark in (50.0, 80.0, 95.0)
    }
    assert rates[50.0] == 1.0 and rates[95.0] == 0.0
    assert rates[50.0] >= rates[80.0] >= rates[95.0]
    client = login(office)
    low = client.get(url("diagnostics_enterprise", chem.pk, pass_mark=50)).content.decode()
    high = client.get(url("diagnostics_enterprise", chem.pk, pass_mark=95)).content.decode()
    assert 'data-testid="summary-pass-rate">100%' in low
    assert 'data-testid="summary-pass-rate">0%' in high
    assert "合格分 95 分" in high


@pytest.mark.parametrize("mark", ["49", "101", "abc", "nan", "1e999"])
def test_a_bad_pass_mark_is_reported_and_the_default_used(world, login, mark) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    chem = world.enterprises["chem"].pk
    for name, args in (("diagnostics_enterprise", (chem,)), ("diagnostics_bureau", ())):
        page = client.get(url(name, *args, pass_mark=mark))
        assert page.status_code == 200
        assert "合格分 80 分" in page.content.decode()
        assert 'data-field="pass_mark"' in page.content.decode()


def test_bad_dates_never_answer_500(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    for query in (
        "start=2025-13-45&end=x",
        "start=2026-05-01&end=2026-01-01",
        "start=%00&pass_mark=%00",
        "pass_mark=" + "9" * 500,
    ):
        for path in (
            url("diagnostics_bureau"),
            url("diagnostics_enterprise", world.enterprises["chem"].pk),
        ):
            response = client.get(f"{path}?{query}")
            assert response.status_code == 200, (path, query)


def test_the_period_leaves_out_older_exams(world) -> None:  # type: ignore[no-untyped-def]
    bank = make_bank()
    simulate(open_exam(world, "chem", days_ago=400), bank, 5, seed=5)
    simulate(open_exam(world, "chem"), bank, 3, seed=6)
    office, chem = world.users["office"], world.enterprises["chem"]
    everything = enterprise_diagnostics(user=office, enterprise=chem, period=Period())
    recent = enterprise_diagnostics(
        user=office,
        enterprise=chem,
        period=Period(start=timezone.localdate() - timedelta(days=30)),
    )
    assert everything.overall.persons == 8 and len(everything.trend) == 2
    assert recent.overall.persons == 3 and len(recent.trend) == 1


def test_the_bureau_page_by_sector_and_town(world, login) -> None:  # type: ignore[no-untyped-def]
    bank = make_bank()
    simulate(open_exam(world, "chem"), bank, 6, ability=-0.5, seed=8)
    simulate(open_exam(world, "coal"), bank, 6, ability=2.0, weak_by=0.0, seed=9)
    client = login(world.users["bureau_head"])
    html = client.get(url("diagnostics_bureau")).content.decode()
    rows = html[html.index('data-testid="enterprise-rows"') :]
    assert rows.index(world.enterprises["chem"].name) < rows.index(world.enterprises["coal"].name)
    assert 'data-key="hazardous_chemicals"' in html and 'data-key="coal_mine"' in html
    assert 'data-testid="town-rows"' in html and "凤城镇" in html
    assert 'data-testid="sector-chart"' in html
    # the figures are the database's counts over every sitting, equal to a count by hand
    report = client.get(url("diagnostics_bureau")).context["report"]
    attempts = ExamAttempt.objects.all()
    assert (report.overall.persons, report.overall.enterprises) == (12, 2)
    assert report.overall.answers == ExamAnswer.objects.count() == 12 * 20
    assert report.overall.passed == sum(a.score >= 80 for a in attempts)
    assert abs(report.overall.mean_score - sum(a.score for a in attempts) / 12) < 1e-6
    by_sector = {g.key: g.persons for g in report.sectors}
    assert by_sector == {"hazardous_chemicals": 6, "coal_mine": 6}
    assert sum(t.answers for t in report.overall.topics) == 12 * 20


# -- institutions -------------------------------------------------------------------------------


def _institution(world: World, name: str, serial: int) -> TrainingInstitution:
    return TrainingInstitution.objects.create(
        name=name,
        uscc=f"52141121MJY{serial:06d}X"[:18],
        body=world.county,
        scope="特种作业",
        registered_on=date(2020, 1, 1),
    )


def _person(world: World, name: str, n: int) -> Person:
    return Person.objects.create(
        enterprise=world.enterprises["chem"],
        name=name,
        id_number=f"1401021990010{n:04d}"[:18],
        id_last4=f"{n:04d}",
        role="special_operator",
    )


def test_an_institution_counts_only_its_own_trainees(world, login) -> None:  # type: ignore[no-untyped-def]
    bank = make_bank()
    ours = _institution(world, "文水县安全培训中心", 1)
    theirs = _institution(world, "吕梁市某培训学校", 2)
    trained = [_person(world, f"学员{n}", n) for n in range(4)]
    elsewhere = [_person(world, f"他校{n}", 10 + n) for n in range(3)]
    before = timezone.localdate() - timedelta(days=30)
    for person in trained:
        TrainingRecord.objects.create(
            person=person,
            kind="initial",
            delivery="offline",
            course="电工作业初训班",
            hours=72,
            started_on=before - timedelta(days=10),
            ended_on=before,
            institution=ours,
        )
    for person in elsewhere:
        TrainingRecord.objects.create(
            person=person,
            kind="initial",
            delivery="offline",
            course="焊工班",
            hours=72,
            started_on=before - timedelta(days=10),
            ended_on=before,
            institution=theirs,
        )
    Certificate.objects.create(
        person=trained[0],
        kind="special_operation",
        number="T140000001",
        issuer="山西省应急管理厅",
        issued_on=before,
        valid_until=before + timedelta(days=365 * 6),
    )
    late = _person(world, "后来才培训的", 20)  # examined before its training: not a trainee
    TrainingRecord.objects.create(
        person=late,
        kind="initial",
        delivery="offline",
        course="电工作业初训班",
        hours=72,
        started_on=timezone.localdate(),
        ended_on=timezone.localdate() + timedelta(days=5),
        institution=ours,
    )
    exam = open_exam(world, "chem")
    simulate(exam, bank, 1, seed=15, job="special_operator", persons=[late], prefix="丁")
    simulate(
        exam,
        bank,
        4,
        ability=-1.5,
        weak_by=0.0,
        seed=10,
        job="special_operator",
        persons=trained,
        prefix="甲",
    )
    simulate(
        exam,
        bank,
        3,
        ability=2.0,
        weak_by=0.0,
        seed=11,
        job="special_operator",
        persons=elsewhere,
        prefix="乙",
    )
    simulate(exam, bank, 5, ability=2.0, weak_by=0.0, seed=12, prefix="丙")
    client = login(world.users["hr_finance"])
    html = client.get(url("diagnostics_institution", ours.pk)).content.decode()
    persons = html[html.index('data-key="trainees"') :]
    assert 'data-testid="comparison-persons">4 / 4' in persons
    others = html[html.index('data-key="others"') :]
    assert 'data-testid="comparison-persons">9 / 9' in others
    assert "由本机构培训的人员 5 人，其中培训结束后参加逢查必考的 4 人" in html
    failed = html[html.index('data-testid="failed-rows"') :]
    assert failed.count('data-testid="failed-row"') == 1  # only the certified one is listed
    assert "学员0" in failed and "T140000001" in failed and "电工作业初训班" in failed
    assert "低于其他参考人员" in html
    other_page = client.get(url("diagnostics_institution", theirs.pk)).content.decode()
    assert 'data-testid="comparison-persons">3 / 3' in other_page


def test_institution_page_scope(world, login) -> None:  # type: ignore[no-untyped-def]
    other = TrainingInstitution.objects.create(
        name="交城县培训中心",
        uscc="52141122MJY0000099",
        body=world.other_county,
        scope="特种作业",
        registered_on=date(2020, 1, 1),
    )
    ours = _institution(world, "文水县安全培训中心", 1)
    assert (
        login(world.users["office"]).get(url("diagnostics_institution", other.pk)).status_code
        == 404
    )
    assert (
        login(world.users["office"]).get(url("diagnostics_institution", ours.pk)).status_code == 200
    )
    assert (
        login(world.users["enterprise"]).get(url("diagnostics_institution", ours.pk)).status_code
        == 403
    )
    assert (
        login(world.users["training_institution"])
        .get(url("diagnostics_institution", ours.pk))
        .status_code
        == 403
    )


# -- little or no data --------------------------------------------------------------------------


def test_no_data_says_so_and_never_fails(world, login) -> None:  # type: ignore[no-untyped-def]
    ours = _institution(world, "文水县安全培训中心", 1)
    client = login(world.users["office"])
    for path in (
        url("diagnostics_bureau"),
        url("diagnostics_enterprise", world.enterprises["chem"].pk),
        url("diagnostics_enterprise_export", world.enterprises["chem"].pk),
        url("diagnostics_institution", ours.pk),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        if not path.endswith(".xlsx"):
            assert "数据不足" in response.content.decode(), path


def test_two_workers_are_too_few_to_judge(world, login) -> None:  # type: ignore[no-untyped-def]
    bank = make_bank()
    simulate(open_exam(world, "chem"), bank, 2, seed=13)
    report = enterprise_diagnostics(
        user=world.users["office"], enterprise=world.enterprises["chem"], period=Period()
    )
    assert report.overall.persons == 2 and not report.overall.enough
    assert report.overall.to_train == []
    html = (
        login(world.users["enterprise"]).get(url("diagnostics_mine"), follow=True).content.decode()
    )
    assert 'data-testid="thin-data"' in html
    assert 'data-testid="summary-pass-rate">数据不足' in html


def test_the_export_has_the_topics_to_train(world, login) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    bank = make_bank()
    simulate(open_exam(world, "chem"), bank, 8, seed=14)
    client = login(world.users["enterprise"])
    response = client.get(url("diagnostics_enterprise_export", world.enterprises["chem"].pk))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概况", "知识点", "建议培训", "历次检查"]
    train = list(book["建议培训"].iter_rows(min_row=2, values_only=True))
    assert train[0][1] == "有限空间作业"


def test_unfinished_attempts_and_unanswered_questions_are_left_out(world) -> None:  # type: ignore[no-untyped-def]
    bank = make_bank()
    exam = open_exam(world, "chem")
    simulate(exam, bank, 3, seed=16)
    running = sit(exam, "未交卷", [(bank[0], True), (bank[1], False)])
    running.finished_at = None
    running.save(update_fields=["finished_at"])
    served = sit(exam, "只出题未作答", [(bank[2], True)])
    ExamAnswer.objects.filter(attempt=served).update(correct=None, answered_at=None)
    report = enterprise_diagnostics(
        user=world.users["office"], enterprise=world.enterprises["chem"], period=Period()
    )
    assert report.overall.persons == 3 and report.overall.answers == 60
