"""The work plan as data (issue 18, items 1 and 2): a campaign created blank or from the shipped
Wenshui plan, its settings and phases, measures with their sections, progress and linked
evidence, the measures' Excel import and export, the leadership group and its office."""

from __future__ import annotations

import io
from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from anjian.accounts.models import Section
from anjian.audit.models import AuditEntry
from anjian.documents.services import document_issue
from anjian.enforcement.models import BenchmarkVersion
from anjian.enforcement.services.library import version_adopt
from anjian.policy.models import InspectionItemList, QuietMonth
from anjian.policy.services.items import item_list_publish, item_list_start
from anjian.policy_data.campaigns import SECTION_KINDS, shipped_plan
from anjian.steering.access import is_office
from anjian.steering.evidence import SOURCES, candidates
from anjian.steering.models import (
    Campaign,
    LeadershipMember,
    Measure,
    MeasureEvidence,
    OfficeMember,
)
from anjian.steering.selectors import measure_states
from anjian.steering.services.campaign import campaign_create, campaign_from_plan, plan_section_gaps
from anjian.steering.services.measures import (
    MeasureData,
    evidence_add,
    evidence_remove,
    measure_create,
    measure_progress,
    measure_update,
)
from anjian.steering.services.people import office_member_add
from tests.clock import TEST_TODAY
from tests.web.steering_helpers import campaign_for

pytestmark = pytest.mark.django_db
YEAR = TEST_TODAY.year
PLAN = shipped_plan("wenshui-2025")


def _sections(world) -> dict[str, Section]:  # type: ignore[no-untyped-def]
    """The county's sections the plan names besides the world's own."""
    made = {
        "legal": Section.objects.create(body=world.county, name="法制办", kind="legal"),
        "team": Section.objects.create(
            body=world.county, name="综合行政执法队", kind="enforcement_team"
        ),
        "hr": Section.objects.create(body=world.county, name="人事财务股", kind="hr_finance"),
    }
    world.sections.update(made)
    return made


def _counts() -> tuple[int, ...]:
    return (
        Campaign.objects.count(),
        Measure.objects.count(),
        MeasureEvidence.objects.count(),
        LeadershipMember.objects.count(),
        OfficeMember.objects.count(),
        AuditEntry.objects.count(),
    )


def test_vocabularies_match_the_models() -> None:
    assert dict(Section.Kind.choices) == SECTION_KINDS
    assert set(SOURCES) == set(MeasureEvidence.Kind.values)


# -- creating a campaign --------------------------------------------------------------------------


def test_from_the_plan_maps_measures_to_the_bodys_sections(world) -> None:  # type: ignore[no-untyped-def]
    extra = _sections(world)
    campaign = campaign_from_plan(
        actor=world.users["office"], body=world.county, year=YEAR, plan=PLAN
    )
    assert campaign.title == f"文水县应急管理局{YEAR}年“听民意办实事”专项工作"
    assert campaign.document == ""  # the plan's number belongs to 2025
    assert (campaign.reports_from, campaign.reports_until) == (date(YEAR, 4, 1), date(YEAR, 11, 12))
    phases = [(p.kind, p.name, p.deadline) for p in campaign.phases.order_by("order")]
    assert phases == [
        ("phase", "安排部署阶段", date(YEAR, 4, 15)),
        ("phase", "集中整治阶段", date(YEAR, 10, 31)),
        ("phase", "总结评估阶段", date(YEAR, 11, 12)),
        ("milestone", "制度机制基本建立", date(YEAR, 8, 31)),
        ("milestone", "取得明显效果", date(YEAR, 10, 31)),
    ]
    measures = {m.clause: m for m in campaign.measures.all()}
    assert len(measures) == 13
    items = measures["三（二）2"]
    assert items.lead_section == extra["legal"]
    assert {s.name for s in items.supporting_sections.all()} == {
        "危化股",
        "煤矿股",
        "综合行政执法队",
    }
    assert (items.deadline, items.all_sections) == (date(YEAR, 4, 30), False)
    assert items.content.endswith(
        "\n责任单位（方案原文）：法制办牵头，各业务股室、执法队配合，4月底前完成"
    )
    assert measures["三（二）1"].lead_section == world.sections["office"]
    assert measures["三（二）1"].all_sections is True
    assert measures["三（四）2"].lead_section == extra["hr"]
    assert list(measures["三（四）1"].supporting_sections.all()) == [extra["hr"]]
    leaders = [(m.post, m.name) for m in campaign.leaders.order_by("order")]
    assert leaders[0] == ("leader", "闫东晓") and len(leaders) == 9
    entry = AuditEntry.objects.get(action="steering.campaign.from_plan")
    assert entry.changes["unassigned"] == [] and entry.changes["measures"][5] == "三（二）2"
    plan_2025 = campaign_from_plan(actor=None, body=world.county, year=2025, plan=PLAN)
    assert plan_2025.document == "文应急发〔2025〕46号"


