"""The entry records the campaign's figures count (周调度, the cockpit). Each function returns the
records behind one figure, so a figure's value and its drill-down are the same query."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.db.models import F, QuerySet, Sum

from anjian.domain.steering.slices import RecordSlice
from anjian.policy.models import CapCounter, EntryBooking, QuietException
from anjian.registry.figure_selectors import slice_enterprises, slice_section


def entries(s: RecordSlice) -> QuerySet[EntryBooking]:
    """Entries (bookings not cancelled) dated in the period, on site or not."""
    return (
        EntryBooking.objects.filter(
            body_id__in=s.body_ids,
            date__gte=s.start,
            date__lte=s.end,
            cancelled_at__isnull=True,
        )
        .filter(slice_section(s), slice_enterprises(s))
        .select_related("enterprise", "section")
    )


def onsite_entries(s: RecordSlice) -> QuerySet[EntryBooking]:
    return entries(s).filter(mode="on_site")


def joint_entries(s: RecordSlice) -> QuerySet[EntryBooking]:
    """On-site entries made together with another section or department (a joint key)."""
    return onsite_entries(s).exclude(joint_key="")


def remote_entries(s: RecordSlice) -> QuerySet[EntryBooking]:
    return entries(s).filter(mode="remote")


def quiet_day_entries(s: RecordSlice) -> QuerySet[EntryBooking]:
    """Entries on a quiet day (each carries its approved exception)."""
    return entries(s).filter(quiet_exception__isnull=False)


def quiet_exceptions(s: RecordSlice) -> QuerySet[QuietException]:
    """Exceptions requested in the period, whatever was decided."""
    return (
        QuietException.objects.filter(
            body_id__in=s.body_ids,
            requested_at__date__gte=s.start,
            requested_at__date__lte=s.end,
        )
        .filter(slice_section(s), slice_enterprises(s))
        .select_related("enterprise", "section")
    )


def near_cap(s: RecordSlice) -> QuerySet[CapCounter]:
    """Enterprises with at most one entry left under their annual cap in the period's end year
    (a snapshot of the counters as they are now)."""
    return (
        CapCounter.objects.filter(
            year=s.end.year,
            kind="cap",
            cap__gt=0,
            used__gte=F("cap") - 1,
            enterprise__supervising_body_id__in=s.body_ids,
        )
        .filter(slice_enterprises(s, by_sector=True))
        .select_related("enterprise")
    )


def cap_use(s: RecordSlice) -> tuple[int, int]:
    """The counting units used and the caps, summed over the slice's enterprises' annual
    counters of the period's end year (a snapshot as they are now). One query."""
    totals = (
        CapCounter.objects.filter(
            year=s.end.year,
            kind="cap",
            cap__gt=0,
            enterprise__supervising_body_id__in=s.body_ids,
        )
        .filter(slice_enterprises(s, by_sector=True))
        .aggregate(used=Sum("used"), cap=Sum("cap"))
    )
    return int(totals["used"] or 0), int(totals["cap"] or 0)


def exceptions_pending() -> QuerySet[QuietException]:
    """Every body's quiet-day exceptions still waiting for the head's decision (the daily
    reminders)."""
    return QuietException.objects.filter(status=QuietException.Status.PENDING).select_related(
        "enterprise"
    )


def enterprise_entries(
    enterprise_ids: Collection[int], start: date, end: date
) -> QuerySet[EntryBooking]:
    """The live entries of these enterprises dated `start`–`end` (the contact points' warnings
    and timeline, oversight/points)."""
    return (
        EntryBooking.objects.filter(
            enterprise_id__in=list(enterprise_ids), date__range=(start, end), cancelled_at=None
        )
        .select_related("section", "body")
        .order_by("date", "id")
    )


def enterprise_caps(enterprise_ids: Collection[int], year: int) -> QuerySet[CapCounter]:
    """The year's cap counters of these enterprises (the contact points' warnings)."""
    return CapCounter.objects.filter(enterprise_id__in=list(enterprise_ids), year=year)
