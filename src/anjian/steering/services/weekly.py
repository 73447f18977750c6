"""The weekly dispatch (周调度): a section's report is opened with the figures of its week filled
from the records, edited, submitted by the deadline (or late, and marked so), returned by the
office with a comment, and submitted again. Every step is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.models import Section, User
from anjian.audit.services import audit_record
from anjian.domain.steering.weeks import Deadline, IsoWeek, closes_after
from anjian.steering import figures
from anjian.steering.access import is_office, reporting_sections
from anjian.steering.models import Campaign, WeeklyReport
from anjian.steering.services.notify import Reminder, notify
from anjian.steering.slicing import campaign_slice


class WeeklyError(Exception):
    """A step refused, with the reason shown to the user."""


def deadline_of(campaign: Campaign) -> Deadline:
    return Deadline(campaign.report_weekday, campaign.report_time)


def local(now: datetime) -> datetime:
    """`now` as naive local time, to compare with the deadline's wall-clock time."""
    return timezone.localtime(now).replace(tzinfo=None) if timezone.is_aware(now) else now


def week_of(report: WeeklyReport) -> IsoWeek:
    return IsoWeek(report.year, report.week)


def week_is_open(campaign: Campaign, week: IsoWeek, now: datetime) -> str:
    """Empty when a report of `week` may be filed now, else why not."""
    today = local(now).date()
    if week.monday > today:
        return f"{week.label}尚未开始，不能报送"
    if week.sunday < campaign.reports_from or week.monday > campaign.reports_until:
        return f"{week.label}不在本专项工作的周调度期间内"
    last = closes_after(week, campaign.report_grace_days)
    if today > last:
        return f"{week.label}已于 {last:%Y-%m-%d} 关闭，不能再报送或修改"
    return ""


def week_figures(campaign: Campaign, section: Section, week: IsoWeek) -> dict[str, object]:
    """The week's figures for the section, as the report keeps them."""
    s = campaign_slice(campaign, week.monday, week.sunday, section=section)
    return {code: figures.as_json(v) for code, v in figures.values(figures.WEEKLY, s).items()}


def _check_section(actor: User, campaign: Campaign, section: Section) -> None:
    if not reporting_sections(campaign).filter(pk=section.pk).exists():
        raise WeeklyError(f"{section.name}不是本专项工作的责任股室")
    if actor.section_id != section.pk and not is_office(actor, campaign):
        raise WeeklyError("只能填报本股室的周调度报告")


def report_open(
    *, actor: User, campaign: Campaign, section: Section, week: IsoWeek, now: datetime
) -> WeeklyReport:
    """The section's report of the week, created as a draft with its figures filled."""
    _check_section(actor, campaign, section)
    existing = WeeklyReport.objects.filter(
        campaign=campaign, section=section, year=week.year, week=week.week
    ).first()
    if existing is not None:
        return existing
    refused = week_is_open(campaign, week, now)
    if refused:
        raise WeeklyError(refused)
    with transaction.atomic():
        report = WeeklyReport.objects.create(
            campaign=campaign,
            section=section,
            year=week.year,
            week=week.week,
            figures=week_figures(campaign, section, week),
            figures_at=now,
        )
        audit_record(
            actor=actor,
            action="steering.report.open",
            target=report,
            changes={"week": {"before": None, "after": week.code}},
        )
    return report


def report_refresh(*, actor: User, report: WeeklyReport, now: datetime) -> WeeklyReport:
    """Fills the figures again from the records (a draft or a returned report only)."""
    _editable(report, now)
    with transaction.atomic():
        report.figures = week_figures(report.campaign, report.section, week_of(report))
        report.figures_at = now
        report.save(update_fields=["figures", "figures_at"])
        audit_record(actor=actor, action="steering.report.refresh", target=report)
    return report


def _editable(report: WeeklyReport, now: datetime) -> None:
    if report.status == WeeklyReport.Status.SUBMITTED:
        raise WeeklyError("报告已报送；如需修改，请领导小组办公室退回")
    refused = week_is_open(report.campaign, week_of(report), now)
    if refused:
        raise WeeklyError(refused)


