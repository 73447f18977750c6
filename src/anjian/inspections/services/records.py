"""The inspection record: a result per listed item, findings with evidence, the enterprise
representative's confirmation, the record's number, and the rectification order."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.inspections import (
    EVIDENCE_KINDS,
    HAZARD_LEVELS,
    ITEM_OUTCOMES,
    ONSITE_MEASURES,
    RecordFacts,
    record_problems,
)
from anjian.inspections.access import require_task_officer
from anjian.inspections.models import (
    Evidence,
    Hazard,
    InspectionDocument,
    InspectionTask,
    ItemResult,
    RectificationOrder,
    RectificationReport,
)
from anjian.inspections.services.numbers import file_document, issue_document, open_document
from anjian.inspections.uploads import checked_upload
from anjian.policy.workdays import deadline_after

RECORDING = (InspectionTask.Status.APPROVED, InspectionTask.Status.IN_PROGRESS)
MAX_WORKING_DAYS = 60


def _open_for_recording(task: InspectionTask) -> None:
    if task.status not in RECORDING:
        raise ValidationError("该检查不在进行中，不能修改检查记录")
    if task.is_on_site and task.checked_in_at is None:
        raise ValidationError("现场检查须先凭检查码签到，才能记录")


def _task_item(task: InspectionTask, item_id: int) -> object:
    item = task.items.filter(pk=item_id).first()
    if item is None:
        raise ValidationError({"item": ["该事项不在本任务的检查事项中，不能记录"]})
    return item


def record_item(
    *, actor: User, task: InspectionTask, item_id: int, outcome: str, note: str = ""
) -> ItemResult:
    require_task_officer(actor, task)
    _open_for_recording(task)
    if outcome not in ITEM_OUTCOMES:
        raise ValidationError({"outcome": ["请选择检查结果：已检查、发现问题或不适用"]})
    item = _task_item(task, item_id)
    with transaction.atomic():
        result, _ = ItemResult.objects.update_or_create(
            task=task,
            item=item,
            defaults={"outcome": outcome, "note": note.strip(), "recorded_by": actor},
        )
        audit_record(
            actor=actor,
            action="inspection.item_result",
            target=task,
            changes={"item": str(item), "outcome": outcome},
        )
    return result


@dataclass
class FindingRequest:
    description: str
    level: str
    item_id: int | None = None
    off_list_reason: str = ""
    location: str = ""
    legal_basis: str = ""
    fixed_on_spot: bool = False
    onsite_measure: str = ""
    measure_note: str = ""
    files: Sequence[UploadedFile] = ()


def _finding_errors(request: FindingRequest) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not request.description.strip():
        errors["description"] = ["请描述发现的问题"]
    if request.level not in HAZARD_LEVELS:
        errors["level"] = ["请选择隐患等级"]
    if request.item_id is None and not request.off_list_reason.strip():
        errors["off_list_reason"] = ["清单外问题须写明理由（将提请法制审核）"]
    if request.onsite_measure and request.onsite_measure not in ONSITE_MEASURES:
        errors["onsite_measure"] = ["未知的现场处理措施"]
    if request.level == "major":
        if request.fixed_on_spot:
            errors["fixed_on_spot"] = ["重大事故隐患不能按当场整改处理，须下达整改指令"]
        if not request.onsite_measure:
            errors["onsite_measure"] = [
                "重大事故隐患须记录现场处理措施（撤出作业人员、停产停业或停止使用设备）"
            ]
    return errors


def add_finding(
    *, actor: User, task: InspectionTask, request: FindingRequest, today: date
) -> Hazard:
    """A finding against a listed item (or, with a reason, outside the list: flagged to the
    legal office), with its photos or files; a major hazard's on-site measure is numbered."""
    require_task_officer(actor, task)
    _open_for_recording(task)
    errors = _finding_errors(request)
    item = None
    if request.item_id is not None:
        found = task.items.filter(pk=request.item_id).first()
        if found is None:
            errors["item"] = ["该事项不在本任务的检查事项中，不能记录"]
        item = found
    basis = request.legal_basis.strip() or (f"{item.law}{item.article}" if item else "")
    if not basis:
        errors["legal_basis"] = ["请填写违反的法律法规或标准条款"]
    checked = [check_file(f, errors) for f in request.files]
    if errors:
        raise ValidationError(errors)
    with atomic_with_files() as written:
        hazard = Hazard.objects.create(
            task=task,
            item=item,
            off_list_reason="" if item else request.off_list_reason.strip(),
            description=request.description.strip(),
            location=request.location.strip(),
            legal_basis=basis[:240],
            level=request.level,
            status=Hazard.Status.ON_SPOT if request.fixed_on_spot else Hazard.Status.OPEN,
            onsite_measure=request.onsite_measure,
            measure_note=request.measure_note.strip(),
            legal_flag=item is None,
            recorded_by=actor,
            closed_at=timezone.now() if request.fixed_on_spot else None,
        )
        if request.onsite_measure:
            hazard.measure_document = open_document(
                actor=actor, task=task, kind=InspectionDocument.Kind.MEASURE, on=today
            )
            hazard.save(update_fields=["measure_document"])
        if item is not None:
            ItemResult.objects.update_or_create(
                task=task, item=item, defaults={"outcome": "finding", "recorded_by": actor}
            )
        for upload, meta in zip(request.files, checked, strict=True):
            store_evidence(actor, task, upload, meta, kind="photo", hazard=hazard, written=written)
        if hazard.measure_document is not None:  # filed once the finding is complete
            file_document(actor=actor, document=hazard.measure_document)
        audit_record(
            actor=actor,
            action="inspection.finding",
            target=hazard,
            changes={
                "task": task.pk,
                "level": hazard.level,
                "off_list": item is None,
                "measure": hazard.onsite_measure,
            },
        )
    return hazard


