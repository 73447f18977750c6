"""The planning journey in a real browser: the office opens next month for submissions, a section
submits two planned visits, the office closes submissions and runs the planner (computed by the
task worker), sees the merged entry on the calendar and approves the month into bookings."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command

from anjian.planning.models import PlannedVisit, PlanningMonth, PlanRun
from anjian.planning.services import month_end
from anjian.policy.models import EntryBooking
from anjian.policy.selectors import items_for_enterprise
from anjian.policy.services.items import item_list_publish, item_list_start
from anjian.registry.services import officer_create
from tests.web.test_planning_submissions import _next_month, _today


def _setup(world) -> None:  # type: ignore[no-untyped-def]
    legal = world.users["legal_office"]
    draft = item_list_start(actor=legal, body=world.county, today=_today())
    item_list_publish(actor=legal, draft=draft, today=_today(), change_note="起步")
    for n in range(3):
        officer_create(
            actor=None,
            data={
                "name": f"危化{n}",
                "body": world.county,
                "section": world.sections["hazchem"],
                "certificate_no": f"C-2{n}",
                "certificate_valid_until": _today() + timedelta(days=3650),
            },
        )


def test_a_month_is_submitted_merged_and_approved(live_world, page_for, live_server) -> None:  # type: ignore[no-untyped-def]
    _setup(live_world)
    first = _next_month()
    office = page_for("office")
    office.goto(f"{live_server.url}/planning/")
    office.get_by_label("计划月份").fill(f"{first:%Y-%m}")
    office.get_by_label("报送截止日期").fill(_today().isoformat())
    office.get_by_test_id("month-open").click()
    month = PlanningMonth.objects.get()
    office.wait_for_url(f"**/planning/{month.pk}/")

    section = page_for("hazchem")
    chem = live_world.enterprises["chem"]
    code = items_for_enterprise(chem)[0].code
    for activity, with_item in (("enforcement_inspection", True), ("assistance_guidance", False)):
        section.goto(f"{live_server.url}/planning/{month.pk}/")
        section.get_by_test_id("visit-new").click()
        section.get_by_label("企业").select_option(str(chem.pk))
        section.get_by_label("入企活动").select_option(activity)
        if with_item:
            section.get_by_label("检查事项").select_option([code])
        section.get_by_label("最早日期").fill((first + timedelta(days=2)).isoformat())
        section.get_by_label("最晚日期").fill(month_end(first).isoformat())
        section.get_by_test_id("visit-submit").click()
        section.wait_for_url(f"**/planning/{month.pk}/")
    assert section.get_by_test_id("visit-row").count() == 2
    assert PlannedVisit.objects.count() == 2

    office.reload()
    office.get_by_test_id("month-close").click()
    office.get_by_test_id("run-start").click()
    office.wait_for_url("**/planning/runs/*/")
    assert "排队" in office.get_by_test_id("run-progress").inner_text()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    office.reload()
    assert office.get_by_test_id("run-status").inner_text() == "已完成"
    assert office.get_by_test_id("plan-entry").count() == 1
    assert "时间窗重叠" in office.get_by_test_id("plan-entries").inner_text()
    assert chem.name in office.get_by_test_id("plan-calendar").inner_text()
    office.get_by_test_id("run-approve").click()
    office.wait_for_url("**/planning/runs/*/")
    assert office.get_by_test_id("run-status").inner_text() == "已批准"
    assert PlanRun.objects.get().status == "approved"
    assert EntryBooking.objects.filter(joint_key__startswith="JH").count() == 2

    section.goto(f"{live_server.url}/planning/schedule/")
    assert chem.name in section.get_by_test_id("my-schedule").inner_text()
