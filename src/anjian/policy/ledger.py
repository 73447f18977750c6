"""The quiet-period exception ledger (例外台账) and the facts of the 抄告 notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from anjian.domain.rules.quiet import exception_rate
from anjian.policy.models import EntryBooking, QuietException
from anjian.policy.notice import notice_number, notice_numbers
from anjian.policy.selectors import (
    quiet_month_state,
)
from anjian.registry.models import Enterprise
from anjian.ui.sheets import workbook_bytes, write_row


@dataclass(frozen=True)
class LedgerMonth:
    month: date
    quiet_days: int
    on_site_entries: int
    under_exception: int  # under an exception approved beforehand (事前批准)
    approved: int
    refused: int
    pending: int
    under_backfill: int = 0  # emergency entries made first, back-fill asked (事后补批)
    backfill_pending: int = 0
    backfill_overdue: int = 0
    default_quiet: bool = False  # the month ran on the default pattern (默认安静期)

    @property
    def rate(self) -> float | None:
        """The exception rate: entries under prior approval ÷ on-site entries."""
        return exception_rate(self.on_site_entries, self.under_exception)

    @property
    def backfill_rate(self) -> float | None:
        """Emergency entries approved (or to be approved) afterwards ÷ on-site entries."""
        return exception_rate(self.on_site_entries, self.under_backfill)


def exception_ledger_rows(
    body_id: int,
    year: int,
    today: date | None = None,
    enterprises: QuerySet[Enterprise] | None = None,
) -> list[LedgerMonth]:
    """Month by month: quiet days (declared or default), on-site entries into the body's
    enterprises, how many were made under an exception approved beforehand (the exception rate)
    and, counted apart, how many were emergency entries with a back-fill (overdue ones flagged).
    Given `enterprises` (a business section's sectors), only theirs are counted."""
    only = {} if enterprises is None else {"enterprise__in": enterprises}
    bookings = (
        EntryBooking.objects.filter(
            enterprise__supervising_body_id=body_id,
            date__year=year,
            mode="on_site",
            cancelled_at__isnull=True,
            **only,
        )
        .values("date__month")
        .annotate(
            total=Count("id"),
            excepted=Count("id", filter=Q(quiet_exception__timing="prior")),
            backfilled=Count("id", filter=Q(quiet_exception__timing="backfill")),
        )
    )
    by_month = {b["date__month"]: b for b in bookings}
    requests = (
        QuietException.objects.filter(body_id=body_id, date__year=year, **only)
        .values("date__month", "status", "timing")
        .annotate(n=Count("id"))
    )
    decided: dict[tuple[int, str, str], int] = {
        (r["date__month"], r["status"], r["timing"]): r["n"] for r in requests
    }
    overdue = _overdue_by_month(body_id, year, today or timezone.localdate(), only)
    return [
        _ledger_month(body_id, date(year, month, 1), by_month.get(month, {}), decided, overdue)
        for month in range(1, 13)
    ]


def _overdue_by_month(
    body_id: int, year: int, today: date, only: dict[str, object]
) -> dict[int, int]:
    late = QuietException.objects.filter(
        **only,
        body_id=body_id,
        date__year=year,
        timing=QuietException.Timing.BACKFILL,
        status=QuietException.Status.PENDING,
        backfill_due__lt=today,
    ).values_list("date__month", flat=True)
    found: dict[int, int] = {}
    for month in late:
        found[month] = found.get(month, 0) + 1
    return found


def _ledger_month(
    body_id: int,
    first: date,
    entry: dict[str, int],
    decided: dict[tuple[int, str, str], int],
    overdue: dict[int, int],
) -> LedgerMonth:
    month = first.month
    state = quiet_month_state(body_id, first)

    def count(status: str, timing: str = "prior") -> int:
        return decided.get((month, status, timing), 0)

    return LedgerMonth(
        month=first,
        quiet_days=len(state.days),
        on_site_entries=entry.get("total", 0),
        under_exception=entry.get("excepted", 0),
        approved=count("approved") + count("approved", "backfill"),
        refused=count("refused") + count("refused", "backfill"),
        pending=count("pending"),
        under_backfill=entry.get("backfilled", 0),
        backfill_pending=count("pending", "backfill"),
        backfill_overdue=overdue.get(month, 0),
        default_quiet=state.is_default,
    )


def _rate(value: float | None) -> str:
    return f"{value:.1%}" if value is not None else "—"


def _month_cells(m: LedgerMonth) -> list[object]:
    return [
        f"{m.month.month}月",
        f"{m.quiet_days}（默认）" if m.default_quiet else m.quiet_days,
        m.on_site_entries,
        m.under_exception,
        _rate(m.rate),
        m.under_backfill,
        _rate(m.backfill_rate),
        m.approved,
        m.refused,
        m.pending,
        m.backfill_pending,
        m.backfill_overdue,
    ]


def timing_label(row: QuietException) -> str:
    """事前审批, or 事后补批 with its emergency ground."""
    if not row.is_backfill:
        return str(row.get_timing_display())
    return f"{row.get_timing_display()}（{row.get_emergency_ground_display()}）"


def ledger_workbook(body_name: str, year: int, months: list[LedgerMonth], approved) -> bytes:  # type: ignore[no-untyped-def]
    """The ledger as a printable Excel workbook: the months, then every approved exception."""
    book = Workbook()
    sheet = book.active
    sheet.title = "按月统计"
    sheet.append([f"{body_name} {year}年安静期例外台账"])
    sheet.append(
        [
            "月份",
            "安静日",
            "现场入企",
            "事前批准例外入企",
            "例外率",
            "事后补批入企",
            "事后补批率",
            "批准",
            "不予批准",
            "待审批",
            "待补批",
            "逾期未补批",
        ]
    )
    for m in months:
        sheet.append(_month_cells(m))
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
            "审批方式",
        ]
    )
    approved = list(approved)
    registered = notice_numbers(approved)
    for row in approved:
        write_row(
            detail,
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
                notice_number(row, registered),
                timing_label(row),
            ],
        )
    for ws, widths in (
        (sheet, [8, 8, 10, 12, 9, 12, 10, 8, 10, 8, 8, 10]),
        (detail, [12, 30, 22, 12, 50, 10, 18, 22, 24]),
    ):
        for column, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook_bytes(book)
