"""Supervision of training institutions by the HR & finance section: spot checks during
classes (attendance reported against found, findings, outcome) and lifting a suspension early
when warranted. Suspending (notice, statement, decision) is `institution_suspension.py`."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.registry import FieldError
from anjian.domain.training import institutions as rules
from anjian.domain.training.suspension import SuspensionFacts, event_refusals
from anjian.training.models import (
    InstitutionClass,
    SpotCheck,
    Suspension,
    TrainingInstitution,
)
from anjian.training.models.institutions import SpotCheckOutcome
from anjian.training.services.institutions import (
    changed_fields,
    clean_text,
    day_or_today,
    lock_institution,
    raise_errors,
    require_actor,
)


def spot_check_record(
    *,
    actor: User | None,
    institution: TrainingInstitution,
    checked_on: date,
    inspectors: str,
    outcome: str,
    findings: str = "",
    training_class: InstitutionClass | None = None,
    attendance_reported: int | None = None,
    attendance_found: int | None = None,
    today: date | None = None,
) -> SpotCheck:
    """A spot check during a class: attendance reported vs found, what was found, the outcome.
    A shortfall in attendance is added to the findings."""
    require_actor(actor, "institution.supervise", institution)
    findings, inspectors = clean_text(findings), clean_text(inspectors)
    errors = rules.spot_check_errors(
        checked_on=checked_on,
        today=day_or_today(today),
        outcome=outcome,
        findings=findings,
        attendance_reported=attendance_reported,
        attendance_found=attendance_found,
        class_period=(
            None if training_class is None else (training_class.starts_on, training_class.ends_on)
        ),
    )
    if outcome not in SpotCheckOutcome.values:
        errors.append(FieldError("outcome", "CHOICE", "请从列表中选择"))
    if not inspectors:
        errors.append(FieldError("inspectors", "REQUIRED", "必填"))
    elif len(inspectors) > 120:
        errors.append(FieldError("inspectors", "LENGTH", "不得超过120个字"))
    if training_class is not None and training_class.institution_id != institution.pk:
        errors.append(FieldError("training_class", "FOREIGN", "该班次不属于此培训机构"))
    shortfall = rules.attendance_finding(attendance_reported, attendance_found)
    if shortfall and shortfall not in findings:
        findings = f"{shortfall}。\n{findings}".strip()
    with transaction.atomic():
        institution = lock_institution(institution)
        raise_errors(errors)
        check = SpotCheck.objects.create(
            institution=institution,
            training_class=training_class,
            checked_on=checked_on,
            inspectors=inspectors,
            attendance_reported=attendance_reported,
            attendance_found=attendance_found,
            findings=findings,
            outcome=outcome,
            created_by=actor,
        )
        shown = {
            "checked_on": checked_on.isoformat(),
            "training_class": str(training_class or ""),
            "attendance_reported": attendance_reported,
            "attendance_found": attendance_found,
            "findings": findings,
            "outcome": outcome,
        }
        audit_record(
            actor=actor,
            action="training.spot_check.record",
            target=check,
            changes=changed_fields({}, shown),
        )
    return check


def suspension_lift(
    *, actor: User | None, suspension: Suspension, lifted_on: date, reason: str
) -> Suspension:
    """Ends a suspension early: from `lifted_on` the institution may train again."""
    require_actor(actor, "institution.supervise", suspension.institution)
    reason = clean_text(reason)
    with transaction.atomic():
        suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
        refusals = event_refusals(SuspensionFacts(suspension.state), "lift", today=lifted_on)
        raise_errors(FieldError("__all__", r.code, r.message) for r in refusals)
        # a decided suspension has both (the table's check constraint)
        assert suspension.starts_on is not None and suspension.decided_on is not None
        period = rules.SuspensionPeriod(
            suspension.starts_on, suspension.ends_on, suspension.lifted_on
        )
        errors = rules.lift_errors(period, lifted_on=lifted_on, decided_on=suspension.decided_on)
        if not reason:
            errors.append(FieldError("reason", "REQUIRED", "须写明恢复理由（如整改验收合格）"))
        raise_errors(errors)
        suspension.lifted_on = lifted_on
        suspension.lift_reason = reason
        suspension.save(update_fields=["lifted_on", "lift_reason"])
        audit_record(
            actor=actor,
            action="training.suspension.lift",
            target=suspension,
            changes={
                "lifted_on": {"before": None, "after": lifted_on.isoformat()},
                "lift_reason": {"before": "", "after": reason},
            },
        )
    return suspension
