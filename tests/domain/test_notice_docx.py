"""The 抄告 notice of a quiet-period exception: GB/T 9704-2012 layout and the facts it states."""

from __future__ import annotations

import ast
import dataclasses
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from anjian.policy import documents
from anjian.policy.documents import (
    QuietExceptionNotice,
    chinese_date,
    notice_title,
    quiet_exception_notice_docx,
)
from anjian.ui import gongwen

NOTICE = QuietExceptionNotice(
    issuing_body="文水县应急管理局",
    recipient="文水县司法局",
    document_number="文应急抄〔2025〕3号",
    enterprise_name="文水县鑫源化工有限公司",
    enterprise_uscc="91141121MA0GRT5X3K",
    entry_date=date(2025, 6, 5),
    activity_label="执法检查",
    section_name="危化股",
    reason="群众举报该企业储罐区夜间违规动火作业，需立即现场核实",
    quiet_days_label="2025年6月1日至10日、20日至29日",
    requested_by="王建平",
    approved_by="李国强",
    approved_on=date(2025, 6, 4),
    issued_on=date(2025, 6, 5),
    basis="《文水县应急管理局2025年度工作方案》三（一）4",
    contact="张敏，0358-3022110",
)


def _open(notice: QuietExceptionNotice = NOTICE) -> DocxDocument:
    return Document(io.BytesIO(quiet_exception_notice_docx(notice)))


def _text(document: DocxDocument) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def _east_asia(run: Run) -> str | None:
    fonts = run._r.rPr.rFonts if run._r.rPr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def _body(document: DocxDocument) -> list[Paragraph]:
    """The body paragraphs: those between the 主送 line and the signature."""
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "文水县司法局：") + 1
    body = []
    for paragraph in paragraphs[start:]:
        if not paragraph.text:
            break
        body.append(paragraph)
    return body


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


def test_title_is_centred_in_xiaobiaosong_erhao(document: DocxDocument) -> None:
    title = next(p for p in document.paragraphs if p.text == notice_title(NOTICE))
    assert title.text == "关于安静期内特殊情形入企执法检查的抄告"
    assert title.alignment == documents.CENTER
    assert {r.font.size for r in title.runs} == {Pt(22)}
    assert {_east_asia(r) for r in title.runs} == {"方正小标宋简体"}


def test_notice_states_the_facts(document: DocxDocument) -> None:
    text = _text(document)
    for fact in (
        "文应急抄〔2025〕3号",
        "文水县鑫源化工有限公司",
        "91141121MA0GRT5X3K",
        "文水县司法局：",
        "群众举报该企业储罐区夜间违规动火作业，需立即现场核实。",
        "2025年6月4日",  # approved on
        "2025年6月5日",  # the entry date and the issue date
        "危化股",
        "李国强",
        "执法检查",
        "2025年6月1日至10日、20日至29日",
        "《文水县应急管理局2025年度工作方案》三（一）4",
        "抄告你局，请予监督",
        "张敏，0358-3022110",
    ):
        assert fact in text, fact
    assert "已于2025年6月4日经我局主要负责人李国强批准" in text


def test_chinese_date_has_no_leading_zeros() -> None:
    assert chinese_date(date(2025, 6, 5)) == "2025年6月5日"
    assert chinese_date(date(2025, 11, 30)) == "2025年11月30日"


def test_body_paragraphs_indent_two_characters_in_fangsong(document: DocxDocument) -> None:
    body = _body(document)
    assert len(body) == 4  # basis, the entry, the approval, the contact
    for paragraph in body:
        assert paragraph.paragraph_format.first_line_indent == Pt(31.5)
        assert paragraph.paragraph_format.line_spacing == Pt(28.95)
        for run in paragraph.runs:
            assert _east_asia(run) == "仿宋_GB2312"
            assert run.font.size == Pt(16)


def test_addressee_line_is_flush_left(document: DocxDocument) -> None:
    addressee = next(p for p in document.paragraphs if p.text == "文水县司法局：")
    assert not addressee.paragraph_format.first_line_indent
    assert not addressee.paragraph_format.left_indent


def test_masthead_is_red_and_followed_by_the_number_over_a_red_rule(
    document: DocxDocument,
) -> None:
    head = document.paragraphs[0]
    assert head.text == "文水县应急管理局"
    assert head.alignment == documents.CENTER
    assert {r.font.color.rgb for r in head.runs} == {RGBColor(0xFF, 0x00, 0x00)}
    assert {_east_asia(r) for r in head.runs} == {"方正小标宋简体"}
    number = next(p for p in document.paragraphs if p.text == "文应急抄〔2025〕3号")
    assert number.alignment == documents.CENTER
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000"
    assert 4 <= int(bottom.get(qn("w:sz"))) <= 8  # 0.5-1 pt


