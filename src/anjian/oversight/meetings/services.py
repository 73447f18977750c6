"""Writes of the leadership group's meetings (会商研判): create, assemble the agenda, record the
minutes of each item, hold, escalate a major problem to the office, and the action items the
decisions become. Each write checks the actor, runs in one transaction and is audited."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse

from anjian.accounts.models import EnforcementBody, Section, User
from anjian.accounts.roles import Role
from anjian.audit.services import audit_record
from anjian.oversight.meetings.access import body_staff, may_report, require_manage
from anjian.oversight.meetings.agenda import open_entries
from anjian.oversight.models import ActionItem, AgendaItem, Meeting
from anjian.steering.models import OfficeMember
from anjian.steering.services.notify import Reminder, notify

TEXT_LIMIT = 4000


class MeetingError(ValueError):
    """A write refused for a reason the user can fix; nothing was written."""


def _text(value: str, label: str, *, required: bool = True, limit: int = TEXT_LIMIT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise MeetingError(f"请填写{label}")
    if len(value) > limit:
        raise MeetingError(f"{label}不能超过 {limit} 个字")
    return value


def meeting_create(
    *,
    actor: User,
    body: EnforcementBody,
    title: str,
    held_on: date,
    place: str = "",
    chair: str = "",
    attendees: str = "",
) -> Meeting:
    meeting = Meeting(
        body=body,
        title=_text(title, "会议名称", limit=120),
        held_on=held_on,
        place=_text(place, "地点", required=False, limit=100),
        chair=_text(chair, "主持人", required=False, limit=30),
        attendees=_text(attendees, "参会人员", required=False),
        created_by=actor,
    )
    require_manage(actor, meeting)
    with transaction.atomic():
        meeting.save()
        audit_record(
            actor=actor,
            action="oversight.meeting.create",
            target=meeting,
            changes={"title": meeting.title, "held_on": held_on.isoformat()},
        )
    return meeting


def agenda_assemble(*, actor: User, meeting: Meeting, today: date) -> list[AgendaItem]:
    """Adds one item per open record not yet on the agenda; returns the items added."""
    require_manage(actor, meeting)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == Meeting.Status.HELD:
            raise MeetingError("会议已召开，不能再汇集议题")
        have = set(AgendaItem.objects.filter(meeting=meeting).values_list("ref", flat=True))
        order = AgendaItem.objects.filter(meeting=meeting).aggregate(top=Max("order"))["top"] or 0
        added = []
        for kind, ref, title in open_entries(actor, meeting, today):
            if ref in have:
                continue
            have.add(ref)
            order += 1
            added.append(AgendaItem(meeting=meeting, kind=kind, ref=ref, title=title, order=order))
        AgendaItem.objects.bulk_create(added)
        counts: dict[str, int] = {}
        for item in added:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        audit_record(
            actor=actor,
            action="oversight.meeting.agenda_assemble",
            target=meeting,
            changes={"added": counts, "refs": [item.ref for item in added]},
        )
    return added


def agenda_item_minutes(
    *, actor: User, item: AgendaItem, discussion: str, decision: str
) -> AgendaItem:
    """The item's discussion and decision, as the minutes record them. A change after the
    minutes were issued shows in the register once the office issues a corrected version."""
    require_manage(actor, item.meeting)
    discussion = _text(discussion, "研究情况", required=False)
    decision = _text(decision, "议定意见", required=False)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
        before = {"discussion": item.discussion, "decision": item.decision}
        item.discussion, item.decision = discussion, decision
        item.save(update_fields=["discussion", "decision"])
        audit_record(
            actor=actor,
            action="oversight.agenda_item.minutes",
            target=item,
            changes={
                "meeting": meeting.pk,
                "discussion": {"before": before["discussion"], "after": discussion},
                "decision": {"before": before["decision"], "after": decision},
            },
        )
    return item


def meeting_hold(*, actor: User, meeting: Meeting, now: datetime) -> Meeting:
    require_manage(actor, meeting)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status == Meeting.Status.HELD:
            raise MeetingError("会议已标记为已召开")
        if not AgendaItem.objects.filter(meeting=meeting).exists():
            raise MeetingError("会议尚无议题，请先汇集议题")
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="oversight.meeting.hold",
            target=meeting,
            changes={"status": {"before": "planned", "after": "held"}, "at": now.isoformat()},
        )
    return meeting


def office_recipients(meeting: Meeting) -> list[User]:
    """The body's office users and the office members of the body's campaigns."""
    members = OfficeMember.objects.filter(campaign__body_id=meeting.body_id).values("user_id")
    office = Q(body_id=meeting.body_id, role=Role.OFFICE) | Q(pk__in=members)
    return list(User.objects.filter(office, is_active=True).order_by("pk"))


def agenda_item_escalate(*, actor: User, item: AgendaItem, note: str, now: datetime) -> AgendaItem:
    """A major problem reported to the leadership group's office: recorded on the item, and a
    reminder to each office user and office member of the body."""
    require_manage(actor, item.meeting)
    note = _text(note, "报送说明")
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if locked.escalated:
            raise MeetingError("该议题已报领导小组办公室")
        item.escalated, item.escalation_note = True, note
        item.save(update_fields=["escalated", "escalation_note"])
        recipients = office_recipients(item.meeting)
        reminder = Reminder(
            kind="meeting_escalation",
            key=f"meeting_escalation:{item.pk}",
            title=f"会商研判报送重大问题：{item.title}"[:200],
            action=note[:200],
            url=reverse("oversight:meeting_detail", args=[item.meeting_id]),
        )
        notified = notify(users=recipients, reminder=reminder, now=now)
        audit_record(
            actor=actor,
            action="oversight.agenda_item.escalate",
            target=item,
            changes={"note": note, "notified": [u.username for u in recipients], "new": notified},
        )
    return item


def action_item_create(
    *,
    actor: User,
    item: AgendaItem,
    text: str,
    owner: User,
    section: Section | None,
    due_on: date,
) -> ActionItem:
    """A decision of the item turned into work with an owner (a staff user of the body)."""
    meeting = item.meeting
    require_manage(actor, meeting)
    text = _text(text, "议定事项")
    if not item.decision.strip():
        raise MeetingError("请先记录该议题的议定意见")
    if not body_staff(meeting).filter(pk=owner.pk).exists():
        raise MeetingError("责任人须为本单位在岗工作人员")
    if section is not None and section.body_id != meeting.body_id:
        raise MeetingError("责任股室须为本单位股室")
    if due_on < meeting.held_on:
        raise MeetingError("完成期限不能早于会议日期")
    with transaction.atomic():
        action = ActionItem.objects.create(
            meeting=meeting,
            agenda_item=item,
            text=text,
            owner=owner,
            section=section or owner.section,
            due_on=due_on,
        )
        audit_record(
            actor=actor,
            action="oversight.action_item.create",
            target=action,
            changes={
                "meeting": meeting.pk,
                "owner": owner.username,
                "section": action.section.name if action.section else "",
                "due_on": due_on.isoformat(),
            },
        )
    return action


def action_item_report(
    *, actor: User, action: ActionItem, done_on: date, report: str, today: date
) -> ActionItem:
    """The owner (or the office) reports the item done: the day and what was done."""
    if not may_report(actor, action):
        raise MeetingError("只有责任人或办公室可以报告落实情况")
    report = _text(report, "落实情况")
    if done_on > today:
        raise MeetingError("完成日期不能晚于今天")
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update().get(pk=action.pk)
        if locked.done_on is not None:
            raise MeetingError("该事项已报告完成")
        action.done_on, action.report = done_on, report
        action.save(update_fields=["done_on", "report"])
        audit_record(
            actor=actor,
            action="oversight.action_item.report",
            target=action,
            changes={
                "done_on": done_on.isoformat(),
                "report": report,
                "late": done_on > action.due_on,
                "by_owner": actor.pk == action.owner_id,
            },
        )
    return action


__all__ = [
    "MeetingError",
    "action_item_create",
    "action_item_report",
    "agenda_assemble",
    "agenda_item_escalate",
    "agenda_item_minutes",
    "meeting_create",
    "meeting_hold",
]
