"""The daily reminders and the notification centre: which reminders each deadline gives whom (kind,
key, user, link), nothing twice, e-mail after commit, a run's queries not growing with the
records, and the list, the bell, opening and marking read — one's own notifications only."""

from __future__ import annotations

from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anjian.accounts.services import user_create
from anjian.audit.models import AuditEntry
from anjian.inspections.models import Complaint, Hazard
from anjian.policy.models import QuietException
from anjian.registry.services import enterprise_membership_create
from anjian.steering.models import Notification, OfficeMember, WeeklyReport
from anjian.steering.reminders import reminders_run
from anjian.training.models import Certificate, Person
from tests.conftest import World

from .penalty_helpers import finding, open_case
from .steering_helpers import campaign_for

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
FRIDAY = date(2026, 11, 13)  # week 46's report is due at 17:00
SATURDAY = date(2026, 11, 14)
MONDAY = date(2026, 11, 16)  # week 46 overdue, open until Wednesday the 18th
KINDS = (
    "weekly_report",
    "measure",
    "rectification",
    "case",
    "certificate",
    "quiet_exception",
    "complaint",
)


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def made() -> set[tuple[str, str, str, str]]:
    return {
        (n.kind, n.key, n.user.username, n.url) for n in Notification.objects.select_related("user")
    }


def counts(**given: int) -> dict[str, int]:
    return {kind: given.get(kind, 0) for kind in KINDS}


@pytest.fixture
def campaign(world: World):  # type: ignore[no-untyped-def]
    """Reports from hazchem and coal (coal has no user); the items measure (hazchem supports)
    was due 2026-04-30 and is not done; legal_office is given the office's capability."""
    found = campaign_for(world, 2026)
    OfficeMember.objects.create(campaign=found, user=world.users["legal_office"])
    return found


def _week_url(campaign, code: str) -> str:  # type: ignore[no-untyped-def]
    return reverse("steering:report_week", args=[campaign.pk, code])


