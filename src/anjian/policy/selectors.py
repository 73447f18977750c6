"""Reads for the entry rules: the rule set in force, quiet days, an enterprise's history and its
year at a glance. Scope checks are the callers' (views pass only records they may see)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from anjian.accounts.models import EnforcementBody
from anjian.domain.rules import Counts, EnterpriseFacts, Entry, annual_counts
from anjian.domain.rules.ruleset import RuleSet as Rules
from anjian.policy.models import (
    EntryBooking,
    InspectionItem,
    InspectionItemList,
    QuietMonth,
    RuleSet,
)
from anjian.registry.models import Enterprise


class NoRuleSetInForce(LookupError):
    pass


def ruleset_in_force(day: date) -> RuleSet:
    found = (
        RuleSet.objects.filter(effective_from__lte=day)
        .exclude(effective_until__lt=day)
        .order_by("-effective_from")
        .first()
    )
    if found is None:
        raise NoRuleSetInForce(f"{day} 没有生效的入企规则集，请法制办先设置规则集")
    return found


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def quiet_days(body_id: int, start: date, end: date) -> set[date]:
    """A body's declared quiet days between two dates (inclusive)."""
    days: set[date] = set()
    months = QuietMonth.objects.filter(
        body_id=body_id, month__gte=first_of_month(start), month__lte=end
    )
    for month in months:
        for number in month.days:
            day = month.month.replace(day=int(number))
            if start <= day <= end:
                days.add(day)
    return days


def month_quiet_days(body_id: int, month: date) -> list[date]:
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return sorted(quiet_days(body_id, month, last))


def enterprise_facts(enterprise: Enterprise) -> EnterpriseFacts:
    return EnterpriseFacts(
        id=str(enterprise.pk),
        sector=enterprise.sector,
        standardization_grade=enterprise.standardization_grade,
        coal_mine_class=enterprise.coal_mine_class or None,
        non_coal_risk_class=enterprise.non_coal_risk_class or None,
        supervising_body=enterprise.supervising_body.level,
    )


def history_window(day: date) -> tuple[date, date]:
    """The dates whose entries can matter for an entry on `day`: its year and its ISO week."""
    monday = day - timedelta(days=day.weekday())
    return min(date(day.year, 1, 1), monday), max(date(day.year, 12, 31), monday + timedelta(6))


def live_bookings(enterprise_id: int) -> QuerySet[EntryBooking]:
    return EntryBooking.objects.filter(enterprise_id=enterprise_id, cancelled_at__isnull=True)


def entry_history(enterprise_id: int, start: date, end: date) -> list[Entry]:
    rows = (
        live_bookings(enterprise_id)
        .filter(date__gte=start, date__lte=end)
        .values_list("date", "body__level", "activity", "mode", "joint_key")
    )
    return [
        Entry(d, level, activity, mode, joint or None) for d, level, activity, mode, joint in rows
    ]


@dataclass(frozen=True)
class EnterpriseYear:
    """An enterprise's year as the enterprise and the bureau see it."""

    rules: Rules
    counts: Counts
    cap_label: str
    quiet_this_month: list[date]
    quiet_next_month: list[date]


def enterprise_year(enterprise: Enterprise, today: date) -> EnterpriseYear:
    rules = ruleset_in_force(today).rules()
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    history = entry_history(enterprise.pk, start, end)
    counts, label = annual_counts(rules, enterprise_facts(enterprise), history, today.year)
    this_month = first_of_month(today)
    body = enterprise.supervising_body_id
    return EnterpriseYear(
        rules,
        counts,
        label,
        month_quiet_days(body, this_month),
        month_quiet_days(body, next_month(this_month)),
    )


def published_item_list(body: EnforcementBody) -> InspectionItemList | None:
    return InspectionItemList.objects.filter(body=body, status="published").first()


def items_for_enterprise(enterprise: Enterprise) -> list[InspectionItem]:
    """Items of the supervising body's published list that apply to the enterprise's sector.
    (Filtered in Python: SQLite has no JSON containment lookup.)"""
    item_list = published_item_list(enterprise.supervising_body)
    if item_list is None:
        return []
    return [item for item in item_list.items.all() if enterprise.sector in item.sectors]
