"""Penalty cases end to end: opening from a finding or an overdue order, the proposal against
the statute and the benchmark tier, legal review, the notice with its working-day windows, the
hearing, collective discussion, the decision, payment with the late fee, closure and dropping;
every refusal leaves nothing written. Then the pages through the Django client: access by role,
section and body, the main pages, and forms that re-display their errors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver

from anjian.accounts.roles import Role
from anjian.accounts.services import user_create
from anjian.audit.models import AuditEntry
from anjian.enforcement import case_urls
from anjian.enforcement.home_counts import case_warnings_for
from anjian.enforcement.models import CaseDocument, CaseEvidence, LegalReview, PenaltyCase
from anjian.enforcement.selectors import warnings_of
from anjian.enforcement.services.case_proposal import FinedPerson
from anjian.enforcement.services.case_steps import (
    case_close,
    case_decide,
    case_deliver,
    case_drop,
    case_hold_hearing,
    case_pay,
    case_record_defence,
    case_request_hearing,
    case_review,
    case_submit_review,
)
from anjian.enforcement.services.cases import case_evidence_add, case_open
from anjian.inspections.codes import qr_png
from anjian.inspections.models import Hazard
from anjian.inspections.services.records import issue_order
from tests.conftest import PASSWORD
from tests.web.penalty_helpers import (
    MONDAY,
    collective,
    decided_case,
    finding,
    notified,
    open_case,
    propose,
    reviewed,
)

pytestmark = pytest.mark.django_db

TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = (MONDAY + timedelta(days=n) for n in (1, 2, 3, 4))
NEXT_MONDAY = MONDAY + timedelta(days=7)


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def written(case: PenaltyCase) -> tuple[int, int, int, str]:
    case.refresh_from_db()
    return (case.steps.count(), case.documents.count(), case.reviews.count(), case.state)


def refused(call, *, contains: str = "") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    if contains:
        assert contains in " ".join(caught.value.messages), caught.value.messages
    return caught.value


# ---- opening a case ----------------------------------------------------------------------------


def test_a_case_opens_from_a_finding_with_a_numbered_filing_form(world) -> None:
    hazard = finding(world)
    case = open_case(world, hazard)
    assert case.number == "文水应急立〔2025〕1号"
    assert case.state == "filed" and case.source == "finding" and not case.overdue
    violation = "未在有较大危险因素的生产经营场所和有关设施、设备上设置明显的安全警示标志"
    assert case.title == f"文水县宏达化工有限公司{violation}案"
    assert case.facts == {"overdue": False, "count": 1}
    assert case.section == world.sections["hazchem"] and case.task == hazard.task
    assert list(case.findings.all()) == [hazard]
    assert case.documents.get().kind == CaseDocument.Kind.FILING
    hazard.refresh_from_db()
    assert hazard.referred_at is not None and hazard.referred_by == world.users["hazchem"]
    assert case.steps.get().event == "open"
    assert AuditEntry.objects.filter(action="case.open", target_id=str(case.pk)).exists()
    second = open_case(world, finding(world, text="灭火器过期"))
    assert second.number == "文水应急立〔2025〕2号"


def test_opening_is_refused_with_nothing_written(world) -> None:
    hazard = finding(world)
    error = refused(lambda: open_case(world, hazard, article="999", item=None))
    assert "安全生产法第999条不在法定幅度表中" in error.message_dict["provision"][0]
    error = refused(lambda: open_case(world, hazard, item="99"))
    assert "没有第99项" in error.message_dict["provision"][0]
    one = list(hazard.task.officers.all())[:1]
    error = refused(lambda: open_case(world, hazard, officers=one))
    assert "至少 2 名" in error.message_dict["officers"][0]
    refused(lambda: open_case(world, hazard, hazards=[]), contains="请选择立案的问题")
    with pytest.raises(PermissionDenied):
        open_case(world, hazard, actor=world.users["legal_office"])
    assert PenaltyCase.objects.count() == CaseDocument.objects.count() == 0
    hazard.refresh_from_db()
    assert hazard.referred_at is None
    case = open_case(world, hazard)
    error = refused(lambda: open_case(world, hazard))
    assert f"已在案件 {case.number} 中立案" in error.message_dict["hazards"][0]
    case_drop(actor=world.users["hazchem"], case=case, reason="事实不清", today=MONDAY)
    assert open_case(world, hazard).number == "文水应急立〔2025〕2号"


def test_an_overdue_order_opens_a_case_at_the_overdue_stage(world) -> None:
    hazard = finding(world)
    order = issue_order(
        actor=hazard.task.officers.first().user,  # type: ignore[union-attr]
        task=hazard.task,
        hazard_ids=[hazard.pk],
        working_days=5,
        today=hazard.task.date,
    )
    refused(
        lambda: case_open(
            actor=world.users["hazchem"],
            order=order,
            law="安全生产法",
            article="99",
            item="1",
            officers=list(hazard.task.officers.all()),
            filed_on=date.today(),
        ),
        contains="没有逾期未整改的问题",
    )
    Hazard.objects.filter(pk=hazard.pk).update(deadline=date.today() - timedelta(days=1))
    case = case_open(
        actor=world.users["hazchem"],
        order=order,
        law="安全生产法",
        article="99",
        item="1",
        officers=list(hazard.task.officers.all()),
        filed_on=date.today(),
    )
    assert case.source == "overdue" and case.overdue and case.facts["overdue"] is True
    assert list(case.findings.all()) == [hazard]


# ---- the proposal ------------------------------------------------------------------------------


def test_a_proposal_inside_the_tier_needs_no_review(world) -> None:
    case = propose(world, open_case(world, finding(world)))
    assert case.state == "proposed"
    assert (case.entry_number, case.tier, case.disposition) == ("山西-99(1)", "A", "standard")
    assert case.benchmark is not None and case.benchmark.key == "mem-2024-90"
    assert case.suggestion["suggestion"]["unit"] == {"min": 10000, "max": 10000, "amount": 10000}
    assert case.proposed_unit_fine == 10000 and case.proposed_measures == ["责令限期改正"]
    assert not (case.outside_tier or case.review_required or case.hearing_right)
    assert not case.collective_required
    step = case.steps.get(event="propose")
    assert (step.state_from, step.state_to, step.data["tier"]) == ("filed", "proposed", "A")
    refused(
        lambda: case_submit_review(actor=world.users["hazchem"], case=case, today=MONDAY),
        contains="无需法制审核",
    )


def test_a_fine_outside_the_statute_is_refused(world) -> None:
    case = open_case(world, finding(world))
    before = written(case)
    error = refused(lambda: propose(world, case, unit_fine=60000))
    assert error.message_dict["unit_fine"] == ["拟对单位罚款 60,000 元，超出法定幅度（5万元以下）"]
    error = refused(lambda: propose(world, case, person_fine=5000))
    assert error.message_dict["person_fine"] == [
        "该条款在限期内（首次）阶段未规定对直接责任人员罚款"
    ]
    error = refused(lambda: propose(world, case, unit_fine=None, measures=[]))
    assert "请填写拟罚款金额" in error.message_dict["__all__"][0]
    error = refused(lambda: propose(world, case, measures=["责令停产停业整顿"]))
    assert "不是该条款在限期内（首次）阶段规定的处罚" in error.message_dict["measures"][0]
    error = refused(lambda: propose(world, case, facts={"count": -1}))
    assert "count" in error.message_dict
    assert written(case) == before
    # at the overdue stage the law sets a fine on the responsible person too
    overdue = {"count": 1, "overdue": True}
    persons = [FinedPerson("王五", "安全员", 10000)]
    case = propose(world, case, facts=overdue, unit_fine=50000, persons=persons, measures=[])
    assert case.overdue and case.suggestion["statute"]["stage"] == "overdue"
    assert case.review_required and case.hearing_right and case.collective_required


def test_below_the_statute_only_as_mitigation_with_reasons_and_review(world) -> None:
    """减轻处罚: below the statute's minimum only with a ground of 行政处罚法第三十二条."""
    case = open_case(world, finding(world))
    overdue = {"count": 1, "overdue": True}
    before = written(case)
    error = refused(lambda: propose(world, case, facts=overdue, unit_fine=30000, measures=[]))
    assert "只有具有行政处罚法第三十二条" in error.message_dict["unit_fine"][0]
    mitigated = {**overdue, "mitigating": ["eliminated_harm"]}
    error = refused(lambda: propose(world, case, facts=mitigated, unit_fine=30000, measures=[]))
    assert "须写明偏离的理由" in error.message_dict["deviation_reason"][0]
    assert written(case) == before
    case = propose(
        world,
        case,
        facts=mitigated,
        unit_fine=30000,
        measures=[],
        deviation_reason="当事人主动消除危害后果，依法减轻处罚",
    )
    assert case.outside_tier and case.review_required
    assert case.disposition == "lenient"


