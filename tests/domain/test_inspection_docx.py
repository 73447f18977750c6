"""The enforcement-document form (执法文书) of the 公文 layout: page, fonts, head, fields, table,
QR picture, signature and seal lines. No database: the layout takes plain values."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
import segno
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from anjian.ui import gongwen
from anjian.ui.gongwen_forms import EnforcementDocument, enforcement_document_docx


def _png() -> bytes:
    buffer = io.BytesIO()
    segno.make("https://anjian.example.gov.cn/verify/x/").save(buffer, kind="png", scale=4)
    return buffer.getvalue()


PNG = _png()

RECORD = EnforcementDocument(
    issuing_body="文水县应急管理局",
    title="现场检查记录",
    document_number="文水应急检记〔2026〕12号",
    issued_on=date(2026, 3, 5),
    fields=[
        ("被检查单位", "文水县宏达化工有限公司"),
        ("地址", "文水县经济开发区化工园区8号"),
        ("法定代表人（负责人）及电话", "刘宏达　电话：0358-3021234"),
        ("检查场所", ""),
    ],
    paragraphs=["检查人员出示了执法证件。"],
    table=(["序号", "检查事项", "结果"], [["1", "主要负责人安全生产职责履行情况", "已检查"]]),
    table_caption="逐项检查情况",
    table_widths=(1, 6, 3),
    closing=["发现的问题：", "1．储罐区防火堤破损（一般隐患）。"],
    qr_png=PNG,
    qr_caption="扫描二维码核验本次检查的检查码",
    signatures=["检查人员（签名）：张检　执法证号：1411212000", "被检查单位负责人（签名）：刘厂长"],
    refusal_note="负责人对第2项有异议",
)


def _open(doc: EnforcementDocument = RECORD) -> DocxDocument:
    return Document(io.BytesIO(enforcement_document_docx(doc)))


def _paragraph(document: DocxDocument, text: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text == text)


@pytest.fixture(scope="module")
def document() -> DocxDocument:
    return _open()


def test_page_is_a4_with_gb9704_margins(document: DocxDocument) -> None:
    section = document.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.5)
    assert section.page_height.mm == pytest.approx(297, abs=0.5)
    assert section.top_margin.mm == pytest.approx(37, abs=0.5)
    assert section.bottom_margin.mm == pytest.approx(35, abs=0.5)
    assert section.left_margin.mm == pytest.approx(28, abs=0.5)
    assert section.right_margin.mm == pytest.approx(26, abs=0.5)


def test_every_run_names_its_east_asian_font(document: DocxDocument) -> None:
    body = document.element.body
    section = document.sections[0]
    footers = [section.footer._element, section.even_page_footer._element]
    runs = [r for part in (body, *footers) for r in part.iter(qn("w:r"))]
    assert runs
    for run in runs:
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")), run.xml


def test_head_is_the_body_the_title_and_the_number_flush_right(document: DocxDocument) -> None:
    head, title, number = document.paragraphs[:3]
    assert head.text == "文水县应急管理局"
    assert title.text == "现场检查记录"
    for paragraph in (head, title):
        assert paragraph.alignment == gongwen.CENTER
        assert {r._r.rPr.rFonts.get(qn("w:eastAsia")) for r in paragraph.runs} == {"方正小标宋简体"}
    assert {r.font.size for r in title.runs} == {Pt(22)}
    assert number.text == "文水应急检记〔2026〕12号"
    assert number.alignment == gongwen.RIGHT


def test_fields_are_labelled_with_a_hanging_indent(document: DocxDocument) -> None:
    field = _paragraph(document, "被检查单位：文水县宏达化工有限公司")
    indent = field.paragraph_format.left_indent
    assert indent == Pt(6 * 15.75)  # 被检查单位： is six characters of 三号 (15.75 pt a character)
    assert field.paragraph_format.first_line_indent == -indent
    assert {r.font.size for r in field.runs} == {Pt(16)}
    assert {r._r.rPr.rFonts.get(qn("w:eastAsia")) for r in field.runs} == {"仿宋_GB2312"}
    assert _paragraph(document, "检查场所：")  # an empty value is left to fill in by hand


def test_table_has_its_caption_headers_and_weighted_columns(document: DocxDocument) -> None:
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["序号", "检查事项", "结果"]
    assert [c.text for c in table.rows[1].cells] == [
        "1",
        "主要负责人安全生产职责履行情况",
        "已检查",
    ]
    widths = [column.width for column in table.columns]
    assert widths[1] == pytest.approx(6 * widths[0], rel=0.01)
    assert sum(widths) == pytest.approx(Pt(gongwen.TEXT_WIDTH_PT), rel=0.01)
    assert table.rows[1].cells[0].paragraphs[0].alignment == gongwen.CENTER
    assert table.rows[1].cells[1].paragraphs[0].alignment == gongwen.LEFT
    assert _paragraph(document, "逐项检查情况").alignment == gongwen.CENTER


def test_table_cells_are_single_spaced_off_the_line_grid(document: DocxDocument) -> None:
    """四号 cell text would otherwise take a full 三号 grid line per line of text."""
    (table,) = document.tables
    for row in table.rows:
        for cell in row.cells:
            ppr = cell.paragraphs[0]._p.pPr
            tags = [child.tag for child in ppr]
            assert ppr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
            assert tags.index(qn("w:snapToGrid")) < tags.index(qn("w:jc"))  # schema order


def test_table_rows_do_not_split_and_the_header_repeats(document: DocxDocument) -> None:
    (table,) = document.tables
    header, *rows = (row._tr.trPr for row in table.rows)
    assert header.find(qn("w:tblHeader")) is not None
    assert all(r.find(qn("w:cantSplit")) is not None for r in (header, *rows))
    assert all(r.find(qn("w:tblHeader")) is None for r in rows)


def test_qr_picture_is_centred_with_its_caption(document: DocxDocument) -> None:
    (picture,) = document.inline_shapes
    assert picture.width.mm == pytest.approx(32, abs=0.5)
    paragraph = next(p for p in document.paragraphs if p._p.xpath(".//pic:pic"))
    assert paragraph.alignment == gongwen.CENTER
    assert paragraph.paragraph_format.line_spacing is None  # not clipped to the fixed pitch
    assert _paragraph(document, "扫描二维码核验本次检查的检查码").alignment == gongwen.CENTER


def test_qr_picture_keeps_with_its_caption_and_a_newline_breaks_the_caption() -> None:
    document = _open(replace(RECORD, qr_caption="检查码：abc:XYZ\n扫描二维码核验"))
    paragraph = next(p for p in document.paragraphs if p._p.xpath(".//pic:pic"))
    assert paragraph.paragraph_format.keep_with_next
    caption = _paragraph(document, "检查码：abc:XYZ\n扫描二维码核验")
    assert len(caption._p.xpath(".//w:br")) == 1
    assert caption.paragraph_format.keep_together


def test_no_qr_picture_without_one_but_the_caption_stays() -> None:
    document = _open(replace(RECORD, qr_png=None, qr_caption="检查码：abc:XYZ"))
    assert len(document.inline_shapes) == 0
    assert _paragraph(document, "检查码：abc:XYZ").alignment == gongwen.CENTER


def test_signature_lines_refusal_and_seal(document: DocxDocument) -> None:
    texts = [p.text for p in document.paragraphs]
    signature = texts.index("检查人员（签名）：张检　执法证号：1411212000")
    assert texts[signature + 1] == "被检查单位负责人（签名）：刘厂长"
    assert texts[signature + 2] == "拒绝签字：负责人对第2项有异议。"
    assert texts[-2:] == ["文水县应急管理局", "2026年3月5日"]
    seal, day = document.paragraphs[-2:]
    assert seal.alignment == day.alignment == gongwen.RIGHT
    assert day.paragraph_format.right_indent == Pt(63)
    # the signatures and the seal stay on one page: each keeps with the next but the last
    assert all(p.paragraph_format.keep_with_next for p in document.paragraphs[signature:-1])
    assert not day.paragraph_format.keep_with_next


def test_a_record_without_a_seal_ends_with_its_signatures() -> None:
    document = _open(replace(RECORD, seal=False, refusal_note=""))
    assert document.paragraphs[-1].text == "被检查单位负责人（签名）：刘厂长"
    assert "拒绝签字" not in "\n".join(p.text for p in document.paragraphs)


def test_body_text_sits_on_the_fixed_pitch_and_footers_number_pages(
    document: DocxDocument,
) -> None:
    finding = _paragraph(document, "1．储罐区防火堤破损（一般隐患）。")
    assert finding.paragraph_format.line_spacing == Pt(28.95)
    assert finding.paragraph_format.first_line_indent == Pt(31.5)
    assert document.settings.odd_and_even_pages_header_footer
    footer = document.sections[0].footer.paragraphs[0]
    assert [e.text.strip() for e in footer._p.iter(qn("w:instrText"))] == ["PAGE"]
