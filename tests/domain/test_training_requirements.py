"""Training requirements, certificate dates and statuses, a person's hours in a year, and the
suspension rule: table-driven from regulations.md §6, with hypothesis properties."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.training.certificates import (
    CertificateFacts,
    add_years,
    certificate_dates,
    certificate_status,
    next_review_due,
)
from anjian.domain.training.hours import PersonFact, RecordFact, year_hours
from anjian.domain.training.institutions import (
    SuspensionPeriod,
    suspension_on,
)
from anjian.domain.training.requirements import RequirementsInvalid, requirements_from_dict
from anjian.policy_data.training import shipped_requirements, shipped_requirements_dict

RULES = shipped_requirements()
SPECIAL = RULES.certificates["special_operation"]
MANAGER = RULES.certificates["manager"]


# the shipped numbers


@pytest.mark.parametrize(
    ("role", "sector", "initial", "annual"),
    [
        ("principal", "other", 32, 12),
        ("safety_manager", "industry_trade", 32, 12),
        ("principal", "coal_mine", 48, 16),
        ("safety_manager", "hazardous_chemicals", 48, 16),
        ("principal", "metallurgy", 48, 16),
        ("safety_manager", "non_coal_mine", 48, 16),
        ("worker", "other", 24, None),
        ("special_operator", "industry_trade", 24, None),
        ("worker", "coal_mine", 72, 20),
        ("special_operator", "hazardous_chemicals", 72, 20),
    ],
)
def test_shipped_hours(role: str, sector: str, initial: int, annual: int | None) -> None:
    rule = RULES.hour_rule(role, sector)
    assert (rule.initial, rule.annual) == (initial, annual)
    assert rule.source


def test_shipped_periods_and_sectors() -> None:
    assert (SPECIAL.valid_years, SPECIAL.review_every_years) == (6, 3)
    assert (MANAGER.valid_years, MANAGER.review_every_years) == (3, None)
    assert RULES.alert_days == 60
    assert RULES.high_risk_sectors == {
        "coal_mine",
        "non_coal_mine",
        "hazardous_chemicals",
        "metallurgy",
    }
    assert RULES.induction_levels == ("company", "workshop", "team")
    assert RULES.hour_rule("worker", "other").annual_note


def _broken(**changes: object) -> dict[str, object]:
    data = copy.deepcopy(shipped_requirements_dict())
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"alert_days": 0}, "alert_days"),
        ({"alert_days": "60"}, "alert_days"),
        ({"name": ""}, "name"),
        ({"high_risk": {"sectors": ["fishing"], "source": "x"}}, "high_risk.sectors"),
        ({"hours": []}, "hours"),
        ({"effective_from": "2015-07-01"}, "effective_from"),
        (
            {"induction": {"levels": ["room"], "roles": ["worker"], "source": "x"}},
            "induction.levels",
        ),
    ],
)
def test_bad_requirements_are_refused_naming_the_field(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(RequirementsInvalid) as refused:
        requirements_from_dict(_broken(**changes))
    assert field in [e.field for e in refused.value.errors]


def test_every_role_needs_exactly_one_rule_per_risk_class() -> None:
    data = _broken()
    data["hours"] = [h for h in data["hours"] if h["high_risk"] is False] * 2  # type: ignore[union-attr]
    with pytest.raises(RequirementsInvalid) as refused:
        requirements_from_dict(data)
    coverage = [e for e in refused.value.errors if e.code == "COVERAGE"]
    assert len(coverage) == 8  # four roles × two risk classes, each wrong


def test_review_interval_must_be_shorter_than_validity() -> None:
    data = _broken()
    data["certificates"]["special_operation"]["review_every_years"] = 6  # type: ignore[index]
    with pytest.raises(RequirementsInvalid) as refused:
        requirements_from_dict(data)
    assert refused.value.errors[0].field == "certificates.special_operation.review_every_years"


# certificate dates and status


def test_special_operation_certificate_dates() -> None:
    dates = certificate_dates(date(2021, 5, 10), SPECIAL)
    assert dates.valid_until == date(2027, 5, 10)
    assert dates.review_due == date(2024, 5, 10)
    after = next_review_due(
        review_due=date(2024, 5, 10),
        issued_on=date(2021, 5, 10),
        valid_until=dates.valid_until,
        rule=SPECIAL,
    )
    assert after is None  # the next would be at the end of validity: renew instead


def test_manager_certificate_has_no_review() -> None:
    dates = certificate_dates(date(2024, 2, 29), MANAGER)
    assert dates == type(dates)(date(2027, 2, 28), None)


def test_leap_day() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


DAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("facts", "code", "days"),
    [
        (CertificateFacts(date(2030, 1, 1), date(2028, 1, 1)), "valid", 1310),
        (CertificateFacts(date(2030, 1, 1), DAY + timedelta(days=60)), "review_due_soon", 60),
        (CertificateFacts(date(2030, 1, 1), DAY + timedelta(days=61)), "valid", 1310),
        (CertificateFacts(date(2030, 1, 1), DAY), "review_due_soon", 0),
        (CertificateFacts(date(2030, 1, 1), DAY - timedelta(days=1)), "review_overdue", -1),
        (CertificateFacts(DAY + timedelta(days=10), None), "expiring_soon", 10),
        (CertificateFacts(DAY, None), "expiring_soon", 0),
        (CertificateFacts(DAY - timedelta(days=3), None), "expired", -3),
        (CertificateFacts(DAY - timedelta(days=3), DAY - timedelta(days=9)), "expired", -3),
        (CertificateFacts(date(2030, 1, 1), None, revoked_on=DAY), "revoked", None),
        (CertificateFacts(date(2030, 1, 1), None, revoked_on=DAY + timedelta(1)), "valid", 1310),
    ],
)
def test_status_table(facts: CertificateFacts, code: str, days: int | None) -> None:
    status = certificate_status(facts, DAY, 60)
    assert (status.code, status.days_left) == (code, days)
    assert status.label and status.reason


def test_earlier_of_review_and_expiry_is_reported() -> None:
    facts = CertificateFacts(DAY + timedelta(days=5), DAY + timedelta(days=30))
    assert certificate_status(facts, DAY, 60).code == "expiring_soon"


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(days, days)
def test_due_dates_are_monotone_in_the_issue_date(first: date, second: date) -> None:
    early, late = sorted((first, second))
    for rule in (SPECIAL, MANAGER):
        a, b = certificate_dates(early, rule), certificate_dates(late, rule)
        assert a.valid_until <= b.valid_until
        if a.review_due and b.review_due:
            assert a.review_due <= b.review_due


@given(days)
def test_review_falls_strictly_inside_validity(issued: date) -> None:
    dates = certificate_dates(issued, SPECIAL)
    assert dates.review_due is not None
    assert issued < dates.review_due < dates.valid_until


@given(days, st.integers(min_value=-4000, max_value=4000))
def test_status_is_alert_exactly_within_the_window_or_past(issued: date, offset: int) -> None:
    dates = certificate_dates(issued, MANAGER)
    day = issued + timedelta(days=offset)
    status = certificate_status(CertificateFacts(dates.valid_until, None), day, 60)
    left = (dates.valid_until - day).days
    assert status.is_alert == (left <= 60)
    assert (status.code == "expired") == (left < 0)


# hours


def _record(
    hours: str, kind: str = "annual", delivery: str = "offline", day: date = DAY
) -> RecordFact:
    return RecordFact(kind, delivery, Decimal(hours), day, day)


OLD_INITIAL = _record("72", "initial", day=date(2020, 3, 1))


def test_high_risk_worker_in_a_later_year_needs_twenty_hours() -> None:
    person = PersonFact("worker", "coal_mine", hired_on=date(2020, 3, 1))
    result = year_hours(
        person, [OLD_INITIAL, _record("8"), _record("4", delivery="online")], 2026, RULES
    )
    assert (result.is_new, result.required, result.done, result.shortfall) == (
        False,
        Decimal(20),
        Decimal(12),
        Decimal(8),
    )
    assert result.online_share == pytest.approx(4 / 12)
    assert result.is_short


def test_general_worker_has_no_yearly_number() -> None:
    person = PersonFact("worker", "other", hired_on=date(2020, 3, 1))
    result = year_hours(person, [_record("24", "initial", day=date(2020, 3, 2))], 2026, RULES)
    assert result.required is None and result.shortfall == 0 and not result.is_short
    assert "未规定统一学时" in result.reasons[0]


def test_new_worker_needs_initial_hours_and_three_levels() -> None:
    person = PersonFact("worker", "hazardous_chemicals", hired_on=date(2026, 2, 1))
    records = [
        _record("40", "initial"),
        _record("8", "induction_company"),
        _record("8", "induction_team"),
    ]
    result = year_hours(person, records, 2026, RULES)
    assert result.is_new and result.required == Decimal(72)
    assert result.shortfall == Decimal(16)
    assert result.induction_missing == ("workshop",)
    assert result.induction_missing_labels == ("车间（工段、区、队）级",)


def test_no_initial_training_yet_counts_as_new() -> None:
    person = PersonFact("principal", "metallurgy", hired_on=date(2019, 1, 1))
    result = year_hours(person, [_record("16")], 2026, RULES)
    assert result.is_new and result.required == Decimal(48)
    assert result.induction_missing == ()  # principals have no three-level induction


def test_person_not_employed_that_year_needs_nothing() -> None:
    left = PersonFact("worker", "coal_mine", hired_on=date(2018, 1, 1), left_on=date(2025, 6, 30))
    assert not year_hours(left, [], 2026, RULES).employed
    later = PersonFact("worker", "coal_mine", hired_on=date(2027, 1, 1))
    result = year_hours(later, [], 2026, RULES)
    assert not result.employed and result.shortfall == 0


def test_only_records_ended_in_the_year_count() -> None:
    person = PersonFact("safety_manager", "other", hired_on=date(2020, 1, 1))
    records = [
        _record("32", "initial", day=date(2020, 2, 1)),
        _record("12", day=date(2025, 12, 31)),
    ]
    assert year_hours(person, records, 2026, RULES).shortfall == Decimal(12)


roles = st.sampled_from(["principal", "safety_manager", "special_operator", "worker"])
sectors = st.sampled_from(["coal_mine", "hazardous_chemicals", "industry_trade", "other"])
hours = st.decimals(min_value=Decimal("0.5"), max_value=Decimal(80), places=1)
records = st.lists(
    st.builds(
        RecordFact,
        kind=st.sampled_from(["initial", "annual", "induction_company", "induction_team"]),
        delivery=st.sampled_from(["online", "offline"]),
        hours=hours,
        started_on=st.just(date(2026, 1, 1)),
        ended_on=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    ),
    max_size=8,
)
hired = st.one_of(st.none(), st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 31)))


@given(roles, sectors, hired, records)
def test_shortfall_is_never_negative_nor_above_the_requirement(
    role: str, sector: str, hired_on: date | None, found: list[RecordFact]
) -> None:
    result = year_hours(PersonFact(role, sector, hired_on), found, 2026, RULES)
    assert result.shortfall >= 0
    assert result.required is None or result.shortfall <= result.required
    assert result.done == result.online + result.offline


@given(roles, sectors, hired, records, hours, st.sampled_from(["online", "offline"]))
def test_more_hours_never_increase_the_shortfall(
    role: str,
    sector: str,
    hired_on: date | None,
    found: list[RecordFact],
    extra: Decimal,
    delivery: str,
) -> None:
    person = PersonFact(role, sector, hired_on)
    before = year_hours(person, found, 2026, RULES)
    more = [*found, RecordFact("annual", delivery, extra, date(2026, 5, 1), date(2026, 5, 1))]
    after = year_hours(person, more, 2026, RULES)
    assert after.shortfall <= before.shortfall
    assert after.done == before.done + extra


# suspension


PERIOD = SuspensionPeriod(date(2026, 3, 1), date(2026, 5, 31))


@pytest.mark.parametrize(
    ("period", "day", "covered"),
    [
        (PERIOD, date(2026, 2, 28), False),
        (PERIOD, date(2026, 3, 1), True),
        (PERIOD, date(2026, 5, 31), True),
        (PERIOD, date(2026, 6, 1), False),
        (SuspensionPeriod(date(2026, 3, 1)), date(2030, 1, 1), True),
        (SuspensionPeriod(date(2026, 3, 1), None, date(2026, 4, 1)), date(2026, 3, 31), True),
        (SuspensionPeriod(date(2026, 3, 1), None, date(2026, 4, 1)), date(2026, 4, 1), False),
    ],
)
def test_suspension_table(period: SuspensionPeriod, day: date, covered: bool) -> None:
    assert period.covers(day) is covered
    assert (suspension_on([period], day) is not None) is covered


@given(days, st.one_of(st.none(), days), st.one_of(st.none(), days), days)
def test_suspension_rule_property(
    start: date, end: date | None, lifted: date | None, day: date
) -> None:
    expected = start <= day and (end is None or day <= end) and (lifted is None or day < lifted)
    assert SuspensionPeriod(start, end, lifted).covers(day) is expected
