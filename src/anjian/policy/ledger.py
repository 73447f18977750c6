"""The quiet-period exception ledger (例外台账) and the facts of the 抄告 notice."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from anjian.domain.rules.quiet import describe_days, exception_rate
from anjian.policy.documents import QuietExceptionNotice
from anjian.policy.models import EntryBooking, QuietException
from anjian.policy.selectors import NoRuleSetInForce, month_quiet_days, ruleset_in_force
from anjian.policy.services.quiet import notice_number


@dataclass(frozen=True)
class LedgerMonth:
    month: date
    quiet_days: int
    on_site_entries: int
    under_exception: int
    approved: int
    refused: int
    pending: int

    @property
    def rate(self) -> float | None:
        return exception_rate(self.on_site_entries, self.under_exception)


def exception_ledger_rows(body_id: int, year: int) -> list[LedgerMonth]:
    """Month by month: quiet days, on-site entries into the body's enterprises, how many of them
    were made under an approved exception (the exception rate), and the requests decided."""
    bookings = (
        EntryBooking.objects.filter(
            enterprise__supervising_body_id=body_id,
            date__year=year,
            mode="on_site",
            cancelled_at__isnull=True,
        )
        .values("date__month")
        .annotate(total=Count("id"), excepted=Count("id", filter=Q(quiet_exception__isnull=False)))
    )
    by_month = {b["date__month"]: b for b in bookings}
    requests = (
        QuietException.objects.filter(body_id=body_id, date__year=year)
        .values("date__month", "status")
        .annotate(n=Count("id"))
    )
    decided: dict[tuple[int, str], int] = {
        (r["date__month"], r["status"]): r["n"] for r in requests
    }
    rows = []
    for month in range(1, 13):
        first = date(year, month, 1)
        entry = by_month.get(month, {})
        rows.append(
            LedgerMonth(
                month=first,
                quiet_days=len(month_quiet_days(body_id, first)),
                on_site_entries=entry.get("total", 0),
                under_exception=entry.get("excepted", 0),
                approved=decided.get((month, "approved"), 0),
                refused=decided.get((month, "refused"), 0),
                pending=decided.get((month, "pending"), 0),
            )
        )
    return rows


def _basis(day: date) -> str:
    try:
        return ruleset_in_force(day).rules().basis("QUIET_EXCEPTION")
    except NoRuleSetInForce:
        return ""


def notice_for(row: QuietException) -> QuietExceptionNotice | None:
    """The facts of the 抄告 notice for an approved exception; None before approval."""
    if row.status != QuietException.Status.APPROVED or row.decided_at is None:
        return None
    body = row.body
    approved_on = timezone.localdate(row.decided_at)
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
    )


def ledger_workbook(body_name: str, year: int, months: list[LedgerMonth], approved) -> bytes:  # type: ignore[no-untyped-def]
    """The ledger as a printable Excel workbook: the months, then every approved exception."""
    book = Workbook()
    sheet = book.active
    sheet.title = "按月统计"
    sheet.append([f"{body_name} {year}年安静期例外台账"])
    sheet.append(["月份", "安静日", "现场入企", "例外入企", "例外率", "批准", "不予批准", "待审批"])
    for m in months:
        rate = f"{m.rate:.1%}" if m.rate is not None else "—"
        sheet.append(
            [
                f"{m.month.month}月",
                m.quiet_days,
                m.on_site_entries,
                m.under_exception,
                rate,
                m.approved,
                m.refused,
                m.pending,
            ]
        )
    detail = book.create_sheet("已批准的例外")
    detail.append(
        [
            "入企日期",
            "企业",
            "统一社会信用代码",
            "活动",
            "特殊情形",
            "批准人",
            "批准时间",
            "抄告文号",
        ]
    )
    for row in approved:
        detail.append(
            [
                row.date.isoformat(),
                row.enterprise.name,
                row.enterprise.uscc,
                row.get_activity_display(),
                row.reason,
                row.decided_by.display_name if row.decided_by else "",
                timezone.localtime(row.decided_at).strftime("%Y-%m-%d %H:%M")
                if row.decided_at
                else "",
                notice_number(row),
            ]
        )
    for ws, widths in (
        (sheet, [10, 8, 10, 10, 10, 8, 10, 8]),
        (detail, [12, 30, 22, 12, 50, 10, 18, 22]),
    ):
        for column, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
