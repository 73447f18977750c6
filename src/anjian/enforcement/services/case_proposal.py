"""拟定处罚意见: the officer's proposal for a case, checked against the engine's suggestion.

The engine runs on the proposal's facts; the fines must lie in the statute's range for the stage
(a fine where the law sets none is refused), a no-penalty proposal needs the engine's "可以不予
处罚", and a fine outside the benchmark tier's range marks the proposal as deviating: it then
needs a written reason and always goes to the legal office. Every measure the law makes
mandatory for the stage (责令停产停业整顿 …) must be proposed; each fined person is named with a
post and a separate fine. The gates (legal review, hearing right, collective discussion) are
recomputed on the proposed amounts (the largest fine on a person), and any earlier review or
discussion no longer counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from anjian.accounts.models import User
from anjian.domain.discretion.engine import PenaltySuggestion
from anjian.domain.discretion.measures import missing_measures
from anjian.domain.discretion.prefill import proposal_gates
from anjian.domain.discretion.procedure import Gates, is_heavy_measure
from anjian.domain.discretion.statute import Range
from anjian.domain.ids.idcard import mask_id_number, validate_id_number
from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.selectors import case_suggestion
from anjian.enforcement.services import discretion
from anjian.enforcement.services.cases import Step, case_step, require_capability


@dataclass(frozen=True)
class FinedPerson:
    """A directly responsible person (直接负责的主管人员或其他直接责任人员) and the fine."""

    name: str
    post: str
    fine: int | None
    id_number: str = ""  # optional; only its masked form is kept

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name.strip(),
            "post": self.post.strip(),
            "id_number": mask_id_number(self.id_number.strip().upper()),
            "fine": self.fine,
        }


@dataclass(frozen=True)
class Proposal:
    facts: Mapping[str, Any]
    unit_fine: int | None
    persons: tuple[FinedPerson, ...]
    measures: tuple[str, ...]
    no_penalty: bool
    deviation_reason: str

    @property
    def person_fine(self) -> int | None:
        """The largest fine on one person (the hearing and review thresholds are per person)."""
        fines = [p.fine for p in self.persons if p.fine is not None]
        return max(fines) if fines else None


def _fine_errors(
    whom: str, fine: int | None, statute: Range | None, stage: str, mitigated: bool
) -> list[str]:
    """A fine must lie in the statute's range; below its minimum only as 减轻处罚, where the facts
    show a ground of 行政处罚法第三十二条 (the proposal then needs reasons and legal review)."""
    if fine is None:
        return []
    if fine <= 0:
        return ["罚款金额应大于 0；不罚款请留空"]
    if statute is None:
        return [f"该条款{stage}未规定对{whom}罚款"]
    if fine > statute.max:
        return [f"拟对{whom}罚款 {fine:,} 元，超出法定幅度（{statute.label()}）"]
    if fine < statute.min and not mitigated:
        return [
            f"拟对{whom}罚款 {fine:,} 元，低于法定幅度（{statute.label()}）；只有具有"
            "行政处罚法第三十二条应当从轻或者减轻处罚情形的，才可以减轻处罚"
        ]
    return []


def _mitigated(suggestion: PenaltySuggestion) -> bool:
    return any(reason.code == "MANDATORY_MITIGATION" for reason in suggestion.reasons)


def _stage(suggestion: PenaltySuggestion) -> str:
    overdue = suggestion.overdue and suggestion.provision.overdue is not None
    return "在逾期未改正阶段" if overdue else "在限期内（首次）阶段"


def _measure_errors(suggestion: PenaltySuggestion, proposal: Proposal) -> list[str]:
    unknown = [m for m in proposal.measures if m not in suggestion.measures]
    errors = [f"“{m}”不是该条款{_stage(suggestion)}规定的处罚" for m in unknown]
    if not proposal.no_penalty:
        overdue = suggestion.overdue and suggestion.provision.overdue is not None
        errors += missing_measures(
            suggestion.provision, overdue, suggestion.mandatory_measures, proposal.measures
        )
    return errors


def _person_errors(proposal: Proposal) -> list[str]:
    errors = []
    for n, person in enumerate(proposal.persons, start=1):
        if not person.name.strip() or not person.post.strip():
            errors.append(f"第{n}名直接责任人员须写明姓名和职务")
        if person.fine is None:
            errors.append(f"请填写对第{n}名直接责任人员（{person.name}）的罚款金额")
        if person.id_number.strip():
            checked = validate_id_number(person.id_number)
            if not checked.valid:
                errors.append(f"第{n}名直接责任人员的身份证号无效：{checked.reason}")
    return errors


def _kind_errors(suggestion: PenaltySuggestion, proposal: Proposal) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    measures = _measure_errors(suggestion, proposal)
    if measures:
        errors["measures"] = measures
    persons = _person_errors(proposal)
    if persons:
        errors["persons"] = persons
    fined = proposal.unit_fine is not None or proposal.person_fine is not None
    if proposal.no_penalty:
        if suggestion.disposition != "no_penalty_eligible":
            errors["no_penalty"] = ["裁量结论不是“可以不予处罚”，不能拟不予处罚"]
        if fined or any(is_heavy_measure(m) for m in proposal.measures):
            errors.setdefault("no_penalty", []).append("拟不予处罚时不能同时拟罚款或较重的处罚")
    elif not fined and not proposal.measures:
        errors["__all__"] = ["请填写拟罚款金额或选择处罚种类，或者拟不予处罚"]
    return errors


def proposal_errors(
    suggestion: PenaltySuggestion, proposal: Proposal, outside: bool
) -> dict[str, list[str]]:
    """Everything wrong with a proposal against the statute and the engine's disposition."""
    stage = _stage(suggestion)
    errors = _kind_errors(suggestion, proposal)
    checks = [("unit_fine", "单位", proposal.unit_fine, suggestion.unit)]
    checks += [
        ("person_fine", f"直接责任人员{p.name.strip()}", p.fine, suggestion.person)
        for p in proposal.persons
    ]
    for name, whom, fine, statute in checks:
        found = _fine_errors(whom, fine, statute, stage, _mitigated(suggestion))
        if found:
            errors.setdefault(name, []).extend(found)
    if outside and not proposal.deviation_reason.strip():
        errors["deviation_reason"] = [
            "拟罚款超出裁量基准阶次的幅度，须写明偏离的理由（将送法制审核）"
        ]
    return errors