def test_a_fine_outside_the_tier_needs_a_reason_and_goes_to_review(world) -> None:
    case = open_case(world, finding(world))
    before = written(case)
    error = refused(lambda: propose(world, case, unit_fine=20000))
    assert "须写明偏离的理由" in error.message_dict["deviation_reason"][0]
    assert written(case) == before
    case = propose(world, case, unit_fine=20000, deviation_reason="警示标志缺失区域大，影响面广")
    assert case.outside_tier and case.review_required  # 20,000 is below the large-fine mark
    assert not case.hearing_right and not case.collective_required
    assert case.deviation_reason == "警示标志缺失区域大，影响面广"
    case = propose(world, case, unit_fine=10000, deviation_reason="不再需要")
    assert not case.outside_tier and not case.review_required and case.deviation_reason == ""


def test_no_penalty_only_where_the_engine_allows_it(world) -> None:
    case = open_case(world, finding(world))
    error = refused(lambda: propose(world, case, unit_fine=None, measures=[], no_penalty=True))
    assert "不能拟不予处罚" in error.message_dict["no_penalty"][0]
    eligible = {"count": 1, "first_offense": True, "harm": "none", "corrected_in_time": True}
    error = refused(lambda: propose(world, case, facts=eligible, no_penalty=True))
    assert "不能同时拟罚款" in error.message_dict["no_penalty"][0]
    case = propose(world, case, facts=eligible, unit_fine=None, measures=[], no_penalty=True)
    assert case.no_penalty and case.disposition == "no_penalty_eligible"
    assert not case.review_required


