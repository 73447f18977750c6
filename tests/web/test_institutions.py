"""Training institutions over HTTP and through their services: HR & finance registers, spot
checks, suspends and lifts; other staff read but may not suspend; an institution's login sees
only itself, reports teachers, classes and trainees, and is refused a class while suspended; a
trainee list with a bad row writes nothing and names the row; matched trainees get training
records; the decision prints as Word; every change is audited."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document
from openpyxl import Workbook

from anjian.accounts.roles import Role
from anjian.accounts.services import user_create
from anjian.audit.models import AuditEntry
from anjian.policy.views.common import today
from anjian.training.models import (
    InstitutionClass,
    InstitutionMembership,
    Person,
    SpotCheck,
    Suspension,
    Teacher,
    TrainingInstitution,
    TrainingRecord,
)
from anjian.training.services.institution_supervision import spot_check_record
from anjian.training.services.institution_suspension import (
    suspension_deliver,
    suspension_record_no_statement,
)
from anjian.training.services.institution_trainees import class_trainees_report
from anjian.training.services.institutions import (
    class_report,
    institution_create,
    institution_status,
    teacher_report,
)
from tests.conftest import PASSWORD, make_uscc
from tests.web.suspension_helpers import notify, suspend

pytestmark = pytest.mark.django_db

ID_A = "11010519491231002X"
ID_B = "110105194912310046"
ID_C = "110105198001010016"


def _institution(world, serial: int = 901, name: str = "文水县安泰安全培训学校"):  # type: ignore[no-untyped-def]
    return institution_create(
        actor=None,
        data={
            "name": name,
            "uscc": make_uscc(serial, "141121"),
            "body": world.county,
            "scope": "主要负责人和安全生产管理人员",
            "registered_on": today() - timedelta(days=400),
        },
    )


@pytest.fixture
def school(world):  # type: ignore[no-untyped-def]
    institution = _institution(world)
    InstitutionMembership.objects.create(
        user=world.users["training_institution"], institution=institution
    )
    return institution


@pytest.fixture
def rival(world):  # type: ignore[no-untyped-def]
    return _institution(world, 902, "交城县某培训中心")


def _class(institution, *, starts=-10, ends=-8, **extra):  # type: ignore[no-untyped-def]
    data = {
        "title": "2026年第一期主要负责人初训班",
        "role": "principal",
        "kind": "initial",
        "delivery": "offline",
        "hours": Decimal(32),
        "starts_on": today() + timedelta(days=starts),
        "ends_on": today() + timedelta(days=ends),
    }
    data.update(extra)
    return class_report(actor=None, institution=institution, **data)


def _suspend(institution, *, ends=30):  # type: ignore[no-untyped-def]
    """A decided suspension through the whole procedure (tests/web/suspension_helpers.py)."""
    return suspend(institution, ends=ends)


def _person(world, name: str, id_number: str, key: str = "chem") -> Person:  # type: ignore[no-untyped-def]
    return Person.objects.create(
        enterprise=world.enterprises[key],
        name=name,
        id_number=id_number,
        id_last4=id_number[-4:],
        role="principal",
    )


def _actions() -> list[str]:
    entries = AuditEntry.objects.filter(action__startswith="training.").order_by("pk")
    return list(entries.values_list("action", flat=True))


# ---- HR & finance ------------------------------------------------------------------------------


def test_hr_finance_registers_an_institution(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hr_finance"])
    data = {
        "name": "文水县众安培训学校",
        "uscc": make_uscc(903).lower(),
        "body": world.county.pk,
        "scope": "特种作业（电工）",
        "registered_on": today().isoformat(),
    }
    bad = client.post("/training/institutions/new/", {**data, "uscc": "123"})
    assert bad.status_code == 200
    assert "统一社会信用代码应为18位，实为3位" in bad.content.decode()
    assert TrainingInstitution.objects.count() == 0 and _actions() == []
    outside = client.post("/training/institutions/new/", {**data, "body": world.other_county.pk})
    assert outside.status_code == 200 and TrainingInstitution.objects.count() == 0
    response = client.post("/training/institutions/new/", data)
    institution = TrainingInstitution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/training/institutions/{institution.pk}/"
    assert institution.uscc == make_uscc(903) and institution.body == world.county
    entry = AuditEntry.objects.get(action="training.institution.create")
    assert entry.actor == world.users["hr_finance"]
    assert entry.changes["name"] == {"before": None, "after": "文水县众安培训学校"}
    again = client.post("/training/institutions/new/", data)
    assert "该统一社会信用代码的培训机构已登记" in again.content.decode()
    edit = client.post(
        f"/training/institutions/{institution.pk}/edit/", {**data, "phone": "0358-1234567"}
    )
    assert edit.status_code == 302
    institution.refresh_from_db()
    assert institution.phone == "0358-1234567"
    update = AuditEntry.objects.get(action="training.institution.update")
    assert update.changes == {"phone": {"before": "", "after": "0358-1234567"}}


def test_the_list_shows_status_to_all_bureau_staff(world, login, school, rival) -> None:  # type: ignore[no-untyped-def]
    _suspend(school, ends=10)
    for username in ("office", "hr_finance", "discipline", "city_office"):
        response = login(world.users[username]).get("/training/institutions/")
        assert response.status_code == 200, username
        rows = {i.name: s for i, s in response.context["rows"]}
        assert rows[school.name].suspended and rows[school.name].until == today() + timedelta(10)
        assert not rows[rival.name].suspended
    page = login(world.users["office"]).get("/training/institutions/").content.decode()
    assert f"暂停中（至 {today() + timedelta(10):%Y-%m-%d}）" in page and "正常" in page
    assert login(world.users["other_office"]).get("/training/institutions/").context["rows"] == []
    other = login(world.users["other_office"]).get(f"/training/institutions/{school.pk}/")
    assert other.status_code == 404
    assert login(world.users["enterprise"]).get("/training/institutions/").status_code == 403


def test_hr_finance_suspends_and_lifts(world, login, school) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hr_finance"])
    running = _class(school, starts=-1, ends=2)
    check = spot_check_record(
        actor=world.users["hr_finance"],
        institution=school,
        training_class=running,
        checked_on=today(),
        inspectors="刘洋、陈静",
        attendance_reported=40,
        attendance_found=28,
        findings="授课教师与备案不符",
        outcome="serious",
    )
    assert check.findings == "实到28人，少于报告在训人数40人，缺12人。\n授课教师与备案不符"
    end = today() + timedelta(days=30)
    data = {
        "spot_check": check.pk,
        "reason": "你单位培训实到人数严重不足，授课教师与备案不符",
        "proposed_months": "2",
        "notified_on": (today() - timedelta(days=10)).isoformat(),
    }
    response = client.post(f"/training/institutions/{school.pk}/suspensions/new/", data)
    assert response.status_code == 302
    suspension = Suspension.objects.get()
    assert suspension.spot_check == check and suspension.created_by == world.users["hr_finance"]
    pk = suspension.pk
    delivered = {"delivered_on": data["notified_on"], "how": "直接送达"}
    assert client.post(f"/training/suspensions/{pk}/deliver/", delivered).status_code == 302
    assert client.post(f"/training/suspensions/{pk}/no-statement/").status_code == 302
    decision = {"decided_on": today().isoformat(), "starts_on": today().isoformat()}
    decided = client.post(
        f"/training/suspensions/{pk}/decide/", {**decision, "ends_on": end.isoformat()}
    )
    assert decided.status_code == 302
    suspension.refresh_from_db()
    assert suspension.ends_on == end and suspension.decision_number == _first_decision()
    detail = client.get(f"/training/institutions/{school.pk}/").content.decode()
    assert f"暂停中（至 {end:%Y-%m-%d}）" in detail and _first_decision() in detail
    overlap = _suspend_pending(school)
    refused = client.post(
        f"/training/suspensions/{overlap.pk}/decide/", {**decision, "ends_on": end.isoformat()}
    )
    assert refused.status_code == 200 and "重叠" in refused.content.decode()
    overlap.refresh_from_db()
    assert overlap.state == "defence" and overlap.decision_number == ""
    lift_url = f"/training/suspensions/{pk}/lift/"
    no_reason = client.post(lift_url, {"lifted_on": today().isoformat(), "reason": ""})
    assert no_reason.status_code == 200
    lifted = client.post(lift_url, {"lifted_on": today().isoformat(), "reason": "整改验收合格"})
    assert lifted.status_code == 302
    suspension.refresh_from_db()
    assert suspension.lifted_on == today() and suspension.lift_reason == "整改验收合格"
    assert not institution_status(school).suspended
    assert _actions() == [
        "training.institution.create",
        "training.class.report",
        "training.spot_check.record",
        "training.suspension.notify",
        "training.suspension.deliver",
        "training.suspension.record_no_statement",
        "training.suspension.decide",
        "training.suspension.notify",
        "training.suspension.deliver",
        "training.suspension.record_no_statement",
        "training.suspension.lift",
    ]


def _first_decision() -> str:
    """The number of the body's first suspension decision, numbered in the year it is decided."""
    return f"文水应急培停〔{today().year}〕1号"


