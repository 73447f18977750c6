"""Certificates of key personnel: record one (its validity and review dates are worked out from
the issue date by the shipped requirements), record a review, revoke one; the status on a day,
the alert list, and the look-up an officer makes during an inspection.

Re-exported by `services.personnel`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.training.certificates import (
    CertificateFacts,
    CertificateStatus,
    certificate_dates,
    certificate_status,
    next_review_due,
)
from anjian.domain.training.requirements import PERSON_ROLES, Requirements
from anjian.policy_data.training import shipped_requirements
from anjian.registry.access import visible_enterprises
from anjian.registry.models import Enterprise
from anjian.training.models import Certificate, CertificateKind, Person, PersonRole

EARLIEST = date(1950, 1, 1)


def requirements() -> Requirements:
    return shipped_requirements()


def certificate_status_of(certificate: Certificate, day: date) -> CertificateStatus:
    facts = CertificateFacts(
        certificate.valid_until, certificate.review_due, certificate.revoked_on
    )
    return certificate_status(facts, day, requirements().alert_days)


def require_personnel_edit(actor: User | None, enterprise: Enterprise) -> None:
    """Refuses an actor who may not keep this enterprise's personnel (None: a system load)."""
    if actor is None:
        return
    if not actor.can("personnel.edit") or not (
        visible_enterprises(actor).filter(pk=enterprise.pk).exists()
    ):
        raise PermissionDenied("您无权维护该企业的人员信息")


def _require(actor: User | None, person: Person) -> None:
    require_personnel_edit(actor, person.enterprise)


