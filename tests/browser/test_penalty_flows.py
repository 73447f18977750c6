"""Penalty cases in a real browser: an officer opens a case from a finding on the inspection page
and reads the engine's suggestion; the legal office sends back a proposal outside the benchmark
tier; a case is carried to the decision and the 行政处罚决定书 downloads and opens."""

from __future__ import annotations

from playwright.sync_api import expect

from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.services.case_steps import case_submit_review
from anjian.registry.models import Enterprise
from tests.browser.test_inspection_flows import _docx_text
from tests.web.inspection_helpers import today
from tests.web.penalty_helpers import MONDAY, finding, open_case, propose


def test_an_officer_opens_a_case_from_a_finding_and_sees_the_suggestion(
    live_world, live_server, page_for
) -> None:
    hazard = finding(live_world)
    lead = hazard.task.officers.order_by("pk").first().user
    page = page_for(lead.username)
    page.goto(f"{live_server.url}/inspections/{hazard.task_id}/")
    page.get_by_test_id(f"open-case-{hazard.pk}").click()
    page.wait_for_url("**/enforcement/cases/new/?hazard=*")
    expect(page.get_by_test_id("case-party")).to_have_text(hazard.task.enterprise.name)
    page.get_by_label("违反的条款（法定处罚依据）").select_option("安全生产法|99|1")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_test_id("open-case").click()
    page.wait_for_url("**/enforcement/cases/*/")
    assert asked and hazard.task.enterprise.name in asked[0] and "立案" in asked[0]
    case = PenaltyCase.objects.get()
    assert case.number == f"文水应急立〔{today().year}〕1号"
    expect(page.get_by_test_id("case-state")).to_have_text("立案调查")
    expect(page.get_by_test_id("suggestion-tier")).to_contain_text("A：1处")
    expect(page.get_by_test_id("suggestion-amount")).to_contain_text("10000")
    expect(page.get_by_test_id("suggestion-disposition")).to_have_text("一般处罚")
    page.get_by_label("处数（人次、台套、项数）").fill("3")
    page.get_by_test_id("preview").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("suggestion")).to_have_attribute("data-kind", "preview")
    expect(page.get_by_test_id("suggestion-tier")).to_contain_text("C：3处")
    case.refresh_from_db()
    assert case.state == "filed"  # a preview saves nothing


def test_the_legal_office_sends_back_a_proposal_outside_the_tier(
    live_world, live_server, page_for
) -> None:
    case = propose(
        live_world,
        open_case(live_world, finding(live_world)),
        unit_fine=20000,
        deviation_reason="缺失区域大",
    )
    case_submit_review(actor=live_world.users["hazchem"], case=case, today=MONDAY)
    page = page_for("legal_office")
    page.on("dialog", lambda dialog: dialog.accept())  # each step asks first
    page.goto(f"{live_server.url}/enforcement/cases/reviews/")
    page.get_by_test_id("review-queue").get_by_text(case.number).click()
    page.wait_for_url(f"**/enforcement/cases/{case.pk}/")
    expect(page.get_by_test_id("outside-tier-badge")).to_be_visible()
    flag = page.get_by_test_id("review-flags").locator("[data-code=OUTSIDE_TIER]")
    expect(flag).to_contain_text("超出基准第（山西-99(1)）项阶次 A 的幅度（1万元）")
    page.get_by_test_id("step-reject_review").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("action-review")).to_contain_text("退回修改须写明审核意见")
    page.get_by_label("审核意见").fill("偏离理由不充分，请按阶次A拟定")
    page.get_by_test_id("step-reject_review").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("case-state")).to_have_text("已拟处罚意见")
    expect(page.get_by_test_id("reviews")).to_contain_text("偏离理由不充分")
    case.refresh_from_db()
    assert case.state == "proposed" and case.reviews.get().verdict == "rejected"


