"""A campaign's measures (工作措施): the office enters and changes them and links their evidence;
a section a measure falls to (or the office) marks how far it has got. Every change is audited.
The checks are shared with the Excel import (`measure_errors`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from anjian.accounts.models import Section, User
from anjian.audit.services import audit_record
from anjian.steering import evidence
from anjian.steering.access import is_office
from anjian.steering.models import Campaign, Measure, MeasureEvidence
from anjian.steering.selectors import is_responsible
from anjian.steering.services.campaign import Errors, diff, raise_errors, require_plan_office

NOTE_LIMIT = 4000
LATEST_DEADLINE = (3, 31)  # a deadline may run into the first quarter of the next year


@dataclass(frozen=True)
class MeasureData:
    clause: str
    title: str
    content: str = ""
    lead_section: Section | None = None
    supporting_sections: tuple[Section, ...] = ()
    all_sections: bool = False
    deadline: date | None = None
    order: int | None = None  # None: after the last measure (or kept, when changing one)


def _section_errors(campaign: Campaign, data: MeasureData) -> Errors:
    errors: Errors = {}
    if data.lead_section is not None and data.lead_section.body_id != campaign.body_id:
        errors["lead_section"] = [f"牵头股室“{data.lead_section.name}”不是本单位的股室"]
    foreign = [s.name for s in data.supporting_sections if s.body_id != campaign.body_id]
    if foreign:
        errors["supporting_sections"] = [f"配合股室“{'、'.join(foreign)}”不是本单位的股室"]
    elif data.lead_section is not None and data.lead_section in data.supporting_sections:
        errors["supporting_sections"] = ["牵头股室不必再列为配合股室"]
    if data.lead_section is None and not data.supporting_sections and not data.all_sections:
        errors["lead_section"] = ["请指定牵头股室、配合股室，或选择“各业务股室分工负责”"]
    return errors


def measure_errors(
    campaign: Campaign, data: MeasureData, *, measure: Measure | None = None
) -> Errors:
    """Everything wrong with `data` as a measure of the campaign (`measure`: the one changed)."""
    errors = _section_errors(campaign, data)
    clause = data.clause.strip()
    if not clause:
        errors["clause"] = ["请填写条款"]
    elif len(clause) > 20:
        errors["clause"] = ["条款不能超过 20 个字"]
    else:
        same = Measure.objects.filter(campaign=campaign, clause=clause)
        if measure is not None:
            same = same.exclude(pk=measure.pk)
        if same.exists():
            errors["clause"] = [f"条款“{clause}”已有措施"]
    if not data.title.strip():
        errors["title"] = ["请填写措施名称"]
    elif len(data.title.strip()) > 120:
        errors["title"] = ["措施名称不能超过 120 个字"]
    if len(data.content) > NOTE_LIMIT:
        errors["content"] = [f"内容不能超过 {NOTE_LIMIT} 个字"]
    latest = date(campaign.year + 1, *LATEST_DEADLINE)
    if data.deadline is not None and not date(campaign.year, 1, 1) <= data.deadline <= latest:
        errors["deadline"] = [
            f"完成时限应在 {campaign.year} 年内（最迟 {latest:%Y-%m-%d}），实为 {data.deadline}"
        ]
    if data.order is not None and not 0 <= data.order <= 999:
        errors["order"] = ["顺序应在 0 至 999 之间"]
    return errors


def _fields(data: MeasureData) -> dict[str, Any]:
    return {
        "clause": data.clause.strip(),
        "title": data.title.strip(),
        "content": data.content.strip(),
        "lead_section": data.lead_section,
        "all_sections": data.all_sections,
        "deadline": data.deadline,
    }


def _audited(values: dict[str, Any]) -> dict[str, Any]:
    shown = dict(values)
    if shown.get("lead_section") is not None:
        shown["lead_section"] = shown["lead_section"].name
    return shown


def measure_create(*, actor: User | None, campaign: Campaign, data: MeasureData) -> Measure:
    require_plan_office(actor, campaign)
    raise_errors(measure_errors(campaign, data))
    with transaction.atomic():
        order = data.order
        if order is None:
            order = (campaign.measures.aggregate(m=Max("order"))["m"] or 0) + 1
        measure = Measure.objects.create(campaign=campaign, order=order, **_fields(data))
        measure.supporting_sections.set(data.supporting_sections)
        changes = diff({}, _audited(_fields(data))) | {
            "supporting_sections": {
                "before": [],
                "after": [s.name for s in data.supporting_sections],
            }
        }
        audit_record(actor=actor, action="steering.measure.create", target=measure, changes=changes)
    return measure


def measure_update(*, actor: User | None, measure: Measure, data: MeasureData) -> Measure:
    campaign = measure.campaign
    require_plan_office(actor, campaign)
    raise_errors(measure_errors(campaign, data, measure=measure))
    with transaction.atomic():
        measure = Measure.objects.select_for_update().get(pk=measure.pk)
        after = _fields(data)
        if data.order is not None:
            after["order"] = data.order
        before = {name: getattr(measure, name) for name in after}
        supporting_before = sorted(s.name for s in measure.supporting_sections.all())
        for name, value in after.items():
            setattr(measure, name, value)
        measure.save(update_fields=list(after))
        measure.supporting_sections.set(data.supporting_sections)
        changes = diff(_audited(before), _audited(after))
        supporting_after = sorted(s.name for s in data.supporting_sections)
        if supporting_before != supporting_after:
            changes["supporting_sections"] = {
                "before": supporting_before,
                "after": supporting_after,
            }
        audit_record(actor=actor, action="steering.measure.update", target=measure, changes=changes)
    return measure


def measure_delete(*, actor: User | None, measure: Measure) -> None:
    """Removes a measure entered by mistake, with its evidence links."""
    require_plan_office(actor, measure.campaign)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="steering.measure.delete",
            target=measure,
            changes={"clause": measure.clause, "title": measure.title},
        )
        measure.delete()


def measure_progress(
    *,
    actor: User | None,
    measure: Measure,
    started: bool,
    done_on: date | None,
    note: str,
    today: date,
) -> Measure:
    """A section the measure falls to (or the office) records how far it has got: started,
    done on a day (not in the future), with a note."""
    if actor is not None and not (
        is_office(actor, measure.campaign) or is_responsible(actor, measure)
    ):
        raise PermissionDenied("只有该措施的责任股室或领导小组办公室可以填报进展")
    errors: Errors = {}
    if done_on is not None and done_on > today:
        errors["done_on"] = [f"完成日期不能晚于今天（{today:%Y-%m-%d}）"]
    if len(note) > NOTE_LIMIT:
        errors["progress_note"] = [f"进展说明不能超过 {NOTE_LIMIT} 个字"]
    raise_errors(errors)
    with transaction.atomic():
        measure = Measure.objects.select_for_update().get(pk=measure.pk)
        after = {
            "started": started or done_on is not None,
            "done_on": done_on,
            "progress_note": note.strip(),
        }
        before = {name: getattr(measure, name) for name in after}
        for name, value in after.items():
            setattr(measure, name, value)
        measure.save(update_fields=list(after))
        audit_record(
            actor=actor,
            action="steering.measure.progress",
            target=measure,
            changes=diff(before, after),
        )
    return measure


def evidence_add(
    *, actor: User | None, measure: Measure, kind: str, subject_pk: str, note: str = ""
) -> MeasureEvidence:
    """Links a record of another area (of the campaign's body) to the measure as evidence."""
    campaign = measure.campaign
    require_plan_office(actor, campaign)
    found = evidence.resolve(campaign, kind, subject_pk.strip())
    if len(note.strip()) > 200:
        raise ValidationError({"note": ["说明不能超过 200 个字"]})
    if MeasureEvidence.objects.filter(
        measure=measure, kind=kind, subject_pk=found.subject_pk
    ).exists():
        raise ValidationError({"subject_pk": ["该记录已是本措施的佐证"]})
    try:
        with transaction.atomic():
            row = MeasureEvidence.objects.create(
                measure=measure,
                kind=found.kind,
                subject_pk=found.subject_pk,
                label=found.label[:200],
                dated=found.dated,
                note=note.strip(),
                added_by=actor,
            )
            audit_record(
                actor=actor,
                action="steering.evidence.add",
                target=measure,
                changes={
                    "evidence": {
                        "before": None,
                        "after": f"{found.kind}:{found.subject_pk} {row.label}",
                    }
                },
            )
    except IntegrityError:  # added by someone else meanwhile
        raise ValidationError({"subject_pk": ["该记录已是本措施的佐证"]}) from None
    return row


def evidence_remove(*, actor: User | None, row: MeasureEvidence) -> None:
    require_plan_office(actor, row.measure.campaign)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="steering.evidence.remove",
            target=row.measure,
            changes={
                "evidence": {"before": f"{row.kind}:{row.subject_pk} {row.label}", "after": None}
            },
        )
        row.delete()
