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
    return f"{body.document_prefix}应急{ABBREVIATIONS[kind]}〔{year}〕{serial}号"


def issue_document(
    *, actor: User | None, task: InspectionTask, kind: str, on: date
) -> InspectionDocument:
    """Give the next number of this kind for the task's body and year. Call inside the caller's
    transaction: the serial row is locked, and a unique constraint backs it up."""
    serial, _ = DocumentSerial.objects.get_or_create(body=task.body, kind=kind, year=on.year)
    serial = DocumentSerial.objects.select_for_update().get(pk=serial.pk)
    serial.last += 1
    serial.save(update_fields=["last"])
    return InspectionDocument.objects.create(
        task=task,
        body=task.body,
        kind=kind,
        year=on.year,
        serial=serial.last,
        number=format_number(task.body, kind, on.year, serial.last),
        issued_on=on,
        issued_by=actor,
    )
