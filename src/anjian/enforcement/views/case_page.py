"""The case page and the steps posted from it. A step's form re-displays with the service's
messages; a refusal of the procedure is shown as a message."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.accounts.models import User
from anjian.domain.discretion.engine import PenaltySuggestion
from anjian.domain.discretion.payments import amount_due, payment_due
from anjian.domain.discretion.procedure import Gates
from anjian.enforcement.confirmations import step_confirmation
from anjian.enforcement.forms import (
    EvidenceForm,
    ProposalForm,
    step_form,
    step_prefix,
)
from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.selectors import (
    EVIDENCE_STATES,
    STEP_LABELS,
    IsWorkday,
    blocked_steps,
    case_suggestion,
    deadlines_of,
    decided_text,
    next_steps,
    proposal_flags,
    proposed_text,
    provision_of,
    suggestion_view,
    warnings_of,
    workdays_around,
)
from anjian.enforcement.services.case_proposal import (
    FinedPerson,
    Outcome,
    build_proposal,
    outcome_of,
)
from anjian.policy.views.common import today

BUTTON_STYLE = {
    "approve_review": "btn-success",
    "reject_review": "btn-outline-danger",
    "drop": "btn-outline-danger",
    "decide": "btn-primary",
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@dataclass
class Action:
    """One step offered on the page: its form and its button(s)."""

    key: str
    form: forms.Form
    buttons: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # event, label, style, confirm
    hint: str = ""


def _fmt(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _pay_hint(case: PenaltyCase, day: date) -> str:
    """Each unpaid fine with what it costs today (its own late fee)."""
    if case.delivered_on is None:
        return ""
    parts = []
    for fine in case.fines.all():
        if fine.settled:
            continue
        waived = fine.ground == "waiver"
        _, fee = amount_due(
            fine=fine.amount, delivered_on=case.delivered_on, paid_on=day, waived=waived
        )
        extra = f"（含加处罚款 {fee:,} 元）" if fee else ""
        parts.append(f"{fine.name} {fine.amount + fee:,} 元{extra}")
    due = payment_due(case.delivered_on)
    return f"缴款期限至{_fmt(due)}；今天缴纳应缴：" + "；".join(parts)


def _fine_choices(case: PenaltyCase) -> list[tuple[int, str]]:
    return [
        (f.pk, f"{f.name}（{f.get_party_display()}）罚款 {f.amount:,} 元")
        for f in case.fines.all()
        if not f.settled
    ]


def _hint(event: str, case: PenaltyCase, day: date, dues: Mapping[str, date]) -> str:
    if event == "notify":
        hearing = "和《听证告知书》（当事人有听证权）" if case.hearing_right else ""
        return f"送达时生成《行政处罚告知书》{hearing}；拟作出：{proposed_text(case)}"
    if event == "record_defence" and case.hearing_right:
        return (
            f"当事人可在{_fmt(dues['HEARING_REQUEST'])}前申请听证；只记录陈述申辩而未明确放弃"
            "听证的，期限届满前不能作出决定"
        )
    if event == "record_defence" and "DEFENCE" in dues:
        return f"陈述申辩期限至{_fmt(dues['DEFENCE'])}"
    if event == "request_hearing" and "HEARING_REQUEST" in dues:
        return f"申请听证期限至{_fmt(dues['HEARING_REQUEST'])}"
    if event == "decide":
        return f"决定内容：{proposed_text(case)}"
    if event in ("pay", "record_ground"):
        return _pay_hint(case, day)
    return ""


def _initial(event: str, day: date) -> dict[str, Any]:
    names = {
        "request_hearing": "requested_on",
        "hold_hearing": "held_on",
        "deliver": "delivered_on",
        "pay": "paid_on",
        "record_ground": "on",
    }
    return {names[event]: day} if event in names else {}


def _actions(
    case: PenaltyCase,
    steps: list[str],
    bound: Mapping[str, forms.Form],
    day: date,
    is_workday: IsWorkday,
) -> list[Action]:
    dues = {d.code: d.due for d in deadlines_of(case, is_workday)}
    actions: dict[str, Action] = {}
    for event in steps:
        if event == "propose":
            continue
        key = step_prefix(event)
        if key not in actions:
            form = bound.get(key) or step_form(event, initial=_initial(event, day))
            if "fine" in form.fields:
                form.fields["fine"].widget.choices = _fine_choices(case)  # type: ignore[attr-defined]
            actions[key] = Action(key, form, hint=_hint(event, case, day, dues))
        style = BUTTON_STYLE.get(event, "btn-outline-primary")
        confirm = step_confirmation(event, case)
        actions[key].buttons.append((event, STEP_LABELS[event], style, confirm))
    return list(actions.values())


# ---- the proposal form and the suggestion ----------------------------------------------------


def _measure_choices(case: PenaltyCase, suggestion: PenaltySuggestion | None) -> list[str]:
    provision = provision_of(case)
    found: list[str] = list(case.proposed_measures)
    if provision is not None:
        found += provision.timely.measures
        found += provision.overdue.measures if provision.overdue else ()
    found += suggestion.measures if suggestion else ()
    return found


def proposal_form(
    case: PenaltyCase, data: Any = None, suggestion: PenaltySuggestion | None = None
) -> ProposalForm:
    tiers = (
        [(t.code, f"{t.code}：{t.condition}") for t in suggestion.entry.tiers]
        if (suggestion and suggestion.entry)
        else []
    )
    initial = ProposalForm.initial_from(dict(case.facts))
    initial["complex_case"] = case.complex_case
    initial.update(ProposalForm.person_initial(case.proposed_persons))
    if case.proposed_at is not None:
        initial.update(
            unit_fine=case.proposed_unit_fine,
            measures=case.proposed_measures,
            no_penalty=case.no_penalty,
            deviation_reason=case.deviation_reason,
        )
    elif suggestion is not None:
        initial["unit_fine"] = (
            suggestion.suggested_unit.amount if suggestion.suggested_unit else None
        )
        initial["measures"] = list(suggestion.mandatory_measures)  # the law requires them
    return ProposalForm(
        data,
        prefix="proposal",
        initial=initial,
        measures=_measure_choices(case, suggestion),
        tiers=tiers,
    )


def live_suggestion(case: PenaltyCase) -> tuple[PenaltySuggestion | None, list[str]]:
    try:
        return case_suggestion(case), []
    except ValidationError as error:
        return None, error.messages


GATE_CODES = frozenset(
    {"LARGE_UNIT_FINE", "LARGE_PERSON_FINE", "HEAVY_MEASURE", "AFTER_HEARING", "COMPLEX_CASE"}
)
"""The engine's reasons about the gates of its own suggested amounts: the card shows the gates
of the proposal (previewed, prefilled or saved) instead."""


def _gates(gates: Gates) -> dict[str, Any]:
    return {
        "legal_review": gates.legal_review,
        "hearing_right": gates.hearing_right,
        "collective_decision": gates.collective_decision,
        "reasons": [reason.message for reason in gates.reasons],
    }


def _prefilled_outcome(
    case: PenaltyCase, live: PenaltySuggestion, form: ProposalForm
) -> dict[str, Any]:
    """The gates of the proposal form as prefilled: what saving it unchanged comes to."""
    initial = form.initial
    persons = [
        FinedPerson(str(p.get("name") or ""), str(p.get("post") or ""), p["fine"])
        for p in case.proposed_persons
        if p.get("fine") is not None
    ]
    proposal = build_proposal(
        case,
        facts=dict(case.facts),
        unit_fine=initial.get("unit_fine"),
        persons=persons,
        measures=list(initial.get("measures") or []),
        no_penalty=bool(initial.get("no_penalty")),
    )
    return _gates(outcome_of(case, live, proposal, complex_case=case.complex_case).gates)


def _suggestion(
    case: PenaltyCase,
    live: PenaltySuggestion | None,
    preview: Outcome | None,
    form: ProposalForm,
) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """The card: the suggestion shown, its kind, and the gates of the proposal it goes with."""
    if preview is not None:
        return suggestion_view(preview.suggestion.as_dict()), "preview", _gates(preview.gates)
    if case.suggestion:
        saved = {
            "legal_review": case.review_required,
            "hearing_right": case.hearing_right,
            "collective_decision": case.collective_required,
            "reasons": [],
        }
        return suggestion_view(case.suggestion), "proposal", saved
    if live is None:
        return {}, "current", {}
    return suggestion_view(live.as_dict()), "current", _prefilled_outcome(case, live, form)


def _card(suggestion: dict[str, Any]) -> dict[str, Any]:
    if suggestion:
        kept = [r for r in suggestion["reasons"] if r["code"] not in GATE_CODES]
        suggestion = {**suggestion, "reasons": kept}
    return suggestion


def _flash_unshown(request: HttpRequest, bound: Mapping[str, forms.Form], shown: set[str]) -> None:
    for key, form in bound.items():
        if key not in shown:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)


def _records(case: PenaltyCase, day: date, is_workday: IsWorkday) -> dict[str, Any]:
    """What the page shows of the case itself: findings, evidence, documents, the timeline,
    reviews, deadlines with their warnings, the proposal and the decision."""
    warnings = {w.code: w for w in warnings_of(case, day, is_workday)}
    return {
        "case": case,
        "findings": case.findings.select_related("task", "order__document").order_by("pk"),
        "officers": case.officers.all(),
        "evidence": case.evidence.all(),
        "evidence_open": case.state in EVIDENCE_STATES,
        "documents": case.documents.order_by("issued_on", "pk"),
        "timeline": [
            (step, STEP_LABELS.get(step.event, step.event))
            for step in case.steps.select_related("actor").order_by("at", "pk")
        ],
        "reviews": case.reviews.select_related("reviewer").order_by("created_at", "pk"),
        "flags": proposal_flags(case) if case.proposed_at else [],
        "deadlines": [(d, warnings.get(d.code)) for d in deadlines_of(case, is_workday)],
        "warnings": list(warnings.values()),
        "proposed_text": proposed_text(case) if case.proposed_at else "",
        "decided_text": decided_text(case) if case.decided_on else "",
        "fines": case.fines.all(),
    }


def detail_response(
    request: HttpRequest,
    case: PenaltyCase,
    *,
    bound: Mapping[str, forms.Form] | None = None,
    preview: Outcome | None = None,
    evidence_form: EvidenceForm | None = None,
) -> HttpResponse:
    """The case page; `bound` forms (by step) re-display with their errors, `preview` is the
    suggestion for the proposal form's facts."""
    user, day = _user(request), today()
    is_workday = workdays_around(day)  # one query for the page's working days
    bound = bound or {}
    steps = next_steps(user, case, today=day, is_workday=is_workday)
    live, live_errors = live_suggestion(case)
    actions = _actions(case, steps, bound, day, is_workday)
    proposing = "propose" in steps
    form = bound.get("proposal") or proposal_form(
        case, suggestion=preview.suggestion if preview else live
    )
    _flash_unshown(
        request, bound, {a.key for a in actions} | ({"proposal"} if proposing else set())
    )
    prefilled = form if isinstance(form, ProposalForm) and not form.is_bound else None
    suggestion, suggestion_kind, gates = _suggestion(
        case, live, preview, prefilled or proposal_form(case, suggestion=live)
    )
    blocked = blocked_steps(user, case, today=day, is_workday=is_workday)
    context = {
        **_records(case, day, is_workday),
        "actions": actions,
        "proposal_form": form if proposing else None,
        "suggestion": _card(suggestion),
        "suggestion_kind": suggestion_kind,
        "gates": gates,
        "suggestion_errors": live_errors,
        "blocked": {STEP_LABELS[event]: reasons for event, reasons in blocked.items()},
        "evidence_form": evidence_form or EvidenceForm(),
    }
    return render(request, "enforcement/case_detail.html", context)
