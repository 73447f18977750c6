"""The penalty procedure (行政处罚普通程序) as a state machine over plain facts.

`decision_gates` says what a proposed penalty needs before it may be decided: legal review
(法制审核, 第五十八条), a hearing right (听证, 第六十三条) and collective discussion by the bureau's
leaders (集体讨论, 第五十七条). A "major decision" (重大执法决定) needs both review and collective
discussion: a large fine, a heavy measure, a decision after a hearing, or a complex case.

`event_refusals` says why an event may not happen now (an empty list: it may); `next_state` gives
the state an event leads to. Every transition is declared once, in `TRANSITIONS`; the guards
below it only add refusals. The caller keeps the flags of `CaseStatus` up to date, as follows:
- propose: recompute the gates for the new proposal; reset review_approved, reviewed_after_hearing
  and collective_done (a new proposal needs a new review and discussion); re-proposing after the
  notice (the party's statement was adopted) also resets notified_on and defence_closed: the new
  proposal is notified again;
- approve_review: review_approved, and reviewed_after_hearing when a hearing was held;
- notify: notified_on; request_hearing: hearing_requested; hold_hearing: hearing_held, the gates
  recomputed with after_hearing=True, review_approved and collective_done reset (the decision
  after a hearing needs a fresh review and discussion);
- record_collective: collective_done; defence_closed when the party states its defence or waives.

Before a decision the party's defence window must be over, unless the party closed it earlier
(defence_closed): until the 5th working day after the notice when it has a hearing right (it may
still ask for a hearing until then), otherwise until the 3rd working day. With a hearing right,
defence_closed should therefore mean the party also waived the hearing.

Periods, deadlines and the late-payment addition are in `deadlines.py` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from anjian.domain.discretion.deadlines import Deadline as Deadline
from anjian.domain.discretion.deadlines import DeadlineWarning as DeadlineWarning
from anjian.domain.discretion.deadlines import case_deadlines as case_deadlines
from anjian.domain.discretion.deadlines import deadline_warnings as deadline_warnings
from anjian.domain.discretion.deadlines import defence_due, hearing_request_due
from anjian.domain.discretion.deadlines import late_payment_fee as late_payment_fee

CASE_STATES: dict[str, str] = {
    "filed": "立案调查",
    "proposed": "已拟处罚意见",
    "reviewing": "法制审核中",
    "reviewed": "法制审核通过",
    "notified": "已告知",
    "hearing": "听证中",
    "decided": "已作出决定",
    "delivered": "已送达",
    "paid": "已缴款",
    "closed": "已结案",
    "dropped": "已撤案",
}

CASE_EVENTS: dict[str, str] = {
    "propose": "拟定处罚意见",
    "submit_review": "提交法制审核",
    "approve_review": "法制审核通过",
    "reject_review": "法制审核退回",
    "notify": "送达告知书",
    "request_hearing": "申请听证",
    "hold_hearing": "举行听证",
    "record_collective": "集体讨论",
    "decide": "作出决定",
    "deliver": "送达决定书",
    "pay": "缴纳罚款",
    "close": "结案",
    "drop": "撤销案件",
}

HEAVY_MEASURE_MARKERS: tuple[str, ...] = (
    "停产停业",
    "停业整顿",
    "停止建设",
    "吊销",
    "关闭",
    "撤销",
    "限制从业",
    "暂停",
)


def is_heavy_measure(text: str) -> bool:
    """Whether a measure is a heavy one: 停产停业、吊销许可证件、责令关闭、限制从业 and the like."""
    return any(marker in text for marker in HEAVY_MEASURE_MARKERS)


# ---- the gates of a proposed penalty ---------------------------------------------------------

_MAJOR_BASIS = "行政处罚法第五十七条、第五十八条、第六十三条"
_HEARING_CODES = frozenset({"LARGE_UNIT_FINE", "LARGE_PERSON_FINE", "HEAVY_MEASURE"})


@dataclass(frozen=True)
class Thresholds:
    """较大数额罚款: at or above these amounts (yuan) a fine gives a hearing right."""

    large_unit_fine: int = 30000
    large_person_fine: int = 10000

    def __post_init__(self) -> None:
        if self.large_unit_fine < 1 or self.large_person_fine < 1:
            raise ValueError("较大数额罚款标准必须为正数")


@dataclass(frozen=True)
class GateReason:
    code: str
    message: str
    basis: str


@dataclass(frozen=True)
class Gates:
    legal_review: bool
    hearing_right: bool
    collective_decision: bool
    reasons: tuple[GateReason, ...]


def decision_gates(
    *,
    unit_fine: int | None,
    person_fine: int | None,
    measures: Sequence[str],
    after_hearing: bool = False,
    complex_case: bool = False,
    thresholds: Thresholds = Thresholds(),
) -> Gates:
    """What a proposed penalty needs. Any reason makes it a major decision (法制审核 and 集体讨论);
    only large fines and heavy measures give a hearing right."""
    reasons = [
        *_fine_reason("LARGE_UNIT_FINE", "单位", unit_fine, thresholds.large_unit_fine),
        *_fine_reason("LARGE_PERSON_FINE", "个人", person_fine, thresholds.large_person_fine),
        *_measure_reason(measures),
    ]
    if after_hearing:
        message = "案件经过听证程序，直接关系当事人重大权益，须经法制审核并集体讨论决定"
        reasons.append(GateReason("AFTER_HEARING", message, "行政处罚法第五十七条、第五十八条"))
    if complex_case:
        message = "案件情节复杂或疑难，须经法制审核并由负责人集体讨论决定"
        reasons.append(GateReason("COMPLEX_CASE", message, "行政处罚法第五十七条、第五十八条"))
    major = bool(reasons)
    hearing = any(reason.code in _HEARING_CODES for reason in reasons)
    return Gates(major, hearing, major, tuple(reasons))


def _fine_reason(code: str, whom: str, fine: int | None, threshold: int) -> list[GateReason]:
    if fine is not None and fine < 0:
        raise ValueError(f"罚款金额不能为负数，收到 {fine}")
    if fine is None or fine < threshold:
        return []
    message = f"拟对{whom}罚款 {fine:,} 元，达到较大数额罚款标准（{whom} {threshold:,} 元以上）"
    return [GateReason(code, message, _MAJOR_BASIS)]


def _measure_reason(measures: Sequence[str]) -> list[GateReason]:
    heavy = [measure for measure in measures if is_heavy_measure(measure)]
    if not heavy:
        return []
    named = "、".join(f"“{measure}”" for measure in heavy)
    message = f"拟作出{named}，属于停产停业、吊销许可证件、责令关闭、限制从业等较重的处罚"
    return [GateReason("HEAVY_MEASURE", message, _MAJOR_BASIS)]


# ---- the state machine ------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseStatus:
    """What the state machine needs to know about one case."""

    state: str
    review_required: bool  # from decision_gates on the current proposal
    review_approved: bool  # the current proposal passed legal review
    hearing_right: bool
    hearing_requested: bool
    hearing_held: bool
    collective_required: bool
    collective_done: bool
    defence_closed: bool  # party stated its defence, waived, or the window ended
    penalty: bool  # the decision imposes a fine or measure (False: 不予处罚)
    notified_on: date | None = None
    reviewed_after_hearing: bool = False
    # each fine not yet settled, in words (payments.unsettled); None: not known, and a decision
    # with a fine closes only once paid (state "paid")
    unsettled: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.state not in CASE_STATES:
            raise ValueError(f"未知的案件状态：{self.state}")


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the event is recorded, the state does not change


_BEFORE_DECISION = frozenset({"filed", "proposed", "reviewing", "reviewed", "notified", "hearing"})

TRANSITIONS: dict[str, Transition] = {
    "propose": Transition(frozenset({"filed", "proposed", "reviewed", "notified"}), "proposed"),
    "submit_review": Transition(frozenset({"proposed", "hearing"}), "reviewing"),
    "approve_review": Transition(frozenset({"reviewing"}), "reviewed"),
    "reject_review": Transition(frozenset({"reviewing"}), "proposed"),
    "notify": Transition(frozenset({"proposed", "reviewed"}), "notified"),
    "request_hearing": Transition(frozenset({"notified"}), "hearing"),
    "hold_hearing": Transition(frozenset({"hearing"}), "hearing"),
    "record_collective": Transition(_BEFORE_DECISION - {"filed"}, None),
    "decide": Transition(frozenset({"notified", "reviewed"}), "decided"),
    "deliver": Transition(frozenset({"decided"}), "delivered"),
    "pay": Transition(frozenset({"delivered"}), "paid"),
    "close": Transition(frozenset({"paid", "delivered"}), "closed"),
    "drop": Transition(_BEFORE_DECISION, "dropped"),
}
"""event -> the states it may happen in, and the state it leads to."""


@dataclass(frozen=True)
class _Clock:
    today: date
    is_workday: Callable[[date], bool]


def _fmt(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _step(event: str) -> Transition:
    if event not in TRANSITIONS:
        raise ValueError(f"未知的案件事项：{event}")
    return TRANSITIONS[event]


def _out_of_order(status: CaseStatus, event: str) -> Refusal:
    message = f"案件当前为“{CASE_STATES[status.state]}”，不能“{CASE_EVENTS[event]}”"
    return Refusal("STEP_OUT_OF_ORDER", message)


def next_state(status: CaseStatus, event: str) -> str:
    """The state `event` leads to. Checks the order of steps only, not the guards: ask
    `event_refusals` first. Raises ValueError on an unknown event or one out of order."""
    step = _step(event)
    if status.state not in step.sources:
        raise ValueError(_out_of_order(status, event).message)
    return step.target or status.state


def event_refusals(
    status: CaseStatus, event: str, *, today: date, is_workday: Callable[[date], bool]
) -> list[Refusal]:
    """Why `event` may not happen now; an empty list means it may."""
    if event not in TRANSITIONS:
        return [Refusal("UNKNOWN_EVENT", f"未知的案件事项：{event}")]
    if status.state not in TRANSITIONS[event].sources:
        return [_out_of_order(status, event)]
    guard = _GUARDS.get(event)
    return guard(status, _Clock(today, is_workday)) if guard else []


def allowed_events(
    status: CaseStatus, *, today: date, is_workday: Callable[[date], bool]
) -> list[str]:
    """The events that may happen now, in the order of CASE_EVENTS."""
    return [
        event
        for event in CASE_EVENTS
        if not event_refusals(status, event, today=today, is_workday=is_workday)
    ]


# ---- guards: each returns the refusals of one event, its source state already checked ---------

_NEEDS_REVIEW = Refusal(
    "NEEDS_REVIEW", "本案属于重大执法决定，处罚意见须经法制审核通过（行政处罚法第五十八条）"
)
_HEARING_PENDING = Refusal("HEARING_PENDING", "当事人已申请听证，尚未举行听证")


def _already_heard(status: CaseStatus, what: str) -> list[Refusal]:
    if status.state == "reviewed" and status.reviewed_after_hearing:
        message = (
            f"处罚意见已告知当事人并经听证后法制审核通过，不能再{what}；"
            "如需变更，应在听证后的法制审核中退回"
        )
        return [Refusal("ALREADY_NOTIFIED", message)]
    return []


def _propose(status: CaseStatus, clock: _Clock) -> list[Refusal]:
    return _already_heard(status, "改拟处罚意见")


def _submit_review(status: CaseStatus, clock: _Clock) -> list[Refusal]:
    if status.state == "hearing":
        return [] if status.hearing_held else [_HEARING_PENDING]
    if not status.review_required:
        message = "本案不属于重大执法决定，无需法制审核，可直接送达告知书"
        return [Refusal("REVIEW_NOT_REQUIRED", message)]
    return []


def _notify(status: CaseStatus, clock: _Clock) -> list[Refusal]:
    refusals = _already_heard(status, "送达告知书")
    if status.review_required and not status.review_approved:
        refusals.append(_NEEDS_REVIEW)
    return refusals


def _request_hearing(status: CaseStatus, clock: _Clock) -> list[Refusal]:
    if not status.hearing_right:
        message = (
            "拟作出的处罚不属于较大数额罚款或较重处罚，当事人无听证权利（行政处罚法第六十三条）"
        )
        return [Refusal("NO_HEARING_RIGHT", message)]
    if status.notified_on is None:
        return []  # no notice date recorded: the window cannot be shown closed
    due = hearing_request_due(status.notified_on, clock.is_workday)
    if clock.today > due:
        message = f"申请听证期限已于{_fmt(due)}届满（告知后五个工作日内，行政处罚法第六十四条）"
        return [Refusal("HEARING_WINDOW_CLOSED", message)]
    return []


def _hold_hearing(status: CaseStatus, clock: _Clock) -> list[Refusal]:
    if status.hearing_held:
        return [Refusal("HEARING_ALREADY_HELD", "听证已经举行，不能重复举行")]
    return []


def _decide(status: CaseStatus, clock: _Clock) -> list[Refusal]:
    if status.state == "reviewed" and not status.reviewed_after_hearing:
        message = (
            "作出处罚决定前须先送达告知书，告知拟作出的处罚内容及事实、理由、依据，"
            "以及陈述申辩、听证等权利（行政处罚法第四十四条）"
        )
        return [Refusal("NOT_NOTIFIED", message)]
    refusals = []
    if status.review_required and not status.review_approved:
        refusals.append(_NEEDS_REVIEW)
    if status.hearing_held and not status.reviewed_after_hearing:
        message = "听证后须对处罚意见重新进行法制审核（行政处罚法第五十八条）"
        refusals.append(Refusal("NEEDS_REVIEW_AFTER_HEARING", message))
    if status.hearing_requested and not status.hearing_held:
        refusals.append(_HEARING_PENDING)
    if status.collective_required and not status.collective_done:
        message = "本案属于重大执法决定，须经行政机关负责人集体讨论决定（行政处罚法第五十七条）"
        refusals.append(Refusal("NEEDS_COLLECTIVE", message))
    return refusals + _defence_window(status, clock)


def _defence_window(status: CaseStatus, clock: _Clock) -> list[Refusal]:
    if status.defence_closed or status.hearing_held:
        return []
    if status.notified_on is None:
        message = "未记录告知书送达日期，无法确认陈述申辩期限已经届满"
        return [Refusal("DEFENCE_WINDOW_OPEN", message)]
    if status.hearing_right:
        due, what = hearing_request_due(status.notified_on, clock.is_workday), "陈述申辩和申请听证"
    else:
        due, what = defence_due(status.notified_on, clock.is_workday), "陈述申辩"
    if clock.today <= due:
        message = f"当事人{what}期限至{_fmt(due)}，期限届满或当事人陈述申辩、明确放弃前不得作出决定"
        return [Refusal("DEFENCE_WINDOW_OPEN", message)]
    return []


def _pay(status: CaseStatus, clock: _Clock) -> list[Refusal]:
    if not status.penalty:
        return [Refusal("NOTHING_TO_PAY", "本案作出不予处罚决定，无须缴纳罚款")]
    return []


def _close(status: CaseStatus, clock: _Clock) -> list[Refusal]:
    """Every fine settled: paid with its late fee, or a recorded ground (payments.py)."""
    if status.penalty and status.unsettled is None and status.state == "delivered":
        return [Refusal("UNPAID", "处罚决定尚未履行（罚款未缴纳），不能结案")]
    if status.penalty and status.unsettled:
        found = "；".join(status.unsettled)
        message = (
            f"处罚决定尚未履行完毕（{found}），不能结案；已申请人民法院强制执行或者作出减免加处"
            "罚款决定的，请先登记"
        )
        return [Refusal("UNPAID", message)]
    return []


_GUARDS: dict[str, Callable[[CaseStatus, _Clock], list[Refusal]]] = {
    "propose": _propose,
    "submit_review": _submit_review,
    "notify": _notify,
    "request_hearing": _request_hearing,
    "hold_hearing": _hold_hearing,
    "decide": _decide,
    "pay": _pay,
    "close": _close,
}
