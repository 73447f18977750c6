"""The planner run: requested by the office (a task is queued; the request never waits), executed
by the task worker, edited by hand (move an entry to another day, split a visit out; every edit is
re-checked by the independent validator), approved (every entry booked through the rules' booking
service, all or nothing)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.planning.model import Entry, Plan
from anjian.domain.planning.planner import make_plan
from anjian.domain.planning.staffing import staff_day
from anjian.domain.planning.validate import plan_violations
from anjian.planning.inputs import PlannerInput, planner_input
from anjian.planning.models import PlanEntry, PlannedVisit, PlanningMonth, PlanRun
from anjian.planning.services import accepting, require_office
from anjian.policy.selectors import NoRuleSetInForce, ruleset_in_force
from anjian.policy.services.booking import EntryRequest, entry_book, entry_check


def plan_run_request(*, actor: User, planning_month: PlanningMonth, today: date) -> PlanRun:
    from anjian.planning.tasks import run_planner

    require_office(actor, planning_month)
    if accepting(planning_month, today):
        raise ValidationError(
            f"各股室报送截止于 {planning_month.cutoff}：请待截止后统筹，或先“截止报送”"
        )
    if not planning_month.visits.exists():
        raise ValidationError("本月还没有报送的计划，无需统筹")
    if planning_month.runs.filter(status=PlanRun.Status.APPROVED).exists():
        raise ValidationError("本月统筹结果已批准，不能再次统筹")
    if planning_month.runs.filter(status__in=["queued", "running"]).exists():
        raise ValidationError("统筹正在进行中，请稍候")
    try:
        ruleset_in_force(planning_month.month)
    except NoRuleSetInForce as exc:
        raise ValidationError(
            f"没有适用于 {planning_month.month:%Y年%m月} 的入企规则集：{exc}"
        ) from exc
    with transaction.atomic():
        run = PlanRun.objects.create(
            planning_month=planning_month, requested_by=actor, stage=gettext_noop("排队等待")
        )
        audit_record(actor=actor, action="plan_run.request", target=run)
        transaction.on_commit(lambda: _enqueue(run.pk, run_planner))
    return run


def _enqueue(run_pk: int, task) -> None:  # type: ignore[no-untyped-def]
    result = task.enqueue(run_pk)
    PlanRun.objects.filter(pk=run_pk).update(task_id=str(result.id))


def _stage(run: PlanRun, stage: str, **fields: object) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    run.stage = stage
    run.save(update_fields=["stage", *fields])


def plan_run_execute(run_pk: int) -> None:
    """What the task worker runs (for the office member who asked; the audit trail names no actor,
    the worker being the system). A failure is recorded on the run, then raised again so that the
    task queue marks the task failed too."""
    run = PlanRun.objects.select_related("planning_month").get(pk=run_pk)
    if run.status != PlanRun.Status.QUEUED:
        return
    _stage(
        run,
        gettext_noop("读取计划、频次、人员和日历"),
        status=PlanRun.Status.RUNNING,
        started_at=timezone.now(),
    )
    try:
        source = planner_input(run.planning_month, seed=run.pk, today=timezone.localdate())
        _stage(run, gettext_noop("求解中"))
        plan = make_plan(source.plan)
        problems = plan_violations(source.plan, plan)
        if problems:  # never store a plan that breaks a rule
            raise RuntimeError("；".join(problems[:5]))
        _save(run, source, plan)
    except Exception as exc:  # recorded for the office; the worker goes on
        with transaction.atomic():
            PlanRun.objects.filter(pk=run.pk).update(
                status=PlanRun.Status.FAILED,
                stage=gettext_noop("失败"),
                error=str(exc)[:2000],
                finished_at=timezone.now(),
            )
            audit_record(
                actor=None,
                action="plan_run.fail",
                target=run,
                changes={"status": {"before": "running", "after": "failed"}},
            )
        raise


def _save(run: PlanRun, source: PlannerInput, plan: Plan) -> None:
    with transaction.atomic():
        run.planning_month.runs.filter(status=PlanRun.Status.DONE).exclude(pk=run.pk).update(
            status=PlanRun.Status.SUPERSEDED
        )
        for entry in plan.entries:
            row = PlanEntry.objects.create(
                run=run,
                enterprise=source.enterprises[entry.enterprise],
                date=entry.date,
                reasons=merge_reason([source.visits[v] for v in entry.visits]),
            )
            row.visits.set([source.visits[v] for v in entry.visits])
            row.officers.set([source.officers[o] for o in entry.officers])
        data = plan.as_dict()
        run.metrics = data["metrics"]
        run.remote = data["remote"]
        run.unscheduled = data["unscheduled"]
        run.warnings = source.warnings
        run.status = PlanRun.Status.DONE
        run.stage = gettext_noop("完成")
        run.finished_at = timezone.now()
        run.save()
        audit_record(
            actor=None,
            action="plan_run.done",
            target=run,
            changes={"entries": {"before": None, "after": len(plan.entries)}},
        )


def merge_reason(visits: list[PlannedVisit]) -> list[str]:
    """Why these visits share one entry, in the words of the page."""
    if len(visits) < 2:
        return []
    windows = "、".join(
        f"{v.section.name}{v.get_activity_display()} {v.earliest:%m-%d}至{v.latest:%m-%d}"
        for v in visits
    )
    return [f"同一企业（{visits[0].enterprise.name}），时间窗重叠（{windows}），合并为一次入企"]


# ---- hand edits ----------------------------------------------------------------------------


def _editable(actor: User, run: PlanRun) -> None:
    require_office(actor, run.planning_month)
    if run.status != PlanRun.Status.DONE:
        raise ValidationError(f"该统筹结果{run.get_status_display()}，不能再调整")


def _as_plan(run: PlanRun) -> Plan:
    entries = [
        Entry(
            f"J{row.pk}",
            str(row.enterprise_id),
            row.date,
            tuple(str(v.pk) for v in row.visits.all()),
            tuple(str(o.pk) for o in row.officers.all()),
        )
        for row in run.entries.prefetch_related("visits", "officers")
    ]
    return Plan(
        status="EDITED",
        entries=entries,
        remote=[(r["visit"], date.fromisoformat(r["date"])) for r in run.remote],
        unscheduled=[(u["visit"], u["reason"]) for u in run.unscheduled],
    )


def _day_errors(source: PlannerInput, visits: list[PlannedVisit], day: date) -> list[str]:
    plan = source.plan
    errors = []
    if day in plan.non_working_days or (plan.year, plan.month) != (day.year, day.month):
        errors.append(f"{day} 不是本月的工作日")
    elif plan.first_day is not None and day < plan.first_day:
        errors.append(f"{day} 已经过去（最早可安排到 {plan.first_day}）")
    for visit in visits:
        label = f"{visit.section.name}的{visit.get_activity_display()}"
        if not visit.earliest <= day <= visit.latest:
            errors.append(f"{label}时间窗为 {visit.earliest} 至 {visit.latest}，不含 {day}")
        if day in plan.quiet_days and visit.activity not in plan.quiet_exempt:
            errors.append(f"{day} 是企业安静期，{label}不能安排（须走安静期例外审批）")
    return errors


def _restaff(run: PlanRun, source: PlannerInput, row: PlanEntry) -> None:
    """A team for the entry on its (new) day from the officers not already out that day."""
    others = run.entries.exclude(pk=row.pk).prefetch_related("officers")
    load: defaultdict[str, int] = defaultdict(int)  # entries per officer this month, to balance
    taken = set()
    for other in others:
        for officer in other.officers.all():
            load[str(officer.pk)] += 1
            if other.date == row.date:
                taken.add(str(officer.pk))
    free = tuple(o for o in source.plan.officers if o.id not in taken)
    sections = sorted({str(v.section_id) for v in row.visits.all()})
    teams, failed = staff_day(row.date, [("x", sections)], free, load)
    if failed:
        raise ValidationError(f"{row.date} 没有足够的执法人员（须每个股室各一人、至少两人）")
    row.officers.set([source.officers[o] for o in teams["x"]])


def _check_and_keep(run: PlanRun, source: PlannerInput, changed: list[PlanEntry]) -> None:
    """The rule engine (the same check every booking passes) on each visit of the changed
    entries, then the planner's validator on the whole month as a backstop; either refuses."""
    refusals = []
    for row in changed:
        officers = list(row.officers.all())
        for visit in row.visits.select_related("section", "enterprise"):
            outcome = entry_check(
                EntryRequest(
                    enterprise=visit.enterprise,
                    date=row.date,
                    activity=visit.activity,
                    mode="on_site",
                    body=run.planning_month.body,
                    officers=officers,
                    section=visit.section,
                )
            )
            refusals += [
                f"{visit.section.name}{visit.get_activity_display()}：{reason.message}"
                for reason in outcome.verdict.reasons
                if reason.severity == "block"
            ]
    if refusals:
        raise ValidationError(refusals)
    problems = plan_violations(source.plan, _as_plan(run))
    if problems:
        raise ValidationError([f"调整后的安排不符合规则：{p}" for p in problems[:5]])