# ---- legal review -----------------------------------------------------------------------------


def test_the_legal_office_rejects_a_proposal_outside_the_tier(world) -> None:
    case = propose(
        world, open_case(world, finding(world)), unit_fine=20000, deviation_reason="面广"
    )
    case_submit_review(actor=world.users["hazchem"], case=case, today=MONDAY)
    assert case.state == "reviewing"
    legal = world.users["legal_office"]
    with pytest.raises(PermissionDenied):
        case_review(actor=world.users["hazchem"], case=case, approve=True, opinion="", today=MONDAY)
    before = written(case)
    error = refused(
        lambda: case_review(actor=legal, case=case, approve=False, opinion=" ", today=MONDAY)
    )
    assert error.message_dict["opinion"] == ["退回修改须写明审核意见"]
    error = refused(
        lambda: case_review(actor=legal, case=case, approve=True, opinion="", today=MONDAY)
    )
    assert "偏离裁量阶次" in error.message_dict["opinion"][0]
    assert written(case) == before and not LegalReview.objects.exists()
    review = case_review(
        actor=legal, case=case, approve=False, opinion="偏离理由不充分，按阶次A", today=MONDAY
    )
    assert case.state == "proposed" and not case.review_approved
    assert review.verdict == "rejected" and review.proposal["unit_fine"] == 20000
    codes = [flag["code"] for flag in review.flags]
    assert "OUTSIDE_TIER" in codes and "DEVIATION_REASON" in codes
    assert "阶次 A 的幅度（1万元）" in review.flags[codes.index("OUTSIDE_TIER")]["message"]
    assert case.steps.last().event == "reject_review"  # type: ignore[union-attr]


