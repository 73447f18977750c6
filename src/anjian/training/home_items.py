"""What a training institution must do next, for its home page (issue 20, item 5), most urgent
first: a suspension notice to sign for, a statement due, being suspended, trainee lists due
for classes that have ended, spot-check findings to put right, classes ending soon, and its
trainees' certificates expiring or due for review. A fixed number of queries; the page renders
the list (another module does)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from anjian.domain.training.institutions import SuspensionPeriod
from anjian.policy_data.training import shipped_requirements
from anjian.training.models import (
    Certificate,
    InstitutionClass,
    SpotCheck,
    SpotCheckOutcome,
    Suspension,
    TrainingInstitution,
)
from anjian.training.models.institutions import SuspensionState

ENDING_SOON_DAYS = 7
FINDINGS_DAYS = 90


class Urgency(IntEnum):
    """Lower is more urgent."""

    OVERDUE = 0  # past its date, or in force now
    DUE = 1  # has a date within the coming days
    OPEN = 2  # to do, no date
    NOTICE = 3  # to know


@dataclass(frozen=True)
class HomeItem:
    label: str
    detail: str  # a count or a short text
    url: str
    due: date | None
    urgency: Urgency
    count: int | None = None


def _suspension_items(institution: TrainingInstitution, today: date) -> list[HomeItem]:
    items: list[HomeItem] = []
    for s in Suspension.objects.filter(institution=institution).order_by("pk"):
        url = reverse("training:suspension_detail", args=[s.pk])
        if s.state == SuspensionState.NOTIFIED and s.delivered_on is None:
            detail = _("暂停培训告知书 %(number)s，请签收") % {"number": s.notice_number}
            items.append(HomeItem(_("告知书待签收"), detail, url, None, Urgency.OVERDUE))
        elif s.state == SuspensionState.DEFENCE and not s.statement_source:
            if s.defence_due is not None and s.defence_due >= today:
                detail = _("可在期限内提交陈述、申辩意见，逾期视为放弃")
                items.append(HomeItem(_("陈述申辩"), detail, url, s.defence_due, Urgency.DUE))
        elif s.decided and s.starts_on is not None:
            period = SuspensionPeriod(s.starts_on, s.ends_on, s.lifted_on, s.decision_number)
            if period.covers(today):
                detail = period.label()
                items.append(HomeItem(_("暂停培训业务中"), detail, url, s.ends_on, Urgency.OVERDUE))
    return items


def _class_items(institution: TrainingInstitution, today: date) -> list[HomeItem]:
    classes = InstitutionClass.objects.filter(institution=institution)
    unreported = classes.filter(ends_on__lt=today, trainees_reported_at__isnull=True)
    ending = classes.filter(ends_on__gte=today, ends_on__lte=today + timedelta(ENDING_SOON_DAYS))
    items = []
    for label, rows, urgency, action in (
        (_("结业班次待报学员名单"), unreported, Urgency.OVERDUE, "training:class_trainees"),
        (_("即将结业的班次"), ending, Urgency.DUE, "training:class_detail"),
    ):
        first = rows.order_by("ends_on", "pk").first()
        if first is None:
            continue
        count = rows.count()
        detail = _("%(n)s 个班次，最早 %(title)s") % {"n": count, "title": first.title}
        url = reverse(action, args=[first.pk])
        items.append(HomeItem(label, detail, url, first.ends_on, urgency, count))
    return items


def _finding_items(institution: TrainingInstitution, today: date) -> list[HomeItem]:
    findings = SpotCheck.objects.filter(
        institution=institution,
        outcome__in=[SpotCheckOutcome.PROBLEMS, SpotCheckOutcome.SERIOUS],
        checked_on__gte=today - timedelta(FINDINGS_DAYS),
        checked_on__lte=today,
    ).order_by("-checked_on", "-pk")
    latest = findings.select_related("training_class").first()
    if latest is None:
        return []
    count = findings.count()
    detail = latest.findings or latest.get_outcome_display()
    if count > 1:
        detail = _("%(n)s 次抽查发现问题；最近：%(text)s") % {"n": count, "text": detail}
    url = (
        reverse("training:class_detail", args=[latest.training_class_id])
        if latest.training_class_id
        else reverse("training:institution_detail", args=[institution.pk])
    )
    return [HomeItem(_("抽查发现问题待整改"), detail, url, None, Urgency.OPEN, count)]


def _certificate_items(institution: TrainingInstitution, today: date) -> list[HomeItem]:
    horizon = today + timedelta(days=shipped_requirements().alert_days)
    due = Q(valid_until__lte=horizon) | Q(review_due__lte=horizon)
    found = (
        Certificate.objects.filter(due, revoked_on__isnull=True)
        .filter(person__training_records__institution=institution)
        .filter(Q(person__left_on__isnull=True) | Q(person__left_on__gt=today))
        .aggregate(
            persons=Count("person", distinct=True),
            expires=Min("valid_until"),
            review=Min("review_due"),
        )
    )
    if not found["persons"]:
        return []
    dates = [d for d in (found["expires"], found["review"]) if d is not None and d <= horizon]
    first = min(dates) if dates else None
    urgency = Urgency.OVERDUE if first is not None and first < today else Urgency.DUE
    detail = _("%(n)s 名学员的证书到期或应复审，可组织复审培训") % {"n": found["persons"]}
    url = reverse("training:institution_detail", args=[institution.pk])
    return [HomeItem(_("学员证书到期"), detail, url, first, urgency, found["persons"])]


def institution_home_items(institution: TrainingInstitution, today: date) -> list[HomeItem]:
    """What the institution must do next, most urgent first; within one urgency, suspension
    first, then classes, spot-check findings and certificates (a stable sort keeps that order)."""
    items = [
        *_suspension_items(institution, today),
        *_class_items(institution, today),
        *_finding_items(institution, today),
        *_certificate_items(institution, today),
    ]
    return sorted(items, key=lambda item: item.urgency)
