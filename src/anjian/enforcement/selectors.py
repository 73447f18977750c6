"""Reads of penalty cases: the procedure's view of a case row, the engine's suggestion for a
case, what a user may do next, the flags a legal reviewer sees, deadlines and warnings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery

from anjian.accounts.models import User
from anjian.domain.discretion.engine import DISPOSITIONS, PenaltySuggestion
from anjian.domain.discretion.parse import PenaltyInputInvalid, parse_penalty_input
from anjian.domain.discretion.payments import unsettled
from anjian.domain.discretion.procedure import (
    CASE_EVENTS,
    CASE_STATES,
    TRANSITIONS,
    CaseStatus,
    Deadline,
    DeadlineWarning,
    allowed_events,
    case_deadlines,
    deadline_warnings,
    event_refusals,
)
from anjian.domain.discretion.statute import Provision, Range, yuan
from anjian.enforcement.access import visible_cases
from anjian.enforcement.models import CaseDocument, PenaltyCase
from anjian.enforcement.monitor import like_case_flags
from anjian.enforcement.services import discretion
from anjian.policy.workdays import workday_lookup

IsWorkday = Callable[[date], bool]

STEP_LABELS: dict[str, str] = {
    "open": "立案",
    **CASE_EVENTS,
    "record_defence": "陈述申辩",
    "record_payment": "登记缴款",
    "record_ground": "登记未缴清的结案依据",
}
"""The procedure's events, and the steps of ours that change no state (立案, 陈述申辩)."""

EVENT_CAPABILITY: dict[str, str] = {
    **{event: "penalty.handle" for event in CASE_EVENTS},
    "approve_review": "penalty.review",
    "reject_review": "penalty.review",
    "record_collective": "penalty.decide",
    "decide": "penalty.decide",
    "record_defence": "penalty.handle",
    "record_payment": "penalty.handle",
    "record_ground": "penalty.handle",
}
"""Which capability each step needs."""

DECIDED_STATES = frozenset({"decided", "delivered", "paid", "closed"})
OPEN_STATES = frozenset(CASE_STATES) - {"closed", "dropped"}
EVIDENCE_STATES = frozenset({"filed", "proposed", "reviewing", "reviewed", "notified", "hearing"})


# ---- the procedure's view of a case ----------------------------------------------------------


def imposes_fine(case: PenaltyCase) -> bool:
    """Whether the decision (or, before it, the proposal) imposes a fine."""
    if case.state in DECIDED_STATES:
        return bool(case.decided_unit_fine or case.decided_person_fine)
    return not case.no_penalty and bool(case.proposed_unit_fine or case.proposed_person_fine)


def case_status(case: PenaltyCase, *, with_fines: bool = True) -> CaseStatus:
    """The case's procedure status. Without the fines (a list row, no query per row) the fines
    left to settle are not known (`unsettled=None`: a delivered fine is taken as unpaid)."""
    return CaseStatus(
        state=case.state,
        review_required=case.review_required,
        review_approved=case.review_approved,
        hearing_right=case.hearing_right,
        hearing_requested=case.hearing_requested,
        hearing_held=case.hearing_held,
        collective_required=case.collective_required,
        collective_done=case.collective_done,
        defence_closed=case.defence_closed,
        penalty=imposes_fine(case),
        notified_on=case.notified_on,
        reviewed_after_hearing=case.reviewed_after_hearing,
        unsettled=(
            tuple(unsettled([f.record() for f in case.fines.all()])) if with_fines else None
        ),
    )


def provision_of(case: PenaltyCase) -> Provision | None:
    return discretion.provision_for(case.law, case.article, case.item or None)


def _step_offered(case: PenaltyCase, event: str) -> bool:
    if event == "record_collective":
        return case.collective_required and not case.collective_done
    return True


def next_steps(user: User, case: PenaltyCase, *, today: date, is_workday: IsWorkday) -> list[str]:
    """The steps this user may take now: the events the procedure allows that the user's role
    may do, and recording the party's defence while the notice's window is open."""
    events = allowed_events(case_status(case), today=today, is_workday=is_workday)
    if case.state == "notified" and not case.defence_closed:
        events.insert(events.index("notify") + 1 if "notify" in events else 0, "record_defence")
    if case.state == "delivered" and any(not f.settled for f in case.fines.all()):
        events.append("record_ground")
    return [e for e in events if user.can(EVENT_CAPABILITY[e]) and _step_offered(case, e)]