def test_a_large_fine_needs_review_before_the_notice(world) -> None:
    case = propose(world, open_case(world, finding(world)), facts={"count": 5}, unit_fine=40000)
    assert case.tier == "E" and not case.outside_tier
    assert case.review_required and case.hearing_right and case.collective_required
    before = written(case)
    refused(lambda: notified(world, case), contains="须经法制审核通过")
    assert written(case) == before and case.notified_on is None
    reviewed(world, case)
    assert case.state == "reviewed" and case.review_approved
    case = propose(world, case, facts={"count": 5}, unit_fine=45000)
    assert case.state == "proposed" and not case.review_approved  # a new proposal, a new review


# ---- notice, defence, hearing and decision ----------------------------------------------------


def test_the_decision_waits_for_the_defence_window(world) -> None:
    case = notified(world, propose(world, open_case(world, finding(world))))
    assert case.state == "notified" and case.notified_on == MONDAY
    assert [d.kind for d in case.documents.order_by("pk")] == ["filing", "penalty_notice"]
    soon = warnings_of(case, TUESDAY, weekdays)
    assert [(w.code, w.level, w.due) for w in soon] == [("DEFENCE", "due_soon", THURSDAY)]
    assert warnings_of(case, FRIDAY, weekdays) == []  # the party's window is over, not overdue
    head = world.users["bureau_head"]
    before = written(case)
    refused(lambda: case_decide(actor=head, case=case, today=THURSDAY), contains="2025年3月6日")
    assert written(case) == before
    with pytest.raises(PermissionDenied):
        case_decide(actor=world.users["hazchem"], case=case, today=FRIDAY)
    case_decide(actor=head, case=case, today=FRIDAY)
    assert case.state == "decided" and case.decided_unit_fine == 10000
    assert case.documents.get(kind="decision").number == "文水应急罚〔2025〕1号"


def test_a_statement_adopted_after_the_notice_leads_to_a_new_proposal_and_notice(world) -> None:
    case = notified(world, propose(world, open_case(world, finding(world))))
    case_record_defence(
        actor=world.users["hazchem"], case=case, statement="已当场整改", today=TUESDAY
    )
    case = propose(world, case, today=TUESDAY)
    assert case.state == "proposed" and case.notified_on is None and not case.defence_closed
    assert case.defence_text  # the statement stays on file
    refused(lambda: case_decide(actor=world.users["bureau_head"], case=case, today=FRIDAY))
    case = notified(world, case, WEDNESDAY)
    assert case.notified_on == WEDNESDAY
    assert case.documents.filter(kind="penalty_notice").count() == 2


def test_a_defence_with_a_hearing_right_keeps_the_window_open(world) -> None:
    case = propose(world, open_case(world, finding(world)), facts={"count": 5}, unit_fine=40000)
    reviewed(world, case)
    notified(world, case)
    assert [d.kind for d in case.documents.order_by("pk")][1:] == [
        "penalty_notice",
        "hearing_notice",
    ]
    handler, head = world.users["hazchem"], world.users["bureau_head"]
    refused(lambda: case_record_defence(actor=handler, case=case, today=MONDAY), contains="请记录")
    case_record_defence(actor=handler, case=case, statement="整改已完成，请求从轻", today=TUESDAY)
    assert not case.defence_closed and case.defence_text == "整改已完成，请求从轻"
    collective(world, case, TUESDAY)
    refused(
        lambda: case_decide(actor=head, case=case, today=FRIDAY),
        contains="申请听证期限至2025年3月10日",
    )
    case_record_defence(
        actor=handler, case=case, statement="放弃听证", waive_hearing=True, today=FRIDAY
    )
    assert case.defence_closed
    case_decide(actor=head, case=case, today=FRIDAY)
    assert case.state == "decided"