def test_sections_the_body_lacks_are_reported_and_left_to_the_office(world) -> None:  # type: ignore[no-untyped-def]
    gaps = plan_section_gaps(world.county, PLAN)
    assert gaps[:2] == [
        "三（二）2：本单位没有法制类股室，未设牵头股室",
        "三（二）2：本单位没有综合行政执法队类股室，未列入配合股室",
    ]
    assert "三（四）2：本单位没有人事财务类股室，未设牵头股室" in gaps
    campaign = campaign_from_plan(actor=None, body=world.county, year=YEAR, plan=PLAN)
    items = campaign.measures.get(clause="三（二）2")
    assert items.lead_section is None
    assert [s.name for s in items.supporting_sections.order_by("id")] == ["危化股", "煤矿股"]
    assert (
        AuditEntry.objects.get(action="steering.campaign.from_plan").changes["unassigned"] == gaps
    )


def test_creating_is_the_offices_and_once_a_year(world) -> None:  # type: ignore[no-untyped-def]
    fields = {
        "title": "专项",
        "reports_from": date(YEAR, 4, 1),
        "reports_until": date(YEAR, 11, 30),
    }
    campaign_create(actor=world.users["office"], body=world.county, year=YEAR, **fields)
    before = _counts()
    with pytest.raises(ValidationError) as again:
        campaign_create(actor=world.users["office"], body=world.county, year=YEAR, **fields)
    assert again.value.message_dict == {"year": [f"文水县应急管理局{YEAR}年度的专项工作已经建立"]}
    for user in ("hazchem", "bureau_head", "other_office"):
        with pytest.raises(PermissionDenied):
            campaign_create(actor=world.users[user], body=world.county, year=YEAR + 1, **fields)
    with pytest.raises(ValidationError) as dates:
        campaign_create(
            actor=world.users["office"],
            body=world.county,
            year=YEAR + 1,
            title=" ",
            reports_from=date(YEAR + 1, 5, 1),
            reports_until=date(YEAR + 1, 4, 1),
            report_weekday=7,
        )
    assert dates.value.message_dict == {
        "title": ["请填写名称"],
        "reports_until": ["周调度结束日期早于开始日期"],
        "report_weekday": ["报送日应为周一至周日"],
    }
    assert _counts() == before


def test_the_office_creates_a_campaign_from_the_template_page(world, client, login) -> None:  # type: ignore[no-untyped-def]
    login(world.users["office"])
    page = client.get(reverse("steering:campaign_new"))
    assert page.status_code == 200
    assert "三（二）2：本单位没有法制类股室，未设牵头股室" in page.content.decode()
    answer = client.post(
        reverse("steering:campaign_new"), {"source": "plan", "plan": "wenshui-2025", "year": YEAR}
    )
    campaign = Campaign.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("steering:campaign_detail", args=[campaign.pk])
    assert campaign.measures.count() == 13 and campaign.created_by == world.users["office"]
    again = client.post(
        reverse("steering:campaign_new"), {"source": "plan", "plan": "wenshui-2025", "year": YEAR}
    )
    assert again.status_code == 200 and Campaign.objects.count() == 1
    assert f"文水县应急管理局{YEAR}年度的专项工作已经建立" in again.content.decode()