def outside_tier(suggestion: PenaltySuggestion, proposal: Proposal) -> bool:
    """Whether a proposed fine lies outside the benchmark tier's range for the stage, or below
    the statute's minimum (减轻处罚): either needs reasons and legal review."""
    checks = [(proposal.unit_fine, suggestion.tier_unit(), suggestion.unit)]
    checks += [(p.fine, suggestion.tier_person(), suggestion.person) for p in proposal.persons]
    return any(
        fine is not None
        and (
            (tier is not None and not tier.holds(fine))
            or (statute is not None and fine < statute.min)
        )
        for fine, tier, statute in checks
    )


@dataclass(frozen=True)
class Outcome:
    """What a proposal comes to: the engine's suggestion on its facts, whether a fine leaves
    the tier, and the gates. The preview shows exactly this; saving stores exactly this."""

    suggestion: PenaltySuggestion
    outside: bool
    gates: Gates


def proposal_outcome(case: PenaltyCase, proposal: Proposal, *, complex_case: bool) -> Outcome:
    """The one computation behind the preview and the saved proposal (ValidationError when the
    facts are unreadable or the provision unknown)."""
    suggestion = case_suggestion(case, proposal.facts)
    return outcome_of(case, suggestion, proposal, complex_case=complex_case)


def outcome_of(
    case: PenaltyCase, suggestion: PenaltySuggestion, proposal: Proposal, *, complex_case: bool
) -> Outcome:
    """The outcome of `proposal` given the engine's suggestion on its facts."""
    outside = outside_tier(suggestion, proposal)
    gates = proposal_gates(
        unit_fine=proposal.unit_fine,
        person_fine=proposal.person_fine,
        measures=proposal.measures,
        outside_tier=outside,
        after_hearing=case.hearing_held,
        complex_case=complex_case,
        thresholds=discretion.configured_thresholds(),
    )
    return Outcome(suggestion, outside, gates)


