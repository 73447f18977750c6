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

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.inspections.models import Hazard, InspectionTask, RectificationOrder
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
    try:
        return visible_tasks(user).get(pk=pk)
    except InspectionTask.DoesNotExist as exc:
        raise Http404("未找到该检查任务，或您无权查看。") from exc


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
