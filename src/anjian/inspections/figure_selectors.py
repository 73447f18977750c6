"""The inspection records the campaign's figures count: inspections done, findings, the
rectification loop and complaints. Same contract as `policy/figure_selectors.py`."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, DurationField, ExpressionWrapper, F, Q, QuerySet

from anjian.domain.steering.slices import RecordSlice
from anjian.inspections.models import (
    Complaint,
    Hazard,
    InspectionRating,
    InspectionTask,
    RectificationOrder,
)
from anjian.registry.figure_selectors import slice_enterprises, slice_section


def inspections_done(s: RecordSlice) -> QuerySet[InspectionTask]:
    """Inspections carried out (finished) and dated in the period."""
    return (
        InspectionTask.objects.filter(
            body_id__in=s.body_ids, status="done", date__gte=s.start, date__lte=s.end
        )
        .filter(slice_section(s), slice_enterprises(s))
        .select_related("enterprise", "section")
    )


def _hazards(s: RecordSlice) -> QuerySet[Hazard]:
    return (
        Hazard.objects.filter(task__body_id__in=s.body_ids)
        .filter(slice_section(s, "task__section"), slice_enterprises(s, "task__enterprise"))
        .select_related("task__enterprise", "task__section")
    )


def findings(s: RecordSlice) -> QuerySet[Hazard]:
    """Findings (hazards) recorded in the period."""
    return _hazards(s).filter(recorded_at__date__gte=s.start, recorded_at__date__lte=s.end)


def findings_closed(s: RecordSlice) -> QuerySet[Hazard]:
    """Findings whose rectification was accepted in the period."""
    return _hazards(s).filter(closed_at__date__gte=s.start, closed_at__date__lte=s.end)


def findings_overdue(s: RecordSlice) -> QuerySet[Hazard]:
    """Findings past their deadline at the end of the period and not closed by then."""
    return _hazards(s).filter(
        Q(closed_at__isnull=True) | Q(closed_at__date__gt=s.end),
        deadline__lt=s.end,
        recorded_at__date__lte=s.end,
    )


def findings_closed_on_time(s: RecordSlice) -> QuerySet[Hazard]:
    """Of the findings closed in the period, those closed by their deadline."""
    return findings_closed(s).filter(
        Q(deadline__isnull=True) | Q(closed_at__date__lte=F("deadline"))
    )


def orders_issued(s: RecordSlice) -> QuerySet[RectificationOrder]:
    """Rectification orders (责令限期整改指令书) issued in the period."""
    return (
        RectificationOrder.objects.filter(
            task__body_id__in=s.body_ids, issued_on__gte=s.start, issued_on__lte=s.end
        )
        .filter(slice_section(s, "task__section"), slice_enterprises(s, "task__enterprise"))
        .select_related("task__enterprise", "task__section")
    )


def _complaints(s: RecordSlice) -> QuerySet[Complaint]:
    """A section's complaints: those about its inspections, and those naming no inspection about
    an enterprise of its sectors."""
    mine = Q()
    if s.section_id is not None:
        mine = Q(task__section_id=s.section_id)
        if s.sectors:
            mine |= Q(task__isnull=True, enterprise__sector__in=list(s.sectors))
    return (
        Complaint.objects.filter(enterprise__supervising_body_id__in=s.body_ids)
        .filter(mine, slice_enterprises(replace(s, sectors=None)))
        .select_related("enterprise")
    )


def complaints_received(s: RecordSlice) -> QuerySet[Complaint]:
    return _complaints(s).filter(filed_at__date__gte=s.start, filed_at__date__lte=s.end)


def complaints_closed(s: RecordSlice) -> QuerySet[Complaint]:
    return _complaints(s).filter(
        status="closed", handled_at__date__gte=s.start, handled_at__date__lte=s.end
    )


def complaint_days_to_close(s: RecordSlice) -> Decimal | None:
    """The average days from filing to closing of the complaints closed in the period, one
    decimal; None when none was closed. One query."""
    average = complaints_closed(s).aggregate(
        days=Avg(ExpressionWrapper(F("handled_at") - F("filed_at"), output_field=DurationField()))
    )["days"]
    if average is None:
        return None
    days = Decimal(average.total_seconds()) / Decimal(86400)
    return days.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---- the daily reminders (steering/reminders): every body's open deadlines, not a slice ----


def rectifications_due(until: date) -> QuerySet[Hazard]:
    """Findings still to be fixed (or reported fixed and awaiting the review) whose deadline
    falls on or before `until`, in every body."""
    return Hazard.objects.filter(
        status__in=(Hazard.Status.OPEN, Hazard.Status.REPORTED),
        deadline__isnull=False,
        deadline__lte=until,
    )


def task_officer_users(task_ids: set[int]) -> list[tuple[int, int]]:
    """(task id, user id) for each officer on the tasks who has an active login."""
    return list(
        InspectionTask.objects.filter(
            pk__in=task_ids, officers__user__isnull=False, officers__user__is_active=True
        ).values_list("pk", "officers__user_id")
    )


def complaints_open(filed_until: date) -> QuerySet[Complaint]:
    """Complaints of every body not closed yet and filed on or before `filed_until`."""
    return Complaint.objects.filter(filed_at__date__lte=filed_until).exclude(
        status=Complaint.Status.CLOSED
    )


def enterprise_findings(
    enterprise_ids: Collection[int], start: date, end: date
) -> QuerySet[Hazard]:
    """The findings of inspections of these enterprises dated `start`–`end` (the contact points'
    warnings and timeline, oversight/points)."""
    return (
        Hazard.objects.filter(
            task__enterprise_id__in=list(enterprise_ids), task__date__range=(start, end)
        )
        .select_related("task__section")
        .order_by("task__date", "id")
    )


def enterprise_orders(
    enterprise_ids: Collection[int], start: date, end: date
) -> QuerySet[RectificationOrder]:
    """The rectification orders issued to these enterprises `start`–`end`."""
    return (
        RectificationOrder.objects.filter(
            task__enterprise_id__in=list(enterprise_ids), issued_on__range=(start, end)
        )
        .select_related("document", "task__section")
        .order_by("issued_on", "id")
    )


def enterprise_ratings(
    enterprise_ids: Collection[int], start: date, end: date
) -> QuerySet[InspectionRating]:
    """The enterprises' ratings of their inspections dated `start`–`end`."""
    return (
        InspectionRating.objects.filter(
            task__enterprise_id__in=list(enterprise_ids), task__date__range=(start, end)
        )
        .select_related("task__section")
        .order_by("task__date", "id")
    )
