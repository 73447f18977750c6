"""Inspections in a real browser: an officer on a phone checks in with the task's code and
records findings; the enterprise verifies the code without logging in and a forged code is
rejected; the enterprise reports a fix with a photo and the officer closes the item on review;
the Word documents download and open."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from anjian.inspections.codes import entry_code, printed_short_code, qr_png
from anjian.inspections.models import Hazard, InspectionTask
from anjian.inspections.services.records import FindingRequest, add_finding, issue_order
from anjian.inspections.services.tasks import request_task
from anjian.inspections.services.visits import check_in
from tests.conftest import PASSWORD
from tests.web.inspection_helpers import approved_task, field_team, task_request, today

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _phone_login(browser, live_server, username: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", **PHONE)
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": 37.4301, "longitude": 112.0302, "accuracy": 20})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def _docx_text(download) -> str:  # type: ignore[no-untyped-def]
    document = Document(download.path())
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_officer_checks_in_on_a_phone_and_records_findings(
    live_world, browser, live_server, tmp_path: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    team = field_team(live_world)
    task = approved_task(live_world, team)
    context, page = _phone_login(browser, live_server, team.lead.username)
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    try:
        page.goto(f"{live_server.url}/inspections/checkin/")
        page.get_by_test_id("today-tasks").get_by_text(task.enterprise.name).click()
        page.wait_for_url(f"**/inspections/{task.pk}/")
        assert page.get_by_test_id("qr").locator("svg").count() == 1
        # the phone's screen holds the page without sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= 400
        page.get_by_test_id("checkin").click()
        page.wait_for_url(f"**/inspections/{task.pk}/")
        assert page.get_by_test_id("task-status").inner_text() == "检查中"
        task.refresh_from_db()
        assert task.checked_in_at is not None

        items = list(task.items.order_by("code"))
        page.get_by_test_id(f"save-{items[0].code}").click()
        # saved through the JSON API: the badge changes without leaving the page
        expect(page.get_by_test_id(f"result-{items[0].code}")).to_have_text("已检查，未发现问题")
        assert page.url.endswith(f"/inspections/{task.pk}/")
        page.get_by_test_id(f"finding-{items[1].code}").click()
        page.get_by_label("问题描述").fill("储罐区防火堤有裂缝，未及时修补")
        page.get_by_label("部位").fill("甲类储罐区")
        photo = tmp_path / "photo.png"
        photo.write_bytes(qr_png("现场照片"))
        page.get_by_label("照片或文件").set_input_files(str(photo))
        page.get_by_test_id("save-finding").click()
        page.wait_for_url(f"**/inspections/{task.pk}/")
        hazard = Hazard.objects.get(task=task)
        assert hazard.evidence.count() == 1
        for item in items[2:]:
            row = page.locator(f"#item-{item.pk}")
            row.get_by_label("检查结果").select_option("not_applicable")
            row.get_by_test_id(f"save-{item.code}").click()
            expect(page.get_by_test_id(f"result-{item.code}")).to_have_text("不适用")
        page.get_by_test_id("issue-order").click()
        page.wait_for_load_state()
        page.get_by_placeholder("被检查单位负责人姓名").fill("刘厂长")
        page.get_by_test_id("confirm").click()
        page.wait_for_load_state()
        page.get_by_test_id("finish").click()
        page.wait_for_load_state()
        assert page.get_by_test_id("task-status").inner_text() == "已完成"
        # the numbered order and the numbered record were each confirmed first
        assert [m[:4] for m in asked] == ["下达责令", "完成检查"]

        with page.expect_download() as record:
            page.get_by_test_id("doc-record").click()
        text = _docx_text(record.value)
        assert task.enterprise.name in text and "防火堤" in text
        with page.expect_download() as order:
            page.get_by_test_id("doc-order").click()
        hazard.refresh_from_db()
        assert f"{hazard.deadline.year}年" in _docx_text(order.value)
    finally:
        context.close()


def test_enterprise_verifies_a_code_without_logging_in_and_a_forged_code_fails(
    live_world, browser, live_server
) -> None:  # type: ignore[no-untyped-def]
    team = field_team(live_world)
    task = approved_task(live_world, team)
    code = entry_code(task)
    context = browser.new_context(locale="zh-CN", **PHONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/inspections/verify/{code}/")
        assert page.get_by_test_id("verify-state").get_attribute("data-state") == "valid"
        assert (
            team.officers[0].certificate_no in page.get_by_test_id("verify-officers").inner_text()
        )
        assert page.get_by_test_id("verify-items").locator("li").count() == task.items.count()
        forged = code[:-4] + ("AAAA" if not code.endswith("AAAA") else "BBBB")
        page.goto(f"{live_server.url}/inspections/verify/{forged}/")
        assert page.get_by_test_id("verify-state").get_attribute("data-state") == "forged"
        assert "伪造" in page.get_by_test_id("verify-state").inner_text()
        # typing a code on the public form works too
        page.goto(f"{live_server.url}/inspections/verify/")
        page.get_by_label("请输入通知书上的8位核验码，或粘贴检查码").fill(code)
        page.get_by_role("button", name="核验").click()
        assert page.get_by_test_id("verify-state").get_attribute("data-state") == "valid"
        # and so does the short code printed beside the QR on the notice
        page.goto(f"{live_server.url}/inspections/verify/")
        page.get_by_label("请输入通知书上的8位核验码，或粘贴检查码").fill(printed_short_code(task))
        page.get_by_role("button", name="核验").click()
        assert page.get_by_test_id("verify-state").get_attribute("data-state") == "valid"
    finally:
        context.close()
    assert InspectionTask.objects.get().date == timezone.localdate()


def test_enterprise_reports_a_fix_and_the_officer_closes_it(
    live_world, browser, live_server, page_for, tmp_path: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    team = field_team(live_world)
    task = check_in(
        actor=team.lead, code=entry_code(approved_task(live_world, team)), today=today()
    )
    hazard = add_finding(
        actor=team.lead,
        task=task,
        request=FindingRequest("静电接地线断开", "general", item_id=task.items.first().pk),
        today=today(),
    )
    issue_order(actor=team.lead, task=task, hazard_ids=[hazard.pk], working_days=5, today=today())

    context, phone = _phone_login(browser, live_server, "enterprise")
    try:
        phone.goto(f"{live_server.url}/inspections/portal/hazards/")
        form = phone.get_by_test_id(f"report-form-{hazard.pk}")
        form.get_by_label("整改情况").fill("已重新连接接地线并检测合格")
        photo = tmp_path / "fixed.png"
        photo.write_bytes(qr_png("整改后"))
        form.get_by_label("整改后的照片或证明材料").set_input_files(str(photo))
        phone.get_by_test_id(f"report-{hazard.pk}").click()
        phone.wait_for_load_state()
        hazard.refresh_from_db()
        assert hazard.status == "reported" and hazard.reports.get().evidence.count() == 1
    finally:
        context.close()

    officer = page_for(team.lead.username)
    officer.on("dialog", lambda dialog: dialog.accept())  # issuing the numbered opinion asks first
    officer.goto(f"{live_server.url}/inspections/hazards/?view=reported")
    officer.get_by_test_id("hazard-table").get_by_role("link", name="复查").click()
    officer.get_by_test_id("decision-1").select_option("closed")
    officer.get_by_label("复查方式").select_option("remote")
    officer.get_by_test_id("save-review").click()
    officer.wait_for_url(f"**/inspections/{task.pk}/")
    hazard.refresh_from_db()
    assert hazard.status == "closed"
    with officer.expect_download() as review:
        officer.get_by_test_id("doc-review").click()
    text = _docx_text(review.value)
    assert "整改复查意见书" in text and "静电接地线断开" in text


def test_bulk_approval_asks_first_and_dismissing_approves_nothing(
    live_world, browser, live_server, page_for
) -> None:  # type: ignore[no-untyped-def]
    team = field_team(live_world)
    section = live_world.users["hazchem"]
    tasks = [
        request_task(
            actor=section,
            request=task_request(live_world, team, today(), ground=f"举报件 JB-2026-00{n}"),
            today=today(),
        )
        for n in (1, 2)
    ]
    head = page_for("bureau_head")
    head.goto(f"{live_server.url}/inspections/approvals/")
    button = head.get_by_test_id("approve-selected")
    head.get_by_label("全选").check()
    expect(button).to_have_text("批准所选 2 项任务")
    asked: list[str] = []

    def dismiss(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.dismiss()

    head.once("dialog", dismiss)
    button.click()
    assert asked and asked[0].startswith("批准 2 项检查任务？")
    assert "登记入企" in asked[0]
    assert {t.status for t in InspectionTask.objects.filter(pk__in=[t.pk for t in tasks])} == {
        "pending"
    }
    head.once("dialog", lambda dialog: dialog.accept())
    button.click()
    head.wait_for_load_state()
    expect(head.get_by_test_id("approval-table")).to_contain_text("没有待审批的检查任务")
    assert {t.status for t in InspectionTask.objects.filter(pk__in=[t.pk for t in tasks])} == {
        "approved"
    }
