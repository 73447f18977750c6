"""Reads for the entry rules: the rule set in force, quiet days, an enterprise's history and its
year at a glance. Scope checks are the callers' (views pass only records they may see)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from anjian.accounts.models import EnforcementBody
from anjian.domain.rules import Counts, EnterpriseFacts, Entry, annual_counts
from anjian.domain.rules.quiet import declaration_deadline, default_days, describe_days
from anjian.domain.rules.ruleset import RuleSet as Rules
from anjian.policy.models import (
    EntryBooking,
    InspectionItem,
    InspectionItemList,
    QuietDefault,
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


@dataclass(frozen=True)
class QuietMonthState:
    """A body's quiet days of one month as everyone sees them: the declared days, or else the
    default pattern (默认安静期) that applies because nothing was declared by the deadline."""

    month: date
    days: tuple[date, ...]
    source: str  # "declared" 本局设置, "default" 默认安静期, "none" (no rule set in force)
    deadline: date | None  # last day to declare (day `quiet_declare_by` of the month before)
    pattern: tuple[tuple[int, int], ...] = ()  # the default pattern, when the source is default

    @property
    def is_default(self) -> bool:
        return self.source == "default"

    def settled(self, today: date) -> bool:
        """Declared, or past the deadline (the default is then published and stands)."""
        return self.source == "declared" or (self.deadline is not None and today > self.deadline)


def _quiet_rules(month: date) -> Rules | None:
    """The rule set that governs a month's quiet defaults: the one in force on the first day of the
    month before (so a version saved later cannot move a deadline already passed), else the one in
    force on the month's first day."""
    for day in ((month - timedelta(days=1)).replace(day=1), month):
        try:
            return ruleset_in_force(day).rules()
        except NoRuleSetInForce:
            continue
    return None


def _body_pattern(body_id: int, deadline: date) -> tuple[tuple[int, int], ...] | None:
    row = (
        QuietDefault.objects.filter(body_id=body_id, effective_from__lte=deadline)
        .order_by("-effective_from", "-id")
        .first()
    )
    return tuple((int(a), int(b)) for a, b in row.ranges) if row else None


def quiet_month_state(body_id: int, month: date) -> QuietMonthState:
    month = first_of_month(month)
    declared = QuietMonth.objects.filter(body_id=body_id, month=month).first()
    rules = _quiet_rules(month)
    deadline = (
        declaration_deadline(month.year, month.month, rules.quiet_declare_by) if rules else None
    )
    if declared is not None:
        days = tuple(month.replace(day=int(d)) for d in sorted(declared.days))
        return QuietMonthState(month, days, "declared", deadline)
    if rules is None or deadline is None:
        return QuietMonthState(month, (), "none", None)
    pattern = _body_pattern(body_id, deadline) or rules.quiet_default_days
    numbers = default_days(month.year, month.month, pattern)
    return QuietMonthState(
        month, tuple(month.replace(day=d) for d in numbers), "default", deadline, pattern
    )


def quiet_days(body_id: int, start: date, end: date) -> set[date]:
    """A body's quiet days between two dates (inclusive): the declared days of each month, or the
    default pattern where a month has none. The entry check and booking, the month planner, the
    annual plan and the pages enterprises read all take their quiet days from here."""
    days: set[date] = set()
    month = first_of_month(start)
    while month <= end:
        days.update(d for d in quiet_month_state(body_id, month).days if start <= d <= end)
        month = next_month(month)
    return days


def month_quiet_days(body_id: int, month: date) -> list[date]:
    return list(quiet_month_state(body_id, month).days)


def coming_undeclared(body_id: int, today: date, months: int = 2) -> list[QuietMonthState]:
    """This month and the next `months - 1` months that run on the default pattern, for the
    office's warning (which months are undeclared and from when the default applies)."""
    found, month = [], first_of_month(today)
    for _ in range(months):
        state = quiet_month_state(body_id, month)
        if state.is_default:
            found.append(state)
        month = next_month(month)
    return found


def quiet_warnings(user: object, today: date) -> list[tuple[QuietMonthState, str, bool]]:
    """For the home page of the office and the head: this month and the next two that run on
    the default pattern, as (state, the days in words, whether the default already stands)."""
    body_id = getattr(user, "body_id", None)
    if body_id is None or not getattr(user, "can", lambda _c: False)("quiet.declare"):
        return []
    return [
        (state, describe_days(state.days), state.settled(today))
        for state in coming_undeclared(body_id, today, 3)
    ]


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
    quiet_this_state: QuietMonthState | None = None
    quiet_next_state: QuietMonthState | None = None


def enterprise_year(enterprise: Enterprise, today: date) -> EnterpriseYear:
    rules = ruleset_in_force(today).rules()
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    history = entry_history(enterprise.pk, start, end)
    counts, label = annual_counts(rules, enterprise_facts(enterprise), history, today.year)
    this_month = first_of_month(today)
    body = enterprise.supervising_body_id
    this_state = quiet_month_state(body, this_month)
    next_state = quiet_month_state(body, next_month(this_month))
    return EnterpriseYear(
        rules,
        counts,
        label,
        list(this_state.days),
        list(next_state.days),
        this_state,
        next_state,
    )


def published_item_list(body: EnforcementBody) -> InspectionItemList | None:
    return InspectionItemList.objects.filter(body=body, status="published").first()


def published_item_lists(body_id: int) -> QuerySet[InspectionItemList]:
    """Every version of the body's item list that was published (in force or superseded since),
    newest first: what a campaign links as the evidence of its item-list measure."""
    return InspectionItemList.objects.filter(body_id=body_id, published_on__isnull=False).order_by(
        "-version"
    )


def declared_quiet_months(body_id: int, year: int) -> QuerySet[QuietMonth]:
    """The months of the year whose quiet days the body declared (not the default ones)."""
    return QuietMonth.objects.filter(body_id=body_id, month__year=year).order_by("month")


def ruleset_versions() -> QuerySet[RuleSet]:
    """Every version of the entry rules, newest first."""
    return RuleSet.objects.order_by("-effective_from")


def items_for_enterprise(enterprise: Enterprise) -> list[InspectionItem]:
    """Items of the supervising body's published list that apply to the enterprise's sector.
    (Filtered in Python: SQLite has no JSON containment lookup.)"""
    item_list = published_item_list(enterprise.supervising_body)
    if item_list is None:
        return []
    return [item for item in item_list.items.all() if enterprise.sector in item.sectors]
