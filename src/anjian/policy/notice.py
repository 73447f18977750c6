"""The 抄告 notice of an approved quiet-period exception: its facts, and its one issued copy in
the register of issued documents (`anjian.documents`). The notice is rendered once, when the head
approves, and every download serves those bytes. Notices approved before the register existed
were entered in the register by migration 0006 under their old numbers and are frozen on their
first download."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.db.models import Max
from django.http import HttpResponse
from django.utils import timezone

from anjian.accounts.models import User
from anjian.documents.models import DocumentSerial, IssuedDocument
from anjian.documents.services import (
    DocumentStamp,
    document_for,
    document_freeze,
    document_issue,
    document_response,
    numbers_for,
)
from anjian.domain.rules.quiet import describe_days
from anjian.policy.documents import QuietExceptionNotice, quiet_exception_notice_docx
from anjian.policy.models import QuietException
from anjian.policy.selectors import NoRuleSetInForce, month_quiet_days, ruleset_in_force

KIND = "quiet_exception_notice"


def _basis(day: date) -> str:
    try:
        return ruleset_in_force(day).rules().basis("QUIET_EXCEPTION")
    except NoRuleSetInForce:
        return ""


def notice_document(row: QuietException) -> IssuedDocument | None:
    return document_for(row, KIND) if row.pk else None


def notice_number(row: QuietException, registered: dict[str, str] | None = None) -> str:
    """The notice's number, e.g. 文水应急抄〔2026〕3号: from the register (looked up, or read from
    `registered`, `notice_numbers` of many rows), or the old numbering of a notice approved
    before the register existed; "" when there is none."""
    if registered is None:
        document = notice_document(row)
        if document is not None:
            return document.number
    elif str(row.pk) in registered:
        return registered[str(row.pk)]
    if row.notice_serial is None:
        return ""
    return f"{row.body.document_prefix}抄〔{row.notice_year}〕{row.notice_serial}号"


def notice_numbers(rows: list[QuietException]) -> dict[str, str]:
    """The registered notice number of each row, in one query (for `notice_number`)."""
    return numbers_for(rows, KIND)


def notice_for(row: QuietException) -> QuietExceptionNotice | None:
    """The facts of the notice for an approved exception; None before approval."""
    if row.status != QuietException.Status.APPROVED or row.decided_at is None:
        return None
    body = row.body
    approved_on = timezone.localdate(row.decided_at)
    document = notice_document(row)
    if document is not None:
        approved_on = document.issued_on
    recipient = (
        body.name.replace("应急管理局", "司法局")
        if "应急管理局" in body.name
        else "同级司法行政机关"
    )
    quiet = month_quiet_days(row.enterprise.supervising_body_id, row.date.replace(day=1))
    return QuietExceptionNotice(
        issuing_body=body.name,
        recipient=recipient,
        document_number=notice_number(row),
        enterprise_name=row.enterprise.name,
        enterprise_uscc=row.enterprise.uscc,
        entry_date=row.date,
        activity_label=row.get_activity_display(),
        section_name=row.section.name if row.section else "",
        reason=row.reason,
        quiet_days_label=f"{row.date.year}年{describe_days(quiet)}",
        requested_by=row.requested_by.display_name or row.requested_by.username,
        approved_by=row.decided_by.display_name if row.decided_by else "",
        approved_on=approved_on,
        issued_on=approved_on,
        basis=_basis(row.date),
        timing=row.timing,
        emergency_ground=row.get_emergency_ground_display() if row.is_backfill else "",
        ground_recorded_on=timezone.localdate(row.requested_at) if row.is_backfill else None,
    )


def _continue_old_serials(row: QuietException, year: int) -> None:
    """The register's serials go on from the notices numbered before it, so no number repeats."""
    last = QuietException.objects.filter(body_id=row.body_id, notice_year=year).aggregate(
        m=Max("notice_serial")
    )["m"]
    if last:
        serial, _ = DocumentSerial.objects.get_or_create(body_id=row.body_id, kind=KIND, year=year)
        DocumentSerial.objects.filter(pk=serial.pk, last__lt=last).update(last=last)


def notice_issue(*, actor: User, row: QuietException, on: date) -> IssuedDocument:
    """Number and render the notice once, at approval (inside the approval's transaction)."""
    _continue_old_serials(row, on.year)

    def render(stamp: DocumentStamp) -> bytes:
        facts = notice_for(row)
        assert facts is not None
        stamped = replace(
            facts, document_number=stamp.number, approved_on=on, issued_on=stamp.issued_on
        )
        return quiet_exception_notice_docx(stamped)

    return document_issue(
        actor=actor,
        body=row.body,
        kind=KIND,
        subject=row,
        on=on,
        render=render,
        enterprise=row.enterprise,
    )


def notice_download(row: QuietException, *, actor: User | None = None) -> HttpResponse | None:
    """The issued copy. A notice issued before the register existed (entered by migration 0006
    without bytes) is rendered once from its facts on its first download and frozen, audited as
    such; every later download serves that copy. None before approval."""
    document = notice_document(row)
    if document is None:
        return None
    if document.content is None:
        facts = notice_for(row)
        if facts is None:
            return None
        document = document_freeze(
            actor=actor,
            document=document,
            render=lambda stamp: quiet_exception_notice_docx(
                replace(facts, document_number=stamp.number)
            ),
        )
    return document_response(document)
