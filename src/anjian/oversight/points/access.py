"""Who may see and do what with contact points (基层联系点). The legal office, the head, the
discipline group and the office read the points of their bodies (`contact.view`); the legal
office designates the list and follows the points up (`contact.manage`); the legal office and
discipline answer warnings (`warning.answer`); an enterprise reports only while it is on the
current year's list (`contact.report`). Business sections have none of these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.oversight.models import (
    ContactPoint,
    PointAttachment,
    PointReport,
    PointWarning,
    Requirement,
)

NOT_FOUND = "未找到该记录，或您无权查看。"
NOT_A_POINT = "贵单位不是本年度的基层联系点"


def visible_points(user: User) -> QuerySet[ContactPoint]:
    """Every contact point (of any year) of the user's bodies, for readers of contact points."""
    if not user.can("contact.view"):
        return ContactPoint.objects.none()
    return ContactPoint.objects.filter(points__body_id__in=body_scope_ids(user)).select_related(
        "points__body", "enterprise", "liaison"
    )


def access_point(user: User, pk: int) -> ContactPoint:
    found = visible_points(user).filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def may_manage(user: User, point: ContactPoint) -> bool:
    return user.can("contact.manage") and point.points.body_id in body_scope_ids(user)


def require_manage(user: User, point: ContactPoint) -> None:
    if not may_manage(user, point):
        raise PermissionDenied("只有法制股（联络员）可以办理联系点事项")


def may_answer(user: User, point: ContactPoint) -> bool:
    return user.can("warning.answer") and point.points.body_id in body_scope_ids(user)


def access_report(user: User, pk: int) -> PointReport:
    found = (
        PointReport.objects.filter(pk=pk, point__in=visible_points(user))
        .select_related("point__points", "point__enterprise")
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def access_requirement(user: User, pk: int) -> Requirement:
    found = (
        Requirement.objects.filter(pk=pk, point__in=visible_points(user))
        .select_related("point__points")
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def access_warning(user: User, pk: int) -> PointWarning:
    found = (
        PointWarning.objects.filter(pk=pk, point__in=visible_points(user))
        .select_related("point__points", "point__enterprise")
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def own_point(user: User, year: int) -> ContactPoint:
    """The enterprise user's contact point of the year; 403 when its enterprise is not on the
    year's list (or the user has no enterprise)."""
    membership = getattr(user, "enterprise_membership", None)
    found = None
    if membership is not None and user.can("contact.report"):
        found = (
            ContactPoint.objects.filter(
                enterprise_id=membership.enterprise_id,
                enterprise__is_deleted=False,
                points__year=year,
            )
            .select_related("points__body", "enterprise")
            .first()
        )
    if found is None:
        raise PermissionDenied(NOT_A_POINT)
    return found


def access_attachment(user: User, pk: int, year: int) -> PointAttachment:
    """An attachment for a reader of its point, or for the enterprise that reported it."""
    rows = PointAttachment.objects.select_related("report__point")
    if user.can("contact.view"):
        found = rows.filter(pk=pk, report__point__in=visible_points(user)).first()
    else:
        point = own_point(user, year)
        found = rows.filter(pk=pk, report__point=point).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found
