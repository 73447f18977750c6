"""The weekly dispatch: figures filled from the records (and equal to the records they link to),
submitting on time and late, closed weeks, the office's return, and who sees what."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from anjian.audit.models import AuditEntry
from anjian.domain.steering.weeks import IsoWeek
from anjian.policy.services.booking import entry_book
from anjian.steering import figures
from anjian.steering.models import Notification, WeeklyReport
from anjian.steering.services.weekly import (
    Narrative,
    WeeklyError,
    report_open,
    report_return,
    report_save,
)
from tests.clock import TEST_TODAY

from .policy_helpers import county_officers, request_for
from .steering_helpers import campaign_for

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
WEEK = IsoWeek.of(TEST_TODAY)


def at(day, hour: int = 10) -> datetime:  # type: ignore[no-untyped-def]
    return datetime.combine(day, time(hour), tzinfo=TZ)


def _book(world, key: str, day, section: str, **kw) -> None:  # type: ignore[no-untyped-def]
    if not hasattr(world, "team"):
        world.team = county_officers(world)
    request = request_for(world, key, day, world.team, section=world.sections[section], **kw)
    assert entry_book(actor=None, request=request).booked


@pytest.fixture
def campaign(world):  # type: ignore[no-untyped-def]
    return campaign_for(world, WEEK.year)


def test_figures_are_filled_from_the_records_of_the_section_and_week(world, campaign) -> None:
    _book(world, "chem", WEEK.monday, "hazchem")
    _book(world, "chem", WEEK.monday + timedelta(days=1), "hazchem", mode="remote")
    _book(world, "coal", WEEK.monday, "coal")  # another section's entry
    outside = next(  # a working day of next week outside the default quiet days 1-10
        d for d in (WEEK.next().day(i) for i in range(5)) if d.day > 10
    )
    _book(world, "chem", outside, "hazchem")
    report = report_open(
        actor=world.users["hazchem"],
        campaign=campaign,
        section=world.sections["hazchem"],
        week=WEEK,
        now=at(WEEK.monday),
    )
    assert report.status == "draft"
    assert report.figures["entries_onsite"] == 1
    assert report.figures["entries_next_week"] == 1
    assert report.figures["entries_joint"] == 0
    assert report.figures["joint_share"] == "0.0"
    assert report.figures["pass_rate"] is None
    assert set(report.figures) == set(figures.WEEKLY)
    assert AuditEntry.objects.filter(action="steering.report.open").count() == 1


def test_each_figure_equals_the_records_its_link_lists(world, campaign, client) -> None:
    for offset in range(3):
        _book(world, "chem", WEEK.monday + timedelta(days=offset), "hazchem")
    report = report_open(
        actor=world.users["hazchem"],
        campaign=campaign,
        section=world.sections["hazchem"],
        week=WEEK,
        now=at(WEEK.monday),
    )
    client.force_login(world.users["hazchem"])
    page = client.get(reverse("steering:report_edit", args=[report.pk]))
    assert page.status_code == 200
    rows = page.content.decode().split("<tr data-figure=")[1:]
    links = [
        (row.split('"')[1], found.group(1))
        for row in rows
        if (found := re.search(r'href="([^"]+)" data-testid="figure-link"', row))
    ]
    assert {code for code, _ in links} == {c for c in figures.WEEKLY if figures.figure(c).drillable}
    for code, link in links:
        listed = client.get(link.replace("&amp;", "&"))
        assert listed.status_code == 200, code
        count = int(re.search(r"共 (\d+) 条记录", listed.content.decode()).group(1))
        expected = report.figures[code] if figures.figure(code).total is None else None
        if expected is not None:
            assert count == expected, code
    onsite = next(link for code, link in links if code == "entries_onsite")
    listed = client.get(onsite.replace("&amp;", "&"))
    assert listed.content.decode().count('data-testid="record-row"') == 3


def test_submit_on_time_then_late_and_closed_weeks_are_refused(world, campaign) -> None:
    hazchem = world.users["hazchem"]
    report = report_open(
        actor=hazchem,
        campaign=campaign,
        section=world.sections["hazchem"],
        week=WEEK,
        now=at(WEEK.monday),
    )
    with pytest.raises(WeeklyError, match="进展情况"):
        report_save(
            actor=hazchem, report=report, narrative=Narrative(), now=at(WEEK.monday), submit=True
        )
    report = report_save(
        actor=hazchem,
        report=report,
        narrative=Narrative(progress="本周完成危化企业检查 1 家"),
        now=at(WEEK.day(4), 16),
        submit=True,
    )
    assert (report.status, report.late) == ("submitted", False)
    with pytest.raises(WeeklyError, match="已报送"):
        report_save(
            actor=hazchem,
            report=report,
            narrative=Narrative(progress="改"),
            now=at(WEEK.day(4), 16),
            submit=False,
        )
    coal_section = world.sections["coal"]
    coal_section.kind = "business"
    coal = world.users["hazchem"]
    coal.section = coal_section
    late = report_open(
        actor=coal, campaign=campaign, section=coal_section, week=WEEK, now=at(WEEK.day(5))
    )
    late = report_save(
        actor=coal,
        report=late,
        narrative=Narrative(progress="补报"),
        now=at(WEEK.day(5)),
        submit=True,
    )
    assert late.late is True
    closed = WEEK.previous().previous()
    before = WeeklyReport.objects.count()
    with pytest.raises(WeeklyError, match=r"已于 .* 关闭"):
        report_open(
            actor=coal, campaign=campaign, section=coal_section, week=closed, now=at(WEEK.day(5))
        )
    with pytest.raises(WeeklyError, match="尚未开始"):
        report_open(
            actor=coal,
            campaign=campaign,
            section=coal_section,
            week=WEEK.next(),
            now=at(WEEK.day(5)),
        )
    assert WeeklyReport.objects.count() == before


def test_office_returns_with_a_comment_and_the_section_is_reminded(world, campaign) -> None:
    hazchem = world.users["hazchem"]
    report = report_open(
        actor=hazchem,
        campaign=campaign,
        section=world.sections["hazchem"],
        week=WEEK,
        now=at(WEEK.monday),
    )
    report = report_save(
        actor=hazchem,
        report=report,
        narrative=Narrative(progress="进展"),
        now=at(WEEK.monday),
        submit=True,
    )
    with pytest.raises(WeeklyError, match="办公室"):
        report_return(actor=hazchem, report=report, comment="重写", now=at(WEEK.monday, 11))
    with pytest.raises(WeeklyError, match="退回意见"):
        report_return(
            actor=world.users["office"], report=report, comment=" ", now=at(WEEK.monday, 11)
        )
    report = report_return(
        actor=world.users["office"],
        report=report,
        comment="典型案例请补充",
        now=at(WEEK.monday, 11),
    )
    assert report.status == "returned"
    note = Notification.objects.get(user=hazchem)
    assert note.url == reverse("steering:report_edit", args=[report.pk])
    assert "典型案例请补充" in note.action
    assert AuditEntry.objects.filter(action="steering.report.return").count() == 1
    again = report_save(
        actor=hazchem,
        report=report,
        narrative=Narrative(progress="进展", cases="某案"),
        now=at(WEEK.monday, 12),
        submit=True,
    )
    assert again.status == "submitted"


def test_a_section_sees_and_files_only_its_own(world, campaign, client) -> None:
    office_report = report_open(
        actor=world.users["office"],
        campaign=campaign,
        section=world.sections["coal"],
        week=WEEK,
        now=at(WEEK.monday),
    )
    client.force_login(world.users["hazchem"])
    assert client.get(reverse("steering:report_edit", args=[office_report.pk])).status_code == 404
    before = AuditEntry.objects.count()
    answer = client.post(
        reverse("steering:report_edit", args=[office_report.pk]),
        {"action": "submit", "progress": "x"},
    )
    assert answer.status_code == 404 and AuditEntry.objects.count() == before
    records = reverse("steering:figure_records", args=["entries_onsite"])
    coal = world.sections["coal"].pk
    foreign = f"{records}?campaign={campaign.pk}&section={coal}"
    assert client.get(foreign).status_code == 404
    week_page = client.get(reverse("steering:report_week", args=[campaign.pk, WEEK.code]))
    assert "煤矿股" not in week_page.content.decode()
    client.force_login(world.users["other_office"])
    assert client.get(reverse("steering:campaign_detail", args=[campaign.pk])).status_code == 404
    client.force_login(world.users["bureau_head"])
    board = client.get(
        reverse("steering:report_week", args=[campaign.pk, WEEK.code])
    ).content.decode()
    assert "煤矿股" in board and "危化股" in board
    client.force_login(world.users["enterprise"])
    assert (
        client.get(reverse("steering:report_week", args=[campaign.pk, WEEK.code])).status_code
        == 403
    )


def test_the_section_files_through_the_pages(world, campaign, client) -> None:
    _book(world, "chem", WEEK.monday, "hazchem")
    client.force_login(world.users["hazchem"])
    start = client.post(reverse("steering:report_start", args=[campaign.pk, WEEK.code]))
    report = WeeklyReport.objects.get()
    assert start.url == reverse("steering:report_edit", args=[report.pk])
    page = client.get(start.url).content.decode()
    assert 'data-figure="entries_onsite"' in page
    answer = client.post(
        start.url, {"action": "submit", "progress": "完成检查", "next_plan": "继续"}
    )
    assert answer.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.progress, report.figures["entries_onsite"]) == (
        "submitted",
        "完成检查",
        1,
    )