def _apply(step: Step, proposal: Proposal, outcome: Outcome, *, complex_case: bool) -> None:
    """The proposal, the suggestion behind it and its gates onto the case; the earlier review
    and discussion no longer count."""
    suggestion, outside, gates = outcome.suggestion, outcome.outside, outcome.gates
    benchmark = discretion.benchmark_row(suggestion.benchmark) if suggestion.benchmark else None
    reason = proposal.deviation_reason.strip() if outside else ""
    step.set(
        facts=dict(proposal.facts),
        complex_case=complex_case,
        suggestion=suggestion.as_dict(),
        benchmark=benchmark,
        entry_number=suggestion.entry.number if suggestion.entry else "",
        tier=suggestion.tier.code if suggestion.tier else "",
        overdue=suggestion.overdue,
        disposition=suggestion.disposition,
        proposed_unit_fine=proposal.unit_fine,
        proposed_person_fine=proposal.person_fine,
        proposed_persons=[p.as_dict() for p in proposal.persons],
        proposed_measures=list(proposal.measures),
        no_penalty=proposal.no_penalty,
        outside_tier=outside,
        deviation_reason=reason,
        proposed_by=step.actor,
        proposed_at=_moment(step.on),
        review_required=gates.legal_review,
        hearing_right=gates.hearing_right,
        collective_required=gates.collective_decision,
        review_approved=False,
        reviewed_after_hearing=False,
        collective_done=False,
    )
    if step.state_from == "notified":  # the party's statement was adopted: notify again
        step.set(notified_on=None, defence_closed=False)
    step.note = reason
    step.data = {
        "unit_fine": proposal.unit_fine,
        "person_fine": proposal.person_fine,
        "persons": [p.as_dict() for p in proposal.persons],
        "measures": list(proposal.measures),
        "no_penalty": proposal.no_penalty,
        "disposition": suggestion.disposition,
        "tier": step.case.tier,
        "outside_tier": outside,
        "gates": [gate.message for gate in gates.reasons],
    }


def _registered_person(case: PenaltyCase, fine: int) -> FinedPerson:
    known = (case.proposed_persons or [{}])[0]
    return FinedPerson(str(known.get("name") or ""), str(known.get("post") or ""), fine)


def _moment(day: date) -> datetime:
    """Now, or — for a proposal recorded on another day (paper files entered later) — that day
    at the present time of day."""
    now = timezone.localtime()
    if day == now.date():
        return now
    return timezone.make_aware(datetime.combine(day, now.time().replace(microsecond=0)))


def build_proposal(
    case: PenaltyCase,
    *,
    facts: Mapping[str, Any],
    unit_fine: int | None,
    person_fine: int | None = None,
    persons: Sequence[FinedPerson] = (),
    measures: Sequence[str] = (),
    no_penalty: bool = False,
    deviation_reason: str = "",
) -> Proposal:
    """The proposal `case_propose` would save (and the preview shows) for these inputs."""
    if person_fine is not None and not persons:
        persons = [_registered_person(case, person_fine)]
    return Proposal(
        facts,
        unit_fine,
        tuple(persons),
        tuple(dict.fromkeys(measures)),
        no_penalty,
        deviation_reason,
    )


def case_propose(
    *,
    actor: User,
    case: PenaltyCase,
    facts: Mapping[str, Any],
    unit_fine: int | None,
    person_fine: int | None = None,
    persons: Sequence[FinedPerson] = (),
    measures: Sequence[str] = (),
    no_penalty: bool = False,
    deviation_reason: str = "",
    complex_case: bool | None = None,
    today: date,
) -> PenaltyCase:
    """拟定处罚意见 on the engine's facts (`parse_penalty_input`'s `facts`). ValidationError by
    field (a fact's name, unit_fine, person_fine, persons, measures, no_penalty,
    deviation_reason). Each fined person is one of `persons`; `person_fine` alone names the
    person registered when the case was opened."""
    require_capability(actor, "propose")
    case_suggestion(case, facts)  # unreadable facts are refused before the case is locked
    proposal = build_proposal(
        case,
        facts=facts,
        unit_fine=unit_fine,
        person_fine=person_fine,
        persons=persons,
        measures=measures,
        no_penalty=no_penalty,
        deviation_reason=deviation_reason,
    )
    with case_step(actor=actor, case=case, event="propose", on=today) as step:
        flag = step.case.complex_case if complex_case is None else complex_case
        outcome = proposal_outcome(step.case, proposal, complex_case=flag)
        errors = proposal_errors(outcome.suggestion, proposal, outcome.outside)
        if errors:
            raise ValidationError(errors)
        _apply(step, proposal, outcome, complex_case=flag)
    return case
