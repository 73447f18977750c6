"""Reading the register: scoped to the user's bodies and, for a document about an enterprise, to
the enterprises the user may see (a business section sees only its sectors' documents); bureau
staff only (an enterprise reaches its own documents through the area that issued them)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.accounts.roles import BUREAU_STAFF
from anjian.documents.models import IssuedDocument
from anjian.registry.access import visible_enterprises


def visible_documents(user: User) -> QuerySet[IssuedDocument]:
    """Every version of every document of the bodies in the user's scope."""
    if user.role not in BUREAU_STAFF:
        return IssuedDocument.objects.none()
    enterprises = visible_enterprises(user).values("pk")
    return IssuedDocument.objects.filter(body_id__in=body_scope_ids(user)).filter(
        Q(enterprise__isnull=True) | Q(enterprise_id__in=enterprises)
    )


def access_document(user: User, pk: int) -> IssuedDocument:
    """One register row in the user's scope; 404 otherwise."""
    found = visible_documents(user).select_related("body", "issued_by").filter(pk=pk).first()
    if found is None:
        raise Http404("未找到该文书，或您无权查看。")
    return found


def body_documents(body_id: int) -> QuerySet[IssuedDocument]:
    """The body's issued documents that name no enterprise (bulletins, plans, notices), without
    their bytes: what a campaign may link as evidence."""
    return (
        IssuedDocument.objects.filter(body_id=body_id, enterprise__isnull=True)
        .defer("content")
        .order_by("-issued_at", "-pk")
    )


def register_rows(
    user: User, *, kind: str = "", year: int | None = None, number: str = ""
) -> QuerySet[IssuedDocument]:
    """The register page: filtered by kind, year and (part of) the number, newest first."""
    rows = visible_documents(user).select_related("body", "issued_by", "enterprise")
    if kind:
        rows = rows.filter(kind=kind)
    if year is not None:
        rows = rows.filter(year=year)
    if number:
        rows = rows.filter(number__icontains=number)
    return rows.defer("content").order_by("-issued_at", "-pk")