def _measure_rows(world: World, campaign) -> set[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    measure = campaign.measures.get(clause="三（二）2")
    key = f"measure-overdue:{measure.pk}:2026-04-30"
    url = reverse("steering:campaign_detail", args=[campaign.pk])
    return {("measure", key, name, url) for name in ("hazchem", "office", "legal_office")}


def test_on_the_due_day_the_section_is_told_to_file(world: World, campaign) -> None:  # type: ignore[no-untyped-def]
    assert reminders_run(FRIDAY, at(FRIDAY)) == counts(weekly_report=1, measure=3)
    hazchem = world.sections["hazchem"].pk
    assert made() == {
        (
            "weekly_report",
            f"weekly-due:{campaign.pk}:{hazchem}:2026-W46",
            "hazchem",
            _week_url(campaign, "2026-W46"),
        ),
        *_measure_rows(world, campaign),
    }
    due = Notification.objects.get(kind="weekly_report")
    assert due.title == "危化股2026年第46周周调度报告今日17:00前报送"
    assert due.due_on == FRIDAY
    # the same day again, and the day after for the due-day reminder: nothing twice
    assert reminders_run(FRIDAY, at(FRIDAY, 11)) == counts()
    assert Notification.objects.count() == 4


def test_after_the_deadline_the_section_and_the_office_are_told_it_is_overdue(
    world: World,
    campaign,  # type: ignore[no-untyped-def]
) -> None:
    reminders_run(FRIDAY, at(FRIDAY))
    assert reminders_run(SATURDAY, at(SATURDAY)) == counts(weekly_report=5)
    key = f"weekly-overdue:{campaign.pk}:{world.sections['hazchem'].pk}:2026-W46"
    coal = f"weekly-overdue:{campaign.pk}:{world.sections['coal'].pk}:2026-W46"
    url = _week_url(campaign, "2026-W46")
    overdue = {n for n in made() if n[1] in (key, coal)}
    assert overdue == {
        *(("weekly_report", key, name, url) for name in ("hazchem", "office", "legal_office")),
        # the coal section has no login: the office still hears of it
        *(("weekly_report", coal, name, url) for name in ("office", "legal_office")),
    }
    note = Notification.objects.get(key=key, user=world.users["office"])
    assert note.title == "危化股第46周周调度报告逾期未报"
    assert note.due_on == date(2026, 11, 18)  # the week closes after three days' grace
    assert reminders_run(MONDAY, at(MONDAY)) == counts()


def test_a_submitted_report_is_not_reminded_and_a_closed_week_no_more(
    world: World,
    campaign,  # type: ignore[no-untyped-def]
) -> None:
    WeeklyReport.objects.create(
        campaign=campaign,
        section=world.sections["hazchem"],
        year=2026,
        week=46,
        status=WeeklyReport.Status.SUBMITTED,
    )
    assert reminders_run(SATURDAY, at(SATURDAY))["weekly_report"] == 2  # coal's, to the office
    coal = f"weekly-overdue:{campaign.pk}:{world.sections['coal'].pk}:2026-W46"
    assert set(Notification.objects.filter(kind="weekly_report").values_list("key", flat=True)) == {
        coal
    }
    thursday = date(2026, 11, 19)  # week 46 closed yesterday; week 47 is due tomorrow
    assert reminders_run(thursday, at(thursday))["weekly_report"] == 0


def _records(world: World) -> dict[str, object]:
    """One of each other deadline on MONDAY: a finding due in two days, a case filed in 2025
    (its 90 days long past), a certificate running out, an exception waiting, a complaint near
    its limit and one past it."""
    hazard = finding(world)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=date(2026, 11, 18))
    case = open_case(world, hazard)
    person = Person.objects.create(
        enterprise=world.enterprises["chem"],
        name="赵电工",
        id_number="11010519491231002X",
        id_last4="002X",
        role="special_operator",
    )
    certificate = Certificate.objects.create(
        person=person,
        kind="special_operation",
        number="T140000001",
        issuer="山西省应急管理厅",
        issued_on=date(2020, 12, 1),
        valid_until=date(2026, 12, 1),
    )
    exception = QuietException.objects.create(
        body=world.county,
        enterprise=world.enterprises["chem"],
        date=date(2026, 12, 3),
        activity="enforcement_inspection",
        reason="举报线索需立即核查",
        requested_by=world.users["hazchem"],
    )
    near, late = (
        Complaint.objects.create(
            enterprise=world.enterprises["chem"],
            kind="repeated",
            happened_on=date(2026, 10, 16),
            description="同一周内两次检查",
            filed_by=world.users["enterprise"],
        )
        for _ in range(2)
    )
    Complaint.objects.filter(pk=near.pk).update(filed_at=at(date(2026, 11, 2)))
    Complaint.objects.filter(pk=late.pk).update(filed_at=at(date(2026, 10, 19)))
    return {
        "task": hazard.task_id,
        "case": case.pk,
        "certificate": certificate.pk,
        "exception": exception.pk,
        "near": near.pk,
        "late": late.pk,
    }


def test_every_other_deadline_reminds_who_must_act_and_links_there(world: World) -> None:
    ids = _records(world)
    task = ids["task"]
    assert reminders_run(MONDAY, at(MONDAY)) == counts(
        rectification=3, case=3, certificate=1, quiet_exception=1, complaint=2
    )
    case_url = reverse("enforcement:case_detail", args=[ids["case"]])
    case_key = f"case:{ids['case']}:DECISION:2025-06-01:overdue"
    assert made() == {
        *(
            ("rectification", f"rectification:{task}:2026-11-18:soon", name, url)
            for name in ("officer0", "officer1")  # the inspection's officers
            for url in [reverse("inspections:task_detail", args=[task])]
        ),
        (
            "rectification",
            f"rectification-portal:{task}:2026-11-18:soon",
            "enterprise",
            reverse("inspections:portal_hazards"),
        ),
        *(("case", case_key, name, case_url) for name in ("hazchem", "officer0", "officer1")),
        (
            "certificate",
            f"certificate:{ids['certificate']}:2026-12-01",
            "enterprise",
            reverse("training:certificate_alerts"),
        ),
        (
            "quiet_exception",
            f"quiet-exception:{ids['exception']}",
            "bureau_head",
            reverse("policy:exception_detail", args=[ids["exception"]]),
        ),
        *(
            (
                "complaint",
                f"complaint:{ids[which]}:{level}",
                "discipline",
                "/inspections/complaints/",
            )
            for which, level in (("near", "soon"), ("late", "overdue"))
        ),
    }
    portal = Notification.objects.get(key__startswith="rectification-portal:")
    assert (portal.title, portal.due_on) == ("1项隐患整改将于2026-11-18到期", date(2026, 11, 18))
    near = Notification.objects.get(key=f"complaint:{ids['near']}:soon")
    assert near.due_on == date(2026, 11, 23)  # 15 working days after 2 November
    assert reminders_run(MONDAY, at(MONDAY)) == counts()  # the second run creates nothing
    entry = AuditEntry.objects.filter(action="steering.reminders.run").get()
    assert entry.changes["case"] == {"before": 0, "after": 3}


