"""Who sees and does what in the leadership group's meetings (会商研判).

The head, the office, the legal office and the discipline group read the meetings of their
bodies (`meeting.view`); the office runs them (`meeting.manage`). An action item's owner — any
staff user of the body, a business section included — reads and reports on the items given to
them, without seeing the rest of the meeting. A meeting of a body outside the user's scope
answers 404.

The clue rule: an open matter routed to the discipline group alone is put on the agenda as
"问题线索 1 件（由派驻纪检监察组掌握）", with no subject or content. The agenda item and the
minutes never hold more than that, so nothing about the clue reaches the other readers, the
issued 会议纪要 or the owners. A discipline-group reader of the meeting sees the matter's subject
next to the item (`clue_subjects`), read live from the register."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.accounts.roles import BUREAU_STAFF, Role
from anjian.oversight.models import ActionItem, AgendaItem, Matter, Meeting

NOT_FOUND = "未找到该会议或事项，或您无权查看。"


def visible_meetings(user: User) -> QuerySet[Meeting]:
    if not user.can("meeting.view"):
        return Meeting.objects.none()
    return Meeting.objects.filter(body_id__in=body_scope_ids(user)).select_related(
        "body", "minutes_document"
    )


def access_meeting(user: User, pk: int) -> Meeting:
    found = visible_meetings(user).filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def access_agenda_item(user: User, pk: int) -> AgendaItem:
    found = (
        AgendaItem.objects.filter(pk=pk, meeting__in=visible_meetings(user))
        .select_related("meeting__body")
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def manages(user: User, meeting: Meeting) -> bool:
    """The office of the meeting's body (or a body above it)."""
    return user.can("meeting.manage") and meeting.body_id in body_scope_ids(user)


def require_manage(user: User, meeting: Meeting) -> None:
    if not manages(user, meeting):
        raise PermissionDenied("只有办公室可以办理会商研判会议")


def is_staff(user: User) -> bool:
    return user.is_active and user.role in BUREAU_STAFF and user.body_id is not None


def own_action_items(user: User) -> QuerySet[ActionItem]:
    """The action items given to the user, open ones first."""
    return ActionItem.objects.filter(owner=user).select_related("meeting", "section")


def access_action_item(user: User, pk: int) -> ActionItem:
    """An action item the user owns, or one of a meeting the user reads."""
    found = (
        ActionItem.objects.filter(pk=pk)
        .select_related("meeting__body", "owner", "section", "agenda_item")
        .first()
    )
    if found is None or not (
        found.owner_id == user.pk or visible_meetings(user).filter(pk=found.meeting_id).exists()
    ):
        raise Http404(NOT_FOUND)
    return found


def may_report(user: User, action: ActionItem) -> bool:
    return action.owner_id == user.pk or manages(user, action.meeting)


def body_staff(meeting: Meeting) -> QuerySet[User]:
    """The users an action item may be given to: active staff of the meeting's body."""
    return User.objects.filter(
        body_id=meeting.body_id, is_active=True, role__in=list(BUREAU_STAFF)
    ).order_by("username")


def clue_subjects(user: User, items: list[AgendaItem]) -> dict[int, str]:
    """For a discipline-group reader, the subject of each clue item (by agenda item id)."""
    if user.role != Role.DISCIPLINE:
        return {}
    pks = {
        int(item.ref.split(":")[1]): item.pk
        for item in items
        if item.kind == AgendaItem.Kind.MATTER and item.ref.startswith("oversight.Matter:")
    }
    rows = Matter.objects.filter(pk__in=pks, route=Matter.Route.DISCIPLINE)
    return {pks[pk]: subject for pk, subject in rows.values_list("pk", "subject")}
