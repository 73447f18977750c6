"""The GB/T 9704 page of both layouts, read back from the .docx XML: 28 characters by 22 lines, the
版记 at the foot of the last page, the last text, signature and date never split, a 请示's
签发人 and 附注, and file names of number and title. No database."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from anjian.ui.gongwen import OfficialDocument, document_filename, official_document_docx
from anjian.ui.gongwen_forms import EnforcementDocument, enforcement_document_docx
from anjian.ui.gongwen_page import TEXT_WIDTH_PT, chars

REQUEST = OfficialDocument(
    issuing_body="文水县应急管理局",
    document_number="文应急请〔2026〕1号",
    title="关于报请审批2027年度监督检查计划的请示",
    recipient="文水县人民政府",
    paragraphs=["我局编制了2027年度监督检查计划。", "全年计划检查120次。"],
    issued_on=date(2026, 12, 10),
    copy_to="县纪委监委派驻第三纪检监察组",
    closing=["妥否，请批示。"],
    signer="李国强",
    note="联系人：张敏　联系电话：0358-3022110",
)


def _open(doc: OfficialDocument = REQUEST) -> DocxDocument:
    return Document(io.BytesIO(official_document_docx(doc)))


def _at(document: DocxDocument, text: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text == text)


def _index(document: DocxDocument, text: str) -> int:
    """The index of the last paragraph with this text."""
    return max(i for i, p in enumerate(document.paragraphs) if p.text == text)


def _frame(paragraph: Paragraph) -> dict[str, str] | None:
    frame = paragraph._p.pPr.find(qn("w:framePr"))
    return None if frame is None else {k.split("}")[1]: v for k, v in frame.attrib.items()}


def test_a_line_holds_28_characters_of_sanhao_and_a_page_22_lines() -> None:
    document = _open()
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    assert 28 * chars() <= TEXT_WIDTH_PT < 29 * chars()  # 15.75 pt a character
    body = _at(document, "我局编制了2027年度监督检查计划。")
    [run] = body.runs
    assert run._r.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    assert run.font.size.pt == 16
    sizes = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:sz"))
    assert sizes.get(qn("w:val")) == "32"  # the default font is 三号 too


def test_the_colophon_is_framed_on_the_last_two_lines_of_the_page() -> None:
    document = _open()
    copied, spacer, printed = document.paragraphs[-3:]
    assert copied.text.startswith("\u3000抄送：") and printed.text.endswith("印发")
    assert _frame(copied) == {
        "w": "8844",
        "wrap": "notBeside",
        "vAnchor": "margin",
        "hAnchor": "margin",
        "xAlign": "center",
        "y": str(20 * 579),
    }
    assert _frame(printed)["y"] == str(21 * 579)  # the 22nd line: the last rule at the foot
    assert spacer.text == "" and _frame(spacer) is None
    assert spacer.paragraph_format.line_spacing.pt == 1
    alone = _open(replace(REQUEST, copy_to=""))
    assert _frame(alone.paragraphs[-1])["y"] == str(21 * 579)
    assert _frame(alone.paragraphs[-2]) is None  # no blank line before the 版记 any more


def test_the_last_text_the_signature_the_date_and_the_note_stay_together() -> None:
    document = _open()
    paragraphs = document.paragraphs
    last = _index(document, "妥否，请批示。")
    signed = _index(document, "文水县应急管理局")
    dated = _index(document, "2026年12月10日")
    note = _index(document, "（联系人：张敏　联系电话：0358-3022110）")
    assert last < signed < dated < note  # 附注 under the date (GB/T 9704 7.3.6)
    for paragraph in paragraphs[last:note]:
        assert paragraph.paragraph_format.keep_with_next is True
        assert paragraph.paragraph_format.keep_together is True
    assert paragraphs[note].paragraph_format.keep_together is True
    assert not paragraphs[last - 1].paragraph_format.keep_with_next


def test_a_table_ending_the_text_is_kept_with_the_signature() -> None:
    document = _open(replace(REQUEST, closing=(), table=(["月份", "1月"], [["次数", "3"]])))
    [cell_paragraph] = document.tables[0].rows[-1].cells[1].paragraphs
    assert cell_paragraph.paragraph_format.keep_with_next is True


def test_an_upward_document_names_its_signer_right_of_the_number() -> None:
    document = _open()
    line = next(p for p in document.paragraphs if "签发人" in p.text)
    assert line.text == "\u3000文应急请〔2026〕1号\t签发人：李国强"
    assert line.runs[-1]._r.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    [stop] = line.paragraph_format.tab_stops
    assert abs(stop.position.pt - (TEXT_WIDTH_PT - 15.75)) < 0.1
    assert line._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == "FF0000"
    plain = _open(replace(REQUEST, signer=""))
    assert "签发人" not in "\n".join(p.text for p in plain.paragraphs)
    assert any(p.text == "文应急请〔2026〕1号" for p in plain.paragraphs)


def test_file_names_are_the_number_and_the_title() -> None:
    assert document_filename("文应急请〔2026〕1号", "关于报请审批的请示") == (
        "文应急请〔2026〕1号 关于报请审批的请示.docx"
    )
    assert document_filename("", "请示", "pdf") == "请示.pdf"
    assert document_filename("A/B", 'x:"y"') == "A_B x__y_.docx"


FORM = EnforcementDocument(
    issuing_body="文水县应急管理局",
    title="行政检查通知书",
    document_number="文水应急检通〔2026〕3号",
    issued_on=date(2026, 11, 16),
    closing=["你单位享有下列权利：", "（四）检查结束后，可以对本次检查作出评价。"],
    qr_caption="核验码：K7QM-2XPA\n咨询电话：0358-3022110",
    signatures=["被检查单位签收人（签名）："],
)


def test_a_form_keeps_its_last_text_with_the_signatures_and_the_seal() -> None:
    document = Document(io.BytesIO(enforcement_document_docx(replace(FORM, seal_room=1))))
    paragraphs = document.paragraphs
    last = _index(document, "核验码：K7QM-2XPA\n咨询电话：0358-3022110")  # the caption
    dated = _index(document, "2026年11月16日")
    assert dated - last == 5  # caption, blank, signature, one blank for the seal, body name
    for paragraph in paragraphs[last:dated]:
        assert paragraph.paragraph_format.keep_with_next is True


def test_a_form_prints_the_qr_code_beside_its_caption() -> None:
    png = io.BytesIO()
    import segno

    segno.make("https://anjian.example.gov.cn/inspections/verify/x/").save(png, kind="png")
    doc = replace(FORM, qr_png=png.getvalue(), qr_beside=True)
    document = Document(io.BytesIO(enforcement_document_docx(doc)))
    box = document.tables[-1]
    left, right = box.rows[0].cells
    assert len(document.inline_shapes) == 1 and left.text == ""
    assert [p.text for p in right.paragraphs] == ["核验码：K7QM-2XPA", "咨询电话：0358-3022110"]
    assert {r.font.size.pt for p in right.paragraphs for r in p.runs} == {12.0}
    widths = [int(c.get(qn("w:w"))) for c in box._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert round(widths[0] / 20 / 72 * 25.4) == 32  # mm, the QR code's column
