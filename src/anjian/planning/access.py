"""Who sees which planning months and planned visits: bureau staff see their body's months; a
submitting section (business section or enforcement team) sees only its own visits, the office,
the head and the other bureau roles see every section's. Planner runs, their entries and annual
plans are seen by the bureau staff of the body (capabilities decide which pages); within an annual
plan a business section sees only the lines of the enterprises of its sectors, and not the Excel
annex that lists them all."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.accounts.roles import BUREAU_STAFF, Role
from anjian.planning.models import (
    AnnualPlan,
    AnnualPlanLine,
    PlanEntry,
    PlannedVisit,
    PlanningMonth,
    PlanRun,
)
from anjian.registry.access import visible_enterprises

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


Row = TypeVar("Row", bound=Model)


def _scoped(queryset: QuerySet[Row], user: User, body_path: str, pk: int, what: str) -> Row:
    found = queryset.filter(pk=pk, **{f"{body_path}__in": body_scope_ids(user)}).first()
    if found is None or user.role not in BUREAU_STAFF:
        raise Http404(f"未找到该{what}，或您无权查看。")
    return found


def access_run(user: User, pk: int) -> PlanRun:
    runs = PlanRun.objects.select_related("planning_month__body", "requested_by", "approved_by")
    return _scoped(runs, user, "planning_month__body_id", pk, "统筹结果")


def access_entry(user: User, pk: int) -> PlanEntry:
    entries = PlanEntry.objects.select_related("run__planning_month", "enterprise")
    return _scoped(entries, user, "run__planning_month__body_id", pk, "入企安排")


def visible_annual_plans(user: User) -> QuerySet[AnnualPlan]:
    if not user.is_active or user.role not in BUREAU_STAFF:
        return AnnualPlan.objects.none()
    return AnnualPlan.objects.filter(body_id__in=body_scope_ids(user)).select_related("body")


def approved_annual_plans(body_id: int) -> QuerySet[AnnualPlan]:
    """The body's annual plans the county government approved, newest first (a campaign links
    one as evidence; its figures are not shown, so no line-level scope applies)."""
    return AnnualPlan.objects.filter(body_id=body_id, status=AnnualPlan.Status.APPROVED).order_by(
        "-year"
    )


def access_annual_plan(user: User, pk: int) -> AnnualPlan:
    plans = AnnualPlan.objects.select_related("body", "created_by")
    return _scoped(plans, user, "body_id", pk, "年度计划")


def access_annual_line(user: User, pk: int) -> AnnualPlanLine:
    lines = AnnualPlanLine.objects.select_related("plan__body", "enterprise")
    if user.role == Role.BUSINESS_SECTION:
        lines = lines.filter(enterprise__in=visible_enterprises(user))
    return _scoped(lines, user, "plan__body_id", pk, "企业计划")


def visible_annual_lines(user: User, plan: AnnualPlan) -> QuerySet[AnnualPlanLine]:
    """A plan's lines as the user may read them: every line for bureau staff who see the whole
    body, only its sectors' enterprises for a business section."""
    lines = plan.lines.select_related("enterprise")
    if user.role == Role.BUSINESS_SECTION:
        return lines.filter(enterprise__in=visible_enterprises(user))
    return lines


def sees_whole_plan(user: User) -> bool:
    """Whether the user may have the documents that list every enterprise of a plan."""
    return user.role != Role.BUSINESS_SECTION
