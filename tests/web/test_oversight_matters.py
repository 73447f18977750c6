"""The register of complaints and clues: collecting each source once with its route, entering a
matter (anonymous too), handling it to closure, the scope of clues, the clock on the list, the
statistics and the reminders."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.models import Section
from anjian.audit.models import AuditEntry
from anjian.inspections.models import Complaint, InspectionRating, InspectionTask
from anjian.oversight.matters.collect import matters_collect
from anjian.oversight.matters.selectors import stats
from anjian.oversight.models import ContactPoint, ContactPointList, Matter, PointReport
from anjian.steering.models import Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def task(world, key: str = "chem") -> InspectionTask:  # type: ignore[no-untyped-def]
    enterprise = world.enterprises[key]
    return InspectionTask.objects.create(
        body=enterprise.supervising_body,
        section=world.sections["hazchem"],
        enterprise=enterprise,
        date=date(2026, 11, 2),
        activity="enforcement_inspection",
        mode="on_site",
        source="complaint",
        status="done",
        requested_by=world.users["hazchem"],
    )


def complaint(world, kind: str, key: str = "chem", with_task: bool = True) -> Complaint:  # type: ignore[no-untyped-def]
    user = world.users["enterprise" if key == "chem" else "enterprise2"]
    return Complaint.objects.create(
        enterprise=world.enterprises[key],
        task=task(world, key) if with_task else None,
        kind=kind,
        happened_on=date(2026, 11, 2),
        description="检查人员态度粗暴",
        contact="13800000000",
        filed_by=user,
    )


def point_report(world, kind: str) -> PointReport:  # type: ignore[no-untyped-def]
    points, _ = ContactPointList.objects.get_or_create(body=world.county, year=2026)
    point, _ = ContactPoint.objects.get_or_create(
        points=points, enterprise=world.enterprises["chem"], liaison=world.users["legal_office"]
    )
    return PointReport.objects.create(
        point=point,
        kind=kind,
        description="一周内两次入企",
        submitted_by=world.users["enterprise"],
        submitted_at=timezone.now(),
    )


def matter(world, **fields) -> Matter:  # type: ignore[no-untyped-def]
    base = {
        "body": world.county,
        "kind": "complaint",
        "source": "hotline",
        "route": "section",
        "section": world.sections["hazchem"],
        "subject": "热线反映重复检查",
        "description": "同一周内两次检查",
        "complainant": "张三",
        "complainant_contact": "13900000000",
        "received_on": date(2026, 11, 2),
        "accept_due": date(2026, 11, 9),
        "answer_due": date(2026, 11, 30),
    }
    base.update(fields)
    return Matter.objects.create(**base)


def collect(day: date = date(2026, 11, 16)) -> dict[str, int]:
    return matters_collect(today=day, now=datetime(2026, 11, 16, 9, 30, tzinfo=TZ))


# --- collecting ---------------------------------------------------------------------------------


def test_each_source_is_collected_once_with_its_route(world) -> None:  # type: ignore[no-untyped-def]
    legal = Section.objects.create(body=world.county, name="法制股", kind="legal")
    gifts = complaint(world, "gifts")
    repeated = complaint(world, "repeated")
    quiet = complaint(world, "quiet_day", key="coal", with_task=False)
    low = InspectionRating.objects.create(
        task=task(world), score=2, showed_code=True, disturbed_production=True
    )
    InspectionRating.objects.create(
        task=task(world), score=3, showed_code=True, disturbed_production=False
    )
    demand = point_report(world, "demand")
    repeated_report = point_report(world, "repeated")

    counts = collect()
    assert {k: v for k, v in counts.items() if k != "reminders"} == {
        "portal": 3,
        "rating": 1,
        "contact_point": 2,
    }
    assert Matter.objects.count() == 6
    again = collect()
    assert {k: v for k, v in again.items() if k != "reminders"} == {
        "portal": 0,
        "rating": 0,
        "contact_point": 0,
    }
    assert Matter.objects.count() == 6

    def route(**link) -> tuple[str, str, int | None, bool]:  # type: ignore[no-untyped-def]
        m = Matter.objects.get(**link)
        return (m.kind, m.route, m.section_id, m.anonymous)

    assert route(complaint=gifts) == ("clue", "discipline", None, False)
    assert route(complaint=repeated) == (
        "complaint",
        "section",
        world.sections["hazchem"].pk,
        False,
    )
    assert route(complaint=quiet) == ("complaint", "section", world.sections["coal"].pk, False)
    assert route(rating=low) == ("complaint", "section", None, True)
    assert route(point_report=demand) == ("clue", "discipline", None, False)
    assert route(point_report=repeated_report) == ("complaint", "section", legal.pk, False)
    portal = Matter.objects.get(complaint=gifts)
    assert (portal.complainant, portal.complainant_contact) == ("enterprise", "13800000000")
    assert portal.received_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="matter.collect").count() == 1


def test_the_command_collects(world, capsys) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    complaint(world, "other")
    call_command("collect_matters", "--today", "2026-11-16")
    assert "登记 1 件" in capsys.readouterr().out
    assert Matter.objects.filter(source="portal").count() == 1


# --- entering and handling ----------------------------------------------------------------------


def register_data(world, **extra) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {
        "body": str(world.county.pk),
        "kind": "complaint",
        "source": "hotline",
        "route": "section",
        "section": str(world.sections["hazchem"].pk),
        "enterprise": world.enterprises["chem"].uscc,
        "subject": "12345 热线反映",
        "description": "反映检查人员多次入企",
        "complainant": "李四",
        "complainant_contact": "13700000000",
        "received_on": "2026-11-16",
    }
    data.update(extra)
    return data


def test_anonymous_matter_keeps_no_complainant(world, client, login) -> None:  # type: ignore[no-untyped-def]
    login(world.users["office"])
    response = client.post(reverse("oversight:matter_new"), register_data(world, anonymous="on"))
    found = Matter.objects.get()
    assert response.status_code == 302
    assert (found.anonymous, found.complainant, found.complainant_contact) == (True, "", "")
    assert (found.accept_due, found.created_by) == (date(2026, 11, 23), world.users["office"])
    assert found.enterprise == world.enterprises["chem"]
    assert AuditEntry.objects.filter(action="matter.register").count() == 1
    page = client.get(reverse("oversight:matter_detail", args=[found.pk])).content.decode()
    assert "匿名" in page


def test_section_route_needs_a_section(world, client, login) -> None:  # type: ignore[no-untyped-def]
    login(world.users["office"])
    response = client.post(reverse("oversight:matter_new"), register_data(world, section=""))
    assert "请选择责任股室" in response.content.decode()
    assert not Matter.objects.exists()


def test_a_matter_is_handled_to_closure(world, client, login) -> None:  # type: ignore[no-untyped-def]
    m = matter(world)
    login(world.users["hazchem"])

    def step(action: str, **data: str):  # type: ignore[no-untyped-def]
        return client.post(reverse(f"oversight:matter_{action}", args=[m.pk]), data)

    step("accept")
    m.refresh_from_db()
    assert (m.status, m.accepted_on, m.owner) == (
        "accepted",
        date(2026, 11, 16),
        world.users["hazchem"],
    )
    assert m.answer_due == date(2026, 12, 7)
    step("answer", outcome="属实，已约谈", reply="已核查并整改")
    step("close", satisfaction="satisfied")
    m.refresh_from_db()
    assert (m.status, m.replied_on, m.closed_on, m.satisfaction) == (
        "closed",
        date(2026, 11, 16),
        date(2026, 11, 16),
        "satisfied",
    )
    actions = list(
        AuditEntry.objects.filter(action__startswith="matter.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["matter.accept", "matter.answer", "matter.close"]


def test_closing_without_reply_or_ground_is_refused_and_writes_nothing(
    world, client, login
) -> None:  # type: ignore[no-untyped-def]
    m = matter(world, status="accepted", accepted_on=date(2026, 11, 3))
    login(world.users["hazchem"])
    audits = AuditEntry.objects.count()
    response = client.post(
        reverse("oversight:matter_close", args=[m.pk]), {"satisfaction": ""}, follow=True
    )
    assert "办结前须填写答复内容，或记录不予答复的依据" in response.content.decode()
    m.refresh_from_db()
    assert (m.status, m.closed_on, m.closing_ground) == ("accepted", None, "")
    assert AuditEntry.objects.count() == audits
    client.post(reverse("oversight:matter_close", args=[m.pk]), {"ground": "匿名且无联系方式"})
    m.refresh_from_db()
    assert (m.status, m.closing_ground) == ("closed", "匿名且无联系方式")


def test_a_wrong_step_is_refused(world, client, login) -> None:  # type: ignore[no-untyped-def]
    m = matter(world)
    login(world.users["hazchem"])
    audits = AuditEntry.objects.count()
    response = client.post(
        reverse("oversight:matter_answer", args=[m.pk]),
        {"outcome": "x", "reply": "y"},
        follow=True,
    )
    assert "只有办理中的事项可以答复" in response.content.decode()
    m.refresh_from_db()
    assert (m.status, m.reply) == ("received", "")
    assert AuditEntry.objects.count() == audits


def test_another_section_cannot_handle(world, client, login) -> None:  # type: ignore[no-untyped-def]
    m = matter(world, section=world.sections["coal"])
    login(world.users["hazchem"])
    assert client.post(reverse("oversight:matter_accept", args=[m.pk])).status_code == 404
    login(world.users["bureau_head"])
    assert client.post(reverse("oversight:matter_accept", args=[m.pk])).status_code == 403
    m.refresh_from_db()
    assert m.status == "received"


# --- scope --------------------------------------------------------------------------------------


def test_a_clue_is_seen_by_the_discipline_group_alone(world, client, login) -> None:  # type: ignore[no-untyped-def]
    clue = matter(world, kind="clue", route="discipline", section=None, subject="索要财物线索")
    for name in ("bureau_head", "office", "legal_office", "hazchem", "enforcement_team"):
        login(world.users[name])
        assert client.get(reverse("oversight:matter_detail", args=[clue.pk])).status_code == 404
        assert "索要财物线索" not in client.get(reverse("oversight:matter_list")).content.decode()
    login(world.users["enterprise"])
    assert client.get(reverse("oversight:matter_detail", args=[clue.pk])).status_code == 403
    login(world.users["discipline"])
    page = client.get(reverse("oversight:matter_detail", args=[clue.pk])).content.decode()
    assert "索要财物线索" in page and "张三" in page
    client.post(reverse("oversight:matter_accept", args=[clue.pk]))
    clue.refresh_from_db()
    assert (clue.status, clue.owner) == ("accepted", world.users["discipline"])


def test_section_sees_its_own_matters_and_the_named_complainant(world, client, login) -> None:  # type: ignore[no-untyped-def]
    own = matter(world, subject="危化股事项")
    matter(world, section=world.sections["coal"], subject="煤矿股事项")
    login(world.users["hazchem"])
    listing = client.get(reverse("oversight:matter_list")).content.decode()
    assert "危化股事项" in listing and "煤矿股事项" not in listing
    page = client.get(reverse("oversight:matter_detail", args=[own.pk])).content.decode()
    assert "张三" in page and "13900000000" in page
    login(world.users["bureau_head"])
    listing = client.get(reverse("oversight:matter_list")).content.decode()
    assert "危化股事项" in listing and "煤矿股事项" in listing
    login(world.users["other_office"])
    assert client.get(reverse("oversight:matter_detail", args=[own.pk])).status_code == 404


# --- list, clock, statistics --------------------------------------------------------------------


def test_the_clock_turns_red_after_the_limit(world, client, login) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()  # the test clock: Monday 16 November 2026
    matter(
        world,
        subject="已超期",
        received_on=today - timedelta(days=14),
        accept_due=today - timedelta(days=1),
    )
    matter(
        world,
        subject="临近期限",
        received_on=today - timedelta(days=3),
        accept_due=today + timedelta(days=1),
    )
    matter(world, subject="正常", received_on=today, accept_due=today + timedelta(days=7))
    login(world.users["hazchem"])
    url = reverse("oversight:matter_list")
    page = client.get(url).content.decode()
    assert page.count('data-colour="red"') == 1 and page.count('data-colour="amber"') == 1
    for colour, subject in (("red", "已超期"), ("amber", "临近期限"), ("green", "正常")):
        shown = client.get(url, {"clock": colour}).content.decode()
        assert shown.count('data-testid="matter-row"') == 1 and subject in shown


def test_list_filters(world, client, login) -> None:  # type: ignore[no-untyped-def]
    matter(world, subject="热线件")
    matter(world, subject="来信件", source="letter", section=world.sections["coal"])
    login(world.users["office"])
    url = reverse("oversight:matter_list")
    shown = client.get(url, {"source": "letter"}).content.decode()
    assert "来信件" in shown and "热线件" not in shown
    shown = client.get(url, {"section": world.sections["hazchem"].pk}).content.decode()
    assert "热线件" in shown and "来信件" not in shown
    assert client.get(url, {"section": "x' or 1=1", "clock": "purple"}).status_code == 200


def test_list_query_count_is_fixed(world, client, login) -> None:  # type: ignore[no-untyped-def]
    login(world.users["office"])
    url = reverse("oversight:matter_list")
    matter(world, owner=world.users["hazchem"], enterprise=world.enterprises["chem"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(8):
        matter(
            world,
            owner=world.users["office"],
            enterprise=world.enterprises["coal"],
            subject=f"第{n}件",
            section=world.sections["coal"],
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).content.decode().count('data-testid="matter-row"') == 9
    assert len(many) == len(few)


def test_statistics_per_section_and_month(world, client, login) -> None:  # type: ignore[no-untyped-def]
    hazchem, coal = world.sections["hazchem"], world.sections["coal"]
    matter(world, status="closed", replied_on=date(2026, 11, 20), closed_on=date(2026, 11, 22))
    matter(world, status="closed", replied_on=date(2026, 12, 2), closed_on=date(2026, 12, 2))
    matter(world)
    matter(
        world,
        section=coal,
        received_on=date(2026, 10, 12),
        status="closed",
        closed_on=date(2026, 10, 15),
        closing_ground="匿名",
        answer_due=date(2026, 11, 2),
    )
    matter(world, route="discipline", section=None, kind="clue")
    login(world.users["office"])
    rows = [
        (
            f"{r.month:%Y-%m}",
            r.section,
            r.received,
            r.closed,
            r.on_time,
            r.on_time_rate,
            r.average_days,
        )
        for r in stats(Matter.objects.filter(route="section"))
    ]
    assert rows == [
        ("2026-11", hazchem.name, 3, 2, 1, 50.0, 25.0),
        ("2026-10", coal.name, 1, 1, 1, 100.0, 3.0),
    ]
    page = client.get(reverse("oversight:matter_stats")).content.decode()
    assert "50.0%" in page and "派驻纪检监察组办理" not in page
    sheet = client.get(reverse("oversight:matter_stats"), {"format": "xlsx"})
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    login(world.users["discipline"])
    assert "派驻纪检监察组办理" in client.get(reverse("oversight:matter_stats")).content.decode()


# --- reminders ----------------------------------------------------------------------------------


def test_amber_and_red_matters_remind_their_handlers_once(world) -> None:  # type: ignore[no-untyped-def]
    amber = matter(world, received_on=date(2026, 11, 10), accept_due=date(2026, 11, 17))
    red = matter(
        world, kind="clue", route="discipline", section=None, accept_due=date(2026, 11, 13)
    )
    matter(world, received_on=date(2026, 11, 16), accept_due=date(2026, 11, 23))
    assert collect()["reminders"] == 2
    keys = set(Notification.objects.values_list("user__username", "key"))
    assert keys == {
        ("hazchem", f"matter:{amber.pk}:accept:amber"),
        ("discipline", f"matter:{red.pk}:accept:red"),
    }
    assert collect()["reminders"] == 0
