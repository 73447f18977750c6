"""Writes to the registry. One transaction each, validated, with an audit entry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.accounts.services import user_create
from anjian.accounts.validation import raise_field_errors
from anjian.audit.services import audit_record, diff, snapshot
from anjian.domain.ids import mask_id_number
from anjian.domain.registry import SECTORS, FieldError
from anjian.registry.models import Enterprise, EnterpriseMembership, Officer
from anjian.registry.validation import enterprise_errors, officer_errors

ENTERPRISE_FIELDS = [
    "name",
    "uscc",
    "address",
    "town",
    "sector",
    "standardization_grade",
    "coal_mine_class",
    "non_coal_risk_class",
    "employees",
    "scale",
    "supervising_body",
    "legal_representative",
    "contact_phone",
    "is_contact_point",
    "major_hazard",
    "online_monitoring",
    "status",
]
OFFICER_FIELDS = [
    "name",
    "id_number",
    "body",
    "section",
    "certificate_no",
    "certificate_valid_until",
    "phone",
    "user",
]


def name_initials(name: str) -> str:
    """拼音首字母 of a Chinese name: 文水县宏达化工 → WSXHDHG. Other characters are kept."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(letters).upper()


def _clean_enterprise(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {field: data.get(field) for field in ENTERPRISE_FIELDS if field in data}
    for text in ("coal_mine_class", "non_coal_risk_class", "scale", "address", "town"):
        if text in cleaned and cleaned[text] is None:
            cleaned[text] = ""
    if cleaned.get("uscc"):
        cleaned["uscc"] = str(cleaned["uscc"]).strip().upper()
    if cleaned.get("name"):
        cleaned["name"] = str(cleaned["name"]).strip()
    return cleaned


def enterprise_scope_errors(actor: User | None, data: dict[str, Any]) -> list[FieldError]:
    """An acting user may only register enterprises inside its own scope."""
    if actor is None:  # system loads (demo, migrations) act for the whole deployment
        return []
    errors = []
    body = data.get("supervising_body")
    if body is not None and body.pk not in body_scope_ids(actor):
        errors.append(FieldError("supervising_body", "OUT_OF_SCOPE", f"{body}不在您的管辖范围内"))
    sector = data.get("sector")
    if actor.role == Role.BUSINESS_SECTION and sector:
        allowed = actor.section.sectors if actor.section else []
        if sector not in allowed:
            label = SECTORS.get(sector, sector)
            errors.append(FieldError("sector", "OUT_OF_SCOPE", f"{label}不属于本股室分管领域"))
    return errors


@transaction.atomic
def enterprise_create(
    *, actor: User | None, data: dict[str, Any], audit: bool = True
) -> Enterprise:
    cleaned = _clean_enterprise(data)
    raise_field_errors(enterprise_errors(cleaned) + enterprise_scope_errors(actor, cleaned))
    enterprise = Enterprise(**cleaned)
    enterprise.name_initials = name_initials(enterprise.name)
    enterprise.save()
    if audit:
        audit_record(
            actor=actor,
            action="registry.enterprise.create",
            target=enterprise,
            changes=diff({}, snapshot(enterprise, ENTERPRISE_FIELDS)),
        )
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: User, enterprise: Enterprise, data: dict[str, Any]) -> Enterprise:
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    before = snapshot(locked, ENTERPRISE_FIELDS)
    cleaned = {**before, **_clean_enterprise(data)}
    cleaned["supervising_body"] = data.get("supervising_body", locked.supervising_body)
    raise_field_errors(
        enterprise_errors(cleaned, exclude_pk=locked.pk) + enterprise_scope_errors(actor, cleaned)
    )
    for field, value in cleaned.items():
        setattr(locked, field, value)
    locked.name_initials = name_initials(locked.name)
    locked.save()
    changes = diff(before, snapshot(locked, ENTERPRISE_FIELDS))
    if changes:
        audit_record(
            actor=actor, action="registry.enterprise.update", target=locked, changes=changes
        )
    return locked