def test_the_hearing_flow_counts_working_days(world) -> None:
    case = propose(world, open_case(world, finding(world)), facts={"count": 5}, unit_fine=40000)
    reviewed(world, case)
    notified(world, case)
    handler, legal, head = (world.users[n] for n in ("hazchem", "legal_office", "bureau_head"))
    before = written(case)
    late = NEXT_MONDAY + timedelta(days=1)
    refused(
        lambda: case_request_hearing(actor=handler, case=case, requested_on=late, today=late),
        contains="申请听证期限已于2025年3月10日届满",
    )
    assert written(case) == before
    case_request_hearing(actor=handler, case=case, requested_on=NEXT_MONDAY, today=late)
    assert case.state == "hearing" and case.hearing_requested
    refused(
        lambda: case_submit_review(actor=handler, case=case, today=late), contains="尚未举行听证"
    )
    collective(world, case, late)  # discussed before the hearing: the hearing makes it void
    held = date(2025, 3, 20)
    refused(
        lambda: case_hold_hearing(actor=handler, case=case, held_on=held, record="", today=held),
        contains="听证笔录",
    )
    case_hold_hearing(actor=handler, case=case, held_on=held, record="当事人称已整改", today=held)
    assert case.hearing_held and case.hearing_on == held and case.state == "hearing"
    assert not case.review_approved and not case.collective_done and case.review_required
    refused(
        lambda: case_hold_hearing(actor=handler, case=case, held_on=held, record="再开", today=held)
    )
    case_submit_review(actor=handler, case=case, today=held)
    review = case_review(actor=legal, case=case, approve=True, opinion="", today=held)
    assert review.after_hearing and case.reviewed_after_hearing and case.state == "reviewed"
    refused(lambda: notified(world, case, held), contains="不能再送达告知书")
    refused(lambda: case_decide(actor=head, case=case, today=held), contains="集体讨论")
    collective(world, case, held)
    case_decide(actor=head, case=case, today=held)
    assert case.state == "decided" and case.decided_unit_fine == 40000


# ---- payment, closure, no penalty, dropping ----------------------------------------------


def test_payment_adds_three_per_cent_a_day_after_fifteen_days(world) -> None:
    case = decided_case(world, finding(world))
    handler = world.users["hazchem"]
    assert case.state == "delivered" and case.delivered_on == TUESDAY
    refused(
        lambda: case_close(actor=handler, case=case, today=TUESDAY),
        contains="文水县宏达化工有限公司的罚款10,000元未缴纳",
    )
    paid_on = TUESDAY + timedelta(days=17)  # two days after the 15th
    before = written(case)
    error = refused(
        lambda: case_pay(actor=handler, case=case, paid_on=paid_on, amount=10000, today=paid_on)
    )
    assert error.message_dict["amount"] == [
        "应缴罚款 10,000 元及加处罚款 600 元，共 10,600 元，与所填金额不符"
    ]
    refused(
        lambda: case_pay(actor=handler, case=case, paid_on=paid_on, today=TUESDAY),
        contains="晚于今天",
    )
    assert written(case) == before
    case_pay(actor=handler, case=case, paid_on=paid_on, amount=10600, today=paid_on)
    fine = case.fines.get()
    assert (case.state, fine.paid_amount, fine.late_fee) == ("paid", 10000, 600)
    case_close(actor=handler, case=case, today=paid_on)
    assert case.state == "closed" and case.closed_on == paid_on


def test_payment_in_time_has_no_late_fee(world) -> None:
    case = decided_case(world, finding(world))
    due = TUESDAY + timedelta(days=15)
    case_pay(actor=world.users["hazchem"], case=case, paid_on=due, today=due)
    fine = case.fines.get()
    assert fine.late_fee == 0 and fine.paid_amount == 10000 and case.state == "paid"


