"""Penalty cases: opening a case (立案) from inspection findings or an overdue rectification,
evidence, and the machinery every step shares.

Every step locks the case row, builds the procedure's `CaseStatus` from it and asks
`event_refusals`; a refusal is a ValidationError with the procedure's Chinese messages and
nothing is written. Otherwise the step updates the case, adds a `CaseStep` and an audit entry in
the same transaction. The proposal is in `case_proposal.py`, the other steps in `case_steps.py`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.discretion.procedure import CASE_STATES, event_refusals, next_state
from anjian.enforcement.models import CaseDocument, CaseEvidence, CaseStep, PenaltyCase
from anjian.enforcement.selectors import (
    EVENT_CAPABILITY,
    EVIDENCE_STATES,
    STEP_LABELS,
    case_status,
    case_suggestion,
)
from anjian.enforcement.services.case_numbers import issue_case_document
from anjian.enforcement.services.case_prefill import is_overdue as is_overdue
from anjian.inspections.models import Hazard, RectificationOrder
from anjian.inspections.services.records import atomic_with_files
from anjian.inspections.uploads import checked_upload
from anjian.policy.services.booking import certified_officers
from anjian.policy.workdays import is_workday
from anjian.registry.access import visible_enterprises
from anjian.registry.models import Enterprise, Officer

MIN_OFFICERS = 2


# ---- the machinery of a step ----------------------------------------------------------------


def need_text(errors: dict[str, list[str]], name: str, text: str, message: str) -> None:
    """Add `message` under `name` when the text is blank."""
    if not text.strip():
        errors.setdefault(name, []).append(message)


def raise_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def require_capability(actor: User, event: str) -> None:
    if not actor.can(EVENT_CAPABILITY[event]):
        raise PermissionDenied(f"您的角色无权办理“{STEP_LABELS[event]}”。")


def _out_of_order(case: PenaltyCase, event: str) -> ValidationError:
    return ValidationError(f"案件当前为“{CASE_STATES[case.state]}”，不能办理“{STEP_LABELS[event]}”")


@dataclass
class Step:
    """A step under way: the locked case, where it was, and what the step records."""

    actor: User
    case: PenaltyCase
    event: str
    on: date
    state_from: str
    target: str
    fields: list[str] = field(default_factory=list)
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def set(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self.case, name, value)
            if name not in self.fields:
                self.fields.append(name)

    def save(self) -> None:
        """Write what the step has set so far (before a document that prints it is issued)."""
        if self.fields:
            self.case.save(update_fields=self.fields)


@contextmanager
def case_step(
    *, actor: User, case: PenaltyCase, event: str, on: date, clock: date | None = None
) -> Iterator[Step]:
    """Lock the case, refuse the event if the procedure does (the clock defaults to `on`), let
    the caller change the case, then save it with its `CaseStep` and audit entry."""
    require_capability(actor, event)
    with transaction.atomic():
        locked = (
            PenaltyCase.objects.select_for_update(of=("self",))
            .select_related("enterprise")
            .get(pk=case.pk)
        )
        status = case_status(locked)
        refusals = event_refusals(status, event, today=clock or on, is_workday=is_workday)
        if refusals:
            raise ValidationError([r.message for r in refusals])
        step = Step(actor, locked, event, on, locked.state, next_state(status, event))
        yield step
        _finish(step)
    case.refresh_from_db()


@contextmanager
def own_step(
    *, actor: User, case: PenaltyCase, event: str, states: set[str], on: date
) -> Iterator[Step]:
    """A step of ours that the procedure does not know (陈述申辩): allowed in `states`, it
    changes no state."""
    require_capability(actor, event)
    with transaction.atomic():
        locked = (
            PenaltyCase.objects.select_for_update(of=("self",))
            .select_related("enterprise")
            .get(pk=case.pk)
        )
        if locked.state not in states:
            raise _out_of_order(locked, event)
        step = Step(actor, locked, event, on, locked.state, locked.state)
        yield step
        _finish(step)
    case.refresh_from_db()


def _finish(step: Step) -> None:
    step.set(state=step.target)
    step.case.save(update_fields=step.fields)
    CaseStep.objects.create(
        case=step.case,
        event=step.event,
        state_from=step.state_from,
        state_to=step.target,
        on=step.on,
        actor=step.actor,
        note=step.note,
        data=step.data,
    )
    audit_record(
        actor=step.actor,
        action=f"case.{step.event}",
        target=step.case,
        changes={"state": [step.state_from, step.target], "on": step.on.isoformat(), **step.data},
    )


def check_day(
    errors: dict[str, list[str]], name: str, day: date, *, today: date, after: date | None
) -> None:
    """A recorded date may not be in the future nor before the step it follows."""
    if day > today:
        errors.setdefault(name, []).append("日期不能晚于今天")
    if after is not None and day < after:
        errors.setdefault(name, []).append(f"日期不能早于{after:%Y-%m-%d}")


# ---- opening a case ---------------------------------------------------------------------------


def _findings(
    hazards: Sequence[Hazard], order: RectificationOrder | None, on: date
) -> tuple[list[Hazard], bool]:
    """The findings of the case and whether they are an overdue rectification."""
    if order is not None:
        late = [h for h in order.hazards.order_by("pk") if is_overdue(h, on)]
        if not late:
            raise ValidationError({"hazards": ["该整改指令书中没有逾期未整改的问题"]})
        return late, True
    found = list(hazards)
    return found, bool(found) and all(is_overdue(h, on) for h in found)


def _open_errors(
    actor: User,
    enterprise: Enterprise | None,
    findings: Sequence[Hazard],
    officers: Sequence[Officer],
    filed_on: date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if enterprise is None:
        errors["hazards"] = ["请选择立案的问题（同一企业）或当事人"]
        return errors
    if not visible_enterprises(actor).filter(pk=enterprise.pk).exists():
        errors["hazards"] = ["您无权对该企业立案"]
    if any(h.task.enterprise_id != enterprise.pk for h in findings):
        errors["hazards"] = ["一个案件的问题必须属于同一企业"]
    live = PenaltyCase.objects.filter(findings__in=findings).exclude(state="dropped")
    for case in live.distinct():
        errors.setdefault("hazards", []).append(f"所选问题已在案件 {case.number} 中立案")
    valid = [
        o
        for o in certified_officers(officers, filed_on)
        if o.body_id == enterprise.supervising_body_id
    ]
    if len(valid) < MIN_OFFICERS:
        errors["officers"] = [f"立案调查须有至少 {MIN_OFFICERS} 名本机关持有效执法证的执法人员"]
    if filed_on > timezone.localdate():
        errors["filed_on"] = ["立案日期不能晚于今天"]
    return errors


def _initial_facts(
    enterprise: Enterprise, findings: Sequence[Hazard], overdue: bool, shown: dict[str, bool]
) -> dict[str, Any]:
    """The facts the records give (the first-offence and corrected flags as the form showed)."""
    facts: dict[str, Any] = {"overdue": overdue, **{k: True for k, v in shown.items() if v}}
    if findings:
        facts["count"] = len(findings)
    if enterprise.employees:
        facts["employees"] = enterprise.employees
    return facts


def case_open(
    *,
    actor: User,
    law: str,
    article: str,
    item: str | None,
    officers: Sequence[Officer],
    filed_on: date,
    hazards: Sequence[Hazard] = (),
    order: RectificationOrder | None = None,
    enterprise: Enterprise | None = None,
    title: str = "",
    facts_text: str = "",
    responsible_person: str = "",
    complex_case: bool = False,
    party_kind: str = "unit",
    first_offense: bool = False,
    corrected_in_time: bool = False,
) -> PenaltyCase:
    """立案: a case for one violation (a provision of the statute table) of one enterprise, from
    inspection findings, an overdue rectification order's findings (the overdue stage by
    default), or with no finding (complaints, transfers: pass `enterprise`). Numbers the 立案审批表;
    marks the findings referred."""
    if not actor.can("penalty.handle"):
        raise PermissionDenied("您的角色无权立案。")
    findings, overdue = _findings(hazards, order, filed_on)
    if findings:
        enterprise = findings[0].task.enterprise
    errors = _open_errors(actor, enterprise, findings, officers, filed_on)
    if errors:
        raise ValidationError(errors)
    details = {
        "party_kind": party_kind,
        "proposed_persons": (
            [{"name": responsible_person.strip(), "post": "", "id_number": "", "fine": None}]
            if responsible_person.strip()
            else []
        ),
        "facts_text": facts_text.strip(),
        "complex_case": complex_case,
    }
    assert enterprise is not None
    shown = {"first_offense": first_offense, "corrected_in_time": corrected_in_time}
    case = PenaltyCase(
        body=enterprise.supervising_body,
        section=actor.section or (findings[0].task.section if findings else None),
        enterprise=enterprise,
        task=findings[0].task if findings else None,
        source=_source(findings, overdue),
        law=law.strip(),
        article=article.strip(),
        item=(item or "").strip(),
        facts=_initial_facts(enterprise, findings, overdue, shown),
        overdue=overdue,
        filed_on=filed_on,
        created_by=actor,
        **details,
    )
    provision = _checked_provision(case)
    case.title = title.strip() or f"{enterprise.name}{provision}案"
    with transaction.atomic():
        case.save()
        _open_records(actor, case, findings, officers)
    return case


def _source(findings: Sequence[Hazard], overdue: bool) -> str:
    if overdue:
        return PenaltyCase.Source.OVERDUE
    return PenaltyCase.Source.FINDING if findings else PenaltyCase.Source.OTHER


def _checked_provision(case: PenaltyCase) -> str:
    """The provision's violation, or the engine's refusal of an unknown provision."""
    try:
        suggestion = case_suggestion(case)
    except ValidationError as error:
        raise ValidationError({"provision": error.messages}) from error
    return suggestion.provision.violation.rstrip("。")


def _open_records(
    actor: User, case: PenaltyCase, findings: Sequence[Hazard], officers: Sequence[Officer]
) -> None:
    case.findings.set(findings)
    case.officers.set(officers)
    document = issue_case_document(
        actor=actor, case=case, kind=CaseDocument.Kind.FILING, on=case.filed_on
    )
    case.number = document.number
    case.save(update_fields=["number"])
    now = timezone.now()
    for hazard in findings:
        if hazard.referred_at is None:
            hazard.referred_at, hazard.referred_by = now, actor
            hazard.save(update_fields=["referred_at", "referred_by"])
    data = {"findings": [h.pk for h in findings], "provision": [case.law, case.article, case.item]}
    CaseStep.objects.create(
        case=case,
        event="open",
        state_from="filed",
        state_to="filed",
        on=case.filed_on,
        actor=actor,
        note=case.title,
        data=data,
    )
    audit_record(actor=actor, action="case.open", target=case, changes=data)


# ---- evidence ---------------------------------------------------------------------------------


def _evidence_errors(
    kind: str, description: str, upload: UploadedFile | None
) -> tuple[dict[str, list[str]], tuple[str, int, str]]:
    errors: dict[str, list[str]] = {}
    if kind not in CaseEvidence.Kind.values:
        errors["kind"] = ["请选择证据类别"]
    if not description.strip():
        errors["description"] = ["请说明证据的内容"]
    meta = ("", 0, "")
    if upload is not None:
        try:
            meta = checked_upload(upload)
        except ValidationError as exc:
            errors["file"] = exc.messages
    return errors, meta


def case_evidence_add(
    *,
    actor: User,
    case: PenaltyCase,
    kind: str,
    description: str,
    upload: UploadedFile | None = None,
) -> CaseEvidence:
    """调查取证: a record or file for the case, until the decision."""
    if not actor.can("penalty.handle"):
        raise PermissionDenied("您的角色无权登记证据。")
    errors, meta = _evidence_errors(kind, description, upload)
    if errors:
        raise ValidationError(errors)
    with atomic_with_files() as written:
        locked = PenaltyCase.objects.select_for_update().get(pk=case.pk)
        if locked.state not in EVIDENCE_STATES:
            raise ValidationError(f"案件当前为“{CASE_STATES[locked.state]}”，不能再补充证据")
        evidence = CaseEvidence(
            case=locked,
            kind=kind,
            description=description.strip()[:300],
            content_type=meta[0],
            size=meta[1],
            sha256=meta[2],
            uploaded_by=actor,
        )
        if upload is not None:
            evidence.original_name = (upload.name or "")[:200]
            evidence.file.save(upload.name or "evidence", upload, save=False)
            written.append(evidence.file.name)
        evidence.save()
        audit_record(
            actor=actor,
            action="case.evidence",
            target=locked,
            changes={"evidence": evidence.pk, "kind": kind, "file": evidence.original_name},
        )
    return evidence
