"""A training institution's suspension in a real browser (desktop): the HR & finance section
opens an institution, records a spot check that finds problems during a class and issues the
notice (暂停培训业务告知书); the institution's own login signs for it and states its case in its
portal; the section answers the statement in its decision and sees the status 暂停中; the
institution's own login is then refused a new class."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from playwright.sync_api import expect

from anjian.policy.views.common import today
from anjian.training.models import InstitutionMembership, SpotCheck, Suspension
from anjian.training.services.institutions import class_report, institution_create
from tests.conftest import make_uscc


def _school(world):  # type: ignore[no-untyped-def]
    institution = institution_create(
        actor=None,
        data={
            "name": "文水县安泰安全培训学校",
            "uscc": make_uscc(901),
            "body": world.county,
            "scope": "主要负责人和安全生产管理人员",
            "registered_on": today() - timedelta(days=300),
        },
    )
    InstitutionMembership.objects.create(
        user=world.users["training_institution"], institution=institution
    )
    class_report(
        actor=None,
        institution=institution,
        title="2026年第三期安全管理人员初训班",
        role="safety_manager",
        kind="initial",
        delivery="offline",
        hours=Decimal(48),
        starts_on=today() - timedelta(days=1),
        ends_on=today() + timedelta(days=4),
        planned_trainees=40,
    )
    return institution


def test_hr_finance_suspends_an_institution_after_a_spot_check(
    live_world, live_server, page_for
) -> None:
    school = _school(live_world)
    end = today() + timedelta(days=30)
    page = page_for("hr_finance")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/training/institutions/")
    page.get_by_test_id("institution-list").get_by_text(school.name).click()
    page.wait_for_url(f"**/training/institutions/{school.pk}/")
    expect(page.get_by_test_id("institution-status")).to_have_text("正常")

    page.get_by_test_id("spot-check-new").click()
    page.wait_for_url("**/spot-checks/new/")
    page.get_by_label("抽查班次").select_option(label="2026年第三期安全管理人员初训班")
    page.get_by_label("检查人员").fill("刘洋、陈静")
    page.get_by_label("报告在训人数").fill("40")
    page.get_by_label("实到人数").fill("25")
    page.get_by_label("发现问题").fill("签到表存在代签；授课教师与备案不符")
    page.get_by_label("结论").select_option(label="问题严重，建议暂停培训业务")
    page.get_by_test_id("save-spot-check").click()
    page.wait_for_url(f"**/training/institutions/{school.pk}/")
    expect(page.get_by_test_id("spot-checks")).to_contain_text("缺15人")
    expect(page.get_by_test_id("spot-checks")).to_contain_text("签到表存在代签")

    page.get_by_test_id("suspension-new").click()
    page.wait_for_url("**/suspensions/new/")
    page.get_by_label("查实的事实和理由").fill(
        "你单位培训实到人数严重不足，签到表存在代签，授课教师与备案不符"
    )
    page.get_by_label("拟暂停月数").fill("2")
    page.on("dialog", lambda dialog: dialog.accept())  # the notice and the decision ask first
    page.get_by_test_id("save-suspension").click()
    suspension = Suspension.objects.get()
    page.wait_for_url(f"**/training/suspensions/{suspension.pk}/")
    expect(page.get_by_test_id("suspension-state")).to_have_text("拟暂停（已告知）")
    expect(page.get_by_test_id("decide")).to_have_count(0)

    own = page_for("training_institution")
    own.goto(f"{live_server.url}/training/institutions/")
    own.wait_for_url(f"**/training/institutions/{school.pk}/")
    expect(own.get_by_test_id("open-notice")).to_contain_text(f"文水应急培告〔{today().year}〕1号")
    own.get_by_test_id("open-notice").get_by_role("link").click()
    own.wait_for_url(f"**/training/suspensions/{suspension.pk}/")
    with own.expect_download() as notice:
        own.get_by_test_id("notice-document").click()
    assert (
        notice.value.suggested_filename
        == f"文水应急培告〔{today().year}〕1号暂停培训业务告知书.docx"
    )
    own.on("dialog", lambda dialog: dialog.accept())  # the statement asks before it is filed
    own.get_by_test_id("acknowledge").click()
    expect(own.get_by_test_id("suspension-state")).to_have_text("陈述申辩中")
    own.get_by_test_id("state-case").click()
    own.get_by_label("陈述申辩意见").fill("代签系学员临时请假，已安排补课。")
    own.get_by_test_id("save-step").click()
    own.wait_for_url(f"**/training/suspensions/{suspension.pk}/")
    expect(own.get_by_test_id("statement")).to_contain_text("已安排补课")

    page.reload()
    page.get_by_test_id("decide").click()
    page.wait_for_url("**/decide/")
    page.get_by_label("暂停截止日").fill(end.isoformat())
    page.get_by_label("对陈述申辩的复核意见").fill("补课不改变抽查时实到人数不足的事实，不予采纳。")
    page.get_by_test_id("save-step").click()
    page.wait_for_url(f"**/training/suspensions/{suspension.pk}/")
    expect(page.get_by_test_id("suspension-state")).to_have_text("已决定")
    expect(page.get_by_test_id("decision")).to_contain_text(f"文水应急培停〔{today().year}〕1号")
    suspension.refresh_from_db()
    assert suspension.ends_on == end and suspension.spot_check == SpotCheck.objects.get()
    with page.expect_download() as download:
        page.get_by_test_id("suspension-document").click()
    assert (
        download.value.suggested_filename
        == f"文水应急培停〔{today().year}〕1号暂停培训业务决定书.docx"
    )
    page.goto(f"{live_server.url}/training/institutions/{school.pk}/")
    expect(page.get_by_test_id("institution-status")).to_have_text(f"暂停中（至 {end:%Y-%m-%d}）")

    own = page_for("training_institution")
    own.goto(f"{live_server.url}/training/institutions/")
    own.wait_for_url(f"**/training/institutions/{school.pk}/")
    expect(own.get_by_test_id("institution-status")).to_contain_text("暂停中")
    expect(own.get_by_test_id("suspension-alert")).to_contain_text("不得开班备案")
    own.get_by_test_id("class-new").click()
    own.wait_for_url("**/classes/new/")
    expect(own.get_by_test_id("class-refused")).to_contain_text("暂停期间不得开班备案")
    expect(own.get_by_test_id("save-class")).to_have_count(0)
