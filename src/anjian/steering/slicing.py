"""The record slice of a campaign, a section and a period (see `domain/steering/slices.py`)."""

from __future__ import annotations

from datetime import date

from anjian.accounts.models import Section
from anjian.domain.steering.slices import RecordSlice
from anjian.steering.models import Campaign


def campaign_slice(
    campaign: Campaign,
    start: date,
    end: date,
    *,
    section: Section | None = None,
    town: str = "",
) -> RecordSlice:
    """The campaign body's records in the period; with a section, the records naming it and the
    enterprise-level records of the sectors it supervises (none for a section without sectors)."""
    if section is None:
        return RecordSlice((campaign.body_id,), start, end, town=town)
    return RecordSlice(
        (campaign.body_id,),
        start,
        end,
        section_id=section.pk,
        sectors=tuple(section.sectors or ()),
        town=town,
    )