def _suspend_pending(institution):  # type: ignore[no-untyped-def]
    """A notice delivered ten days ago whose time limit passed without a statement."""
    suspension = notify(institution)
    suspension_deliver(actor=None, suspension=suspension, delivered_on=suspension.notified_on)
    return suspension_record_no_statement(actor=None, suspension=suspension)


def test_office_may_read_but_not_supervise(world, login, school) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    assert client.get(f"/training/institutions/{school.pk}/").status_code == 200
    before = _actions()
    data = {"reason": "r", "notified_on": today().isoformat()}
    for url in (
        f"/training/institutions/{school.pk}/suspensions/new/",
        f"/training/institutions/{school.pk}/spot-checks/new/",
        "/training/institutions/new/",
        f"/training/institutions/{school.pk}/edit/",
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert Suspension.objects.count() == 0 and _actions() == before
    with pytest.raises(PermissionDenied):
        _suspend_as(world.users["office"], school)


def _suspend_as(actor, institution):  # type: ignore[no-untyped-def]
    return notify(institution, actor=actor)


def test_the_decision_prints_as_word(world, login, school) -> None:  # type: ignore[no-untyped-def]
    suspension = _suspend(school, ends=30)
    response = login(world.users["hr_finance"]).get(
        f"/training/suspensions/{suspension.pk}/decision.docx"
    )
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    end = today() + timedelta(days=30)
    assert "暂停培训业务决定书" in text and _first_decision() in text
    assert f"自{today().year}年{today().month}月{today().day}日起至" in text
    assert f"{end.year}年{end.month}月{end.day}日止" in text
    assert "六十日内依法向文水县人民政府申请行政复议" in text and "六个月内" in text
    assert "学员实到人数严重不足" in text
    own = login(world.users["training_institution"]).get(
        f"/training/suspensions/{suspension.pk}/decision.docx"
    )
    assert own.status_code == 200


# ---- the institution's own login ---------------------------------------------------------------


def test_an_institution_sees_only_itself(world, login, school, rival) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["training_institution"])
    response = client.get("/training/institutions/")
    assert response.status_code == 302
    assert response["Location"] == f"/training/institutions/{school.pk}/"
    assert client.get(f"/training/institutions/{school.pk}/").status_code == 200
    for url in (
        f"/training/institutions/{rival.pk}/",
        f"/training/institutions/{rival.pk}/classes/new/",
        f"/training/institutions/{rival.pk}/teachers/new/",
        f"/training/classes/{_class(rival).pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/training/institutions/{school.pk}/suspensions/new/").status_code == 403
    with pytest.raises(PermissionDenied):
        teacher_report(
            actor=world.users["training_institution"],
            institution=rival,
            name="某",
            qualification="注册安全工程师",
        )


