"""Issue 19 item 4, public disclosure (行政执法公示): the legal office publishes a decided case
with personal data removed, within seven working days; anonymous visitors read it; a withdrawn
decision disappears; the public pages show the year's monthly entries and statistics."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anjian.audit.models import AuditEntry
from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.services.case_proposal import FinedPerson
from anjian.enforcement.services.case_steps import case_decide, case_deliver, case_record_defence
from anjian.oversight.disclosure.reminders import disclosure_due
from anjian.oversight.disclosure.selectors import decisions_due
from anjian.oversight.disclosure.services import decision_publish, decision_withdraw
from anjian.oversight.models import Publication
from tests.web.penalty_helpers import (
    MONDAY,
    collective,
    finding,
    notified,
    open_case,
    propose,
    reviewed,
)
from tests.web.test_steering_cockpit import entry, exception

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + timedelta(days=1)  # the decision: 2025-03-04
LAST_DAY = date(2025, 3, 13)  # seven working days later (no holiday in March 2025)
ID_NUMBER = "11010519491231002X"
FACTS = f"经查，王五（身份证号{ID_NUMBER}，电话13912345678）指使赵六未设置安全警示标志。"


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


def decided(world) -> PenaltyCase:  # type: ignore[no-untyped-def]
    """A decision fining the unit and two directly responsible persons, 王五 and 赵六."""
    case = open_case(world, finding(world), article="101", item="1", facts_text=FACTS)
    persons = [
        FinedPerson("王五", "安全管理员", 30000, id_number=ID_NUMBER),
        FinedPerson("赵六", "车间主任", 20000),
    ]
    propose(
        world,
        case,
        facts={"count": 1, "overdue": True},
        unit_fine=150000,
        persons=persons,
        measures=["责令停产停业整顿"],
    )
    reviewed(world, case)
    notified(world, case)
    case_record_defence(actor=world.users["hazchem"], case=case, waived=True, today=MONDAY)
    collective(world, case)
    case_decide(actor=world.users["bureau_head"], case=case, today=TUESDAY)
    return case_deliver(
        actor=world.users["hazchem"], case=case, delivered_on=TUESDAY, today=TUESDAY
    )


def published(world, case: PenaltyCase, day: date = date(2025, 3, 10)) -> Publication:  # type: ignore[no-untyped-def]
    return decision_publish(actor=world.users["legal_office"], case=case, now=at(day))


def test_the_deadline_is_seven_working_days_after_the_decision(world) -> None:
    case = decided(world)
    levels = {
        day: [(r.case.pk, r.due_on, r.level) for r in decisions_due([world.county.pk], day)]
        for day in (date(2025, 3, 10), date(2025, 3, 11), LAST_DAY, LAST_DAY + timedelta(1))
    }
    assert levels == {
        date(2025, 3, 10): [(case.pk, LAST_DAY, "open")],
        date(2025, 3, 11): [(case.pk, LAST_DAY, "due")],
        LAST_DAY: [(case.pk, LAST_DAY, "due")],
        LAST_DAY + timedelta(1): [(case.pk, LAST_DAY, "overdue")],
    }
    published(world, case)
    assert decisions_due([world.county.pk], LAST_DAY) == []


def test_the_legal_office_is_reminded_once_when_due_and_when_overdue(world) -> None:
    case = decided(world)
    legal = world.users["legal_office"]
    assert disclosure_due(date(2025, 3, 10), at(date(2025, 3, 10))) == []
    soon = disclosure_due(date(2025, 3, 11), at(date(2025, 3, 11)))
    late = disclosure_due(date(2025, 3, 14), at(date(2025, 3, 14)))
    assert [(u, r.kind, r.key) for u, r in soon] == [
        (legal.pk, "disclosure_due", f"disclosure_due:{case.pk}:2025-03-13:due")
    ]
    assert [(u, r.key) for u, r in late] == [
        (legal.pk, f"disclosure_due:{case.pk}:2025-03-13:overdue")
    ]
    assert soon[0][1].url == reverse("oversight:disclosure_due")


def test_an_anonymous_visitor_reads_the_decision_with_persons_masked(world, client) -> None:
    publication = published(world, decided(world))
    assert publication.due_on == LAST_DAY
    assert publication.published_on == date(2025, 3, 10)
    content = publication.content
    assert content["party"] == "文水县宏达化工有限公司"  # a legal person is published
    assert content["facts"] == (
        "经查，王*（身份证号[身份证号码已隐去]，电话[电话号码已隐去]）指使赵*未设置安全警示标志。"
    )
    assert "王*" in content["penalty"] and "赵*" in content["penalty"]
    for name in (
        reverse("public:disclosure_decisions", args=[world.county.pk]),
        reverse("public:disclosure_decision", args=[publication.pk]),
    ):
        response = client.get(name)
        assert response.status_code == 200
        text = response.content.decode()
        assert "文水县宏达化工有限公司" in text
        for secret in ("王五", "赵六", ID_NUMBER, "13912345678", "1101051949"):
            assert secret not in text
        assert "no-store" in response["Cache-Control"]
    page = client.get(reverse("public:disclosure_decisions", args=[world.county.pk]))
    assert publication.number in page.content.decode()
    assert publication.number.startswith("文")


def test_publishing_twice_is_refused(world) -> None:
    case = decided(world)
    published(world, case)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        published(world, case, date(2025, 3, 11))
    assert Publication.objects.count() == 1
    assert AuditEntry.objects.count() == entries


def test_a_withdrawn_decision_disappears(world, client) -> None:
    publication = published(world, decided(world))
    legal = world.users["legal_office"]
    with pytest.raises(ValidationError):
        decision_withdraw(actor=legal, publication=publication, reason=" ", now=at(LAST_DAY))
    decision_withdraw(
        actor=legal, publication=publication, reason="经行政复议撤销", now=at(LAST_DAY)
    )
    publication.refresh_from_db()
    assert (publication.withdrawn_on, publication.withdraw_reason) == (LAST_DAY, "经行政复议撤销")
    listing = client.get(reverse("public:disclosure_decisions", args=[world.county.pk]))
    assert publication.number not in listing.content.decode()
    assert (
        client.get(reverse("public:disclosure_decision", args=[publication.pk])).status_code == 404
    )
    with pytest.raises(ValidationError):
        decision_withdraw(actor=legal, publication=publication, reason="再次", now=at(LAST_DAY))
    with pytest.raises(ValidationError):  # a withdrawn decision is not published again
        published(world, publication.case)


def test_only_the_legal_office_publishes(world, login) -> None:
    case = decided(world)
    entries = AuditEntry.objects.count()
    for username in ("hazchem", "bureau_head", "office"):
        client = login(world.users[username])
        url = reverse("oversight:disclosure_publish", args=[case.pk])
        assert client.post(url).status_code == 403
        with pytest.raises(PermissionDenied):
            decision_publish(actor=world.users[username], case=case, now=at(LAST_DAY))
    assert client.get(reverse("oversight:disclosure_due")).status_code == 200
    assert Publication.objects.count() == 0
    assert AuditEntry.objects.count() == entries
    other = login(world.users["other_office"])
    assert other.get(reverse("oversight:disclosure_due")).status_code == 200
    legal = login(world.users["legal_office"])
    preview = legal.get(reverse("oversight:disclosure_publish", args=[case.pk]))
    assert "王*" in preview.content.decode() and "王五" not in preview.content.decode()
    assert legal.post(reverse("oversight:disclosure_publish", args=[case.pk])).status_code == 302
    publication = Publication.objects.get()
    assert publication.published_by == world.users["legal_office"]
    hazchem = login(world.users["hazchem"])
    withdraw = reverse("oversight:disclosure_withdraw", args=[publication.pk])
    assert hazchem.post(withdraw, {"reason": "x"}).status_code == 403
    publication.refresh_from_db()
    assert publication.withdrawn_on is None


def test_the_due_page_marks_an_overdue_decision_red(world, login) -> None:
    case = decided(world)
    client = login(world.users["legal_office"])
    page = client.get(reverse("oversight:disclosure_due")).content.decode()
    # the page reads the real clock: the decision of 2025 is long overdue
    assert 'data-level="overdue" class="table-danger"' in page
    assert reverse("oversight:disclosure_publish", args=[case.pk]) in page


def test_monthly_entries_and_the_annual_report_are_exact(world, client) -> None:
    for day in (date(2024, 1, 8), date(2024, 1, 9)):
        entry(world, "chem", day)
    entry(world, "coal", date(2024, 1, 10), joint_key="J-1")
    entry(world, "coal", date(2024, 1, 11), mode="remote")
    entry(
        world, "chem", date(2024, 2, 5), quiet_exception=exception(world, "chem", date(2024, 2, 5))
    )
    entry(world, "other_chem", date(2024, 1, 8), body=world.other_county)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("public:disclosure_body", args=[world.county.pk]), {"year": "2024"}
        )
    assert response.status_code == 200
    months = response.context["months"]
    assert len(months) == 12
    assert [
        (
            m["month"],
            m["entries_onsite"],
            m["entries_joint"],
            str(m["joint_share"]),
            m["entries_quiet"],
        )
        for m in months[:3]
    ] == [
        (date(2024, 1, 1), 3, 1, "33.3", 0),
        (date(2024, 2, 1), 1, 0, "0.0", 1),
        (date(2024, 3, 1), 0, 0, "None", 0),
    ]
    entry(world, "chem", date(2024, 3, 5))
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("public:disclosure_body", args=[world.county.pk]), {"year": "2024"})
    assert len(again) == len(queries)
    report = client.get(
        reverse("public:disclosure_report", args=[world.county.pk]), {"year": "2024"}
    )
    assert report.status_code == 200
    assert [label for label, _unit, _value in report.context["rows"]][:2] == [
        "完成检查",
        "发现隐患",
    ]
    assert client.get(reverse("public:disclosure_index")).status_code == 200
    assert client.get(reverse("public:disclosure_body", args=[world.city.pk])).status_code == 404
