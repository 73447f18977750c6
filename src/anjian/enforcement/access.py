"""Who sees which penalty cases. Every read and write of a case looks it up here.

- bureau staff: the cases of the enterprises they see (`registry.access.visible_enterprises`: a
  business section only its sectors' enterprises), in their bodies' scope;
- an enterprise user: in its portal, its own cases once they have been notified to it (告知 and
  later), with the documents served on it (告知书, 听证告知书, 决定书) — never a case still under
  investigation, the filing form, the evidence or the internal reviews;
- everyone else: nothing.
Out of scope answers 404; what a role may do with a case it sees is a capability (403).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.accounts.roles import BUREAU_STAFF, Role
from anjian.enforcement.models import CaseDocument, CaseEvidence, PenaltyCase
from anjian.registry.access import visible_enterprises


def visible_cases(user: User) -> QuerySet[PenaltyCase]:
    if not user.is_active or user.role not in BUREAU_STAFF:
        return PenaltyCase.objects.none()
    return PenaltyCase.objects.filter(
        enterprise__in=visible_enterprises(user), body_id__in=body_scope_ids(user)
    ).select_related("enterprise", "body", "section", "benchmark")


def access_case(user: User, pk: int) -> PenaltyCase:
    case = visible_cases(user).filter(pk=pk).first()
    if case is None:
        raise Http404("未找到该案件，或您无权查看。")
    return case


def access_case_document(user: User, pk: int) -> CaseDocument:
    document = (
        CaseDocument.objects.select_related("case", "body")
        .filter(pk=pk, case__in=visible_cases(user))
        .first()
    )
    if document is None:
        raise Http404("未找到该文书，或您无权查看。")
    return document


PARTY_STATES = ("notified", "hearing", "decided", "delivered", "paid", "closed")
PARTY_DOCUMENTS = (
    CaseDocument.Kind.NOTICE,
    CaseDocument.Kind.HEARING,
    CaseDocument.Kind.DECISION,
    CaseDocument.Kind.NO_PENALTY,
)


def party_cases(user: User) -> QuerySet[PenaltyCase]:
    """An enterprise user's own cases that have been notified to it."""
    if not user.is_active or user.role != Role.ENTERPRISE:
        return PenaltyCase.objects.none()
    return PenaltyCase.objects.filter(
        enterprise__in=visible_enterprises(user), state__in=PARTY_STATES
    ).select_related("enterprise", "body")


def access_party_document(user: User, pk: int) -> CaseDocument:
    document = (
        CaseDocument.objects.select_related("case", "body")
        .filter(pk=pk, case__in=party_cases(user), kind__in=PARTY_DOCUMENTS)
        .first()
    )
    if document is None:
        raise Http404("未找到该文书，或您无权查看。")
    return document


def access_case_evidence(user: User, pk: int) -> CaseEvidence:
    evidence = CaseEvidence.objects.filter(pk=pk, case__in=visible_cases(user)).first()
    if evidence is None or not evidence.file:
        raise Http404("未找到该证据材料，或您无权查看。")
    return evidence
