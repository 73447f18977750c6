"""The five inspection documents written from real records: each opens in python-docx and
states its number, the enterprise, the findings, the deadline and what the law makes it say."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument

from anjian.inspections import documents
from anjian.inspections.codes import entry_code, printed_short_code, qr_png
from anjian.inspections.documents import BUILDERS, document_docx, document_response
from anjian.inspections.models import (
    Hazard,
    InspectionDocument,
    InspectionTask,
    RectificationOrder,
)
from anjian.inspections.services.records import (
    FindingRequest,
    add_evidence,
    add_finding,
    confirm_record,
    finish_record,
    issue_order,
    record_item,
)
from anjian.inspections.services.rectification import (
    LineDecision,
    report_rectification,
    review_order,
)
from anjian.inspections.services.visits import check_in
from anjian.policy.selectors import NoRuleSetInForce
from anjian.ui.gongwen import chinese_date
from tests.web.inspection_helpers import approved_task, field_team, today

pytestmark = pytest.mark.django_db

VERIFY_URL = "https://anjian.example.gov.cn/inspections/verify/CODE/"


@dataclass
class Inspected:
    task: InspectionTask
    general: Hazard
    major: Hazard
    order: RectificationOrder

    def document(self, kind: str) -> InspectionDocument:
        return InspectionDocument.objects.get(task=self.task, kind=kind)


def _inspect(world) -> Inspected:  # type: ignore[no-untyped-def]
    """An on-site inspection with one clean item, a general and a major hazard (with its
    on-site measure), an order for both, a refused signature, a report and a remote review."""
    world.enterprises["chem"].address = "文水县经济开发区化工园区8号"
    world.enterprises["chem"].legal_representative = "刘宏达"
    world.enterprises["chem"].contact_phone = "0358-3021234"
    world.enterprises["chem"].save()
    team = field_team(world)
    task = approved_task(world, team)
    task = check_in(actor=team.lead, code=entry_code(task), today=today())
    items = list(task.items.order_by("code"))
    record_item(actor=team.lead, task=task, item_id=items[0].pk, outcome="checked", note="台账齐全")
    general = add_finding(
        actor=team.lead,
        task=task,
        request=FindingRequest(
            "储罐区防火堤破损", "general", item_id=items[1].pk, location="甲醇储罐区"
        ),
        today=today(),
    )
    major = add_finding(
        actor=team.lead,
        task=task,
        request=FindingRequest(
            "可燃气体报警器全部失效",
            "major",
            item_id=items[2].pk,
            location="甲类仓库",
            onsite_measure="stop_use",
            measure_note="停止使用甲类仓库",
        ),
        today=today(),
    )
    order = issue_order(
        actor=team.lead,
        task=task,
        hazard_ids=[general.pk, major.pk],
        working_days=10,
        today=today(),
    )
    confirm_record(
        actor=team.lead,
        task=task,
        representative="刘厂长",
        refused=True,
        note="负责人对第2项有异议，拒绝签字",
    )
    finish_record(
        actor=team.lead, task=task, summary="检查完毕", place="生产区、罐区", today=today()
    )
    photo = SimpleUploadedFile("整改.png", qr_png("photo"), content_type="image/png")
    report_rectification(
        actor=world.users["enterprise"], hazard=general, description="已修复", files=[photo]
    )
    review_order(
        actor=team.lead,
        order=order,
        mode="remote",
        lines=[
            LineDecision(general.pk, "closed"),
            LineDecision(major.pk, "extended", today() + timedelta(days=20), "备件未到货"),
        ],
        officers=[],
        note="材料齐全",
        today=today(),
    )
    return Inspected(task, general, major, order)


def _text(document: DocxDocument) -> str:
    """Every paragraph and table cell, one per line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def _open(document: InspectionDocument, out: Path, verify_url: str = "") -> DocxDocument:
    filename, content = document_docx(document, verify_url)
    assert filename == f"{document.number} {document.get_kind_display()}.docx"
    (out / filename).write_bytes(content)  # kept with --basetemp, for a look at the pages
    return Document(io.BytesIO(content))


def test_every_kind_has_a_builder() -> None:
    assert set(BUILDERS) == set(InspectionDocument.Kind.values)


