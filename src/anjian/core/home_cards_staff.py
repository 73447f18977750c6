"""The bureau staff's cards on the home page (`home_cards`): each capability of the user's role
brings the cards of the work it owns — the head's approvals and decisions, the legal office's
reviews, the sections' inspections, fixes to check and case deadlines, the discipline group's
complaints — most urgent first. Counts are aggregated in the database; the head's cases
waiting for a decision are the only ones read one by one (the procedure decides), and only the
few in the states before a decision (`enforcement.home_counts`)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Min, Q
from django.utils.translation import gettext as _

from anjian.accounts.models import User
from anjian.core.home_cards import Card, card, list_url, ordered
from anjian.domain.discretion.deadlines import DECISION_DAYS
from anjian.enforcement.access import visible_cases
from anjian.enforcement.home_counts import CaseWarnings
from anjian.inspections.access import officer_of, visible_hazards, visible_tasks
from anjian.inspections.services.feedback import visible_complaints
from anjian.oversight.matters.access import visible_matters
from anjian.policy.access import visible_quiet_exceptions
from anjian.steering.access import current_campaign
from anjian.steering.models import WeeklyReport


def _inspection_cards(user: User, today: date, work: dict[str, int]) -> list[Card]:
    cards = []
    mine = "status=today&mine=1" if officer_of(user) else "status=today"
    cards.append(
        card(
            "inspections-today",
            _("今日检查"),
            work["inspections_today"],
            list_url("inspections:task_list", mine),
            today=today,
            due=today,
        )
    )
    if work["may_approve"]:
        pending = visible_tasks(user).filter(status="pending").aggregate(due=Min("date"))
        cards.append(
            card(
                "card-tasks-pending",
                _("待审批检查任务"),
                work["tasks_pending"],
                list_url("inspections:approvals"),
                today=today,
                due=pending["due"],
            )
        )
    hazards = visible_hazards(user).filter(status="open", deadline__lt=today)
    cards.append(
        card(
            "hazards-overdue",
            _("逾期未整改"),
            work["hazards_overdue"],
            list_url("inspections:hazard_list", "view=overdue"),
            today=today,
            due=hazards.aggregate(d=Min("deadline"))["d"],
            overdue=work["hazards_overdue"],
        )
    )
    cards.append(
        card(
            "card-fixes-reported",
            _("企业已报告整改待复查"),
            work["fixes_reported"],
            list_url("inspections:hazard_list", "view=reported"),
            today=today,
        )
    )
    if work["unplanned_pending"] or user.can("inspection.approve"):
        cards.append(
            card(
                "card-unplanned",
                _("未赋码入企待审查"),
                work["unplanned_pending"],
                list_url("inspections:unplanned_ledger"),
                today=today,
            )
        )
    return cards


def _case_cards(user: User, today: date, cases: CaseWarnings) -> list[Card]:
    cards = []
    if user.can("penalty.review"):
        due = visible_cases(user).filter(state="reviewing").aggregate(d=Min("filed_on"))["d"]
        cards.append(
            card(
                "case-reviews",
                _("待法制审核的处罚案件"),
                cases.reviews,
                list_url("enforcement:review_queue"),
                today=today,
                due=due + timedelta(days=DECISION_DAYS) if due else None,
            )
        )
    if user.can("penalty.decide"):
        cards.append(
            card(
                "case-decisions",
                _("待局领导集体讨论或决定的案件"),
                cases.decisions,
                list_url("enforcement:case_list", "state=open"),
                today=today,
                due=cases.decisions_due,
            )
        )
    if user.can("penalty.handle"):
        cards.append(
            card(
                "case-overdue",
                _("办案期限已过"),
                cases.overdue,
                list_url("enforcement:case_list", "state=open"),
                today=today,
                overdue=cases.overdue,
            )
        )
        cards.append(
            card(
                "case-due-soon",
                _("办案期限将至（10日内）"),
                cases.due_soon,
                list_url("enforcement:case_list", "state=open"),
                today=today,
                due=today + timedelta(days=10) if cases.due_soon else None,
            )
        )
    return cards


def _oversight_cards(user: User, today: date) -> list[Card]:
    cards = []
    if user.can("quiet_exception.decide"):
        pending = visible_quiet_exceptions(user).filter(status="pending", body_id=user.body_id)
        found = pending.aggregate(
            n=Count("pk"),
            due=Min("date", filter=Q(timing="prior")),
            late=Count("pk", filter=Q(timing="prior", date__lt=today)),
        )
        cards.append(
            card(
                "card-exceptions",
                _("待审批的安静期例外申请"),
                found["n"],
                list_url("policy:exception_list", "status=pending"),
                today=today,
                due=found["due"],
                overdue=found["late"],
            )
        )
    if user.can("complaint.handle"):
        count = visible_complaints(user).exclude(status="closed").count()
        cards.append(
            card(
                "card-complaints",
                _("办理中的企业投诉"),
                count,
                list_url("inspections:complaints"),
                today=today,
            )
        )
    matters = visible_matters(user).exclude(status__in=("answered", "closed"))
    if user.can("matter.view"):
        found = matters.aggregate(
            n=Count("pk"),
            due=Min("answer_due"),
            late=Count("pk", filter=Q(answer_due__lt=today)),
        )
        cards.append(
            card(
                "card-matters",
                _("办理中的举报事项和问题线索"),
                found["n"],
                list_url("oversight:matter_list"),
                today=today,
                due=found["due"],
                overdue=found["late"],
            )
        )
    return cards


def _weekly_card(user: User, today: date) -> list[Card]:
    if not user.can("steering.cockpit"):
        return []
    campaign = current_campaign(user, today.year)
    if campaign is None:
        return []
    year, week, _day = today.isocalendar()
    submitted = WeeklyReport.objects.filter(
        campaign=campaign, year=year, week=week, status="submitted"
    ).count()
    return [
        card(
            "card-weekly",
            _("本周已报送的周调度报告"),
            submitted,
            list_url("steering:report_weeks", "", campaign.pk),
            today=today,
        )
    ]


def staff_cards(
    user: User, today: date, work: dict[str, int], cases: CaseWarnings, alerts: int
) -> list[Card]:
    """`work`: `inspections.selectors.work_counts`; `cases`: `home_counts.case_warnings_for`;
    `alerts`: the workers' certificates due (`certificate_alert_count`)."""
    personnel = card(
        "personnel-alerts",
        _("人员证书60天内到期或应复审（含已逾期）"),
        alerts,
        list_url("training:certificate_alerts"),
        today=today,
    )
    return ordered(
        _inspection_cards(user, today, work)
        + _case_cards(user, today, cases)
        + _oversight_cards(user, today)
        + _weekly_card(user, today)
        + [personnel]
    )
