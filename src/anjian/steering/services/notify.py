"""In-app reminders (站内提醒): one per user and deadline, never twice. E-mail goes out after
commit when the user has an address and Django's mail settings are configured
(`ANJIAN_EMAIL_*`, the console backend by default).

Reading a reminder is the user's own act and is audited like any other change: whether a
section was reminded of a deadline, and when it read the reminder, is part of the record the
accountability of 六(三) rests on."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.steering.models import Notification

log = logging.getLogger(__name__)

CHUNK = 500
"""Keys looked up and rows inserted per query."""


@dataclass(frozen=True)
class Reminder:
    """What one reminder says. `key` names the deadline (e.g. ``weekly:12:2026-W07``) so the
    same deadline reminds each user once; `action` says what to do, `url` where."""

    kind: str
    key: str
    title: str
    action: str
    url: str
    due_on: date | None = None


def notify(*, users: Iterable[User], reminder: Reminder, now: datetime) -> int:
    """Gives each active user the reminder unless they already had it. Returns how many were
    new. Runs inside the caller's transaction."""
    pending = [(user.pk, reminder) for user in users if user.is_active]
    return notify_many(pending=pending, now=now)[reminder.kind]


def notify_many(*, pending: Iterable[tuple[int, Reminder]], now: datetime) -> Counter[str]:
    """Gives each (user id, reminder) pair its notification unless the user already has one
    with that key: existing keys are read and new rows inserted in chunks, so a daily run over a
    province costs a few queries per thousand reminders, not one per reminder. A row another
    run inserted meanwhile is skipped by the database (`ignore_conflicts`). Returns the count of
    new notifications per kind. The callers pass active users only."""
    wanted: dict[tuple[int, str], Reminder] = {}
    for user_id, reminder in pending:
        wanted.setdefault((user_id, reminder.key), reminder)
    pairs = list(wanted)
    created: Counter[str] = Counter()
    fresh: list[tuple[int, str]] = []
    for start in range(0, len(pairs), CHUNK):
        chunk = pairs[start : start + CHUNK]
        had = set(
            Notification.objects.filter(
                key__in={key for _user, key in chunk}, user_id__in={user for user, _key in chunk}
            ).values_list("user_id", "key")
        )
        rows = [_row(user, wanted[user, key], now) for user, key in chunk if (user, key) not in had]
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        for row in rows:
            created[row.kind] += 1
            fresh.append((row.user_id, row.key))
    if fresh and getattr(settings, "ANJIAN_REMINDER_EMAIL", True):
        transaction.on_commit(lambda: _email(fresh, now))
    return created


def _row(user_id: int, reminder: Reminder, now: datetime) -> Notification:
    return Notification(
        user_id=user_id,
        key=reminder.key,
        kind=reminder.kind,
        title=reminder.title[:200],
        action=reminder.action[:200],
        url=reminder.url[:300],
        due_on=reminder.due_on,
        created_at=now,
    )


def _email(fresh: list[tuple[int, str]], now: datetime) -> None:
    """One message per new notification of a user with an address, over one connection; each
    sent one is marked so a later run never sends it again. A mail server that is down leaves
    the in-app reminders standing."""
    site = getattr(settings, "ANJIAN_SITE_URL", "").rstrip("/")
    wanted = set(fresh)
    for start in range(0, len(fresh), CHUNK):
        chunk = fresh[start : start + CHUNK]
        notes = [
            note
            for note in Notification.objects.filter(
                key__in={key for _user, key in chunk},
                user_id__in={user for user, _key in chunk},
                emailed_at__isnull=True,
            )
            .exclude(user__email="")
            .select_related("user")
            if (note.user_id, note.key) in wanted
        ]
        if notes:
            _send(notes, site, now)


def _send(notes: list[Notification], site: str, now: datetime) -> None:
    messages = [
        EmailMessage(
            subject=f"[安监] {note.title}",
            body=f"{note.title}\n{note.action}\n{site}{note.url}",
            to=[note.user.email],
        )
        for note in notes
    ]
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except OSError as error:
        log.warning("提醒邮件未发出（%s 封）：%s", len(messages), error)
        return
    Notification.objects.filter(pk__in=[note.pk for note in notes]).update(emailed_at=now)


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_read(*, actor: User, notification: Notification, now: datetime) -> Notification:
    """Marks one of the actor's own notifications read (once: reading it again changes
    nothing). The caller has fetched it through `own_notifications`."""
    if notification.user_id != actor.pk:
        raise PermissionDenied("只能处理本人的提醒")
    if notification.read_at is not None:
        return notification
    with transaction.atomic():
        notification.read_at = now
        notification.save(update_fields=["read_at"])
        audit_record(
            actor=actor,
            action="steering.notification.read",
            target=notification,
            changes={"read_at": {"before": None, "after": now.isoformat()}},
        )
    return notification


def notifications_read_all(*, actor: User, now: datetime) -> int:
    """Marks every unread notification of the actor read; one audit entry with the count."""
    with transaction.atomic():
        marked = Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=now)
        if marked:
            audit_record(
                actor=actor,
                action="steering.notification.read_all",
                target=actor,
                changes={"read": {"before": 0, "after": marked}},
            )
    return marked