@dataclass(frozen=True)
class Narrative:
    progress: str = ""
    data_note: str = ""
    practices: str = ""
    highlights: str = ""
    cases: str = ""
    problems: str = ""
    next_plan: str = ""


def report_save(
    *, actor: User, report: WeeklyReport, narrative: Narrative, now: datetime, submit: bool
) -> WeeklyReport:
    """Saves the narrative; with `submit`, refreshes the figures and submits (late when past the
    deadline). Submitting needs the progress filled in."""
    _check_section(actor, report.campaign, report.section)
    _editable(report, now)
    if submit and not narrative.progress.strip():
        raise WeeklyError("报送前请填写“进展情况”")
    with transaction.atomic():
        report = WeeklyReport.objects.select_for_update().get(pk=report.pk)
        before = {name: getattr(report, name) for name in WeeklyReport.NARRATIVE}
        for name in WeeklyReport.NARRATIVE:
            setattr(report, name, getattr(narrative, name).strip())
        changes = {
            name: {"before": before[name], "after": getattr(report, name)}
            for name in WeeklyReport.NARRATIVE
            if before[name] != getattr(report, name)
        }
        action = "steering.report.save"
        if submit:
            if report.figures_at != now:  # filled at this very instant already: nothing changed
                report.figures = week_figures(report.campaign, report.section, week_of(report))
                report.figures_at = now
            report.status = WeeklyReport.Status.SUBMITTED
            report.submitted_at = now
            report.submitted_by = actor
            report.late = deadline_of(report.campaign).is_late(week_of(report), local(now))
            changes["status"] = {"before": "draft", "after": "submitted"}
            changes["late"] = {"before": None, "after": report.late}
            action = "steering.report.submit"
        report.save()
        audit_record(actor=actor, action=action, target=report, changes=changes)
    return report


def report_return(
    *, actor: User, report: WeeklyReport, comment: str, now: datetime
) -> WeeklyReport:
    """The office sends a submitted report back with a comment; the section is reminded."""
    if not is_office(actor, report.campaign):
        raise WeeklyError("只有领导小组办公室可以退回报告")
    if report.status != WeeklyReport.Status.SUBMITTED:
        raise WeeklyError("只能退回已报送的报告")
    comment = comment.strip()
    if not comment:
        raise WeeklyError("请填写退回意见")
    if week_is_open(report.campaign, week_of(report), now):
        raise WeeklyError("该周已关闭，退回后股室无法再报送；请在通报中说明")
    with transaction.atomic():
        report.status = WeeklyReport.Status.RETURNED
        report.return_comment = comment
        report.returned_at = now
        report.returned_by = actor
        report.save()
        audit_record(
            actor=actor,
            action="steering.report.return",
            target=report,
            changes={"status": {"before": "submitted", "after": "returned"}, "comment": comment},
        )
        notify(
            users=User.objects.filter(section=report.section, is_active=True),
            reminder=Reminder(
                kind="weekly_returned",
                key=f"weekly-returned:{report.pk}:{now:%Y%m%d%H%M%S}",
                title=f"{report.year}年第{report.week}周周调度报告被退回",
                action=f"按退回意见修改后重新报送：{comment[:80]}",
                url=reverse("steering:report_edit", args=[report.pk]),
                due_on=closes_after(week_of(report), report.campaign.report_grace_days),
            ),
            now=now,
        )
    return report


@dataclass(frozen=True)
class WeekRow:
    section: Section
    report: WeeklyReport | None
    overdue: bool  # no submitted report and the deadline has passed


def week_board(campaign: Campaign, week: IsoWeek, now: datetime) -> list[WeekRow]:
    """Every reporting section's report of the week (two queries)."""
    reports = {
        r.section_id: r
        for r in WeeklyReport.objects.filter(campaign=campaign, year=week.year, week=week.week)
    }
    past_due = local(now) > deadline_of(campaign).due(week)
    rows = []
    for section in reporting_sections(campaign):
        report = reports.get(section.pk)
        submitted = report is not None and report.status == WeeklyReport.Status.SUBMITTED
        rows.append(WeekRow(section, report, past_due and not submitted))
    return rows
