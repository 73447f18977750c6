"""The inspection documents' numbers and bytes, kept in the register of issued documents
(`anjian.documents`): 文应急检记〔2026〕12号, per body, kind and year. Each document is written
once, when issued, from the records as they are then; every later download serves those bytes.

A service opens the document where it needs the row to link to (an order, a review, a hazard's
measure), saves every fact the document prints, then files it: `open_document` → … →
`file_document`, all in one transaction. `issue_document` does both when the facts are saved."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.urls import reverse

from anjian.accounts.models import User
from anjian.documents.models import IssuedDocument
from anjian.documents.services import (
    DocumentStamp,
    Render,
    document_correct,
    document_freeze,
    document_issue,
    format_number,
    next_serial,
    versions_of,
)
from anjian.inspections.codes import entry_code
from anjian.inspections.documents import document_docx
from anjian.inspections.models import InspectionDocument, InspectionTask

__all__ = [
    "correct_document",
    "document_frozen",
    "document_versions",
    "file_document",
    "format_number",
    "issue_document",
    "next_serial",
    "open_document",
    "site_verify_url",
]


def site_verify_url(task: InspectionTask) -> str:
    """The public address of the task's entry-code verification page (the notice's QR code),
    built from `ANJIAN_SITE_URL` so a document issued in a service knows it."""
    path = reverse("inspections:verify", args=[entry_code(task)])
    return f"{settings.ANJIAN_SITE_URL}{path}"


def open_document(
    *, actor: User | None, task: InspectionTask, kind: str, on: date
) -> InspectionDocument:
    """The document's row, not yet numbered: link it, save what it prints, then file it."""
    return InspectionDocument.objects.create(
        task=task, body=task.body, kind=kind, year=on.year, issued_on=on, issued_by=actor
    )


def _renderer(document: InspectionDocument) -> Render:
    def render(stamp: DocumentStamp) -> bytes:
        document.year, document.serial, document.number = stamp.year, stamp.serial, stamp.number
        return document_docx(document, site_verify_url(document.task))[1]

    return render


def file_document(*, actor: User | None, document: InspectionDocument) -> InspectionDocument:
    """Number the opened document and keep its bytes in the register. Call inside the caller's
    transaction, after every fact it prints is saved: the serial row stays locked until then."""
    task = document.task
    issued = document_issue(
        actor=actor,
        body=document.body,
        kind=document.kind,
        subject=task,
        on=document.issued_on,
        render=_renderer(document),
        enterprise=task.enterprise,
    )
    document.issued = issued
    document.save(update_fields=["year", "serial", "number", "issued"])
    return document


def issue_document(
    *, actor: User | None, task: InspectionTask, kind: str, on: date
) -> InspectionDocument:
    """Open and file at once, for a document whose facts are all saved already."""
    document = open_document(actor=actor, task=task, kind=kind, on=on)
    return file_document(actor=actor, document=document)


def document_versions(document: InspectionDocument) -> list[IssuedDocument]:
    """Every version of the document in the register, newest first."""
    if document.issued is None:
        return []
    return list(versions_of(document.issued))


def document_frozen(*, actor: User | None, document: InspectionDocument) -> IssuedDocument:
    """The register row of a document issued before the register kept bytes, frozen on its first
    download after the upgrade and recorded as such; a row with bytes is returned as it is."""
    if document.issued is None:
        raise ValueError("该文书未登记。")
    return document_freeze(
        actor=actor,
        document=document.issued,
        render=lambda stamp: document_docx(document, site_verify_url(document.task))[1],
    )


def correct_document(*, actor: User, document: InspectionDocument, reason: str) -> IssuedDocument:
    """更正: a new version of the document, same number, written from the records as they are
    now, with the reason. The caller checks that the actor may issue this kind."""
    if document.issued is None:
        raise ValueError("该文书未登记。")
    return document_correct(
        actor=actor,
        document=document.issued,
        reason=reason,
        render=lambda stamp: document_docx(document, site_verify_url(document.task))[1],
    )
