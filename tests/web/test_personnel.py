"""Key personnel, certificates, training records and hours: scope (a section sees only its sectors'
enterprises' people, an enterprise only its own, another county 404), the audited reveal of an ID
number (denied to discipline inspectors), encryption at rest, forms that re-display errors, the
Excel import that writes nothing when a row is bad, the alerts, hours and on-site check pages."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from openpyxl import Workbook

from anjian.audit.models import AuditEntry
from anjian.domain.ids.idcard import id_check_character
from anjian.training.models import (
    Certificate,
    Person,
    Suspension,
    TrainingInstitution,
    TrainingRecord,
)
from anjian.training.personnel_sheets import PERSON_COLUMNS
from anjian.training.services.certificates import certificate_alert_count, certificate_alerts
from anjian.training.services.personnel import (
    certificate_check,
    certificate_create,
    certificate_review,
    person_create,
    person_reveal_id,
)
from anjian.training.services.records import person_year_hours, training_record_create
from tests.clock import TEST_TODAY
from tests.conftest import make_uscc
from tests.web.inspection_helpers import approved_task, field_team

pytestmark = pytest.mark.django_db

TODAY = TEST_TODAY


def id_number(serial: int, born: str = "19850101") -> str:
    body = f"141121{born}{serial:03d}"
    return body + id_check_character(body)


def _person(world: Any, key: str = "chem", serial: int = 1, **data: Any) -> Person:
    values = {
        "name": f"员工{serial}",
        "id_number": id_number(serial),
        "role": "special_operator",
        "job_title": "电工",
        "hired_on": date(2020, 3, 1),
    }
    values.update(data)
    return person_create(actor=None, enterprise=world.enterprises[key], data=values)


def _certificate(person: Person, number: str = "T001", issued: date | None = None) -> Certificate:
    kind = "special_operation" if person.role == "special_operator" else "manager"
    return certificate_create(
        actor=None,
        person=person,
        data={
            "kind": kind,
            "category": "电工作业",
            "number": number,
            "issuer": "吕梁市应急管理局",
            "issued_on": issued or date(2022, 1, 10),
        },
    )


# scope


def test_section_sees_only_its_sectors_people(world, login) -> None:  # type: ignore[no-untyped-def]
    chem = _person(world, "chem", 1)
    coal = _person(world, "coal", 2)
    client = login(world.users["hazchem"])
    html = client.get("/training/personnel/").content.decode()
    assert chem.name in html and coal.name not in html
    assert client.get(f"/training/personnel/{coal.pk}/").status_code == 404
    assert client.get(f"/training/personnel/{chem.pk}/").status_code == 200


def test_enterprise_sees_only_its_own(world, login) -> None:  # type: ignore[no-untyped-def]
    chem = _person(world, "chem", 1)
    coal = _person(world, "coal", 2)
    client = login(world.users["enterprise"])
    html = client.get("/training/personnel/").content.decode()
    assert chem.name in html and coal.name not in html
    assert client.get(f"/training/personnel/{coal.pk}/").status_code == 404
    assert client.get(f"/training/personnel/{coal.pk}/edit/").status_code == 404
    response = client.post(f"/training/personnel/{coal.pk}/records/new/", {})
    assert response.status_code == 404


def test_other_county_gets_404(world, login) -> None:  # type: ignore[no-untyped-def]
    chem = _person(world, "chem", 1)
    client = login(world.users["other_office"])
    assert client.get(f"/training/personnel/{chem.pk}/").status_code == 404
    assert client.post(f"/training/personnel/{chem.pk}/reveal/").status_code == 404
    assert chem.name not in client.get("/training/personnel/").content.decode()
    assert chem.name not in client.get("/training/certificates/alerts/").content.decode()


def test_service_refuses_an_enterprise_out_of_scope(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        person_create(
            actor=world.users["hazchem"],
            enterprise=world.enterprises["coal"],
            data={"name": "甲", "id_number": id_number(9), "role": "worker"},
        )
    with pytest.raises(PermissionDenied):  # discipline may read, not edit
        person_create(
            actor=world.users["discipline"],
            enterprise=world.enterprises["chem"],
            data={"name": "甲", "id_number": id_number(9), "role": "worker"},
        )
    assert not Person.objects.exists()


# ID numbers


def test_id_number_is_encrypted_at_rest_and_masked(world, login) -> None:  # type: ignore[no-untyped-def]
    person = _person(world, "chem", 7)
    number = id_number(7)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number, id_last4 FROM {Person._meta.db_table}")
        raw, last4 = cursor.fetchone()
    assert number not in str(raw) and number[6:14] not in str(raw)
    assert last4 == number[-4:]
    assert Person.objects.get().id_number == number
    html = login(world.users["office"]).get(f"/training/personnel/{person.pk}/").content.decode()
    assert number not in html and person.masked_id_number in html
    entry = AuditEntry.objects.get(action="training.person.create")
    assert number not in str(entry.changes)


def test_reveal_is_audited(world, login) -> None:  # type: ignore[no-untyped-def]
    person = _person(world, "chem", 3)
    client = login(world.users["office"])
    response = client.post(f"/training/personnel/{person.pk}/reveal/")
    assert response.status_code == 200
    assert id_number(3) in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="training.person.reveal_id")
    assert entry.actor == world.users["office"] and entry.target_id == str(person.pk)
    assert id_number(3) not in str(entry.changes)
    assert client.get(f"/training/personnel/{person.pk}/reveal/").status_code == 405


def test_reveal_is_denied_to_discipline(world, login) -> None:  # type: ignore[no-untyped-def]
    person = _person(world, "chem", 3)
    client = login(world.users["discipline"])
    html = client.get(f"/training/personnel/{person.pk}/").content.decode()
    assert person.masked_id_number in html and "显示完整身份证号" not in html
    assert client.post(f"/training/personnel/{person.pk}/reveal/").status_code == 403
    with pytest.raises(PermissionDenied):
        person_reveal_id(actor=world.users["discipline"], person=person)
    assert not AuditEntry.objects.filter(action="training.person.reveal_id").exists()


# forms


def test_person_form_redisplays_errors_and_writes_nothing(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    before = AuditEntry.objects.count()
    response = client.post(
        "/training/personnel/new/",
        {
            "enterprise": world.enterprises["chem"].pk,
            "name": "张三",
            "id_number": "141121198501010010",  # wrong check character
            "role": "worker",
            "hired_on": (TODAY + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "校验码错误" in html and "入职日期不能晚于今天" in html
    assert 'value="张三"' in html
    assert not Person.objects.exists() and AuditEntry.objects.count() == before


def test_person_form_creates_and_refuses_a_duplicate(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["enterprise"])
    data = {
        "enterprise": world.enterprises["chem"].pk,
        "name": "李四",
        "id_number": id_number(4),
        "role": "principal",
    }
    response = client.post("/training/personnel/new/", data)
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{person.pk}/")
    again = client.post("/training/personnel/new/", {**data, "name": "李四二"})
    assert "本企业已登记该身份证号码的人员：李四" in again.content.decode()
    assert Person.objects.count() == 1


def test_enterprise_cannot_register_for_another_enterprise(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["enterprise"])
    response = client.post(
        "/training/personnel/new/",
        {
            "enterprise": world.enterprises["coal"].pk,
            "name": "王五",
            "id_number": id_number(5),
            "role": "worker",
        },
    )
    assert response.status_code == 200 and not Person.objects.exists()


def test_edit_keeps_the_id_number_when_left_blank(world, login) -> None:  # type: ignore[no-untyped-def]
    person = _person(world, "chem", 6)
    client = login(world.users["hazchem"])
    response = client.post(
        f"/training/personnel/{person.pk}/edit/",
        {"name": "改名", "id_number": "", "role": "special_operator", "job_title": "焊工"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.id_number, person.job_title) == ("改名", id_number(6), "焊工")
    entry = AuditEntry.objects.get(action="training.person.update")
    assert set(entry.changes) == {"name", "job_title", "hired_on"}


# certificates


def test_certificate_dates_review_and_wrong_kind(world, login) -> None:  # type: ignore[no-untyped-def]
    person = _person(world, "chem", 1)
    client = login(world.users["office"])
    response = client.post(
        f"/training/personnel/{person.pk}/certificates/new/",
        {
            "kind": "manager",
            "number": "M1",
            "issuer": "吕梁市应急管理局",
            "issued_on": "2024-01-01",
        },
    )
    assert "只适用于" in response.content.decode() and not Certificate.objects.exists()
    response = client.post(
        f"/training/personnel/{person.pk}/certificates/new/",
        {
            "kind": "special_operation",
            "category": "电工作业",
            "number": "T123",
            "issuer": "吕梁市应急管理局",
            "issued_on": "2021-05-10",
        },
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert (certificate.valid_until, certificate.review_due) == (
        date(2027, 5, 10),
        date(2024, 5, 10),
    )
    too_early = client.post(
        f"/training/certificates/{certificate.pk}/review/", {"reviewed_on": "2024-01-01"}
    )
    assert "前60日内" in too_early.content.decode()
    done = client.post(
        f"/training/certificates/{certificate.pk}/review/", {"reviewed_on": "2024-04-20"}
    )
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.last_reviewed_on == date(2024, 4, 20) and certificate.review_due is None
    assert AuditEntry.objects.filter(action="training.certificate.review").count() == 1


def test_alerts_list_expiring_and_overdue(world, login) -> None:  # type: ignore[no-untyped-def]
    soon = _person(world, "chem", 1, role="principal")
    _certificate(soon, "M-SOON", issued=TODAY - timedelta(days=3 * 365 - 20))
    late = _person(world, "chem", 2)
    _certificate(late, "T-LATE", issued=TODAY - timedelta(days=3 * 365 + 40))  # review overdue
    fine = _person(world, "chem", 3)
    _certificate(fine, "T-FINE", issued=TODAY - timedelta(days=100))
    other = _person(world, "coal", 4)
    _certificate(other, "T-COAL", issued=TODAY - timedelta(days=3 * 365 + 40))
    client = login(world.users["hazchem"])
    response = client.get("/training/certificates/alerts/")
    overdue = [c.number for c, _ in response.context["overdue"]]
    soon_rows = [c.number for c, _ in response.context["soon"]]
    assert overdue == ["T-LATE"] and soon_rows == ["M-SOON"]
    mine = login(world.users["enterprise2"]).get("/training/certificates/alerts/")
    assert [c.number for c, _ in mine.context["overdue"]] == ["T-COAL"]
    # the home page counts them in the database: the same three
    every = Certificate.objects.all()
    assert certificate_alert_count(every, TODAY) == len(certificate_alerts(every, TODAY)) == 3


def test_review_service_refuses_a_revoked_certificate(world) -> None:  # type: ignore[no-untyped-def]
    person = _person(world, "chem", 1)
    certificate = _certificate(person, issued=TODAY - timedelta(days=3 * 365 - 10))
    certificate.revoked_on = TODAY
    certificate.save()
    with pytest.raises(ValidationError):
        certificate_review(actor=None, certificate=certificate, reviewed_on=TODAY)


# training records and hours


def _institution(world: Any, suspended_from: date | None = None) -> TrainingInstitution:
    institution = TrainingInstitution.objects.create(
        name="吕梁安培中心",
        uscc=make_uscc(90),
        body=world.county,
        scope="特种作业",
        registered_on=date(2020, 1, 1),
    )
    if suspended_from:
        Suspension.objects.create(
            institution=institution,
            state="decided",
            decision_number="文应急培停〔2026〕1号",
            decided_on=suspended_from,
            reason="抽查发现学员缺勤",
            starts_on=suspended_from,
            ends_on=suspended_from + timedelta(days=90),
        )
    return institution


def test_suspended_institution_cannot_train(world, login) -> None:  # type: ignore[no-untyped-def]
    person = _person(world, "chem", 1)
    institution = _institution(world, suspended_from=TODAY - timedelta(days=30))
    client = login(world.users["enterprise"])
    data = {
        "kind": "annual",
        "delivery": "offline",
        "course": "年度再培训",
        "hours": "8",
        "started_on": (TODAY - timedelta(days=10)).isoformat(),
        "ended_on": (TODAY - timedelta(days=9)).isoformat(),
        "institution": institution.pk,
    }
    response = client.post(f"/training/personnel/{person.pk}/records/new/", data)
    assert "暂停培训业务" in response.content.decode()
    assert not TrainingRecord.objects.exists()
    before = {**data, "started_on": (TODAY - timedelta(days=40)).isoformat()}
    assert client.post(f"/training/personnel/{person.pk}/records/new/", before).status_code == 302
    record = TrainingRecord.objects.get()
    assert record.institution == institution and record.hours == Decimal("8.0")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hours": "0"}, "学时应大于0"),
        ({"started_on": "2026-03-02", "ended_on": "2026-03-01"}, "结束日期不能早于开始日期"),
        ({"ended_on": (TODAY + timedelta(days=1)).isoformat()}, "结束日期不能晚于今天"),
    ],
)
def test_record_validation(world, changes, message) -> None:  # type: ignore[no-untyped-def]
    person = _person(world, "chem", 1)
    data: dict[str, Any] = {
        "kind": "annual",
        "delivery": "online",
        "course": "课",
        "hours": "4",
        "started_on": date(2026, 3, 1),
        "ended_on": date(2026, 3, 1),
    }
    for key, value in changes.items():
        data[key] = date.fromisoformat(value) if key.endswith("_on") else value
    with pytest.raises(ValidationError) as refused:
        training_record_create(actor=None, person=person, data=data, today=date(2026, 6, 1))
    assert message in str(refused.value)
    assert not TrainingRecord.objects.exists()


def test_hours_page_shows_who_is_short_and_online_share(world, login) -> None:  # type: ignore[no-untyped-def]
    year = TODAY.year
    short = _person(world, "chem", 1, role="worker", hired_on=date(year, 1, 1))
    training_record_create(
        actor=None,
        person=short,
        data={
            "kind": "initial",
            "delivery": "online",
            "course": "岗前培训",
            "hours": "30",
            "started_on": date(year, 1, 1),
            "ended_on": date(year, 1, 1),
        },
    )
    hours = person_year_hours(short, year)
    assert (hours.required, hours.shortfall) == (Decimal(72), Decimal(42))
    client = login(world.users["office"])
    response = client.get(f"/training/hours/?year={year}&short_only=on")
    overview = response.context["overview"]
    assert [entry.pk for entry in overview.short] == [short.pk]
    assert overview.online_share == 1.0
    assert response.context["overview"].by_institution[0].name == "企业自行组织"
    html = response.content.decode()
    assert "42" in html and "100%" in html


def test_malformed_parameters_never_answer_500(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    client.raise_request_exception = False
    for url in (
        "/training/personnel/?enterprise=abc&role=x&page=zz&q=%00",
        "/training/hours/?year=abc&enterprise=-1",
        "/training/hours/?year=99999",
        "/training/certificates/alerts/?enterprise=x",
        "/training/personnel/new/?enterprise=abc",
        "/training/certificates/999999/review/",
    ):
        assert client.get(url).status_code < 500, url


# on-site check


def test_task_certificate_check(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    operator = _person(world, "chem", 1, name="赵电工")
    _certificate(operator, "T-ZHAO", issued=TODAY - timedelta(days=3 * 365 + 5))
    _person(world, "chem", 2, name="钱焊工")
    client = login(team.lead)
    url = f"/training/tasks/{task.pk}/certificates/"
    listed = client.get(url)
    assert [r.person.name for r in listed.context["results"]] == ["赵电工", "钱焊工"]
    found = client.get(url, {"q": id_number(1)[-4:]}).context["results"]
    assert [r.person.name for r in found] == ["赵电工"]
    assert found[0].certificates[0][1].code == "review_overdue"
    assert found[0].problem == "无有效的特种作业操作证"
    by_number = client.get(url, {"q": "t-zhao"}).context["results"]
    assert [r.person.name for r in by_number] == ["赵电工"]
    assert login(world.users["other_office"]).get(url).status_code == 404
    assert login(world.users["enterprise"]).get(url).status_code == 403


def test_certificate_check_service_lists_key_personnel_only_by_default(world) -> None:  # type: ignore[no-untyped-def]
    _person(world, "chem", 1, role="worker", name="普工")
    _person(world, "chem", 2, role="principal", name="厂长")
    results = certificate_check(enterprise=world.enterprises["chem"], query="", today=TODAY)
    assert [r.person.name for r in results] == ["厂长"]
    assert results[0].problem == "无有效的安全生产知识和管理能力考核合格证"


# import


def _sheet(rows: list[dict[str, Any]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    headers = [c.header for c in PERSON_COLUMNS]
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "people.xlsx"
    return buffer


def _row(world: Any, serial: int, **extra: Any) -> dict[str, Any]:
    row = {
        "企业统一社会信用代码": world.enterprises["chem"].uscc,
        "姓名": f"导入{serial}",
        "身份证号码": id_number(serial),
        "岗位类别": "特种作业人员",
        "工种/职务": "电工",
        "入职日期": "2023-04-01",
        "证书种类": "特种作业操作证",
        "作业类别/考核类别": "电工作业",
        "证书编号": f"IMP{serial}",
        "发证机关": "吕梁市应急管理局",
        "发证日期": "2023-05-01",
    }
    row.update(extra)
    return row


def test_import_with_bad_rows_writes_nothing(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    rows = [
        _row(world, 1),
        _row(world, 2, 身份证号码="123"),
        _row(world, 3, 岗位类别="一般从业人员"),  # a worker cannot hold a special certificate
        _row(world, 4, 企业统一社会信用代码=world.enterprises["other_chem"].uscc),
        _row(world, 5, 证书编号="IMP1"),
    ]
    before = AuditEntry.objects.count()
    response = client.post("/training/personnel/import/", {"file": _sheet(rows)})
    check = response.context["check"]
    assert not check.ok
    bad = {row.number: [h for h, _ in row.errors] for row in check.bad_rows}
    assert bad == {
        3: ["身份证号码"],
        4: ["证书种类"],
        5: ["企业统一社会信用代码"],
        2: ["证书编号"],
        6: ["证书编号"],
    }
    assert "第3行" in response.content.decode()
    assert not Person.objects.exists() and not Certificate.objects.exists()
    assert AuditEntry.objects.count() == before


def test_import_commits_people_with_certificates(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    blank = dict.fromkeys(("证书种类", "作业类别/考核类别", "证书编号", "发证机关", "发证日期"))
    rows = [_row(world, 1), {**_row(world, 2), **blank}]
    response = client.post("/training/personnel/import/", {"file": _sheet(rows)})
    assert response.context["check"].ok
    done = client.post(
        "/training/personnel/import/", {"confirm": "1", "token": response.context["token"]}
    )
    assert done.status_code == 302
    assert Person.objects.count() == 2 and Certificate.objects.count() == 1
    assert Certificate.objects.get().valid_until == date(2029, 5, 1)
    assert AuditEntry.objects.filter(action="training.person.import").count() == 1
    template = client.get("/training/personnel/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_leave_and_revoke_pages(world, login) -> None:  # type: ignore[no-untyped-def]
    person = _person(world, "chem", 1)
    certificate = _certificate(person, "T-REV")
    client = login(world.users["enterprise"])
    refused = client.post(f"/training/certificates/{certificate.pk}/revoke/", {"revoked_on": ""})
    assert refused.status_code == 200 and "注销原因" in refused.content.decode()
    done = client.post(
        f"/training/certificates/{certificate.pk}/revoke/",
        {"revoked_on": TODAY.isoformat(), "reason": "人员调离特种作业岗位"},
    )
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_on == TODAY
    future = (TODAY + timedelta(days=2)).isoformat()
    bad = client.post(f"/training/personnel/{person.pk}/leave/", {"left_on": future})
    assert bad.status_code == 400 and "离职日期不能晚于今天" in bad.content.decode()
    assert (
        client.post(
            f"/training/personnel/{person.pk}/leave/", {"left_on": TODAY.isoformat()}
        ).status_code
        == 302
    )
    person.refresh_from_db()
    assert person.left_on == TODAY
    listed = client.get("/training/personnel/").content.decode()
    assert person.name not in listed
    assert person.name in client.get("/training/personnel/?state=left").content.decode()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"training.certificate.revoke", "training.person.leave"} <= actions


def test_update_service_accepts_partial_data(world) -> None:  # type: ignore[no-untyped-def]
    from anjian.training.services.personnel import person_update

    person = _person(world, "chem", 1)
    updated = person_update(actor=None, person=person, data={"phone": "13800000000"})
    assert updated.phone == "13800000000" and updated.hired_on == date(2020, 3, 1)
    with pytest.raises(ValidationError) as refused:
        person_update(actor=None, person=person, data={"left_on": date(2019, 1, 1)})
    assert "离职日期不能早于入职日期" in str(refused.value)
