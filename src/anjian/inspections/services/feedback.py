"""The enterprise's voice: a rating of each finished inspection (anonymous to the inspecting
section; the office, the bureau head and the discipline inspectors read them) and complaints,
which reach the discipline inspectors and are handled by them."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.audit.services import audit_record
from anjian.inspections.access import ENTERPRISE_VISIBLE
from anjian.inspections.models import Complaint, InspectionRating, InspectionTask
from anjian.registry.access import visible_enterprises
from anjian.registry.models import Enterprise

SCORES = range(1, 6)
# status -> the statuses a complaint may move to; a closed complaint stays closed
COMPLAINT_STEPS: dict[str, frozenset[str]] = {
    Complaint.Status.RECEIVED: frozenset({Complaint.Status.HANDLING, Complaint.Status.CLOSED}),
    Complaint.Status.HANDLING: frozenset({Complaint.Status.CLOSED}),
    Complaint.Status.CLOSED: frozenset(),
}


def own_enterprise(actor: User) -> Enterprise:
    """The enterprise an enterprise user belongs to; 403 for anyone else."""
    membership = getattr(actor, "enterprise_membership", None)
    if actor.role != Role.ENTERPRISE or not actor.is_active or membership is None:
        raise PermissionDenied("只有企业用户才能进行此操作。")
    return membership.enterprise  # type: ignore[no-any-return]


def rate_inspection(
    *,
    actor: User,
    task: InspectionTask,
    score: int,
    showed_code: bool,
    disturbed_production: bool,
    comment: str = "",
) -> InspectionRating:
    """The enterprise rates a finished inspection, once. The rating stores no user; the audit
    entry records who acted, and no ratings page ever shows it."""
    if own_enterprise(actor).pk != task.enterprise_id:
        raise PermissionDenied("只能评价本企业接受的检查。")
    if task.status != InspectionTask.Status.DONE:
        raise ValidationError("检查完成后才能评价")
    if score not in SCORES:
        raise ValidationError({"score": ["请选择 1 至 5 分的总体评价"]})
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        if InspectionRating.objects.filter(task=task).exists():
            raise ValidationError("已评价过该次检查，每次检查只能评价一次")
        rating = InspectionRating.objects.create(
            task=task,
            score=score,
            showed_code=showed_code,
            disturbed_production=disturbed_production,
            comment=comment.strip()[:2000],
        )
        audit_record(
            actor=actor,
            action="inspection.rating",
            target=rating,
            changes={
                "task": task.pk,
                "score": score,
                "showed_code": showed_code,
                "disturbed_production": disturbed_production,
            },
        )
    return rating


def _complaint_errors(
    enterprise: Enterprise,
    kind: str,
    happened_on: date | None,
    description: str,
    task: InspectionTask | None,
    today: date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if kind not in Complaint.Kind.values:
        errors["kind"] = ["请选择投诉类别"]
    if happened_on is None:
        errors["happened_on"] = ["请填写发生日期"]
    elif happened_on > today:
        errors["happened_on"] = ["发生日期不能晚于今天"]
    if not description.strip():
        errors["description"] = ["请写明投诉的事实经过"]
    if task is not None and (
        task.enterprise_id != enterprise.pk or task.status not in ENTERPRISE_VISIBLE
    ):
        errors["task"] = ["只能就本企业接受的检查投诉"]
    return errors


def file_complaint(
    *,
    actor: User,
    kind: str,
    happened_on: date | None,
    description: str,
    contact: str = "",
    task: InspectionTask | None = None,
    today: date | None = None,
) -> Complaint:
    """An enterprise's complaint (an inspector without a code, an entry on a quiet day, a
    request for gifts…); it goes to the discipline inspectors, never to the inspecting section."""
    enterprise = own_enterprise(actor)
    day = today or timezone.localdate()
    errors = _complaint_errors(enterprise, kind, happened_on, description, task, day)
    if errors:
        raise ValidationError(errors)
    assert happened_on is not None
    with transaction.atomic():
        complaint = Complaint.objects.create(
            enterprise=enterprise,
            task=task,
            kind=kind,
            happened_on=happened_on,
            description=description.strip(),
            contact=contact.strip()[:60],
            filed_by=actor,
        )
        audit_record(
            actor=actor,
            action="complaint.file",
            target=complaint,
            changes={
                "kind": kind,
                "happened_on": happened_on.isoformat(),
                "task": task.pk if task else None,
            },
        )
    return complaint


def visible_complaints(user: User) -> QuerySet[Complaint]:
    """Complaints the discipline inspectors of the user's bodies handle: those of the
    enterprises in scope. Nobody without `complaint.handle` sees any."""
    if not user.can("complaint.handle"):
        return Complaint.objects.none()
    return Complaint.objects.filter(enterprise__in=visible_enterprises(user)).select_related(
        "enterprise", "task", "task__body", "task__section", "filed_by", "handled_by"
    )


def access_complaint(user: User, pk: int) -> Complaint:
    complaint = visible_complaints(user).filter(pk=pk).first()
    if complaint is None:
        raise Http404("未找到该投诉，或您无权查看。")
    return complaint


def handle_complaint(*, actor: User, complaint: Complaint, status: str, note: str) -> Complaint:
    """The discipline inspectors take a complaint up (核查中) or close it with the result."""
    if not actor.can("complaint.handle"):
        raise PermissionDenied("只有派驻纪检监察组才能办理投诉。")
    if not visible_complaints(actor).filter(pk=complaint.pk).exists():
        raise PermissionDenied("该投诉不在您的办理范围内。")
    if status not in Complaint.Status.values:
        raise ValidationError({"status": ["请选择办理状态"]})
    if status == Complaint.Status.CLOSED and not note.strip():
        raise ValidationError({"note": ["办结投诉须填写办理结果"]})
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        before = complaint.status
        if status not in COMPLAINT_STEPS[before]:
            raise ValidationError(
                "该投诉已办结，不能再办理"
                if before == Complaint.Status.CLOSED
                else "不能把投诉改回此状态"
            )
        complaint.status, complaint.handled_by = status, actor
        if note.strip():
            complaint.handling_note = note.strip()
        if status == Complaint.Status.CLOSED:
            complaint.handled_at = timezone.now()
        complaint.save(update_fields=["status", "handled_by", "handling_note", "handled_at"])
        audit_record(
            actor=actor,
            action="complaint.handle",
            target=complaint,
            changes={"status": {"before": before, "after": status}, "note": note.strip()},
        )
    return complaint
