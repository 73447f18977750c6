"""The home page's cards: what each role must do next, most urgent first. A card is a count, the
nearest deadline and a link opening the filtered list. Every figure is aggregated in the
database, so the page's query count does not grow with the data.

This module: the card, its order, and the homes outside the bureau's staff (the enterprise, the
training institution, whose list is `training.home_items`; the three administrators). The
staff's cards are in `home_cards_staff`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.access import visible_users
from anjian.accounts.models import RoleGrant, User
from anjian.accounts.role_grants import visible_grants
from anjian.accounts.roles import Role
from anjian.audit.chain import head_seal_valid
from anjian.audit.models import AuditChainHead, AuditEntry
from anjian.audit.services import audit_key, head_state
from anjian.domain.discretion.deadlines import PAYMENT_DAYS
from anjian.enforcement.access import party_cases
from anjian.inspections.access import visible_hazards, visible_tasks
from anjian.inspections.models import Complaint
from anjian.registry.access import visible_enterprises
from anjian.training.access import visible_certificates
from anjian.training.home_items import institution_home_items
from anjian.training.services.certificates import certificate_alert_count

SOON_DAYS = 3
_LEVEL_RANK = {"danger": 0, "warning": 1, "": 2}


@dataclass(frozen=True)
class Card:
    key: str  # the card's data-testid
    title: str
    count: int
    url: str
    due: date | None = None  # the nearest deadline of what the card counts
    level: str = ""  # "danger" (something overdue), "warning" (due soon), ""
    note: str = ""

    @property
    def sort_key(self) -> tuple[bool, int, date, int]:
        return (self.count == 0, _LEVEL_RANK[self.level], self.due or date.max, -self.count)


def card(
    key: str,
    title: str,
    count: int,
    url: str,
    *,
    today: date,
    due: date | None = None,
    overdue: int = 0,
    note: str = "",
) -> Card:
    """A card, its level from what is overdue and how near the deadline is."""
    level = ""
    if count and (overdue or (due is not None and due < today)):
        level = "danger"
    elif count and due is not None and (due - today).days <= SOON_DAYS:
        level = "warning"
    return Card(key, title, count, url, due if count else None, level, note)


def ordered(cards: list[Card]) -> list[Card]:
    """Most urgent first: something to do before nothing, overdue, due soon, nearest deadline,
    largest count."""
    return sorted(cards, key=lambda c: c.sort_key)


def list_url(name: str, query: str = "", *args: Any) -> str:
    return str(reverse(name, args=args)) + (f"?{query}" if query else "")


# ---- the enterprise ---------------------------------------------------------------------


def enterprise_cards(user: User, today: date) -> list[Card]:
    hazards = visible_hazards(user).filter(status="open", order__isnull=False)
    fix = hazards.aggregate(
        n=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today)), due=Min("deadline")
    )
    tasks = visible_tasks(user)
    coming = tasks.filter(status__in=("approved", "in_progress"), date__gte=today).aggregate(
        n=Count("pk"), due=Min("date")
    )
    to_rate = tasks.filter(status="done", rating__isnull=True).count()
    cases = (
        party_cases(user)
        .exclude(state__in=("closed", "dropped"))
        .aggregate(
            n=Count("pk"),
            unpaid=Count("pk", filter=Q(state="delivered")),
            delivered=Min("delivered_on", filter=Q(state="delivered")),
        )
    )
    pay_due = cases["delivered"] + timedelta(days=PAYMENT_DAYS) if cases["delivered"] else None
    complaints = Complaint.objects.filter(enterprise__in=visible_enterprises(user)).exclude(
        status=Complaint.Status.CLOSED
    )
    alerts = certificate_alert_count(visible_certificates(user), today)
    return ordered(
        [
            card(
                "card-hazards",
                _("待整改隐患（责令限期整改）"),
                fix["n"],
                list_url("inspections:portal_hazards"),
                today=today,
                due=fix["due"],
                overdue=fix["overdue"],
            ),
            card(
                "card-to-rate",
                _("已完成待评价的检查"),
                to_rate,
                list_url("inspections:portal_home"),
                today=today,
            ),
            card(
                "card-coming",
                _("已通知的检查（今日及以后）"),
                coming["n"],
                list_url("inspections:portal_home"),
                today=today,
                note=_("最近一次：%(day)s") % {"day": coming["due"].isoformat()}
                if coming["due"]
                else "",
            ),
            card(
                "card-cases",
                _("本企业办理中的处罚案件"),
                cases["n"],
                list_url("enforcement:portal_cases"),
                today=today,
                due=pay_due,
                note=_("其中待缴纳罚款 %(n)s 件") % {"n": cases["unpaid"]}
                if cases["unpaid"]
                else "",
            ),
            card(
                "personnel-alerts",
                _("人员证书60天内到期或应复审（含已逾期）"),
                alerts,
                list_url("training:certificate_alerts"),
                today=today,
            ),
            card(
                "card-complaints",
                _("办理中的投诉"),
                complaints.count(),
                list_url("inspections:portal_complaints"),
                today=today,
            ),
        ]
    )


# ---- the training institution -----------------------------------------------------------


def institution_cards(institution: Any, today: date) -> list[Card]:
    """The institution's own list (`training.home_items.institution_home_items`, already most
    urgent first) as cards: a count (1 for a single matter), the date and the detail."""
    levels = {0: "danger", 1: "warning"}
    return [
        Card(
            f"card-institution-{number}",
            str(item.label),
            1 if item.count is None else int(item.count),
            str(item.url),
            item.due,
            levels.get(int(item.urgency), ""),
            str(item.detail),
        )
        for number, item in enumerate(institution_home_items(institution, today))
    ]


# ---- the administrators -----------------------------------------------------------------


def _locked(user: User) -> int:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    locked = AccessAttempt.objects.filter(
        username__in=visible_users(user).values("username"),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=since,
    )
    return int(locked.count())


def _grants(user: User, today: date, *, to_decide: bool) -> Card:
    pending = visible_grants(user).filter(status=RoleGrant.Status.PENDING)
    if to_decide:
        pending = pending.exclude(requested_by=user).exclude(user=user)
    found = pending.aggregate(
        n=Count("pk"), accounts=Count("pk", filter=Q(activate=True)), oldest=Min("requested_at")
    )
    oldest: datetime | None = found["oldest"]
    note = _("其中新账号待启用 %(n)s 个") % {"n": found["accounts"]} if found["accounts"] else ""
    if oldest is not None:
        since = _("最早的申请：%(day)s") % {"day": timezone.localtime(oldest).date().isoformat()}
        note = f"{note}；{since}" if note else since
    title = _("待我审批的授权申请") if to_decide else _("待安全管理员审批的授权申请")
    return card(
        "card-grants", title, found["n"], list_url("accounts:grant_list"), today=today, note=note
    )


def audit_chain_status() -> tuple[bool, datetime | None]:
    """Whether the audit chain's head holds (its seal), and when the last checkpoint was made."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        return not AuditEntry.objects.exists(), None
    return head_seal_valid(head_state(head), head.seal, audit_key()), head.checkpoint_at


