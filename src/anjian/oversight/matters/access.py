"""Who sees and handles which matter of the register (举报事项、问题线索).

- A matter routed to the discipline group (a clue of staff misconduct) is seen by the discipline
  group of its body (or above) alone: every other role, the head included, gets 404.
- The discipline group also sees every section-routed matter of its bodies.
- The head, the office and the legal office see every section-routed matter of their bodies.
- Any other staff member sees the section-routed matters of its own section.
- Enterprises, administrators and training institutions see nothing (no `matter.view`).

The complainant's name and contact are shown only on a matter that is not anonymous, and never
to anyone but the discipline group when the matter is routed to discipline (a section never sees
who complained of its staff; it does not see such a matter at all)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.oversight.models import Matter

NOT_FOUND = "未找到该事项，或您无权查看。"
READERS_OF_BODY = frozenset({Role.BUREAU_HEAD, Role.OFFICE, Role.LEGAL_OFFICE})
"""Roles that read every section-routed matter of their bodies (and handle them, if they may)."""
SECTION_ROUTE = Matter.Route.SECTION
DISCIPLINE_ROUTE = Matter.Route.DISCIPLINE


def _route_filter(user: User) -> Q | None:
    """The matters of the user's bodies it may see, as a filter; None for nothing."""
    if user.role == Role.DISCIPLINE:
        return Q()
    if user.role in READERS_OF_BODY:
        return Q(route=SECTION_ROUTE)
    if user.section_id is None:
        return None
    return Q(route=SECTION_ROUTE, section_id=user.section_id)


def visible_matters(user: User) -> QuerySet[Matter]:
    if not user.can("matter.view"):
        return Matter.objects.none()
    condition = _route_filter(user)
    if condition is None:
        return Matter.objects.none()
    return Matter.objects.filter(condition, body_id__in=body_scope_ids(user))


def access_matter(user: User, pk: int) -> Matter:
    found = (
        visible_matters(user)
        .filter(pk=pk)
        .select_related("body", "section", "owner", "enterprise", "created_by")
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def may_handle(user: User, matter: Matter) -> bool:
    """Whether the user may accept, assign, answer and close the matter (it already sees it)."""
    if not user.can("matter.handle"):
        return False
    if matter.route == DISCIPLINE_ROUTE:
        return user.role == Role.DISCIPLINE
    if user.role in (Role.DISCIPLINE, *READERS_OF_BODY):
        return True
    return matter.section_id is not None and matter.section_id == user.section_id


def shows_complainant(user: User, matter: Matter) -> bool:
    """Whether the page may show who complained and how to reach them."""
    if matter.anonymous:
        return False
    return matter.route == SECTION_ROUTE or user.role == Role.DISCIPLINE


def owner_candidates(matter: Matter) -> QuerySet[User]:
    """Who may be made the owner (承办人): the discipline group of the matter's body for a clue,
    else the matter's section and the body's office and legal office."""
    users = User.objects.filter(body_id=matter.body_id, is_active=True)
    if matter.route == DISCIPLINE_ROUTE:
        return users.filter(role=Role.DISCIPLINE).order_by("username")
    condition = Q(role__in=[Role.OFFICE, Role.LEGAL_OFFICE])
    if matter.section_id is not None:
        condition |= Q(section_id=matter.section_id, role__in=HANDLING_SECTION_ROLES)
    return users.filter(condition).order_by("username")


HANDLING_SECTION_ROLES = [Role.BUSINESS_SECTION, Role.ENFORCEMENT_TEAM, Role.HR_FINANCE]
