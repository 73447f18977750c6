"""The daily reminder of the public disclosure: the legal office of each body is reminded of a
decision not yet published two days before its last day (`WARN_DAYS`) and again once it has
passed. One key per decision, last day and stage, so each is sent once. The lead hooks
`disclosure_due` into `steering.reminders.GENERATORS` under the kind "disclosure_due"."""

from __future__ import annotations

from datetime import date, datetime

from django.urls import reverse

from anjian.accounts.models import EnforcementBody
from anjian.accounts.roles import Role
from anjian.oversight.disclosure.selectors import DueDecision, decisions_due
from anjian.steering.reminders.recipients import Pending, body_users, to_each
from anjian.steering.services.notify import Reminder

KIND = "disclosure_due"


def reminder_of(row: DueDecision) -> Reminder:
    when = "已超过公示期限" if row.level == "overdue" else "即将到公示期限"
    return Reminder(
        kind=KIND,
        key=f"{KIND}:{row.case.pk}:{row.due_on:%Y-%m-%d}:{row.level}",
        title=f"行政处罚决定{row.number}（{row.case.enterprise.name}）{when}",
        action=f"于{row.due_on:%Y-%m-%d}前在行政执法公示平台公示该决定（隐去个人信息）",
        url=reverse("oversight:disclosure_due"),
        due_on=row.due_on,
    )


def disclosure_due(today: date, now: datetime) -> Pending:
    """(legal-office user, reminder) for each decision due or overdue, in every body."""
    body_ids = list(EnforcementBody.objects.values_list("pk", flat=True))
    rows = [row for row in decisions_due(body_ids, today) if row.level != "open"]
    users = body_users({row.case.body_id for row in rows}, Role.LEGAL_OFFICE)
    pending: Pending = []
    for row in rows:
        pending += to_each(users.get(row.case.body_id, ()), reminder_of(row))
    return pending