def test_a_no_penalty_decision_closes_after_delivery(world) -> None:
    eligible = {"count": 1, "first_offense": True, "harm": "none", "corrected_in_time": True}
    case = open_case(world, finding(world))
    propose(world, case, facts=eligible, unit_fine=None, measures=[], no_penalty=True)
    notified(world, case)
    handler = world.users["hazchem"]
    case_record_defence(actor=handler, case=case, waived=True, today=MONDAY)
    refused(lambda: case_record_defence(actor=handler, case=case, waived=True, today=MONDAY))
    case_decide(actor=world.users["bureau_head"], case=case, today=TUESDAY)
    assert case.documents.get(kind="no_penalty").number == "文水应急不罚〔2025〕1号"
    assert case.decided_unit_fine is None
    case_deliver(actor=handler, case=case, delivered_on=TUESDAY, today=TUESDAY)
    refused(
        lambda: case_pay(actor=handler, case=case, paid_on=TUESDAY, today=TUESDAY),
        contains="无须缴纳",
    )
    case_close(actor=handler, case=case, today=TUESDAY)
    assert case.state == "closed"


def test_dropping_needs_a_reason_and_ends_the_case(world) -> None:
    case = propose(world, open_case(world, finding(world)))
    handler = world.users["hazchem"]
    error = refused(lambda: case_drop(actor=handler, case=case, reason="", today=MONDAY))
    assert "reason" in error.message_dict and case.state == "proposed"
    case_drop(actor=handler, case=case, reason="违法事实不能成立", today=MONDAY)
    assert case.state == "dropped" and case.drop_reason == "违法事实不能成立"
    refused(lambda: notified(world, case), contains="已撤案")


def test_evidence_until_the_decision(world) -> None:
    case = open_case(world, finding(world))
    handler = world.users["hazchem"]
    photo = SimpleUploadedFile("现场.png", qr_png("照片"), content_type="image/png")
    evidence = case_evidence_add(
        actor=handler, case=case, kind="photo", description="储罐区", upload=photo
    )
    assert (
        evidence.file
        and evidence.content_type == "image/png"
        and evidence.original_name == "现场.png"
    )
    fake = SimpleUploadedFile("a.png", b"not an image", content_type="image/png")
    error = refused(
        lambda: case_evidence_add(
            actor=handler, case=case, kind="photo", description="x", upload=fake
        )
    )
    assert "file" in error.message_dict
    with pytest.raises(PermissionDenied):
        case_evidence_add(
            actor=world.users["legal_office"], case=case, kind="other", description="x"
        )
    decided = decided_case(world, finding(world, text="另一问题"))
    refused(
        lambda: case_evidence_add(
            actor=handler, case=decided, kind="inquiry", description="询问笔录"
        ),
        contains="不能再补充证据",
    )
    assert CaseEvidence.objects.count() == 1


def test_home_page_warnings_per_role(world) -> None:
    waiting = propose(
        world, open_case(world, finding(world)), unit_fine=20000, deviation_reason="面广"
    )
    case_submit_review(actor=world.users["hazchem"], case=waiting, today=MONDAY)
    ready = notified(world, propose(world, open_case(world, finding(world, text="二号问题"))))
    day = date(2025, 3, 10)
    legal = case_warnings_for(world.users["legal_office"], day)
    assert (legal.reviews, legal.decisions, legal.overdue) == (1, 0, 0)
    assert case_warnings_for(world.users["bureau_head"], day).decisions == 1
    late = case_warnings_for(world.users["hazchem"], date(2025, 6, 10))
    assert late.overdue == 2 and late.any  # the 90 days to decide have passed
    assert case_warnings_for(world.users["enterprise"], day) == type(legal)()
    assert ready.state == "notified"


# ---- pages -----------------------------------------------------------------------------------


def _coal_section_user(world):
    return user_create(
        actor=None,
        username="coalsec",
        password=PASSWORD,
        role=Role.BUSINESS_SECTION,
        display_name="煤矿股",
        body=world.county,
        section=world.sections["coal"],
    )