def blocked_steps(
    user: User, case: PenaltyCase, *, today: date, is_workday: IsWorkday
) -> dict[str, list[str]]:
    """The steps in order now that the procedure still refuses, with its reasons (e.g. why the
    head cannot decide yet), for the steps this user's role may do."""
    status = case_status(case)
    blocked = {}
    for event in ("submit_review", "notify", "decide", "close"):
        if case.state not in TRANSITIONS[event].sources or not user.can(EVENT_CAPABILITY[event]):
            continue
        refusals = event_refusals(status, event, today=today, is_workday=is_workday)
        if refusals and event != "submit_review":
            blocked[event] = [r.message for r in refusals]
    return blocked


def person_label(person: Mapping[str, Any]) -> str:
    """“直接责任人员王五（安全员）”."""
    post = f"（{person['post']}）" if person.get("post") else ""
    return f"直接责任人员{person.get('name') or ''}{post}"


def penalty_text(
    *,
    unit_fine: int | None,
    measures: list[str],
    no_penalty: bool,
    persons: Sequence[Mapping[str, Any]] = (),
) -> str:
    """A penalty as a decision states it: "对你单位处罚款人民币1万元；对直接责任人员王五（安全员）
    处罚款人民币2万元（并责令限期改正）". Each fined person is named with a separate amount. An
    order to correct (责令改正) is not a penalty: it is stated beside the penalty, not as one."""
    if no_penalty:
        return "不予行政处罚"
    orders = [m for m in measures if m.startswith(CORRECTION_ORDERS)]
    parts = []
    if unit_fine:
        parts.append(f"对你单位处罚款人民币{yuan(unit_fine)}")
    for person in persons:
        if person.get("fine"):
            parts.append(f"对{person_label(person)}处罚款人民币{yuan(int(person['fine']))}")
    parts += [m for m in measures if m not in orders]
    text = "；".join(parts)
    if orders:
        joined = "、".join(orders)
        text = f"{text}（并{joined}）" if text else joined
    return text or "—"


CORRECTION_ORDERS = ("责令限期改正", "责令改正", "责令立即消除", "提供必需的资金")
"""Orders to correct that accompany a penalty; 责令改正 is not a penalty (行政处罚法第二十八条)."""


def proposed_text(case: PenaltyCase) -> str:
    return penalty_text(
        unit_fine=case.proposed_unit_fine,
        measures=list(case.proposed_measures),
        no_penalty=case.no_penalty,
        persons=case.proposed_persons,
    )


def decided_persons(case: PenaltyCase) -> list[dict[str, Any]]:
    """The fined persons of the decision, as `proposed_persons` words them."""
    return [
        {"name": f.name, "post": f.post, "fine": f.amount}
        for f in case.fines.all()
        if f.party == "person"
    ]


def decided_text(case: PenaltyCase) -> str:
    return penalty_text(
        unit_fine=case.decided_unit_fine,
        measures=list(case.proposed_measures) if not case.no_penalty else [],
        no_penalty=case.no_penalty,
        persons=decided_persons(case),
    )


# ---- the engine's suggestion for a case --------------------------------------------------------


def _field_name(path: str) -> str:
    return path.split(".", 1)[1].split("[", 1)[0] if path.startswith("facts.") else "__all__"


def case_suggestion(case: PenaltyCase, facts: Mapping[str, Any] | None = None) -> PenaltySuggestion:
    """The engine's suggestion for the case's provision and party on `facts` (the case's own
    by default), with the benchmarks in force on the filing day. ValidationError (by fact)
    when the facts are not readable or the provision is unknown."""
    data = {
        "violation": {"law": case.law, "article": case.article, "item": case.item or None},
        "party": {"sector": case.enterprise.sector, "kind": case.party_kind},
        "facts": dict(case.facts if facts is None else facts),
        "date": case.filed_on.isoformat(),
    }
    try:
        return discretion.suggest(parse_penalty_input(data, today=case.filed_on))
    except PenaltyInputInvalid as invalid:
        errors: dict[str, list[str]] = {}
        for error in invalid.errors:
            errors.setdefault(_field_name(error.field), []).append(error.message)
        raise ValidationError(errors) from invalid
    except LookupError as missing:
        raise ValidationError(str(missing.args[-1])) from missing