def test_a_blank_campaign_and_its_settings(world, client, login) -> None:  # type: ignore[no-untyped-def]
    login(world.users["office"])
    form = {
        "source": "blank",
        "year": YEAR,
        "title": "安全生产专项工作",
        "reports_from": f"{YEAR}-05-01",
        "reports_until": f"{YEAR}-11-30",
        "report_weekday": 4,
        "report_time": "17:00",
        "report_grace_days": 3,
    }
    assert client.post(reverse("steering:campaign_new"), form).status_code == 302
    campaign = Campaign.objects.get()
    assert (campaign.title, campaign.measures.count()) == ("安全生产专项工作", 0)
    url = reverse("steering:campaign_settings", args=[campaign.pk])
    assert client.get(url).status_code == 200
    changed = form | {"report_weekday": 3, "report_time": "12:00", "report_grace_days": 1}
    assert client.post(url, changed).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.report_weekday, campaign.report_time, campaign.report_grace_days) == (
        3,
        time(12, 0),
        1,
    )
    entry = AuditEntry.objects.get(action="steering.campaign.update")
    assert entry.changes["report_weekday"] == {"before": 4, "after": 3}
    assert entry.changes["report_time"] == {"before": "17:00:00", "after": "12:00:00"}
    login(world.users["hazchem"])
    assert client.get(reverse("steering:campaign_new")).status_code == 403
    assert client.get(url).status_code == 403
    login(world.users["other_office"])
    assert client.get(url).status_code == 404


