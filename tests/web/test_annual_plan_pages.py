"""The annual supervision plan in the app (issue 4, part 4): generated from the registry and the
rule set within caps and budget, walked through office review, the head and the county
government, exported as a 公文 Word request with an Excel annex; off-plan visits are flagged."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from openpyxl import load_workbook

from anjian.audit.models import AuditEntry
from anjian.planning.annual import annual_plan_advance, annual_plan_generate, off_plan_visits
from anjian.planning.models import AnnualPlan
from anjian.planning.services import planned_visit_submit
from tests.web.test_planning_submissions import _month, _publish, _request, _today

pytestmark = pytest.mark.django_db


def _generate(world, year: int | None = None) -> AnnualPlan:  # type: ignore[no-untyped-def]
    return annual_plan_generate(
        actor=world.users["office"],
        body=world.county,
        year=year or _today().year,
        share=Decimal("0.40"),
        today=_today(),
    )


def _approve(world, plan: AnnualPlan) -> AnnualPlan:  # type: ignore[no-untyped-def]
    office, head = world.users["office"], world.users["bureau_head"]
    for actor, action in ((office, "submit"), (office, "office_pass"), (head, "head_approve")):
        annual_plan_advance(actor=actor, plan=plan, action=action, today=_today())
    return annual_plan_advance(
        actor=office,
        plan=plan,
        action="record_approval",
        document_number="文政函〔2026〕12号",
        approved_on=_today(),
        today=_today(),
    )


def test_generation_covers_the_bodys_enterprises_with_key_ones_planned(world) -> None:  # type: ignore[no-untyped-def]
    plan = _generate(world)
    lines = {line.enterprise.name: line for line in plan.lines.select_related("enterprise")}
    assert set(lines) == {"文水县宏达化工有限公司", "山西文水鑫源煤业有限公司"}  # county only
    for line in lines.values():
        assert line.key and 1 <= len(line.months) <= line.cap
    assert plan.officers == 1 and plan.budget == plan.working_days * 40 // 100 // 2
    total = sum(len(line.months) for line in lines.values())
    assert plan.utilisation == Decimal(str(round(total * 2 / (plan.working_days * 0.4), 3)))
    assert not any("超出预算" in note for note in plan.notes)
    assert plan.status == "draft" and AuditEntry.objects.filter(action="annual_plan.generate")


def test_generation_is_refused_with_reasons(world) -> None:  # type: ignore[no-untyped-def]
    bad = [
        (world.users["hazchem"], Decimal("0.4"), _today().year, "办公室"),
        (world.users["office"], Decimal("2"), _today().year, "比例"),
        (world.users["office"], Decimal("0.4"), _today().year - 1, "过去"),
    ]
    for actor, share, year, words in bad:
        with pytest.raises(ValidationError, match=words):
            annual_plan_generate(
                actor=actor, body=world.county, year=year, share=share, today=_today()
            )
    assert AnnualPlan.objects.count() == 0


def test_regenerating_replaces_a_draft_but_not_a_submitted_plan(world) -> None:  # type: ignore[no-untyped-def]
    first = _generate(world)
    again = _generate(world)
    assert again.pk == first.pk and again.lines.count() == 2 and len(again.history) == 2
    annual_plan_advance(actor=world.users["office"], plan=again, action="submit", today=_today())
    with pytest.raises(ValidationError, match="不能重新编制"):
        _generate(world)


def test_the_approval_path_needs_the_right_role_notes_and_the_document_number(world) -> None:  # type: ignore[no-untyped-def]
    plan = _generate(world)
    office, head = world.users["office"], world.users["bureau_head"]
    with pytest.raises(ValidationError):
        annual_plan_advance(actor=head, plan=plan, action="submit", today=_today())
    annual_plan_advance(actor=office, plan=plan, action="submit", today=_today())
    annual_plan_advance(actor=office, plan=plan, action="office_pass", today=_today())
    with pytest.raises(ValidationError):
        annual_plan_advance(actor=head, plan=plan, action="head_return", today=_today())
    annual_plan_advance(actor=head, plan=plan, action="head_return", note="补充", today=_today())
    assert plan.status == "draft"
    for action in ("submit", "office_pass"):
        annual_plan_advance(actor=office, plan=plan, action=action, today=_today())
    annual_plan_advance(actor=head, plan=plan, action="head_approve", today=_today())
    assert plan.status == "submitted"
    with pytest.raises(ValidationError) as raised:
        annual_plan_advance(
            actor=office,
            plan=plan,
            action="record_approval",
            approved_on=_today() + timedelta(days=1),
            today=_today(),
        )
    assert set(raised.value.error_dict) == {"document_number", "approved_on"}
    plan.refresh_from_db()
    assert plan.status == "submitted"
    _approve_last = annual_plan_advance(
        actor=office,
        plan=plan,
        action="record_approval",
        document_number="文政函〔2026〕12号",
        approved_on=_today(),
        today=_today(),
    )
    assert _approve_last.status == "approved" and len(plan.history) == 8


def test_the_word_request_and_the_excel_annex(world) -> None:  # type: ignore[no-untyped-def]
    plan = _approve(world, _generate(world))
    from anjian.documents.services import document_for
    from anjian.planning.annual_views import annual_documents_issue

    # Issued into the register when sent to the county government (the view does it).
    annual_documents_issue(actor=world.users["bureau_head"], plan=plan, on=_today())
    issued = document_for(plan, "annual_plan_request")
    annex = document_for(plan, "annual_plan_annex")
    assert issued is not None and annex is not None
    number = f"文水应急请〔{_today().year}〕1号"  # numbered in the year it is issued
    assert issued.number == number and annex.number == ""
    document = Document(io.BytesIO(bytes(issued.content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "关于报请审批" in text and "文水县人民政府：" in text
    assert "附件：" in text and "妥否，请批示。" in text
    assert number in text
    [table] = document.tables
    assert table.rows[0].cells[1].text == "1月" and len(table.columns) == 13
    assert annex.file_name == "年度监督检查计划（附件）.xlsx"
    sheet = load_workbook(io.BytesIO(bytes(annex.content))).active
    assert sheet["B1"].value == "企业名称" and sheet.max_row == 3


def test_off_plan_enforcement_visits_are_flagged(world) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    planning_month = _month(world)
    if planning_month.month.year != _today().year:
        pytest.skip("next month is in next year: the plan of this year does not cover it")
    plan = _generate(world)
    visit = planned_visit_submit(
        actor=world.users["hazchem"],
        planning_month=planning_month,
        request=_request(world),
        today=_today(),
    )
    assert off_plan_visits(planning_month) is None  # no approved plan yet
    _approve(world, plan)
    line = plan.lines.get(enterprise=world.enterprises["chem"])
    expected = set() if planning_month.month.month in line.months else {visit.pk}
    assert off_plan_visits(planning_month) == expected
    line.months = [m for m in range(1, 13) if m != planning_month.month.month][:1]
    line.save()
    assert off_plan_visits(planning_month) == {visit.pk}


def test_the_pages_generate_show_advance_and_download(world, client, login) -> None:  # type: ignore[no-untyped-def]
    login(world.users["office"])
    response = client.post(
        "/planning/annual/generate/", {"year": _today().year, "share": "40"}, follow=True
    )
    plan = AnnualPlan.objects.get()
    assert response.status_code == 200 and response.context["plan"] == plan
    bad = client.post("/planning/annual/generate/", {"year": "x", "share": ""}, follow=True)
    assert "请填写年度" in bad.content.decode()
    client.post(f"/planning/annual/{plan.pk}/advance/", {"action": "submit"})
    plan.refresh_from_db()
    assert plan.status == "office_review"
    refused = client.post(
        f"/planning/annual/{plan.pk}/advance/", {"action": "head_approve"}, follow=True
    )
    assert "不能执行" in refused.content.decode()
    docx = client.get(f"/planning/annual/{plan.pk}/plan.docx")
    assert docx.status_code == 200 and docx["Content-Type"].endswith("document")
    assert client.get(f"/planning/annual/{plan.pk}/annex.xlsx").status_code == 200
    login(world.users["other_office"])
    assert client.get(f"/planning/annual/{plan.pk}/").status_code == 404
    login(world.users["enterprise"])
    assert client.get("/planning/annual/").status_code == 403
    login(world.users["bureau_head"])
    assert client.post("/planning/annual/generate/", {"year": 2030, "share": 40}).status_code == 403
    date_bad = client.post(
        f"/planning/annual/{plan.pk}/advance/",
        {"action": "record_approval", "approved_on": "31/12"},
        follow=True,
    )
    assert date_bad.status_code == 200 and "格式" in date_bad.content.decode()


def test_a_major_hazard_source_is_key_whatever_its_sector(world) -> None:  # type: ignore[no-untyped-def]
    from anjian.registry.services import enterprise_update

    assert not world.enterprises["city_chem"].major_hazard
    other = world.enterprises["chem"]
    enterprise_update(actor=None, enterprise=other, data={"major_hazard": True})
    plan = _generate(world)
    assert plan.lines.get(enterprise=other).key_reason == "重大危险源"


def test_the_office_adjusts_a_line_within_the_rules(world, client, login) -> None:  # type: ignore[no-untyped-def]
    from anjian.planning.annual import annual_line_update

    plan = _generate(world)
    line = plan.lines.get(enterprise=world.enterprises["chem"])
    office = world.users["office"]
    bad = [
        ({"months": [1, 1], "key": True, "key_reason": "x"}, "months"),
        ({"months": list(range(1, line.remaining + 2)), "key": True, "key_reason": "x"}, "months"),
        ({"months": [], "key": True, "key_reason": "x"}, "months"),
        ({"months": [3], "key": True, "key_reason": " "}, "key_reason"),
    ]
    for change, field in bad:
        with pytest.raises(ValidationError) as raised:
            annual_line_update(actor=office, line=line, **change)
        assert field in raised.value.error_dict
    annual_line_update(
        actor=office, line=line, months=[9, 3], key=True, key_reason="上年度重大违法"
    )
    line.refresh_from_db()
    plan.refresh_from_db()
    assert line.months == [3, 9] and plan.history[-1]["action"].startswith("调整")
    login(office)
    page = client.post(
        f"/planning/annual/lines/{line.pk}/", {"months": ["5"], "key": "1", "key_reason": "复查"}
    )
    assert page.status_code == 302
    line.refresh_from_db()
    assert line.months == [5]
    refused = client.post(f"/planning/annual/lines/{line.pk}/", {"months": ["x"], "key": "1"})
    assert refused.status_code == 200 and "key_reason" in refused.context["errors"]
    for action in ("submit", "office_pass"):
        annual_plan_advance(actor=office, plan=plan, action=action, today=_today())
    line.plan.refresh_from_db()
    with pytest.raises(ValidationError, match="不能再调整"):
        annual_line_update(actor=office, line=line, months=[5], key=True, key_reason="复查")
    login(world.users["hazchem"])
    assert client.get(f"/planning/annual/lines/{line.pk}/").status_code == 403


def test_the_page_counts_in_the_database_and_pages_the_lines(world, login) -> None:  # type: ignore[no-untyped-def]
    """The figures equal a count over the lines; the lines come a page at a time (issue 17:
    a province plan has tens of thousands)."""
    from anjian.planning import annual_views
    from anjian.planning.annual_figures import annual_figures
    from anjian.planning.models import AnnualPlanLine

    plan = _generate(world)
    chem, coal = (plan.lines.get(enterprise=world.enterprises[k]) for k in ("chem", "coal"))
    AnnualPlanLine.objects.filter(pk=chem.pk).update(months=[3, 5, 11], key=True)
    AnnualPlanLine.objects.filter(pk=coal.pk).update(months=[], key=False)
    figures = annual_figures(plan.lines.all())
    assert (figures.enterprises, figures.key, figures.planned) == (2, 1, 1)
    assert figures.per_month == {3: 1, 5: 1, 11: 1} and figures.total == 3

    client = login(world.users["office"])
    original = annual_views.LINES_PER_PAGE
    annual_views.LINES_PER_PAGE = 1
    try:
        first = client.get(f"/planning/annual/{plan.pk}/")
        second = client.get(f"/planning/annual/{plan.pk}/?page=2")
    finally:
        annual_views.LINES_PER_PAGE = original
    assert first.context["total"] == 3 and first.context["enterprises"] == 2
    names = [next(iter(r.context["lines"])).enterprise.name for r in (first, second)]
    assert sorted(names) == sorted(["文水县宏达化工有限公司", "山西文水鑫源煤业有限公司"])
    assert "第 1 / 2 页" in first.content.decode()
    keyed = client.get(f"/planning/annual/{plan.pk}/?key=1")
    assert [line.pk for line in keyed.context["lines"]] == [chem.pk]
