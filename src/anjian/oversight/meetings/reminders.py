"""Reminders of the meetings' action items: an open item due within three days reminds its
owner once ("action_item:<pk>:due"), an overdue one once more ("action_item:<pk>:overdue").
The daily reminders run calls `action_item_reminders`."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse

from anjian.oversight.models import ActionItem
from anjian.steering.services.notify import Reminder, notify_many

DUE_WITHIN_DAYS = 3


def action_reminder(action: ActionItem, today: date) -> Reminder:
    overdue = action.due_on < today
    stage = "overdue" if overdue else "due"
    state = "已逾期" if overdue else "即将到期"
    return Reminder(
        kind="action_item",
        key=f"action_item:{action.pk}:{stage}",
        title=f"会商研判议定事项{state}：{action.text}"[:200],
        action=f"请于 {action.due_on:%Y-%m-%d} 前落实并报告落实情况",
        url=reverse("oversight:action_item_report", args=[action.pk]),
        due_on=action.due_on,
    )


def action_item_reminders(today: date, now: datetime) -> int:
    """Reminds the owner of every open action item due by today + 3 days; returns how many
    reminders were new."""
    rows = (
        ActionItem.objects.filter(
            done_on__isnull=True,
            due_on__lte=today + timedelta(days=DUE_WITHIN_DAYS),
            owner__is_active=True,
        )
        .only("pk", "text", "due_on", "owner_id")
        .order_by("pk")
    )
    pending = [(action.owner_id, action_reminder(action, today)) for action in rows.iterator()]
    with transaction.atomic():
        return notify_many(pending=pending, now=now)["action_item"]
