"""The planning journey in a real browser: the office opens next month for submissions, a section
submits two planned visits, the office closes submissions and runs the planner (computed by the
task worker), sees the merged entry on the calendar and approves the month into bookings."""

from __future__ import annotations

from datetime import timedelta

from docx import Document

from anjian.planning.models import AnnualPlan, PlannedVisit, PlanningMonth, PlanRun
from anjian.planning.services import month_end
from anjian.policy.models import EntryBooking
from anjian.policy.selectors import items_for_enterprise
from anjian.policy.services.items import item_list_publish, item_list_start
from tests.web.policy_helpers import county_officers
from tests.web.test_planning_submissions import _next_month, _today


def _setup(world) -> None:  # type: ignore[no-untyped-def]
    legal = world.users["legal_office"]
    draft = item_list_start(actor=legal, body=world.county, today=_today())
    item_list_publish(actor=legal, draft=draft, today=_today(), change_note="起步")
    county_officers(world, n=4, valid_until=_today() + timedelta(days=3650))


def test_a_month_is_submitted_merged_and_approved(
    live_world, page_for, live_server, run_task_worker
) -> None:  # type: ignore[no-untyped-def]
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
        section.get_by_label("企业").fill(chem.uscc)  # a code typed by hand is enough
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
    office.on("dialog", lambda dialog: dialog.accept())  # closing and planning ask first
    office.get_by_test_id("month-close").click()
    office.get_by_test_id("run-start").click()
    office.wait_for_url("**/planning/runs/*/")
    assert "排队" in office.get_by_test_id("run-progress").inner_text()
    run_task_worker()
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


def test_the_head_approves_the_annual_plan_and_downloads_the_word_file(
    live_world, page_for, live_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    office = page_for("office")
    office.on("dialog", lambda dialog: dialog.accept())  # each step asks first
    office.goto(f"{live_server.url}/planning/annual/")
    office.get_by_label("年度").fill(str(_today().year))
    office.get_by_test_id("annual-generate").click()
    office.wait_for_url("**/planning/annual/*/")
    assert office.get_by_test_id("annual-status").inner_text() == "草稿"
    assert "文水县宏达化工有限公司" in office.get_by_test_id("annual-lines").inner_text()
    office.get_by_test_id("annual-submit").click()
    office.get_by_test_id("annual-office_pass").click()
    assert office.get_by_test_id("annual-status").inner_text() == "局领导审定"

    head = page_for("bureau_head")
    head.on("dialog", lambda dialog: dialog.accept())
    plan = AnnualPlan.objects.get()
    head.goto(f"{live_server.url}/planning/annual/{plan.pk}/")
    head.get_by_test_id("annual-head_approve").click()
    assert head.get_by_test_id("annual-status").inner_text() == "已报县政府"
    with head.expect_download() as download_info:
        head.get_by_test_id("annual-docx").click()
    saved = tmp_path / "plan.docx"
    download_info.value.save_as(saved)
    text = "\n".join(p.text for p in Document(str(saved)).paragraphs)
    assert "年度监督检查计划的请示" in text and "文水县人民政府" in text

    office.reload()
    office.get_by_label("县政府批准文号").fill("文政函〔2026〕8号")
    office.get_by_label("批准日期").fill(_today().isoformat())
    office.get_by_test_id("annual-record_approval").click()
    assert office.get_by_test_id("annual-status").inner_text() == "县政府已批准"


def _done_run(world, capture, worker) -> PlanRun:  # type: ignore[no-untyped-def]
    from tests.web.test_planning_runs import _ready, _run

    return _run(world, _ready(world), capture, worker)


def test_the_month_approval_asks_first_with_the_count(
    live_world, page_for, live_server, run_task_worker, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    run = _done_run(live_world, django_capture_on_commit_callbacks, run_task_worker)
    office = page_for("office")
    office.goto(f"{live_server.url}/planning/runs/{run.pk}/")
    seen: list[str] = []

    def dismiss(dialog) -> None:  # type: ignore[no-untyped-def]
        seen.append(dialog.message)
        dialog.dismiss()

    office.once("dialog", dismiss)
    office.get_by_test_id("run-approve").click()
    office.wait_for_timeout(300)
    assert seen and "登记入企 2 项" in seen[0] and "现场入企 1 次" in seen[0]
    run.refresh_from_db()
    assert run.status == "done" and not EntryBooking.objects.exists()  # cancel: nothing approved

    office.once("dialog", lambda dialog: dialog.accept())
    office.get_by_test_id("run-approve").click()
    office.wait_for_url("**/planning/runs/*/")
    office.get_by_test_id("run-status").filter(has_text="已批准").wait_for()
    run.refresh_from_db()
    assert run.status == "approved" and EntryBooking.objects.count() == 2


def test_the_result_calendar_fits_a_1366_screen_with_the_weekend(
    live_world, page_for, live_server, run_task_worker, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    run = _done_run(live_world, django_capture_on_commit_callbacks, run_task_worker)
    entry = run.entries.get()
    chem = entry.enterprise
    chem.name = "山西省文水县某某精细化工科技股份有限公司第二分厂（危险化学品生产储存）"
    chem.save(update_fields=["name"])
    office = page_for("office")
    office.set_viewport_size({"width": 1366, "height": 768})
    office.goto(f"{live_server.url}/planning/runs/{run.pk}/")
    calendar = office.get_by_test_id("plan-calendar")
    calendar.scroll_into_view_if_needed()
    width = office.evaluate("document.documentElement.clientWidth")
    assert office.evaluate("document.documentElement.scrollWidth") <= width
    for name in ("周六", "周日"):
        header = calendar.locator("th", has_text=name)
        box = header.bounding_box()
        assert box is not None and box["width"] > 40, name
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box, width)
        wrap = office.get_by_test_id("plan-calendar").locator("xpath=..").bounding_box()
        assert wrap is not None and box["x"] + box["width"] <= wrap["x"] + wrap["width"] + 1
    # the long name is cut inside its day, not widening the table
    table = calendar.bounding_box()
    assert table is not None and table["x"] + table["width"] <= width
    office.screenshot(path="/tmp/planning-1366.png", full_page=False)
