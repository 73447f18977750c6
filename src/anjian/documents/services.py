"""Issuing, correcting and serving documents. Every document is rendered once, when it is issued,
and every later download serves those exact bytes; a correction is a new version with the same
number and a reason. Numbers: {body prefix}{abbreviation}〔{year}〕{serial}号, per body, kind and
year, never a database id."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone

from anjian.accounts.models import EnforcementBody
from anjian.audit.services import audit_record
from anjian.documents.kinds import kind_of
from anjian.documents.models import DocumentSerial, IssuedDocument
from anjian.ui.pages import DOCX, attachment


class DocumentError(ValueError):
    """A document request that cannot be carried out; the message is shown to the user."""


@dataclass(frozen=True)
class DocumentStamp:
    """What the register gives a document before it is rendered: the renderer prints these."""

    number: str
    title: str
    kind: str
    year: int
    serial: int | None
    issued_on: date
    version: int


Render = Callable[[DocumentStamp], bytes]


def format_number(body: EnforcementBody, kind: str, year: int, serial: int) -> str:
    """文应急检记〔2026〕12号: the body's prefix, the kind's abbreviation, the year, the serial."""
    return f"{body.document_prefix}{kind_of(kind).abbreviation}〔{year}〕{serial}号"


def next_serial(body: EnforcementBody, kind: str, year: int) -> int:
    """The next serial of this kind for the body and year. Call inside the caller's transaction:
    the serial row stays locked until it ends, and unique constraints back it up."""
    DocumentSerial.objects.get_or_create(body=body, kind=kind, year=year)
    serial = DocumentSerial.objects.select_for_update().get(body=body, kind=kind, year=year)
    serial.last += 1
    serial.save(update_fields=["last"])
    return serial.last


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
EXTENSIONS = {DOCX: ".docx", XLSX: ".xlsx", PDF: ".pdf"}


def content_type_of(content: bytes) -> str:
    """What the rendered bytes are: a Word file as a rule, an Excel annex, or a PDF."""
    if content.startswith(b"%PDF"):
        return PDF
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return DOCX
    return XLSX if "xl/workbook.xml" in names else DOCX


def file_name(number: str, title: str, content_type: str = DOCX) -> str:
    """文应急检记〔2026〕12号现场检查记录.docx (just the title for an unnumbered kind)."""
    return f"{number}{title}{EXTENSIONS.get(content_type, '.docx')}"


def _subject_key(subject: models.Model) -> dict[str, str]:
    meta = subject._meta
    return {
        "subject_app": meta.app_label,
        "subject_model": meta.model_name or "",
        "subject_pk": str(subject.pk),
    }


def _rendered(render: Render, stamp: DocumentStamp) -> bytes:
    content = render(stamp)
    if not isinstance(content, bytes) or not content:
        raise DocumentError("文书生成失败：内容为空。")
    return content


def _store(stamp: DocumentStamp, content: bytes, **fields: Any) -> IssuedDocument:
    content_type = content_type_of(content)
    return IssuedDocument.objects.create(
        kind=stamp.kind,
        title=stamp.title,
        year=stamp.year,
        serial=stamp.serial,
        number=stamp.number,
        version=stamp.version,
        issued_on=stamp.issued_on,
        issued_at=timezone.now(),
        content=content,
        content_type=content_type,
        file_name=file_name(stamp.number, stamp.title, content_type),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        **fields,
    )


def document_issue(
    *,
    actor: Any,
    body: EnforcementBody,
    kind: str,
    subject: models.Model,
    on: date,
    render: Render,
    enterprise: Any = None,
) -> IssuedDocument:
    """Number (for a numbered kind), render once and keep the exact bytes with their SHA-256,
    audited as "document.issue". One transaction: the serial row stays locked until it ends."""
    if subject.pk is None:
        raise DocumentError("文书对象尚未保存，不能签发。")
    spec = kind_of(kind)
    with transaction.atomic():
        serial = next_serial(body, kind, on.year) if spec.numbered else None
        number = format_number(body, kind, on.year, serial) if serial is not None else ""
        stamp = DocumentStamp(number, spec.title, kind, on.year, serial, on, 1)
        document = _store(
            stamp,
            _rendered(render, stamp),
            body=body,
            enterprise=enterprise,
            issued_by=actor if getattr(actor, "pk", None) else None,
            **_subject_key(subject),
        )
        audit_record(
            actor=actor,
            action="document.issue",
            target=document,
            changes={
                "number": document.number,
                "kind": kind,
                "version": 1,
                "sha256": document.sha256,
                "subject": f"{document.subject_app}.{document.subject_model}:{subject.pk}",
            },
        )
    return document


def document_correct(
    *, actor: Any, document: IssuedDocument, reason: str, render: Render
) -> IssuedDocument:
    """更正: a new version of the document with the same number and the reason; both versions
    stay in the register. Audited as "document.correct" with both hashes."""
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError("更正文书必须填写更正理由。")
    with transaction.atomic():
        latest = _latest_locked(document)
        stamp = DocumentStamp(
            latest.number,
            latest.title,
            latest.kind,
            latest.year,
            latest.serial,
            latest.issued_on,
            latest.version + 1,
        )
        corrected = _store(
            stamp,
            _rendered(render, stamp),
            body_id=latest.body_id,
            enterprise_id=latest.enterprise_id,
            issued_by=actor if getattr(actor, "pk", None) else None,
            supersedes=latest,
            correction_reason=reason,
            subject_app=latest.subject_app,
            subject_model=latest.subject_model,
            subject_pk=latest.subject_pk,
        )
        audit_record(
            actor=actor,
            action="document.correct",
            target=corrected,
            changes={
                "number": corrected.number,
                "kind": corrected.kind,
                "version": corrected.version,
                "reason": reason,
                "sha256_before": latest.sha256,
                "sha256": corrected.sha256,
            },
        )
    return corrected


def _latest_locked(document: IssuedDocument) -> IssuedDocument:
    """The newest version of the document's chain, its row locked so two corrections queue."""
    if document.version == 1 and document.supersedes_id is None:
        first = document
    else:
        first = versions_of(document).get(version=1)
    IssuedDocument.objects.select_for_update().filter(pk=first.pk).get()
    return versions_of(first).order_by("-version").first() or first


