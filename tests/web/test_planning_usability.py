"""Planning as a new user meets it (issue 20): every irreversible step asks first and says what
it will do with the real counts, only the owning role may take it (a section generates only its
own tasks from the approved month, the office the bureau's), the planner's reasons name the real
cause (the quiet period and its days), merged entries and remote visits are counted apart, the
approved month prints and exports, and the item picker lists only the items that apply."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from anjian.inspections.models import InspectionTask
from anjian.inspections.services.from_plan import plan_tasks_pending, tasks_from_plan
from anjian.planning.models import PlannedVisit, PlanRun
from anjian.planning.runs import plan_run_approve
from anjian.planning.services import planned_visit_submit, planning_month_close
from anjian.policy.selectors import published_item_list
from tests.web.policy_helpers import county_officers, quiet
from tests.web.test_planning_runs import _ready, _run
from tests.web.test_planning_submissions import (
    _coal_user,
    _month,
    _next_month,
    _publish,
    _request,
    _today,
)

pytestmark = pytest.mark.django_db


def _approved(world, capture, worker) -> PlanRun:  # type: ignore[no-untyped-def]
    run = _run(world, _ready(world), capture, worker)
    plan_run_approve(actor=world.users["office"], run=run)
    run.refresh_from_db()
    return run


def test_approval_confirms_with_the_real_count_and_counts_merging_apart_from_remote(
    world, client, login, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    run = _run(world, _ready(world), django_capture_on_commit_callbacks, run_task_worker)
    login(world.users["office"])
    page = client.get(f"/planning/runs/{run.pk}/")
    html = page.content.decode()
    counts = page.context["counts"]
    # two visits of one section merged into one entry: 2 bookings, 1 entry saved by merging
    assert (counts.entries, counts.on_site_visits, counts.remote) == (1, 2, 0)
    assert counts.bookings == 2 and counts.saved_by_merging == 1 and counts.joint_entries == 0
    assert "批准后将登记入企 2 项" in html and "data-confirm=" in html
    assert 'data-testid="metric-merged">1<' in html and 'data-testid="metric-remote">0<' in html
    assert 'data-testid="entry-joint"' not in html  # one section's visits: not a joint inspection


def test_only_the_office_approves_and_the_service_refuses_anyone_else(
    world, client, login, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    run = _run(world, _ready(world), django_capture_on_commit_callbacks, run_task_worker)
    login(world.users["hazchem"])
    assert client.post(f"/planning/runs/{run.pk}/approve/").status_code == 403
    with pytest.raises(PermissionDenied):
        plan_run_approve(actor=world.users["bureau_head"], run=run)
    run.refresh_from_db()
    assert run.status == "done"


def test_closing_early_says_how_early_and_what_was_submitted(world, client, login) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    planning_month = _month(world)
    planning_month.cutoff = _today() + timedelta(days=5)
    planning_month.save()
    planned_visit_submit(
        actor=world.users["hazchem"],
        planning_month=planning_month,
        request=_request(world),
        today=_today(),
    )
    login(world.users["office"])
    html = client.get(f"/planning/{planning_month.pk}/").content.decode()
    assert "还有 5 天" in html and "已报送 1 条，来自 1 个股室" in html
    assert "提前截止报送" in html
    login(world.users["hazchem"])
    assert client.post(f"/planning/{planning_month.pk}/close/").status_code == 403
    with pytest.raises(PermissionDenied):
        planning_month_close(actor=world.users["hazchem"], planning_month=planning_month)


def test_a_section_generates_only_its_own_tasks_the_office_the_bureaus(
    world, client, login, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    run = _approved(world, django_capture_on_commit_callbacks, run_task_worker)
    bodies = {world.county.pk}
    coal = _coal_user(world)
    assert plan_tasks_pending(actor=coal, body_ids=bodies) == 0
    login(coal)
    client.post("/inspections/from-plan/")
    assert not InspectionTask.objects.exists()  # nothing of the coal section's in this month
    with pytest.raises(PermissionDenied):
        tasks_from_plan(actor=world.users["legal_office"], body_ids=bodies)
    login(world.users["hazchem"])
    page = client.get(f"/planning/runs/{run.pk}/")
    assert page.status_code == 403  # a section reads its schedule, not the office's run page
    assert plan_tasks_pending(actor=world.users["hazchem"], body_ids=bodies) == 1
    assert 'data-testid="schedule-tasks"' in client.get("/planning/schedule/").content.decode()
    ask = client.get("/inspections/from-plan/")
    assert ask.context["count"] == 1 and not ask.context["whole_body"]
    assert "将为本股室生成 1 个检查任务" in ask.content.decode()
    assert not InspectionTask.objects.exists()  # asking generates nothing
    client.post("/inspections/from-plan/")
    task = InspectionTask.objects.get()
    assert task.section == world.sections["hazchem"] and task.requested_by.username == "hazchem"
    assert plan_tasks_pending(actor=world.users["office"], body_ids=bodies) == 0
    detail = client.get(f"/inspections/{task.pk}/").content.decode()
    assert (
        'data-testid="task-joint"' in detail
        and "联合检查" not in detail.split("task-joint")[1][:80]
    )


def test_the_office_sees_how_many_tasks_it_will_generate(
    world, client, login, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    run = _approved(world, django_capture_on_commit_callbacks, run_task_worker)
    login(world.users["office"])
    page = client.get(f"/planning/runs/{run.pk}/")
    assert page.context["may_generate"] and 'data-testid="run-tasks"' in page.content.decode()
    ask = client.get("/inspections/from-plan/")
    assert ask.context["count"] == 1 and ask.context["whole_body"]
    assert "将为全局（各股室）生成 1 个检查任务" in ask.content.decode()
    login(world.users["legal_office"])
    assert client.get("/inspections/from-plan/").status_code == 403


def test_a_window_inside_the_quiet_period_names_the_quiet_period(
    world, client, login, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    county_officers(world, n=4)
    planning_month = _month(world)
    first = _next_month()
    quiet(world, first, list(range(1, 21)))
    planned_visit_submit(
        actor=world.users["hazchem"],
        planning_month=planning_month,
        request=_request(world, earliest=first + timedelta(days=2), latest=first + timedelta(9)),
        today=_today(),
    )
    planning_month_close(actor=world.users["office"], planning_month=planning_month)
    run = _run(world, planning_month, django_capture_on_commit_callbacks, run_task_worker)
    assert run.status == "done", run.error
    assert [u["reason"] for u in run.unscheduled] == ["QUIET"]
    login(world.users["office"])
    html = client.get(f"/planning/runs/{run.pk}/").content.decode()
    assert 'data-reason="QUIET"' in html and "企业安静期（" in html
    assert f"{first.month}月1日至20日" in html and "时间窗内没有可用的工作日" not in html


def test_the_approved_month_prints_and_exports(
    world, client, login, django_capture_on_commit_callbacks, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
    run = _approved(world, django_capture_on_commit_callbacks, run_task_worker)
    login(world.users["office"])
    page = client.get(f"/planning/runs/{run.pk}/print/")
    html = page.content.decode()
    assert page.status_code == 200 and html.count('data-testid="print-row"') == 1
    assert world.enterprises["chem"].name in html and "planning/planning.css" in html
    response = client.get(f"/planning/runs/{run.pk}/schedule.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("日期", "星期", "企业名称") and len(rows) == 2
    entry = run.entries.get()
    assert rows[1][2] == world.enterprises["chem"].name and rows[1][5] == "否"
    assert rows[1][10] == entry.joint_key
    login(world.users["hazchem"])
    assert client.get(f"/planning/runs/{run.pk}/schedule.xlsx").status_code == 403


def test_the_item_picker_lists_only_the_items_that_apply(world, client, login) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    planning_month = _month(world)
    planning_month.cutoff = _today() + timedelta(days=5)
    planning_month.save()
    every = list(published_item_list(world.county).items.all())
    login(world.users["hazchem"])
    page = client.get(f"/planning/{planning_month.pk}/visits/new/")
    choices = page.context["form"].fields["item_codes"].choices
    chem = {i.code for i in every if "hazardous_chemicals" in i.sectors}
    assert {code for code, _label in choices} == chem and len(chem) < len(every)
    html = page.content.decode()
    assert "data-item-filter" in html and "planning/item_filter.js" in html
    picked = client.get(
        f"/planning/{planning_month.pk}/visits/new/?enterprise={world.enterprises['chem'].uscc}"
    )
    sector = world.enterprises["chem"].sector
    assert {c for c, _ in picked.context["form"].fields["item_codes"].choices} == {
        i.code for i in every if sector in i.sectors
    }
    assert not PlannedVisit.objects.exists()


def test_the_planning_pages_warn_of_a_year_the_holiday_calendar_does_not_know(
    world, client, login
) -> None:  # type: ignore[no-untyped-def]
    login(world.users["office"])
    html = client.get("/planning/").content.decode()
    next_year = _today().year + 1  # the test day is in November: next year is within the lead
    assert 'data-testid="calendar-warning"' in html and f"{next_year}" in html
    assert "录入节假日与调休" in html
