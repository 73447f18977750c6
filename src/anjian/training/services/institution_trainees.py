"""The trainee list an institution reports after a class (the second half of issue 7 item 3's
reports): each row is matched to a person in the registry of the enterprise it names, by the
decrypted ID number, and becomes a TrainingRecord of the class (institution and class set).
Every bad or unmatched row is named, and then nothing is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.ids import mask_id_number
from anjian.domain.training import institutions as rules
from anjian.registry.models import Enterprise
from anjian.training.models import InstitutionClass, Person, TrainingRecord
from anjian.training.services.institutions import day_or_today, require_actor


@dataclass(frozen=True)
class TraineesReported:
    records: list[TrainingRecord]

    @property
    def count(self) -> int:
        return len(self.records)

    @property
    def passed(self) -> int:
        return sum(1 for r in self.records if r.passed)


def _persons(rows: Sequence[rules.TraineeRow]) -> tuple[dict[str, Enterprise], list[Person]]:
    enterprises = {
        e.uscc.upper(): e
        for e in Enterprise.objects.filter(
            uscc__in=[r.enterprise_uscc for r in rows], is_deleted=False
        )
    }
    persons = list(
        Person.objects.filter(
            enterprise__in=enterprises.values(),
            id_last4__in=[c for r in rows for c in {r.id_number[-4:], r.id_number[-4:].lower()}],
        ).order_by("left_on", "pk")
    )
    return enterprises, persons


def _match(
    training_class: InstitutionClass, rows: Sequence[rules.TraineeRow]
) -> tuple[list[tuple[rules.TraineeRow, Person]], list[rules.TraineeError]]:
    """Each row's person in the registry of the enterprise it names, by decrypted ID number."""
    enterprises, persons = _persons(rows)
    listed = set(training_class.trainee_records.values_list("person_id", flat=True))
    matched: list[tuple[rules.TraineeRow, Person]] = []
    errors: list[rules.TraineeError] = []
    for row in rows:
        enterprise = enterprises.get(row.enterprise_uscc)
        if enterprise is None:
            message = f"未找到统一社会信用代码为{row.enterprise_uscc}的企业"
            errors.append(rules.TraineeError(row.line, message))
            continue
        person = next(
            (
                p
                for p in persons
                if p.enterprise_id == enterprise.pk
                and str(p.id_number).strip().upper() == row.id_number
            ),
            None,
        )
        masked = mask_id_number(row.id_number)
        if person is None:
            message = f"{enterprise.name}的从业人员名册中没有身份证号为{masked}的人员，请企业先登记"
            errors.append(rules.TraineeError(row.line, message))
        elif person.name != row.name:
            message = f"姓名“{row.name}”与{enterprise.name}名册中身份证号{masked}的登记姓名不一致"
            errors.append(rules.TraineeError(row.line, message))
        elif person.pk in listed:
            errors.append(rules.TraineeError(row.line, f"{row.name}已在本班次学员名单中"))
        else:
            matched.append((row, person))
    return matched, errors


def _record(
    training_class: InstitutionClass, person: Person, passed: bool, actor: User | None
) -> TrainingRecord:
    record = TrainingRecord.objects.create(
        person=person,
        kind=training_class.kind,
        delivery=training_class.delivery,
        course=training_class.title,
        hours=training_class.hours,
        started_on=training_class.starts_on,
        ended_on=training_class.ends_on,
        institution=training_class.institution,
        training_class=training_class,
        passed=passed,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="training.record.create",
        target=record,
        changes={
            "course": {"before": None, "after": record.course},
            "hours": {"before": None, "after": str(record.hours)},
            "institution": {"before": None, "after": str(training_class.institution)},
            "passed": {"before": None, "after": passed},
        },
    )
    return record


def class_trainees_report(
    *,
    actor: User | None,
    training_class: InstitutionClass,
    text: str = "",
    cells: Sequence[tuple[int, Sequence[str]]] | None = None,
    today: date | None = None,
) -> TraineesReported:
    """The trainee list after a class, one trainee a line (`text`: 姓名,身份证号,企业统一社会信用
    代码,合格) or as (line, cells) rows from a sheet. Every row must name a person registered
    with that enterprise; each becomes a TrainingRecord of the class. Any bad row refuses the
    whole list, and the error names every bad row."""
    require_actor(actor, "institution.report", training_class.institution)
    if cells is not None:
        rows, errors = rules.trainee_rows_from_cells(cells)
    else:
        rows, errors = rules.parse_trainee_text(text)
    with transaction.atomic():
        training_class = InstitutionClass.objects.select_for_update().get(pk=training_class.pk)
        if day_or_today(today) < training_class.ends_on:
            ends = training_class.ends_on
            message = f"班次结业（{ends.year}年{ends.month}月{ends.day}日）后方可报告学员名单"
            raise ValidationError({NON_FIELD_ERRORS: [message]})
        matched, unmatched = _match(training_class, rows)
        problems = sorted([*errors, *unmatched], key=lambda e: e.line)
        if problems:
            raise ValidationError({"trainees": [str(e) for e in problems]})
        before = training_class.trainee_records.count()
        records = [_record(training_class, p, row.passed, actor) for row, p in matched]
        training_class.trainees_reported_at = timezone.now()
        training_class.save(update_fields=["trainees_reported_at"])
        audit_record(
            actor=actor,
            action="training.class.trainees_report",
            target=training_class,
            changes={"trainees": {"before": before, "after": before + len(records)}},
        )
    return TraineesReported(records)