def test_an_institution_reports_teachers_and_classes(world, login, school, rival) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["training_institution"])
    response = client.post(
        f"/training/institutions/{school.pk}/teachers/new/",
        {
            "name": "高建国",
            "qualification": "注册安全工程师",
            "qualification_number": "ZA-0001",
            "subjects": "安全生产法律法规",
            "full_time": "on",
        },
    )
    assert response.status_code == 302
    teacher = Teacher.objects.get(institution=school)
    foreign = teacher_report(actor=None, institution=rival, name="外", qualification="讲师")
    data = {
        "title": "特种作业电工初训班",
        "role": "special_operator",
        "kind": "initial",
        "delivery": "offline",
        "hours": "48",
        "starts_on": (today() + timedelta(3)).isoformat(),
        "ends_on": (today() + timedelta(1)).isoformat(),
        "planned_trainees": "30",
        "teachers": [teacher.pk],
    }
    bad = client.post(f"/training/institutions/{school.pk}/classes/new/", data)
    assert "结业日期不得早于开班日期" in bad.content.decode()
    with pytest.raises(ValidationError) as refused:
        _class(school, teachers=[foreign])
    assert refused.value.message_dict == {"teachers": ["外不是本机构报告的教师"]}
    data["ends_on"] = (today() + timedelta(8)).isoformat()
    response = client.post(f"/training/institutions/{school.pk}/classes/new/", data)
    created = InstitutionClass.objects.get(title="特种作业电工初训班")
    assert response["Location"] == f"/training/classes/{created.pk}/"
    assert list(created.teachers.all()) == [teacher]
    assert created.reported_by == world.users["training_institution"]
    assert _actions()[-2:] == ["training.teacher.report", "training.class.report"]


