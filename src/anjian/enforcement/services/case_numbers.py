"""The penalty documents' numbers and bytes, kept in the register of issued documents
(`anjian.documents`): 文应急立〔2026〕3号 (立案审批表), 文应急罚告 (行政处罚告知书), 文应急听告
(听证告知书), 文应急罚 (行政处罚决定书), 文应急不罚 (不予行政处罚决定书), per body, kind and year.

Each document is written once, when issued, and its register row has the case as subject and the
same kind and number as the `CaseDocument` row: `register_row` finds one from the other."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.http import HttpResponse

from anjian.accounts.models import EnforcementBody, User
from anjian.documents.kinds import KINDS
from anjian.documents.models import IssuedDocument
from anjian.documents.services import (
    DocumentStamp,
    Render,
    document_correct,
    document_freeze,
    document_issue,
    document_response,
    documents_of,
    format_number,
    versions_of,
)
from anjian.enforcement.documents import case_document_docx
from anjian.enforcement.models import CaseDocument, PenaltyCase

# The penalty kinds' abbreviations, from the register's table of kinds.
ABBREVIATIONS: dict[str, str] = {
    kind: KINDS[kind].abbreviation for kind in CaseDocument.Kind.values if kind in KINDS
}


def format_case_number(body: EnforcementBody, kind: str, year: int, serial: int) -> str:
    return format_number(body, kind, year, serial)


def _renderer(case: PenaltyCase, actor: User | None, kind: str) -> Render:
    def render(stamp: DocumentStamp) -> bytes:
        draft = CaseDocument(
            case=case,
            body=case.body,
            kind=kind,
            year=stamp.year,
            serial=stamp.serial or 0,
            number=stamp.number,
            issued_on=stamp.issued_on,
            issued_by=actor,
        )
        return case_document_docx(draft)[1]

    return render


def issue_case_document(
    *, actor: User | None, case: PenaltyCase, kind: str, on: date
) -> CaseDocument:
    """Number the document, write it once and keep its bytes in the register. Call inside the
    caller's transaction (a case step): the case's pending changes are saved first, because the
    document prints the case as the step leaves it (the decided fine, the notification day)."""
    with transaction.atomic():
        case.save()
        issued = document_issue(
            actor=actor,
            body=case.body,
            kind=kind,
            subject=case,
            on=on,
            render=_renderer(case, actor, kind),
            enterprise=case.enterprise,
        )
        return CaseDocument.objects.create(
            case=case,
            body=case.body,
            kind=kind,
            year=issued.year,
            serial=issued.serial,
            number=issued.number,
            issued_on=on,
            issued_by=actor,
        )


def register_row(document: CaseDocument) -> IssuedDocument | None:
    """The register's latest version of the case document (same case, kind and number)."""
    return (
        documents_of(document.case)
        .filter(kind=document.kind, number=document.number)
        .order_by("-version", "-pk")
        .first()
    )


def case_document_served(*, actor: User | None, document: CaseDocument) -> HttpResponse:
    """The case document exactly as issued (its latest version). A document numbered before the
    register kept bytes is frozen now, on its first download after the upgrade, and recorded."""
    issued = register_row(document)
    if issued is None:
        raise IssuedDocument.DoesNotExist("该文书未在文书登记簿中登记。")
    if issued.content is None:
        issued = document_freeze(
            actor=actor, document=issued, render=lambda stamp: case_document_docx(document)[1]
        )
    return document_response(issued)


# Who issues each kind, and so may correct it: the handling officers up to the notices, the head
# for the decisions.
CORRECTORS: dict[str, str] = {
    CaseDocument.Kind.FILING: "penalty.handle",
    CaseDocument.Kind.NOTICE: "penalty.handle",
    CaseDocument.Kind.HEARING: "penalty.handle",
    CaseDocument.Kind.DECISION: "penalty.decide",
    CaseDocument.Kind.NO_PENALTY: "penalty.decide",
}


def may_correct(user: User, document: CaseDocument) -> bool:
    capability = CORRECTORS.get(document.kind)
    return capability is not None and user.can(capability) and user.body_id == document.body_id


def case_document_versions(document: CaseDocument) -> list[IssuedDocument]:
    """Every version of the case document in the register, newest first."""
    issued = register_row(document)
    return list(versions_of(issued).defer("content")) if issued is not None else []


def correct_case_document(*, actor: User, document: CaseDocument, reason: str) -> IssuedDocument:
    """更正: a new version, same number, written from the case as it is now, with the reason."""
    issued = register_row(document)
    if issued is None:
        raise IssuedDocument.DoesNotExist("该文书未在文书登记簿中登记。")
    return document_correct(
        actor=actor,
        document=issued,
        reason=reason,
        render=lambda stamp: case_document_docx(document)[1],
    )