def _number_errors(cleaned: dict[str, Any], kind: str | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not cleaned["number"]:
        errors["number"] = "请填写证书编号"
    elif len(cleaned["number"]) > 40:
        errors["number"] = "证书编号不能超过40个字符"
    elif kind is not None:
        taken = Certificate.objects.filter(kind=kind, number__iexact=cleaned["number"])
        if taken.exists():
            errors["number"] = f"证书编号{cleaned['number']}已登记"
    if not cleaned["issuer"]:
        errors["issuer"] = "请填写发证机关"
    elif len(cleaned["issuer"]) > 100:
        errors["issuer"] = "发证机关不能超过100个字"
    if len(cleaned["category"]) > 80:
        errors["category"] = "作业类别不能超过80个字"
    return errors


def _issued_error(issued_on: Any, today: date) -> str:
    if not isinstance(issued_on, date):
        return "请填写发证日期"
    if issued_on > today:
        return "发证日期不能晚于今天"
    if issued_on < EARLIEST:
        return "发证日期有误"
    return ""


def certificate_errors(
    data: dict[str, Any], *, person: Person | None, role: str, today: date
) -> tuple[dict[str, Any], dict[str, str]]:
    """The cleaned values (with the computed dates) and every problem; shared with the Excel
    import, where the person does not exist yet (`person` None, `role` from the row)."""
    cleaned: dict[str, Any] = {
        key: str(data.get(key) or "").strip() for key in ("kind", "category", "number", "issuer")
    }
    errors: dict[str, str] = {}
    rule = requirements().certificates.get(cleaned["kind"])
    if rule is None:
        errors["kind"] = "请选择证书种类"
    elif role not in rule.roles:
        allowed = "、".join(PERSON_ROLES[r] for r in sorted(rule.roles))
        errors["kind"] = f"{rule.label}只适用于{allowed}，该人员是{PERSON_ROLES.get(role, role)}"
    errors.update(_number_errors(cleaned, None if rule is None else rule.kind))
    issued_on = data.get("issued_on")
    problem = _issued_error(issued_on, today)
    if problem:
        errors["issued_on"] = problem
    elif rule is not None:
        dates = certificate_dates(issued_on, rule)
        cleaned.update(
            issued_on=issued_on, valid_until=dates.valid_until, review_due=dates.review_due
        )
    return cleaned, errors


@transaction.atomic
def certificate_create(
    *, actor: User | None, person: Person, data: dict[str, Any], today: date | None = None
) -> Certificate:
    locked = Person.objects.select_for_update().select_related("enterprise").get(pk=person.pk)
    _require(actor, locked)
    cleaned, errors = certificate_errors(
        data, person=locked, role=locked.role, today=today or timezone.localdate()
    )
    if errors:
        raise ValidationError(errors)
    certificate = Certificate.objects.create(person=locked, **cleaned)
    audit_record(
        actor=actor,
        action="training.certificate.create",
        target=certificate,
        changes={
            key: {"before": None, "after": str(value) if value is not None else None}
            for key, value in {"person": locked.pk, **cleaned}.items()
        },
    )
    return certificate


def _review_errors(
    certificate: Certificate, reviewed_on: date | None, today: date
) -> dict[str, str]:
    alert = requirements().alert_days
    if certificate.revoked_on is not None:
        return {"reviewed_on": "证书已注销，不能复审"}
    if certificate.review_due is None:
        return {"reviewed_on": "该证书当前无需复审（期满应换证，请登记新证书）"}
    if not isinstance(reviewed_on, date):
        return {"reviewed_on": "请填写复审日期"}
    if reviewed_on > today:
        return {"reviewed_on": "复审日期不能晚于今天"}
    if reviewed_on > certificate.valid_until:
        return {"reviewed_on": "证书已过有效期，不能复审，应重新培训取证"}
    if reviewed_on < certificate.review_due - timedelta(days=alert):
        return {
            "reviewed_on": f"复审应在到期日（{certificate.review_due}）前{alert}日内进行，"
            f"最早{certificate.review_due - timedelta(days=alert)}"
        }
    if certificate.last_reviewed_on is not None and reviewed_on <= certificate.last_reviewed_on:
        return {"reviewed_on": f"复审日期应晚于上次复审（{certificate.last_reviewed_on}）"}
    return {}


@transaction.atomic
def certificate_review(
    *,
    actor: User | None,
    certificate: Certificate,
    reviewed_on: date | None,
    today: date | None = None,
) -> Certificate:
    """Records a passed review: the next review falls one interval after the one just done
    (none when that reaches the end of validity)."""
    locked = (
        Certificate.objects.select_for_update()
        .select_related("person__enterprise")
        .get(pk=certificate.pk)
    )
    _require(actor, locked.person)
    errors = _review_errors(locked, reviewed_on, today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    assert reviewed_on is not None and locked.review_due is not None
    rule = requirements().certificates[locked.kind]
    before = {"review_due": locked.review_due, "last_reviewed_on": locked.last_reviewed_on}
    locked.review_due = next_review_due(
        review_due=locked.review_due,
        issued_on=locked.issued_on,
        valid_until=locked.valid_until,
        rule=rule,
    )
    locked.last_reviewed_on = reviewed_on
    locked.save(update_fields=["review_due", "last_reviewed_on"])
    audit_record(
        actor=actor,
        action="training.certificate.review",
        target=locked,
        changes={
            key: {
                "before": None if old is None else old.isoformat(),
                "after": None if getattr(locked, key) is None else getattr(locked, key).isoformat(),
            }
            for key, old in before.items()
        },
    )
    return locked


@transaction.atomic
def certificate_revoke(
    *,
    actor: User | None,
    certificate: Certificate,
    revoked_on: date | None,
    reason: str,
    today: date | None = None,
) -> Certificate:
    locked = (
        Certificate.objects.select_for_update()
        .select_related("person__enterprise")
        .get(pk=certificate.pk)
    )
    _require(actor, locked.person)
    errors: dict[str, str] = {}
    if locked.revoked_on is not None:
        errors["revoked_on"] = f"证书已于{locked.revoked_on}注销"
    elif not isinstance(revoked_on, date):
        errors["revoked_on"] = "请填写注销日期"
    elif revoked_on > (today or timezone.localdate()):
        errors["revoked_on"] = "注销日期不能晚于今天"
    elif revoked_on < locked.issued_on:
        errors["revoked_on"] = "注销日期不能早于发证日期"
    if not reason.strip():
        errors["reason"] = "请填写注销原因"
    if errors:
        raise ValidationError(errors)
    assert revoked_on is not None
    locked.revoked_on = revoked_on
    locked.save(update_fields=["revoked_on"])
    audit_record(
        actor=actor,
        action="training.certificate.revoke",
        target=locked,
        changes={
            "revoked_on": {"before": None, "after": revoked_on.isoformat()},
            "reason": {"before": None, "after": reason.strip()},
        },
    )
    return locked


# reads


def _alert_candidates(certificates: QuerySet[Certificate], today: date) -> QuerySet[Certificate]:
    horizon = today + timedelta(days=requirements().alert_days)
    return (
        certificates.filter(revoked_on__isnull=True)
        .filter(Q(person__left_on__isnull=True) | Q(person__left_on__gt=today))
        .filter(Q(valid_until__lte=horizon) | Q(review_due__lte=horizon))
    )


def certificate_alert_count(certificates: QuerySet[Certificate], today: date) -> int:
    """How many `certificate_alerts` there are, counted by the database. Every candidate is an
    alert: not revoked, and its validity or its review falls on or before the horizon, which
    `certificate_status` calls expired, review overdue, review due soon or expiring soon."""
    return _alert_candidates(certificates, today).count()


def certificate_alerts(
    certificates: QuerySet[Certificate], today: date
) -> list[tuple[Certificate, CertificateStatus]]:
    """Certificates of people still in post whose validity ends or review falls within the alert
    window, or already past it (not revoked), soonest first."""
    candidates = _alert_candidates(certificates, today).select_related(
        "person", "person__enterprise"
    )
    found = [(c, certificate_status_of(c, today)) for c in candidates]
    alerts = [(c, s) for c, s in found if s.is_alert]
    alerts.sort(key=lambda pair: (pair[1].due_on or today, pair[0].pk))
    return alerts


@dataclass
class CertificateCheck:
    """One person as an officer sees them on site: each certificate with its status, and the
    problem if a post that needs a certificate has no valid one (无证上岗)."""

    person: Person
    certificates: list[tuple[Certificate, CertificateStatus]] = field(default_factory=list)
    problem: str = ""


NEEDS = {
    PersonRole.SPECIAL_OPERATOR: CertificateKind.SPECIAL_OPERATION,
    PersonRole.PRINCIPAL: CertificateKind.MANAGER,
    PersonRole.SAFETY_MANAGER: CertificateKind.MANAGER,
}
VALID = frozenset({"valid", "review_due_soon", "expiring_soon"})


def _problem(person: Person, rows: list[tuple[Certificate, CertificateStatus]]) -> str:
    kind = NEEDS.get(PersonRole(person.role))
    if kind is None:
        return ""
    if kind == CertificateKind.MANAGER and not requirements().is_high_risk(
        person.enterprise.sector
    ):
        return ""  # only high-risk units' heads and managers must pass the assessment (安法27.2)
    if any(c.kind == kind and s.code in VALID for c, s in rows):
        return ""
    return f"无有效的{CertificateKind(kind).label}"


def certificate_check(
    *, enterprise: Enterprise, query: str, today: date, limit: int = 50
) -> list[CertificateCheck]:
    """People of the enterprise still in post matching the query — part of the name, the last
    four digits of the ID number, or a certificate number; an empty query lists the key
    personnel. The caller has already checked the enterprise is in scope."""
    people = Person.objects.filter(enterprise=enterprise).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today)
    )
    query = query.strip()
    if query:
        people = people.filter(
            Q(name__icontains=query)
            | Q(id_last4__iexact=query)
            | Q(certificates__number__icontains=query)
        ).distinct()
    else:
        people = people.exclude(role=PersonRole.WORKER)
    found = []
    for person in people.select_related("enterprise").prefetch_related("certificates")[:limit]:
        rows = [(c, certificate_status_of(c, today)) for c in person.certificates.all()]
        found.append(CertificateCheck(person, rows, _problem(person, rows)))
    return found
