"""Who sees which inspection records. Every read and write of this area looks records up here.

- bureau staff: tasks of the enterprises they see (`registry.access.visible_enterprises`: a
  business section only its sectors' enterprises);
- an enterprise user: its own enterprise's tasks once approved (never pending or refused ones),
  its findings, documents and complaints;
- everyone else: nothing.
Acting on a task in the field (check-in, record) needs the user to be one of its officers.
Out of scope answers 404.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.inspections.models import (
    ApprovalDelegation,
    Hazard,
    InspectionTask,
    RectificationOrder,
)
from anjian.registry.access import visible_enterprises
from anjian.registry.models import Officer

ENTERPRISE_VISIBLE = (
    InspectionTask.Status.APPROVED,
    InspectionTask.Status.IN_PROGRESS,
    InspectionTask.Status.DONE,
)


def visible_tasks(user: User) -> QuerySet[InspectionTask]:
    tasks = InspectionTask.objects.filter(enterprise__in=visible_enterprises(user))
    if user.role == Role.ENTERPRISE:
        tasks = tasks.filter(status__in=ENTERPRISE_VISIBLE)
    return tasks.select_related("enterprise", "body", "section")


def access_task(user: User, pk: int) -> InspectionTask:
    """A task the user sees, or a pending one the user may approve (a delegate outside the
    task's sector still needs to read what they approve)."""
    task = visible_tasks(user).filter(pk=pk).first()
    if task is None:
        task = (
            InspectionTask.objects.select_related("enterprise", "body", "section")
            .filter(
                pk=pk,
                status=InspectionTask.Status.PENDING,
                body_id__in=approval_bodies(user, timezone.localdate()),
            )
            .first()
        )
    if task is None:
        raise Http404("未找到该检查任务，或您无权查看。")
    return task


def visible_hazards(user: User) -> QuerySet[Hazard]:
    return Hazard.objects.filter(task__in=visible_tasks(user)).select_related(
        "task", "task__enterprise", "item", "order"
    )


def access_hazard(user: User, pk: int) -> Hazard:
    try:
        return visible_hazards(user).get(pk=pk)
    except Hazard.DoesNotExist as exc:
        raise Http404("未找到该隐患问题，或您无权查看。") from exc


def access_order(user: User, pk: int) -> RectificationOrder:
    try:
        return RectificationOrder.objects.select_related("task", "document").get(
            pk=pk, task__in=visible_tasks(user)
        )
    except RectificationOrder.DoesNotExist as exc:
        raise Http404("未找到该整改指令书，或您无权查看。") from exc


def officer_of(user: User) -> Officer | None:
    officer = getattr(user, "officer", None)
    if officer is None or officer.is_deleted:
        return None
    return officer


def is_task_officer(user: User, task: InspectionTask) -> bool:
    officer = officer_of(user)
    return officer is not None and task.officers.filter(pk=officer.pk).exists()


def require_task_officer(user: User, task: InspectionTask) -> Officer:
    """The user's officer record, if the user is one of the task's officers; else 403."""
    officer = officer_of(user)
    if officer is None or not task.officers.filter(pk=officer.pk).exists():
        raise PermissionDenied("只有本任务的执法人员才能进行此操作。")
    return officer


def approval_bodies(user: User, day: date) -> set[int]:
    """The bodies whose tasks this user may approve on `day`: the head's own scope, and any body
    whose head delegated approval to the user for a period covering the day."""
    if not user.is_active:
        return set()
    bodies = body_scope_ids(user) if user.can("inspection.approve") else set()
    delegated = ApprovalDelegation.objects.filter(
        delegate=user, starts_on__lte=day, ends_on__gte=day, revoked_at__isnull=True
    ).values_list("body_id", flat=True)
    return bodies | set(delegated)


def may_approve(user: User, body_id: int, day: date) -> bool:
    return body_id in approval_bodies(user, day)
