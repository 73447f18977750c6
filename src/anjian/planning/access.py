"""Who sees which planning months and planned visits: bureau staff see their body's months; a
submitting section (business section or enforcement team) sees only its own visits, the office,
the head and the other bureau roles see every section's."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.accounts.roles import BUREAU_STAFF, Role
from anjian.planning.models import PlannedVisit, PlanningMonth

SUBMITTERS = frozenset({Role.BUSINESS_SECTION, Role.ENFORCEMENT_TEAM})


def visible_months(user: User) -> QuerySet[PlanningMonth]:
    if not user.is_active or user.role not in BUREAU_STAFF:
        return PlanningMonth.objects.none()
    return PlanningMonth.objects.filter(body_id__in=body_scope_ids(user)).select_related("body")


def access_month(user: User, pk: int) -> PlanningMonth:
    try:
        return visible_months(user).get(pk=pk)
    except PlanningMonth.DoesNotExist as exc:
        raise Http404("未找到该月计划，或您无权查看。") from exc


def visible_visits(user: User, planning_month: PlanningMonth) -> QuerySet[PlannedVisit]:
    visits = planning_month.visits.select_related("section", "enterprise", "submitted_by")
    if user.role in SUBMITTERS:
        return visits.filter(section_id=user.section_id) if user.section_id else visits.none()
    return visits


def access_visit(user: User, pk: int) -> PlannedVisit:
    visit = PlannedVisit.objects.select_related("planning_month").filter(pk=pk).first()
    if visit is None or visit.planning_month.body_id not in body_scope_ids(user):
        raise Http404("未找到该计划，或您无权查看。")
    if not visible_visits(user, visit.planning_month).filter(pk=pk).exists():
        raise Http404("未找到该计划，或您无权查看。")
    return visit
