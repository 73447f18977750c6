"""The penalty records the campaign's figures count: cases filed and decided, fines, no-penalty
and lenient decisions, legal review. Same contract as `policy/figure_selectors.py`."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Coalesce

from anjian.domain.steering.slices import RecordSlice
from anjian.enforcement.models import PenaltyCase
from anjian.registry.figure_selectors import slice_enterprises, slice_section


def _cases(s: RecordSlice) -> QuerySet[PenaltyCase]:
    return (
        PenaltyCase.objects.filter(body_id__in=s.body_ids)
        .filter(slice_section(s), slice_enterprises(s))
        .select_related("enterprise", "section")
        .defer("suggestion", "decision_record", "facts")
    )


def cases_filed(s: RecordSlice) -> QuerySet[PenaltyCase]:
    return _cases(s).filter(filed_on__gte=s.start, filed_on__lte=s.end)


def cases_decided(s: RecordSlice) -> QuerySet[PenaltyCase]:
    """Cases decided in the period (a penalty or a decision not to punish), dropped ones not."""
    return _cases(s).filter(decided_on__gte=s.start, decided_on__lte=s.end).exclude(state="dropped")


def cases_no_penalty(s: RecordSlice) -> QuerySet[PenaltyCase]:
    return cases_decided(s).filter(no_penalty=True)


def cases_lenient(s: RecordSlice) -> QuerySet[PenaltyCase]:
    """Decided with a lighter penalty (从轻) under the benchmark or the flexible list."""
    return cases_decided(s).filter(no_penalty=False, disposition="lenient")


def cases_review_required(s: RecordSlice) -> QuerySet[PenaltyCase]:
    """Decided cases the law sends to legal review (重大执法决定法制审核)."""
    return cases_decided(s).filter(review_required=True)


def cases_reviewed(s: RecordSlice) -> QuerySet[PenaltyCase]:
    return cases_review_required(s).filter(review_approved=True)


def fines_decided(s: RecordSlice) -> int:
    """The fines decided in the period, unit and persons together, in yuan. One query."""
    total = cases_decided(s).aggregate(
        total=Sum(Coalesce(F("decided_unit_fine"), 0) + Coalesce(F("decided_person_fine"), 0))
    )["total"]
    return int(total or 0)


def enterprise_cases(
    enterprise_ids: Collection[int], start: date, end: date
) -> QuerySet[PenaltyCase]:
    """The cases against these enterprises filed `start`–`end` (the contact points' warnings and
    timeline, oversight/points)."""
    return (
        PenaltyCase.objects.filter(
            enterprise_id__in=list(enterprise_ids), filed_on__range=(start, end)
        )
        .select_related("section")
        .order_by("filed_on", "id")
    )