def test_phases_are_added_changed_and_removed_by_the_office(world, client, login) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(world, YEAR)
    login(world.users["office"])
    url = reverse("steering:plan_phases", args=[campaign.pk])
    bad = {
        "kind": "milestone",
        "name": "制度机制基本建立",
        "deadline": f"{YEAR + 1}-08-31",
        "order": 4,
    }
    answer = client.post(url, bad)
    assert answer.status_code == 200 and f"时限应在 {YEAR} 年内" in answer.content.decode()
    assert client.post(url, bad | {"deadline": f"{YEAR}-08-31"}).status_code == 302
    phase = campaign.phases.get(name="制度机制基本建立")
    edit = reverse("steering:phase_edit", args=[phase.pk])
    assert client.post(edit, bad | {"deadline": f"{YEAR}-09-15"}).status_code == 302
    phase.refresh_from_db()
    assert phase.deadline == date(YEAR, 9, 15)
    login(world.users["hazchem"])
    before = _counts()
    assert client.post(reverse("steering:phase_delete", args=[phase.pk])).status_code == 403
    assert client.get(url).status_code == 200  # everyone reads the plan
    assert _counts() == before
    login(world.users["office"])
    assert client.post(reverse("steering:phase_delete", args=[phase.pk])).status_code == 302
    assert not campaign.phases.filter(pk=phase.pk).exists()
    actions = (
        AuditEntry.objects.filter(action__startswith="steering.phase")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert list(actions) == [
        "steering.phase.create",
        "steering.phase.update",
        "steering.phase.delete",
    ]


# -- measures -------------------------------------------------------------------------------------


def test_measure_rules(world) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(world, YEAR)
    office = world.users["office"]
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        measure_create(
            actor=office,
            campaign=campaign,
            data=MeasureData(
                clause="三（一）1",
                title="",
                lead_section=world.sections["other_hazchem"],
                supporting_sections=(world.sections["hazchem"],),
                deadline=date(YEAR + 1, 4, 1),
            ),
        )
    assert refused.value.message_dict == {
        "lead_section": ["牵头股室“危化股”不是本单位的股室"],
        "clause": ["条款“三（一）1”已有措施"],
        "title": ["请填写措施名称"],
        "deadline": [f"完成时限应在 {YEAR} 年内（最迟 {YEAR + 1}-03-31），实为 {YEAR + 1}-04-01"],
    }
    with pytest.raises(ValidationError) as nobody:
        measure_create(actor=office, campaign=campaign, data=MeasureData(clause="四", title="x"))
    assert nobody.value.message_dict == {
        "lead_section": ["请指定牵头股室、配合股室，或选择“各业务股室分工负责”"]
    }
    with pytest.raises(PermissionDenied):
        measure_create(
            actor=world.users["hazchem"],
            campaign=campaign,
            data=MeasureData(clause="四", title="x", all_sections=True),
        )
    assert _counts() == before
    items = campaign.measures.get(clause="三（二）2")
    changed = measure_update(
        actor=office,
        measure=items,
        data=MeasureData(
            clause="三（二）2",
            title="制定涉企行政检查事项清单",
            lead_section=world.sections["office"],
            supporting_sections=(world.sections["hazchem"], world.sections["coal"]),
            deadline=date(YEAR, 5, 31),
        ),
    )
    assert (changed.lead_section, changed.deadline, changed.order) == (
        world.sections["office"],
        date(YEAR, 5, 31),
        2,
    )
    entry = AuditEntry.objects.get(action="steering.measure.update")
    assert entry.changes == {
        "lead_section": {"before": None, "after": "办公室"},
        "deadline": {"before": f"{YEAR}-04-30", "after": f"{YEAR}-05-31"},
        "supporting_sections": {"before": ["危化股"], "after": ["危化股", "煤矿股"]},
    }


def test_the_office_adds_a_measure_by_form(world, client, login) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(world, YEAR)
    login(world.users["office"])
    url = reverse("steering:measure_new", args=[campaign.pk])
    assert client.get(url).status_code == 200
    form = {
        "clause": "三（四）2",
        "title": "加强对安全培训机构的指导监督",
        "lead_section": world.sections["office"].pk,
        "supporting_sections": [world.sections["hazchem"].pk, world.sections["coal"].pk],
        "deadline": f"{YEAR}-09-30",
    }
    answer = client.post(url, form)
    measure = campaign.measures.get(clause="三（四）2")
    assert answer["Location"] == reverse("steering:measure_detail", args=[measure.pk])
    assert measure.order == 3
    assert [s.name for s in measure.supporting_sections.order_by("id")] == ["危化股", "煤矿股"]
    page = client.get(reverse("steering:measure_detail", args=[measure.pk]))
    assert "加强对安全培训机构的指导监督" in page.content.decode()
    login(world.users["hazchem"])
    assert client.get(url).status_code == 403
    assert client.get(reverse("steering:measure_edit", args=[measure.pk])).status_code == 403
    login(world.users["other_office"])
    assert client.get(reverse("steering:measure_detail", args=[measure.pk])).status_code == 404


def test_progress_by_a_responsible_section_and_states(world, client, login) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(world, YEAR)
    joint = campaign.measures.get(clause="三（一）1")  # 各业务股室
    items = campaign.measures.get(clause="三（二）2")  # 危化股 supports, due 04-30
    only_office = measure_create(
        actor=None,
        campaign=campaign,
        data=MeasureData(
            clause="三（二）1", title="年度计划", lead_section=world.sections["office"]
        ),
    )
    hazchem = world.users["hazchem"]
    before = _counts()
    with pytest.raises(PermissionDenied):
        measure_progress(
            actor=hazchem,
            measure=only_office,
            started=True,
            done_on=None,
            note="",
            today=TEST_TODAY,
        )
    with pytest.raises(ValidationError) as future:
        measure_progress(
            actor=hazchem,
            measure=joint,
            started=True,
            done_on=date(YEAR, 12, 1),
            note="",
            today=date(YEAR, 11, 16),
        )
    assert future.value.message_dict == {"done_on": [f"完成日期不能晚于今天（{YEAR}-11-16）"]}
    assert _counts() == before
    login(hazchem)
    answer = client.post(
        reverse("steering:measure_progress", args=[items.pk]),
        {"done_on": f"{YEAR}-05-06", "progress_note": "清单已公布"},
    )
    assert answer.status_code == 302
    measure_progress(
        actor=hazchem, measure=joint, started=True, done_on=None, note="每月汇总", today=TEST_TODAY
    )
    with CaptureQueriesContext(connection) as queries:
        states = {m.clause: s for m, s in measure_states(campaign, date(YEAR, 6, 1))}
    assert len(queries) == 2
    assert (states["三（二）2"].status, states["三（二）2"].late) == ("done", True)
    assert states["三（二）2"].reason == f"{YEAR}-05-06 完成，晚于时限"
    assert (states["三（一）1"].status, states["三（一）1"].reason) == ("in_progress", "已开始推进")
    assert states["三（二）1"].status == "not_started"
    entry = AuditEntry.objects.filter(action="steering.measure.progress").order_by("id").first()
    assert entry is not None and entry.changes["done_on"] == {
        "before": None,
        "after": f"{YEAR}-05-06",
    }
    assert entry.changes["started"] == {"before": False, "after": True}


# -- evidence -------------------------------------------------------------------------------------


def _published_list(body, day: date) -> InspectionItemList:  # type: ignore[no-untyped-def]
    draft = item_list_start(actor=None, body=body, today=day)
    return item_list_publish(actor=None, draft=draft, today=day, change_note="依据省厅清单")


def test_evidence_links_records_of_the_body(world) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(world, YEAR)
    items = campaign.measures.get(clause="三（二）2")
    own = _published_list(world.county, date(YEAR, 4, 28))
    foreign = _published_list(world.other_county, date(YEAR, 4, 20))
    office = world.users["office"]
    row = evidence_add(actor=office, measure=items, kind="item_list", subject_pk=str(own.pk))
    assert (row.label, row.dated, row.added_by) == (str(own), date(YEAR, 4, 28), office)
    before = _counts()
    refusals = [
        (
            "item_list",
            str(foreign.pk),
            "没有找到本单位的这份检查事项清单（可能不存在、未发布或不属于本单位）",
        ),
        (
            "item_list",
            "999999",
            "没有找到本单位的这份检查事项清单（可能不存在、未发布或不属于本单位）",
        ),
        ("item_list", str(own.pk), "该记录已是本措施的佐证"),
        ("item_list", "x1", "记录编号不正确"),
        (
            "annual_plan",
            "1",
            "没有找到本单位的这份年度监督检查计划（可能不存在、未发布或不属于本单位）",
        ),
        ("photo", "1", "未知的佐证类型：photo"),
    ]
    for kind, pk, message in refusals:
        with pytest.raises(ValidationError) as refused:
            evidence_add(actor=office, measure=items, kind=kind, subject_pk=pk)
        assert refused.value.messages == [message]
    with pytest.raises(PermissionDenied):
        evidence_add(actor=world.users["hazchem"], measure=items, kind="item_list", subject_pk="1")
    with pytest.raises(PermissionDenied):
        evidence_remove(actor=world.users["hazchem"], row=row)
    assert _counts() == before
    evidence_remove(actor=office, row=row)
    assert not MeasureEvidence.objects.exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="steering.evidence")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["steering.evidence.add", "steering.evidence.remove"]