def test_borders_are_schema_ordered(document: DocxDocument) -> None:
    """w:pBdr must precede w:spacing, w:ind and w:jc in w:pPr or Word calls the file corrupt."""
    for paragraph in document.paragraphs:
        ppr = paragraph._p.pPr
        if ppr is None or ppr.find(qn("w:pBdr")) is None:
            continue
        tags = [child.tag for child in ppr]
        later = [t for t in (qn("w:spacing"), qn("w:ind"), qn("w:jc")) if t in tags]
        assert all(tags.index(qn("w:pBdr")) < tags.index(t) for t in later)


def test_signature_and_date_sit_right_with_the_date_four_characters_in(
    document: DocxDocument,
) -> None:
    paragraphs = document.paragraphs
    date_line = next(p for p in reversed(paragraphs) if p.text == "2025年6月5日")
    index = [p._p for p in paragraphs].index(date_line._p)
    signature = paragraphs[index - 1]
    assert signature.text == "文水县应急管理局"
    assert date_line.alignment == signature.alignment == documents.RIGHT
    assert date_line.paragraph_format.right_indent == Pt(63)
    # 8 characters centred over a 6-character date: one character less in from the right.
    assert signature.paragraph_format.right_indent == Pt(3 * 15.75)


def test_colophon_prints_in_sihao_between_black_rules(document: DocxDocument) -> None:
    printed = document.paragraphs[-1]
    assert printed.text == "\u3000文水县应急管理局办公室\t2025年6月5日印发"
    assert {r.font.size for r in printed.runs} == {Pt(14)}
    borders = printed._p.pPr.find(qn("w:pBdr"))
    assert borders.find(qn("w:top")).get(qn("w:color")) == "000000"
    assert borders.find(qn("w:bottom")).get(qn("w:color")) == "000000"
    assert "抄送" not in _text(document)


def test_copy_to_line_goes_above_the_printing_line() -> None:
    document = _open(replace(NOTICE, copy_to="县纪委监委派驻第三纪检监察组"))
    copied, _spacer, printed = document.paragraphs[-3:]
    assert copied.text == "\u3000抄送：县纪委监委派驻第三纪检监察组。"
    assert copied._p.pPr.find(qn("w:pBdr")).find(qn("w:top")) is not None
    assert printed._p.pPr.find(qn("w:pBdr")).find(qn("w:top")) is None


def test_footers_number_pages_with_a_page_field(document: DocxDocument) -> None:
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer in (section.footer, section.even_page_footer):
        paragraph = footer.paragraphs[0]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        instructions = [e.text for e in paragraph._p.iter(qn("w:instrText"))]
        assert [i.strip() for i in instructions] == ["PAGE"]
        assert {r.font.size for r in paragraph.runs} == {Pt(14)}
        assert {_east_asia(r) for r in paragraph.runs} == {"宋体"}


def test_optional_contact_and_blank_section_read_naturally() -> None:
    text = _text(_open(replace(NOTICE, contact="", section_name="")))
    assert "联系人" not in text
    assert "我局王建平申请于2025年6月5日进入文水县鑫源化工有限公司" in text


def _imports(path: str) -> list[str]:
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    modules = [alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names]
    return modules + [
        n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
    ]


def test_the_layout_imports_no_django_and_no_other_anjian_module() -> None:
    assert [m for m in _imports(gongwen.__file__) if m.startswith(("django", "anjian"))] == [
        "anjian.ui.gongwen_package",
        "anjian.ui.gongwen_page",
    ]
    page = Path(gongwen.__file__).with_name("gongwen_page.py")
    assert [m for m in _imports(str(page)) if m.startswith(("django", "anjian"))] == []
    package = Path(gongwen.__file__).with_name("gongwen_package.py")
    assert [m for m in _imports(str(package)) if m.startswith(("django", "anjian"))] == [
        "anjian.ui.gongwen_page"
    ]
    notice_imports = [m for m in _imports(documents.__file__) if m.startswith(("django", "anjian"))]
    assert notice_imports == ["anjian.ui.gongwen"]


def test_a_december_notice_about_january_names_january() -> None:
    """The quiet days are those of the entry's month, not of the month the notice is issued."""
    notice = dataclasses.replace(
        NOTICE,
        entry_date=date(2026, 1, 6),
        quiet_days_label="2026年1月1日至10日",
        approved_on=date(2025, 12, 30),
        issued_on=date(2025, 12, 30),
    )
    text = _text(_open(notice))
    assert "2026年1月1日至10日为企业安静期" in text
    assert "本月" not in text