def _label(value: Mapping[str, int] | None) -> str:
    return Range(value["min"], value["max"]).label() if value else ""


def suggestion_view(data: Mapping[str, Any]) -> dict[str, Any]:
    """The stored suggestion (`PenaltySuggestion.as_dict()`) with the labels a page shows."""
    if not data:
        return {}
    statute, bench = data["statute"], data.get("benchmark")
    suggested = data["suggestion"]
    return {
        **data,
        "disposition_label": DISPOSITIONS.get(data["disposition"], data["disposition"]),
        "stage_label": "逾期未改正阶段" if statute["stage"] == "overdue" else "限期内（首次）",
        "statute_unit": _label(statute["unit"]),
        "statute_person": _label(statute["responsible_person"]),
        "tier_unit": _label(bench["unit"]) if bench else "",
        "tier_person": _label(bench["responsible_person"]) if bench else "",
        "suggested_unit": suggested["unit"],
        "suggested_person": suggested["responsible_person"],
    }


def _outside(fine: int | None, value: Mapping[str, int] | None) -> bool:
    return fine is not None and value is not None and not value["min"] <= fine <= value["max"]


def _fine_flags(case: PenaltyCase, whom: str, key: str, fine: int | None) -> list[dict[str, str]]:
    data = case.suggestion or {}
    bench = data.get("benchmark") or {}
    flags = []
    tier_range = bench.get(key)
    if _outside(fine, tier_range):
        flags.append(
            {
                "code": "OUTSIDE_TIER",
                "message": f"拟对{whom}罚款 {fine:,} 元，超出基准第（{bench['entry']}）项"
                f"阶次 {bench['tier']} 的幅度（{_label(tier_range)}）",
            }
        )
    suggested = (data.get("suggestion") or {}).get(key)
    if fine is not None and suggested and _outside(fine, suggested):
        flags.append(
            {
                "code": "OFF_SUGGESTION",
                "message": f"拟对{whom}罚款 {fine:,} 元，不在建议幅度 {suggested['min']:,}—"
                f"{suggested['max']:,} 元内（建议 {suggested['amount']:,} 元）",
            }
        )
    return flags


def proposal_flags(case: PenaltyCase) -> list[dict[str, str]]:
    """What the legal reviewer should look at in the current proposal."""
    data = case.suggestion or {}
    bench = data.get("benchmark")
    flags = []
    if bench is None:
        flags.append({"code": "NO_BENCHMARK", "message": "未适用裁量基准条目，按法定幅度裁量"})
    elif bench.get("tier") is None:
        flags.append({"code": "NO_TIER", "message": "未确定裁量阶次"})
    if case.no_penalty:
        flags.append({"code": "NO_PENALTY", "message": "拟不予行政处罚（裁量结论：可以不予处罚）"})
    flags += _fine_flags(case, "单位", "unit", case.proposed_unit_fine)
    flags += _fine_flags(case, "个人", "responsible_person", case.proposed_person_fine)
    if case.outside_tier:
        reason = {"code": "DEVIATION_REASON", "message": f"偏离阶次的理由：{case.deviation_reason}"}
        flags.append(reason)
    if case.hearing_held:
        flags.append({"code": "AFTER_HEARING", "message": "本次审核为听证后的法制审核"})
    # like cases (the consistency monitor): a fine far from what like cases were fined
    for message in like_case_flags(case):
        if "超出裁量阶次" not in message:  # the tier is flagged above already
            flags.append({"code": "LIKE_CASES", "message": message})
    return flags


# ---- deadlines, lists and warnings --------------------------------------------------------------


def deadlines_of(case: PenaltyCase, is_workday: IsWorkday) -> list[Deadline]:
    return case_deadlines(
        filed_on=case.filed_on,
        notified_on=case.notified_on,
        hearing_right=case.hearing_right,
        decided_on=case.decided_on,
        delivered_on=case.delivered_on,
        is_workday=is_workday,
    )


