"""The entry check, table by table against the work plan and the Shanxi cap table."""

from __future__ import annotations

from datetime import date

import pytest

from anjian.domain.rules import check_entry

from .rules_fixtures import enterprise, entry, proposed, shanxi

RULES = shanxi()


def codes(verdict) -> list[str]:
    return [r.code for r in verdict.reasons]


@pytest.mark.parametrize(
    ("sector", "grade", "coal", "non_coal", "cap"),
    [
        ("hazardous_chemicals", 1, None, None, 2),
        ("hazardous_chemicals", 2, None, None, 4),
        ("metallurgy", 3, None, None, 8),
        ("industry_trade", None, None, None, 6),  # 工贸 is not high-risk: the 1/2/4/6 row
        ("other", 1, None, None, 1),
        ("other", 2, None, None, 2),
        ("other", 3, None, None, 4),
        ("other", None, None, None, 6),
        ("coal_mine", None, "A", None, 2),
        ("coal_mine", None, "B", None, 4),
        ("coal_mine", None, "C", None, 6),
        ("coal_mine", None, "D", None, 4),
        ("non_coal_mine", None, None, "A", 1),
        ("non_coal_mine", None, None, "B", 1),
        ("non_coal_mine", None, None, "C", 2),
        ("non_coal_mine", None, None, "D", 4),
    ],
)
def test_cap_table_of_the_work_plan(sector, grade, coal, non_coal, cap) -> None:
    firm = enterprise(sector, grade, coal_mine_class=coal, non_coal_risk_class=non_coal)
    history = (
        [entry(f"2025-0{m}-1{m}", joint_id=None) for m in range(1, cap + 1)] if cap <= 9 else []
    )
    if cap > 9:
        history = [entry(f"2025-{m:02d}-10") for m in range(1, 13)]
    at_cap = check_entry(RULES, firm, [], history[:cap], proposed("2025-11-03"))
    assert at_cap.counts.cap == cap
    assert at_cap.counts.entries == cap
    assert codes(at_cap)[:1] == ["CAP_EXCEEDED"]
    assert not at_cap.allowed
    below = check_entry(RULES, firm, [], history[: cap - 1], proposed("2025-11-03"))
    assert "CAP_EXCEEDED" not in codes(below)


def test_example_from_interfaces_is_allowed_with_counts() -> None:
    history = [entry("2025-03-02", joint_id="J7")]
    verdict = check_entry(RULES, enterprise(), [date(2025, 6, 1)], history, proposed("2025-06-05"))
    assert verdict.as_dict() == {
        "allowed": True,
        "counts": {"year": 2025, "entries": 1, "cap": 4, "supervision": 0, "supervision_cap": 3},
        "reasons": [],
    }


def test_joint_entries_on_one_day_count_once_and_joining_is_free_at_the_cap() -> None:
    history = [
        entry("2025-03-02", joint_id="J1"),
        entry("2025-03-02", "enforcement_inspection", joint_id="J1"),
    ]
    history += [entry("2025-04-02"), entry("2025-05-02"), entry("2025-06-02")]
    verdict = check_entry(RULES, enterprise(), [], history, proposed("2025-03-02", joint_id="J1"))
    assert verdict.counts.entries == 4
    assert verdict.allowed and verdict.counts_toward == "none"
    fresh = check_entry(RULES, enterprise(), [], history, proposed("2025-07-02", joint_id="J2"))
    assert codes(fresh) == ["CAP_EXCEEDED"]


def test_written_and_remote_never_count_and_ignore_quiet_days() -> None:
    history = [entry(f"2025-0{m}-05", mode="remote") for m in range(1, 8)]
    history += [entry("2025-08-05", mode="written")]
    quiet = [date(2025, 9, 1)]
    verdict = check_entry(
        RULES,
        enterprise(grade=1),
        quiet,
        history,
        proposed("2025-09-01", mode="remote", officers=0),
    )
    assert verdict.counts.entries == 0 and verdict.allowed and verdict.reasons == ()


def test_years_reset() -> None:
    history = [entry("2024-05-05"), entry("2024-06-05")]
    verdict = check_entry(RULES, enterprise(grade=1), [], history, proposed("2025-01-02"))
    assert verdict.counts.entries == 0 and verdict.counts.year == 2025 and verdict.allowed


@pytest.mark.parametrize(
    ("activity", "body", "blocked"),
    [
        ("enforcement_inspection", "county", True),
        ("assistance_guidance", "county", True),
        ("research_visit", "county", True),
        ("supervision_inspection", "city", False),
        ("complaint_verification", "county", False),
        ("assessment_patrol", "province", False),
        ("rectification_review", "county", False),
    ],
)
def test_quiet_days_block_only_the_listed_activities(activity, body, blocked) -> None:
    quiet = [date(2025, 6, 10)]
    verdict = check_entry(
        RULES, enterprise(), quiet, [], proposed("2025-06-10", activity, body=body)
    )
    assert ("QUIET_PERIOD" in codes(verdict)) is blocked
    assert verdict.allowed is not blocked


