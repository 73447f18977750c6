"""Numbers of the penalty documents per body, kind and year: 文水应急立〔2026〕3号 (立案审批表),
文水应急罚告〔2026〕1号 (行政处罚告知书), 文水应急听告 (听证告知书), 文水应急罚 (行政处罚决定书),
文水应急不罚 (不予行政处罚决定书). The serial rows are the inspections' `DocumentSerial`, with
kinds prefixed "case_"."""

from __future__ import annotations

from datetime import date

from anjian.accounts.models import EnforcementBody, User
from anjian.enforcement.models import CaseDocument, PenaltyCase
from anjian.inspections.services.numbers import next_serial

ABBREVIATIONS: dict[str, str] = {
    CaseDocument.Kind.FILING: "立",
    CaseDocument.Kind.NOTICE: "罚告",
    CaseDocument.Kind.HEARING: "听告",
    CaseDocument.Kind.DECISION: "罚",
    CaseDocument.Kind.NO_PENALTY: "不罚",
}


def format_case_number(body: EnforcementBody, kind: str, year: int, serial: int) -> str:
    return f"{body.document_prefix}{ABBREVIATIONS[kind]}〔{year}〕{serial}号"


def issue_case_document(
    *, actor: User | None, case: PenaltyCase, kind: str, on: date
) -> CaseDocument:
    """The next number of this kind for the case's body and year (文水应急立〔2026〕3号). Call
    inside the caller's transaction: the serial row (shared with the inspection documents,
    kinds prefixed "case_") is locked, and a unique constraint backs it up."""
    serial = next_serial(case.body, f"case_{kind}", on.year)
    return CaseDocument.objects.create(
        case=case,
        body=case.body,
        kind=kind,
        year=on.year,
        serial=serial,
        number=format_case_number(case.body, kind, on.year, serial),
        issued_on=on,
        issued_by=actor,
    )
