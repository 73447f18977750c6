"""Training institutions under the HR & finance section's supervision: registering them, what
they report (teachers, classes, the trainee list of a class), spot checks during classes, and
suspending (and lifting the suspension of) their training business.

Every write takes the acting user (None for system loads such as the demo), runs in one
transaction, locks the rows it changes, validates fully (the rules are in
`domain/training/institutions.py`) and writes one audit entry per change. An institution's own
login reports only for itself; HR & finance may report for any institution in its scope.

This module holds the registry, teachers, classes and the status; the trainee list is
`institution_trainees.py` and the supervision (spot checks, suspensions) is
`institution_supervision.py`, which share the helpers below."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.accounts.access import visible_bodies
from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.ids import validate_uscc
from anjian.domain.registry import FieldError
from anjian.domain.training import institutions as rules
from anjian.training.access import visible_institutions
from anjian.training.models import (
    InstitutionClass,
    InstitutionMembership,
    PersonRole,
    Teacher,
    TrainingDelivery,
    TrainingInstitution,
    TrainingKind,
)

TEXT_LIMITS = {"name": 120, "address": 200, "contact": 40, "phone": 20, "scope": 200}


def raise_errors(errors: Iterable[FieldError]) -> None:
    grouped: dict[str, list[str]] = defaultdict(list)
    for error in errors:
        grouped[NON_FIELD_ERRORS if error.field == "__all__" else error.field].append(error.message)
    if grouped:
        raise ValidationError(dict(grouped))


def require_actor(
    actor: User | None, capability: str, institution: TrainingInstitution | None
) -> None:
    """The actor may do this, and to this institution (its own, or one in its body scope)."""
    if actor is None:
        return
    if not actor.can(capability):
        raise PermissionDenied("您无权进行此操作")
    if institution is not None and not visible_institutions(actor).filter(pk=institution.pk):
        raise PermissionDenied("该培训机构不在您的管辖范围内")


def day_or_today(today: date | None) -> date:
    return today if today is not None else timezone.localdate()


def lock_institution(institution: TrainingInstitution) -> TrainingInstitution:
    return TrainingInstitution.objects.select_for_update().get(pk=institution.pk)


def clean_text(value: object) -> str:
    return str(value or "").strip()


def changed_fields(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, Any]:
    return {
        key: {"before": before.get(key), "after": after[key]}
        for key in after
        if before.get(key) != after[key]
    }


# ---- the registry ------------------------------------------------------------------------------


def _institution_errors(
    actor: User | None, data: Mapping[str, Any], pk: int | None
) -> list[FieldError]:
    errors = [
        FieldError(key, "REQUIRED", "必填")
        for key in ("name", "uscc", "body", "scope", "registered_on")
        if not data.get(key)
    ]
    for key, limit in TEXT_LIMITS.items():
        if len(clean_text(data.get(key))) > limit:
            errors.append(FieldError(key, "LENGTH", f"不得超过{limit}个字"))
    if data.get("uscc"):
        check = validate_uscc(str(data["uscc"]))
        if not check.valid:
            errors.append(FieldError("uscc", check.reason_code or "", str(check.reason)))
        elif TrainingInstitution.objects.filter(uscc=check.code).exclude(pk=pk).exists():
            errors.append(FieldError("uscc", "DUPLICATE", "该统一社会信用代码的培训机构已登记"))
    body = data.get("body")
    if actor is not None and body is not None and not visible_bodies(actor).filter(pk=body.pk):
        errors.append(FieldError("body", "SCOPE", "监管部门须为本单位或下级单位"))
    return errors


def _institution_values(data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {key: clean_text(data.get(key)) for key in TEXT_LIMITS}
    values["uscc"] = clean_text(data["uscc"]).upper()
    values["body"] = data["body"]
    values["registered_on"] = data["registered_on"]
    return values


def _audit_view(values: Mapping[str, Any]) -> dict[str, Any]:
    shown = dict(values)
    shown["body"] = str(values["body"])
    shown["registered_on"] = values["registered_on"].isoformat()
    return shown


def institution_create(*, actor: User | None, data: Mapping[str, Any]) -> TrainingInstitution:
    """Registers an institution: name, USCC, supervising body, address, contact, phone, scope
    of training and the registration date."""
    require_actor(actor, "institution.supervise", None)
    with transaction.atomic():
        raise_errors(_institution_errors(actor, data, None))
        values = _institution_values(data)
        institution = TrainingInstitution.objects.create(**values)
        audit_record(
            actor=actor,
            action="training.institution.create",
            target=institution,
            changes=changed_fields({}, _audit_view(values)),
        )
    return institution


def institution_update(
    *, actor: User | None, institution: TrainingInstitution, data: Mapping[str, Any]
) -> TrainingInstitution:
    require_actor(actor, "institution.supervise", institution)
    with transaction.atomic():
        institution = lock_institution(institution)
        raise_errors(_institution_errors(actor, data, institution.pk))
        values = _institution_values(data)
        before = _audit_view({key: getattr(institution, key) for key in values})
        for key, value in values.items():
            setattr(institution, key, value)
        institution.save()
        changes = changed_fields(before, _audit_view(values))
        if changes:
            audit_record(
                actor=actor,
                action="training.institution.update",
                target=institution,
                changes=changes,
            )
    return institution


# ---- what an institution reports ---------------------------------------------------------------


def teacher_report(
    *,
    actor: User | None,
    institution: TrainingInstitution,
    name: str,
    qualification: str,
    qualification_number: str = "",
    subjects: str = "",
    full_time: bool = True,
) -> Teacher:
    """A teacher and the qualification the institution reports for them."""
    require_actor(actor, "institution.report", institution)
    values = {
        "name": clean_text(name),
        "qualification": clean_text(qualification),
        "qualification_number": clean_text(qualification_number),
        "subjects": clean_text(subjects),
    }
    limits = {"name": 40, "qualification": 120, "qualification_number": 40, "subjects": 120}
    errors = [FieldError(k, "REQUIRED", "必填") for k in ("name", "qualification") if not values[k]]
    errors += [
        FieldError(k, "LENGTH", f"不得超过{limit}个字")
        for k, limit in limits.items()
        if len(values[k]) > limit
    ]
    with transaction.atomic():
        institution = lock_institution(institution)
        number = values["qualification_number"]
        if number and institution.teachers.filter(qualification_number=number).exists():
            errors.append(
                FieldError("qualification_number", "DUPLICATE", "本机构已报告持该证书编号的教师")
            )
        raise_errors(errors)
        teacher = Teacher.objects.create(institution=institution, full_time=full_time, **values)
        audit_record(
            actor=actor,
            action="training.teacher.report",
            target=teacher,
            changes=changed_fields({}, {**values, "full_time": full_time}),
        )
    return teacher


def periods_of(institution: TrainingInstitution) -> list[rules.SuspensionPeriod]:
    """The institution's decided suspensions as the domain sees them (uses a prefetch when
    present); a notice not yet decided, or withdrawn, suspends nothing."""
    return [
        rules.SuspensionPeriod(s.starts_on, s.ends_on, s.lifted_on, s.decision_number)
        for s in institution.suspensions.all()
        if s.decided and s.starts_on is not None
    ]


def institution_status(
    institution: TrainingInstitution, day: date | None = None
) -> rules.InstitutionStatus:
    """正常 / 暂停中（至…） on the day (today when not given)."""
    return rules.institution_status(periods_of(institution), day_or_today(day))


def _choice_errors(role: str, kind: str, delivery: str) -> list[FieldError]:
    errors = []
    for key, value, choices in (
        ("role", role, PersonRole.values),
        ("kind", kind, TrainingKind.values),
        ("delivery", delivery, TrainingDelivery.values),
    ):
        if value not in choices:
            errors.append(FieldError(key, "CHOICE", "请从列表中选择"))
    return errors


def class_report(
    *,
    actor: User | None,
    institution: TrainingInstitution,
    title: str,
    role: str,
    kind: str,
    delivery: str,
    hours: Decimal,
    starts_on: date,
    ends_on: date,
    location: str = "",
    teachers: Sequence[Teacher] = (),
    planned_trainees: int = 0,
    today: date | None = None,
) -> InstitutionClass:
    """开班备案. Refused while the institution is suspended (on the day of the report or on any
    day of the class), with the end before the start, with no hours, or with a teacher of
    another institution."""
    require_actor(actor, "institution.report", institution)
    title, location = clean_text(title), clean_text(location)
    with transaction.atomic():
        institution = lock_institution(institution)
        errors = rules.class_report_errors(
            starts_on=starts_on,
            ends_on=ends_on,
            hours=Decimal(hours),
            today=day_or_today(today),
            suspensions=periods_of(institution),
        )
        errors += _choice_errors(role, kind, delivery)
        if not title:
            errors.append(FieldError("title", "REQUIRED", "必填"))
        foreign = [t.name for t in teachers if t.institution_id != institution.pk]
        if foreign:
            message = f"{'、'.join(foreign)}不是本机构报告的教师"
            errors.append(FieldError("teachers", "FOREIGN", message))
        if planned_trainees < 0:
            errors.append(FieldError("planned_trainees", "NEGATIVE", "计划人数不得为负数"))
        raise_errors(errors)
        values = {
            "title": title[:120],
            "role": role,
            "kind": kind,
            "delivery": delivery,
            "hours": Decimal(hours),
            "starts_on": starts_on,
            "ends_on": ends_on,
            "location": location[:200],
            "planned_trainees": planned_trainees,
        }
        training_class = InstitutionClass.objects.create(
            institution=institution, reported_by=actor, **values
        )
        training_class.teachers.set(teachers)
        shown = {key: str(value) for key, value in values.items()}
        shown["teachers"] = "、".join(t.name for t in teachers)
        audit_record(
            actor=actor,
            action="training.class.report",
            target=training_class,
            changes=changed_fields({}, shown),
        )
    return training_class


@transaction.atomic
def institution_membership_create(
    *, actor: User | None, user: User, institution: TrainingInstitution
) -> InstitutionMembership:
    """Gives a training-institution login its one institution."""
    if user.role != "training_institution":
        raise ValidationError({"user": ["只有培训机构用户才能关联培训机构。"]})
    if InstitutionMembership.objects.filter(user=user).exists():
        raise ValidationError({"user": ["该用户已关联培训机构。"]})
    membership = InstitutionMembership.objects.create(user=user, institution=institution)
    audit_record(
        actor=actor,
        action="training.membership.create",
        target=membership,
        changes={
            "user": {"before": None, "after": user.pk},
            "institution": {"before": None, "after": institution.pk},
        },
    )
    return membership
