"""Official documents (公文) as Word files in the layout of GB/T 9704-2012: A4 with margins
37/35/28/26 mm (版心 156 x 225 mm); body in 仿宋_GB2312 三号 on a fixed 28.95 pt line pitch, so a
page holds 22 lines; title in 方正小标宋简体 二号; a red masthead (发文机关标志) and the document
number above a red rule; the signature centred over a date set four characters in from the right;
a 版记 between black rules; page numbers "— 1 —" in 宋体 四号, right on odd pages and left on even
ones. Enforcement documents (执法文书: notices, records, orders …) are forms rather than letters:
their layout is `gongwen_forms.py`, on the same page, grid, fonts and page numbers.
Pure python-docx: no Django and no other anjian module is imported here, so every area
(quiet-period notices, the annual supervision plan, inspection documents …) shares one layout.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.section import Section
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
PAGE_NUMBER_FONT = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
BODY_SIZE = 16.0  # 三号
TITLE_SIZE = 22.0  # 二号
COLOPHON_SIZE = 14.0  # 四号
MASTHEAD_MAX_SIZE = 36.0  # 小初
LINE_PITCH = Pt(28.95)  # 225 mm of 版心 / 22 lines
TEXT_WIDTH_PT = 156 / 25.4 * 72  # 版心 width, 210 - 28 - 26 mm
CENTER, LEFT, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
# Children of w:pPr that must follow w:pBdr (ECMA-376 order), for a schema-valid insertion.
_AFTER_PBDR = (
    *("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct"),
    *("w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd"),
    *("w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents"),
    *("w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap"),
    *("w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
)


def _width_in_chars(text: str) -> float:
    """Width in full-width characters: CJK and full-width forms 1, ASCII digits and letters 1/2."""
    return sum(1.0 if ord(char) > 0x2E7F else 0.5 for char in text)


def _set_fonts(rpr: CT_RPr, font: str) -> None:
    """Name the font for every script; python-docx's font.name leaves w:eastAsia unset."""
    fonts = rpr.get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), font)


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = BODY_SIZE,
    color: RGBColor | None = None,
) -> Run:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    _set_fonts(run._r.get_or_add_rPr(), font)
    if color is not None:
        run.font.color.rgb = color
    return run


def _paragraph(
    document: DocxDocument,
    text: str = "",
    *,
    align: WD_ALIGN_PARAGRAPH = LEFT,
    indent_chars: int = 0,
    font: str = BODY_FONT,
    size: float = BODY_SIZE,
    color: RGBColor | None = None,
) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    if indent_chars:
        fmt.first_line_indent = Pt(indent_chars * size)
    if text:
        _run(paragraph, text, font=font, size=size, color=color)
    return paragraph


def _blank(document: DocxDocument, lines: int = 1) -> None:
    for _ in range(lines):
        _paragraph(document)


def _rule(paragraph: Paragraph, edge: str, *, color: str, eighths: int, space: int = 1) -> None:
    """A horizontal rule as the paragraph's top or bottom border (width in eighths of a point,
    distance from the text in points). Add a top edge before a bottom one."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_AFTER_PBDR)
    line = OxmlElement(f"w:{edge}")
    for key, value in (("val", "single"), ("sz", eighths), ("space", space), ("color", color)):
        line.set(qn(f"w:{key}"), str(value))
    borders.append(line)


def _defaults(document: DocxDocument) -> None:
    """Normal style: 仿宋_GB2312 三号, Chinese proofing language, so blank lines share the grid."""
    normal = document.styles["Normal"]
    rpr = normal.element.get_or_add_rPr()
    _set_fonts(rpr, BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    normal.font.size = Pt(BODY_SIZE)


def _page_setup(document: DocxDocument) -> Section:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
    return section


def _field_char(paragraph: Paragraph, kind: str) -> None:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    _run(paragraph, "", font=PAGE_NUMBER_FONT, size=COLOPHON_SIZE)._r.append(element)


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """ "— 1 —" with a PAGE field, one character in from the outer edge (GB/T 9704 7.5)."""
    paragraph.alignment = align
    inset = Pt(COLOPHON_SIZE)
    if align == RIGHT:
        paragraph.paragraph_format.right_indent = inset
    else:
        paragraph.paragraph_format.left_indent = inset
    _run(paragraph, "— ", font=PAGE_NUMBER_FONT, size=COLOPHON_SIZE)
    _field_char(paragraph, "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    _run(paragraph, "", font=PAGE_NUMBER_FONT, size=COLOPHON_SIZE)._r.append(instruction)
    _field_char(paragraph, "separate")
    _run(paragraph, "1", font=PAGE_NUMBER_FONT, size=COLOPHON_SIZE)
    _field_char(paragraph, "end")
    _run(paragraph, " —", font=PAGE_NUMBER_FONT, size=COLOPHON_SIZE)


def _footers(document: DocxDocument, section: Section) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], LEFT)


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def sentence(text: str) -> str:
    """Free text closed with a single full stop."""
    return text.strip().rstrip("。.；;，,") + "。"


@dataclass(frozen=True)
class OfficialDocument:
    """What a 公文 says; the layout is this module's."""

    issuing_body: str  # 文水县应急管理局
    document_number: str  # 文应急抄〔2025〕3号
    title: str
    recipient: str  # 主送机关
    paragraphs: Sequence[str]
    issued_on: date
    copy_to: str = ""  # 抄送 line of the 版记
    attachments: Sequence[str] = ()  # 附件说明, one line per attachment
    table: tuple[Sequence[str], Sequence[Sequence[str]]] | None = None  # headers, rows
    table_caption: str = ""
    closing: Sequence[str] = ()  # paragraphs after the table, e.g. 妥否，请批示。