def test_a_suspended_institution_cannot_report_a_class(world, login, school) -> None:  # type: ignore[no-untyped-def]
    _suspend(school, ends=20)
    client = login(world.users["training_institution"])
    page = client.get(f"/training/institutions/{school.pk}/classes/new/").content.decode()
    assert "本机构培训业务暂停中" in page and "暂停期间不得开班备案" in page
    before = _actions()
    response = client.post(
        f"/training/institutions/{school.pk}/classes/new/",
        {
            "title": "偷开的班",
            "role": "worker",
            "kind": "initial",
            "delivery": "online",
            "hours": "24",
            "starts_on": (today() + timedelta(40)).isoformat(),
            "ends_on": (today() + timedelta(41)).isoformat(),
            "planned_trainees": "10",
        },
    )
    assert response.status_code == 200
    assert "暂停期间不得开班备案" in response.content.decode()
    assert InstitutionClass.objects.count() == 0 and _actions() == before
    detail = client.get(f"/training/institutions/{school.pk}/").content.decode()
    assert f"培训业务暂停中（{_first_decision()}）" in detail


# ---- the trainee list --------------------------------------------------------------------------


def test_a_trainee_list_with_a_bad_row_writes_nothing(world, login, school) -> None:  # type: ignore[no-untyped-def]
    _person(world, "张三", ID_A)
    training_class = _class(school)
    client = login(world.users["training_institution"])
    chem = world.enterprises["chem"].uscc
    text = "\n".join(
        [
            f"张三,{ID_A},{chem},合格",
            f"李四,{ID_B},{chem},合格",
            f"王五,{ID_C},{make_uscc(777)},不合格",
            f"赵六,{ID_C[:-1]}2,{chem},合格",
        ]
    )
    before = _actions()
    response = client.post(f"/training/classes/{training_class.pk}/trainees/", {"trainees": text})
    assert response.status_code == 200
    errors = response.context["form"].errors["trainees"]
    assert errors == [
        "第2行：文水县宏达化工有限公司的从业人员名册中没有身份证号为1101**********0046的人员，请企业先登记",
        f"第3行：未找到统一社会信用代码为{make_uscc(777)}的企业",
        "第4行：校验码错误：第18位应为6，实为2",
    ]
    assert "第2行" in response.content.decode()
    assert TrainingRecord.objects.count() == 0 and _actions() == before
    training_class.refresh_from_db()
    assert training_class.trainees_reported_at is None