def _soft_delete(*, actor: User, instance: Enterprise | Officer, action: str, reason: str) -> None:
    """The record stays for history, hidden from lists; its unique code is freed."""
    locked = type(instance).objects.select_for_update().get(pk=instance.pk)
    locked.is_deleted = True
    locked.deleted_at = timezone.now()
    locked.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        target=locked,
        changes={
            "is_deleted": {"before": False, "after": True},
            "reason": {"before": None, "after": reason},
        },
    )


@transaction.atomic
def enterprise_delete(*, actor: User, enterprise: Enterprise, reason: str) -> None:
    _soft_delete(
        actor=actor, instance=enterprise, action="registry.enterprise.delete", reason=reason
    )


def _clean_officer(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {field: data.get(field) for field in OFFICER_FIELDS if field in data}
    for text in ("id_number", "phone", "certificate_no", "name"):
        if text in cleaned:
            cleaned[text] = str(cleaned[text] or "").strip()
    if "id_number" in cleaned:
        cleaned["id_number"] = cleaned["id_number"].upper()
    return cleaned


@transaction.atomic
def officer_create(*, actor: User | None, data: dict[str, Any]) -> Officer:
    cleaned = _clean_officer(data)
    raise_field_errors(officer_errors(cleaned))
    officer = Officer.objects.create(**cleaned)
    audit_record(
        actor=actor,
        action="registry.officer.create",
        target=officer,
        changes=_masked(diff({}, snapshot(officer, OFFICER_FIELDS))),
    )
    return officer


@transaction.atomic
def officer_update(*, actor: User, officer: Officer, data: dict[str, Any]) -> Officer:
    locked = Officer.objects.select_for_update().get(pk=officer.pk)
    before = snapshot(locked, OFFICER_FIELDS)
    cleaned = {**{f: getattr(locked, f) for f in OFFICER_FIELDS}, **_clean_officer(data)}
    raise_field_errors(officer_errors(cleaned, exclude_pk=locked.pk))
    for field, value in cleaned.items():
        setattr(locked, field, value)
    locked.save()
    changes = _masked(diff(before, snapshot(locked, OFFICER_FIELDS)))
    if changes:
        audit_record(actor=actor, action="registry.officer.update", target=locked, changes=changes)
    return locked


@transaction.atomic
def officer_delete(*, actor: User, officer: Officer, reason: str) -> None:
    _soft_delete(actor=actor, instance=officer, action="registry.officer.delete", reason=reason)


def _masked(changes: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """ID numbers never enter the audit trail in full."""
    if "id_number" in changes:
        changes["id_number"] = {k: mask_id_number(v) for k, v in changes["id_number"].items()}
    return changes


@transaction.atomic
def enterprise_membership_create(
    *, actor: User | None, user: User, enterprise: Enterprise
) -> EnterpriseMembership:
    """Gives an enterprise user its one enterprise."""
    if user.role != "enterprise":
        raise ValidationError({"user": ["只有企业用户才能关联企业。"]})
    membership = EnterpriseMembership.objects.create(user=user, enterprise=enterprise)
    audit_record(
        actor=actor,
        action="registry.membership.create",
        target=membership,
        changes={
            "user": {"before": None, "after": user.pk},
            "enterprise": {"before": None, "after": enterprise.pk},
        },
    )
    return membership


@transaction.atomic
def enterprise_account_create(
    *, actor: User, enterprise: Enterprise, username: str, display_name: str, password: str
) -> User:
    """Opens a login for an enterprise: an enterprise user that sees only this enterprise."""
    user = user_create(
        actor=actor,
        username=username,
        password=password,
        role=Role.ENTERPRISE,
        display_name=display_name,
    )
    enterprise_membership_create(actor=actor, user=user, enterprise=enterprise)
    return user
