"""The closing evaluation (总结评估): a section's report drafted from the year's figures against
the same period last year and the targets, edited, submitted and returned; the bureau's report
issued as a numbered 公文 listing the measures not done or done late; who may do what."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from docx import Document

from anjian.audit.models import AuditEntry
from anjian.documents.models import IssuedDocument
from anjian.policy.services.booking import entry_book
from anjian.steering.evaluation_figures import EvaluationError
from anjian.steering.models import (
    BureauEvaluation,
    Campaign,
    Evaluation,
    LeadershipMember,
    Measure,
    Notification,
    Target,
)
from anjian.steering.services.evaluation import (
    bureau_evaluation_consolidate,
    evaluation_draft,
    evaluation_return,
    evaluation_save,
)

from .policy_helpers import county_officers, request_for
from .steering_helpers import campaign_for

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 16)
NOW = datetime.combine(TODAY, time(10), tzinfo=TZ)
NUMBER = "文水应急评估〔2026〕1号"
TEXT = {"summary": "全年工作总结", "results": "成效", "problems": "问题", "next_steps": "打算"}


def _book(world, key: str, day: date, section: str = "hazchem") -> None:  # type: ignore[no-untyped-def]
    if not hasattr(world, "team"):
        world.team = county_officers(world)
    request = request_for(world, key, day, world.team, section=world.sections[section])
    assert entry_book(actor=None, request=request).booked


@pytest.fixture
def campaign(world) -> Campaign:  # type: ignore[no-untyped-def]
    """Two on-site entries of the hazchem section this year, three in the same period last year
    (and one after it), one of the coal section; a target of −30 %; a measure the hazchem
    section led and finished late; the leader of the group."""
    campaign = campaign_for(world)
    for day in (date(2026, 9, 29), date(2026, 9, 30)):
        _book(world, "chem", day)
    for day in (date(2025, 9, 29), date(2025, 9, 30), date(2025, 10, 13), date(2025, 11, 24)):
        _book(world, "chem", day)
    _book(world, "coal", date(2026, 9, 29), "coal")
    Target.objects.create(
        campaign=campaign, figure="entries_onsite", kind="change_at_most", threshold=Decimal(-30)
    )
    Measure.objects.create(
        campaign=campaign,
        clause="三（三）1",
        title="推行入企扫码",
        lead_section=world.sections["hazchem"],
        deadline=date(2026, 6, 30),
        done_on=date(2026, 7, 15),
        order=3,
    )
    LeadershipMember.objects.create(campaign=campaign, name="张局长", post="leader", title="局长")
    return campaign


def _draft(world, campaign, section: str = "hazchem", actor: str = "hazchem") -> Evaluation:  # type: ignore[no-untyped-def]
    return evaluation_draft(
        actor=world.users[actor], campaign=campaign, section=world.sections[section], today=TODAY
    )


def _submit(world, evaluation: Evaluation, actor: str = "hazchem") -> Evaluation:  # type: ignore[no-untyped-def]
    return evaluation_save(
        actor=world.users[actor], evaluation=evaluation, fields=TEXT, submit=True, now=NOW
    )


def _text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("|".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def test_the_draft_compares_the_year_with_last_year_and_the_target(world, campaign) -> None:  # type: ignore[no-untyped-def]
    evaluation = _draft(world, campaign)
    assert evaluation.status == "draft"
    assert evaluation.figures["_period"] == {"start": "2026-01-01", "end": "2026-11-16"}
    assert evaluation.figures["entries_onsite"] == {
        "value": 2,
        "last_year": 3,
        "change": "-33.3",
        "change_unit": "%",
        "target": {"met": True, "text": "达标（目标：同比变化不高于（%） -30.0）"},
    }
    assert evaluation.figures["joint_share"] == {
        "value": "0.0",
        "last_year": "0.0",
        "change": "0.0",
        "change_unit": "pt",
    }
    assert evaluation.figures["pass_rate"]["value"] is None
    assert evaluation.figures["_measures"] == [
        {
            "clause": "三（一）1",
            "title": "积极推行联合执法",
            "role": "分工负责",
            "status": "not_started",
            "label": "未开始",
            "late": False,
            "reason": "尚无佐证",
        },
        {
            "clause": "三（二）2",
            "title": "制定涉企行政检查事项清单",
            "role": "配合",
            "status": "overdue",
            "label": "逾期",
            "late": True,
            "reason": "时限 2026-04-30 已过，尚未完成",
        },
        {
            "clause": "三（三）1",
            "title": "推行入企扫码",
            "role": "牵头",
            "status": "done",
            "label": "已完成",
            "late": True,
            "reason": "2026-07-15 完成，晚于时限",
        },
    ]
    assert evaluation.summary.startswith(
        "2026年1月1日至11月16日，危化股现场入企 2 次，同比下降 33.3%；联合检查入企 0 次；"
        "联合检查占比 0.0%；"
    )
    assert evaluation.results == (
        "承担的3项工作措施中已完成1项。现场入企：达标（目标：同比变化不高于（%） -30.0）。"
    )
    assert evaluation.problems == (
        "三（一）1 积极推行联合执法：未开始，尚无佐证。"
        "三（二）2 制定涉企行政检查事项清单：逾期，时限 2026-04-30 已过，尚未完成。"
        "三（三）1 推行入企扫码：已完成，2026-07-15 完成，晚于时限。"
    )
    assert (
        evaluation.next_steps
        == "继续推进三（一）1 积极推行联合执法。继续推进三（二）2 制定涉企行政检查事项清单。"
    )
    entry = AuditEntry.objects.get(action="steering.evaluation.draft")
    assert entry.target_id == str(evaluation.pk)
    assert entry.changes["filled"] == ["summary", "results", "problems", "next_steps"]


def test_a_refresh_updates_the_figures_and_keeps_the_edited_text(world, campaign) -> None:  # type: ignore[no-untyped-def]
    evaluation = _draft(world, campaign)
    evaluation_save(
        actor=world.users["hazchem"],
        evaluation=evaluation,
        fields={**TEXT, "problems": ""},
        submit=False,
        now=NOW,
    )
    _book(world, "chem", date(2026, 10, 13))
    evaluation = _draft(world, campaign)
    assert evaluation.figures["entries_onsite"]["value"] == 3
    assert evaluation.figures["entries_onsite"]["change"] == "0.0"
    assert evaluation.summary == "全年工作总结"
    assert evaluation.problems.startswith("三（一）1 积极推行联合执法：未开始")
    refresh = AuditEntry.objects.get(action="steering.evaluation.refresh")
    assert refresh.changes["filled"] == ["problems"]
    save = AuditEntry.objects.get(action="steering.evaluation.save")
    assert save.changes["summary"]["after"] == "全年工作总结"


def test_submit_return_and_submit_again(world, campaign) -> None:  # type: ignore[no-untyped-def]
    evaluation = _draft(world, campaign)
    with pytest.raises(EvaluationError, match="工作总结"):
        evaluation_save(
            actor=world.users["hazchem"],
            evaluation=evaluation,
            fields={"summary": " "},
            submit=True,
            now=NOW,
        )
    evaluation = _submit(world, evaluation)
    assert (evaluation.status, evaluation.submitted_at) == ("submitted", NOW)
    assert evaluation.submitted_by == world.users["hazchem"]
    with pytest.raises(EvaluationError, match="已报送"):
        _submit(world, evaluation)
    with pytest.raises(EvaluationError, match="已报送"):
        _draft(world, campaign)
    with pytest.raises(EvaluationError, match="只有领导小组办公室"):
        evaluation_return(actor=world.users["hazchem"], evaluation=evaluation, comment="x", now=NOW)
    with pytest.raises(EvaluationError, match="退回意见"):
        evaluation_return(actor=world.users["office"], evaluation=evaluation, comment=" ", now=NOW)
    assert Evaluation.objects.get().status == "submitted"
    evaluation = evaluation_return(
        actor=world.users["office"], evaluation=evaluation, comment="请补充典型案例", now=NOW
    )
    assert (evaluation.status, evaluation.return_comment) == ("returned", "请补充典型案例")
    note = Notification.objects.get(user=world.users["hazchem"])
    assert note.kind == "evaluation_returned"
    assert note.url == reverse("steering:evaluation_edit", args=[evaluation.pk])
    assert note.due_on == date(2026, 11, 12)
    evaluation = _submit(world, evaluation)
    assert evaluation.status == "submitted"
    actions = list(
        AuditEntry.objects.filter(action__startswith="steering.evaluation")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "steering.evaluation.draft",
        "steering.evaluation.submit",
        "steering.evaluation.return",
        "steering.evaluation.submit",
    ]


def test_only_the_section_or_the_office_drafts_and_saves(world, campaign) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EvaluationError, match="只能起草本股室"):
        _draft(world, campaign, section="coal")
    with pytest.raises(EvaluationError, match="只能起草本股室"):
        _draft(world, campaign, actor="legal_office")
    with pytest.raises(EvaluationError, match="不是本专项工作的责任股室"):
        _draft(world, campaign, section="office", actor="office")
    assert not Evaluation.objects.exists()
    coal = _draft(world, campaign, section="coal", actor="office")
    with pytest.raises(EvaluationError, match="只能填报本股室"):
        evaluation_save(
            actor=world.users["hazchem"], evaluation=coal, fields=TEXT, submit=True, now=NOW
        )
    assert Evaluation.objects.get().summary.startswith(
        "2026年1月1日至11月16日，煤矿股现场入企 1 次"
    )
    assert not AuditEntry.objects.filter(action="steering.evaluation.submit").exists()


def test_the_bureau_report_is_a_numbered_document_listing_measures_for_accountability(  # type: ignore[no-untyped-def]
    world, campaign
) -> None:
    with pytest.raises(EvaluationError, match="尚无股室报送"):
        bureau_evaluation_consolidate(actor=world.users["office"], campaign=campaign, now=NOW)
    with pytest.raises(EvaluationError, match="只有领导小组办公室"):
        bureau_evaluation_consolidate(actor=world.users["hazchem"], campaign=campaign, now=NOW)
    assert not BureauEvaluation.objects.exists() and not IssuedDocument.objects.exists()
    _submit(world, _draft(world, campaign))
    report = bureau_evaluation_consolidate(actor=world.users["office"], campaign=campaign, now=NOW)
    document = report.document
    assert (document.kind, document.number, document.version) == ("campaign_evaluation", NUMBER, 1)
    assert (report.consolidated_by, report.consolidated_at) == (world.users["office"], NOW)
    text = _text(bytes(document.content))
    assert "关于2026年“听民意办实事”专项工作总结评估情况的报告" in text
    assert "文水县人民政府：" in text
    assert "签发人：张局长" in text
    assert (
        "一、主要成效。现场入企3次，同比持平；联合检查入企0次；联合检查占比0.0%，同比持平；" in text
    )
    assert "现场入企（次）|3|3|持平|未达标（目标：同比变化不高于（%） -30.0）" in text
    assert "（一）危化股。全年工作总结 成效。" in text
    assert "（二）煤矿股。尚未报送总结评估报告。" in text
    assert "方案确定的3项措施中，已完成1项；未完成或逾期完成的3项如下" in text
    assert "1．三（一）1 积极推行联合执法（牵头：未指定）：未开始，尚无佐证。" in text
    overdue = "2．三（二）2 制定涉企行政检查事项清单（牵头：未指定）：逾期，时限 2026-04-30 已过"
    assert overdue + "，尚未完成。" in text
    assert "3．三（三）1 推行入企扫码（牵头：危化股）：已完成，2026-07-15 完成，晚于时限。" in text
    assert "危化股：问题。" in text and "危化股：打算。" in text
    assert "特此报告。" in text
    entry = AuditEntry.objects.get(action="steering.evaluation.consolidate")
    assert entry.changes == {
        "number": NUMBER,
        "version": 1,
        "sections": ["危化股"],
        "accountable": ["三（一）1", "三（二）2", "三（三）1"],
    }
    with pytest.raises(EvaluationError, match="重新汇总请填写理由"):
        bureau_evaluation_consolidate(actor=world.users["office"], campaign=campaign, now=NOW)
    again = bureau_evaluation_consolidate(
        actor=world.users["office"], campaign=campaign, now=NOW, reason="煤矿股补报"
    )
    assert (again.document.number, again.document.version) == (NUMBER, 2)
    assert again.document.supersedes == document
    assert BureauEvaluation.objects.count() == 1
    assert IssuedDocument.objects.filter(kind="campaign_evaluation").count() == 2


# --- pages ---------------------------------------------------------------------------------------


def test_the_pages_draft_edit_submit_and_return(world, campaign, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.users["hazchem"])
    listing = client.get(reverse("steering:evaluation_list", args=[campaign.pk]))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "危化股" in html and "煤矿股" not in html
    assert "总结评估阶段时限：2026-11-12" in html
    start = reverse("steering:evaluation_start", args=[campaign.pk])
    coal = world.sections["coal"].pk
    assert client.post(start, {"section": coal}).status_code == 404
    assert client.post(start, {"section": "x"}).status_code == 404
    answer = client.post(start, {"section": world.sections["hazchem"].pk})
    evaluation = Evaluation.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "steering:evaluation_edit", args=[evaluation.pk]
    )
    edit = reverse("steering:evaluation_edit", args=[evaluation.pk])
    page = client.get(edit).content.decode()
    assert 'data-testid="evaluation-form"' in page and "推行入企扫码" in page
    assert "下降 33.3%" in page and "text-bg-success" in page
    client.post(edit, {**TEXT, "action": "submit"})
    assert Evaluation.objects.get().status == "submitted"
    assert 'data-testid="evaluation-form"' not in client.get(edit).content.decode()
    refused = client.post(edit, {**TEXT, "summary": "改", "action": "save"})
    assert "报告已报送；如需修改，请领导小组办公室退回" in refused.content.decode()
    assert Evaluation.objects.get().summary == "全年工作总结"
    returning = reverse("steering:evaluation_return", args=[evaluation.pk])
    assert client.post(returning, {"comment": "x"}).status_code == 403
    client.force_login(world.users["office"])
    office_list = client.get(reverse("steering:evaluation_list", args=[campaign.pk])).content
    assert "煤矿股" in office_list.decode()
    assert client.post(returning, {"comment": "请补充"}).status_code == 302
    assert Evaluation.objects.get().status == "returned"
    client.force_login(world.users["other_office"])
    assert client.get(edit).status_code == 404
    assert client.get(reverse("steering:evaluation_list", args=[campaign.pk])).status_code == 404


def test_the_office_consolidates_and_the_readers_download_the_stored_bytes(  # type: ignore[no-untyped-def]
    world, campaign, client
) -> None:
    consolidate = reverse("steering:evaluation_consolidate", args=[campaign.pk])
    download = reverse("steering:evaluation_report", args=[campaign.pk])
    _submit(world, _draft(world, campaign))
    client.force_login(world.users["hazchem"])
    assert client.post(consolidate).status_code == 403
    assert not BureauEvaluation.objects.exists()
    client.force_login(world.users["office"])
    assert client.get(download).status_code == 404
    assert client.post(consolidate).status_code == 302
    report = BureauEvaluation.objects.get()
    assert report.document.number == NUMBER
    listing = client.get(reverse("steering:evaluation_list", args=[campaign.pk])).content.decode()
    assert NUMBER in listing
    for user, status in (("office", 200), ("bureau_head", 200), ("discipline", 200)):
        client.force_login(world.users[user])
        served = client.get(download)
        assert served.status_code == status, user
        assert served.content == bytes(report.document.content)
        assert quote(report.document.file_name) in served["Content-Disposition"]
    client.force_login(world.users["hazchem"])
    assert client.get(download).status_code == 403
    client.force_login(world.users["other_office"])
    assert client.get(download).status_code == 404
    assert client.post(consolidate, {"reason": "x"}).status_code == 404
    assert IssuedDocument.objects.filter(kind="campaign_evaluation").count() == 1
