"""The policy services: booking against caps, quiet months, exceptions, rule-set versions."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from anjian.audit.models import AuditEntry
from anjian.policy.models import CapCounter, EntryBooking, QuietException, RuleSet
from anjian.policy.selectors import enterprise_year, ruleset_in_force
from anjian.policy.services.booking import entry_book, entry_cancel, entry_check
from anjian.policy.services.quiet import (
    notice_number,
    quiet_exception_decide,
    quiet_exception_request,
    quiet_month_declare,
)
from anjian.policy.services.rulesets import ruleset_create, ruleset_withdraw

from .policy_helpers import county_officers, quiet, request_for

pytestmark = pytest.mark.django_db
JUNE = date(2025, 6, 1)


def test_booking_counts_until_the_cap_then_blocks_and_writes_nothing(world) -> None:
    officers = county_officers(world)
    actor = world.users["hazchem"]
    for month in (2, 3, 4, 5):  # grade 2 hazardous chemicals: cap 4
        outcome = entry_book(
            actor=actor, request=request_for(world, "chem", date(2025, month, 13), officers)
        )
        assert outcome.booked and outcome.verdict.counts_toward == "cap"
    before = (EntryBooking.objects.count(), AuditEntry.objects.count())
    blocked = entry_book(
        actor=actor, request=request_for(world, "chem", date(2025, 7, 13), officers)
    )
    assert not blocked.booked
    assert [r.code for r in blocked.verdict.reasons] == ["CAP_EXCEEDED"]
    assert (EntryBooking.objects.count(), AuditEntry.objects.count()) == before
    counter = CapCounter.objects.get(enterprise=world.enterprises["chem"], year=2025, kind="cap")
    assert (counter.used, counter.cap) == (4, 4)
    year = enterprise_year(world.enterprises["chem"], date(2025, 8, 1))
    assert (year.counts.entries, year.counts.remaining) == (4, 0)


def test_joint_members_share_one_unit_and_cancel_hands_it_over(world) -> None:
    officers = county_officers(world)
    day = date(2025, 6, 19)
    first = entry_book(
        actor=None, request=request_for(world, "chem", day, officers, joint_key="J-1")
    )
    second = entry_book(
        actor=None, request=request_for(world, "chem", day, officers, joint_key="J-1")
    )
    assert first.verdict.counts_toward == "cap" and second.verdict.counts_toward == "none"
    counter = CapCounter.objects.get(enterprise=world.enterprises["chem"], kind="cap")
    assert counter.used == 1
    entry_cancel(actor=None, booking=first.booking, reason="改期")
    counter.refresh_from_db()
    second.booking.refresh_from_db()
    assert counter.used == 1 and second.booking.counts_toward == "cap"
    entry_cancel(actor=None, booking=second.booking, reason="取消")
    counter.refresh_from_db()
    assert counter.used == 0


def test_joint_key_on_another_day_is_refused(world) -> None:
    officers = county_officers(world)
    entry_book(
        actor=None, request=request_for(world, "chem", date(2025, 6, 19), officers, joint_key="J-2")
    )
    with pytest.raises(ValidationError) as caught:
        entry_book(
            actor=None,
            request=request_for(world, "chem", date(2025, 6, 20), officers, joint_key="J-2"),
        )
    assert "joint_key" in caught.value.error_dict


def test_officers_need_valid_certificates(world) -> None:
    expired = county_officers(world, 2, valid_until=date(2025, 1, 1))
    outcome = entry_check(request_for(world, "chem", date(2025, 6, 19), expired))
    assert [r.code for r in outcome.verdict.reasons] == ["TOO_FEW_OFFICERS"]


def test_ground_is_required_for_reviews_and_complaints(world) -> None:
    officers = county_officers(world)
    req = request_for(world, "chem", date(2025, 6, 19), officers, activity="rectification_review")
    with pytest.raises(ValidationError) as caught:
        entry_book(actor=None, request=req)
    assert "ground" in caught.value.error_dict
    req.ground = "责令限期整改指令书 文应急责改〔2025〕12号"
    outcome = entry_book(actor=None, request=req)
    assert outcome.booked and outcome.booking.counts_toward == "none"


def test_quiet_day_blocks_until_the_head_approves_an_exception(world) -> None:
    officers = county_officers(world)
    quiet(world, JUNE, list(range(1, 11)))
    day = date(2025, 6, 5)
    blocked = entry_book(actor=None, request=request_for(world, "chem", day, officers))
    assert not blocked.booked and [r.code for r in blocked.verdict.reasons] == ["QUIET_PERIOD"]
    exception = quiet_exception_request(
        actor=world.users["hazchem"],
        enterprise=world.enterprises["chem"],
        day=day,
        activity="enforcement_inspection",
        reason="群众举报夜间违规充装，需现场固定证据",
        section=None,
        today=date(2025, 6, 1),
    )
    with pytest.raises(ValidationError):
        quiet_exception_decide(
            actor=world.users["office"],
            exception=exception,
            approve=True,
            note="",
            today=date(2025, 6, 1),
        )
    with pytest.raises(ValidationError):  # not yet approved
        entry_book(
            actor=None, request=request_for(world, "chem", day, officers, quiet_exception=exception)
        )
    approved = quiet_exception_decide(
        actor=world.users["bureau_head"],
        exception=exception,
        approve=True,
        note="同意",
        today=date(2025, 6, 1),
    )
    assert approved.status == "approved" and notice_number(approved).endswith("1号")
    assert notice_number(approved).startswith("文水应急抄〔")
    outcome = entry_book(
        actor=None, request=request_for(world, "chem", day, officers, quiet_exception=approved)
    )
    assert outcome.booked
    assert [(r.code, r.severity) for r in outcome.verdict.reasons] == [
        ("QUIET_EXCEPTION", "notice")
    ]
    with pytest.raises(ValidationError):  # decided once only
        quiet_exception_decide(
            actor=world.users["bureau_head"], exception=approved, approve=False, note="x"
        )


def test_exception_request_validation(world) -> None:
    quiet(world, JUNE, list(range(1, 11)))
    with pytest.raises(ValidationError) as caught:
        quiet_exception_request(
            actor=world.users["hazchem"],
            enterprise=world.enterprises["chem"],
            day=date(2025, 6, 20),
            activity="enforcement_inspection",
            reason="短",
            section=None,
        )
    assert {"date", "reason"} <= set(caught.value.error_dict)
    assert not QuietException.objects.exists()


def test_refusal_needs_a_reason_and_numbers_no_notice(world) -> None:
    quiet(world, JUNE, list(range(1, 11)))
    exception = quiet_exception_request(
        actor=world.users["hazchem"],
        enterprise=world.enterprises["chem"],
        day=date(2025, 6, 3),
        activity="research_visit",
        reason="调研企业复工复产安排，时间紧迫",
        section=None,
        today=date(2025, 6, 1),
    )
    with pytest.raises(ValidationError):
        quiet_exception_decide(
            actor=world.users["bureau_head"], exception=exception, approve=False, note=""
        )
    refused = quiet_exception_decide(
        actor=world.users["bureau_head"],
        exception=exception,
        approve=False,
        note="可安排在非安静期",
    )
    assert refused.status == "refused" and notice_number(refused) == ""


def test_quiet_month_refuses_fewer_than_the_minimum_and_past_changes(world) -> None:
    office = world.users["office"]
    with pytest.raises(ValidationError) as caught:
        quiet_month_declare(
            actor=office,
            body=world.county,
            month=JUNE,
            days=list(range(1, 10)),
            today=date(2025, 5, 20),
        )
    assert "不少于 10 天" in " ".join(caught.value.messages)
    row = quiet_month_declare(
        actor=office,
        body=world.county,
        month=JUNE,
        days=list(range(1, 11)),
        today=date(2025, 5, 20),
    )
    assert row.days == list(range(1, 11))
    with pytest.raises(ValidationError) as caught:
        quiet_month_declare(
            actor=office,
            body=world.county,
            month=JUNE,
            days=list(range(2, 12)),
            today=date(2025, 6, 5),
        )
    assert "已过去" in " ".join(caught.value.messages)
    with pytest.raises(ValidationError) as caught:  # after the deadline (25 May): head only
        quiet_month_declare(
            actor=office,
            body=world.county,
            month=JUNE,
            days=[*range(1, 11), 20],
            today=date(2025, 6, 5),
        )
    assert "截止日（2025年05月25日）已过" in " ".join(caught.value.messages)
    assert quiet_month_declare(
        actor=world.users["bureau_head"],
        body=world.county,
        month=JUNE,
        days=[*range(1, 11), 20],
        today=date(2025, 6, 5),
    ).days == [*range(1, 11), 20]


def test_new_rule_set_version_ends_the_old_one_and_old_bookings_keep_theirs(world) -> None:
    officers = county_officers(world)
    old = ruleset_in_force(date(2025, 6, 1))
    booked = entry_book(
        actor=None, request=request_for(world, "chem", date(2025, 6, 12), officers)
    ).booking
    data = dict(old.data)
    data["caps"] = {**data["caps"], "high_risk": {**data["caps"]["high_risk"], "2": 3}}
    legal = world.users["legal_office"]
    with pytest.raises(ValidationError):
        ruleset_create(
            actor=legal,
            data=data,
            effective_from=date(2025, 7, 1),
            change_note="",
            today=date(2025, 6, 20),
        )
    with pytest.raises(ValidationError):
        ruleset_create(
            actor=legal,
            data=data,
            effective_from=date(2025, 6, 1),
            change_note="x",
            today=date(2025, 6, 20),
        )
    new = ruleset_create(
        actor=legal,
        data=data,
        effective_from=date(2025, 7, 1),
        change_note="省厅调整",
        today=date(2025, 6, 20),
    )
    old.refresh_from_db()
    assert (
        old.effective_until == date(2025, 6, 30)
        and new.effective_until is None
        and new.version == 2
    )
    assert ruleset_in_force(date(2025, 7, 1)) == new
    assert booked.ruleset == old
    later = entry_check(request_for(world, "chem", date(2025, 8, 11), officers))
    assert later.verdict.counts.cap == 3 and later.ruleset == new
    assert AuditEntry.objects.filter(action="ruleset.create").count() == 1
    with pytest.raises(ValidationError):
        ruleset_withdraw(actor=legal, ruleset=old, today=date(2025, 6, 20))
    ruleset_withdraw(actor=legal, ruleset=new, today=date(2025, 6, 20))
    old.refresh_from_db()
    assert old.effective_until is None and RuleSet.objects.count() == 1


def test_invalid_rule_tables_are_refused_with_every_problem(world) -> None:
    data = dict(ruleset_in_force(date(2025, 6, 1)).data)
    data["caps"] = {**data["caps"], "coal_mine": {"A": -1}}
    with pytest.raises(ValidationError) as caught:
        ruleset_create(
            actor=None,
            data=data,
            effective_from=date(2025, 7, 1),
            change_note="x",
            today=date(2025, 6, 1),
        )
    assert len(caught.value.messages) >= 4
    assert RuleSet.objects.count() == 1


def test_officers_of_another_body_are_refused(world) -> None:
    officers = [*county_officers(world), world.officers["other"]]
    with pytest.raises(ValidationError) as caught:
        entry_check(request_for(world, "chem", date(2025, 6, 19), officers))
    assert "officers" in caught.value.error_dict and "李强" in str(caught.value)
