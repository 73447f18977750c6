"""The penalty documents opened with python-docx: the number, the party, the facts and evidence,
the legal basis with the benchmark entry and tier, the penalty, the party's rights (defence,
hearing when it has one), payment with the late fee, review and lawsuit; and the download is
scoped like the case."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from docx import Document

from anjian.enforcement.documents import case_document_docx
from anjian.enforcement.models import CaseDocument, PenaltyCase
from anjian.enforcement.services.case_steps import (
    case_decide,
    case_deliver,
    case_record_defence,
)
from anjian.enforcement.services.cases import case_evidence_add
from anjian.registry.models import Enterprise
from tests.web.penalty_helpers import (
    MONDAY,
    decided_case,
    finding,
    notified,
    open_case,
    propose,
    reviewed,
)

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + timedelta(days=1)


def text_of(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def docx(case: PenaltyCase, kind: str) -> tuple[str, str]:
    document = case.documents.get(kind=kind)
    name, content = case_document_docx(document)
    return name, text_of(content)


def _party(world) -> Enterprise:
    enterprise = world.enterprises["chem"]
    Enterprise.objects.filter(pk=enterprise.pk).update(
        address="文水县凤城镇工业园区8号", legal_representative="赵大海"
    )
    return enterprise


def test_the_decision_states_every_element(world) -> None:
    enterprise = _party(world)
    case = decided_case(world, finding(world))
    name, text = docx(case, "decision")
    assert name == "行政处罚决定书-文水应急罚〔2025〕1号.docx"
    assert (
        "行政处罚决定书" in text and "文水应急罚〔2025〕1号" in text and "文水县应急管理局" in text
    )
    assert enterprise.name in text and enterprise.uscc in text
    assert "文水县凤城镇工业园区8号" in text and "赵大海" in text
    assert "检查时发现：2025年3月3日检查发现储罐区未设置安全警示标志。" in text
    assert text.count("经查") == 1
    assert "违反了《中华人民共和国安全生产法》第三十五条的规定" in text
    assert "依据《中华人民共和国安全生产法》第九十九条第一项的规定" in text
    assert "《文水县应急管理行政处罚裁量基准》（文应急发〔2025〕1号）第（山西-99(1)）项" in text
    assert "对你单位处罚款人民币1万元（并责令限期改正）" in text
    assert "《行政处罚告知书》（文水应急罚告〔2025〕1号）" in text
    assert "陈述、申辩的权利" in text and "听证" not in text
    assert "你单位明确表示放弃陈述、申辩的权利。" in text
    assert "十五日内" in text and "百分之三加处罚款" in text and "第七十二条" in text
    assert "六十日内依法向文水县人民政府申请行政复议" in text and "六个月内" in text
    assert "申请人民法院强制执行" in text


def test_the_notice_tells_of_the_hearing_right_only_when_there_is_one(world) -> None:
    _party(world)
    small = notified(world, propose(world, open_case(world, finding(world))))
    _, text = docx(small, "penalty_notice")
    assert "行政处罚告知书" in text and "文水应急罚告〔2025〕1号" in text
    assert "本机关拟作出如下行政处罚：对你单位处罚款人民币1万元" in text
    assert "三个工作日内向本机关提出陈述、申辩意见" in text
    assert "要求举行听证" not in text
    assert not small.documents.filter(kind="hearing_notice").exists()

    large = propose(
        world,
        open_case(world, finding(world, text="二号问题")),
        facts={"count": 5},
        unit_fine=40000,
    )
    reviewed(world, large)
    notified(world, large)
    _, text = docx(large, "penalty_notice")
    assert "对你单位处罚款人民币4万元" in text and "阶次E（5处以上）" in text
    assert "你单位有权要求举行听证" in text and "五个工作日内向本机关提出" in text
    assert "第六十三条、第六十四条" in text
    name, text = docx(large, "hearing_notice")
    assert name == "听证告知书-文水应急听告〔2025〕1号.docx"
    assert "文水应急罚告〔2025〕2号" in text and "不承担听证的费用" in text


def test_the_no_penalty_decision(world) -> None:
    eligible = {"count": 1, "first_offense": True, "harm": "none", "corrected_in_time": True}
    case = open_case(world, finding(world))
    propose(world, case, facts=eligible, unit_fine=None, measures=[], no_penalty=True)
    notified(world, case)
    case_record_defence(actor=world.users["hazchem"], case=case, waived=True, today=MONDAY)
    case_decide(actor=world.users["bureau_head"], case=case, today=TUESDAY)
    case_deliver(actor=world.users["hazchem"], case=case, delivered_on=TUESDAY, today=TUESDAY)
    _, notice = docx(case, "penalty_notice")
    assert "本机关拟对你单位不予行政处罚" in notice
    name, text = docx(case, "no_penalty")
    assert name == "不予行政处罚决定书-文水应急不罚〔2025〕1号.docx"
    assert "《中华人民共和国行政处罚法》第三十三条第一款" in text
    assert "初次违法且危害后果轻微并及时改正" in text
    assert "本机关决定对你单位不予行政处罚" in text and "加处罚款" not in text


def test_the_filing_form_and_the_evidence_list(world) -> None:
    case = open_case(world, finding(world), responsible_person="钱安全")
    case_evidence_add(
        actor=world.users["hazchem"], case=case, kind="inquiry", description="对赵大海的询问笔录"
    )
    name, text = docx(case, "filing")
    assert name == "立案审批表-文水应急立〔2025〕1号.docx"
    assert case.title in text and "检查发现的问题" in text and "钱安全" in text
    assert "《中华人民共和国安全生产法》第九十九条第一项" in text
    assert "张检（执法证号：1411212000）" in text and "负责人审批意见" in text
    propose(world, case)
    notified(world, case)
    _, text = docx(case, "penalty_notice")
    assert "以上事实有下列证据证明：" in text and "询问笔录：对赵大海的询问笔录" in text


def test_downloads_follow_the_case_scope(world, client) -> None:
    case = decided_case(world, finding(world))
    decision = case.documents.get(kind=CaseDocument.Kind.DECISION)
    url = f"/enforcement/cases/documents/{decision.pk}/"
    client.force_login(world.users["legal_office"])
    response = client.get(url)
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert "罚款人民币1万元" in text_of(response.content)
    for username in ("other_office", "enterprise"):
        client.force_login(world.users[username])
        assert client.get(url).status_code == 404, username