def plan_entry_move(*, actor: User, entry: PlanEntry, day: date) -> PlanEntry:
    run = entry.run
    _editable(actor, run)
    source = planner_input(run.planning_month, seed=run.pk, today=timezone.localdate())
    visits = list(entry.visits.select_related("section"))
    errors = _day_errors(source, visits, day)
    if run.entries.filter(enterprise=entry.enterprise, date=day).exclude(pk=entry.pk).exists():
        errors.append(f"该企业 {day} 已有一次入企，请把计划并入那一次")
    if errors:
        raise ValidationError(errors)
    before = entry.date
    with transaction.atomic():
        entry.date, entry.edited = day, True
        entry.save(update_fields=["date", "edited"])
        _restaff(run, source, entry)
        _check_and_keep(run, source, [entry])
        audit_record(
            actor=actor,
            action="plan_entry.move",
            target=entry,
            changes={"date": {"before": before.isoformat(), "after": day.isoformat()}},
        )
    return entry


def plan_entry_split(*, actor: User, entry: PlanEntry, visit: PlannedVisit, day: date) -> PlanEntry:
    """Takes one visit out of a merged entry into an entry of its own on `day`."""
    run = entry.run
    _editable(actor, run)
    visits = list(entry.visits.select_related("section"))
    if visit not in visits or len(visits) < 2:
        raise ValidationError("只能从合并了多项计划的入企中拆出其中一项")
    source = planner_input(run.planning_month, seed=run.pk, today=timezone.localdate())
    errors = _day_errors(source, [visit], day)
    if run.entries.filter(enterprise=entry.enterprise, date=day).exists():
        errors.append(f"该企业 {day} 已有一次入企，拆出后不能再排在同一天")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry.visits.remove(visit)
        entry.reasons = merge_reason([v for v in visits if v != visit])
        entry.edited = True
        entry.save(update_fields=["reasons", "edited"])
        _restaff(run, source, entry)
        new = PlanEntry.objects.create(run=run, enterprise=entry.enterprise, date=day, edited=True)
        new.visits.set([visit])
        _restaff(run, source, new)
        _check_and_keep(run, source, [new])
        audit_record(
            actor=actor,
            action="plan_entry.split",
            target=new,
            changes={"visit": {"before": entry.date.isoformat(), "after": day.isoformat()}},
        )
    return new


