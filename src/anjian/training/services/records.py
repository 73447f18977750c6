"""Training records (classes and hours per person) and the hours selectors: one person's year
against the requirements, and for a set of people (an enterprise, or everything in a bureau
user's scope) who is short, the online share and the hours by institution.

A training institution whose business is suspended on the day a class starts cannot have trained
it (`domain/training/institutions.py`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.training.hours import PersonFact, RecordFact, YearHours, year_hours
from anjian.domain.training.institutions import SuspensionPeriod, suspension_on
from anjian.policy_data.training import shipped_requirements
from anjian.training.models import (
    InstitutionClass,
    Person,
    TrainingDelivery,
    TrainingInstitution,
    TrainingKind,
    TrainingRecord,
)
from anjian.training.services.certificates import require_personnel_edit

MAX_HOURS = Decimal("999.9")
SELF_ORGANISED = "企业自行组织"


def institution_suspension(institution: TrainingInstitution, day: date) -> SuspensionPeriod | None:
    periods = [
        SuspensionPeriod(s.starts_on, s.ends_on, s.lifted_on)
        for s in institution.suspensions.all()
        if s.decided and s.starts_on is not None  # a notice not yet decided suspends nothing
    ]
    return suspension_on(periods, day)


def _hours(raw: Any) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _institution_errors(data: dict[str, Any], started_on: Any) -> dict[str, str]:
    institution = data.get("institution")
    training_class = data.get("training_class")
    errors: dict[str, str] = {}
    if institution is not None and not isinstance(institution, TrainingInstitution):
        return {"institution": "培训机构不存在"}
    if training_class is not None and (
        not isinstance(training_class, InstitutionClass)
        or institution is None
        or training_class.institution_id != institution.pk
    ):
        errors["training_class"] = "备案班次不属于所选培训机构"
    if institution is not None and isinstance(started_on, date):
        period = institution_suspension(institution, started_on)
        if period is not None:
            errors["institution"] = (
                f"{institution.name}暂停培训业务（{period.label()}），"
                f"{started_on}开班的培训不能登记为该机构培训"
            )
    return errors


def record_errors(data: dict[str, Any], today: date) -> tuple[dict[str, Any], dict[str, str]]:
    cleaned: dict[str, Any] = {
        "kind": str(data.get("kind") or ""),
        "delivery": str(data.get("delivery") or ""),
        "course": str(data.get("course") or "").strip(),
        "hours": _hours(data.get("hours")),
        "started_on": data.get("started_on"),
        "ended_on": data.get("ended_on"),
        "institution": data.get("institution"),
        "training_class": data.get("training_class"),
        "passed": data.get("passed"),
    }
    errors = _text_errors(cleaned)
    errors.update(_date_errors(cleaned, today))
    if cleaned["passed"] not in (None, True, False):
        errors["passed"] = "考核结果应为合格、不合格或空"
    errors.update(_institution_errors(cleaned, cleaned["started_on"]))
    return cleaned, errors


def _text_errors(cleaned: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if cleaned["kind"] not in TrainingKind.values:
        errors["kind"] = "请选择培训类别"
    if cleaned["delivery"] not in TrainingDelivery.values:
        errors["delivery"] = "请选择培训方式（线下面授或线上）"
    if not cleaned["course"]:
        errors["course"] = "请填写课程或班次名称"
    elif len(cleaned["course"]) > 120:
        errors["course"] = "课程名称不能超过120个字"
    hours = cleaned["hours"]
    if hours is None or hours <= 0:
        errors["hours"] = "学时应大于0"
    elif hours > MAX_HOURS or hours != hours.quantize(Decimal("0.1")):
        errors["hours"] = "学时应不超过999.9，最多一位小数"
    return errors


def _date_errors(cleaned: dict[str, Any], today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    started, ended = cleaned["started_on"], cleaned["ended_on"]
    if not isinstance(started, date):
        errors["started_on"] = "请填写开始日期"
    if not isinstance(ended, date):
        errors["ended_on"] = "请填写结束日期"
    elif ended > today:
        errors["ended_on"] = "结束日期不能晚于今天（只登记已完成的培训）"
    elif isinstance(started, date) and ended < started:
        errors["ended_on"] = "结束日期不能早于开始日期"
    return errors


@transaction.atomic
def training_record_create(
    *, actor: User | None, person: Person, data: dict[str, Any], today: date | None = None
) -> TrainingRecord:
    locked = Person.objects.select_for_update().select_related("enterprise").get(pk=person.pk)
    require_personnel_edit(actor, locked.enterprise)
    institution = data.get("institution")
    if isinstance(institution, TrainingInstitution):  # the suspension is read under a lock
        TrainingInstitution.objects.select_for_update().filter(pk=institution.pk).first()
    cleaned, errors = record_errors(data, today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    record = TrainingRecord.objects.create(person=locked, created_by=actor, **cleaned)
    audit_record(
        actor=actor,
        action="training.record.create",
        target=record,
        changes={
            key: {"before": None, "after": _plain(value)}
            for key, value in {"person": locked.pk, **cleaned}.items()
        },
    )
    return record


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


# reads


def person_fact(person: Person) -> PersonFact:
    return PersonFact(person.role, person.enterprise.sector, person.hired_on, person.left_on)


def record_facts(records: Iterable[TrainingRecord]) -> list[RecordFact]:
    return [
        RecordFact(r.kind, r.delivery, Decimal(r.hours), r.started_on, r.ended_on) for r in records
    ]


def person_year_hours(person: Person, year: int) -> YearHours:
    records = record_facts(person.training_records.all())
    return year_hours(person_fact(person), records, year, shipped_requirements())
