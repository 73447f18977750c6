"""Oversight's daily run (`anjian oversee`, after `anjian remind`): complaints and clues from the
portal, low ratings and contact-point reports into the register with their reminders, the
contact points' warnings, the meetings' action items due, and penalty decisions due for
publication. Each step is idempotent: a second run the same day creates nothing."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from anjian.oversight.disclosure.reminders import disclosure_due
from anjian.oversight.matters.collect import matters_collect
from anjian.oversight.meetings.reminders import action_item_reminders
from anjian.oversight.points.warnings import point_warnings_raise
from anjian.steering.services.notify import notify_many


def oversee(*, today: date, now: datetime) -> dict[str, int]:
    """Runs every step; returns what each created."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        for source, n in matters_collect(today=today, now=now).items():
            counts[f"matters.{source}"] = n
    with transaction.atomic():
        counts["point_warnings"] = point_warnings_raise(today=today, now=now)
    with transaction.atomic():
        counts["action_items"] = action_item_reminders(today, now)
    with transaction.atomic():
        counts["disclosure_due"] = sum(
            notify_many(pending=disclosure_due(today, now), now=now).values()
        )
    return counts
