"""Suspending a training institution's business (暂停培训业务) as an adverse decision, without
Django: the states and the one transition table, the guards of each step, the rule that a decision
may not be heavier than the notice, and the grounds and remedies the documents print (read from
`policy_data/training/suspension.toml`).

The procedure: the bureau issues the notice (暂停培训业务告知书: the facts found, the
intended measure and its basis, the right to state a case) — 拟暂停（已告知）; once it is
delivered, the time limit for the institution's statement (陈述、申辩) runs — 陈述申辩中; the
institution states its case (from its portal, or on paper recorded by the bureau) or the bureau
records, after the limit has passed, that none came; then the bureau decides — 已决定 —
answering the statement, or drops the notice — 不予暂停（撤销告知）. A decided suspension may be
lifted early (`institutions.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from anjian.domain.registry import ErrorCollector, FieldErrors

SUSPENSION_STATES: dict[str, str] = {
    "notified": "拟暂停（已告知）",
    "defence": "陈述申辩中",
    "decided": "已决定",
    "withdrawn": "不予暂停（撤销告知）",
}

SUSPENSION_EVENTS: dict[str, str] = {
    "deliver": "登记送达",
    "state_case": "陈述申辩",
    "record_no_statement": "登记未提出陈述申辩",
    "decide": "作出暂停决定",
    "withdraw": "不予暂停（撤销告知）",
    "lift": "提前恢复",
}

STATEMENT_SOURCES: dict[str, str] = {
    "portal": "培训机构端提交",
    "paper": "书面提交（局方登记）",
    "none": "期限内未提出",
}

FIRST_STATE = "notified"
"""Issuing the notice (`suspension_notify`) creates the suspension in this state."""


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: recorded, the state does not change


TRANSITIONS: dict[str, Transition] = {
    "deliver": Transition(frozenset({"notified"}), "defence"),
    "state_case": Transition(frozenset({"defence"}), None),
    "record_no_statement": Transition(frozenset({"defence"}), None),
    "decide": Transition(frozenset({"defence"}), "decided"),
    "withdraw": Transition(frozenset({"notified", "defence"}), "withdrawn"),
    "lift": Transition(frozenset({"decided"}), None),
}
"""event -> the states it may happen in, and the state it leads to."""


@dataclass(frozen=True)
class SuspensionFacts:
    """What the state machine needs to know about one suspension."""

    state: str
    defence_due: date | None = None  # the last day for the statement, set on delivery
    statement_source: str = ""  # "", or a key of STATEMENT_SOURCES

    def __post_init__(self) -> None:
        if self.state not in SUSPENSION_STATES:
            raise ValueError(f"未知的暂停培训业务状态：{self.state}")


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def next_state(facts: SuspensionFacts, event: str) -> str:
    """The state `event` leads to; ValueError on an unknown event or one out of order."""
    refusal = _order_refusal(facts, event)
    if refusal is not None:
        raise ValueError(refusal.message)
    return TRANSITIONS[event].target or facts.state


def _order_refusal(facts: SuspensionFacts, event: str) -> Refusal | None:
    if event not in TRANSITIONS:
        return Refusal("UNKNOWN_EVENT", f"未知的事项：{event}")
    if facts.state not in TRANSITIONS[event].sources:
        state, step = SUSPENSION_STATES[facts.state], SUSPENSION_EVENTS[event]
        return Refusal("STEP_OUT_OF_ORDER", f"当前为“{state}”，不能“{step}”")
    return None


def event_refusals(facts: SuspensionFacts, event: str, *, today: date) -> list[Refusal]:
    """Why `event` may not happen now (for a statement: not on `today`, the day it was received);
    an empty list means it may."""
    refusal = _order_refusal(facts, event)
    if refusal is not None:
        return [refusal]
    if event == "state_case":
        return _state_case(facts, today)
    if event == "record_no_statement":
        return _no_statement(facts, today)
    if event == "decide":
        return _decide(facts, today)
    return []


def allowed_events(facts: SuspensionFacts, *, today: date) -> list[str]:
    """The events that may happen now, in the order of SUSPENSION_EVENTS."""
    return [e for e in SUSPENSION_EVENTS if not event_refusals(facts, e, today=today)]


def _already_stated(facts: SuspensionFacts) -> list[Refusal]:
    if facts.statement_source:
        label = STATEMENT_SOURCES.get(facts.statement_source, facts.statement_source)
        return [Refusal("ALREADY_RECORDED", f"已登记陈述申辩情况（{label}）")]
    return []


def _state_case(facts: SuspensionFacts, today: date) -> list[Refusal]:
    refusals = _already_stated(facts)
    if not refusals and facts.defence_due is not None and today > facts.defence_due:
        message = f"陈述申辩期限已于{_day(facts.defence_due)}届满"
        refusals.append(Refusal("DEFENCE_CLOSED", message))
    return refusals


def _no_statement(facts: SuspensionFacts, today: date) -> list[Refusal]:
    refusals = _already_stated(facts)
    if not refusals and facts.defence_due is not None and today <= facts.defence_due:
        message = f"陈述申辩期限至{_day(facts.defence_due)}，期限届满后方可登记未提出陈述申辩"
        refusals.append(Refusal("DEFENCE_OPEN", message))
    return refusals


def _decide(facts: SuspensionFacts, today: date) -> list[Refusal]:
    if facts.statement_source:
        return []
    if facts.defence_due is not None and today <= facts.defence_due:
        message = (
            f"陈述申辩期限至{_day(facts.defence_due)}，培训机构提出陈述申辩或期限届满前"
            "不得作出暂停决定"
        )
        return [Refusal("DEFENCE_OPEN", message)]
    message = "请先登记培训机构的陈述申辩意见，或登记其在期限内未提出陈述申辩"
    return [Refusal("STATEMENT_NOT_RECORDED", message)]


# ---- the decided period against the notice -----------------------------------------------------


def add_months(start: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    year, month = divmod(start.month - 1 + months, 12)
    first = date(start.year + year, month + 1, 1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return min(first + timedelta(start.day - 1), following - timedelta(1))


def proposed_last_day(starts_on: date, proposed_months: int | None) -> date | None:
    """The last day of a suspension of `proposed_months` from `starts_on`; None: until lifted."""
    if proposed_months is None:
        return None
    return add_months(starts_on, proposed_months) - timedelta(1)


def proposal_text(proposed_months: int | None) -> str:
    if proposed_months is None:
        return "暂停安全生产培训业务，待整改完毕、经验收合格并书面决定恢复之日止"
    return f"暂停安全生产培训业务{proposed_months}个月"


def heavier_than_notice(
    *, proposed_months: int | None, starts_on: date, ends_on: date | None
) -> str | None:
    """Why the decided period is heavier than the notice said (None: it is not). A heavier
    measure needs a new notice: the institution was heard only on what it was told."""
    last = proposed_last_day(starts_on, proposed_months)
    if last is None:
        return None
    if ends_on is None or ends_on > last:
        return (
            f"告知书拟{proposal_text(proposed_months)}，决定的暂停期不得超过{_day(last)}；"
            "如需加重，应撤销本告知后重新告知"
        )
    return None


# ---- grounds and remedies, as data ---------------------------------------------------------------


class SuspensionPolicyInvalid(FieldErrors):
    """Every problem of the suspension data, each a FieldError."""


@dataclass(frozen=True)
class Citation:
    """A provincial document the decision rests on; `clause` empty when it is not known to us."""

    issuer: str
    title: str
    number: str
    clause: str
    source: str

    @property
    def text(self) -> str:
        return f"{self.issuer}《{self.title}》（{self.number}）{self.clause}"


@dataclass(frozen=True)
class SuspensionPolicy:
    defence_working_days: int
    defence_source: str
    grounds: tuple[Citation, ...]
    reconsideration_days: int
    reconsideration_source: str
    litigation_months: int
    litigation_source: str

    @property
    def grounds_text(self) -> str:
        """《…》（…号）、《…》（…号）第…条 — followed by 的有关规定 when any clause is unknown."""
        parts, issuer = [], ""
        for citation in self.grounds:
            text = citation.text
            parts.append(text.removeprefix(issuer) if issuer else text)
            issuer = citation.issuer
        cited = "、".join(parts)
        return cited + ("的有关规定" if any(not c.clause for c in self.grounds) else "的规定")


_CITATION_KEYS = ("issuer", "title", "number", "source")


def _citations(raw: Any, errors: ErrorCollector) -> tuple[Citation, ...]:
    if not isinstance(raw, list) or not raw:
        errors.fail("grounds", "REQUIRED", "须至少列出一份依据文件")
        return ()
    found = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping) or any(
            not isinstance(item.get(key), str) or not item[key] for key in _CITATION_KEYS
        ):
            errors.fail(f"grounds[{index}]", "REQUIRED", "依据文件须有发文机关、标题、文号和来源")
            continue
        values = {key: str(item[key]) for key in _CITATION_KEYS}
        found.append(Citation(clause=str(item.get("clause", "")), **values))
    return tuple(found)


def _positive(data: Mapping[str, Any], key: str, limit: int, errors: ErrorCollector) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= limit:
        errors.fail(key, "RANGE", f"须为1至{limit}之间的整数")
        return 1
    return value


def _source(data: Mapping[str, Any], key: str, errors: ErrorCollector) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        errors.fail(key, "REQUIRED", "须写明出处")
        return ""
    return value


def suspension_policy_from_dict(data: Mapping[str, Any]) -> SuspensionPolicy:
    """Checks the whole file and reports every problem at once (SuspensionPolicyInvalid)."""
    errors = ErrorCollector()
    policy = SuspensionPolicy(
        defence_working_days=_positive(data, "defence_working_days", 30, errors),
        defence_source=_source(data, "defence_source", errors),
        grounds=_citations(data.get("grounds"), errors),
        reconsideration_days=_positive(data, "reconsideration_days", 365, errors),
        reconsideration_source=_source(data, "reconsideration_source", errors),
        litigation_months=_positive(data, "litigation_months", 24, errors),
        litigation_source=_source(data, "litigation_source", errors),
    )
    if errors.errors:
        raise SuspensionPolicyInvalid(errors.errors)
    return policy


def reconsideration_body(body_name: str) -> str:
    """The people's government at the bureau's level (行政复议法第二十四条: it hears appeals
    against its own departments): 文水县应急管理局 → 文水县人民政府."""
    for suffix in ("应急管理局", "应急管理厅"):
        if body_name.endswith(suffix) and len(body_name) > len(suffix):
            return body_name.removesuffix(suffix) + "人民政府"
    return "本级人民政府"


def chinese_count(value: int) -> str:
    """一 … 九十九 for the periods the documents print (三个工作日, 六十日, 六个月)."""
    digits = "零一二三四五六七八九"
    if not 0 < value < 100:
        return str(value)
    tens, units = divmod(value, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[units] if units else "")