def test_documents_naming_no_enterprise_are_evidence(world) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(world, YEAR)
    measure = campaign.measures.get(clause="三（一）1")

    def issue(body, enterprise=None):  # type: ignore[no-untyped-def]
        return document_issue(
            actor=None,
            body=body,
            kind="annual_plan_request",
            subject=campaign,
            on=date(YEAR, 3, 2),
            render=lambda stamp: b"docx",
            enterprise=enterprise,
        )

    own = issue(world.county)
    about_a_firm = issue(world.county, world.enterprises["chem"])
    foreign = issue(world.other_county)
    offered = [
        c.subject_pk for _, found in candidates(campaign) for c in found if c.kind == "document"
    ]
    assert offered == [str(own.pk)]
    row = evidence_add(actor=None, measure=measure, kind="document", subject_pk=str(own.pk))
    assert (row.label, row.dated) == (f"{own.number}关于年度监督检查计划的请示", date(YEAR, 3, 2))
    for other in (about_a_firm, foreign):
        with pytest.raises(ValidationError):
            evidence_add(actor=None, measure=measure, kind="document", subject_pk=str(other.pk))
    assert MeasureEvidence.objects.count() == 1


def test_the_picker_offers_the_bodys_candidates(world, client, login) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(world, YEAR)
    own = _published_list(world.county, date(YEAR, 4, 28))
    _published_list(world.other_county, date(YEAR, 4, 20))
    QuietMonth.objects.create(body=world.county, month=date(YEAR, 5, 1), days=list(range(1, 11)))
    QuietMonth.objects.create(body=world.other_county, month=date(YEAR, 5, 1), days=[1])
    world.enterprises["chem"].__class__.objects.filter(pk=world.enterprises["chem"].pk).update(
        is_contact_point=True
    )
    starter = BenchmarkVersion.objects.order_by("pk").first()
    assert starter is not None  # loaded by a migration
    version_adopt(
        actor=world.users["legal_office"],
        version=starter,
        title="应急管理行政处罚裁量权基准",
        document="应急〔2024〕90号",
    )
    groups = {label: [c.label for c in found] for label, found in candidates(campaign)}
    assert groups["裁量基准"] == [f"应急管理行政处罚裁量权基准（{starter.version}）"]
    assert groups["检查事项清单"] == [str(own)]
    assert groups["安静期安排"] == [f"{YEAR}年05月企业安静期（10日）"]
    assert groups["基层联系点"] == ["文水县应急管理局基层联系点（1家企业）"]
    assert groups["入企规则集"][0].startswith("shanxi-2025 第1版：")
    items = campaign.measures.get(clause="三（二）2")
    login(world.users["office"])
    page = client.get(reverse("steering:measure_detail", args=[items.pk]))
    assert f'value="item_list:{own.pk}"' in page.content.decode()
    answer = client.post(
        reverse("steering:evidence_add", args=[items.pk]),
        {"choice": f"item_list:{own.pk}", "note": "4月28日公布"},
    )
    assert answer.status_code == 302
    row = MeasureEvidence.objects.get()
    assert (row.kind, row.subject_pk, row.note) == ("item_list", str(own.pk), "4月28日公布")
    assert measure_states(campaign, date(YEAR, 4, 29))[1][1].reason == "已有 1 项佐证"
    login(world.users["hazchem"])
    assert client.post(reverse("steering:evidence_remove", args=[row.pk])).status_code == 403
    login(world.users["office"])
    assert client.post(reverse("steering:evidence_remove", args=[row.pk])).status_code == 302
    assert not MeasureEvidence.objects.exists()