def test_a_deadline_that_moves_on_reminds_again(world: World) -> None:
    ids = _records(world)
    reminders_run(MONDAY, at(MONDAY))
    thursday = date(2026, 11, 19)  # the finding is now overdue
    assert reminders_run(thursday, at(thursday))["rectification"] == 3
    assert Notification.objects.filter(
        key=f"rectification-portal:{ids['task']}:2026-11-18:overdue"
    ).exists()


def test_reminders_are_mailed_after_commit_to_users_with_an_address(
    world: World,
    campaign,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    world.users["hazchem"].email = "hazchem@wenshui.example"
    world.users["hazchem"].save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        reminders_run(FRIDAY, at(FRIDAY))
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("hazchem@wenshui.example", "[安监] 危化股2026年第46周周调度报告今日17:00前报送"),
        (
            "hazchem@wenshui.example",
            "[安监] 工作措施“三（二）2 制定涉企行政检查事项清单”已逾期（时限2026-04-30）",
        ),
    ]
    assert all("http://" in m.body and "/campaign/" in m.body for m in mail.outbox)
    mine = Notification.objects.filter(user=world.users["hazchem"])
    assert all(n.emailed_at == at(FRIDAY) for n in mine)
    assert not Notification.objects.filter(emailed_at__isnull=False).exclude(
        user=world.users["hazchem"]
    )


def test_a_run_reads_the_same_number_of_queries_however_many_records(world: World) -> None:
    _records(world)

    def queries() -> int:
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            reminders_run(MONDAY, at(MONDAY))
        return len(captured)

    before = queries()
    for i in range(3):  # more enterprises with users, certificates, complaints, exceptions
        enterprise = world.enterprises["coal"] if i else world.enterprises["chem"]
        person = Person.objects.create(
            enterprise=enterprise, name=f"人员{i}", id_number="", id_last4="", role="worker"
        )
        Certificate.objects.create(
            person=person,
            kind="special_operation",
            number=f"T2{i}",
            issuer="山西省应急管理厅",
            issued_on=date(2020, 1, 1),
            valid_until=date(2026, 11, 20 + i),
        )
        QuietException.objects.create(
            body=world.county,
            enterprise=enterprise,
            date=date(2026, 12, 4),
            activity="enforcement_inspection",
            reason="核查",
            requested_by=world.users["hazchem"],
        )
        filed = Complaint.objects.create(
            enterprise=enterprise,
            kind="other",
            happened_on=date(2026, 10, 1),
            description="投诉",
            filed_by=world.users["enterprise2"],
        )
        Complaint.objects.filter(pk=filed.pk).update(filed_at=at(date(2026, 10, 20)))
    assert queries() == before


def test_the_command_prints_each_kind_and_refuses_a_bad_day(world: World, campaign) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("remind", "--today", "2026-11-13", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:7] == [
        "周调度报告 weekly_report: 1",
        "工作措施 measure: 3",
        "隐患整改 rectification: 0",
        "案件期限 case: 0",
        "证书到期 certificate: 0",
        "安静期例外审批 quiet_exception: 0",
        "投诉办理 complaint: 0",
    ]
    assert lines[7].startswith("2026-11-13 新生成提醒 4 条")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind", "--today", "13/11/2026", stdout=StringIO())


# ---- the notification centre ------------------------------------------------------------


def _note(user, key: str, url: str = "/inspections/", read: bool = False) -> Notification:  # type: ignore[no-untyped-def]
    return Notification.objects.create(
        user=user,
        kind="rectification",
        key=key,
        title=f"提醒{key}",
        action="去处理",
        url=url,
        due_on=date(2026, 11, 20),
        created_at=at(MONDAY),
        read_at=at(MONDAY) if read else None,
    )


def test_the_list_pages_my_reminders_and_filters_the_unread(world: World, login) -> None:  # type: ignore[no-untyped-def]
    me = world.users["hazchem"]
    for i in range(32):
        _note(me, f"k{i}", read=i < 2)
    _note(world.users["office"], "theirs")
    client = login(me)
    page = client.get(reverse("steering:notifications")).content.decode()
    assert page.count('data-testid="notification-row"') == 30
    assert "提醒theirs" not in page
    assert "第 1 / 2 页，共 32 条" in page
    unread = client.get(reverse("steering:notifications"), {"show": "unread"}).content.decode()
    assert unread.count('data-testid="notification-row"') == 30
    assert "提醒k0<" not in unread and "提醒k1<" not in unread


