"""The enterprise part of a campaign figure's slice (`domain.steering.slices.RecordSlice`),
shared by every area's figure selectors."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from anjian.domain.steering.slices import RecordSlice
from anjian.registry.models import Enterprise


def slice_enterprises(s: RecordSlice, path: str = "enterprise", *, by_sector: bool = False) -> Q:
    """Records whose enterprise (reached through `path`) lies in the slice's town. Records that
    name no section (caps, certificates) are a section's through its sectors: `by_sector` then
    also keeps the slice's sectors. Records that name a section are counted by the section
    alone, whatever the enterprise's sector."""
    q = Q()
    if s.town:
        q &= Q(**{f"{path}__town": s.town})
    if by_sector and s.sectors is not None:
        q &= Q(**{f"{path}__sector__in": list(s.sectors)})
    return q


def slice_section(s: RecordSlice, path: str = "section") -> Q:
    """Records that name the slice's section (all when the slice names none)."""
    return Q(**{f"{path}_id": s.section_id}) if s.section_id is not None else Q()


def slice_enterprise_rows(s: RecordSlice) -> QuerySet[Enterprise]:
    """The live enterprises the slice's bodies supervise, in its town and sectors (the cockpit's
    entries per enterprise divide by their number)."""
    found = Enterprise.objects.live().filter(supervising_body_id__in=s.body_ids)
    if s.town:
        found = found.filter(town=s.town)
    if s.sectors is not None:
        found = found.filter(sector__in=list(s.sectors))
    return found


def body_towns(body_ids: tuple[int, ...]) -> list[str]:
    """The towns of the bodies' live enterprises, sorted (the cockpit's town filter)."""
    towns = (
        Enterprise.objects.live()
        .filter(supervising_body_id__in=body_ids)
        .exclude(town="")
        .order_by("town")
        .values_list("town", flat=True)
        .distinct()
    )
    return list(towns)
