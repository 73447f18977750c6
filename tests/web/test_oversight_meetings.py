"""会商研判: the agenda assembled from each source once, the minutes issued as a numbered 会议纪要
and served as stored, action items reported by their owner and carried to the next meeting,
reminders, escalation to the office, permissions (403 / 404, nothing written) and audit."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from docx import Document

from anjian.audit.models import AuditEntry
from anjian.documents.models import IssuedDocument
from anjian.domain.discretion.consistency import Outlier
from anjian.oversight.meetings import agenda as agenda_sources
from anjian.oversight.meetings.minutes import meeting_minutes_issue
from anjian.oversight.meetings.reminders import action_item_reminders
from anjian.oversight.meetings.services import (
    MeetingError,
    action_item_create,
    action_item_report,
    agenda_assemble,
    agenda_item_escalate,
    agenda_item_minutes,
    meeting_create,
    meeting_hold,
)
from anjian.oversight.models import (
    ActionItem,
    AgendaItem,
    ContactPoint,
    ContactPointList,
    Matter,
    Meeting,
    PointWarning,
)
from anjian.policy.models import QuietException
from anjian.steering.models import Measure, Notification, OfficeMember

from .steering_helpers import campaign_for

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 16)
NOW = datetime.combine(TODAY, time(10), tzinfo=TZ)
HIDDEN = "问题线索 1 件（由派驻纪检监察组掌握）"


def matter(world, kind: str, route: str, subject: str, status: str = "received") -> Matter:  # type: ignore[no-untyped-def]
    return Matter.objects.create(
        body=world.county,
        kind=kind,
        source="hotline",
        route=route,
        subject=subject,
        description=f"{subject}的详细内容",
        received_on=date(2026, 11, 2),
        accept_due=date(2026, 11, 6),
        answer_due=date(2026, 11, 30),
        status=status,
    )


def warnings(world) -> tuple[PointWarning, PointWarning]:  # type: ignore[no-untyped-def]
    points = ContactPointList.objects.create(body=world.county, year=2026)
    point = ContactPoint.objects.create(
        points=points, enterprise=world.enterprises["chem"], liaison=world.users["legal_office"]
    )
    fields = {"point": point, "raised_on": date(2026, 11, 3), "due_on": date(2026, 11, 10)}
    open_one = PointWarning.objects.create(
        rule="two_entries", key="two:1", text="七日内两次入企", **fields
    )
    answered = PointWarning.objects.create(
        rule="quiet_day",
        key="quiet:1",
        text="安静期内入企",
        answer="已核实",
        answered_at=NOW,
        **fields,
    )
    return open_one, answered


def quiet_exception(world, status: str) -> QuietException:  # type: ignore[no-untyped-def]
    return QuietException.objects.create(
        body=world.county,
        section=world.sections["hazchem"],
        enterprise=world.enterprises["chem"],
        date=date(2026, 12, 3),
        activity="enforcement_inspection",
        reason="群众举报，需立即核查",
        requested_by=world.users["hazchem"],
        status=status,
    )


@pytest.fixture
def flagged(monkeypatch, world):  # type: ignore[no-untyped-def]
    """The consistency monitor flags one decided case of the county and one of the other county
    (the monitor itself is tested in the enforcement tests)."""
    outlier = Outlier("1", ("1",), 30000, 10000.0, 5.2, ("far_from_median",))
    cases = [
        SimpleNamespace(
            pk=501, body_id=world.county.pk, number="文水应急罚立〔2026〕5号", title=""
        ),
        SimpleNamespace(pk=502, body_id=world.other_county.pk, number="交城", title=""),
    ]
    group = SimpleNamespace(outliers=[(case, outlier) for case in cases])
    monkeypatch.setattr(agenda_sources, "like_case_groups", lambda user, rule, today: [group])


def new_meeting(world, title: str = "2026年第1次会商研判会议", held_on=date(2026, 11, 10)):  # type: ignore[no-untyped-def]
    return meeting_create(
        actor=world.users["office"],
        body=world.county,
        title=title,
        held_on=held_on,
        place="局三楼会议室",
        chair="局长",
        attendees="领导小组成员",
    )


def held_with_action(world, owner: str = "hazchem", due_on=date(2026, 11, 18)):  # type: ignore[no-untyped-def]
    office = world.users["office"]
    meeting = new_meeting(world)
    item = AgendaItem.objects.create(meeting=meeting, kind="other", title="执法检查计划执行情况")
    agenda_item_minutes(actor=office, item=item, discussion="听取汇报", decision="限期完成核查")
    meeting_hold(actor=office, meeting=meeting, now=NOW)
    action = action_item_create(
        actor=office,
        item=item,
        text="核查危化企业重复检查问题",
        owner=world.users[owner],
        section=None,
        due_on=due_on,
    )
    return meeting, item, action


def test_agenda_assembled_from_each_source_once(world, flagged) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(world)
    overdue = Measure.objects.get(campaign=campaign, clause="三（二）2")
    complaint = matter(world, "complaint", "section", "执法人员多次上门检查")
    clue = matter(world, "clue", "discipline", "执法人员索要财物")
    matter(world, "complaint", "section", "已办结的举报", status="closed")
    open_warning, _answered = warnings(world)
    pending = quiet_exception(world, "pending")
    quiet_exception(world, "approved")
    _first, _item, carried = held_with_action(world)
    meeting = new_meeting(world, "2026年第2次会商研判会议", date(2026, 11, 20))

    added = agenda_assemble(actor=world.users["office"], meeting=meeting, today=TODAY)

    rows = list(AgendaItem.objects.filter(meeting=meeting).values_list("kind", "ref", "title"))
    assert rows == [
        (
            "action",
            f"oversight.ActionItem:{carried.pk}",
            "上次会议议定事项：核查危化企业重复检查问题（2026年第1次会商研判会议，责任人 hazchem，"
            "期限 2026-11-18）",
        ),
        (
            "measure",
            f"steering.Measure:{overdue.pk}",
            "逾期工作措施：三（二）2 制定涉企行政检查事项清单（时限 2026-04-30）",
        ),
        ("matter", f"oversight.Matter:{complaint.pk}", "举报事项：执法人员多次上门检查（待受理）"),
        ("matter", f"oversight.Matter:{clue.pk}", HIDDEN),
        (
            "warning",
            f"oversight.PointWarning:{open_warning.pk}",
            "联系点预警：文水县宏达化工有限公司，七日内两次入企（答复期限 2026-11-10）",
        ),
        (
            "like_case",
            "enforcement.PenaltyCase:501",
            "类案不同罚预警：文水应急罚立〔2026〕5号，单位罚款 3 万元，同类案件中位数 1 万元",
        ),
        (
            "exception",
            f"policy.QuietException:{pending.pk}",
            "安静期例外待审批：文水县宏达化工有限公司，2026-12-03入企",
        ),
    ]
    assert len(added) == 7
    assert [i.order for i in AgendaItem.objects.filter(meeting=meeting)] == [1, 2, 3, 4, 5, 6, 7]
    entry = AuditEntry.objects.filter(action="oversight.meeting.agenda_assemble").latest("pk")
    assert entry.changes["added"] == {
        "action": 1,
        "measure": 1,
        "matter": 2,
        "warning": 1,
        "like_case": 1,
        "exception": 1,
    }

    # idempotent: assembling again adds nothing; a new open record is added alone
    assert agenda_assemble(actor=world.users["office"], meeting=meeting, today=TODAY) == []
    late = matter(world, "complaint", "section", "新的举报")
    again = agenda_assemble(actor=world.users["office"], meeting=meeting, today=TODAY)
    assert [(i.ref, i.order) for i in again] == [(f"oversight.Matter:{late.pk}", 8)]
    assert AgendaItem.objects.filter(meeting=meeting).count() == 8


def test_clue_content_only_for_discipline(world, login) -> None:  # type: ignore[no-untyped-def]
    clue = matter(world, "clue", "discipline", "执法人员索要财物")
    meeting = new_meeting(world)
    agenda_assemble(actor=world.users["office"], meeting=meeting, today=TODAY)
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.title == HIDDEN and item.ref == f"oversight.Matter:{clue.pk}"
    url = reverse("oversight:meeting_detail", args=[meeting.pk])
    seen = login(world.users["discipline"]).get(url).content.decode()
    assert "执法人员索要财物" in seen and HIDDEN in seen
    for role in ("office", "legal_office", "bureau_head"):
        page = login(world.users[role]).get(url).content.decode()
        assert HIDDEN in page and "执法人员索要财物" not in page
        item_page = login(world.users[role]).get(reverse("oversight:agenda_item", args=[item.pk]))
        assert "执法人员索要财物" not in item_page.content.decode()


def test_minutes_issued_numbered_and_served_as_stored(world, login) -> None:  # type: ignore[no-untyped-def]
    meeting, item, _action = held_with_action(world)
    office = world.users["office"]
    document = meeting_minutes_issue(actor=office, meeting=meeting, now=NOW)
    assert document.number == "文水应急纪要〔2026〕1号"
    assert (document.kind, document.title, document.version) == ("meeting_minutes", "会议纪要", 1)
    text = "\n".join(p.text for p in Document(io.BytesIO(bytes(document.content))).paragraphs)
    assert "2026年第1次会商研判会议纪要" in text
    assert "议定意见：限期完成核查" in text
    assert (
        "议定事项：核查危化企业重复检查问题（责任人：危化股，hazchem；完成期限：2026年11月18日）"
        in text
    )

    client = login(world.users["bureau_head"])
    url = reverse("oversight:meeting_minutes_download", args=[meeting.pk, document.pk])
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.content == bytes(document.content)
    assert "attachment" in answer["Content-Disposition"]

    # issuing again needs a reason, then writes version 2 under the same number
    with pytest.raises(MeetingError, match="更正理由"):
        meeting_minutes_issue(actor=office, meeting=meeting, now=NOW)
    agenda_item_minutes(actor=office, item=item, discussion="听取汇报", decision="十日内完成核查")
    corrected = meeting_minutes_issue(actor=office, meeting=meeting, now=NOW, reason="议定意见有误")
    assert (corrected.number, corrected.version) == ("文水应急纪要〔2026〕1号", 2)
    assert corrected.correction_reason == "议定意见有误"
    meeting.refresh_from_db()
    assert meeting.minutes_document_id == corrected.pk
    assert IssuedDocument.objects.filter(number="文水应急纪要〔2026〕1号").count() == 2
    page = client.get(reverse("oversight:meeting_detail", args=[meeting.pk])).content.decode()
    assert page.count("文水应急纪要〔2026〕1号") == 2  # one row per version
    assert "议定意见有误" in page
    assert client.get(url).content == bytes(document.content)  # version 1 still served as is
    issued = AuditEntry.objects.filter(action="oversight.meeting.minutes_issue")
    assert [e.changes["version"] for e in issued.order_by("pk")] == [1, 2]


def test_minutes_refused_before_the_meeting_is_held(world) -> None:  # type: ignore[no-untyped-def]
    meeting = new_meeting(world)
    with pytest.raises(MeetingError, match="尚未召开"):
        meeting_minutes_issue(actor=world.users["office"], meeting=meeting, now=NOW)
    assert not IssuedDocument.objects.filter(kind="meeting_minutes").exists()


def test_owner_reports_and_open_items_carry_over(world, login) -> None:  # type: ignore[no-untyped-def]
    _meeting, item, done = held_with_action(world)
    still_open = action_item_create(
        actor=world.users["office"],
        item=item,
        text="开展回头看",
        owner=world.users["legal_office"],
        section=None,
        due_on=date(2026, 12, 1),
    )
    client = login(world.users["hazchem"])  # a business section: no meeting.view
    mine = client.get(reverse("oversight:my_action_items")).content.decode()
    assert "核查危化企业重复检查问题" in mine and "开展回头看" not in mine
    assert (
        client.get(reverse("oversight:action_item_report", args=[still_open.pk])).status_code == 404
    )
    url = reverse("oversight:action_item_report", args=[done.pk])
    answer = client.post(url, {"done_on": "2026-11-16", "report": "已核查，未发现重复检查"})
    assert answer.status_code == 302
    done.refresh_from_db()
    assert (done.done_on, done.report) == (date(2026, 11, 16), "已核查，未发现重复检查")
    entry = AuditEntry.objects.filter(action="oversight.action_item.report").get()
    assert entry.changes["by_owner"] is True and entry.changes["late"] is False

    following = new_meeting(world, "2026年第2次会商研判会议", date(2026, 12, 10))
    agenda_assemble(actor=world.users["office"], meeting=following, today=date(2026, 12, 10))
    carried = AgendaItem.objects.filter(meeting=following, kind="action")
    assert list(carried.values_list("ref", flat=True)) == [f"oversight.ActionItem:{still_open.pk}"]


def test_action_item_rules(world) -> None:  # type: ignore[no-untyped-def]
    meeting, item, action = held_with_action(world)
    office = world.users["office"]
    with pytest.raises(MeetingError, match="本单位在岗工作人员"):
        action_item_create(
            actor=office,
            item=item,
            text="x",
            owner=world.users["other_office"],
            section=None,
            due_on=date(2026, 12, 1),
        )
    with pytest.raises(MeetingError, match="只有责任人或办公室"):
        action_item_report(
            actor=world.users["legal_office"],
            action=action,
            done_on=TODAY,
            report="完成",
            today=TODAY,
        )
    with pytest.raises(MeetingError, match="不能晚于今天"):
        action_item_report(
            actor=office, action=action, done_on=date(2026, 11, 17), report="完成", today=TODAY
        )
    assert ActionItem.objects.filter(meeting=meeting).count() == 1
    assert ActionItem.objects.get(pk=action.pk).done_on is None


def test_reminders_due_and_overdue_once(world) -> None:  # type: ignore[no-untyped-def]
    _meeting, item, soon = held_with_action(world, due_on=date(2026, 11, 18))
    late = action_item_create(
        actor=world.users["office"],
        item=item,
        text="整改联系点反映问题",
        owner=world.users["legal_office"],
        section=None,
        due_on=date(2026, 11, 12),
    )
    action_item_create(
        actor=world.users["office"],
        item=item,
        text="远期事项",
        owner=world.users["legal_office"],
        section=None,
        due_on=date(2026, 11, 30),
    )
    assert action_item_reminders(TODAY, NOW) == 2
    assert action_item_reminders(TODAY, NOW) == 0
    keys = set(Notification.objects.filter(kind="action_item").values_list("user__username", "key"))
    assert keys == {
        ("hazchem", f"action_item:{soon.pk}:due"),
        ("legal_office", f"action_item:{late.pk}:overdue"),
    }
    # the item that was due soon reminds once more when it is overdue
    assert action_item_reminders(date(2026, 11, 19), NOW) == 1


def test_escalation_notifies_office_users_and_members(world) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(world)
    OfficeMember.objects.create(campaign=campaign, user=world.users["legal_office"])
    meeting = new_meeting(world)
    item = AgendaItem.objects.create(meeting=meeting, kind="other", title="重大问题")
    agenda_item_escalate(actor=world.users["office"], item=item, note="涉嫌违纪", now=NOW)
    item.refresh_from_db()
    assert (item.escalated, item.escalation_note) == (True, "涉嫌违纪")
    notified = Notification.objects.filter(
        kind="meeting_escalation", key=f"meeting_escalation:{item.pk}"
    )
    assert sorted(notified.values_list("user__username", flat=True)) == ["legal_office", "office"]
    with pytest.raises(MeetingError, match="已报"):
        agenda_item_escalate(actor=world.users["office"], item=item, note="again", now=NOW)
    assert AuditEntry.objects.filter(action="oversight.agenda_item.escalate").count() == 1


def test_permissions(world, login) -> None:  # type: ignore[no-untyped-def]
    meeting = new_meeting(world)
    matter(world, "complaint", "section", "举报")
    detail = reverse("oversight:meeting_detail", args=[meeting.pk])
    assemble = reverse("oversight:meeting_assemble", args=[meeting.pk])
    # a business section has no meeting.view
    hazchem = login(world.users["hazchem"])
    assert hazchem.get(reverse("oversight:meeting_list")).status_code == 403
    assert hazchem.get(detail).status_code == 403
    assert hazchem.post(assemble).status_code == 403
    # readers who may not manage
    for role in ("bureau_head", "discipline", "legal_office"):
        client = login(world.users[role])
        assert client.get(detail).status_code == 200
        assert client.post(assemble).status_code == 403
        assert client.post(reverse("oversight:meeting_create"), {}).status_code == 403
    # another county's office: 404
    other = login(world.users["other_office"])
    assert other.get(detail).status_code == 404
    assert other.post(assemble).status_code == 404
    assert not AgendaItem.objects.exists()
    # the county's office assembles through the page
    office = login(world.users["office"])
    assert office.post(assemble).status_code == 302
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1
    assert office.get(reverse("oversight:meeting_list")).status_code == 200


def test_office_creates_holds_and_records_through_pages(world, login) -> None:  # type: ignore[no-untyped-def]
    office = login(world.users["office"])
    answer = office.post(
        reverse("oversight:meeting_create"),
        {"title": "2026年第3次会商研判会议", "held_on": "2026-11-16", "place": "会议室"},
    )
    meeting = Meeting.objects.get(title="2026年第3次会商研判会议")
    assert answer.status_code == 302 and meeting.body_id == world.county.pk
    item = AgendaItem.objects.create(meeting=meeting, kind="other", title="其他事项")
    item_url = reverse("oversight:agenda_item", args=[item.pk])
    office.post(item_url, {"discussion": "讨论", "decision": "同意"})
    office.post(reverse("oversight:meeting_hold", args=[meeting.pk]))
    office.post(
        reverse("oversight:action_item_create", args=[item.pk]),
        {
            "text": "落实",
            "owner": world.users["hazchem"].pk,
            "section": world.sections["hazchem"].pk,
            "due_on": "2026-11-30",
        },
    )
    office.post(reverse("oversight:meeting_minutes_issue", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert meeting.minutes_document is not None
    assert meeting.minutes_document.number == "文水应急纪要〔2026〕1号"
    assert ActionItem.objects.get(meeting=meeting).owner == world.users["hazchem"]
    actions = [
        "oversight.meeting.create",
        "oversight.agenda_item.minutes",
        "oversight.meeting.hold",
        "oversight.action_item.create",
        "document.issue",
        "oversight.meeting.minutes_issue",
    ]
    recorded = list(
        AuditEntry.objects.filter(action__in=actions)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert recorded == actions