def test_the_bell_shows_my_unread_count_on_every_page(world: World, login) -> None:  # type: ignore[no-untyped-def]
    me = world.users["enterprise"]
    for i in range(3):
        _note(me, f"k{i}", read=i == 0)
    _note(world.users["office"], "theirs")
    page = login(me).get(reverse("core:home")).content.decode()
    assert 'data-testid="bell-count">2</span>' in page
    assert reverse("steering:notifications") + "?show=unread" in page
    Notification.objects.filter(user=me).update(read_at=at(MONDAY))
    page = login(me).get(reverse("core:home")).content.decode()
    assert 'data-testid="bell"' in page and "bell-count" not in page


def test_opening_a_reminder_marks_it_read_and_goes_to_its_page(world: World, login) -> None:  # type: ignore[no-untyped-def]
    me = world.users["hazchem"]
    note = _note(me, "task", url="/inspections/12/")
    client = login(me)
    assert client.get(reverse("steering:notification_open", args=[note.pk])).status_code == 405
    response = client.post(reverse("steering:notification_open", args=[note.pk]))
    assert (response.status_code, response["Location"]) == (302, "/inspections/12/")
    note.refresh_from_db()
    assert note.read_at is not None
    entry = AuditEntry.objects.get(action="steering.notification.read")
    assert (entry.actor_id, entry.target_id) == (me.pk, str(note.pk))
    client.post(reverse("steering:notification_open", args=[note.pk]))  # again: one entry
    assert AuditEntry.objects.filter(action="steering.notification.read").count() == 1


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
)
def test_a_reminder_never_sends_the_user_off_site(world: World, login, url: str) -> None:  # type: ignore[no-untyped-def]
    me = world.users["hazchem"]
    note = _note(me, "odd", url=url)
    response = login(me).post(reverse("steering:notification_open", args=[note.pk]))
    assert response["Location"] == reverse("steering:notifications")
    page = login(me).get(reverse("steering:notifications")).content.decode()
    assert 'data-testid="notification-open"' not in page


def test_mark_one_and_mark_all_read(world: World, login) -> None:  # type: ignore[no-untyped-def]
    me, other = world.users["hazchem"], world.users["office"]
    mine = [_note(me, f"k{i}") for i in range(3)]
    theirs = _note(other, "theirs")
    client = login(me)
    response = client.post(
        reverse("steering:notification_read", args=[mine[0].pk]), {"show": "unread", "page": "1"}
    )
    assert response["Location"] == reverse("steering:notifications") + "?show=unread&page=1"
    assert Notification.objects.filter(user=me, read_at__isnull=True).count() == 2
    response = client.post(reverse("steering:notifications_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    entry = AuditEntry.objects.get(action="steering.notification.read_all")
    assert entry.changes == {"read": {"before": 0, "after": 2}}


def test_another_users_reminder_answers_404_and_stays_unread(world: World, login) -> None:  # type: ignore[no-untyped-def]
    theirs = _note(world.users["office"], "theirs")
    client = login(world.users["hazchem"])
    for name in ("steering:notification_open", "steering:notification_read"):
        assert client.post(reverse(name, args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert not AuditEntry.objects.filter(action__startswith="steering.notification").exists()


def test_an_enterprise_user_has_a_notification_centre_too(world: World, login) -> None:  # type: ignore[no-untyped-def]
    user = world.users["enterprise"]
    _note(user, "mine", url="/inspections/portal/hazards/")
    page = login(user).get(reverse("steering:notifications"))
    assert page.status_code == 200
    assert "提醒mine" in page.content.decode()


def test_enterprise_membership_decides_who_is_reminded(world: World) -> None:
    """A second login of the chemical works gets the certificate reminder too."""
    _records(world)
    second = user_create(
        actor=None,
        username="chem2",
        password="Test@2025x",
        role="enterprise",
        display_name="chem2",
        body=None,
    )
    enterprise_membership_create(actor=None, user=second, enterprise=world.enterprises["chem"])
    reminders_run(MONDAY, at(MONDAY))
    assert Notification.objects.filter(user=second, kind="certificate").count() == 1