# -- Excel ----------------------------------------------------------------------------------------

HEADER = ["条款", "措施", "内容", "牵头股室", "配合股室", "各业务股室分工负责", "完成时限"]


def _file(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "measures.xlsx"
    return data


def test_import_checks_every_row_then_writes_all(world, client, login) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(world, YEAR)
    login(world.users["office"])
    url = reverse("steering:measure_import", args=[campaign.pk])
    template = client.get(reverse("steering:measure_template", args=[campaign.pk]))
    assert [c.value for c in load_workbook(io.BytesIO(template.content)).active[1]] == HEADER
    bad = [
        ["三（三）1", "严格执行行政检查裁量权基准", "", "法制办", "危化股", "否", "04-30"],
        ["三（三）2", "", "", "", "危化股、安监股", "是", "4月31日"],
        ["三（三）2", "依法实施柔性执法", "", "办公室", "", "也许", ""],
    ]
    before = _counts()
    checked = client.post(url, {"file": _file(bad)})
    errors = [
        (row.number, header, reason)
        for row in checked.context["check"].bad_rows
        for header, reason in row.errors
    ]
    assert errors == [
        (2, "牵头股室", "本单位没有名为“法制办”的股室"),
        (3, "措施", "必填项为空"),
        (3, "完成时限", "日期“4月31日”不存在"),
        (3, "配合股室", "本单位没有名为“安监股”的股室"),
        (3, "条款", "文件中条款“三（三）2”重复"),
        (4, "各业务股室分工负责", "应填“是”或“否”，实为“也许”"),
        (4, "条款", "文件中条款“三（三）2”重复"),
    ]
    assert _counts() == before
    good = [
        [
            "三（三）1",
            "严格执行行政检查裁量权基准",
            "控制检查频次",
            "办公室",
            "危化股、煤矿股",
            "否",
            "04-30",
        ],
        ["三（二）2", "制定并公布涉企行政检查事项清单", "", "", "危化股", "否", f"{YEAR}-05-31"],
    ]
    checked = client.post(url, {"file": _file(good)})
    assert checked.context["check"].ok
    done = client.post(url, {"confirm": "1", "token": checked.context["token"]})
    assert done["Location"] == reverse("steering:measure_list", args=[campaign.pk])
    added = campaign.measures.get(clause="三（三）1")
    assert (added.lead_section, added.deadline, added.order) == (
        world.sections["office"],
        date(YEAR, 4, 30),
        3,
    )
    assert [s.name for s in added.supporting_sections.order_by("id")] == ["危化股", "煤矿股"]
    changed = campaign.measures.get(clause="三（二）2")
    assert (changed.title, changed.deadline) == (
        "制定并公布涉企行政检查事项清单",
        date(YEAR, 5, 31),
    )
    summary = AuditEntry.objects.get(action="steering.measure.import")
    assert summary.changes == {"rows": 2, "added": 1, "changed": 1}
    login(world.users["hazchem"])
    assert client.get(url).status_code == 403


def test_export_lists_measures_with_their_status(world, client, login) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(world, YEAR)
    login(world.users["hazchem"])  # every reader may export
    answer = client.get(reverse("steering:measure_export", args=[campaign.pk]))
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(answer.content)).active]
    assert rows[0][:8] == [*HEADER, "状态"]
    assert rows[1][:8] == ["三（一）1", "积极推行联合执法", None, None, None, "是", None, "未开始"]
    assert rows[2][3:8] == [None, "危化股", "否", rows[2][6], "逾期"]
    assert rows[2][6].date() == date(YEAR, 4, 30)


