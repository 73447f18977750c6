"""The office consolidates a week of the dispatch into one bulletin (周调度通报): a 公文 numbered in
the register of issued documents (文应急调度〔2026〕3号) with the week's ledger (台账) as its
Excel annex. The figures are the reports' as filed; only submitted reports count."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.documents.services import document_issue
from anjian.domain.steering.targets import share
from anjian.domain.steering.weeks import IsoWeek
from anjian.steering import figures
from anjian.steering.access import is_office
from anjian.steering.documents import (
    NARRATIVE_LABELS,
    BulletinData,
    SectionWeek,
    bulletin_docx,
    ledger_xlsx,
)
from anjian.steering.models import Bulletin, Campaign, WeeklyReport
from anjian.steering.services.weekly import WeeklyError, WeekRow, local, week_board

BULLETIN, LEDGER = "weekly_bulletin", "weekly_ledger"  # kinds in the register
WEEKDAYS = "一二三四五六日"


def campaign_theme(campaign: Campaign) -> str:
    """The quoted theme of the campaign's title (听民意办实事), else the whole title."""
    found = re.search(r"“(.+?)”", campaign.title)
    return found.group(1) if found else campaign.title


def due_text(campaign: Campaign) -> str:
    """周五17:00."""
    return f"周{WEEKDAYS[campaign.report_weekday]}{campaign.report_time:%H:%M}"


def status_of(report: WeeklyReport | None) -> str:
    """How a section stands for a week, as the bulletin and the ledger print it."""
    if report is None:
        return "未报送"
    if report.status == WeeklyReport.Status.SUBMITTED:
        return "逾期报送" if report.late else "按时报送"
    if report.status == WeeklyReport.Status.RETURNED:
        return "已退回"
    return "草稿（未报送）"


def filed(report: WeeklyReport | None) -> bool:
    return report is not None and report.status == WeeklyReport.Status.SUBMITTED


def _number(value: object) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _sum(values: Iterable[object]) -> int | Decimal:
    total = sum((_number(v) for v in values), Decimal(0))
    return int(total) if total == total.to_integral_value() else total


def _part(report_figures: dict[str, object], part: str, whole: str, rate: str) -> Decimal:
    """A share's numerator as filed, or recovered from the share and its denominator (the share
    is kept to 0.1 %, so this is exact up to 999 in the denominator)."""
    if part in report_figures:
        return _number(report_figures[part])
    if report_figures.get(rate) in (None, ""):
        return Decimal(0)
    value = _number(report_figures[rate]) * _number(report_figures.get(whole)) / 100
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def week_totals(reports: Sequence[WeeklyReport]) -> dict[str, object]:
    """Every weekly figure totalled over the reports (shares from the totalled parts)."""
    totals: dict[str, object] = {}
    for code in figures.WEEKLY:
        spec = figures.figure(code)
        if spec.ratio is None:
            totals[code] = _sum(r.figures.get(code) for r in reports)
            continue
        part, whole = spec.ratio
        parts = sum((_part(r.figures, part, whole, code) for r in reports), Decimal(0))
        wholes = _sum(r.figures.get(whole) for r in reports)
        value = share(float(parts), float(wholes))
        totals[code] = str(value) if value is not None else None
    return totals


def section_week(row: WeekRow) -> SectionWeek:
    report = row.report
    counted = filed(report)
    return SectionWeek(
        section=row.section.name,
        status=status_of(report),
        filed=counted,
        late=bool(report and counted and report.late),
        submitted_at=local(report.submitted_at) if report and report.submitted_at else None,
        figures=dict(report.figures) if report and counted else {},
        narrative=(
            {name: getattr(report, name) for name in NARRATIVE_LABELS} if report and counted else {}
        ),
    )


def bulletin_data(campaign: Campaign, week: IsoWeek, summary: str, now: datetime) -> BulletinData:
    board = week_board(campaign, week, now)
    submitted = [row.report for row in board if row.report is not None and filed(row.report)]
    return BulletinData(
        body=campaign.body.name,
        theme=campaign_theme(campaign),
        week=week,
        summary=summary,
        issued_on=local(now).date(),
        due=due_text(campaign),
        rows=tuple(section_week(row) for row in board),
        totals=week_totals(submitted),
    )


def _issue(actor: User, campaign: Campaign, bulletin: Bulletin, data: BulletinData) -> None:
    """The numbered 公文 and the unnumbered annex into the register, and the audit entry."""
    issue = {"actor": actor, "body": campaign.body, "subject": bulletin, "on": data.issued_on}
    bulletin.document = document_issue(
        kind=BULLETIN, render=lambda stamp: bulletin_docx(data, stamp.number), **issue
    )
    bulletin.annex = document_issue(kind=LEDGER, render=lambda stamp: ledger_xlsx(data), **issue)
    bulletin.save(update_fields=["document", "annex"])
    audit_record(
        actor=actor,
        action="steering.bulletin.consolidate",
        target=bulletin,
        changes={
            "week": data.week.code,
            "number": bulletin.document.number,
            "filed": [row.section for row in data.rows if row.filed],
            "late": [row.section for row in data.rows if row.late],
            "missing": [row.section for row in data.rows if not row.filed],
        },
    )


def bulletin_consolidate(
    *, actor: User, campaign: Campaign, week: IsoWeek, summary: str, now: datetime
) -> Bulletin:
    """The office's bulletin of the week: refused without a submitted report or when the week
    already has one. Issues the numbered 公文 and the unnumbered annex, audited."""
    if not is_office(actor, campaign):
        raise WeeklyError("只有领导小组办公室可以汇总周调度通报")
    summary = summary.strip()
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        if Bulletin.objects.filter(campaign=campaign, year=week.year, week=week.week).exists():
            raise WeeklyError(f"{week.label}已汇总，不能重复汇总")
        data = bulletin_data(campaign, week, summary, now)
        if not any(row.filed for row in data.rows):
            raise WeeklyError(f"{week.label}尚无已报送的周调度报告，不能汇总")
        bulletin = Bulletin.objects.create(
            campaign=campaign,
            year=week.year,
            week=week.week,
            summary=summary,
            consolidated_by=actor,
            consolidated_at=now,
        )
        _issue(actor, campaign, bulletin, data)
    return bulletin
