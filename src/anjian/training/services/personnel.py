"""An enterprise's key personnel and workers: register, update, record that one left, and show an
ID number in full (audited). The certificate services live in `certificates.py` and are
re-exported here, so `services.personnel` is the one place callers look.

Every service takes `actor` (None for system loads such as the demo), checks the actor may edit
the enterprise's personnel (capability `personnel.edit` and the enterprise in scope), validates
fully with Chinese messages (a `ValidationError` of field → message), locks what it changes and
writes one audit entry in the same transaction. ID numbers enter the audit trail masked only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.accounts.models import User
from anjian.audit.services import audit_record, diff, snapshot
from anjian.domain.ids import mask_id_number, validate_id_number
from anjian.registry.access import visible_enterprises
from anjian.registry.models import Enterprise
from anjian.training.models import Person, PersonRole
from anjian.training.services.certificates import (
    CertificateCheck,
    certificate_alerts,
    certificate_check,
    certificate_create,
    certificate_review,
    certificate_revoke,
    certificate_status_of,
    require_personnel_edit,
)

__all__ = [
    "PERSON_FIELDS",
    "CertificateCheck",
    "certificate_alerts",
    "certificate_check",
    "certificate_create",
    "certificate_review",
    "certificate_revoke",
    "certificate_status_of",
    "person_create",
    "person_leave",
    "person_reveal_id",
    "person_update",
    "require_personnel_edit",
]

PERSON_FIELDS = ["name", "id_number", "role", "job_title", "hired_on", "left_on", "phone"]
LIMITS = {"name": 40, "job_title": 60, "phone": 20}


def _text(data: dict[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


def _date_errors(cleaned: dict[str, Any], today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    for key, label in (("hired_on", "入职日期"), ("left_on", "离职日期")):
        value = cleaned.get(key)
        if value is not None and not isinstance(value, date):
            errors[key] = f"{label}格式不正确"
        elif value is not None and value > today:
            errors[key] = f"{label}不能晚于今天"
    hired, left = cleaned.get("hired_on"), cleaned.get("left_on")
    if not errors and hired is not None and left is not None and left < hired:
        errors["left_on"] = "离职日期不能早于入职日期"
    return errors


def _duplicate(enterprise: Enterprise, id_number: str, exclude_pk: int | None) -> Person | None:
    """Another person of the enterprise with this ID number (numbers are encrypted, so the
    candidates are narrowed by the plain last four digits and compared decrypted)."""
    candidates = Person.objects.filter(enterprise=enterprise, id_last4=id_number[-4:])
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    return next((p for p in candidates if p.id_number.upper() == id_number), None)


def person_errors(
    data: dict[str, Any], *, enterprise: Enterprise, today: date, exclude_pk: int | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The cleaned values and every problem, field by field (shared with the Excel import)."""
    cleaned: dict[str, Any] = {key: _text(data, key) for key in ("name", "job_title", "phone")}
    cleaned["role"] = _text(data, "role")
    cleaned["hired_on"], cleaned["left_on"] = data.get("hired_on"), data.get("left_on")
    errors: dict[str, str] = {}
    if not cleaned["name"]:
        errors["name"] = "请填写姓名"
    for key, limit in LIMITS.items():
        if len(cleaned[key]) > limit:
            errors[key] = f"不能超过{limit}个字"
    if cleaned["role"] not in PersonRole.values:
        errors["role"] = (
            "请选择岗位类别（主要负责人、安全生产管理人员、特种作业人员、一般从业人员）"
        )
    check = validate_id_number(_text(data, "id_number"), today=today)
    cleaned["id_number"] = check.code
    if not _text(data, "id_number"):
        errors["id_number"] = "请填写身份证号码"
    elif not check.valid:
        errors["id_number"] = f"身份证号码有误：{check.reason}"
    else:
        other = _duplicate(enterprise, check.code, exclude_pk)
        if other is not None:
            errors["id_number"] = f"本企业已登记该身份证号码的人员：{other.name}"
    errors.update(_date_errors(cleaned, today))
    return cleaned, errors


def _masked(changes: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    if "id_number" in changes:
        changes["id_number"] = {k: mask_id_number(v) for k, v in changes["id_number"].items()}
    return changes


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    enterprise: Enterprise,
    data: dict[str, Any],
    today: date | None = None,
) -> Person:
    require_personnel_edit(actor, enterprise)
    Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()  # one ID at a time
    cleaned, errors = person_errors(
        data, enterprise=enterprise, today=today or timezone.localdate()
    )
    if errors:
        raise ValidationError(errors)
    person = Person.objects.create(
        enterprise=enterprise,
        id_last4=cleaned["id_number"][-4:],
        created_by=actor if actor is not None else None,
        **cleaned,
    )
    changes = _masked(diff({}, snapshot(person, PERSON_FIELDS)))
    changes["enterprise"] = {"before": None, "after": enterprise.pk}
    audit_record(actor=actor, action="training.person.create", target=person, changes=changes)
    return person


@transaction.atomic
def person_update(
    *, actor: User | None, person: Person, data: dict[str, Any], today: date | None = None
) -> Person:
    locked = Person.objects.select_for_update().select_related("enterprise").get(pk=person.pk)
    require_personnel_edit(actor, locked.enterprise)
    before = snapshot(locked, PERSON_FIELDS)
    merged = {**{key: getattr(locked, key) for key in PERSON_FIELDS}, **data}
    cleaned, errors = person_errors(
        merged,
        enterprise=locked.enterprise,
        today=today or timezone.localdate(),
        exclude_pk=locked.pk,
    )
    if errors:
        raise ValidationError(errors)
    for key, value in cleaned.items():
        setattr(locked, key, value)
    locked.id_last4 = cleaned["id_number"][-4:]
    locked.save()
    changes = _masked(diff(before, snapshot(locked, PERSON_FIELDS)))
    if changes:
        audit_record(actor=actor, action="training.person.update", target=locked, changes=changes)
    return locked


@transaction.atomic
def person_leave(
    *, actor: User | None, person: Person, left_on: date | None, today: date | None = None
) -> Person:
    """Records that the person left the enterprise on `left_on`; the records are kept."""
    locked = Person.objects.select_for_update().select_related("enterprise").get(pk=person.pk)
    require_personnel_edit(actor, locked.enterprise)
    if locked.left_on is not None:
        raise ValidationError({"left_on": f"该人员已于{locked.left_on}离职"})
    if left_on is None:
        raise ValidationError({"left_on": "请填写离职日期"})
    errors = _date_errors(
        {"hired_on": locked.hired_on, "left_on": left_on}, today or timezone.localdate()
    )
    if errors:
        raise ValidationError(errors)
    locked.left_on = left_on
    locked.save(update_fields=["left_on"])
    audit_record(
        actor=actor,
        action="training.person.leave",
        target=locked,
        changes={"left_on": {"before": None, "after": left_on.isoformat()}},
    )
    return locked


@transaction.atomic
def person_reveal_id(*, actor: User, person: Person) -> str:
    """The full ID number, for a user allowed to see it (capability `personnel.reveal` and the
    person in scope); the audit entry records who saw whose number (masked)."""
    if not actor.can("personnel.reveal"):
        raise PermissionDenied("您无权查看完整身份证号码")
    if not visible_enterprises(actor).filter(pk=person.enterprise_id).exists():
        raise PermissionDenied("您无权查看该人员")
    audit_record(
        actor=actor,
        action="training.person.reveal_id",
        target=person,
        changes={"id_number": {"before": None, "after": mask_id_number(person.id_number)}},
    )
    return str(person.id_number)
