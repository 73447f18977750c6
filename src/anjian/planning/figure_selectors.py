"""The merging the campaign's figures count: sections' planned visits carried out together in
one approved entry (进一次门，查多项事). Same contract as `policy/figure_selectors.py`."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from anjian.domain.steering.slices import RecordSlice
from anjian.planning.models import AnnualPlan, PlanEntry, PlannedVisit
from anjian.registry.figure_selectors import slice_enterprises, slice_section

Links = PlanEntry.visits.through


def _approved_entries(s: RecordSlice) -> QuerySet[PlanEntry]:
    return PlanEntry.objects.filter(
        run__status="approved",
        run__planning_month__body_id__in=s.body_ids,
        date__gte=s.start,
        date__lte=s.end,
    ).filter(slice_enterprises(s))


def merged_entries(s: RecordSlice) -> QuerySet[PlanEntry]:
    """Approved entries in the period that carry two or more planned visits (one of them the
    slice's section's, when it names one)."""
    entries = _approved_entries(s)
    if s.section_id is not None:
        own = Links.objects.filter(plannedvisit__section_id=s.section_id).values("planentry_id")
        entries = entries.filter(pk__in=own)
    return (
        entries.annotate(visit_count=Count("visits", distinct=True))
        .filter(visit_count__gt=1)
        .select_related("enterprise")
    )


def merged_visits(s: RecordSlice) -> QuerySet[PlannedVisit]:
    """The slice's planned visits carried out inside an entry with other visits."""
    entry_ids = merged_entries(s).values("pk")
    visit_ids = Links.objects.filter(planentry_id__in=entry_ids).values("plannedvisit_id")
    return (
        PlannedVisit.objects.filter(pk__in=visit_ids)
        .filter(slice_section(s))
        .select_related("enterprise", "section")
    )


def entries_saved(s: RecordSlice) -> int:
    """Entries saved by merging in the period: the visits the merged entries carried minus the
    entries themselves. One query."""
    totals = PlanEntry.objects.filter(pk__in=merged_entries(s).values("pk")).aggregate(
        visits=Count("visits"), entries=Count("pk", distinct=True)
    )
    return (totals["visits"] or 0) - (totals["entries"] or 0)


def approved_annual_plan(body_id: int, year: int) -> AnnualPlan | None:
    """The body's annual supervision plan for the year once the county government approved it
    (what the public disclosure pages summarise), else None."""
    return AnnualPlan.objects.filter(body_id=body_id, year=year, status="approved").first()


def annual_plan_sectors(plan: AnnualPlan) -> list[tuple[str, int]]:
    """(sector, number of enterprises) of the plan's lines, by sector. One query."""
    rows = (
        plan.lines.values("enterprise__sector")
        .annotate(n=Count("pk"))
        .order_by("enterprise__sector")
    )
    return [(row["enterprise__sector"], row["n"]) for row in rows]
