"""Inspection tasks: from the approved month plan, or ad hoc with a ground; the head's approval
(which books the entry through the rules and numbers the inspection notice); cancellation; and
the unplanned entry (未赋码入企) recorded afterwards with a reason and reviewed by the head."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.accounts.models import Section, User
from anjian.audit.services import audit_record
from anjian.domain.inspections import AD_HOC_SOURCES, TASK_SOURCES
from anjian.domain.rules.vocab import MODES
from anjian.inspections.access import may_approve
from anjian.inspections.models import InspectionDocument, InspectionTask
from anjian.inspections.services.numbers import issue_document
from anjian.policy.models import InspectionItem
from anjian.policy.selectors import items_for_enterprise
from anjian.policy.services.booking import (
    EntryOutcome,
    EntryRequest,
    certified_officers,
    entry_book,
    entry_cancel,
    entry_check,
)
from anjian.registry.models import Enterprise, Officer

MIN_ON_SITE_OFFICERS = 2


@dataclass
class TaskRequest:
    enterprise: Enterprise
    date: date
    activity: str
    mode: str
    source: str
    ground: str
    items: Sequence[InspectionItem]
    officers: Sequence[Officer]
    section: Section | None = None
    reason: str = ""  # unplanned entries only
    errors: dict[str, list[str]] = field(default_factory=dict)
    quiet_ground: str = ""  # emergency ground for entering a quiet day first (事后补批)

    def entry_request(self, joint_key: str = "") -> EntryRequest:
        return EntryRequest(
            enterprise=self.enterprise,
            date=self.date,
            activity=self.activity,
            mode=self.mode,
            body=self.enterprise.supervising_body,
            officers=list(self.officers),
            section=self.section,
            joint_key=joint_key,
            ground=self.ground,
            quiet_ground=self.quiet_ground,
        )


def _add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _item_errors(request: TaskRequest, errors: dict[str, list[str]]) -> None:
    if not request.items:
        _add(errors, "items", "请至少选择一项检查事项：检查只能按公布的事项清单进行")
        return
    allowed = {item.pk for item in items_for_enterprise(request.enterprise)}
    outside = [item.name for item in request.items if item.pk not in allowed]
    if outside:
        _add(
            errors,
            "items",
            f"以下事项不在现行事项清单中或不适用于该企业的行业：{'、'.join(outside)}",
        )
    wrong_mode = [item.name for item in request.items if request.mode not in item.methods]
    if wrong_mode:
        _add(
            errors,
            "items",
            f"以下事项不允许以“{MODES.get(request.mode, request.mode)}”方式检查："
            f"{'、'.join(wrong_mode)}",
        )


def _officer_errors(request: TaskRequest, errors: dict[str, list[str]]) -> None:
    valid = certified_officers(request.officers, request.date)
    needed = MIN_ON_SITE_OFFICERS if request.mode == "on_site" else 1
    if len(valid) < needed:
        _add(
            errors,
            "officers",
            f"现场检查须有至少 {MIN_ON_SITE_OFFICERS} 名持有效执法证的执法人员"
            if request.mode == "on_site"
            else "请至少指派 1 名持有效执法证的执法人员",
        )
    expired = [o.name for o in request.officers if o not in valid]
    if expired:
        _add(errors, "officers", f"执法证已过期或已删除：{'、'.join(expired)}")


def task_request_errors(request: TaskRequest, today: date) -> dict[str, list[str]]:
    """Everything wrong with a task request, before the rules are asked."""
    errors: dict[str, list[str]] = {}
    if request.source not in TASK_SOURCES:
        _add(errors, "source", "请选择任务来源")
    if request.source in AD_HOC_SOURCES and not request.ground.strip():
        _add(errors, "ground", "非计划检查须写明检查依据和事由（如举报件编号、交办文件）")
    if request.mode not in MODES:
        _add(errors, "mode", "请选择检查方式")
    if request.source != "unplanned" and request.date < today:
        _add(errors, "date", "检查日期不能早于今天")
    _item_errors(request, errors)
    _officer_errors(request, errors)
    return errors


def _verdict_error(outcome: EntryOutcome) -> ValidationError:
    reasons = [r.message for r in outcome.verdict.reasons if r.severity == "block"]
    return ValidationError(
        {"__all__": ["入企核验未通过：" + "；".join(reasons or outcome.errors or ["不允许入企"])]}
    )


def _check(request: EntryRequest) -> EntryOutcome:
    try:
        return entry_check(request)
    except ValidationError as exc:
        raise ValidationError({"__all__": exc.messages}) from exc


def _create(
    actor: User, request: TaskRequest, status: str, verdict: dict[str, object]
) -> InspectionTask:
    task = InspectionTask.objects.create(
        body=request.enterprise.supervising_body,
        section=request.section,
        enterprise=request.enterprise,
        date=request.date,
        activity=request.activity,
        mode=request.mode,
        source=request.source,
        ground=request.ground.strip(),
        status=status,
        requested_by=actor,
        entry_verdict=verdict,
    )
    task.items.set(list(request.items))
    task.officers.set(list(request.officers))
    return task


def request_task(*, actor: User, request: TaskRequest, today: date) -> InspectionTask:
    """An ad hoc task (complaint, accident, assignment, hazard review …) awaiting the head's
    approval. It must pass the entry check now; approval checks and books it again."""
    if not actor.can("inspection.create"):
        raise PermissionDenied("您的角色无权发起检查任务。")
    if request.source not in AD_HOC_SOURCES:
        raise ValidationError(
            {"source": ["非计划检查的来源须为投诉举报、事故调查、上级交办、隐患复查或其他"]}
        )
    errors = task_request_errors(request, today)
    if errors:
        raise ValidationError(errors)
    outcome = _check(request.entry_request())
    if not outcome.verdict.allowed:
        raise _verdict_error(outcome)
    with transaction.atomic():
        task = _create(actor, request, InspectionTask.Status.PENDING, outcome.verdict.as_dict())
        audit_record(
            actor=actor,
            action="inspection.request",
            target=task,
            changes={"source": task.source, "ground": task.ground, "date": str(task.date)},
        )
    return task


def decide_task(
    *, actor: User, task: InspectionTask, approve: bool, note: str, today: date
) -> InspectionTask:
    """The head approves (books the entry unless the plan already did, numbers the notice and
    activates the entry code) or refuses with a note."""
    if not may_approve(actor, task.body_id, today):
        raise PermissionDenied("只有执法主体负责人（或经其授权的人员）才能审批检查任务。")
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        if task.status != InspectionTask.Status.PENDING:
            raise ValidationError("该任务已审批过，不能重复审批")
        if not approve and not note.strip():
            raise ValidationError({"note": ["不予批准须写明理由"]})
        if approve:
            if task.date < today:
                raise ValidationError("检查日期已过，请撤销后重新发起")
            if not task.bookings.exists():
                _book(actor, task)
        else:
            _release_bookings(actor, task, f"检查任务不予批准：{note.strip()}")
        task.status = InspectionTask.Status.APPROVED if approve else InspectionTask.Status.REFUSED
        task.decided_by, task.decided_at, task.decision_note = actor, timezone.now(), note.strip()
        task.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if approve:  # after the approval is saved: the notice prints it
            issue_document(actor=actor, task=task, kind=InspectionDocument.Kind.NOTICE, on=today)
        audit_record(
            actor=actor,
            action="inspection.approve" if approve else "inspection.refuse",
            target=task,
            changes={"note": note.strip()},
        )
    return task


def _task_entry_request(task: InspectionTask) -> EntryRequest:
    return EntryRequest(
        enterprise=task.enterprise,
        date=task.date,
        activity=task.activity,
        mode=task.mode,
        body=task.body,
        officers=list(task.officers.all()),
        section=task.section,
        ground=task.ground or TASK_SOURCES[task.source],
    )


def _book(actor: User, task: InspectionTask) -> None:
    outcome = entry_book(actor=actor, request=_task_entry_request(task))
    if outcome.booking is None:
        raise _verdict_error(outcome)
    task.bookings.add(outcome.booking)
    task.entry_verdict = outcome.verdict.as_dict()
    task.save(update_fields=["entry_verdict"])


def cancel_task(*, actor: User, task: InspectionTask, reason: str) -> InspectionTask:
    """Cancel a task before anyone checked in: its code is revoked at once and its bookings are
    given back (unless another task still stands on them)."""
    if not (actor.can("inspection.create") or actor.can("inspection.approve")):
        raise PermissionDenied("您的角色无权撤销检查任务。")
    if not reason.strip():
        raise ValidationError({"reason": ["请填写撤销原因"]})
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        if task.status not in {InspectionTask.Status.PENDING, InspectionTask.Status.APPROVED}:
            raise ValidationError("已开始或已结束的检查不能撤销")
        now = timezone.now()
        task.status = InspectionTask.Status.CANCELLED
        task.code_revoked_at, task.code_revoke_reason = now, reason.strip()[:200]
        task.save(update_fields=["status", "code_revoked_at", "code_revoke_reason"])
        _release_bookings(actor, task, f"检查任务撤销：{reason.strip()}")
        audit_record(
            actor=actor, action="inspection.cancel", target=task, changes={"reason": reason}
        )
    return task


def _release_bookings(actor: User, task: InspectionTask, reason: str) -> None:
    """Give back the entry bookings of a task that will not take place, unless another live
    task still stands on them."""
    for booking in task.bookings.filter(cancelled_at__isnull=True):
        others = booking.tasks.exclude(pk=task.pk).exclude(status__in=("cancelled", "refused"))
        if not others.exists():
            entry_cancel(actor=actor, booking=booking, reason=reason)


# --- 未赋码入企: an entry made without a code, recorded afterwards -----------------------------


def record_unplanned(
    *,
    actor: User,
    request: TaskRequest,
    today: date,
    position: tuple[Decimal, Decimal] | None = None,
) -> InspectionTask:
    """Record an on-site entry that had no code (an emergency, a network failure …). The reason
    is required; the entry is booked if the rules allow it (the verdict is kept either way) and
    goes to the head for review; it shows in the unplanned-entry ledger."""
    officer = getattr(actor, "officer", None)
    if officer is None or officer not in request.officers:
        raise PermissionDenied("只有参加该次入企的执法人员才能补录未赋码入企。")
    if not request.reason.strip():
        raise ValidationError({"reason": ["请写明未赋码入企的原因"]})
    request.source, request.date, request.mode = "unplanned", today, "on_site"
    request.ground = request.ground.strip() or request.reason.strip()
    errors = task_request_errors(request, today)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        outcome = entry_book(actor=actor, request=request.entry_request())
        task = _create(actor, request, InspectionTask.Status.IN_PROGRESS, outcome.verdict.as_dict())
        if outcome.booking is not None:
            task.bookings.add(outcome.booking)
        task.unplanned_reason = request.reason.strip()
        task.review = InspectionTask.Review.PENDING
        task.checked_in_at, task.checked_in_by = timezone.now(), actor
        if position is not None:
            task.checkin_lat, task.checkin_lng = position
        task.save()
        audit_record(
            actor=actor,
            action="inspection.unplanned",
            target=task,
            changes={"reason": task.unplanned_reason, "booked": outcome.booking is not None},
        )
    return task


def review_unplanned(
    *, actor: User, task: InspectionTask, accept: bool, note: str
) -> InspectionTask:
    if not may_approve(actor, task.body_id, timezone.localdate()):
        raise PermissionDenied("只有执法主体负责人（或经其授权的人员）才能审查未赋码入企。")
    if not note.strip():
        raise ValidationError({"note": ["请填写审查意见"]})
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        if task.review != InspectionTask.Review.PENDING:
            raise ValidationError("该入企不在待审查状态")
        task.review = InspectionTask.Review.ACCEPTED if accept else InspectionTask.Review.REJECTED
        task.reviewed_by, task.reviewed_at, task.review_note = actor, timezone.now(), note.strip()
        task.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])
        audit_record(
            actor=actor,
            action="inspection.unplanned_review",
            target=task,
            changes={"accepted": accept, "note": note.strip()},
        )
    return task


__all__ = [
    "TaskRequest",
    "cancel_task",
    "decide_task",
    "record_unplanned",
    "request_task",
    "review_unplanned",
    "task_request_errors",
]
