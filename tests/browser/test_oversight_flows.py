"""Oversight's journeys in a real browser (issue 19): a contact point reports a problem and the
liaison follows it up to closure; a complaint's clock turns amber, then red, as the days pass; the
discipline group handles a clue the section cannot see; the office holds a meeting (agenda,
minutes, an action item) and downloads the 会议纪要; an anonymous visitor reads the published
decisions with the names of natural persons masked."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from anjian.documents.models import IssuedDocument
from anjian.oversight.matters.services import matter_register
from anjian.oversight.models import (
    ActionItem,
    FollowUp,
    Matter,
    Meeting,
    PointAttachment,
    PointReport,
    Publication,
)
from anjian.oversight.points.services import contact_points_designate
from anjian.policy.workdays import deadline_after
from tests.web.test_oversight_disclosure import ID_NUMBER, decided, published
from tests.web.test_oversight_points import PNG, mix_enterprises

TZ = ZoneInfo("Asia/Shanghai")


def _morning(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=TZ)


def _register(world, **data: object) -> Matter:  # type: ignore[no-untyped-def]
    base: dict[str, object] = {
        "body": world.county,
        "kind": "complaint",
        "source": "hotline",
        "route": "section",
        "section": world.sections["hazchem"],
        "enterprise": world.enterprises["chem"],
        "subject": "热线反映重复检查",
        "description": "同一周内两次检查同一事项",
        "anonymous": False,
        "complainant": "张三",
        "complainant_contact": "13900000000",
        "received_on": timezone.localdate(),
    }
    return matter_register(actor=world.users["office"], data={**base, **data})


def test_a_contact_point_reports_and_the_liaison_follows_up_to_closure(
    live_world, page_for, live_server
) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    contact_points_designate(
        actor=live_world.users["legal_office"],
        body=live_world.county,
        year=today.year,
        enterprises=mix_enterprises(live_world),
        liaison=live_world.users["legal_office"],
        note="",
    )
    works = page_for("enterprise")
    works.goto(f"{live_server.url}/oversight/points/portal/")
    works.get_by_test_id("report-link").click()
    works.get_by_label("反映类型").select_option("repeated")
    works.get_by_label("情况说明").fill("一周内两次检查同一事项")
    works.locator("#files").set_input_files(
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}]
    )
    works.get_by_test_id("report-form").get_by_role("button", name="提交").click()
    works.wait_for_url("**/oversight/points/portal/")
    expect(works.get_by_test_id("report-status")).to_have_text("待跟进")
    expect(works.get_by_test_id("my-reports")).to_contain_text("现场.png")
    report = PointReport.objects.get()
    assert (report.kind, report.status) == ("repeated", "open")
    assert PointAttachment.objects.get().report == report

    liaison = page_for("legal_office")
    liaison.goto(f"{live_server.url}/oversight/points/")
    liaison.get_by_test_id("point-row").filter(has_text="文水县宏达化工有限公司").get_by_role(
        "link", name="文水县宏达化工有限公司"
    ).click()
    expect(liaison.get_by_test_id("report-row")).to_contain_text("待跟进")
    liaison.get_by_text("记录跟进", exact=True).click()
    form = liaison.get_by_test_id("follow-up-form")
    form.get_by_label("方式").select_option("visit")
    form.get_by_label("日期").fill(today.isoformat())
    form.get_by_label("情况记录").fill("走访核实，确有重复检查")
    form.get_by_label("针对的反映").select_option(str(report.pk))
    form.get_by_role("button", name="保存").click()
    expect(liaison.get_by_test_id("follow-up-table")).to_contain_text("走访核实，确有重复检查")
    row = liaison.get_by_test_id("report-row")
    expect(row).to_contain_text("跟进中")
    row.get_by_label("办结说明").fill("已约谈相关执法人员并合并检查")
    liaison.once("dialog", lambda dialog: dialog.accept())  # closing asks first
    row.get_by_role("button", name="办结").click()
    expect(liaison.get_by_test_id("report-row")).to_contain_text(
        "已办结：已约谈相关执法人员并合并检查"
    )
    report.refresh_from_db()
    assert (report.status, report.closing_note) == ("closed", "已约谈相关执法人员并合并检查")
    assert FollowUp.objects.get().report == report

    works.reload()
    expect(works.get_by_test_id("report-status")).to_have_text("已办结")
    expect(works.get_by_test_id("my-reports")).to_contain_text("已约谈相关执法人员并合并检查")


def test_a_complaint_crosses_its_time_limit_and_turns_red(
    live_world, page_for, live_server
) -> None:  # type: ignore[no-untyped-def]
    page = page_for("office")
    page.goto(f"{live_server.url}/oversight/matters/")
    page.get_by_test_id("matter-new").click()
    form = page.get_by_test_id("matter-form")
    form.get_by_label("执法主体").select_option(str(live_world.county.pk))
    form.get_by_label("类别").select_option("complaint")
    form.get_by_label("来源").select_option("hotline")
    form.get_by_label("办理途径").select_option("section")
    form.get_by_label("责任股室").select_option(str(live_world.sections["hazchem"].pk))
    form.get_by_label("事由").fill("热线反映重复检查")
    form.locator("#id_description").fill("同一周内两次检查同一事项")
    form.locator("#id_complainant").fill("张三")
    form.get_by_label("收到日期").fill(timezone.localdate().isoformat())
    form.get_by_role("button", name="登记").click()
    page.wait_for_url("**/oversight/matters/*/")
    matter = Matter.objects.get()
    assert (matter.received_on, matter.status) == (timezone.localdate(), "received")
    expect(page.get_by_test_id("matter-clock")).to_have_attribute("data-colour", "green")

    # the last day to accept: amber; the next working day: red, one working day late
    with time_machine.travel(_morning(matter.accept_due), tick=True):
        page = page_for("hazchem")  # days later: the old session has expired
        page.goto(f"{live_server.url}/oversight/matters/")
        clock = page.get_by_test_id("matter-row").get_by_test_id("matter-clock")
        expect(clock).to_have_attribute("data-colour", "amber")
        expect(clock).to_have_text("受理剩 0 个工作日")
    with time_machine.travel(_morning(deadline_after(matter.accept_due, 1)), tick=True):
        page = page_for("hazchem")
        page.goto(f"{live_server.url}/oversight/matters/")
        page.locator("#f_clock").select_option("red")
        page.get_by_role("button", name="筛选").click()
        page.wait_for_url("**clock=red**")
        row = page.get_by_test_id("matter-row")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("热线反映重复检查")
        clock = row.get_by_test_id("matter-clock")
        expect(clock).to_have_attribute("data-colour", "red")
        expect(clock).to_have_text("受理超期 1 个工作日")


def test_the_discipline_group_handles_a_clue_the_section_cannot_see(
    live_world, page_for, live_server
) -> None:  # type: ignore[no-untyped-def]
    _register(live_world, subject="热线反映检查频次过高")
    clue = _register(
        live_world,
        kind="clue",
        route="discipline",
        section=None,
        subject="执法人员索要财物线索",
        description="检查时暗示企业购买指定设备",
    )
    section = page_for("hazchem")
    section.goto(f"{live_server.url}/oversight/matters/")
    expect(section.get_by_test_id("matter-row")).to_have_count(1)
    expect(section.get_by_test_id("matters")).not_to_contain_text("执法人员索要财物线索")
    response = section.goto(f"{live_server.url}/oversight/matters/{clue.pk}/")
    assert response is not None and response.status == 404
    expect(section.locator("body")).not_to_contain_text("执法人员索要财物线索")

    group = page_for("discipline")
    group.goto(f"{live_server.url}/oversight/matters/")
    group.get_by_role("link", name="执法人员索要财物线索").click()
    expect(group.get_by_test_id("complainant")).to_contain_text("张三")
    expect(group.get_by_test_id("matter-status")).to_have_text("待受理")
    group.get_by_test_id("matter-accept").click()
    expect(group.get_by_test_id("matter-status")).to_have_text("办理中")
    answer = group.get_by_test_id("matter-answer")
    answer.get_by_label("核查结果").fill("经核查属实，已移送处理")
    answer.get_by_label("答复内容").fill("您反映的问题经核查属实，已依纪依规处理")
    answer.get_by_role("button", name="答复").click()
    expect(group.get_by_test_id("matter-status")).to_have_text("已答复")
    close = group.get_by_test_id("matter-close")
    close.get_by_label("反映人评价").select_option("satisfied")
    group.once("dialog", lambda dialog: dialog.accept())  # closing asks first
    close.get_by_role("button", name="办结").click()
    expect(group.get_by_test_id("matter-status")).to_have_text("已办结")
    expect(group.get_by_test_id("matter-reply")).to_contain_text("已依纪依规处理")
    clue.refresh_from_db()
    assert (clue.status, clue.owner, clue.satisfaction) == (
        "closed",
        live_world.users["discipline"],
        "satisfied",
    )

    section.goto(f"{live_server.url}/oversight/matters/?status=closed")
    expect(section.get_by_test_id("matters")).not_to_contain_text("执法人员索要财物线索")


def test_a_meeting_with_agenda_minutes_and_an_action_item(
    live_world, page_for, live_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    _register(live_world, subject="热线反映多次上门检查")
    page = page_for("office")
    page.goto(f"{live_server.url}/oversight/meetings/")
    page.get_by_test_id("meeting-new").click()
    page.get_by_label("会议名称").fill("第1次会商研判会议")
    page.get_by_label("会议日期").fill(today.isoformat())
    page.get_by_label("地点").fill("局三楼会议室")
    page.get_by_test_id("meeting-save").click()
    page.wait_for_url("**/oversight/meetings/*/")
    meeting = Meeting.objects.get()
    page.get_by_test_id("agenda-assemble").click()
    agenda = page.get_by_test_id("agenda-row")
    expect(agenda).to_have_count(1)
    expect(agenda).to_contain_text("举报事项：热线反映多次上门检查（待受理）")

    agenda.get_by_role("link", name="举报事项：热线反映多次上门检查（待受理）").click()
    page.get_by_label("研究情况").fill("听取危化股汇报")
    page.get_by_label("议定意见").fill("限期核查并答复")
    page.get_by_test_id("minutes-save").click()
    page.locator("#id_text").fill("核查重复检查问题并答复反映人")
    page.get_by_label("责任人").select_option(str(live_world.users["hazchem"].pk))
    page.get_by_label("责任股室").select_option(str(live_world.sections["hazchem"].pk))
    page.get_by_label("完成期限").fill(deadline_after(today, 5).isoformat())
    page.get_by_test_id("action-save").click()
    expect(page.get_by_test_id("actions")).to_contain_text("核查重复检查问题并答复反映人")
    action = ActionItem.objects.get()
    assert (action.owner, action.due_on) == (live_world.users["hazchem"], deadline_after(today, 5))

    page.get_by_role("link", name="第1次会商研判会议").click()
    expect(page.get_by_test_id("agenda-row")).to_contain_text("限期核查并答复")
    page.on("dialog", lambda dialog: dialog.accept())  # holding and issuing ask first
    page.get_by_test_id("meeting-hold").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("已召开")
    page.get_by_test_id("minutes-issue").click()
    expect(page.get_by_test_id("minutes-versions")).to_contain_text("文水应急纪要")
    meeting.refresh_from_db()
    assert meeting.minutes_document is not None
    with page.expect_download() as download:
        page.get_by_test_id("minutes-docx").click()
    saved = tmp_path / "minutes.docx"
    download.value.save_as(saved)
    stored = IssuedDocument.objects.get(pk=meeting.minutes_document_id)
    assert saved.read_bytes() == bytes(stored.content)


def test_an_anonymous_visitor_reads_the_published_decisions_with_names_masked(
    live_world, browser, live_server
) -> None:  # type: ignore[no-untyped-def]
    publication = published(live_world, decided(live_world))
    assert Publication.objects.count() == 1
    context = browser.new_context(locale="zh-CN")  # no login
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/public/disclosure/")
        bodies = page.get_by_test_id("disclosure-bodies")
        bodies.get_by_role("listitem").filter(has_text="文水县应急管理局").get_by_role(
            "link", name="行政处罚决定"
        ).click()
        row = page.get_by_test_id("decision-row")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("文水县宏达化工有限公司")
        expect(row).to_contain_text("王*")
        row.get_by_role("link", name=publication.number).click()
        page.wait_for_url(f"**/public/disclosure/decisions/{publication.pk}/")
        text = page.locator("body").inner_text()
        assert "文水县宏达化工有限公司" in text and "王*" in text and "赵*" in text
        for secret in ("王五", "赵六", ID_NUMBER, "13912345678"):
            assert secret not in text
    finally:
        context.close()