def test_notice_states_the_inspection_the_rights_and_the_code(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = _inspect(world)
    notice = done.document("notice")
    document = _open(notice, tmp_path, VERIFY_URL)
    text = _text(document)
    items = list(done.task.items.order_by("code"))
    for fact in (
        "行政检查通知书",
        notice.number,
        "文水县宏达化工有限公司",
        "文水县经济开发区化工园区8号",
        chinese_date(done.task.date),
        "执法检查",
        "现场检查",
        "投诉举报",
        "举报件 JB-2026-001",
        "张检（执法证号：1411212000）、李查（执法证号：1411212001）",
        "有权拒绝检查",
        "申请其回避",
        "五个严禁",
        "投诉举报",
        f"核验码：{printed_short_code(done.task)}",  # beside the QR code
        "扫描二维码，或在以下网址输入核验码：\nhttps://anjian.example.gov.cn/inspections/verify/",
        "年度检查频次",
        "上限4次",
    ):
        assert fact in text, fact
    for item in items:
        assert item.name in text
        short_law = item.law.strip("《》").removeprefix("中华人民共和国")
        assert f"《{short_law}》{item.article}" in text
    assert len(document.inline_shapes) == 1  # the QR code


def test_notice_without_a_rule_set_or_a_verify_url_leaves_them_out(  # type: ignore[no-untyped-def]
    world, tmp_path, monkeypatch
) -> None:
    team = field_team(world)
    task = approved_task(world, team)

    def missing(*args: object) -> None:
        raise NoRuleSetInForce("没有现行规则")

    monkeypatch.setattr(documents, "enterprise_year", missing)
    document = _open(task.documents.get(kind="notice"), tmp_path)
    text = _text(document)
    assert "年度检查频次" not in text
    assert len(document.inline_shapes) == 0
    assert f"核验码：{printed_short_code(task)}" in text and "在以下网址输入" not in text


def test_record_lists_times_results_findings_and_the_refusal(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = _inspect(world)
    record = done.document("record")
    text = _text(_open(record, tmp_path))
    checked_in = timezone.localtime(done.task.checked_in_at)
    for fact in (
        "现场检查记录",
        record.number,
        "文水县宏达化工有限公司",
        "刘宏达　电话：0358-3021234",
        "生产区、罐区",
        f"{chinese_date(checked_in.date())}{checked_in.hour}时{checked_in.minute:02d}分至",
        "文水县应急管理局（危化股）",
        "张检（执法证号：1411212000）",
        "已检查，未发现问题",
        "台账齐全",
        "1．储罐区防火堤破损（一般隐患；部位：甲醇储罐区",
        "2．可燃气体报警器全部失效（重大隐患；部位：甲类仓库",
        f"已下达责令限期整改指令书（{done.order.document.number}）",
        f"限{chinese_date(done.order.deadline)}前整改完毕",
        f"责令停止使用相关设施、设备（{done.major.measure_document.number}）",
        "检查情况小结：检查完毕。",
        "检查人员（签名）：张检　执法证号：1411212000",
        "被检查单位负责人（签名）：刘厂长",
        "拒绝签字：负责人对第2项有异议，拒绝签字。",
        "见证人（签名）",
    ):
        assert fact in text, fact
    assert "检查依据材料" not in text  # on site: the findings carry the photos


def test_remote_record_lists_its_evidence(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team, mode="remote", officers=team.officers[:1])
    for item in task.items.all():
        record_item(actor=team.lead, task=task, item_id=item.pk, outcome="checked")
    add_evidence(
        actor=team.lead, task=task, kind="video_session", description="14:00-14:40 视频连线"
    )
    finish_record(actor=team.lead, task=task, summary="远程检查", place="", today=today())
    text = _text(_open(task.documents.get(kind="record"), tmp_path))
    assert "检查依据材料：" in text
    assert "1．视频连线记录：14:00-14:40 视频连线" in text
    assert "检查情况小结：远程检查。" in text  # the record as saved, not the stale `task`
    assert f"检查时间：{chinese_date(task.date)}" in text
    assert "非现场检查" in text
    assert "拒绝签字" not in text


def test_order_sets_the_deadline_and_the_remedies(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = _inspect(world)
    order = done.order
    text = _text(_open(order.document, tmp_path))
    for fact in (
        "责令限期整改指令书",
        order.document.number,
        "被检查单位：文水县宏达化工有限公司",
        "1．储罐区防火堤破损（部位：甲醇储罐区），违反了",
        "2．可燃气体报警器全部失效（部位：甲类仓库）",
        f"对上述第1—2项问题于{chinese_date(order.deadline)}前整改完毕（10个工作日），"
        "达到法律法规规章和标准要求",
        "依法处理",
        "六十日内依法向文水县人民政府申请行政复议",
        "六个月内依法向人民法院提起行政诉讼",
        "本指令不停止执行",
        "执法人员（签名）：李查　执法证号：1411212001",
        "被检查单位负责人（签收）：　　　　　　年　　月　　日",  # one line of 26 characters
    ):
        assert fact in text, fact
    assert done.general.legal_basis in text


def test_review_gives_each_finding_its_decision(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = _inspect(world)
    review = done.document("review")
    text = _text(_open(review, tmp_path))
    new_deadline = chinese_date(today() + timedelta(days=20))
    for fact in (
        "整改复查意见书",
        review.number,
        "被复查单位：文水县宏达化工有限公司",
        f"{done.order.document.number}（{chinese_date(done.order.issued_on)}作出）",
        "复查方式：远程核查整改材料",
        "1．储罐区防火堤破损：已整改，予以销号。",
        f"2．可燃气体报警器全部失效：未整改完毕，延期整改，延期至{new_deadline}前整改完毕"
        "（备件未到货）。",
        "其他意见：材料齐全。",
        "复查人员（签名）：张检",
    ):
        assert fact in text, fact


def test_measure_decision_names_the_hazard_the_measure_and_the_law(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = _inspect(world)
    measure = done.major.measure_document
    text = _text(_open(measure, tmp_path))
    for fact in (
        "现场处理措施决定书",
        measure.number,
        "文水县宏达化工有限公司",
        "重大隐患：可燃气体报警器全部失效（部位：甲类仓库）",
        "《中华人民共和国安全生产法》第六十五条第一款第（三）项",
        "责令停止使用相关设施、设备",
        "具体为：停止使用甲类仓库。",
        "隐患排除后，经审查同意，方可恢复生产经营和使用",
        "不停止执行",
    ):
        assert fact in text, fact
    assert "储罐区防火堤破损" not in text


def test_response_is_a_docx_attachment_with_an_encoded_chinese_name(world) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    notice = approved_task(world, team).documents.get(kind="notice")
    response = document_response(notice, VERIFY_URL)
    assert response["Content-Type"].endswith("wordprocessingml.document")
    name = f"{notice.number} 行政检查通知书.docx"
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote(name)}"
    assert Document(io.BytesIO(response.content)).paragraphs[1].text == "行政检查通知书"
