"""Tasks from the approved month plan: one task per merged entry, on every section's booking,
approved by the head without booking twice; generating again makes nothing new."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from anjian.inspections.models import InspectionTask
from anjian.inspections.services.from_plan import tasks_from_plan
from anjian.inspections.services.tasks import decide_task
from anjian.planning.runs import plan_run_approve
from anjian.policy.models import CapCounter, EntryBooking
from tests.web.test_planning_runs import _ready, _run, _today

pytestmark = pytest.mark.django_db


def test_one_task_per_joint_entry(
    world, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    run = _run(world, _ready(world), django_capture_on_commit_callbacks, run_task_worker)
    plan_run_approve(actor=world.users["office"], run=run)
    bodies = {world.county.pk}
    with pytest.raises(PermissionDenied):
        tasks_from_plan(actor=world.users["legal_office"], body_ids=bodies)
    created = tasks_from_plan(actor=world.users["office"], body_ids=bodies)
    assert len(created) == 1
    task = created[0]
    assert task.source == "plan" and task.status == "pending"
    assert task.joint_key == run.entries.get().joint_key
    assert set(task.bookings.all()) == set(EntryBooking.objects.all())
    assert task.items.exists() and task.officers.count() >= 2
    assert "入企计划" in task.ground
    counted = list(CapCounter.objects.values_list("used", flat=True))
    decide_task(actor=world.users["bureau_head"], task=task, approve=True, note="", today=_today())
    assert list(CapCounter.objects.values_list("used", flat=True)) == counted
    assert EntryBooking.objects.count() == 2
    assert tasks_from_plan(actor=world.users["office"], body_ids=bodies) == []
    assert InspectionTask.objects.count() == 1


def test_refusing_a_plan_task_gives_its_bookings_back(
    world, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    run = _run(world, _ready(world), django_capture_on_commit_callbacks, run_task_worker)
    plan_run_approve(actor=world.users["office"], run=run)
    (task,) = tasks_from_plan(actor=world.users["office"], body_ids={world.county.pk})
    used = CapCounter.objects.get(kind="cap").used
    decide_task(
        actor=world.users["bureau_head"],
        task=task,
        approve=False,
        note="企业已停产",
        today=_today(),
    )
    assert not EntryBooking.objects.filter(cancelled_at__isnull=True).exists()
    assert CapCounter.objects.get(kind="cap").used == used - 1
