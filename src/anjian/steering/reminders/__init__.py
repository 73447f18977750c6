"""The daily reminders (`anjian remind`): every deadline the system knows, turned into in-app
notifications for the users who must act, each once (a stable key per deadline and stage, so a
second run the same day, or the next day, creates nothing new), saying what to do and linking
to the page where it is done.

Each kind is generated and written in its own transaction (its e-mails go out when it commits);
one audit entry records the run's counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.audit.services import audit_record
from anjian.steering.reminders import campaign, records
from anjian.steering.reminders.recipients import Pending
from anjian.steering.services.notify import notify_many

Generator = Callable[[date, datetime], Pending]

GENERATORS: dict[str, Generator] = {
    "weekly_report": campaign.weekly_reports,
    "measure": campaign.measures,
    "rectification": records.rectifications,
    "case": records.cases,
    "certificate": records.certificates,
    "quiet_exception": records.quiet_exceptions,
    "complaint": records.complaints,
}

KIND_LABELS = {
    "weekly_report": _("周调度报告"),
    "weekly_returned": _("周调度报告退回"),
    "evaluation_returned": _("总结评估报告退回"),
    "measure": _("工作措施"),
    "rectification": _("隐患整改"),
    "case": _("案件期限"),
    "certificate": _("证书到期"),
    "quiet_exception": _("安静期例外审批"),
    "complaint": _("投诉办理"),
}


def reminders_run(today: date, now: datetime) -> dict[str, int]:
    """Creates today's reminders; returns how many were new per kind (every kind listed)."""
    counts: dict[str, int] = {}
    for kind, generate in GENERATORS.items():
        with transaction.atomic():
            counts[kind] = notify_many(pending=generate(today, now), now=now)[kind]
    if any(counts.values()):
        with transaction.atomic():
            audit_record(
                actor=None,
                action="steering.reminders.run",
                changes={
                    "today": {"before": None, "after": f"{today:%Y-%m-%d}"},
                    **{kind: {"before": 0, "after": n} for kind, n in counts.items() if n},
                },
            )
    return counts