def versions_of(document: IssuedDocument) -> QuerySet[IssuedDocument]:
    """Every version of the same document (same body, kind, subject and number), newest first."""
    chain = IssuedDocument.objects.filter(
        body_id=document.body_id,
        kind=document.kind,
        subject_app=document.subject_app,
        subject_model=document.subject_model,
        subject_pk=document.subject_pk,
    )
    if document.serial is not None:
        chain = chain.filter(year=document.year, serial=document.serial)
    else:
        chain = chain.filter(pk__in=_unnumbered_chain(document))
    return chain.order_by("-version", "-pk")


def _unnumbered_chain(document: IssuedDocument) -> list[int]:
    """An unnumbered document's versions, followed through `supersedes` both ways."""
    first = document
    while first.supersedes_id is not None:
        first = IssuedDocument.objects.get(pk=first.supersedes_id)
    found = [first.pk]
    current: IssuedDocument | None = first
    while current is not None:
        current = IssuedDocument.objects.filter(supersedes_id=current.pk).first()
        if current is not None:
            found.append(current.pk)
    return found


def document_for(subject: models.Model, kind: str) -> IssuedDocument | None:
    """The latest version of the subject's newest document of this kind, or None."""
    return documents_of(subject).filter(kind=kind).order_by("-issued_at", "-version", "-pk").first()


def numbers_for(subjects: Sequence[models.Model], kind: str) -> dict[str, str]:
    """The number of each subject's latest document of this kind, by the subject's pk as text,
    in one query (a list or an export naming the documents of many records)."""
    if not subjects:
        return {}
    meta = subjects[0]._meta
    rows = (
        IssuedDocument.objects.filter(
            subject_app=meta.app_label,
            subject_model=meta.model_name or "",
            subject_pk__in=[str(s.pk) for s in subjects],
            kind=kind,
        )
        .order_by("subject_pk", "-issued_at", "-version", "-pk")
        .values_list("subject_pk", "number")
    )
    found: dict[str, str] = {}
    for subject_pk, number in rows:
        found.setdefault(subject_pk, number)
    return found


def documents_of(subject: models.Model) -> QuerySet[IssuedDocument]:
    """Every document issued for the subject, every version, newest first."""
    return IssuedDocument.objects.filter(**_subject_key(subject)).order_by(
        "-issued_at", "-version", "-pk"
    )


def document_response(document: IssuedDocument) -> HttpResponse:
    """The stored bytes as an attachment named by the document's file name; never regenerated.
    A document issued before the register kept bytes must be frozen first (`document_freeze`)."""
    if document.content is None:
        raise DocumentError("该文书尚未固化，请先固化后再下载。")
    return attachment(bytes(document.content), document.file_name, document.content_type)


def document_freeze(*, actor: Any, document: IssuedDocument, render: Render) -> IssuedDocument:
    """Keep the bytes of a document issued before the register existed: rendered once, on its
    first download after the upgrade, and recorded as such (`legacy`, `frozen_at`, audit
    "document.freeze_legacy"). A document that already has bytes is returned as it is."""
    with transaction.atomic():
        row = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        if row.content is not None:
            return row
        stamp = DocumentStamp(
            row.number, row.title, row.kind, row.year, row.serial, row.issued_on, row.version
        )
        content = _rendered(render, stamp)
        sha = hashlib.sha256(content).hexdigest()
        # The one write over a register row: only while it has no bytes, never after.
        IssuedDocument.objects.filter(pk=row.pk, content__isnull=True).update(
            content=content, size=len(content), sha256=sha, frozen_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="document.freeze_legacy",
            target=row,
            changes={"number": row.number, "kind": row.kind, "version": row.version, "sha256": sha},
        )
        return IssuedDocument.objects.get(pk=row.pk)