def test_approved_exception_turns_the_block_into_a_notice() -> None:
    quiet = [date(2025, 6, 10)]
    verdict = check_entry(
        RULES, enterprise(), quiet, [], proposed("2025-06-10", quiet_exception_approved=True)
    )
    assert verdict.allowed
    assert [(r.code, r.severity) for r in verdict.reasons] == [("QUIET_EXCEPTION", "notice")]
    assert "三(一)4" in verdict.reasons[0].basis


def test_one_enforcing_level_and_supervision_by_upper_bodies_only() -> None:
    city_firm = enterprise(supervising_body="city")
    lower = check_entry(RULES, city_firm, [], [], proposed("2025-06-10", body="county"))
    assert codes(lower) == ["WRONG_LEVEL"] and not lower.allowed
    upper = check_entry(RULES, enterprise(), [], [], proposed("2025-06-10", body="province"))
    assert codes(upper) == ["WRONG_LEVEL"]
    supervision = check_entry(
        RULES, enterprise(), [], [], proposed("2025-06-10", "supervision_inspection", body="city")
    )
    assert supervision.allowed and supervision.counts_toward == "supervision"
    same = check_entry(
        RULES, enterprise(), [], [], proposed("2025-06-10", "supervision_inspection", body="county")
    )
    assert codes(same) == ["WRONG_LEVEL"]


def test_supervision_has_its_own_cap_and_does_not_touch_the_entry_cap() -> None:
    history = [entry(f"2025-0{m}-05", "supervision_inspection", body="city") for m in (1, 2, 3)]
    verdict = check_entry(
        RULES,
        enterprise(grade=1),
        [],
        history,
        proposed("2025-06-10", "supervision_inspection", body="province"),
    )
    assert codes(verdict) == ["SUPERVISION_CAP_EXCEEDED"]
    assert verdict.counts.supervision == 3 and verdict.counts.entries == 0
    enforcement = check_entry(RULES, enterprise(grade=1), [], history, proposed("2025-06-10"))
    assert enforcement.allowed


def test_rectification_reviews_and_complaint_verifications_do_not_count() -> None:
    history = [
        entry("2025-02-05", "rectification_review"),
        entry("2025-02-06", "complaint_verification"),
    ]
    verdict = check_entry(RULES, enterprise(grade=1), [], history, proposed("2025-06-10"))
    assert verdict.counts.entries == 0 and verdict.allowed


def test_two_certified_officers_on_site() -> None:
    verdict = check_entry(RULES, enterprise(), [], [], proposed("2025-06-10", officers=1))
    assert codes(verdict) == ["TOO_FEW_OFFICERS"]
    assert "第六十七条" in verdict.reasons[0].basis


def test_supervisor_patrol_once_per_iso_week_across_new_year() -> None:
    mine = enterprise("coal_mine", None, coal_mine_class="B")
    history = [entry("2025-12-29", "supervisor_patrol")]  # ISO week 2026-W01
    verdict = check_entry(
        RULES, mine, [], history, proposed("2026-01-02", "supervisor_patrol", officers=1)
    )
    assert codes(verdict) == ["SUPERVISOR_WEEKLY_LIMIT"]
    next_week = check_entry(
        RULES, mine, [], history, proposed("2026-01-05", "supervisor_patrol", officers=1)
    )
    assert next_week.allowed


def test_mine_enforcement_should_ride_on_the_supervisor_day() -> None:
    mine = enterprise("non_coal_mine", None, non_coal_risk_class="D")
    history = [entry("2025-06-11", "supervisor_patrol")]
    off_day = check_entry(RULES, mine, [], history, proposed("2025-06-10"))
    assert [(r.code, r.severity) for r in off_day.reasons] == [
        ("NOT_SYNCED_WITH_SUPERVISOR", "warn")
    ]
    assert off_day.allowed and "6月11日" in off_day.reasons[0].message
    assert check_entry(RULES, mine, [], history, proposed("2025-06-11")).reasons == ()
    assert check_entry(RULES, mine, [], history, proposed("2025-06-17")).reasons == ()  # next week
    assert check_entry(RULES, mine, [], [], proposed("2025-06-10")).reasons == ()  # no patrol
    enforcement = [entry("2025-06-10")]
    patrol = check_entry(RULES, mine, [], enforcement, proposed("2025-06-12", "supervisor_patrol"))
    assert [r.code for r in patrol.reasons] == ["NOT_SYNCED_WITH_SUPERVISOR"] and patrol.allowed
    same = check_entry(RULES, mine, [], enforcement, proposed("2025-06-10", "supervisor_patrol"))
    assert same.reasons == ()


def test_every_reason_names_its_clause() -> None:
    quiet = [date(2025, 6, 10)]
    history = [entry(f"2025-0{m}-05") for m in (1, 2, 3, 4)]
    verdict = check_entry(
        RULES,
        enterprise(supervising_body="city"),
        quiet,
        history,
        proposed("2025-06-10", officers=0),
    )
    assert set(codes(verdict)) == {
        "WRONG_LEVEL",
        "CAP_EXCEEDED",
        "QUIET_PERIOD",
        "TOO_FEW_OFFICERS",
    }
    assert all(r.basis and r.message and r.severity == "block" for r in verdict.reasons)