def test_access_by_role_section_and_body(world, client) -> None:
    case = propose(world, open_case(world, finding(world)))
    url = f"/enforcement/cases/{case.pk}/"
    expected = {
        "hazchem": 200,
        "office": 200,
        "legal_office": 200,
        "bureau_head": 200,
        "discipline": 200,
        "other_office": 404,
        "enterprise": 404,
        "system_admin": 404,
    }
    for username, status in expected.items():
        client.force_login(world.users[username])
        assert client.get(url).status_code == status, username
    client.force_login(_coal_section_user(world))
    assert client.get(url).status_code == 404
    assert client.get("/enforcement/cases/").status_code == 200
    assert case.number not in client.get("/enforcement/cases/?state=all").content.decode()
    client.force_login(world.users["enterprise"])
    assert client.get("/enforcement/cases/").status_code == 403
    assert client.get(f"/enforcement/cases/documents/{case.documents.get().pk}/").status_code == 404
    client.force_login(world.users["legal_office"])
    step = f"/enforcement/cases/{case.pk}/step/"
    assert client.post(step, {"event": "notify"}).status_code == 403
    assert client.post(step, {"event": "propose"}).status_code == 403
    assert client.get("/enforcement/cases/new/").status_code == 403
    client.force_login(world.users["hazchem"])
    assert client.post(step, {"event": "approve_review"}).status_code == 403
    assert client.post(step, {"event": "decide"}).status_code == 403
    assert client.get("/enforcement/cases/reviews/").status_code == 403
    client.force_login(world.users["other_office"])
    assert client.post(step, {"event": "notify"}).status_code == 404
    assert written(case)[3] == "proposed"


def test_the_main_pages_render(world, client) -> None:
    hazard = finding(world)
    client.force_login(world.users["hazchem"])
    page = client.get(f"/enforcement/cases/new/?hazard={hazard.pk}").content.decode()
    assert hazard.description in page and "安全生产法第99条第1项" in page
    assert client.get("/enforcement/cases/new/").status_code == 200
    assert (
        f"/enforcement/cases/new/?hazard={hazard.pk}"
        in client.get(f"/inspections/{hazard.task_id}/").content.decode()
    )
    case = open_case(world, hazard)
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="suggestion"' in page and "山西-99(1)" in page and "proposal-form" in page
    propose(world, case, unit_fine=20000, deviation_reason="面广")
    case_submit_review(actor=world.users["hazchem"], case=case, today=MONDAY)
    client.force_login(world.users["legal_office"])
    queue = client.get("/enforcement/cases/reviews/").content.decode()
    assert case.number in queue and "超出基准第（山西-99(1)）项阶次 A 的幅度" in queue
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'data-testid="step-reject_review"' in page and 'data-code="OUTSIDE_TIER"' in page
    for path in (
        "/enforcement/cases/",
        "/enforcement/cases/?state=bogus&section=x%00",
        "/enforcement/cases/?state=reviewing",
    ):
        assert client.get(path).status_code == 200, path
    assert client.get(f"/enforcement/cases/{case.pk}/step/").status_code == 405


def test_open_form_errors_are_shown(world, client) -> None:
    hazard = finding(world)
    client.force_login(world.users["hazchem"])
    response = client.post(
        "/enforcement/cases/new/",
        {
            "hazard": hazard.pk,
            "hazards": [hazard.pk],
            "provision": "安全生产法|999|",
            "filed_on": "2025-03-03",
            "party_kind": "unit",
        },
    )
    assert response.status_code == 200
    assert not PenaltyCase.objects.exists()
    response = client.post(
        "/enforcement/cases/new/",
        {
            "hazard": hazard.pk,
            "hazards": [hazard.pk],
            "provision": "安全生产法|99|1",
            "filed_on": "2025-03-03",
            "party_kind": "unit",
            "officers": [hazard.task.officers.first().pk],  # type: ignore[union-attr]
        },
    )
    assert response.status_code == 200 and "至少 2 名" in response.content.decode()
    officers = [o.pk for o in hazard.task.officers.all()]
    response = client.post(
        "/enforcement/cases/new/",
        {
            "hazard": hazard.pk,
            "hazards": [hazard.pk],
            "provision": "安全生产法|99|1",
            "filed_on": "2025-03-03",
            "party_kind": "unit",
            "officers": officers,
        },
    )
    case = PenaltyCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/enforcement/cases/{case.pk}/"