def _masthead(document: DocxDocument, doc: OfficialDocument) -> None:
    """Red 发文机关标志 35 mm below the top of the 版心, two blank lines, the document number
    and, 4 mm below it, a red rule the width of the 版心."""
    name = doc.issuing_body
    size = min(MASTHEAD_MAX_SIZE, float(int(TEXT_WIDTH_PT / max(_width_in_chars(name), 1))))
    head = _paragraph(document, name, align=CENTER, font=TITLE_FONT, size=size, color=RED)
    head.paragraph_format.line_spacing = Pt(size * 1.25)
    head.paragraph_format.space_before = Mm(35)
    _blank(document, 2)
    number = _paragraph(document, doc.document_number, align=CENTER)
    _rule(number, "bottom", color="FF0000", eighths=8, space=11)
    _blank(document, 2)


def _grid(
    document: DocxDocument,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    caption: str = "",
    widths: Sequence[float] = (),
    body_align: Sequence[WD_ALIGN_PARAGRAPH] = (),
) -> None:
    """A simple grid in 仿宋 四号 the width of the 版心, with its caption centred above. Headers
    are centred; body cells follow `body_align` per column (centred when not given); `widths`
    are relative column widths (even when not given)."""
    if caption:
        _paragraph(document, caption, align=CENTER, size=COLOPHON_SIZE)
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].alignment = CENTER
        _run(cell.paragraphs[0], str(text), size=COLOPHON_SIZE)
    for row in rows:
        cells = grid.add_row().cells
        for column, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.paragraphs[0].alignment = body_align[column] if body_align else CENTER
            _run(cell.paragraphs[0], str(text), size=COLOPHON_SIZE)
    if widths:
        _column_widths(grid, widths)


def _column_widths(grid: Table, weights: Sequence[float]) -> None:
    """Share the 版心 width by weight: w:gridCol for LibreOffice, w:tcW for Word."""
    total = sum(weights)
    for column, weight in zip(grid.columns, weights, strict=True):
        width = Emu(Pt(TEXT_WIDTH_PT * weight / total))
        column.width = width
        for cell in column.cells:
            cell.width = width


def _table(document: DocxDocument, doc: OfficialDocument) -> None:
    """The official document's table, every cell centred, columns even."""
    if doc.table is None:
        return
    headers, rows = doc.table
    _grid(document, headers, rows, caption=doc.table_caption)


def _attachments(document: DocxDocument, doc: OfficialDocument) -> None:
    """附件说明 one line below the body, indented two characters (GB/T 9704 7.3.4)."""
    if not doc.attachments:
        return
    _blank(document)
    for index, name in enumerate(doc.attachments, start=1):
        label = "附件：" if index == 1 else "\u3000\u3000\u3000"
        number = f"{index}．" if len(doc.attachments) > 1 else ""
        _paragraph(document, f"{label}{number}{name}", indent_chars=2)


def _signature(document: DocxDocument, doc: OfficialDocument) -> None:
    """Room for the seal, then the issuing body over the date."""
    _blank(document, 2)
    _seal_lines(document, doc.issuing_body, doc.issued_on)


def _seal_lines(document: DocxDocument, body: str, issued_on: date) -> None:
    """The body's name centred over the date, the date four characters in from the right, the
    room for the seal above them (GB/T 9704 7.3.5.1, sealed single-issuer document)."""
    issued = chinese_date(issued_on)
    offset = 4 + (_width_in_chars(issued) - _width_in_chars(body)) / 2
    for text, chars in ((body, max(offset, 0.0)), (issued, 4.0)):
        line = _paragraph(document, text, align=RIGHT)
        line.paragraph_format.right_indent = Pt(chars * BODY_SIZE)


def _colophon(document: DocxDocument, doc: OfficialDocument) -> None:
    """版记: the optional 抄送 line and the 印发 line in 四号 between rules, thick outside (0.35
    mm) and thin between (0.25 mm). Rules run the width of the 版心, so the one-character insets
    are a leading full-width space and a right tab stop rather than paragraph indents."""
    _blank(document)
    printed_text = f"\u3000{doc.issuing_body}办公室\t{chinese_date(doc.issued_on)}印发"
    if doc.copy_to:
        copied = _paragraph(document, f"\u3000抄送：{sentence(doc.copy_to)}", size=14)
        _rule(copied, "top", color="000000", eighths=8)
        _rule(copied, "bottom", color="000000", eighths=6)
    printed = _paragraph(document, printed_text, size=COLOPHON_SIZE)
    tab = Emu(Pt(TEXT_WIDTH_PT - COLOPHON_SIZE))
    printed.paragraph_format.tab_stops.add_tab_stop(tab, WD_TAB_ALIGNMENT.RIGHT)
    if not doc.copy_to:
        _rule(printed, "top", color="000000", eighths=8)
    _rule(printed, "bottom", color="000000", eighths=8)


def official_document_docx(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes."""
    document = Document()
    _defaults(document)
    _footers(document, _page_setup(document))
    _masthead(document, doc)
    _paragraph(document, doc.title, align=CENTER, font=TITLE_FONT, size=TITLE_SIZE)
    _blank(document)
    _paragraph(document, f"{doc.recipient}：")
    for text in doc.paragraphs:
        _paragraph(document, text, align=JUSTIFY, indent_chars=2)
    _table(document, doc)
    for text in doc.closing:
        _paragraph(document, text, align=JUSTIFY, indent_chars=2)
    _attachments(document, doc)
    _signature(document, doc)
    _colophon(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
