"""The meeting's minutes (会议纪要) as a Word 公文, numbered in the register of issued documents
(文水应急纪要〔2026〕1号) when the office issues them; issuing again, with a reason, writes a
corrected version under the same number. Served as stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.documents.models import IssuedDocument
from anjian.documents.services import document_correct, document_issue
from anjian.oversight.meetings.access import require_manage
from anjian.oversight.meetings.services import MeetingError
from anjian.oversight.models import ActionItem, AgendaItem, Meeting
from anjian.ui.gongwen import OfficialDocument, official_document_docx

KIND = "meeting_minutes"
CN_NUMBERS = "一二三四五六七八九十"


def cn(n: int) -> str:
    return CN_NUMBERS[n - 1] if 1 <= n <= len(CN_NUMBERS) else str(n)


@dataclass(frozen=True)
class MinutesItem:
    title: str
    discussion: str
    decision: str
    actions: tuple[str, ...]
    escalated: bool


@dataclass(frozen=True)
class MinutesData:
    body: str
    title: str
    held_on: date
    place: str
    chair: str
    attendees: str
    items: tuple[MinutesItem, ...]
    issued_on: date


def _item_paragraphs(n: int, item: MinutesItem) -> list[str]:
    lines = [f"{cn(n)}、{item.title}"]
    if item.discussion:
        lines.append(f"研究情况：{item.discussion}")
    lines.append(f"议定意见：{item.decision or '会议听取了情况汇报，未形成新的议定意见。'}")
    lines.extend(item.actions)
    if item.escalated:
        lines.append("会议认为该问题属重大问题，已报局领导小组办公室。")
    return lines


def minutes_paragraphs(data: MinutesData) -> list[str]:
    where = f"在{data.place}" if data.place else ""
    chair = f"{data.chair}主持召开" if data.chair else "召开"
    opening = f"{data.held_on.year}年{data.held_on.month}月{data.held_on.day}日，{where}{chair}"
    opening += f"{data.title}"
    opening += f"，{data.attendees}参加。" if data.attendees else "。"
    lines = [opening + f"会议研究了以下{len(data.items)}项议题，纪要如下："]
    for n, item in enumerate(data.items, start=1):
        lines.extend(_item_paragraphs(n, item))
    return lines


def minutes_docx(data: MinutesData, number: str) -> bytes:
    return official_document_docx(
        OfficialDocument(
            issuing_body=data.body,
            document_number=number,
            title=f"{data.title}纪要",
            recipient="局领导小组成员，局机关各股室、执法队",
            paragraphs=minutes_paragraphs(data),
            issued_on=data.issued_on,
            copy_to="派驻纪检监察组",
        )
    )


def _action_line(action: ActionItem) -> str:
    owner = action.owner.display_name or action.owner.username
    section = f"{action.section.name}，" if action.section else ""
    due = f"{action.due_on.year}年{action.due_on.month}月{action.due_on.day}日"
    return f"议定事项：{action.text}（责任人：{section}{owner}；完成期限：{due}）"


def minutes_data(meeting: Meeting, issued_on: date) -> MinutesData:
    items: Sequence[AgendaItem] = list(
        AgendaItem.objects.filter(meeting=meeting).order_by("order", "pk")
    )
    actions: dict[int, list[str]] = {}
    for action in (
        ActionItem.objects.filter(meeting=meeting)
        .select_related("owner", "section")
        .order_by("due_on", "pk")
    ):
        actions.setdefault(action.agenda_item_id or 0, []).append(_action_line(action))
    return MinutesData(
        body=meeting.body.name,
        title=meeting.title,
        held_on=meeting.held_on,
        place=meeting.place,
        chair=meeting.chair,
        attendees=meeting.attendees,
        items=tuple(
            MinutesItem(
                title=item.title,
                discussion=item.discussion,
                decision=item.decision,
                actions=tuple(actions.get(item.pk, ())),
                escalated=item.escalated,
            )
            for item in items
        ),
        issued_on=issued_on,
    )


def _document(actor: User, meeting: Meeting, data: MinutesData, reason: str) -> IssuedDocument:
    if meeting.minutes_document is None:
        return document_issue(
            actor=actor,
            body=meeting.body,
            kind=KIND,
            subject=meeting,
            on=data.issued_on,
            render=lambda stamp: minutes_docx(data, stamp.number),
        )
    return document_correct(
        actor=actor,
        document=meeting.minutes_document,
        reason=reason,
        render=lambda stamp: minutes_docx(replace(data, issued_on=stamp.issued_on), stamp.number),
    )


def meeting_minutes_issue(
    *, actor: User, meeting: Meeting, now: datetime, reason: str = ""
) -> IssuedDocument:
    """The office issues the minutes of a held meeting (numbered 纪要); issuing again needs a
    reason and writes a corrected version under the same number."""
    require_manage(actor, meeting)
    reason = reason.strip()
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
        if locked.status != Meeting.Status.HELD:
            raise MeetingError("会议尚未召开，不能印发会议纪要")
        if locked.minutes_document is not None and not reason:
            raise MeetingError("会议纪要已印发；再次印发请填写更正理由")
        data = minutes_data(locked, timezone.localtime(now).date())
        document = _document(actor, locked, data, reason)
        locked.minutes_document = document
        locked.save(update_fields=["minutes_document"])
        audit_record(
            actor=actor,
            action="oversight.meeting.minutes_issue",
            target=locked,
            changes={
                "number": document.number,
                "version": document.version,
                "reason": reason,
                "items": len(data.items),
            },
        )
    meeting.minutes_document = document
    return document
