"""The planner's input read from the database: a month's submitted visits, the enterprises'
remaining caps this year, mine supervisors' patrol days, the body's officers and the days they
are already taken, quiet days, working days (Chinese statutory holidays and make-up workdays
where `chinesecalendar` knows the year), and the rule set in force."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from anjian.domain.planning.model import EnterpriseSlot, OfficerSlot, PlanInput, Visit
from anjian.domain.rules import RuleSet as Rules
from anjian.domain.rules.engine import annual_counts
from anjian.planning.models import PlannedVisit, PlanningMonth
from anjian.policy.models import EntryBooking
from anjian.policy.selectors import (
    enterprise_facts,
    entry_history,
    quiet_days,
    ruleset_in_force,
)
from anjian.policy.workdays import calendar_covers, month_days, uncovered_note, workday_lookup
from anjian.registry.models import Enterprise, Officer

TIME_LIMIT_S = 30.0


@dataclass
class PlannerInput:
    plan: PlanInput
    visits: dict[str, PlannedVisit]
    enterprises: dict[str, Enterprise]
    officers: dict[str, Officer]
    # what the page should tell of this run, as data (shown in the reader's language):
    # {"calendar_uncovered": year} when the holiday package did not know the month's year
    warnings: list[dict[str, int]] = field(default_factory=list)


def non_working_days(month: date) -> tuple[frozenset[date], str | None]:
    """Days off in the month, and a note when the holiday calendar does not know the year."""
    days = month_days(month)
    is_workday = workday_lookup(days[0], days[-1])
    off = frozenset(d for d in days if not is_workday(d))
    return off, None if calendar_covers(month.year) else uncovered_note(month.year)


def _remaining_caps(rules: Rules, firms: list[Enterprise], year: int) -> dict[int, int]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    remaining = {}
    for firm in firms:
        history = entry_history(firm.pk, start, end)
        counts, _label = annual_counts(rules, enterprise_facts(firm), history, year)
        remaining[firm.pk] = counts.remaining
    return remaining


def _patrol_days(firm_ids: list[int], days: list[date]) -> dict[int, frozenset[date]]:
    rows = EntryBooking.objects.filter(
        enterprise_id__in=firm_ids,
        activity="supervisor_patrol",
        date__gte=days[0],
        date__lte=days[-1],
        cancelled_at__isnull=True,
    ).values_list("enterprise_id", "date")
    found: dict[int, set[date]] = {}
    for firm_id, day in rows:
        found.setdefault(firm_id, set()).add(day)
    return {firm_id: frozenset(d) for firm_id, d in found.items()}


def _busy_days(officers: list[Officer], days: list[date]) -> dict[int, frozenset[date]]:
    """Days an officer is already booked for an entry (outside this plan)."""
    busy: dict[int, set[date]] = {}
    rows = EntryBooking.officers.through.objects.filter(
        officer_id__in=[o.pk for o in officers],
        entrybooking__date__gte=days[0],
        entrybooking__date__lte=days[-1],
        entrybooking__cancelled_at__isnull=True,
    ).values_list("officer_id", "entrybooking__date")
    for officer_id, day in rows:
        busy.setdefault(officer_id, set()).add(day)
    return {officer_id: frozenset(d) for officer_id, d in busy.items()}


def planner_input(
    planning_month: PlanningMonth, *, seed: int = 0, today: date | None = None
) -> PlannerInput:
    """Raises NoRuleSetInForce (a LookupError) when no rule set is in force for the month. Given
    `today`, nothing is planned before tomorrow (a month planned once it has begun)."""
    month = planning_month.month
    days = month_days(month)
    rules = ruleset_in_force(month).rules()
    visits = list(planning_month.visits.select_related("enterprise", "section"))
    firms = {v.enterprise_id: v.enterprise for v in visits}
    remaining = _remaining_caps(rules, list(firms.values()), month.year)
    patrols = _patrol_days(list(firms), days)
    officers = [
        o
        for o in Officer.objects.filter(
            body_id=planning_month.body_id, is_deleted=False, section__isnull=False
        ).select_related("section")
        if o.certificate_valid_until >= days[-1]
    ]
    busy = _busy_days(officers, days)
    off, warning = non_working_days(month)
    plan = PlanInput(
        year=month.year,
        month=month.month,
        non_working_days=off,
        quiet_days=frozenset(quiet_days(planning_month.body_id, days[0], days[-1])),
        enterprises={
            str(pk): EnterpriseSlot(str(pk), remaining[pk], patrols.get(pk, frozenset()))
            for pk in firms
        },
        officers=tuple(
            OfficerSlot(str(o.pk), str(o.section_id), busy.get(o.pk, frozenset())) for o in officers
        ),
        visits=tuple(
            Visit(
                str(v.pk),
                str(v.enterprise_id),
                str(v.section_id),
                v.activity,
                v.earliest,
                v.latest,
                v.remote_ok,
            )
            for v in visits
        ),
        time_limit_s=TIME_LIMIT_S,
        seed=seed,
        weekends_off=False,  # the calendar above already says which weekend days are off
        cap_activities=frozenset(a for a, r in rules.activities.items() if r.counts == "cap"),
        quiet_exempt=frozenset(a for a, r in rules.activities.items() if r.allowed_in_quiet),
        first_day=today + timedelta(days=1) if today is not None else None,
    )
    return PlannerInput(
        plan,
        {str(v.pk): v for v in visits},
        {str(pk): f for pk, f in firms.items()},
        {str(o.pk): o for o in officers},
        [{"calendar_uncovered": month.year}] if warning else [],
    )
