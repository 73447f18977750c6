"""The training records the campaign's figures count: exams on inspections (逢查必考) and their
results, certificates running out. Same contract as `policy/figure_selectors.py`."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from anjian.domain.steering.slices import RecordSlice
from anjian.registry.figure_selectors import slice_enterprises, slice_section
from anjian.training.models import Certificate, ExamAttempt, FieldExam

EXPIRY_WINDOW_DAYS = 30


def exams(s: RecordSlice) -> QuerySet[FieldExam]:
    """On-site exams opened in the period on the slice's inspections."""
    return (
        FieldExam.objects.filter(
            task__body_id__in=s.body_ids,
            opened_at__date__gte=s.start,
            opened_at__date__lte=s.end,
        )
        .filter(slice_section(s, "task__section"), slice_enterprises(s))
        .select_related("enterprise", "task__section")
    )


def attempts_finished(s: RecordSlice) -> QuerySet[ExamAttempt]:
    """Workers' attempts finished in the period in the slice's exams."""
    return (
        ExamAttempt.objects.filter(
            exam__task__body_id__in=s.body_ids,
            finished_at__date__gte=s.start,
            finished_at__date__lte=s.end,
        )
        .filter(slice_section(s, "exam__task__section"), slice_enterprises(s, "exam__enterprise"))
        .select_related("exam__enterprise")
        .defer("key")
    )


def attempts_passed(s: RecordSlice) -> QuerySet[ExamAttempt]:
    return attempts_finished(s).filter(passed=True)


def certificates_expiring(s: RecordSlice) -> QuerySet[Certificate]:
    """Certificates of people still employed that run out within 30 days after the period."""
    return (
        Certificate.objects.filter(
            person__enterprise__supervising_body_id__in=s.body_ids,
            valid_until__gt=s.end,
            valid_until__lte=s.end + timedelta(days=EXPIRY_WINDOW_DAYS),
            revoked_on__isnull=True,
        )
        .filter(Q(person__left_on__isnull=True) | Q(person__left_on__gt=s.end))
        .filter(slice_enterprises(s, "person__enterprise", by_sector=True))
        .select_related("person__enterprise")
    )


def certificates_running_out(today: date) -> QuerySet[Certificate]:
    """Every body's certificates of people still employed that run out within 30 days from
    today (today included): the enterprises' daily reminders."""
    return (
        Certificate.objects.filter(
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=EXPIRY_WINDOW_DAYS),
            revoked_on__isnull=True,
        )
        .filter(Q(person__left_on__isnull=True) | Q(person__left_on__gt=today))
        .select_related("person")
    )


def enterprise_exams(
    enterprise_ids: Collection[int], start: date, end: date
) -> QuerySet[FieldExam]:
    """The on-site exams held at these enterprises `start`–`end` (the contact points' timeline,
    oversight/points)."""
    return (
        FieldExam.objects.filter(
            enterprise_id__in=list(enterprise_ids), opened_at__date__range=(start, end)
        )
        .select_related("task__section")
        .order_by("opened_at", "id")
    )
