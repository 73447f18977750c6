"""Data scope for bodies, sections and users, and the capability gate for views.

A user sees its own body and every body below it (a city sees its counties). Enterprise and
training-institution users and the three administrators see no enforcement data beyond what
their own pages show. Scope over enterprises and officers is in `registry/access.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from anjian.accounts.models import EnforcementBody, Section, User
from anjian.accounts.roles import ADMINISTRATORS, BUREAU_STAFF

View = TypeVar("View", bound=Callable[..., HttpResponse])


def body_scope_ids(user: User) -> set[int]:
    """The bodies whose records this user may see. Walked once per user object (a request's
    user is loaded per request): a page scopes many querysets, and the body tree was walked
    again for each of them. The cache is keyed on what decides the scope, so a changed role or
    body on the same object is walked again."""
    if not user.is_active or user.body_id is None:
        return set()
    if user.role not in BUREAU_STAFF and user.role not in ADMINISTRATORS:
        return set()
    decided_by = (user.body_id, user.role)
    cached = getattr(user, "_body_scope", None)
    if cached is None or cached[0] != decided_by:
        cached = (decided_by, frozenset(user.body.descendant_ids()))
        user._body_scope = cached  # type: ignore[attr-defined]
    return set(cached[1])


def visible_bodies(user: User) -> QuerySet[EnforcementBody]:
    return EnforcementBody.objects.filter(pk__in=body_scope_ids(user))


def visible_sections(user: User) -> QuerySet[Section]:
    return Section.objects.filter(body_id__in=body_scope_ids(user))


def visible_users(user: User) -> QuerySet[User]:
    """Users of the bodies in scope, and enterprise users of enterprises those bodies supervise.
    (Training-institution users belong to no body yet, so no administrator sees them.)"""
    if not user.can("users.view"):
        return User.objects.none()
    bodies = body_scope_ids(user)
    return User.objects.filter(
        Q(body_id__in=bodies) | Q(enterprise_membership__enterprise__supervising_body_id__in=bodies)
    ).distinct()


def access_user(actor: User, pk: int) -> User:
    try:
        return visible_users(actor).select_related("body", "section").get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404("未找到该用户，或您无权查看。") from exc


def require(capability: str) -> Callable[[View], View]:
    """Login required, then the capability; anything else answers 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not isinstance(user, User) or not user.can(capability):
                raise PermissionDenied("您的角色无权访问此页面。")
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorate
