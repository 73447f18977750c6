"""Issue 15 item 6: the decision states what the law asks — the breached duty and the penalty
clause apart, the facts once, each fined person, the hearing's outcome, a deviation and its
reasons, where to pay — its 送达回证 is a document of its own, and a benchmark the legal office
has not adopted is never cited nor decided on."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from anjian.accounts.models import EnforcementBody
from anjian.enforcement.decision_record import decision_record
from anjian.enforcement.decision_text import deviation_text, hearing_text, overdue_text
from anjian.enforcement.documents import case_document_docx
from anjian.enforcement.models import BenchmarkVersion, PenaltyCase
from anjian.enforcement.services.case_steps import case_decide, case_record_defence
from anjian.enforcement.services.cases import case_open
from anjian.enforcement.services.library import version_adopt
from anjian.inspections.models import Hazard
from anjian.inspections.services.records import issue_order
from anjian.ui.gongwen import chinese_date
from tests.web.penalty_helpers import MONDAY, decided_case, finding, notified, open_case, propose
from tests.web.test_penalty_documents import docx

TUESDAY = MONDAY + timedelta(days=1)


def _ready_for_decision(world, **proposal) -> PenaltyCase:
    case = propose(world, open_case(world, finding(world)), **proposal)
    notified(world, case)
    case_record_defence(actor=world.users["hazchem"], case=case, waived=True, today=MONDAY)
    return case


def _counts(case: PenaltyCase) -> tuple[int, int, int, str]:
    case.refresh_from_db()
    return case.steps.count(), case.documents.count(), case.fines.count(), case.state


def test_no_decision_without_a_payment_account(world) -> None:
    case = _ready_for_decision(world)
    EnforcementBody.objects.filter(pk=case.body_id).update(
        payment_bank="", payment_account_name="", payment_account_no="", payment_note=""
    )
    before = _counts(case)
    with pytest.raises(ValidationError) as caught:
        case_decide(actor=world.users["bureau_head"], case=case, today=TUESDAY)
    assert caught.value.messages == [
        "文水县应急管理局尚未设置罚款缴款账户（开户银行、账户名称和账号）或缴款码说明，"
        "不能作出罚款决定；请系统管理员在执法主体设置中填写"
    ]
    assert _counts(case) == before
    EnforcementBody.objects.filter(pk=case.body_id).update(payment_note="凭缴款码在线缴纳")
    case_decide(actor=world.users["bureau_head"], case=case, today=TUESDAY)
    assert case.state == "decided"


def test_no_decision_on_a_benchmark_the_legal_office_has_not_adopted(world) -> None:
    case = _ready_for_decision(world)
    assert case.benchmark is not None and case.suggestion["benchmark"]["tier"] == "A"
    BenchmarkVersion.objects.filter(pk=case.benchmark_id).update(adopted_at=None)
    before = _counts(case)
    with pytest.raises(ValidationError) as caught:
        case_decide(actor=world.users["bureau_head"], case=case, today=TUESDAY)
    assert "尚未经法制机构采用" in caught.value.messages[0]
    assert "“裁量基准”页面" in caught.value.messages[0]
    assert _counts(case) == before
    # the notice printed meanwhile does not cite it either
    _, notice = docx(case, "penalty_notice")
    assert "山西-99(1)" not in notice and "裁量阶次" not in notice
    version_adopt(
        actor=world.users["legal_office"],
        version=case.benchmark,
        title="《文水县应急管理行政处罚裁量基准》",
        document="文应急发〔2025〕2号",
    )
    case_decide(actor=world.users["bureau_head"], case=case, today=TUESDAY)
    _, text = docx(case, "decision")
    assert "参照《文水县应急管理行政处罚裁量基准》（文应急发〔2025〕2号）第（山西-99(1)）项" in text


def test_adoption_needs_a_title_and_a_number(world) -> None:
    version = BenchmarkVersion.objects.first()
    assert version is not None
    BenchmarkVersion.objects.filter(pk=version.pk).update(adopted_at=None)
    with pytest.raises(ValidationError) as caught:
        version_adopt(actor=world.users["legal_office"], version=version, title="", document="")
    assert set(caught.value.message_dict) == {"title", "document"}
    version.refresh_from_db()
    assert version.adopted_at is None


def test_the_decision_names_breach_basis_persons_and_payment(world) -> None:
    case = decided_case(world, finding(world))
    _, text = docx(case, "decision")
    assert (
        "违反了《中华人民共和国安全生产法》第三十五条的规定，"
        "依据《中华人民共和国安全生产法》第九十九条第一项的规定" in text
    )
    assert "文水县宏达化工有限公司缴纳罚款人民币10,000元。" in text
    assert "缴款银行：中国农业银行文水县支行；户名：文水县财政局非税收入专户" in text
    assert "当事人（签收）" not in text  # the receipt is its own document
    assert text.count("经查") == 1
    body = text.split("\n", 3)[3]  # below the title and the number
    assert not re.search(r"[A-Za-z]{3,}", body.replace("docx", "")), body
    assert "起步" not in text and "no_penalty" not in text
    assert case.decision_record["payment"]["account_no"] == "0412 0101 0400 12345"


def test_the_service_receipt_is_its_own_document(world) -> None:
    case = decided_case(world, finding(world))
    receipt = case.documents.get(kind="service_receipt")
    name, _content = case_document_docx(receipt)
    assert name == "送达回证-文水应急送〔2025〕1号.docx"
    _, text = docx(case, "service_receipt")
    assert "《行政处罚决定书》（文水应急罚〔2025〕1号）" in text
    assert "受送达人（签名或盖章）" in text


def test_the_overdue_stage_states_the_order_and_its_deadline(world) -> None:
    hazard = finding(world)
    order = issue_order(
        actor=hazard.task.officers.first().user,  # type: ignore[union-attr]
        task=hazard.task,
        hazard_ids=[hazard.pk],
        working_days=5,
        today=hazard.task.date,
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
    record = decision_record(case)
    assert record["overdue"]["order"] == order.document.number
    text = overdue_text(record)
    assert text.startswith(f"本机关于{chinese_date(hazard.task.date)}以《责令限期整改指令书》（")
    assert f"（{order.document.number}）责令你单位于" in text
    assert record["breach"] == "《中华人民共和国安全生产法》第三十五条"


def test_the_review_that_found_the_order_unmet_is_stated() -> None:
    record = {
        "overdue": {
            "order": "文水应急责改〔2026〕3号",
            "issued_on": "2026-10-09",
            "deadline": "2026-10-16",
            "review": "文水应急复查〔2026〕5号",
            "reviewed_on": "2026-10-19",
        }
    }
    assert overdue_text(record) == (
        "本机关于2026年10月9日以《责令限期整改指令书》（文水应急责改〔2026〕3号）责令你单位"
        "于2026年10月16日前整改完毕；2026年10月19日复查（《整改复查意见书》"
        "文水应急复查〔2026〕5号）发现，你单位逾期未改正。"
    )
    assert overdue_text({}) == ""


def test_the_hearing_and_a_deviation_are_stated_only_when_they_happened() -> None:
    case = PenaltyCase(
        hearing_held=True,
        hearing_on=date(2026, 10, 20),
        hearing_record="当事人称已整改，提交了照片",
        outside_tier=True,
        deviation_reason="当事人主动消除危害后果",
    )
    assert hearing_text(case) == (
        "应你单位申请，本机关于2026年10月20日依法举行了听证，听证情况：当事人称已整改，"
        "提交了照片。本机关对听证意见进行了复核。"
    )
    assert deviation_text(case) == "本案处罚数额偏离上述裁量阶次，理由是：当事人主动消除危害后果。"
    quiet = PenaltyCase(hearing_held=False, outside_tier=True, deviation_reason="  ")
    assert hearing_text(quiet) == "" and deviation_text(quiet) == ""