def check_file(upload: UploadedFile, errors: dict[str, list[str]]) -> tuple[str, int, str]:
    try:
        return checked_upload(upload)
    except ValidationError as exc:
        errors.setdefault("files", []).extend(exc.messages)
        return ("", 0, "")


@contextmanager
def atomic_with_files() -> Iterator[list[str]]:
    """`transaction.atomic()` that also deletes the files stored inside it when it fails, so a
    failed write leaves no orphan file behind."""
    written: list[str] = []
    try:
        with transaction.atomic():
            yield written
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


def store_evidence(
    actor: User,
    task: InspectionTask,
    upload: UploadedFile,
    meta: tuple[str, int, str],
    *,
    kind: str,
    hazard: Hazard | None = None,
    report: RectificationReport | None = None,
    description: str = "",
    written: list[str] | None = None,
) -> Evidence:
    content_type, size, digest = meta
    if kind == "photo" and not content_type.startswith("image/"):
        kind = "file"
    evidence = Evidence(
        task=task,
        hazard=hazard,
        report=report,
        kind=kind,
        description=description[:300],
        original_name=(upload.name or "")[:200],
        content_type=content_type,
        size=size,
        sha256=digest,
        uploaded_by=actor,
    )
    evidence.file.save(upload.name or "upload", upload, save=False)
    if written is not None:
        written.append(evidence.file.name)
    evidence.save()
    return evidence


def add_evidence(
    *,
    actor: User,
    task: InspectionTask,
    kind: str,
    description: str = "",
    upload: UploadedFile | None = None,
    hazard: Hazard | None = None,
) -> Evidence:
    """Evidence for the record: photos and files, or a described non-site source (a video
    session, monitoring data, the documents reviewed in a written inspection)."""
    require_task_officer(actor, task)
    _open_for_recording(task)
    if kind not in EVIDENCE_KINDS:
        raise ValidationError({"kind": ["请选择材料类别"]})
    if upload is None and not description.strip():
        raise ValidationError(
            {"description": ["请上传文件，或写明材料内容（如视频连线的时间和对象）"]}
        )
    if hazard is not None and hazard.task_id != task.pk:
        raise ValidationError({"hazard": ["该隐患不属于本任务"]})
    meta = checked_upload(upload) if upload is not None else None
    with atomic_with_files() as written:
        if upload is not None and meta is not None:
            evidence = store_evidence(
                actor,
                task,
                upload,
                meta,
                kind=kind,
                hazard=hazard,
                description=description,
                written=written,
            )
        else:
            evidence = Evidence.objects.create(
                task=task,
                hazard=hazard,
                kind=kind,
                description=description.strip()[:300],
                uploaded_by=actor,
            )
        audit_record(
            actor=actor,
            action="inspection.evidence",
            target=task,
            changes={"kind": kind, "file": evidence.original_name, "sha256": evidence.sha256},
        )
    return evidence


