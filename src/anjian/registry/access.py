"""Who sees which enterprises and officers. Every registry read goes through these.

- bureau staff (head, office, legal office, enforcement team, HR/finance, discipline):
  every enterprise supervised by their body or a body below it;
- a business section: only the enterprises of its sectors within that scope;
- an enterprise user: only its own enterprise;
- everyone else (training institutions, the three administrators): none.

A record outside the scope answers 404, so its existence is not revealed.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.accounts.roles import BUREAU_STAFF, Role
from anjian.registry.models import Enterprise, Officer


def visible_enterprises(user: User) -> QuerySet[Enterprise]:
    live = Enterprise.objects.filter(is_deleted=False)
    if not user.is_active:
        return live.none()
    if user.role == Role.ENTERPRISE:
        membership = getattr(user, "enterprise_membership", None)
        if membership is None:
            return live.none()
        return live.filter(pk=membership.enterprise_id)
    if user.role not in BUREAU_STAFF:
        return live.none()
    scoped = live.filter(supervising_body_id__in=body_scope_ids(user))
    if user.role == Role.BUSINESS_SECTION:
        sectors = user.section.sectors if user.section else []
        scoped = scoped.filter(sector__in=sectors)
    return scoped


def contact_points(body_id: int) -> QuerySet[Enterprise]:
    """The enterprises the body chose as its grass-roots contact points (基层联系点)."""
    return Enterprise.objects.filter(
        is_deleted=False, supervising_body_id=body_id, is_contact_point=True
    )


def visible_officers(user: User) -> QuerySet[Officer]:
    live = Officer.objects.filter(is_deleted=False)
    if not user.is_active or user.role not in BUREAU_STAFF:
        return live.none()
    return live.filter(body_id__in=body_scope_ids(user))


def access_enterprise(user: User, pk: int) -> Enterprise:
    try:
        return visible_enterprises(user).select_related("supervising_body").get(pk=pk)
    except Enterprise.DoesNotExist as exc:
        raise Http404("未找到该企业，或您无权查看。") from exc


def access_officer(user: User, pk: int) -> Officer:
    try:
        return visible_officers(user).select_related("body", "section").get(pk=pk)
    except Officer.DoesNotExist as exc:
        raise Http404("未找到该执法人员，或您无权查看。") from exc
