"""Document numbers per body, kind of document and year: 文水应急检记〔2026〕12号."""

from __future__ import annotations

from datetime import date

from anjian.accounts.models import EnforcementBody, User
from anjian.inspections.models import DocumentSerial, InspectionDocument, InspectionTask

ABBREVIATIONS: dict[str, str] = {
    InspectionDocument.Kind.NOTICE: "检通",
    InspectionDocument.Kind.RECORD: "检记",
    InspectionDocument.Kind.ORDER: "责改",
    InspectionDocument.Kind.REVIEW: "复查",
    InspectionDocument.Kind.MEASURE: "现决",
}


def format_number(body: EnforcementBody, kind: str, year: int, serial: int) -> str:
    return f"{body.document_prefix}{ABBREVIATIONS[kind]}〔{year}〕{serial}号"


def next_serial(body: EnforcementBody, kind: str, year: int) -> int:
    """The next serial of this kind for the body and year. Call inside the caller's transaction:
    the serial row stays locked until it ends, and a unique constraint on the documents backs it
    up. Penalty documents use it too, with kinds of their own."""
    serial, _ = DocumentSerial.objects.get_or_create(body=body, kind=kind, year=year)
    serial = DocumentSerial.objects.select_for_update().get(pk=serial.pk)
    serial.last += 1
    serial.save(update_fields=["last"])
    return serial.last


def issue_document(
    *, actor: User | None, task: InspectionTask, kind: str, on: date
) -> InspectionDocument:
    """Give the next number of this kind for the task's body and year. Call inside the caller's
    transaction: the serial row is locked, and a unique constraint backs it up."""
    serial = next_serial(task.body, kind, on.year)
    return InspectionDocument.objects.create(
        task=task,
        body=task.body,
        kind=kind,
        year=on.year,
        serial=serial,
        number=format_number(task.body, kind, on.year, serial),
        issued_on=on,
        issued_by=actor,
    )