PARTY_WINDOWS = frozenset({"DEFENCE", "HEARING_REQUEST"})
"""The party's own periods: once over, the case may go on (they are not the bureau's delays)."""


def warnings_of(case: PenaltyCase, today: date, is_workday: IsWorkday) -> list[DeadlineWarning]:
    """The deadlines overdue or due soon, except the party's windows that are already over."""
    found = deadline_warnings(deadlines_of(case, is_workday), state=case.state, today=today)
    return [w for w in found if not (w.code in PARTY_WINDOWS and w.level == "overdue")]


def workdays_around(today: date) -> IsWorkday:
    """One lookup for the deadlines of many cases (90 days back to a month ahead)."""
    return workday_lookup(today - timedelta(days=120), today + timedelta(days=60))


STATE_FILTERS: dict[str, str] = {"open": "办理中", **CASE_STATES, "all": "全部"}


def case_rows(user: User, *, state: str = "open", section: str = "") -> QuerySet[PenaltyCase]:
    """The cases this user sees, filtered by state and section (the list page pages them and
    reads each shown case's warnings with `with_warnings`)."""
    cases = visible_cases(user).defer("benchmark__data", "suggestion")
    if state == "open":
        cases = cases.filter(state__in=OPEN_STATES)
    elif state in CASE_STATES:
        cases = cases.filter(state=state)
    if section.isdigit():
        cases = cases.filter(section_id=int(section))
    return cases


def with_warnings(
    cases: Iterable[PenaltyCase], today: date
) -> list[tuple[PenaltyCase, list[DeadlineWarning]]]:
    is_workday = workdays_around(today)
    return [(case, warnings_of(case, today, is_workday)) for case in cases]


def review_queue(user: User) -> QuerySet[PenaltyCase]:
    """Proposals waiting for the legal office's review, oldest first."""
    return visible_cases(user).filter(state="reviewing").order_by("proposed_at", "pk")


# ---- public disclosure (oversight.disclosure) ---------------------------------------------------


def decisions_for_disclosure(body_ids: Iterable[int]) -> QuerySet[PenaltyCase]:
    """The bodies' decided cases (行政处罚决定 and 不予行政处罚决定), each with the number of its
    decision document (`decision_number`) and its fines prefetched; newest decision first."""
    number = CaseDocument.objects.filter(
        case=OuterRef("pk"), kind__in=(CaseDocument.Kind.DECISION, CaseDocument.Kind.NO_PENALTY)
    ).order_by("-issued_on", "-pk")
    return (
        PenaltyCase.objects.filter(
            body_id__in=list(body_ids), state__in=DECIDED_STATES, decided_on__isnull=False
        )
        .select_related("enterprise", "body")
        .defer("suggestion", "facts", "benchmark")
        .prefetch_related("fines")
        .annotate(decision_number=Subquery(number.values("number")[:1]))
        .order_by("-decided_on", "-pk")
    )


def decision_summary(case: PenaltyCase) -> dict[str, Any]:
    """What a decision states, in plain fields (before personal data is removed): its number,
    the party, the violation, the breached duty and the basis, the penalty, the decision day,
    and the names of the natural persons it names (the fined persons and those proposed)."""
    record = case.decision_record or {}
    persons = {f.name for f in case.fines.all() if f.party == "person"}
    persons |= {str(p.get("name") or "") for p in case.proposed_persons}
    if case.party_kind == "person":
        persons |= {f.name for f in case.fines.all() if f.party == "unit"}
    return {
        "number": getattr(case, "decision_number", None) or case.number,
        "party": case.enterprise.name,
        "party_kind": case.party_kind,
        "title": case.title,
        "facts": case.facts_text,
        "breach": str(record.get("breach") or ""),
        "basis": str(record.get("basis") or f"{case.law}第{case.article}条"),
        "penalty": decided_text(case),
        "no_penalty": case.no_penalty,
        "fine_total": (case.decided_unit_fine or 0) + (case.decided_person_fine or 0),
        "decided_on": case.decided_on,
        "persons": sorted(p for p in persons if p),
    }
