"""The campaign's journeys in a real browser: a section files its week's report with the figures
filled from the records; the office returns one, consolidates the week and downloads the
bulletin; the head opens the cockpit and drills down from a figure to its records; a user reads
and clears a reminder."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import expect

from anjian.documents.models import IssuedDocument
from anjian.domain.steering.weeks import IsoWeek
from anjian.policy.services.booking import entry_book
from anjian.steering.models import Bulletin, Notification, WeeklyReport
from anjian.steering.services.notify import Reminder, notify
from anjian.steering.services.weekly import Narrative, report_open, report_save
from tests.web.policy_helpers import county_officers, request_for
from tests.web.steering_helpers import campaign_for

TZ = ZoneInfo("Asia/Shanghai")


def _book_this_week(world) -> int:  # type: ignore[no-untyped-def]
    """Two on-site entries of the hazchem section this week (before today, outside quiet days)."""
    week = IsoWeek.of(timezone.localdate())
    officers = county_officers(world)
    booked = 0
    for offset in range(7):
        day = week.day(offset)
        if booked == 2 or day > timezone.localdate():
            break
        request = request_for(world, "chem", day, officers, section=world.sections["hazchem"])
        booked += int(entry_book(actor=None, request=request).booked)
    return booked


def test_section_files_its_week_with_the_prefilled_figures(
    live_world, page_for, live_server
) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(live_world, timezone.localdate().year)
    booked = _book_this_week(live_world)
    week = IsoWeek.of(timezone.localdate())
    page = page_for("hazchem")
    page.goto(f"{live_server.url}/campaign/")
    expect(page.get_by_test_id("campaign-title")).to_contain_text("专项工作")
    page.goto(f"{live_server.url}/campaign/{campaign.pk}/weeks/{week.code}/")
    page.get_by_test_id("report-start").click()
    page.wait_for_url("**/campaign/reports/*/")
    onsite = page.locator('[data-figure="entries_onsite"] [data-testid="figure-link"]')
    expect(onsite).to_have_text(str(booked))
    page.get_by_label("进展情况").fill("本周对宏达化工开展现场检查")
    page.get_by_label("经验做法").fill("检查前公示事项和依据")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已报送")
    report = WeeklyReport.objects.get()
    assert (report.status, report.figures["entries_onsite"]) == ("submitted", booked)
    onsite.click()  # the figure opens the records behind it
    expect(page.get_by_test_id("record-row")).to_have_count(booked)


def test_office_returns_a_report_consolidates_the_week_and_downloads_the_bulletin(
    live_world, page_for, live_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(live_world, timezone.localdate().year)
    week = IsoWeek.of(timezone.localdate())
    now = timezone.now()
    for username, section in (("hazchem", "hazchem"), ("office", "coal")):
        report = report_open(
            actor=live_world.users[username],
            campaign=campaign,
            section=live_world.sections[section],
            week=week,
            now=now,
        )
        report_save(
            actor=live_world.users[username],
            report=report,
            narrative=Narrative(progress=f"{live_world.sections[section].name}本周进展"),
            now=now,
            submit=True,
        )
    page = page_for("office")
    page.goto(f"{live_server.url}/campaign/{campaign.pk}/weeks/{week.code}/")
    row = page.get_by_test_id("board-row").filter(has_text="煤矿股")
    row.get_by_label("退回意见").fill("请补充典型案例")
    row.get_by_test_id("return-report").click()
    expect(page.get_by_test_id("board-row").filter(has_text="煤矿股")).to_contain_text("已退回")
    assert WeeklyReport.objects.get(section=live_world.sections["coal"]).status == "returned"
    page.get_by_test_id("week-consolidate").click()
    page.get_by_label("总体情况（通报第一部分，可留空）").fill("各股室按时报送。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("bulletin-consolidate").click()
    page.wait_for_url(f"**/campaign/{campaign.pk}/bulletins/**")
    bulletin = Bulletin.objects.get()
    with page.expect_download() as download:
        page.get_by_test_id("bulletin-docx").first.click()
    saved = tmp_path / "bulletin.docx"
    download.value.save_as(saved)
    assert saved.read_bytes() == IssuedDocument.objects.get(pk=bulletin.document_id).content


def test_head_opens_the_cockpit_and_drills_down_to_the_records(
    live_world, page_for, live_server
) -> None:  # type: ignore[no-untyped-def]
    campaign_for(live_world, timezone.localdate().year)
    booked = _book_this_week(live_world)
    page = page_for("bureau_head")
    page.get_by_role("link", name="领导驾驶舱").click()
    expect(page.get_by_test_id("cockpit-title")).to_contain_text("领导驾驶舱")
    value = page.get_by_test_id("value-entries_onsite")
    expect(value).to_have_text(str(booked))
    value.click()
    expect(page.get_by_test_id("figure-value")).to_have_text(str(booked))
    expect(page.get_by_test_id("record-row")).to_have_count(booked)
    expect(page.get_by_test_id("record-row").first).to_contain_text("文水县宏达化工有限公司")


def test_a_user_reads_and_clears_a_reminder(live_world, page_for, live_server) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(live_world, timezone.localdate().year)
    due = timezone.localdate() + timedelta(days=2)
    notify(
        users=[live_world.users["hazchem"]],
        reminder=Reminder(
            kind="weekly_due",
            key="test:weekly",
            title="危化股本周周调度报告待报送",
            action="请在周五 17:00 前报送",
            url=f"/campaign/{campaign.pk}/",
            due_on=due,
        ),
        now=datetime.combine(timezone.localdate(), time(8), tzinfo=TZ),
    )
    page = page_for("hazchem")
    expect(page.get_by_test_id("bell-count")).to_have_text("1")
    page.get_by_test_id("bell").click()
    row = page.get_by_test_id("notification-row")
    expect(row).to_contain_text("危化股本周周调度报告待报送")
    row.get_by_test_id("notification-open").click()
    page.wait_for_url(f"**/campaign/{campaign.pk}/")
    expect(page.get_by_test_id("bell-count")).to_have_count(0)
    assert Notification.objects.get().read_at is not None