# -- leadership group and office ------------------------------------------------------------------


def test_the_office_keeps_the_leadership_group(world, client, login) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(world, YEAR)
    url = reverse("steering:leaders", args=[campaign.pk])
    login(world.users["office"])
    form = {
        "action": "leader",
        "name": "闫东晓",
        "post": "leader",
        "title": "党委书记、局长",
        "order": 0,
    }
    assert client.post(url, form | {"user": world.users["other_office"].pk}).status_code == 200
    assert not LeadershipMember.objects.exists()
    assert client.post(url, form | {"user": world.users["bureau_head"].pk}).status_code == 302
    leader = LeadershipMember.objects.get()
    assert (leader.name, leader.post, leader.user) == (
        "闫东晓",
        "leader",
        world.users["bureau_head"],
    )
    edit = reverse("steering:leader_edit", args=[leader.pk])
    assert client.post(edit, form | {"post": "deputy", "user": ""}).status_code == 302
    leader.refresh_from_db()
    assert (leader.post, leader.user) == ("deputy", None)
    login(world.users["hazchem"])
    before = _counts()
    assert client.post(url, form).status_code == 403
    assert client.post(reverse("steering:leader_delete", args=[leader.pk])).status_code == 403
    assert client.get(url).status_code == 200
    assert _counts() == before
    changes = AuditEntry.objects.get(action="steering.leader.update").changes
    assert changes == {
        "post": {"before": "leader", "after": "deputy"},
        "user": {"before": "bureau_head", "after": None},
    }


def test_the_head_gives_a_section_user_the_offices_capability(world, client, login) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_for(world, YEAR)
    hazchem = world.users["hazchem"]
    url = reverse("steering:leaders", args=[campaign.pk])
    assert not is_office(hazchem, campaign)
    before = _counts()
    with pytest.raises(PermissionDenied):
        office_member_add(actor=world.users["discipline"], campaign=campaign, user=hazchem)
    with pytest.raises(ValidationError) as foreign:
        office_member_add(
            actor=world.users["bureau_head"], campaign=campaign, user=world.users["other_office"]
        )
    assert foreign.value.message_dict == {"user": ["只能指定本单位在职工作人员"]}
    login(world.users["discipline"])
    assert client.post(url, {"action": "office", "user": hazchem.pk}).status_code == 403
    assert _counts() == before
    login(world.users["bureau_head"])
    answer = client.post(url, {"action": "office", "user": hazchem.pk, "duty": "汇总周调度"})
    assert answer.status_code == 302
    member = OfficeMember.objects.get()
    assert (member.user, member.duty, member.granted_by) == (
        hazchem,
        "汇总周调度",
        world.users["bureau_head"],
    )
    assert is_office(hazchem, campaign)
    login(hazchem)
    assert client.get(reverse("steering:measure_new", args=[campaign.pk])).status_code == 200
    assert client.post(reverse("steering:office_remove", args=[member.pk])).status_code == 403
    login(world.users["office"])
    assert client.post(reverse("steering:office_remove", args=[member.pk])).status_code == 302
    assert not is_office(hazchem, campaign)
    actions = (
        AuditEntry.objects.filter(action__startswith="steering.office")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert list(actions) == ["steering.office.add", "steering.office.remove"]


def test_pages_read_in_a_fixed_number_of_queries(world, client, login) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_from_plan(actor=None, body=world.county, year=YEAR, plan=PLAN)
    login(world.users["office"])
    urls = [
        reverse("steering:measure_list", args=[campaign.pk]),
        reverse("steering:leaders", args=[campaign.pk]),
        reverse("steering:plan_phases", args=[campaign.pk]),
    ]
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    for index in range(20):
        measure_create(
            actor=None,
            campaign=campaign,
            data=MeasureData(clause=f"附{index}", title="附加措施", all_sections=True),
        )
    for url, first in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == first, url
