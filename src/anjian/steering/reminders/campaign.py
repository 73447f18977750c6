"""The campaign's own deadlines: the sections' weekly reports and the plan's measures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.urls import reverse

from anjian.accounts.models import Section
from anjian.domain.steering.weeks import IsoWeek, closes_after
from anjian.steering.models import Campaign, Measure, WeeklyReport
from anjian.steering.reminders.recipients import (
    REPORTERS,
    Pending,
    grouped,
    office_users,
    section_users,
    to_each,
)
from anjian.steering.services.notify import Reminder
from anjian.steering.services.weekly import deadline_of, week_board

MEASURE_WARN_DAYS = 7
"""A measure not done is recalled from a week before its deadline, and once more when it is
overdue."""


def _open_weeks(campaign: Campaign, today: date) -> Iterator[IsoWeek]:
    """The weeks of the campaign's dispatch whose deadline has come (today or before) and which
    are still open for filing: this week on its due day, and earlier weeks in their grace."""
    week = IsoWeek.of(today)
    while closes_after(week, campaign.report_grace_days) >= today:
        in_period = week.sunday >= campaign.reports_from and week.monday <= campaign.reports_until
        if in_period and deadline_of(campaign).due(week).date() <= today:
            yield week
        week = week.previous()


def _weekly_reminder(campaign: Campaign, section: Section, week: IsoWeek, late: bool) -> Reminder:
    url = reverse("steering:report_week", args=[campaign.pk, week.code])
    due = deadline_of(campaign).due(week)
    if not late:
        return Reminder(
            kind="weekly_report",
            key=f"weekly-due:{campaign.pk}:{section.pk}:{week.code}",
            title=f"{section.name}{week.label}周调度报告今日{due:%H:%M}前报送",
            action="填写本周进展情况等内容，核对系统填入的数据后报送",
            url=url,
            due_on=due.date(),
        )
    closes = closes_after(week, campaign.report_grace_days)
    return Reminder(
        kind="weekly_report",
        key=f"weekly-overdue:{campaign.pk}:{section.pk}:{week.code}",
        title=f"{section.name}第{week.week}周周调度报告逾期未报",
        action=f"股室尽快补报，{closes:%Y-%m-%d}后该周关闭、不能再报；领导小组办公室督促报送",
        url=url,
        due_on=closes,
    )


def weekly_reports(today: date, now: datetime) -> Pending:
    """Each reporting section without a submitted report: on the due day its users are told to
    file; once the deadline has passed (and until the week closes) its users and the office
    are told the report is overdue."""
    campaigns = Campaign.objects.filter(
        reports_from__lte=today, reports_until__gte=today - timedelta(days=60)
    )
    missing: list[tuple[Campaign, Section, IsoWeek, bool]] = []
    for campaign in campaigns:
        for week in _open_weeks(campaign, today):
            for row in week_board(campaign, week, now):
                if row.report is None or row.report.status != WeeklyReport.Status.SUBMITTED:
                    missing.append((campaign, row.section, week, row.overdue))
    sections = section_users({section.pk for _c, section, _w, _l in missing}, REPORTERS)
    office = office_users({campaign for campaign, _s, _w, late in missing if late})
    pending: Pending = []
    for campaign, section, week, late in missing:
        reminder = _weekly_reminder(campaign, section, week, late)
        pending += to_each(sections.get(section.pk, ()), reminder)
        if late:
            pending += to_each(office.get(campaign.pk, ()), reminder)
    return pending


def _measure_reminder(measure: Measure, today: date) -> Reminder:
    deadline = measure.deadline
    assert deadline is not None  # the query takes measures with a deadline only
    name = f"“{measure.clause} {measure.title}”"
    if deadline < today:
        level, title = "overdue", f"工作措施{name}已逾期（时限{deadline:%Y-%m-%d}）"
        action = "尽快完成并登记完成日期和佐证；逾期未完成的措施列入总结评估的问责清单"
    else:
        when = "今日" if deadline == today else f"将于{deadline:%Y-%m-%d}"
        level, title = "due", f"工作措施{name}{when}到期"
        action = "按时限推进落实，完成后登记完成日期和佐证"
    return Reminder(
        kind="measure",
        key=f"measure-{level}:{measure.pk}:{deadline:%Y-%m-%d}",
        title=title,
        action=action,
        url=reverse("steering:campaign_detail", args=[measure.campaign_id]),
        due_on=deadline,
    )


def _measure_sections(measures: list[Measure]) -> dict[int, set[int]]:
    """Measure id → the sections responsible: the lead, the supporting sections, and every
    business section and enforcement team of the body for a measure of 各业务股室."""
    supporting = grouped(
        Measure.supporting_sections.through.objects.filter(
            measure_id__in=[m.pk for m in measures]
        ).values_list("measure_id", "section_id")
    )
    every = grouped(
        Section.objects.filter(
            body_id__in={m.campaign.body_id for m in measures if m.all_sections},
            kind__in=[Section.Kind.BUSINESS, Section.Kind.ENFORCEMENT_TEAM],
        ).values_list("body_id", "pk")
    )
    found: dict[int, set[int]] = {}
    for m in measures:
        ids = set(supporting.get(m.pk, ()))
        if m.lead_section_id is not None:
            ids.add(m.lead_section_id)
        if m.all_sections:
            ids |= set(every.get(m.campaign.body_id, ()))
        found[m.pk] = ids
    return found


def measures(today: date, now: datetime) -> Pending:
    """Measures not done with a deadline within a week or past: the responsible sections'
    users and the office."""
    due = list(
        Measure.objects.filter(
            done_on__isnull=True, deadline__lte=today + timedelta(days=MEASURE_WARN_DAYS)
        )
        .select_related("campaign")
        .order_by("campaign_id", "order", "pk")
    )
    responsible = _measure_sections(due)
    users = section_users(set().union(*responsible.values()) if due else set(), REPORTERS)
    office = office_users({m.campaign for m in due})
    pending: Pending = []
    for measure in due:
        reminder = _measure_reminder(measure, today)
        for section_id in sorted(responsible[measure.pk]):
            pending += to_each(users.get(section_id, ()), reminder)
        pending += to_each(office.get(measure.campaign_id, ()), reminder)
    return pending