def confirm_record(
    *, actor: User, task: InspectionTask, representative: str, refused: bool, note: str = ""
) -> InspectionTask:
    """The enterprise representative signs the record, or the refusal is noted
    (安全生产法第68条)."""
    require_task_officer(actor, task)
    _open_for_recording(task)
    if not representative.strip():
        raise ValidationError({"representative": ["请填写被检查单位负责人姓名"]})
    if refused and not note.strip():
        raise ValidationError({"note": ["拒绝签字的，请记录情况"]})
    with transaction.atomic():
        task.representative = representative.strip()[:50]
        task.confirmation = (
            InspectionTask.Confirmation.REFUSED
            if refused
            else InspectionTask.Confirmation.CONFIRMED
        )
        task.confirmation_note = note.strip()[:200]
        task.save(update_fields=["representative", "confirmation", "confirmation_note"])
        audit_record(
            actor=actor,
            action="inspection.confirm",
            target=task,
            changes={"representative": task.representative, "refused": refused},
        )
    return task


def record_facts(task: InspectionTask) -> RecordFacts:
    findings = dict(task.hazards.exclude(item=None).values_list("item").annotate(n=Count("pk")))
    return RecordFacts(
        mode=task.mode,
        task_items=frozenset(task.items.values_list("pk", flat=True)),
        results=dict(task.results.values_list("item_id", "outcome")),
        findings_per_item=findings,
        evidence_kinds=frozenset(task.evidence.values_list("kind", flat=True)),
        checked_in=task.checked_in_at is not None,
        confirmation=task.confirmation,
    )


def finish_record(
    *, actor: User, task: InspectionTask, summary: str, place: str, today: date
) -> InspectionTask:
    """Close the record: every item has a result, open findings have an order, the
    representative confirmed or refused; the record gets its number and the code expires."""
    require_task_officer(actor, task)
    _open_for_recording(task)
    problems = record_problems(record_facts(task))
    if task.hazards.filter(status=Hazard.Status.OPEN, order__isnull=True).exists():
        problems.append("还有未当场整改的问题没有下达责令限期整改指令书")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        now = timezone.now()
        task.summary, task.place = summary.strip(), place.strip()[:200]
        task.status, task.finished_at = InspectionTask.Status.DONE, now
        if task.checked_in_at is not None and task.checked_out_at is None:
            task.checked_out_at = now
        task.save()
        issue_document(actor=actor, task=task, kind=InspectionDocument.Kind.RECORD, on=today)
        audit_record(actor=actor, action="inspection.finish", target=task, changes={})
    return task


def issue_order(
    *,
    actor: User,
    task: InspectionTask,
    hazard_ids: Sequence[int],
    working_days: int,
    today: date,
) -> RectificationOrder:
    """责令限期整改指令书 for findings not fixed on the spot; the deadline counts working days
    (statutory holidays and make-up workdays included)."""
    require_task_officer(actor, task)
    _open_for_recording(task)
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise ValidationError({"working_days": [f"整改期限应为 1 至 {MAX_WORKING_DAYS} 个工作日"]})
    hazards = list(task.hazards.filter(pk__in=hazard_ids))
    if not hazards or len(hazards) != len(set(hazard_ids)):
        raise ValidationError({"hazards": ["请选择本次检查中发现的问题"]})
    if any(h.status != Hazard.Status.OPEN or h.order_id for h in hazards):
        raise ValidationError({"hazards": ["只能对未当场整改、尚未下达指令的问题下达整改指令"]})
    deadline = deadline_after(today, working_days)
    with transaction.atomic():
        document = open_document(
            actor=actor, task=task, kind=InspectionDocument.Kind.ORDER, on=today
        )
        order = RectificationOrder.objects.create(
            task=task,
            document=document,
            issued_on=today,
            working_days=working_days,
            deadline=deadline,
            issued_by=actor,
        )
        Hazard.objects.filter(pk__in=[h.pk for h in hazards]).update(order=order, deadline=deadline)
        file_document(actor=actor, document=document)  # once the order and its findings are saved
        audit_record(
            actor=actor,
            action="inspection.order",
            target=order,
            changes={"hazards": [h.pk for h in hazards], "deadline": str(deadline)},
        )
    return order


def acknowledge_off_list(*, actor: User, hazard: Hazard, note: str) -> Hazard:
    """The legal office's look at a finding outside the item list."""
    if not actor.can("inspection.legal"):
        raise PermissionDenied("只有法制审核人员才能处理清单外问题。")
    if not hazard.legal_flag:
        raise ValidationError("该问题不是清单外问题")
    if not note.strip():
        raise ValidationError({"note": ["请填写审核意见"]})
    with transaction.atomic():
        hazard.legal_seen_by, hazard.legal_seen_at = actor, timezone.now()
        hazard.legal_note = note.strip()
        hazard.save(update_fields=["legal_seen_by", "legal_seen_at", "legal_note"])
        audit_record(
            actor=actor, action="inspection.legal_review", target=hazard, changes={"note": note}
        )
    return hazard