UNUSUAL = (
    Q(action__startswith="accounts.")
    | Q(action__contains="reveal")
    | Q(action__endswith=".delete")
    | Q(action__startswith="audit.")
)
"""Audit events worth a second look: account and privilege changes, revealed ID numbers,
deletions, the audit trail's own events."""


def administrator_cards(user: User, today: date) -> list[Card]:
    cards = []
    if user.role == Role.SYSTEM_ADMIN:
        cards.append(_grants(user, today, to_decide=False))
        inactive = visible_users(user).filter(is_active=False).count()
        cards.append(
            card(
                "card-inactive",
                _("已停用的账号"),
                inactive,
                list_url("accounts:user_list"),
                today=today,
            )
        )
    if user.role == Role.SECURITY_ADMIN:
        cards.append(_grants(user, today, to_decide=True))
    if user.role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        locked = _locked(user)
        cards.append(
            card(
                "card-locked",
                _("登录失败被锁定的账号"),
                locked,
                list_url("accounts:user_list"),
                today=today,
            )
        )
    if user.role == Role.AUDIT_ADMIN:
        day = today.isoformat()
        query = f"start={day}&end={day}"
        events = AuditEntry.objects.filter(created_at__date=today).aggregate(
            n=Count("pk"), unusual=Count("pk", filter=UNUSUAL)
        )
        cards.append(
            card(
                "card-unusual",
                _("今日需关注的审计事件（账号权限变更、查看身份证号、删除）"),
                events["unusual"],
                list_url("audit:entry_list", query + "&action=accounts."),
                today=today,
            )
        )
        cards.append(
            card(
                "audit-today",
                _("今日审计记录"),
                events["n"],
                list_url("audit:entry_list", query),
                today=today,
            )
        )
    return ordered(cards)
