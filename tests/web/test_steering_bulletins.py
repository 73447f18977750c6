"""The weekly bulletin (周调度通报): the office consolidates a week into a numbered 公文 with the
ledger as its Excel annex, both kept in the register and served as stored; refusals write
nothing; the ledger page and its export."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from anjian.audit.models import AuditEntry
from anjian.documents.models import IssuedDocument
from anjian.domain.steering.weeks import IsoWeek
from anjian.policy.services.booking import entry_book
from anjian.steering import figures
from anjian.steering.models import Bulletin, Campaign, WeeklyReport
from anjian.steering.services.bulletins import bulletin_consolidate
from anjian.steering.services.weekly import (
    Narrative,
    WeeklyError,
    report_open,
    report_return,
    report_save,
)

from .policy_helpers import county_officers, request_for
from .steering_helpers import campaign_for

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
WEEK = IsoWeek(2026, 40)  # 28 September to 4 October; due Friday 2 October 17:00
NUMBER = "文水应急调度〔2026〕1号"
TITLE = "关于第40周“听民意办实事”工作调度情况的通报"


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def _book(world, key: str, day: date, section: str) -> None:  # type: ignore[no-untyped-def]
    if not hasattr(world, "team"):
        world.team = county_officers(world)
    request = request_for(world, key, day, world.team, section=world.sections[section])
    assert entry_book(actor=None, request=request).booked


def _file(world, campaign, section: str, actor: str, when: datetime, week=WEEK, **text):  # type: ignore[no-untyped-def]
    report = report_open(
        actor=world.users[actor],
        campaign=campaign,
        section=world.sections[section],
        week=week,
        now=at(week.monday),
    )
    narrative = Narrative(**{"progress": f"{world.sections[section].name}本周进展", **text})
    return report_save(
        actor=world.users[actor], report=report, narrative=narrative, now=when, submit=True
    )


@pytest.fixture
def campaign(world) -> Campaign:  # type: ignore[no-untyped-def]
    """W40: the hazchem section files on time with two entries, the coal section (filed by the
    office) a day late with one."""
    campaign = campaign_for(world)
    campaign.reports_from, campaign.reports_until = date(2026, 4, 1), date(2026, 11, 30)
    campaign.save()
    _book(world, "chem", date(2026, 9, 29), "hazchem")
    _book(world, "chem", date(2026, 9, 30), "hazchem")
    _book(world, "coal", date(2026, 9, 29), "coal")
    _file(
        world,
        campaign,
        "hazchem",
        "hazchem",
        at(date(2026, 10, 2), 16),
        practices="联合检查一次进企",
        problems="人手紧张",
        next_plan="完成剩余企业检查",
    )
    _file(world, campaign, "coal", "office", at(date(2026, 10, 3), 9))
    return campaign


def _text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("|".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _consolidate(world, campaign, week=WEEK, summary="各股室按方案推进"):  # type: ignore[no-untyped-def]
    return bulletin_consolidate(
        actor=world.users["office"],
        campaign=campaign,
        week=week,
        summary=summary,
        now=at(date(2026, 10, 5), 9),
    )


def test_the_office_consolidates_a_numbered_bulletin_with_its_ledger_annex(world, campaign) -> None:  # type: ignore[no-untyped-def]
    bulletin = _consolidate(world, campaign)
    assert (bulletin.year, bulletin.week, bulletin.summary) == (2026, 40, "各股室按方案推进")
    document, annex = bulletin.document, bulletin.annex
    assert (document.kind, document.number, document.version) == ("weekly_bulletin", NUMBER, 1)
    assert document.file_name == f"{NUMBER}周调度通报.docx"
    assert document.issued_on == date(2026, 10, 5)
    assert (annex.kind, annex.number, annex.serial) == ("weekly_ledger", "", None)
    assert annex.file_name == "周调度台账（附件）.xlsx"
    text = _text(bytes(document.content))
    assert TITLE in text
    assert "局机关各股室、执法队：" in text
    assert "一、总体情况。各股室按方案推进。" in text
    assert (
        "二、报送情况。本周应报送股室2个，按时报送1个（危化股），逾期报送1个（煤矿股），未报送0个。"
        in text
    )
    assert "三、主要数据。各股室本周现场入企3次，联合检查入企0次，联合检查占比0.0%" in text
    assert "（一）危化股。进展情况：危化股本周进展；经验做法：联合检查一次进企。" in text
    assert "（一）危化股。人手紧张。" in text
    assert "（一）危化股。完成剩余企业检查。" in text
    assert "危化股|按时报送|2|0|0|0" in text
    assert "煤矿股|逾期报送|1|0|0|0" in text
    assert "附件：2026年第40周周调度台账（Excel）" in text
    assert "于每周五17:00前按时报送周调度报告；逾期或未报送的股室要说明原因，限期补报。" in text
    entry = AuditEntry.objects.get(action="steering.bulletin.consolidate")
    assert entry.target_id == str(bulletin.pk)
    assert entry.changes == {
        "week": "2026-W40",
        "number": NUMBER,
        "filed": ["危化股", "煤矿股"],
        "late": ["煤矿股"],
        "missing": [],
    }
    issued = AuditEntry.objects.filter(action="document.issue").order_by("id")
    assert [e.changes["kind"] for e in issued] == ["weekly_bulletin", "weekly_ledger"]


def test_the_ledger_annex_has_a_row_per_section_and_the_totals(world, campaign) -> None:  # type: ignore[no-untyped-def]
    bulletin = _consolidate(world, campaign)
    sheet = load_workbook(io.BytesIO(bytes(bulletin.annex.content))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header[:5] == ["序号", "股室", "状态", "报送时间", "逾期报送"]
    assert header[-7:] == [
        "进展情况",
        "相关数据",
        "经验做法",
        "亮点信息",
        "典型案例",
        "存在问题",
        "下周计划",
    ]
    assert len(header) == 5 + len(figures.WEEKLY) + 7
    onsite = header.index("现场入企（次）")
    joint = header.index("联合检查占比（%）")
    assert rows[1][:5] == [1, "危化股", "按时报送", datetime(2026, 10, 2, 16), "否"]
    assert rows[2][:5] == [2, "煤矿股", "逾期报送", datetime(2026, 10, 3, 9), "是"]
    assert [rows[1][onsite], rows[2][onsite], rows[3][onsite]] == [2, 1, 3]
    assert rows[1][joint] == 0 and rows[3][joint] == 0
    assert rows[3][1] == "合计（已报送）"
    assert rows[1][header.index("经验做法")] == "联合检查一次进企"
    assert len(rows) == 4


def test_a_week_already_consolidated_is_refused_and_nothing_is_written(world, campaign) -> None:  # type: ignore[no-untyped-def]
    _consolidate(world, campaign)
    documents = IssuedDocument.objects.count()
    with pytest.raises(WeeklyError, match="2026年第40周已汇总，不能重复汇总"):
        _consolidate(world, campaign)
    assert Bulletin.objects.count() == 1
    assert IssuedDocument.objects.count() == documents == 2
    assert AuditEntry.objects.filter(action="steering.bulletin.consolidate").count() == 1


def test_a_week_without_a_submitted_report_is_refused(world, campaign) -> None:  # type: ignore[no-untyped-def]
    week = WEEK.next()
    report_open(  # a draft only
        actor=world.users["hazchem"],
        campaign=campaign,
        section=world.sections["hazchem"],
        week=week,
        now=at(week.monday),
    )
    with pytest.raises(WeeklyError, match="2026年第41周尚无已报送的周调度报告，不能汇总"):
        _consolidate(world, campaign, week=week)
    with pytest.raises(WeeklyError, match="只有领导小组办公室"):
        bulletin_consolidate(
            actor=world.users["hazchem"],
            campaign=campaign,
            week=WEEK,
            summary="",
            now=at(date(2026, 10, 5)),
        )
    assert Bulletin.objects.count() == 0
    assert IssuedDocument.objects.count() == 0
    assert not AuditEntry.objects.filter(action="steering.bulletin.consolidate").exists()


def test_the_second_bulletin_of_the_year_takes_the_next_number(world, campaign) -> None:  # type: ignore[no-untyped-def]
    _consolidate(world, campaign)
    week = WEEK.next()
    _file(world, campaign, "hazchem", "hazchem", at(week.day(3)), week=week)
    bulletin = _consolidate(world, campaign, week=week)
    assert bulletin.document.number == "文水应急调度〔2026〕2号"
    text = _text(bytes(bulletin.document.content))
    assert "按时报送1个（危化股），未报送1个（煤矿股）" in text


# --- pages ---------------------------------------------------------------------------------------


def test_the_office_consolidates_from_the_page_and_everyone_downloads_the_stored_bytes(  # type: ignore[no-untyped-def]
    world, campaign, client
) -> None:
    client.force_login(world.users["office"])
    listing = client.get(reverse("steering:bulletin_list", args=[campaign.pk]))
    assert listing.status_code == 200
    assert 'value="2026-W40"' in listing.content.decode()
    url = reverse("steering:bulletin_consolidate", args=[campaign.pk, "2026-W40"])
    form = client.get(url)
    assert form.status_code == 200
    page = form.content.decode()
    assert "按时报送" in page and "逾期报送" in page and 'data-testid="bulletin-form"' in page
    answer = client.post(url, {"summary": "本周总体平稳"})
    assert answer.status_code == 302
    bulletin = Bulletin.objects.get()
    assert bulletin.summary == "本周总体平稳"
    number = bulletin.document.number
    assert number == NUMBER  # the view issues on today's date, in 2026
    listing = client.get(reverse("steering:bulletin_list", args=[campaign.pk])).content.decode()
    assert number in listing
    client.force_login(world.users["hazchem"])
    served = client.get(reverse("steering:bulletin_docx", args=[bulletin.pk]))
    assert served.status_code == 200
    assert served.content == bytes(bulletin.document.content)
    assert quote(bulletin.document.file_name) in served["Content-Disposition"]
    annex = client.get(reverse("steering:bulletin_xlsx", args=[bulletin.pk]))
    assert annex.status_code == 200 and annex.content == bytes(bulletin.annex.content)
    assert annex["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    again = client.get(url)  # a section may not even see the form
    assert again.status_code == 403


def test_a_section_cannot_consolidate_and_another_county_cannot_see(
    world, campaign, client
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("steering:bulletin_consolidate", args=[campaign.pk, "2026-W40"])
    client.force_login(world.users["hazchem"])
    assert client.post(url, {"summary": "x"}).status_code == 403
    assert client.get(reverse("steering:bulletin_list", args=[campaign.pk])).status_code == 200
    assert Bulletin.objects.count() == 0 and IssuedDocument.objects.count() == 0
    bulletin = _consolidate(world, campaign)
    client.force_login(world.users["other_office"])
    assert client.post(url, {"summary": "x"}).status_code == 404
    assert client.get(reverse("steering:bulletin_list", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("steering:bulletin_docx", args=[bulletin.pk])).status_code == 404
    assert client.get(reverse("steering:bulletin_xlsx", args=[bulletin.pk])).status_code == 404
    assert client.get(reverse("steering:ledger", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("steering:ledger_export", args=[campaign.pk])).status_code == 404
    assert Bulletin.objects.count() == 1
    client.force_login(world.users["office"])
    bad = reverse("steering:bulletin_consolidate", args=[campaign.pk, "2026-W99"])
    assert client.get(bad).status_code == 404


def _ledger(client, campaign, **params):  # type: ignore[no-untyped-def]
    return client.get(reverse("steering:ledger", args=[campaign.pk]), params)


def test_the_ledger_shows_the_weeks_side_by_side_in_a_fixed_number_of_queries(  # type: ignore[no-untyped-def]
    world, campaign, client
) -> None:
    coal = WeeklyReport.objects.get(section=world.sections["coal"])
    report_return(
        actor=world.users["office"], report=coal, comment="数据有误", now=at(date(2026, 10, 3), 11)
    )
    _file(world, campaign, "coal", "office", at(date(2026, 10, 3), 12))
    client.force_login(world.users["office"])
    with CaptureQueriesContext(connection) as first:
        page = _ledger(client, campaign)
    assert page.status_code == 200
    html = page.content.decode()
    # W14 (1 April) to W47 (today, 16 November): 34 weeks, a quarter a page, the last page first
    assert 'data-week="2026-W40"' in html and 'data-week="2026-W47"' in html
    assert 'data-week="2026-W39"' not in html
    assert "第 3 / 3 页" in html
    row = html.split('data-week="2026-W40"')[1].split("</tr>")[0]
    cells = row.split('data-testid="ledger-cell"')[1:]
    assert "按时报送" in cells[0] and "现场入企 2" in cells[0]
    assert "逾期报送" in cells[1] and "曾退回" in cells[1] and "现场入企 1" in cells[1]
    assert "逾期未报" in html.split('data-week="2026-W41"')[1].split("</tr>")[0]
    earlier = _ledger(client, campaign, page=1).content.decode()
    assert 'data-week="2026-W14"' in earlier and 'data-week="2026-W40"' not in earlier
    week = WEEK.next()
    _file(world, campaign, "hazchem", "hazchem", at(week.day(3)), week=week)
    _file(world, campaign, "coal", "office", at(week.day(3)), week=week)
    _consolidate(world, campaign)
    _consolidate(world, campaign, week=week)
    with CaptureQueriesContext(connection) as second:
        again = _ledger(client, campaign)
    assert again.content.decode().count(">下载<") == 2
    assert len(second) == len(first)


def test_a_section_sees_its_own_column_only(world, campaign, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.users["hazchem"])
    html = _ledger(client, campaign).content.decode()
    head = html.split('data-testid="ledger"')[1].split("</thead>")[0]
    assert "危化股" in head and "煤矿股" not in head


def test_the_ledger_export_lists_every_week_and_section(world, campaign, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.users["office"])
    answer = client.get(reverse("steering:ledger_export", args=[campaign.pk]))
    assert answer.status_code == 200
    assert (
        quote("文水县应急管理局2026年“听民意办实事”专项工作周调度台账.xlsx")
        in answer["Content-Disposition"]
    )
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["周调度台账", "报送情况"]
    rows = [list(r) for r in book["周调度台账"].iter_rows(values_only=True)]
    header = rows[0]
    assert header[:7] == ["周次", "起止日期", "股室", "状态", "报送时间", "逾期报送", "曾退回"]
    assert len(rows) == 1 + 34 * 2
    onsite = header.index("现场入企（次）")
    w40 = [r for r in rows if r[0] == "2026年第40周"]
    assert [r[1:7] for r in w40] == [
        ["09-28至10-04", "危化股", "按时报送", datetime(2026, 10, 2, 16), "否", "否"],
        ["09-28至10-04", "煤矿股", "逾期报送", datetime(2026, 10, 3, 9), "是", "否"],
    ]
    assert [r[onsite] for r in w40] == [2, 1]
    w41 = [r for r in rows if r[0] == "2026年第41周"]
    assert [r[3] for r in w41] == ["未报送", "未报送"] and w41[0][onsite] is None
    grid = [list(r) for r in book["报送情况"].iter_rows(values_only=True)]
    assert grid[0] == ["文水县应急管理局2026年“听民意办实事”专项工作周调度台账", None, None]
    assert grid[1] == ["周次", "危化股", "煤矿股"]
    assert ["2026年第40周", "按时报送", "逾期报送"] in grid
    assert len(grid) == 2 + 34