def test_matched_trainees_get_training_records(world, login, school) -> None:  # type: ignore[no-untyped-def]
    zhang = _person(world, "张三", ID_A)
    li = _person(world, "李四", ID_B, key="coal")
    training_class = _class(school)
    client = login(world.users["training_institution"])
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "企业统一社会信用代码", "合格"])
    sheet.append(["张三", ID_A, world.enterprises["chem"].uscc, "合格"])
    sheet.append(["李四", ID_B, world.enterprises["coal"].uscc, "不合格"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "trainees.xlsx"
    response = client.post(f"/training/classes/{training_class.pk}/trainees/", {"file": upload})
    assert response.status_code == 302, response.context["form"].errors
    records = {r.person: r for r in TrainingRecord.objects.all()}
    assert set(records) == {zhang, li}
    record = records[zhang]
    assert record.institution == school and record.training_class == training_class
    assert (record.kind, record.delivery, record.hours) == ("initial", "offline", Decimal(32))
    assert (record.started_on, record.ended_on) == (
        training_class.starts_on,
        training_class.ends_on,
    )
    assert record.passed is True and records[li].passed is False
    assert record.created_by == world.users["training_institution"]
    assert _actions()[-3:] == [
        "training.record.create",
        "training.record.create",
        "training.class.trainees_report",
    ]
    with pytest.raises(ValidationError) as twice:
        class_trainees_report(
            actor=None,
            training_class=training_class,
            text=f"张三,{ID_A},{world.enterprises['chem'].uscc},合格",
        )
    assert twice.value.message_dict == {"trainees": ["第1行：张三已在本班次学员名单中"]}
    page = client.get(f"/training/classes/{training_class.pk}/").content.decode()
    assert "1101**********002X" in page and ID_A not in page


def test_the_trainee_list_waits_for_the_end_of_the_class(world, school) -> None:  # type: ignore[no-untyped-def]
    _person(world, "张三", ID_A)
    training_class = _class(school, starts=-1, ends=3)
    with pytest.raises(ValidationError) as early:
        class_trainees_report(
            actor=None,
            training_class=training_class,
            text=f"张三,{ID_A},{world.enterprises['chem'].uscc},合格",
        )
    assert "后方可报告学员名单" in early.value.messages[0]


def test_a_second_institution_login_without_membership_sees_nothing(world, login, school) -> None:  # type: ignore[no-untyped-def]
    lonely = user_create(
        actor=None,
        username="lonely",
        password=PASSWORD,
        role=Role.TRAINING_INSTITUTION,
        display_name="lonely",
        body=None,
    )
    client = login(lonely)
    assert client.get(f"/training/institutions/{school.pk}/").status_code == 404
    assert client.get("/training/institutions/").context["rows"] == []
    assert SpotCheck.objects.count() == 0


def test_bad_input_never_answers_500(world, login, school) -> None:  # type: ignore[no-untyped-def]
    training_class = _class(school)
    client = login(world.users["hr_finance"])
    client.raise_request_exception = False
    garbage = io.BytesIO(b"not a workbook")
    garbage.name = "trainees.xlsx"
    response = client.post(f"/training/classes/{training_class.pk}/trainees/", {"file": garbage})
    assert response.status_code == 200
    assert "无法读取该Excel文件" in response.content.decode()
    empty = client.post(f"/training/classes/{training_class.pk}/trainees/", {"trainees": " "})
    assert "请填写学员名单或上传Excel文件" in empty.content.decode()
    for url in (
        "/training/institutions/?q=%00%ff",
        f"/training/institutions/{school.pk}/spot-checks/new/?class=abc",
        f"/training/institutions/{school.pk}/spot-checks/new/?class=99999",
        "/training/suspensions/99999/lift/",
        "/training/suspensions/99999/decision.docx",
        "/training/suspensions/99999/notice.docx",
        "/training/suspensions/99999/",
        "/training/classes/99999/",
    ):
        assert client.get(url).status_code in (200, 404), url
    bad = client.post(
        f"/training/institutions/{school.pk}/suspensions/new/",
        {"notified_on": "2026-13-45", "reason": "", "proposed_months": "x"},
    )
    assert bad.status_code == 200 and Suspension.objects.count() == 0
    assert TrainingRecord.objects.count() == 0
