"""The planner in the app (issue 4, part 3): the office starts a run, the task worker computes it,
the result is shown, edited by hand under the rules, and approved into bookings — all or nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from anjian.audit.models import AuditEntry
from anjian.planning.models import PlanEntry, PlannedVisit, PlanRun
from anjian.planning.runs import (
    plan_entry_move,
    plan_entry_split,
    plan_run_approve,
    plan_run_request,
)
from anjian.planning.services import planned_visit_submit, planning_month_close
from anjian.policy.models import EntryBooking
from anjian.policy.services.booking import EntryRequest, entry_book
from anjian.policy.workdays import calendar_is_workday
from tests.web.policy_helpers import county_officers
from tests.web.test_planning_submissions import _month, _publish, _request, _today

pytestmark = pytest.mark.django_db


def _workday(first: date, skip: int = 0) -> date:
    days = [first + timedelta(days=n) for n in range(28)]
    return [d for d in days if calendar_is_workday(d)][skip]


def _ready(world, *, two=True):  # type: ignore[no-untyped-def]
    """A closed month with two hazchem visits to the same enterprise, overlapping windows."""
    _publish(world)
    county_officers(world, n=4, valid_until=date(2035, 1, 1))
    planning_month = _month(world)
    hazchem = world.users["hazchem"]
    planned_visit_submit(
        actor=hazchem, planning_month=planning_month, request=_request(world), today=_today()
    )
    if two:
        planned_visit_submit(
            actor=hazchem,
            planning_month=planning_month,
            request=_request(world, activity="assistance_guidance", item_codes=()),
            today=_today(),
        )
    planning_month_close(actor=world.users["office"], planning_month=planning_month)
    return planning_month


def _run(world, planning_month, django_capture_on_commit_callbacks, worker) -> PlanRun:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        run = plan_run_request(
            actor=world.users["office"], planning_month=planning_month, today=_today()
        )
    run.refresh_from_db()
    assert run.status == "queued" and run.task_id
    worker()
    run.refresh_from_db()
    return run


def test_the_worker_computes_a_run_that_merges_the_visits(
    world, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    planning_month = _ready(world)
    run = _run(world, planning_month, django_capture_on_commit_callbacks, run_task_worker)
    assert run.status == "done", run.error
    [entry] = run.entries.all()
    assert entry.visits.count() == 2 and "时间窗重叠" in entry.reasons[0]
    assert entry.officers.count() >= 2 and calendar_is_workday(entry.date)
    assert run.metrics["baseline_entries"] == 2 and run.metrics["lower_bound"] == 1
    assert AuditEntry.objects.filter(action="plan_run.done", target_id=str(run.pk)).exists()


def test_a_run_waits_for_the_cutoff_and_needs_visits(world) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    planning_month = _month(world)
    office = world.users["office"]
    with pytest.raises(ValidationError, match="截止"):
        plan_run_request(actor=office, planning_month=planning_month, today=_today())
    planning_month_close(actor=office, planning_month=planning_month)
    with pytest.raises(ValidationError, match="还没有报送"):
        plan_run_request(actor=office, planning_month=planning_month, today=_today())
    with pytest.raises(ValidationError, match="本局"):
        plan_run_request(
            actor=world.users["other_office"], planning_month=planning_month, today=_today()
        )
    assert PlanRun.objects.count() == 0


def test_a_failing_run_is_recorded_not_lost(
    world, django_capture_on_commit_callbacks, monkeypatch, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    planning_month = _ready(world)

    def broken(plan):  # type: ignore[no-untyped-def]
        raise RuntimeError("solver exploded")

    monkeypatch.setattr("anjian.planning.runs.make_plan", broken)
    run = _run(world, planning_month, django_capture_on_commit_callbacks, run_task_worker)
    assert run.status == "failed" and "solver exploded" in run.error
    assert AuditEntry.objects.filter(action="plan_run.fail").exists()
    assert not run.entries.exists()


def test_moving_an_entry_is_checked_and_restaffed(
    world, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    planning_month = _ready(world)
    run = _run(world, planning_month, django_capture_on_commit_callbacks, run_task_worker)
    entry = run.entries.get()
    office = world.users["office"]
    first = planning_month.month
    weekend = next(d for d in (first + timedelta(days=n) for n in range(7)) if d.weekday() == 6)
    with pytest.raises(ValidationError, match="工作日"):
        plan_entry_move(actor=office, entry=entry, day=weekend)
    with pytest.raises(ValidationError, match="时间窗"):
        plan_entry_move(actor=office, entry=entry, day=_workday(first, 0))  # before earliest
    target = _workday(first + timedelta(days=11), 1)  # after the default quiet days 1–10
    plan_entry_move(actor=office, entry=entry, day=target)
    entry.refresh_from_db()
    assert entry.date == target and entry.edited and entry.officers.count() >= 2
    assert AuditEntry.objects.filter(action="plan_entry.move").exists()


def test_splitting_a_visit_out_makes_its_own_entry(
    world, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    planning_month = _ready(world)
    run = _run(world, planning_month, django_capture_on_commit_callbacks, run_task_worker)
    entry = run.entries.get()
    guidance = entry.visits.get(activity="assistance_guidance")
    other_day = next(
        d
        for d in (_workday(planning_month.month + timedelta(days=11), n) for n in range(10))
        if d != entry.date
    )
    plan_entry_split(actor=world.users["office"], entry=entry, visit=guidance, day=other_day)
    assert run.entries.count() == 2
    entry.refresh_from_db()
    assert entry.reasons == [] and entry.visits.count() == 1
    with pytest.raises(ValidationError, match="多项计划"):
        plan_entry_split(
            actor=world.users["office"],
            entry=entry,
            visit=entry.visits.get(),
            day=other_day,
        )


def test_approval_books_every_entry_with_a_joint_key(
    world, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    planning_month = _ready(world)
    run = _run(world, planning_month, django_capture_on_commit_callbacks, run_task_worker)
    booked = plan_run_approve(actor=world.users["office"], run=run)
    run.refresh_from_db()
    assert booked == 2 and run.status == "approved" and run.approved_by == world.users["office"]
    keys = set(EntryBooking.objects.values_list("joint_key", flat=True))
    assert keys == {f"JH{run.pk}-{run.entries.get().pk}"}
    with pytest.raises(ValidationError, match="已批准"):
        plan_run_approve(actor=world.users["office"], run=run)
    with pytest.raises(ValidationError, match="已批准"):
        plan_run_request(actor=world.users["office"], planning_month=planning_month, today=_today())


def test_approval_is_all_or_nothing(
    world, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    planning_month = _ready(world, two=False)
    coal_visit = PlannedVisit.objects.get()
    run = _run(world, planning_month, django_capture_on_commit_callbacks, run_task_worker)
    entry = run.entries.get()
    # Between the run and the approval the officers' certificates lapse: the booking service
    # refuses the on-site entry, so nothing at all is booked.
    entry.officers.update(certificate_valid_until=date(2000, 1, 1))
    with pytest.raises(ValidationError) as raised:
        plan_run_approve(actor=world.users["office"], run=run)
    assert coal_visit.enterprise.name in raised.value.messages[0]
    assert EntryBooking.objects.count() == 0
    run.refresh_from_db()
    assert run.status == "done" and PlanEntry.objects.get().joint_key == ""


def test_the_pages_start_show_and_scope_a_run(
    world, client, login, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    planning_month = _ready(world)
    login(world.users["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/planning/{planning_month.pk}/run/")
    run = PlanRun.objects.get()
    assert response["Location"] == f"/planning/runs/{run.pk}/"
    waiting = client.get(f"/planning/runs/{run.pk}/").content.decode()
    assert 'http-equiv="refresh"' in waiting and "排队" in waiting
    run_task_worker()
    page = client.get(f"/planning/runs/{run.pk}/")
    html = page.content.decode()
    assert 'data-testid="plan-calendar"' in html and "时间窗重叠" in html
    assert 'http-equiv="refresh"' not in html and page.context["editable"]
    login(world.users["hazchem"])
    assert client.get(f"/planning/runs/{run.pk}/").status_code == 403
    login(world.users["other_office"])
    assert client.get(f"/planning/runs/{run.pk}/").status_code == 404
    login(world.users["bureau_head"])
    assert not client.get(f"/planning/runs/{run.pk}/").context["editable"]
    login(world.users["office"])
    client.post(f"/planning/runs/{run.pk}/approve/")
    login(world.users["hazchem"])
    schedule = client.get("/planning/schedule/")
    assert len(schedule.context["entries"]) == 1


def test_bad_edit_posts_get_messages_not_errors(
    world, client, login, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    planning_month = _ready(world)
    run = _run(world, planning_month, django_capture_on_commit_callbacks, run_task_worker)
    entry = run.entries.get()
    login(world.users["office"])
    for data in ({"date": "not-a-date"}, {"date": "2000-01-01"}):
        response = client.post(f"/planning/entries/{entry.pk}/move/", data, follow=True)
        assert response.status_code == 200
    response = client.post(f"/planning/entries/{entry.pk}/split/", {"visit": "x"}, follow=True)
    assert response.status_code == 200
    entry.refresh_from_db()
    assert not entry.edited


def test_a_move_is_rechecked_by_the_rule_engine(
    world, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    planning_month = _ready(world, two=False)
    run = _run(world, planning_month, django_capture_on_commit_callbacks, run_task_worker)
    entry = run.entries.get()
    chem = world.enterprises["chem"]
    officers = list(entry.officers.all())
    # Meanwhile the enterprise's cap is used up by entries booked outside the plan.
    day = date(planning_month.month.year, 1, 1)
    while True:
        day += timedelta(days=1)
        if not calendar_is_workday(day) or day.day <= 10:  # skip the default quiet days
            continue
        outcome = entry_book(
            actor=world.users["hazchem"],
            request=EntryRequest(
                enterprise=chem,
                date=day,
                activity="enforcement_inspection",
                mode="on_site",
                body=world.county,
                officers=officers,
            ),
        )
        if not outcome.booked:
            break
    target = next(
        d
        for d in (_workday(planning_month.month + timedelta(days=11), n) for n in range(10))
        if d != entry.date
    )
    with pytest.raises(ValidationError) as raised:
        plan_entry_move(actor=world.users["office"], entry=entry, day=target)
    assert any("执法检查" in m for m in raised.value.messages), raised.value.messages
    entry.refresh_from_db()
    assert not entry.edited


def test_working_days_follow_the_holiday_calendar_or_say_they_cannot() -> None:
    from anjian.planning.inputs import non_working_days
    from anjian.policy.workdays import calendar_covers, is_workday

    assert not is_workday(date(2026, 10, 1))  # National Day
    assert is_workday(date(2026, 9, 20)) == calendar_is_workday(date(2026, 9, 20))
    assert not calendar_covers(2099)
    # a year the package does not know: Monday to Friday less the fixed-date holidays
    assert not is_workday(date(2099, 10, 1)) and not is_workday(date(2099, 10, 2))  # Thu, Fri
    assert not is_workday(date(2099, 1, 1)) and not is_workday(date(2099, 5, 1))  # Thu, Fri
    assert is_workday(date(2099, 10, 5)) and not is_workday(date(2099, 10, 3))  # Mon; Sat
    off, note = non_working_days(date(2099, 10, 1))
    assert len(off) == 11 and note and "2099" in note  # 9 weekend days and 1–2 October
    assert "录入" in note
    assert non_working_days(date(2026, 10, 1))[1] is None


def test_the_run_banner_and_warnings_follow_the_readers_language(
    world, client, login, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """The progress and the run's warnings are kept as data and worded when shown: a run being
    solved reads "Solving" in English; a year the holiday calendar has since learned still gets
    its note that the run was computed without it."""
    planning_month = _ready(world)
    office = world.users["office"]
    login(office)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(f"/planning/{planning_month.pk}/run/")
    run = PlanRun.objects.get()
    PlanRun.objects.filter(pk=run.pk).update(
        status=PlanRun.Status.RUNNING, stage="求解中", warnings=[{"calendar_uncovered": 2025}]
    )
    html = client.get(f"/planning/runs/{run.pk}/").content.decode()
    assert "求解中（最长 30 秒）" in html
    assert "本次统筹计算时节假日数据未覆盖 2025 年" in html  # 2025 is known to the package now
    office.language = "en"
    office.save()
    html = client.get(f"/planning/runs/{run.pk}/").content.decode()
    assert "Solving (at most 30 s)" in html and "求解中" not in html
    assert "did not cover 2025" in html and "节假日" not in html