def _proposal(**values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "proposal-harm": "none",
        "proposal-count": "1",
        "proposal-measures": ["责令限期改正"],
    }
    data.update({f"proposal-{k}": v for k, v in values.items()})
    return data


def test_the_proposal_form_previews_and_shows_errors(world, client) -> None:
    case = open_case(world, finding(world))
    client.force_login(world.users["hazchem"])
    step = f"/enforcement/cases/{case.pk}/step/"
    page = client.post(step, {"event": "preview", **_proposal(count="3")}).content.decode()
    assert 'data-kind="preview"' in page and "C：3处" in page
    assert written(case)[3] == "filed"
    response = client.post(step, {"event": "propose", **_proposal(unit_fine="60000")})
    assert response.status_code == 200 and "超出法定幅度（5万元以下）" in response.content.decode()
    response = client.post(step, {"event": "propose", **_proposal(unit_fine="20000")})
    assert "须写明偏离的理由" in response.content.decode() and written(case)[3] == "filed"
    response = client.post(step, {"event": "propose", **_proposal(count="abc", unit_fine="10000")})
    assert response.status_code == 200 and written(case)[3] == "filed"
    response = client.post(step, {"event": "propose", **_proposal(unit_fine="10000")})
    assert response.status_code == 302 and written(case)[3] == "proposed"
    response = client.post(step, {"event": "submit_review"}, follow=True)
    assert "无需法制审核" in response.content.decode()
    response = client.post(step, {"event": "drop"})
    assert response.status_code == 200 and "请写明撤案理由" in response.content.decode()
    response = client.post(step, {"event": "bogus"}, follow=True)
    assert "未知的办理事项" in response.content.decode()


def test_every_case_page_needs_a_login(world, client) -> None:
    assert get_resolver().resolve("/enforcement/cases/").url_name == "case_list"
    for pattern in case_urls.urlpatterns:
        path = "/enforcement/cases/" + str(pattern.pattern).replace("<int:pk>", "1")
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path


def test_the_hazard_list_offers_a_case(world, client) -> None:
    hazard = finding(world)
    Hazard.objects.filter(pk=hazard.pk).update(status="open")
    client.force_login(world.users["hazchem"])
    page = client.get("/inspections/hazards/?view=all").content.decode()
    assert f'data-testid="open-case-{hazard.pk}"' in page
    client.force_login(world.users["office"])
    page = client.get("/inspections/hazards/?view=all").content.decode()
    assert f'data-testid="open-case-{hazard.pk}"' not in page


def test_the_home_pages_prefilter_never_drops_a_warning(world) -> None:
    """`may_warn` picks out in the database the open cases that can warn; for every state and
    every day from filing to long after, the counts equal those over every open case."""
    from anjian.enforcement.home_counts import may_warn
    from anjian.enforcement.models import PenaltyCase
    from anjian.enforcement.selectors import OPEN_STATES, workdays_around

    cases = [propose(world, open_case(world, finding(world, text=f"问题{n}"))) for n in range(5)]
    notified(world, cases[0])
    filed = cases[1].filed_on
    PenaltyCase.objects.filter(pk=cases[2].pk).update(
        state="decided", decided_on=filed + timedelta(days=20)
    )
    PenaltyCase.objects.filter(pk=cases[3].pk).update(
        state="delivered",
        decided_on=filed + timedelta(days=20),
        delivered_on=filed + timedelta(days=25),
    )
    user = world.users["hazchem"]
    open_cases = PenaltyCase.objects.filter(state__in=OPEN_STATES)
    assert open_cases.count() == 5
    for offset in range(-3, 130, 2):
        day = filed + timedelta(days=offset)
        is_workday = workdays_around(day)
        warning = {c.pk for c in open_cases if warnings_of(c, day, is_workday)}
        assert warning <= set(open_cases.filter(may_warn(day)).values_list("pk", flat=True))
        expected = sum(
            "overdue" in {w.level for w in warnings_of(c, day, is_workday)} for c in open_cases
        )
        assert case_warnings_for(user, day).overdue == expected
