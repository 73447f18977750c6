"""Reads of the inspections area for other pages (the home page's figures)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from anjian.accounts.models import User
from anjian.inspections.access import (
    approval_bodies,
    officer_of,
    visible_hazards,
    visible_tasks,
)
from anjian.inspections.models import Complaint, InspectionRating, InspectionTask
from anjian.inspections.services.rectification import overdue


def work_counts(user: User, today: date) -> dict[str, int]:
    """What needs doing today, in the user's scope: today's inspections (the officer's own),
    tasks awaiting the head's approval, overdue findings, reported fixes awaiting review and
    entries without a code awaiting review."""
    tasks = visible_tasks(user)
    officer = officer_of(user)
    approving = approval_bodies(user, today)
    todays = tasks.filter(date=today, status__in=("approved", "in_progress"))
    hazards = visible_hazards(user)
    return {
        "inspections_today": (todays.filter(officers=officer) if officer else todays).count(),
        "may_approve": int(bool(approving)),
        "tasks_pending": InspectionTask.objects.filter(
            status="pending", body_id__in=approving
        ).count(),
        "hazards_overdue": overdue(hazards, today).count(),
        "fixes_reported": hazards.filter(status="reported").count(),
        "unplanned_pending": tasks.filter(review="pending").count(),
    }


def complaints_for_register() -> QuerySet[Complaint]:
    """Every portal complaint, with what the oversight register of complaints and clues reads
    of it (its enterprise, inspection and filer)."""
    return Complaint.objects.select_related("enterprise", "task", "filed_by").order_by("pk")


def low_ratings(max_score: int) -> QuerySet[InspectionRating]:
    """Ratings of `max_score` or less, with their inspection and enterprise (for the oversight
    register; a rating stores no user)."""
    return (
        InspectionRating.objects.filter(score__lte=max_score)
        .select_related("task__enterprise", "task__body")
        .order_by("pk")
    )
