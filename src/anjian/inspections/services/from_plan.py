"""Tasks from the approved month plan: one per merged entry (standing on every section's booking),
one per visit the planner moved to remote inspection; each goes to the head for approval.

Who generates which: the office generates the bureau's (every entry, joint or not); a business
section or the enforcement team only its own: the entries that hold its visits alone and its
visits moved to remote. A joint entry of several sections is the office's to generate."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.audit.services import audit_record
from anjian.inspections.models import InspectionTask
from anjian.planning.models import PlannedVisit, PlanRun
from anjian.policy.models import EntryBooking, InspectionItem
from anjian.policy.selectors import items_for_enterprise
from anjian.registry.models import Enterprise

WHOLE_BODY = 0
"""`plan_scope` for the office: every section's entries."""


def plan_scope(actor: User) -> int:
    """The section whose plan tasks the actor may generate, or WHOLE_BODY for the office;
    PermissionDenied for anyone else."""
    if not actor.can("inspection.create"):
        raise PermissionDenied("您的角色无权生成检查任务。")
    if actor.role == Role.OFFICE:
        return WHOLE_BODY
    if actor.section_id is None:
        raise PermissionDenied("只有办公室或报送计划的股室可以从月度计划生成检查任务。")
    return int(actor.section_id)


def _plan_items(enterprise: Enterprise, visits: Sequence[PlannedVisit]) -> list[InspectionItem]:
    applicable = items_for_enterprise(enterprise)
    codes = {code for visit in visits for code in visit.item_codes}
    chosen = [item for item in applicable if item.code in codes]
    if chosen:
        return chosen
    sections = {visit.section.name for visit in visits}
    by_section = [item for item in applicable if item.section in sections]
    return by_section or applicable


@dataclass
class _Candidate:
    bookings: list[EntryBooking]
    visits: list[PlannedVisit]
    run: PlanRun
    remote: bool


def _plan_task(actor: User, candidate: _Candidate) -> InspectionTask:
    first = candidate.bookings[0]
    items = _plan_items(first.enterprise, candidate.visits)
    if candidate.remote:
        items = [i for i in items if "remote" in i.methods]
    task = InspectionTask.objects.create(
        body=first.body,
        section=first.section,
        enterprise=first.enterprise,
        date=first.date,
        activity=first.activity,
        mode=first.mode,
        source="plan",
        ground=_plan_ground(candidate.run, candidate.visits),
        joint_key=first.joint_key,
        status=InspectionTask.Status.PENDING,
        requested_by=actor,
        entry_verdict=first.verdict,
    )
    task.bookings.set(candidate.bookings)
    task.items.set(items)
    officers = {o.pk: o for b in candidate.bookings for o in b.officers.all()}
    task.officers.set(list(officers.values()))
    return task


def _candidates(body_ids: set[int], scope: int) -> Iterator[_Candidate]:
    """The entries and remote visits of every approved month plan not yet turned into a task,
    within the scope."""
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
        yield from _entry_candidates(run, used, scope)
        yield from _remote_candidates(run, booked_remote, scope)


def plan_tasks_pending(*, actor: User, body_ids: set[int]) -> int:
    """How many tasks `tasks_from_plan` would create for this actor now (for its confirmation)."""
    return sum(1 for _ in _candidates(body_ids, plan_scope(actor)))


def tasks_from_plan(*, actor: User, body_ids: set[int]) -> list[InspectionTask]:
    """One task per entry of every approved month plan (a joint entry is one task standing on
    every section's booking), and one per visit the planner moved to remote inspection, within
    the actor's scope (`plan_scope`). Each goes to the head for approval; entries already
    turned into tasks are skipped."""
    scope = plan_scope(actor)
    created: list[InspectionTask] = []
    with transaction.atomic():
        for candidate in list(_candidates(body_ids, scope)):
            created.append(_plan_task(actor, candidate))
        if created:
            audit_record(
                actor=actor,
                action="inspection.from_plan",
                target=created[0],
                changes={"tasks": [t.pk for t in created], "section": scope or None},
            )
    return created


def _entry_candidates(run: PlanRun, used: set[str], scope: int) -> Iterator[_Candidate]:
    entries = list(
        run.entries.exclude(joint_key="")
        .select_related("enterprise")
        .prefetch_related("visits__section")
    )
    keys = [e.joint_key for e in entries if e.joint_key not in used]
    by_key: defaultdict[tuple[str, int], list[EntryBooking]] = defaultdict(list)
    rows = EntryBooking.objects.filter(joint_key__in=keys, cancelled_at__isnull=True)
    for booking in rows.select_related("enterprise", "body", "section").prefetch_related(
        "officers"
    ):
        by_key[booking.joint_key, booking.enterprise_id].append(booking)
    for entry in entries:
        if entry.joint_key in used:
            continue
        visits = list(entry.visits.all())
        if scope and {v.section_id for v in visits} != {scope}:
            continue
        entry_bookings = by_key.get((entry.joint_key, entry.enterprise_id))
        if not entry_bookings:
            continue
        used.add(entry.joint_key)
        yield _Candidate(entry_bookings, visits, run, remote=False)


def _plan_ground(run: PlanRun, visits: Sequence[PlannedVisit]) -> str:
    sections = "、".join(sorted({v.section.name for v in visits}))
    month = run.planning_month.month
    return f"{month:%Y年%m月}入企计划（统筹计算 #{run.pk} 已批准），报送股室：{sections}"


def _remote_candidates(run: PlanRun, booked: set[int], scope: int) -> Iterator[_Candidate]:
    visits = PlannedVisit.objects.select_related("section", "enterprise").in_bulk(
        [int(r["visit"]) for r in run.remote]
    )
    wanted = [
        (visits[int(r["visit"])], date.fromisoformat(r["date"]))
        for r in run.remote
        if int(r["visit"]) in visits and (not scope or visits[int(r["visit"])].section_id == scope)
    ]
    rows = EntryBooking.objects.filter(
        enterprise_id__in={v.enterprise_id for v, _ in wanted},
        date__in={d for _, d in wanted},
        mode="remote",
        cancelled_at__isnull=True,
    ).exclude(pk__in=booked)
    pool = list(rows.select_related("enterprise", "body", "section").order_by("pk"))
    for visit, day in wanted:
        booking = next(
            (
                b
                for b in pool
                if b.pk not in booked
                and b.enterprise_id == visit.enterprise_id
                and b.date == day
                and b.activity == visit.activity
                and b.section_id == visit.section_id
            ),
            None,
        )
        if booking is None:
            continue
        booked.add(booking.pk)
        yield _Candidate([booking], [visit], run, remote=True)
