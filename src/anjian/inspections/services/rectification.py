"""The rectification loop: the enterprise reports a fix with evidence; an officer reviews the
order's findings (on site or remotely on the evidence) and closes, extends or finds them not
fixed; overdue findings raise alerts and can be referred for a penalty case."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.audit.services import audit_record
from anjian.inspections.access import officer_of
from anjian.inspections.models import (
    Hazard,
    InspectionDocument,
    RectificationOrder,
    RectificationReport,
    RectificationReview,
    ReviewLine,
)
from anjian.inspections.services.numbers import file_document, open_document
from anjian.inspections.services.records import atomic_with_files, check_file, store_evidence
from anjian.policy.services.booking import certified_officers
from anjian.registry.models import Officer

OPEN_STATES = (Hazard.Status.OPEN, Hazard.Status.REPORTED)


def report_rectification(
    *, actor: User, hazard: Hazard, description: str, files: Sequence[UploadedFile]
) -> RectificationReport:
    """The enterprise's report that a finding is fixed. Only its own open findings."""
    membership = getattr(actor, "enterprise_membership", None)
    if actor.role != Role.ENTERPRISE or membership is None:
        raise PermissionDenied("只有被检查企业的用户才能报告整改情况。")
    if membership.enterprise_id != hazard.task.enterprise_id:
        raise PermissionDenied("只能报告本企业的整改情况。")
    if hazard.status not in OPEN_STATES:
        raise ValidationError("该问题已整改销号（或已当场整改），不能再报告整改")
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = ["请说明整改情况"]
    if not files:
        errors["files"] = ["请上传整改后的照片或证明材料"]
    checked = [check_file(f, errors) for f in files]
    if errors:
        raise ValidationError(errors)
    with atomic_with_files() as written:
        hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
        if hazard.status not in OPEN_STATES:
            raise ValidationError("该问题已整改销号，不能再报告整改")
        report = RectificationReport.objects.create(
            hazard=hazard, description=description.strip(), submitted_by=actor
        )
        for upload, meta in zip(files, checked, strict=True):
            store_evidence(
                actor, hazard.task, upload, meta, kind="photo", report=report, written=written
            )
        hazard.status = Hazard.Status.REPORTED
        hazard.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="rectification.report",
            target=hazard,
            changes={"files": [f.name for f in files]},
        )
    return report


@dataclass
class LineDecision:
    hazard_id: int
    decision: str  # closed / extended / not_fixed
    new_deadline: date | None = None
    note: str = ""


def _line_errors(
    order: RectificationOrder, lines: Sequence[LineDecision], today: date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    open_ids = set(order.hazards.filter(status__in=OPEN_STATES).values_list("pk", flat=True))
    if not lines:
        errors["lines"] = ["请对至少一项问题作出复查结论"]
    for line in lines:
        if line.hazard_id not in open_ids:
            errors.setdefault("lines", []).append("只能复查本指令书中尚未销号的问题")
        if line.decision not in ReviewLine.Decision.values:
            errors.setdefault("lines", []).append("请选择复查结论")
        if line.decision == ReviewLine.Decision.EXTENDED and (
            line.new_deadline is None or line.new_deadline <= today
        ):
            errors.setdefault("lines", []).append("延期整改须给出今天以后的新期限")
    return errors


def review_order(
    *,
    actor: User,
    order: RectificationOrder,
    mode: str,
    lines: Sequence[LineDecision],
    officers: Sequence[Officer],
    note: str,
    today: date,
) -> RectificationReview:
    """整改复查意见书: one review of an order's open findings, numbered."""
    officer = officer_of(actor)
    if officer is None or not actor.can("inspection.conduct"):
        raise PermissionDenied("只有执法人员才能复查整改情况。")
    if mode not in RectificationReview.Mode.values:
        raise ValidationError({"mode": ["请选择复查方式"]})
    team = list({o.pk: o for o in [officer, *officers]}.values())
    errors = _line_errors(order, lines, today)
    if mode == RectificationReview.Mode.ON_SITE and len(certified_officers(team, today)) < 2:
        errors["officers"] = ["现场复查须有至少 2 名持有效执法证的执法人员"]
    if mode == RectificationReview.Mode.REMOTE and any(
        line.decision == ReviewLine.Decision.CLOSED
        and not order.hazards.filter(pk=line.hazard_id, reports__isnull=False).exists()
        for line in lines
    ):
        errors["mode"] = ["远程核查只能对企业已上传整改材料的问题销号，其余须现场复查"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        document = open_document(
            actor=actor, task=order.task, kind=InspectionDocument.Kind.REVIEW, on=today
        )
        review = RectificationReview.objects.create(
            order=order,
            document=document,
            mode=mode,
            reviewed_on=today,
            reviewed_by=actor,
            note=note.strip(),
        )
        review.officers.set(team)
        for line in lines:
            _apply(review, line)
        file_document(actor=actor, document=document)  # once every line is saved
        audit_record(
            actor=actor,
            action="rectification.review",
            target=order,
            changes={"review": review.pk, "lines": [(ln.hazard_id, ln.decision) for ln in lines]},
        )
    return review


def _apply(review: RectificationReview, line: LineDecision) -> None:
    hazard = Hazard.objects.select_for_update().get(pk=line.hazard_id)
    ReviewLine.objects.create(
        review=review,
        hazard=hazard,
        decision=line.decision,
        new_deadline=line.new_deadline if line.decision == ReviewLine.Decision.EXTENDED else None,
        note=line.note.strip()[:200],
    )
    if line.decision == ReviewLine.Decision.CLOSED:
        hazard.status, hazard.closed_at = Hazard.Status.CLOSED, timezone.now()
    elif line.decision == ReviewLine.Decision.EXTENDED:
        hazard.status, hazard.deadline = Hazard.Status.OPEN, line.new_deadline
        hazard.extensions += 1
    else:
        hazard.status = Hazard.Status.OPEN
    hazard.save(update_fields=["status", "closed_at", "deadline", "extensions"])


def overdue(hazards: QuerySet[Hazard], today: date) -> QuerySet[Hazard]:
    """Findings past their deadline and not closed: the alert list."""
    return hazards.filter(status__in=OPEN_STATES, deadline__lt=today)


def due_soon(hazards: QuerySet[Hazard], today: date, until: date) -> QuerySet[Hazard]:
    return hazards.filter(status__in=OPEN_STATES, deadline__gte=today, deadline__lte=until)


def refer_for_penalty(*, actor: User, hazard: Hazard, today: date) -> Hazard:
    """Mark an overdue (or not-fixed) finding for a penalty case. The case itself belongs to the
    penalties area; this records who referred it and when."""
    if not actor.can("inspection.conduct") and not actor.can("inspection.approve"):
        raise PermissionDenied("您的角色无权移送立案。")
    not_fixed = hazard.review_lines.filter(decision=ReviewLine.Decision.NOT_FIXED).exists()
    late = hazard.deadline is not None and hazard.deadline < today
    if hazard.status not in OPEN_STATES or not (late or not_fixed):
        raise ValidationError("只有逾期未整改的问题才能移送立案")
    if hazard.referred_at is not None:
        raise ValidationError("该问题已移送立案")
    with transaction.atomic():
        hazard.referred_at, hazard.referred_by = timezone.now(), actor
        hazard.save(update_fields=["referred_at", "referred_by"])
        audit_record(actor=actor, action="rectification.refer", target=hazard, changes={})
    return hazard
