"""Tasks from the approved month plan: one per merged entry (standing on every section's booking),
one per visit the planner moved to remote inspection; each goes to the head for approval."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.inspections.models import InspectionTask
from anjian.planning.models import PlannedVisit, PlanRun
from anjian.policy.models import EntryBooking, InspectionItem
from anjian.policy.selectors import items_for_enterprise
from anjian.registry.models import Enterprise


def _plan_items(enterprise: Enterprise, visits: Sequence[PlannedVisit]) -> list[InspectionItem]:
    applicable = items_for_enterprise(enterprise)
    codes = {code for visit in visits for code in visit.item_codes}
    chosen = [item for item in applicable if item.code in codes]
    if chosen:
        return chosen
    sections = {visit.section.name for visit in visits}
    by_section = [item for item in applicable if item.section in sections]
    return by_section or applicable


def _plan_task(
    actor: User, entry_bookings: list[EntryBooking], items: list[InspectionItem], ground: str
) -> InspectionTask:
    first = entry_bookings[0]
    task = InspectionTask.objects.create(
        body=first.body,
        section=first.section,
        enterprise=first.enterprise,
        date=first.date,
        activity=first.activity,
        mode=first.mode,
        source="plan",
        ground=ground,
        joint_key=first.joint_key,
        status=InspectionTask.Status.PENDING,
        requested_by=actor,
        entry_verdict=first.verdict,
    )
    task.bookings.set(entry_bookings)
    task.items.set(items)
    officers = {o.pk: o for b in entry_bookings for o in b.officers.all()}
    task.officers.set(list(officers.values()))
    return task


def tasks_from_plan(*, actor: User, body_ids: set[int]) -> list[InspectionTask]:
    """One task per entry of every approved month plan (a joint entry is one task standing on
    every section's booking), and one per visit the planner moved to remote inspection. Each
    goes to the head for approval; entries already turned into tasks are skipped."""
    if not actor.can("inspection.create"):
        raise PermissionDenied("您的角色无权生成检查任务。")
    created: list[InspectionTask] = []
    with transaction.atomic():
        runs = PlanRun.objects.filter(
            status=PlanRun.Status.APPROVED, planning_month__body_id__in=body_ids
        ).select_related("planning_month")
        used = set(InspectionTask.objects.exclude(joint_key="").values_list("joint_key", flat=True))
        booked_remote = set(
            InspectionTask.objects.filter(source="plan", mode="remote").values_list(
                "bookings", flat=True
            )
        )
        for run in runs:
            created += _entry_tasks(actor, run, used)
            created += _remote_tasks(actor, run, booked_remote)
        if created:
            audit_record(
                actor=actor,
                action="inspection.from_plan",
                target=created[0],
                changes={"tasks": [t.pk for t in created]},
            )
    return created


def _entry_tasks(actor: User, run: PlanRun, used: set[str]) -> list[InspectionTask]:
    created = []
    entries = run.entries.exclude(joint_key="").prefetch_related("visits__section")
    for entry in entries:
        if entry.joint_key in used:
            continue
        entry_bookings = list(
            EntryBooking.objects.filter(
                joint_key=entry.joint_key, enterprise=entry.enterprise, cancelled_at__isnull=True
            ).prefetch_related("officers")
        )
        if not entry_bookings:
            continue
        visits = list(entry.visits.all())
        ground = _plan_ground(run, visits)
        created.append(
            _plan_task(actor, entry_bookings, _plan_items(entry.enterprise, visits), ground)
        )
        used.add(entry.joint_key)
    return created


def _plan_ground(run: PlanRun, visits: Sequence[PlannedVisit]) -> str:
    sections = "、".join(sorted({v.section.name for v in visits}))
    month = run.planning_month.month
    return f"{month:%Y年%m月}入企计划（统筹计算 #{run.pk} 已批准），报送股室：{sections}"


def _remote_tasks(actor: User, run: PlanRun, booked: set[int]) -> list[InspectionTask]:
    created = []
    visits = PlannedVisit.objects.in_bulk([int(r["visit"]) for r in run.remote])
    for remote in run.remote:
        visit = visits.get(int(remote["visit"]))
        if visit is None:
            continue
        booking = (
            EntryBooking.objects.filter(
                enterprise=visit.enterprise,
                date=date.fromisoformat(remote["date"]),
                mode="remote",
                activity=visit.activity,
                section=visit.section,
                cancelled_at__isnull=True,
            )
            .exclude(pk__in=booked)
            .first()
        )
        if booking is None:
            continue
        items = [i for i in _plan_items(visit.enterprise, [visit]) if "remote" in i.methods]
        created.append(_plan_task(actor, [booking], items, _plan_ground(run, [visit])))
        booked.add(booking.pk)
    return created
