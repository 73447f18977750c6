"""The deadlines the other areas keep: rectification, penalty cases, certificates, quiet-day
exceptions and complaints. Each area's records are read through its selectors."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.roles import Role
from anjian.domain.calendar import add_working_days
from anjian.domain.discretion.deadlines import DeadlineWarning
from anjian.enforcement.home_counts import cases_may_warn
from anjian.enforcement.selectors import warnings_of, workdays_around
from anjian.inspections.figure_selectors import (
    complaints_open,
    rectifications_due,
    task_officer_users,
)
from anjian.policy.figure_selectors import exceptions_pending
from anjian.policy.workdays import workday_lookup
from anjian.steering.reminders.recipients import (
    CASE_HANDLERS,
    Pending,
    body_users,
    enterprise_users,
    grouped,
    section_users,
    to_each,
)
from anjian.steering.services.notify import Reminder
from anjian.training.figure_selectors import certificates_running_out

if TYPE_CHECKING:
    from anjian.enforcement.models import PenaltyCase

RECTIFICATION_WARN_DAYS = 3
COMPLAINT_LIMIT_WORKING_DAYS = 15
"""The time limit the reminders hold a complaint to: settled within 15 working days of filing.
A choice, not a statute: no law fixes a term for a complaint to the discipline group. Fifteen
working days is the term local rules on enterprise complaints (涉企投诉) often set; the 60 days
of 《信访工作条例》 are meant for petitions and are far longer than an enterprise should wait on a
complaint about an inspection it has just had. Change it here if the province sets another."""
COMPLAINT_WARN_WORKING_DAYS = 10
"""Recalled after 10 working days (5 left), and again once the limit has passed."""


def _day(value: date) -> str:
    return f"{value:%Y-%m-%d}"


def _rectification_pair(row: dict[str, object], today: date) -> tuple[Reminder, Reminder | None]:
    deadline = row["deadline"]
    assert isinstance(deadline, date)
    level = "overdue" if deadline < today else "soon"
    when = f"已逾期（期限{_day(deadline)}）" if level == "overdue" else f"将于{_day(deadline)}到期"
    opened, reported = int(str(row["opened"])), int(str(row["reported"]))
    what = f"{opened}项待整改" if opened else ""
    if reported:
        what += ("、" if what else "") + f"{reported}项企业已报告整改待复查"
    key = f"{row['task_id']}:{_day(deadline)}:{level}"
    staff = Reminder(
        kind="rectification",
        key=f"rectification:{key}",
        title=f"{row['task__enterprise__name']}的隐患整改{when}",
        action=f"{what}：督促企业按期整改，及时复查销号",
        url=reverse("inspections:task_detail", args=[row["task_id"]]),
        due_on=deadline,
    )
    portal = Reminder(
        kind="rectification",
        key=f"rectification-portal:{key}",
        title=f"{opened}项隐患整改{when}",
        action="按整改指令书完成整改，并在企业端报告整改情况",
        url=reverse("inspections:portal_hazards"),
        due_on=deadline,
    )
    return staff, portal if opened else None


def rectifications(today: date, now: datetime) -> Pending:
    """Findings not closed whose deadline is within three days or past, one reminder per
    inspection and deadline: to the inspection's officers (their logins), and to the
    enterprise's users for the findings still to be fixed (not those already reported)."""
    groups = list(
        rectifications_due(today + timedelta(days=RECTIFICATION_WARN_DAYS))
        .values("task_id", "task__enterprise_id", "task__enterprise__name", "deadline")
        .annotate(
            opened=Count("pk", filter=Q(status="open")),
            reported=Count("pk", filter=Q(status="reported")),
        )
        .order_by("task_id", "deadline")
    )
    officers = grouped(task_officer_users({row["task_id"] for row in groups}))
    enterprises = enterprise_users({row["task__enterprise_id"] for row in groups})
    pending: Pending = []
    for row in groups:
        staff, portal = _rectification_pair(row, today)
        pending += to_each(officers.get(row["task_id"], ()), staff)
        if portal is not None:
            pending += to_each(enterprises.get(row["task__enterprise_id"], ()), portal)
    return pending


CASE_ACTIONS = {
    "DECISION": "在期限内作出处罚决定，或依法办理延期",
    "DEFENCE": "当事人陈述申辩期限届满后，复核意见并继续办理",
    "HEARING_REQUEST": "当事人申请听证期限届满后，按是否申请听证继续办理",
    "DELIVERY": "送达行政处罚决定书并登记送达日期",
    "PAYMENT": "督促当事人缴纳罚款，逾期依法加处罚款",
}


