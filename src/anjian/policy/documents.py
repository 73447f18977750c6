"""The notice copying a quiet-period exception to the justice bureau (抄告), as a Word document in
the official-document layout of GB/T 9704-2012: A4, margins 37/35/28/26 mm, 仿宋_GB2312 三号 body
with a fixed 28.95 pt line pitch (22 lines a page), 方正小标宋简体 二号 title, red masthead and
rule, 版记 between rules, page numbers "— 1 —"."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
RED = RGBColor(0xFF, 0x00, 0x00)


@dataclass(frozen=True)
class QuietExceptionNotice:
    issuing_body: str
    recipient: str
    document_number: str
    enterprise_name: str
    enterprise_uscc: str
    entry_date: date
    activity_label: str
    section_name: str
    reason: str
    quiet_days_label: str
    requested_by: str
    approved_by: str
    approved_on: date
    issued_on: date
    basis: str
    contact: str = ""


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = 16,
    color: RGBColor | None = None,
    bold: bool = False,
) -> None:
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if color is not None:
        run.font.color.rgb = color


def _paragraph(
    document,
    text: str = "",
    *,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
    **run_options: object,
) -> Paragraph:  # type: ignore[no-untyped-def]
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28.95)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(32)
    if text:
        _run(paragraph, text, **run_options)  # type: ignore[arg-type]
    return paragraph


def _rule(
    paragraph: Paragraph, *, color: str = "FF0000", size: int = 12, top: bool = False
) -> None:
    """A horizontal rule as the paragraph's bottom (or top) border; size in eighths of a point."""
    borders = OxmlElement("w:pBdr")
    line = OxmlElement("w:top" if top else "w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", str(size)),
        ("w:space", "1"),
        ("w:color", color),
    ):
        line.set(qn(key), value)
    borders.append(line)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_setup(document) -> None:  # type: ignore[no-untyped-def]
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "— ", font="宋体", size=14)
    _page_field(footer)
    _run(footer, " —", font="宋体", size=14)


def _page_field(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    run.font.size = Pt(14)


def _masthead(document, notice: QuietExceptionNotice) -> None:  # type: ignore[no-untyped-def]
    head = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _run(head, notice.issuing_body, font=TITLE_FONT, size=26, color=RED)
    _paragraph(document, indent=False)
    number = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _run(number, notice.document_number)
    _rule(number)
    _paragraph(document, indent=False)


def _body_text(notice: QuietExceptionNotice) -> list[str]:
    section = f"本局{notice.section_name}" if notice.section_name else "本局"
    return [
        f"根据{notice.basis}的规定，本局每月设置不少于10日的企业安静期，"
        f"{notice.quiet_days_label}为本月企业安静期。安静期内除督导检查、调查核实、考核巡查等"
        "依法需要入企的情形外，不入企开展执法检查、帮扶指导、调查研究。",
        f"因特殊情形，{section}需于{chinese_date(notice.entry_date)}（企业安静期内）进入"
        f"{notice.enterprise_name}（统一社会信用代码：{notice.enterprise_uscc}）开展"
        f"{notice.activity_label}。特殊情形说明：{notice.reason}",
        f"该事项由{notice.requested_by}提出申请，经本局主要负责人{notice.approved_by}于"
        f"{chinese_date(notice.approved_on)}批准。现予抄告，请予监督。",
    ]


def _signature(document, notice: QuietExceptionNotice) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        _paragraph(document, indent=False)
    for text in (notice.issuing_body, chinese_date(notice.issued_on)):
        line = _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        line.paragraph_format.right_indent = Pt(64)
    if notice.contact:
        _paragraph(document, f"（联系人：{notice.contact}）")


def _colophon(document, notice: QuietExceptionNotice) -> None:  # type: ignore[no-untyped-def]
    _paragraph(document, indent=False)
    copy = _paragraph(document, "抄送：派驻纪检监察组。", indent=False, size=14)
    copy.paragraph_format.left_indent = Pt(14)
    _rule(copy, color="000000", size=8, top=True)
    printed = _paragraph(document, indent=False, size=14)
    printed.paragraph_format.left_indent = Pt(14)
    _run(printed, f"{notice.issuing_body}办公室", size=14)
    _run(printed, "\u3000" * 6 + f"{chinese_date(notice.issued_on)}印发", size=14)
    _rule(printed, color="000000", size=8)


def quiet_exception_notice_docx(notice: QuietExceptionNotice) -> bytes:
    """The 抄告 notice of an approved quiet-period exception, as .docx bytes."""
    document = Document()
    _page_setup(document)
    _masthead(document, notice)
    _paragraph(
        document,
        "关于安静期内特殊情形入企检查的抄告",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        font=TITLE_FONT,
        size=22,
    )
    _paragraph(document, indent=False)
    _paragraph(document, f"{notice.recipient}：", indent=False)
    for text in _body_text(notice):
        _paragraph(document, text)
    _signature(document, notice)
    _colophon(document, notice)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
