"""The register's clock and state machine (domain/oversight/matters.py), on a Monday-to-Friday
calendar: the colours at exact days, and properties over any dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.calendar import add_working_days
from anjian.domain.oversight import matters as rules


def weekdays(day: date) -> bool:
    return day.weekday() < 5


MONDAY = date(2026, 11, 2)
ACCEPT_DUE = add_working_days(MONDAY, 5, weekdays)  # Monday 9 November
ANSWER_DUE = add_working_days(MONDAY, 15, weekdays)  # Monday 23 November


def received(today: date) -> rules.Clock:
    timing = rules.Timing("received", MONDAY, ACCEPT_DUE, ANSWER_DUE)
    return rules.matter_clock(timing, today, weekdays)


def accepted(today: date) -> rules.Clock:
    timing = rules.Timing("accepted", MONDAY, ACCEPT_DUE, ANSWER_DUE, accepted_on=MONDAY)
    return rules.matter_clock(timing, today, weekdays)


def test_due_days() -> None:
    assert (date(2026, 11, 9), date(2026, 11, 23)) == (ACCEPT_DUE, ANSWER_DUE)


@pytest.mark.parametrize(
    ("today", "colour", "left"),
    [
        (date(2026, 11, 2), "green", 5),
        (date(2026, 11, 4), "green", 3),
        (date(2026, 11, 5), "amber", 2),  # two working days left (Friday, Monday)
        (date(2026, 11, 7), "amber", 1),  # a Saturday
        (date(2026, 11, 9), "amber", 0),  # the due day itself
        (date(2026, 11, 10), "red", -1),
        (date(2026, 11, 16), "red", -5),
    ],
)
def test_accept_clock_at_exact_days(today: date, colour: str, left: int) -> None:
    clock = received(today)
    assert (clock.colour, clock.days_left, clock.stage, clock.due) == (
        colour,
        left,
        "accept",
        ACCEPT_DUE,
    )


@pytest.mark.parametrize(
    ("today", "colour", "left"),
    [
        (date(2026, 11, 16), "green", 5),
        (date(2026, 11, 17), "green", 4),
        (date(2026, 11, 18), "amber", 3),  # 12 of 15 working days used: 80 %
        (date(2026, 11, 23), "amber", 0),
        (date(2026, 11, 24), "red", -1),
    ],
)
def test_answer_clock_turns_amber_at_80_percent(today: date, colour: str, left: int) -> None:
    clock = accepted(today)
    assert (clock.colour, clock.days_left, clock.stage) == (colour, left, "answer")


def test_a_stopped_clock_says_whether_the_answer_was_in_time() -> None:
    on_time = rules.Timing("answered", MONDAY, ACCEPT_DUE, ANSWER_DUE, MONDAY, ANSWER_DUE)
    late = rules.Timing("closed", MONDAY, ACCEPT_DUE, ANSWER_DUE, MONDAY, None, date(2026, 11, 24))
    assert rules.matter_clock(on_time, date(2027, 1, 4), weekdays) == rules.Clock(
        "green", "done", ANSWER_DUE, None
    )
    assert rules.matter_clock(late, date(2027, 1, 4), weekdays).colour == "red"


@pytest.mark.parametrize(("total", "threshold"), [(1, 2), (5, 2), (14, 2), (15, 3), (20, 4)])
def test_amber_threshold(total: int, threshold: int) -> None:
    assert rules.amber_threshold(total) == threshold


COLOUR_ORDER = {"green": 0, "amber": 1, "red": 2}


@given(
    start=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    total=st.integers(1, 40),
    offsets=st.lists(st.integers(0, 120), min_size=2, max_size=6),
)
def test_clock_only_gets_worse_and_red_means_past_due(
    start: date, total: int, offsets: list[int]
) -> None:
    due = add_working_days(start, total, weekdays)
    timing = rules.Timing("received", start, due, due)
    days = sorted(start + timedelta(days=n) for n in offsets)
    clocks = [rules.matter_clock(timing, day, weekdays) for day in days]
    ranks = [COLOUR_ORDER[c.colour] for c in clocks]
    assert ranks == sorted(ranks)
    for day, clock in zip(days, clocks, strict=True):
        assert (clock.colour == "red") == (day > due)
        assert clock.days_left is not None
        assert (clock.days_left < 0) == (day > due)
        if clock.colour == "green":
            assert clock.days_left > rules.AMBER_DAYS
            assert 5 * clock.days_left > total


ACTIONS = ["accept", "answer", "close", "assign"]


@given(st.lists(st.sampled_from(ACTIONS), max_size=10))
def test_state_machine_moves_only_forward(actions: list[str]) -> None:
    order = ["received", "accepted", "answered", "closed"]
    status = "received"
    for action in actions:
        allowed = rules.allowed_actions(status)
        if action == "assign":
            assert (action in allowed) == (status != "closed")
            continue
        if action not in allowed:
            with pytest.raises(rules.TransitionError):
                rules.next_status(status, action)
            continue
        after = rules.next_status(status, action)
        assert order.index(after) > order.index(status)
        status = after


def test_transitions_table() -> None:
    assert rules.allowed_actions("received") == ["accept", "assign"]
    assert rules.allowed_actions("accepted") == ["answer", "close", "assign"]
    assert rules.allowed_actions("answered") == ["close", "assign"]
    assert rules.allowed_actions("closed") == []
    with pytest.raises(rules.TransitionError, match="只有待受理的事项可以受理"):
        rules.next_status("accepted", "accept")


@pytest.mark.parametrize(
    ("reply", "ground", "refused"),
    [("", "", True), ("  ", " ", True), ("已答复", "", False), ("", "匿名且无联系方式", False)],
)
def test_closing_needs_a_reply_or_a_ground(reply: str, ground: str, refused: bool) -> None:
    assert (rules.close_refusal(reply=reply, ground=ground) is not None) == refused