def _case_reminder(case: PenaltyCase, warning: DeadlineWarning) -> Reminder:
    pk, number, name = case.pk, case.number, case.enterprise.name
    when = "已逾期" if warning.level == "overdue" else f"将于{_day(warning.due)}届满"
    return Reminder(
        kind="case",
        key=f"case:{pk}:{warning.code}:{_day(warning.due)}:{warning.level}",
        title=f"{name}案{f'（{number}）' if number else ''}：{warning.label}{when}",
        action=CASE_ACTIONS.get(warning.code, "按程序在期限内办理"),
        url=reverse("enforcement:case_detail", args=[pk]),
        due_on=warning.due,
    )


def cases(today: date, now: datetime) -> Pending:
    """Open cases with a deadline overdue or due within ten days (the home page's warnings):
    the users of the case's section who handle cases. A case with no section is left to the
    home page's counts."""
    is_workday = workdays_around(today)
    found = [
        (case, warning)
        for case in cases_may_warn(today)
        if case.section_id is not None
        for warning in warnings_of(case, today, is_workday)
    ]
    users = section_users({case.section_id for case, _w in found if case.section_id}, CASE_HANDLERS)
    pending: Pending = []
    for case, warning in found:
        pending += to_each(users.get(case.section_id or 0, ()), _case_reminder(case, warning))
    return pending


def certificates(today: date, now: datetime) -> Pending:
    """Certificates running out within 30 days: the enterprise's users, one reminder each."""
    running_out = list(
        certificates_running_out(today).only(
            "pk", "kind", "number", "valid_until", "person__name", "person__enterprise_id"
        )
    )
    users = enterprise_users({c.person.enterprise_id for c in running_out})
    url = reverse("training:certificate_alerts")
    pending: Pending = []
    for certificate in running_out:
        reminder = Reminder(
            kind="certificate",
            key=f"certificate:{certificate.pk}:{_day(certificate.valid_until)}",
            title=(
                f"{certificate.person.name}的{certificate.get_kind_display()}"
                f"（{certificate.number}）将于{_day(certificate.valid_until)}到期"
            ),
            action="及时安排复审或换证；证书过期后不得上岗作业",
            url=url,
            due_on=certificate.valid_until,
        )
        pending += to_each(users.get(certificate.person.enterprise_id, ()), reminder)
    return pending


def quiet_exceptions(today: date, now: datetime) -> Pending:
    """Quiet-day exceptions waiting for a decision: the heads of the exception's body."""
    waiting = list(exceptions_pending())
    heads = body_users({e.body_id for e in waiting}, Role.BUREAU_HEAD)
    pending: Pending = []
    for exception in waiting:
        backfill = exception.backfill_due is not None
        what = "安静期入企待补批" if backfill else "安静期入企待审批"
        action = (
            f"在{_day(exception.backfill_due)}前审查补批"
            if exception.backfill_due is not None
            else "在入企日前审批该安静期入企申请"
        )
        reminder = Reminder(
            kind="quiet_exception",
            key=f"quiet-exception:{exception.pk}",
            title=f"{what}：{exception.enterprise.name}（{_day(exception.date)}入企）",
            action=action,
            url=reverse("policy:exception_detail", args=[exception.pk]),
            due_on=exception.backfill_due or exception.date,
        )
        pending += to_each(heads.get(exception.body_id, ()), reminder)
    return pending


def complaints(today: date, now: datetime) -> Pending:
    """Complaints not closed 10 working days after filing, and again past the 15-day limit:
    the discipline group of the enterprise's supervising body."""
    # a working day is at least a calendar day: older than 10 calendar days is a superset
    candidates = list(
        complaints_open(today - timedelta(days=COMPLAINT_WARN_WORKING_DAYS))
        .select_related("enterprise")
        .only("pk", "filed_at", "enterprise__name", "enterprise__supervising_body")
    )
    if not candidates:
        return []
    filed = {c.pk: timezone.localdate(c.filed_at) for c in candidates}
    is_workday = workday_lookup(min(filed.values()), today + timedelta(days=31))
    discipline = body_users({c.enterprise.supervising_body_id for c in candidates}, Role.DISCIPLINE)
    url = reverse("inspections:complaints")
    pending: Pending = []
    for complaint in candidates:
        start = filed[complaint.pk]
        if today < add_working_days(start, COMPLAINT_WARN_WORKING_DAYS, is_workday):
            continue
        due = add_working_days(start, COMPLAINT_LIMIT_WORKING_DAYS, is_workday)
        level = "overdue" if today > due else "soon"
        when = "已超过办理时限" if level == "overdue" else "将到办理时限"
        reminder = Reminder(
            kind="complaint",
            key=f"complaint:{complaint.pk}:{level}",
            title=f"{complaint.enterprise.name}的投诉{when}（{_day(due)}）",
            action=f"核查并办结投诉（受理后{COMPLAINT_LIMIT_WORKING_DAYS}个工作日内办结）",
            url=url,
            due_on=due,
        )
        pending += to_each(discipline.get(complaint.enterprise.supervising_body_id, ()), reminder)
    return pending