# ---- approval ------------------------------------------------------------------------------


def plan_run_approve(*, actor: User, run: PlanRun) -> int:
    """Books every entry (one joint key per entry) and every remote visit through the booking
    service. All or nothing: one refusal books none and names every refusal."""
    _editable(actor, run)
    body = run.planning_month.body
    refusals: list[str] = []
    booked = 0
    with transaction.atomic():
        for row in run.entries.select_related("enterprise").prefetch_related("visits", "officers"):
            row.joint_key = f"JH{run.pk}-{row.pk}"
            row.save(update_fields=["joint_key"])
            for visit in row.visits.all():
                booked += _book(actor, refusals, visit, row.date, "on_site", body, row)
        visits = PlannedVisit.objects.in_bulk([int(r["visit"]) for r in run.remote])
        for remote in run.remote:
            visit = visits[int(remote["visit"])]
            day = date.fromisoformat(remote["date"])
            booked += _book(actor, refusals, visit, day, "remote", body, None)
        if refusals:
            transaction.set_rollback(True)
        else:
            run.status = PlanRun.Status.APPROVED
            run.approved_by, run.approved_at = actor, timezone.now()
            run.save(update_fields=["status", "approved_by", "approved_at"])
            audit_record(
                actor=actor,
                action="plan_run.approve",
                target=run,
                changes={"bookings": {"before": 0, "after": booked}},
            )
    if refusals:
        raise ValidationError(refusals)
    return booked


def _book(actor, refusals, visit, day, mode, body, row) -> int:  # type: ignore[no-untyped-def]
    request = EntryRequest(
        enterprise=visit.enterprise,
        date=day,
        activity=visit.activity,
        mode=mode,
        body=body,
        officers=list(row.officers.all()) if row else [],
        section=visit.section,
        joint_key=row.joint_key if row else "",
        ground=visit.note or f"{visit.planning_month}（统筹批准）",
    )
    label = f"{visit.enterprise.name} {day} {visit.get_activity_display()}"
    try:
        outcome = entry_book(actor=actor, request=request)
    except ValidationError as error:
        refusals.extend(f"{label}：{m}" for m in error.messages)
        return 0
    if not outcome.booked:
        blocking = [r.message for r in outcome.verdict.reasons if r.severity == "block"]
        refusals.append(f"{label}：{'；'.join(blocking + outcome.errors) or '未通过入企核验'}")
        return 0
    return 1
