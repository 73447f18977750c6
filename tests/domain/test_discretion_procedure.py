"""The penalty procedure: gates, every transition and refusal, deadlines over a week with a
holiday, the late-payment addition, and properties of random event sequences (hypothesis)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.domain.discretion.procedure import (
    CASE_EVENTS,
    CASE_STATES,
    HEAVY_MEASURE_MARKERS,
    TRANSITIONS,
    CaseStatus,
    Deadline,
    Thresholds,
    allowed_events,
    case_deadlines,
    deadline_warnings,
    decision_gates,
    event_refusals,
    is_heavy_measure,
    late_payment_fee,
    next_state,
)

# A made-up week: Monday 2024-06-03 the notice, Wednesday 2024-06-05 a holiday.
MONDAY = date(2024, 6, 3)
HOLIDAY = date(2024, 6, 5)


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def holidays(*off: date) -> Callable[[date], bool]:
    def is_workday(day: date) -> bool:
        return day not in off and day.weekday() < 5

    return is_workday


WITH_HOLIDAY = holidays(HOLIDAY)


def status(state: str = "filed", **flags: object) -> CaseStatus:
    base = CaseStatus(
        state=state,
        review_required=False,
        review_approved=False,
        hearing_right=False,
        hearing_requested=False,
        hearing_held=False,
        collective_required=False,
        collective_done=False,
        defence_closed=False,
        penalty=True,
    )
    return replace(base, **flags)  # type: ignore[arg-type]


def refusal_codes(case: CaseStatus, event: str, today: date = MONDAY) -> list[str]:
    found = event_refusals(case, event, today=today, is_workday=WITH_HOLIDAY)
    return [refusal.code for refusal in found]


# ---- vocabulary ------------------------------------------------------------------------------


def test_states_and_events_are_in_procedural_order_with_chinese_labels() -> None:
    assert list(CASE_STATES) == [
        "filed",
        "proposed",
        "reviewing",
        "reviewed",
        "notified",
        "hearing",
        "decided",
        "delivered",
        "paid",
        "closed",
        "dropped",
    ]
    assert CASE_STATES["filed"] == "立案调查"
    assert CASE_STATES["dropped"] == "已撤案"
    assert CASE_EVENTS["decide"] == "作出决定"
    assert CASE_EVENTS["drop"] == "撤销案件"
    assert list(TRANSITIONS) == list(CASE_EVENTS)
    for step in TRANSITIONS.values():
        assert step.sources <= set(CASE_STATES)
        assert step.target is None or step.target in CASE_STATES


@pytest.mark.parametrize(
    ("text", "heavy"),
    [
        ("责令停产停业整顿", True),
        ("责令停业整顿", True),
        ("责令停止建设", True),
        ("吊销安全生产许可证", True),
        ("提请县人民政府予以关闭", True),
        ("撤销有关资格", True),
        ("限制从业", True),
        ("暂停或者撤销有关执业资格", True),
        ("警告", False),
        ("罚款", False),
        ("没收违法所得", False),
    ],
)
def test_heavy_measures(text: str, heavy: bool) -> None:
    assert is_heavy_measure(text) is heavy
    assert len(HEAVY_MEASURE_MARKERS) == 8


def test_an_unknown_state_is_refused() -> None:
    with pytest.raises(ValueError, match="未知的案件状态"):
        status("lost")


# ---- gates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit_fine", "person_fine", "codes"),
    [
        (29_999, None, []),
        (30_000, None, ["LARGE_UNIT_FINE"]),
        (None, 9_999, []),
        (None, 10_000, ["LARGE_PERSON_FINE"]),
        (29_999, 9_999, []),
        (30_000, 10_000, ["LARGE_UNIT_FINE", "LARGE_PERSON_FINE"]),
        (0, 0, []),
        (None, None, []),
    ],
)
def test_large_fines_at_the_default_thresholds(
    unit_fine: int | None, person_fine: int | None, codes: list[str]
) -> None:
    gates = decision_gates(unit_fine=unit_fine, person_fine=person_fine, measures=["警告"])
    assert [reason.code for reason in gates.reasons] == codes
    major = bool(codes)
    assert (gates.legal_review, gates.hearing_right, gates.collective_decision) == (major,) * 3


def test_custom_thresholds() -> None:
    local = Thresholds(large_unit_fine=50_000, large_person_fine=5_000)
    below = decision_gates(unit_fine=49_999, person_fine=4_999, measures=[], thresholds=local)
    assert below.reasons == ()
    at = decision_gates(unit_fine=50_000, person_fine=5_000, measures=[], thresholds=local)
    assert [r.code for r in at.reasons] == ["LARGE_UNIT_FINE", "LARGE_PERSON_FINE"]
    assert "50,000" in at.reasons[0].message
    assert "5,000" in at.reasons[1].message
    assert Thresholds() == Thresholds(30_000, 10_000)


def test_a_large_fine_names_amount_threshold_and_articles() -> None:
    (reason,) = decision_gates(unit_fine=45_000, person_fine=None, measures=[]).reasons
    assert "单位" in reason.message
    assert "45,000" in reason.message
    assert "30,000" in reason.message
    assert "第五十八条" in reason.basis
    assert "第六十三条" in reason.basis


def test_a_heavy_measure_is_major_and_gives_a_hearing_right() -> None:
    gates = decision_gates(unit_fine=5_000, person_fine=None, measures=["警告", "责令停产停业"])
    assert gates.legal_review and gates.hearing_right and gates.collective_decision
    (reason,) = gates.reasons
    assert reason.code == "HEAVY_MEASURE"
    assert "责令停产停业" in reason.message
    assert "警告" not in reason.message


@pytest.mark.parametrize(
    ("flag", "code"), [("after_hearing", "AFTER_HEARING"), ("complex_case", "COMPLEX_CASE")]
)
def test_after_a_hearing_or_complex_is_major_without_a_hearing_right(flag: str, code: str) -> None:
    gates = decision_gates(unit_fine=1_000, person_fine=None, measures=[], **{flag: True})  # type: ignore[arg-type]
    assert gates.legal_review and gates.collective_decision
    assert not gates.hearing_right
    assert [r.code for r in gates.reasons] == [code]
    assert "第五十八条" in gates.reasons[0].basis


def test_nonsense_amounts_are_refused() -> None:
    with pytest.raises(ValueError):
        decision_gates(unit_fine=-1, person_fine=None, measures=[])
    with pytest.raises(ValueError):
        Thresholds(large_unit_fine=0)


# ---- transitions -----------------------------------------------------------------------------

LATE = MONDAY + timedelta(days=30)  # every defence window long over

TRANSITION_TABLE: list[tuple[str, str, dict[str, object], str]] = [
    ("filed", "propose", {}, "proposed"),
    ("proposed", "propose", {}, "proposed"),
    ("reviewed", "propose", {"review_required": True, "review_approved": True}, "proposed"),
    ("notified", "propose", {"notified_on": MONDAY}, "proposed"),
    ("proposed", "submit_review", {"review_required": True}, "reviewing"),
    ("hearing", "submit_review", {"hearing_requested": True, "hearing_held": True}, "reviewing"),
    ("reviewing", "approve_review", {"review_required": True}, "reviewed"),
    ("reviewing", "reject_review", {"review_required": True}, "proposed"),
    ("proposed", "notify", {}, "notified"),
    ("reviewed", "notify", {"review_required": True, "review_approved": True}, "notified"),
    ("notified", "request_hearing", {"hearing_right": True, "notified_on": LATE}, "hearing"),
    ("hearing", "hold_hearing", {"hearing_requested": True}, "hearing"),
    ("proposed", "record_collective", {}, "proposed"),
    ("reviewing", "record_collective", {}, "reviewing"),
    ("reviewed", "record_collective", {}, "reviewed"),
    ("notified", "record_collective", {}, "notified"),
    ("hearing", "record_collective", {}, "hearing"),
    ("notified", "decide", {"notified_on": MONDAY}, "decided"),
    ("notified", "decide", {"defence_closed": True, "notified_on": LATE}, "decided"),
    (
        "reviewed",
        "decide",
        {
            "review_required": True,
            "review_approved": True,
            "hearing_right": True,
            "hearing_requested": True,
            "hearing_held": True,
            "reviewed_after_hearing": True,
            "collective_required": True,
            "collective_done": True,
            "notified_on": MONDAY,
        },
        "decided",
    ),
    ("decided", "deliver", {}, "delivered"),
    ("delivered", "pay", {}, "paid"),
    ("paid", "close", {}, "closed"),
    ("delivered", "close", {"penalty": False}, "closed"),
    *[(state, "drop", {}, "dropped") for state in list(CASE_STATES)[:6]],
]


@pytest.mark.parametrize(("state", "event", "flags", "target"), TRANSITION_TABLE)
def test_every_transition(state: str, event: str, flags: dict[str, object], target: str) -> None:
    case = status(state, **flags)
    assert event_refusals(case, event, today=LATE, is_workday=WITH_HOLIDAY) == []
    assert event in allowed_events(case, today=LATE, is_workday=WITH_HOLIDAY)
    assert next_state(case, event) == target


def test_every_event_has_a_transition_in_the_table() -> None:
    assert {row[1] for row in TRANSITION_TABLE} == set(CASE_EVENTS)


# ---- refusals --------------------------------------------------------------------------------

HEARD = {
    "review_required": True,
    "review_approved": True,
    "hearing_right": True,
    "hearing_requested": True,
    "hearing_held": True,
    "reviewed_after_hearing": True,
    "notified_on": MONDAY,
}

REFUSAL_TABLE: list[tuple[str, str, dict[str, object], date, list[str]]] = [
    ("filed", "decide", {}, LATE, ["STEP_OUT_OF_ORDER"]),
    ("closed", "drop", {}, LATE, ["STEP_OUT_OF_ORDER"]),
    ("decided", "propose", {}, LATE, ["STEP_OUT_OF_ORDER"]),
    ("notified", "submit_review", {"review_required": True}, LATE, ["STEP_OUT_OF_ORDER"]),
    ("filed", "record_collective", {}, LATE, ["STEP_OUT_OF_ORDER"]),
    ("filed", "fine_them", {}, LATE, ["UNKNOWN_EVENT"]),
    ("proposed", "submit_review", {}, LATE, ["REVIEW_NOT_REQUIRED"]),
    ("hearing", "submit_review", {"hearing_requested": True}, LATE, ["HEARING_PENDING"]),
    ("proposed", "notify", {"review_required": True}, LATE, ["NEEDS_REVIEW"]),
    ("reviewed", "propose", HEARD, LATE, ["ALREADY_NOTIFIED"]),
    ("reviewed", "notify", HEARD, LATE, ["ALREADY_NOTIFIED"]),
    ("notified", "request_hearing", {"notified_on": MONDAY}, MONDAY, ["NO_HEARING_RIGHT"]),
    (
        "notified",
        "request_hearing",
        {"hearing_right": True, "notified_on": MONDAY},
        date(2024, 6, 12),  # the 5th working day after the notice is Tuesday 11 June
        ["HEARING_WINDOW_CLOSED"],
    ),
    (
        "hearing",
        "hold_hearing",
        {"hearing_requested": True, "hearing_held": True},
        LATE,
        ["HEARING_ALREADY_HELD"],
    ),
    (
        "reviewed",
        "decide",
        {"review_required": True, "review_approved": True},
        LATE,
        ["NOT_NOTIFIED"],
    ),
    (
        "notified",
        "decide",
        {"review_required": True, "collective_required": True, "notified_on": MONDAY},
        LATE,
        ["NEEDS_REVIEW", "NEEDS_COLLECTIVE"],
    ),
    ("reviewed", "decide", {**HEARD, "review_approved": False}, LATE, ["NEEDS_REVIEW"]),
    (
        "notified",
        "decide",
        {"hearing_requested": True, "hearing_held": True, "notified_on": MONDAY},
        LATE,
        ["NEEDS_REVIEW_AFTER_HEARING"],
    ),
    (
        "notified",
        "decide",
        {"hearing_requested": True, "notified_on": MONDAY},
        LATE,
        ["HEARING_PENDING"],
    ),
    ("notified", "decide", {"notified_on": MONDAY}, date(2024, 6, 7), ["DEFENCE_WINDOW_OPEN"]),
    ("notified", "decide", {}, LATE, ["DEFENCE_WINDOW_OPEN"]),
    (
        "notified",
        "decide",
        {"hearing_right": True, "notified_on": MONDAY},
        date(2024, 6, 11),
        ["DEFENCE_WINDOW_OPEN"],
    ),
    ("delivered", "pay", {"penalty": False}, LATE, ["NOTHING_TO_PAY"]),
    ("delivered", "close", {}, LATE, ["UNPAID"]),
]


@pytest.mark.parametrize(("state", "event", "flags", "today", "codes"), REFUSAL_TABLE)
def test_every_refusal(
    state: str, event: str, flags: dict[str, object], today: date, codes: list[str]
) -> None:
    case = status(state, **flags)
    refusals = event_refusals(case, event, today=today, is_workday=WITH_HOLIDAY)
    assert [r.code for r in refusals] == codes
    assert all(r.message for r in refusals)
    assert event not in allowed_events(case, today=today, is_workday=WITH_HOLIDAY)


def test_the_refusal_table_covers_every_code() -> None:
    assert {code for row in REFUSAL_TABLE for code in row[4]} == {
        "STEP_OUT_OF_ORDER",
        "UNKNOWN_EVENT",
        "REVIEW_NOT_REQUIRED",
        "NEEDS_REVIEW",
        "NEEDS_REVIEW_AFTER_HEARING",
        "NEEDS_COLLECTIVE",
        "DEFENCE_WINDOW_OPEN",
        "HEARING_PENDING",
        "NO_HEARING_RIGHT",
        "HEARING_WINDOW_CLOSED",
        "HEARING_ALREADY_HELD",
        "NOTHING_TO_PAY",
        "UNPAID",
        "ALREADY_NOTIFIED",
        "NOT_NOTIFIED",
    }


def test_out_of_order_names_the_state_and_the_event() -> None:
    (refusal,) = event_refusals(status("filed"), "decide", today=LATE, is_workday=weekdays)
    assert refusal.message == "案件当前为“立案调查”，不能“作出决定”"


def test_next_state_raises_on_unknown_or_out_of_order_events() -> None:
    with pytest.raises(ValueError, match="未知的案件事项"):
        next_state(status("filed"), "fine_them")
    with pytest.raises(ValueError, match="不能“缴纳罚款”"):
        next_state(status("filed"), "pay")


@pytest.mark.parametrize(
    ("today", "hearing_right", "open_"),
    [
        (date(2024, 6, 6), False, True),  # 2nd working day (Wednesday is a holiday)
        (date(2024, 6, 7), False, True),  # 3rd working day: still the party's
        (date(2024, 6, 8), False, False),
        (date(2024, 6, 10), True, True),  # 4th working day
        (date(2024, 6, 11), True, True),  # 5th working day
        (date(2024, 6, 12), True, False),
    ],
)
def test_the_defence_window_counts_working_days(
    today: date, hearing_right: bool, open_: bool
) -> None:
    case = status("notified", hearing_right=hearing_right, notified_on=MONDAY)
    assert ("DEFENCE_WINDOW_OPEN" in refusal_codes(case, "decide", today)) is open_
    assert refusal_codes(replace(case, defence_closed=True), "decide", today) == []


def test_the_defence_message_names_the_last_day() -> None:
    case = status("notified", notified_on=MONDAY)
    (refusal,) = event_refusals(case, "decide", today=MONDAY, is_workday=WITH_HOLIDAY)
    assert "2024年6月7日" in refusal.message
    (refusal,) = event_refusals(case, "decide", today=MONDAY, is_workday=weekdays)
    assert "2024年6月6日" in refusal.message


def test_a_hearing_may_be_requested_on_the_last_day_of_the_window() -> None:
    case = status("notified", hearing_right=True, notified_on=MONDAY)
    assert refusal_codes(case, "request_hearing", date(2024, 6, 11)) == []
    assert refusal_codes(case, "request_hearing", date(2024, 6, 12)) == ["HEARING_WINDOW_CLOSED"]


def test_allowed_events_in_a_fresh_case() -> None:
    assert allowed_events(status("filed"), today=MONDAY, is_workday=weekdays) == ["propose", "drop"]
    assert allowed_events(status("closed"), today=MONDAY, is_workday=weekdays) == []


# ---- deadlines -------------------------------------------------------------------------------


def test_deadlines_over_a_week_with_a_holiday() -> None:
    deadlines = case_deadlines(
        filed_on=date(2024, 4, 1),
        notified_on=MONDAY,
        hearing_right=True,
        decided_on=MONDAY,
        delivered_on=date(2024, 6, 20),
        is_workday=WITH_HOLIDAY,
    )
    assert [(d.code, d.due) for d in deadlines] == [
        ("DECISION", date(2024, 6, 30)),
        ("DEFENCE", date(2024, 6, 7)),
        ("HEARING_REQUEST", date(2024, 6, 11)),
        ("DELIVERY", date(2024, 6, 13)),
        ("PAYMENT", date(2024, 7, 5)),
    ]
    assert deadlines[0].basis == "行政处罚法第六十条"
    assert "第六十四条" in deadlines[2].basis
    assert "第六十一条" in deadlines[3].basis
    assert deadlines[4].basis == "行政处罚法第六十七条"
    assert all(d.label for d in deadlines)


def test_deadlines_without_a_holiday_and_without_a_hearing_right() -> None:
    deadlines = case_deadlines(
        filed_on=MONDAY,
        notified_on=MONDAY,
        hearing_right=False,
        decided_on=MONDAY,
        delivered_on=None,
        is_workday=weekdays,
    )
    assert [(d.code, d.due) for d in deadlines] == [
        ("DECISION", date(2024, 9, 1)),
        ("DEFENCE", date(2024, 6, 6)),
        ("DELIVERY", date(2024, 6, 12)),
    ]


def test_a_fresh_case_has_only_the_decision_deadline() -> None:
    deadlines = case_deadlines(
        filed_on=MONDAY,
        notified_on=None,
        hearing_right=True,
        decided_on=None,
        delivered_on=None,
        is_workday=weekdays,
    )
    assert [d.code for d in deadlines] == ["DECISION"]


ALL_DEADLINES = [
    Deadline("DECISION", "作出处罚决定期限", date(2024, 6, 20), "行政处罚法第六十条"),
    Deadline("DEFENCE", "陈述申辩期限", date(2024, 6, 7), "行政处罚法第四十五条"),
    Deadline("HEARING_REQUEST", "申请听证期限", date(2024, 6, 11), "行政处罚法第六十四条"),
    Deadline("DELIVERY", "送达期限", date(2024, 6, 13), "行政处罚法第六十一条"),
    Deadline("PAYMENT", "缴款期限", date(2024, 7, 5), "行政处罚法第六十七条"),
]


@pytest.mark.parametrize(
    ("state", "codes"),
    [
        ("filed", ["DECISION"]),
        ("hearing", ["DECISION"]),
        ("notified", ["DEFENCE", "HEARING_REQUEST", "DECISION"]),
        ("decided", ["DELIVERY"]),
        ("delivered", ["PAYMENT"]),
        ("paid", []),
        ("closed", []),
        ("dropped", []),
    ],
)
def test_warnings_only_for_deadlines_relevant_in_the_state(state: str, codes: list[str]) -> None:
    warnings = deadline_warnings(ALL_DEADLINES, state=state, today=date(2024, 6, 25), soon_days=30)
    assert [w.code for w in warnings] == codes


def test_warning_levels_and_the_soon_boundary() -> None:
    (decision,) = ALL_DEADLINES[:1]
    at = deadline_warnings([decision], state="filed", today=date(2024, 6, 20))
    assert [(w.level, w.days_left) for w in at] == [("due_soon", 0)]
    late = deadline_warnings([decision], state="filed", today=date(2024, 6, 21))
    assert [(w.level, w.days_left) for w in late] == [("overdue", -1)]
    edge = deadline_warnings([decision], state="filed", today=date(2024, 6, 10))
    assert [(w.level, w.days_left) for w in edge] == [("due_soon", 10)]
    assert deadline_warnings([decision], state="filed", today=date(2024, 6, 9)) == []
    assert deadline_warnings([decision], state="filed", today=date(2024, 6, 9), soon_days=11)
    assert at[0].label == decision.label and at[0].due == decision.due


# ---- late payment ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fine", "days_late", "fee"),
    [
        (10_000, -5, 0),
        (10_000, 0, 0),
        (10_000, 1, 300),
        (10_000, 10, 3_000),
        (10_000, 33, 9_900),
        (10_000, 34, 10_000),
        (10_000, 400, 10_000),
        (333, 1, 9),  # 9.99 yuan rounds down
        (0, 10, 0),
    ],
)
def test_late_payment_fee(fine: int, days_late: int, fee: int) -> None:
    due = date(2024, 7, 5)
    assert late_payment_fee(fine=fine, due=due, paid_on=due + timedelta(days=days_late)) == fee


def test_a_negative_fine_is_refused() -> None:
    with pytest.raises(ValueError):
        late_payment_fee(fine=-1, due=MONDAY, paid_on=MONDAY)


@given(
    st.integers(0, 10_000_000),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    st.integers(-100, 2_000),
    st.integers(0, 100),
)
def test_the_late_fee_is_bounded_and_grows_with_time(
    fine: int, due: date, late: int, more: int
) -> None:
    paid_on = due + timedelta(days=late)
    fee = late_payment_fee(fine=fine, due=due, paid_on=paid_on)
    assert 0 <= fee <= fine
    later = late_payment_fee(fine=fine, due=due, paid_on=paid_on + timedelta(days=more))
    assert later >= fee


# ---- properties of event sequences -----------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    unit_fine: int | None
    person_fine: int | None
    measures: tuple[str, ...]
    complex_case: bool


@dataclass
class Simulator:
    """Applies allowed events to a case and updates its flags as a caller would."""

    case: CaseStatus = field(default_factory=status)
    today: date = MONDAY
    visited: list[str] = field(default_factory=lambda: ["filed"])
    approved_since_reset: bool = False

    def step(self, action: str, proposal: Proposal, days: int) -> None:
        if action == "wait":
            self.today += timedelta(days=days)
            return
        if action == "close_defence":
            self.case = replace(self.case, defence_closed=True)
            return
        refusals = event_refusals(self.case, action, today=self.today, is_workday=WITH_HOLIDAY)
        if refusals:
            return
        target = next_state(self.case, action)
        self.case = replace(self._flags(action, proposal), state=target)
        self.visited.append(target)

    def _flags(self, event: str, proposal: Proposal) -> CaseStatus:
        case = self.case
        if event == "propose":
            return self._propose(proposal)
        if event == "approve_review":
            self.approved_since_reset = True
            return replace(case, review_approved=True, reviewed_after_hearing=case.hearing_held)
        if event == "reject_review":
            return replace(case, review_approved=False)
        if event == "notify":
            return replace(case, notified_on=self.today, defence_closed=False)
        if event == "request_hearing":
            return replace(case, hearing_requested=True)
        if event == "hold_hearing":
            return self._hold_hearing()
        if event == "record_collective":
            return replace(case, collective_done=True)
        return case

    def _propose(self, proposal: Proposal) -> CaseStatus:
        gates = decision_gates(
            unit_fine=proposal.unit_fine,
            person_fine=proposal.person_fine,
            measures=proposal.measures,
            after_hearing=self.case.hearing_held,
            complex_case=proposal.complex_case,
        )
        self.approved_since_reset = False
        return replace(
            self.case,
            review_required=gates.legal_review,
            review_approved=False,
            reviewed_after_hearing=False,
            hearing_right=gates.hearing_right,
            collective_required=gates.collective_decision,
            collective_done=False,
            penalty=bool(proposal.unit_fine or proposal.person_fine or proposal.measures),
            notified_on=None if self.case.state == "notified" else self.case.notified_on,
            defence_closed=False if self.case.state == "notified" else self.case.defence_closed,
        )

    def _hold_hearing(self) -> CaseStatus:
        self.approved_since_reset = False
        return replace(
            self.case,
            hearing_held=True,
            review_required=True,
            review_approved=False,
            collective_required=True,
            collective_done=False,
        )


ACTIONS = [*CASE_EVENTS, "wait", "close_defence"]
proposals = st.builds(
    Proposal,
    st.one_of(st.none(), st.sampled_from([0, 5_000, 29_999, 30_000, 200_000])),
    st.one_of(st.none(), st.sampled_from([0, 2_000, 9_999, 10_000])),
    st.lists(
        st.sampled_from(["警告", "没收违法所得", "责令停产停业", "吊销安全生产许可证"]), max_size=2
    ).map(tuple),
    st.booleans(),
)
# each step picks, by index, among the events allowed now plus waiting and closing the defence
steps = st.lists(
    st.tuples(st.sampled_from(range(200)), proposals, st.integers(1, 6)), min_size=30, max_size=80
)
raw_steps = st.lists(
    st.tuples(st.sampled_from(ACTIONS), proposals, st.integers(1, 6)), min_size=30, max_size=80
)


def run(simulator: Simulator, pick: int, proposal: Proposal, days: int) -> None:
    """Pick by index among the events allowed now, plus waiting and closing the defence; dropping
    the case only on pick 199, so that most paths get far."""
    allowed = allowed_events(simulator.case, today=simulator.today, is_workday=WITH_HOLIDAY)
    if pick == 199 and "drop" in allowed:
        simulator.step("drop", proposal, days)
        return
    choices = [*(event for event in allowed if event != "drop"), "wait", "close_defence"]
    simulator.step(choices[pick % len(choices)], proposal, days)


def check_invariants(simulator: Simulator) -> None:
    case = simulator.case
    if case.state == "decided":
        assert not case.review_required or simulator.approved_since_reset
        assert "reviewed" in simulator.visited or not case.review_required
    if case.state == "closed" and case.penalty:
        assert "paid" in simulator.visited


@settings(max_examples=300, deadline=None)
@given(steps)
def test_allowed_event_sequences_keep_review_and_payment(
    path: list[tuple[int, Proposal, int]],
) -> None:
    simulator = Simulator()
    for pick, proposal, days in path:
        run(simulator, pick, proposal, days)
        check_invariants(simulator)


@settings(max_examples=100, deadline=None)
@given(raw_steps)
def test_random_event_sequences_keep_review_and_payment(
    path: list[tuple[str, Proposal, int]],
) -> None:
    simulator = Simulator()
    for action, proposal, days in path:
        simulator.step(action, proposal, days)
        check_invariants(simulator)


def test_the_simulator_reaches_a_decision_after_a_hearing_and_closes() -> None:
    simulator = Simulator()
    big = Proposal(50_000, None, (), False)
    path = ["propose", "submit_review", "approve_review", "notify", "request_hearing"]
    path += ["hold_hearing", "submit_review", "approve_review", "record_collective", "decide"]
    path += ["deliver", "pay", "close"]
    for action in path:
        before = len(simulator.visited)
        simulator.step(action, big, 1)
        assert len(simulator.visited) == before + 1, action
    assert simulator.visited[-6:] == [
        "reviewed",
        "reviewed",
        "decided",
        "delivered",
        "paid",
        "closed",
    ]


statuses = st.builds(
    CaseStatus,
    state=st.sampled_from(list(CASE_STATES)),
    review_required=st.booleans(),
    review_approved=st.booleans(),
    hearing_right=st.booleans(),
    hearing_requested=st.booleans(),
    hearing_held=st.booleans(),
    collective_required=st.booleans(),
    collective_done=st.booleans(),
    defence_closed=st.booleans(),
    penalty=st.booleans(),
    notified_on=st.one_of(
        st.none(), st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31))
    ),
    reviewed_after_hearing=st.booleans(),
)


@given(statuses, st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 12, 31)))
def test_only_closed_and_dropped_are_dead_ends(case: CaseStatus, today: date) -> None:
    events = allowed_events(case, today=today, is_workday=WITH_HOLIDAY)
    assert (events == []) is (case.state in {"closed", "dropped"})
    for event in events:
        assert next_state(case, event) in CASE_STATES
