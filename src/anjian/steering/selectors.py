"""Reads of the work plan: measures with their states, and the scoped lookups of the plan's rows
(a phase, a measure, a piece of evidence, a leader, an office member) for the plan's pages. A row
of a campaign the user cannot see answers 404, like the campaign itself."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet
from django.http import Http404

from anjian.accounts.models import Section, User
from anjian.domain.steering.measures import MeasureState, measure_state
from anjian.steering.access import NOT_FOUND, visible_campaigns
from anjian.steering.models import (
    Campaign,
    LeadershipMember,
    Measure,
    MeasureEvidence,
    OfficeMember,
    Phase,
)

# the sections a measure given to 各业务股室 falls to (as access.reporting_sections reads it)
ALL_SECTIONS_KINDS = (Section.Kind.BUSINESS, Section.Kind.ENFORCEMENT_TEAM)


def campaign_measures(campaign: Campaign) -> QuerySet[Measure]:
    """The campaign's measures in order, each with its lead section, its supporting sections
    (prefetched) and `evidence_count`: two queries however many measures there are."""
    return (
        Measure.objects.filter(campaign=campaign)
        .select_related("lead_section")
        .prefetch_related("supporting_sections")
        .annotate(evidence_count=Count("evidence"))
        .order_by("order", "id")
    )


def state_of(measure: Measure, today: date) -> MeasureState:
    """A measure's state; reads `evidence_count` when the row was annotated with it."""
    count = getattr(measure, "evidence_count", None)
    if count is None:
        count = measure.evidence.count()
    return measure_state(
        started=measure.started,
        done_on=measure.done_on,
        deadline=measure.deadline,
        evidence_count=count,
        today=today,
    )


def measure_states(campaign: Campaign, today: date) -> list[tuple[Measure, MeasureState]]:
    """Every measure of the campaign with its state on `today` (two queries)."""
    return [(measure, state_of(measure, today)) for measure in campaign_measures(campaign)]


def _scoped(rows: QuerySet, user: User, pk: int):  # type: ignore[no-untyped-def,type-arg]
    found = rows.filter(pk=pk, campaign__in=visible_campaigns(user)).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def access_measure(user: User, pk: int) -> Measure:
    rows = Measure.objects.select_related("campaign__body", "lead_section").annotate(
        evidence_count=Count("evidence")
    )
    return _scoped(rows, user, pk)  # type: ignore[no-any-return]


def access_phase(user: User, pk: int) -> Phase:
    return _scoped(Phase.objects.select_related("campaign__body"), user, pk)  # type: ignore[no-any-return]


def access_leader(user: User, pk: int) -> LeadershipMember:
    rows = LeadershipMember.objects.select_related("campaign__body", "user")
    return _scoped(rows, user, pk)  # type: ignore[no-any-return]


def access_office_member(user: User, pk: int) -> OfficeMember:
    rows = OfficeMember.objects.select_related("campaign__body", "user")
    return _scoped(rows, user, pk)  # type: ignore[no-any-return]


def access_evidence(user: User, pk: int) -> MeasureEvidence:
    found = (
        MeasureEvidence.objects.filter(pk=pk, measure__campaign__in=visible_campaigns(user))
        .select_related("measure__campaign__body")
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def responsible_section_ids(measure: Measure) -> set[int]:
    """The sections named on the measure (lead and supporting); with 各业务股室, also every
    business section and enforcement team of the campaign's body."""
    ids = {s.pk for s in measure.supporting_sections.all()}
    if measure.lead_section_id is not None:
        ids.add(measure.lead_section_id)
    if measure.all_sections:
        ids |= set(
            Section.objects.filter(
                body_id=measure.campaign.body_id, kind__in=ALL_SECTIONS_KINDS
            ).values_list("pk", flat=True)
        )
    return ids


def is_responsible(user: User, measure: Measure) -> bool:
    """Whether the user reports for a section the measure falls to."""
    if user.section_id is None or not user.can("steering.report"):
        return False
    return user.section_id in responsible_section_ids(measure)


def body_sections(campaign: Campaign) -> QuerySet[Section]:
    return Section.objects.filter(body_id=campaign.body_id).order_by("id")
