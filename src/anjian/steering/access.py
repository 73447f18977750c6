"""Who may see and do what in the campaign. A section sees and files only its own reports; the
office (the role, or a user given the office's capability for the campaign) returns and
consolidates; the head and the discipline group read everything."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import Section, User
from anjian.accounts.roles import Role
from anjian.steering.models import Campaign, Evaluation, Notification, OfficeMember, WeeklyReport

NOT_FOUND = "未找到该记录，或您无权查看。"
READERS_OF_ALL = frozenset({Role.BUREAU_HEAD, Role.DISCIPLINE})


def visible_campaigns(user: User) -> QuerySet[Campaign]:
    if not user.can("steering.view"):
        return Campaign.objects.none()
    return Campaign.objects.filter(body_id__in=body_scope_ids(user)).select_related("body")


def access_campaign(user: User, pk: int) -> Campaign:
    found = visible_campaigns(user).filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def current_campaign(user: User, year: int) -> Campaign | None:
    """The campaign of the user's own body for the year, else the newest one the user sees."""
    campaigns = visible_campaigns(user)
    own = campaigns.filter(body_id=user.body_id, year=year).first()
    return own or campaigns.filter(body_id=user.body_id).first() or campaigns.first()


def is_office(user: User, campaign: Campaign) -> bool:
    """The leadership group's office: the office role of the campaign's body or above, or a user
    the campaign gave the office's capability to."""
    if campaign.body_id not in body_scope_ids(user):
        return False
    if user.can("steering.office"):
        return True
    return OfficeMember.objects.filter(campaign=campaign, user=user).exists()


def reads_all(user: User, campaign: Campaign) -> bool:
    return campaign.body_id in body_scope_ids(user) and (
        user.role in READERS_OF_ALL or is_office(user, campaign)
    )


def require_office(user: User, campaign: Campaign) -> None:
    if not is_office(user, campaign):
        raise PermissionDenied("只有领导小组办公室可以办理此事项")


def require_cockpit(user: User, campaign: Campaign) -> None:
    if not (user.can("steering.cockpit") or is_office(user, campaign)):
        raise PermissionDenied("领导驾驶舱仅供局领导、领导小组办公室和派驻纪检监察组查看")


def reporting_sections(campaign: Campaign) -> QuerySet[Section]:
    """The sections that file weekly reports: every section a measure names, and every business
    section and enforcement team when a measure falls to 各业务股室."""
    named = Q(pk__in=campaign.measures.values("lead_section")) | Q(
        pk__in=campaign.measures.values("supporting_sections")
    )
    if campaign.measures.filter(all_sections=True).exists():
        named |= Q(kind__in=[Section.Kind.BUSINESS, Section.Kind.ENFORCEMENT_TEAM])
    return Section.objects.filter(named, body_id=campaign.body_id).order_by("id")


def own_section(user: User, campaign: Campaign) -> Section | None:
    """The section the user files for, when it is one of the campaign's reporting sections."""
    if user.section_id is None or not user.can("steering.report"):
        return None
    return reporting_sections(campaign).filter(pk=user.section_id).first()


def visible_reports(user: User, campaign: Campaign) -> QuerySet[WeeklyReport]:
    reports = WeeklyReport.objects.filter(campaign=campaign).select_related("section")
    if reads_all(user, campaign):
        return reports
    return reports.filter(section_id=user.section_id) if user.section_id else reports.none()


def access_report(user: User, pk: int) -> WeeklyReport:
    found = (
        WeeklyReport.objects.filter(pk=pk, campaign__in=visible_campaigns(user))
        .select_related("campaign__body", "section")
        .first()
    )
    if found is None or not (
        reads_all(user, found.campaign) or found.section_id == user.section_id
    ):
        raise Http404(NOT_FOUND)
    return found


def visible_evaluations(user: User, campaign: Campaign) -> QuerySet[Evaluation]:
    evaluations = Evaluation.objects.filter(campaign=campaign).select_related("section")
    if reads_all(user, campaign):
        return evaluations
    return evaluations.filter(section_id=user.section_id) if user.section_id else evaluations.none()


def access_evaluation(user: User, pk: int) -> Evaluation:
    found = (
        Evaluation.objects.filter(pk=pk, campaign__in=visible_campaigns(user))
        .select_related("campaign__body", "section")
        .first()
    )
    if found is None or not (
        reads_all(user, found.campaign) or found.section_id == user.section_id
    ):
        raise Http404(NOT_FOUND)
    return found


def own_notifications(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)