def test_a_case_is_decided_and_the_decision_downloads(live_world, live_server, page_for) -> None:
    case = propose(
        live_world, open_case(live_world, finding(live_world), filed_on=today()), today=today()
    )
    handler = page_for("hazchem")
    handler.on("dialog", lambda dialog: dialog.accept())  # each step asks first
    handler.goto(f"{live_server.url}/enforcement/cases/{case.pk}/")
    handler.get_by_test_id("step-notify").click()
    handler.wait_for_load_state()
    expect(handler.get_by_test_id("case-state")).to_have_text("已告知")
    handler.get_by_label("当事人明确放弃陈述申辩（和听证）").check()
    handler.get_by_test_id("step-record_defence").click()
    handler.wait_for_load_state()
    expect(handler.get_by_test_id("timeline")).to_contain_text("陈述申辩")

    head = page_for("bureau_head")
    asked: list[str] = []
    head.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    head.goto(f"{live_server.url}/enforcement/cases/{case.pk}/")
    expect(head.get_by_test_id("action-decide")).to_contain_text("对你单位处罚款人民币1万元")
    head.get_by_test_id("step-decide").click()
    head.wait_for_load_state()
    expect(head.get_by_test_id("case-state")).to_have_text("已作出决定")
    assert "作出决定" in asked[0] and "对你单位处罚款人民币1万元" in asked[0]
    with head.expect_download() as download:
        head.get_by_test_id("doc-decision").click()
    text = _docx_text(download.value)
    assert f"文水应急罚〔{today().year}〕1号" in text and "行政处罚决定书" in text
    assert case.enterprise.name in text and "罚款人民币1万元" in text
    assert "《中华人民共和国安全生产法》第九十九条第一项" in text and "六十日内" in text


def test_a_case_from_a_finding_is_prefilled_and_the_preview_agrees_with_the_save(
    live_world, live_server, page_for
) -> None:
    """Issue 20: the 立案 form starts from the provision, the party and the facts the records
    show (each with its source); the engine preview's legal-review flag is the saved case's;
    submitting for review asks first, and saying no changes nothing."""
    hazard = finding(live_world)
    enterprise = hazard.task.enterprise
    Enterprise.objects.filter(pk=enterprise.pk).update(legal_representative="王建国")
    lead = hazard.task.officers.order_by("pk").first().user
    page = page_for(lead.username)
    page.goto(f"{live_server.url}/inspections/{hazard.task_id}/")
    page.get_by_test_id(f"open-case-{hazard.pk}").click()
    page.wait_for_url("**/enforcement/cases/new/?hazard=*")
    expect(page.get_by_label("违反的条款（法定处罚依据）")).to_have_value("安全生产法|99|1")
    expect(page.get_by_test_id("prefill-provision")).to_contain_text("第三十五条")
    expect(page.get_by_test_id("prefill-party")).to_contain_text(enterprise.name)
    expect(page.get_by_test_id("prefill-party")).to_contain_text("王建国")
    expect(page.get_by_test_id("prefill-first_offense")).to_have_attribute("data-value", "yes")
    expect(page.get_by_label("初次违法")).to_be_checked()
    expect(page.get_by_test_id("prefill-corrected_in_time")).to_have_attribute(
        "data-value", "unknown"
    )
    page.get_by_label("案情疑难复杂").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("open-case").click()
    page.wait_for_url("**/enforcement/cases/*/")
    case = PenaltyCase.objects.get()
    assert case.facts["first_offense"] is True and case.complex_case

    # the prefilled proposal (the suggested 1万元) of a complex case: review, both ways
    expect(page.get_by_test_id("suggestion-procedure")).to_have_attribute(
        "data-legal-review", "yes"
    )
    page.get_by_test_id("preview").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("suggestion")).to_have_attribute("data-kind", "preview")
    shown = page.get_by_test_id("suggestion-procedure").get_attribute("data-legal-review")
    page.get_by_test_id("propose").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.state == "proposed"
    assert shown == ("yes" if case.review_required else "no") == "yes"
    expect(page.get_by_test_id("suggestion-procedure")).to_have_attribute(
        "data-legal-review", shown
    )

    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_test_id("step-submit_review").click()
    page.wait_for_timeout(300)
    assert asked and case.number in asked[0] and "提交法制审核" in asked[0]
    case.refresh_from_db()
    assert case.state == "proposed"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("step-submit_review").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("case-state")).to_have_text("法制审核中")
