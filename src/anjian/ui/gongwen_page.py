"""The page of official and enforcement documents (GB/T 9704-2012): A4 with margins 37/35/28/26
mm (版心 156 x 225 mm), a grid of 22 lines of 28 三号 characters, the fonts, paragraphs on the
fixed pitch, rules, tables, page numbers, the seal lines and the frame that holds the 版记 at the
foot of the last page. `gongwen.py` (公文) and `gongwen_forms.py` (执法文书) compose them.
Pure python-docx: no Django and no other anjian module is imported here.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date
from functools import cache, lru_cache

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.styles import CT_Styles
from docx.oxml.text.font import CT_RPr
from docx.oxml.text.parfmt import CT_PPr
from docx.section import Section
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.styles.styles import Styles
from docx.table import Table
from docx.text.font import Font
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
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
TEXT_WIDTH_PT = 156 / 25.4 * 72  # 版心 width, 210 - 28 - 26 mm
CHAR_PITCH_PT = TEXT_WIDTH_PT / CHARS_PER_LINE  # 15.79 pt: 28 三号 characters fill 156 mm
# Character spacing of every 三号 run, in twentieths of a point: 16 - 0.25 = 15.75 pt a character,
# so 28 fit the 版心 (441 of 442.2 pt) and 29 do not, in Word and in LibreOffice alike. (A
# character grid, w:docGrid linesAndChars with charSpace -849, gives 28 in Word but 14 in
# LibreOffice 7.4, which gives a 16 pt character two 15.79 pt cells: see ADR 0012.)
BODY_TRACKING = -5
SIGNATURE_FONT = "楷体_GB2312"  # 签发人 name (GB/T 9704 7.2.6)
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


_AFTER_FRAMEPR = ("w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", *_AFTER_PBDR)


# Children of w:rPr that must follow w:spacing (ECMA-376 order).
_AFTER_RPR_SPACING = (
    *("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect"),
    *("w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang"),
    *("w:eastAsianLayout", "w:specVanish", "w:oMath"),
)


def _width_in_chars(text: str) -> float:
    """Width in full-width characters: CJK and full-width forms 1, ASCII digits and letters 1/2."""
    return sum(1.0 if ord(char) > 0x2E7F else 0.5 for char in text)


def _set_fonts(rpr: CT_RPr, font: str) -> None:
    """Name the font for every script; python-docx's font.name leaves w:eastAsia unset."""
    fonts = rpr.get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), font)


@cache
def _run_template(font: str, size: float, color: RGBColor | None) -> CT_RPr:
    """The w:rPr of a run in `font` and `size` (and `color`): the fonts of every script, the
    size, the 三号 tracking. Built once for each combination; each run gets a copy."""
    run = OxmlElement("w:r")
    formatting = Font(run)
    formatting.size = Pt(size)
    rpr = run.get_or_add_rPr()
    _set_fonts(rpr, font)
    if size == BODY_SIZE:
        tracking = OxmlElement("w:spacing")
        tracking.set(qn("w:val"), str(BODY_TRACKING))
        rpr.insert_element_before(tracking, *_AFTER_RPR_SPACING)
    if color is not None:
        formatting.color.rgb = color
    return rpr


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = BODY_SIZE,
    color: RGBColor | None = None,
) -> Run:
    run = paragraph.add_run(text)
    run._r.insert(0, copy.deepcopy(_run_template(font, size, color)))  # w:rPr comes first in a w:r
    return run


@cache
def _paragraph_template(align: WD_ALIGN_PARAGRAPH, indent_chars: int, size: float) -> CT_PPr:
    """The w:pPr of a paragraph on the fixed line pitch, aligned and indented: built once for
    each combination; each paragraph gets a copy."""
    paragraph = Paragraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    if indent_chars:
        fmt.first_line_indent = Pt(indent_chars * chars(size))
    return paragraph._p.get_or_add_pPr()


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
    ppr = _paragraph_template(align, indent_chars, size if indent_chars else BODY_SIZE)
    paragraph._p.insert(0, copy.deepcopy(ppr))  # w:pPr comes first in a w:p
    if text:
        _run(paragraph, text, font=font, size=size, color=color)
    return paragraph


def chars(size: float = BODY_SIZE) -> float:
    """The width in points of one character of `size` (a 三号 character is 15.75 pt with its
    spacing, so 28 fill a line)."""
    return size + BODY_TRACKING / 20 if size == BODY_SIZE else size


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
    # The grid's character pitch is relative to the default font size: make it 三号 everywhere.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    size = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
    if size is not None:
        size.set(qn("w:val"), str(round(BODY_SIZE * 2)))


def _page_setup(document: DocxDocument) -> Section:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(22)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
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


def _grid(
    document: DocxDocument,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    caption: str = "",
    widths: Sequence[float] = (),
    body_align: Sequence[WD_ALIGN_PARAGRAPH] = (),
    size: float = COLOPHON_SIZE,
    off_grid: bool = False,
) -> Table:
    """A simple grid in 仿宋 四号 the width of the 版心, with its caption centred above. Headers
    are centred; body cells follow `body_align` per column (centred when not given); `widths`
    are relative column widths (even when not given); `off_grid` cells are single-spaced off
    the page's line grid (see `_off_grid`)."""
    if caption:
        _paragraph(document, caption, align=CENTER, size=COLOPHON_SIZE)
    grid = document.add_table(rows=1, cols=len(headers))
    grid._tbl.tblStyle_val = _table_grid_style(document)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        _cell_text(cell.paragraphs[0], str(text), CENTER, size, off_grid)
    for row in rows:
        cells = grid.add_row().cells
        for column, (cell, text) in enumerate(zip(cells, row, strict=True)):
            align = body_align[column] if body_align else CENTER
            _cell_text(cell.paragraphs[0], str(text), align, size, off_grid)
    if widths:
        _column_widths(grid, widths)
    return grid


def _table_grid_style(document: DocxDocument) -> str | None:
    """The style id of "Table Grid", looked up once in the styles part the documents share (a
    search of 400 KB of styles otherwise paid by every table)."""
    return _table_style_id(document.part.styles.element, "Table Grid")


@lru_cache(maxsize=8)
def _table_style_id(styles: CT_Styles, name: str) -> str | None:
    return Styles(styles).get_style_id(name, WD_STYLE_TYPE.TABLE)


def _cell_text(
    paragraph: Paragraph, text: str, align: WD_ALIGN_PARAGRAPH, size: float, off_grid: bool
) -> None:
    paragraph._p.insert(0, copy.deepcopy(_cell_template(align, off_grid)))
    _run(paragraph, text, size=size)


@cache
def _cell_template(align: WD_ALIGN_PARAGRAPH, off_grid: bool) -> CT_PPr:
    """The w:pPr of a table cell's paragraph, built once for each alignment."""
    paragraph = Paragraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]
    paragraph.alignment = align
    if off_grid:
        _off_grid(paragraph)
    return paragraph._p.get_or_add_pPr()


def _off_grid(paragraph: Paragraph) -> None:
    """Single-spaced text that does not snap to the page's line grid, so that a table cell's
    四号 lines are not each stretched to the 三号 pitch."""
    ppr = paragraph._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert_element_before(snap, *_AFTER_PBDR[_AFTER_PBDR.index("w:snapToGrid") + 1 :])
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(2)


def _column_widths(grid: Table, weights: Sequence[float]) -> None:
    """Share the 版心 width by weight: w:gridCol for LibreOffice, w:tcW for Word."""
    total = sum(weights)
    for column, weight in zip(grid.columns, weights, strict=True):
        width = Emu(Pt(TEXT_WIDTH_PT * weight / total))
        column.width = width
        for cell in column.cells:
            cell.width = width


def keep_together(paragraphs: Sequence[Paragraph]) -> None:
    """Never split these paragraphs, nor one from the next: the last text, the signature and
    the date move to the next page together rather than leave the date alone."""
    for paragraph in paragraphs:
        paragraph.paragraph_format.keep_together = True
    for paragraph in paragraphs[:-1]:
        paragraph.paragraph_format.keep_with_next = True


def _seal_lines(document: DocxDocument, body: str, issued_on: date) -> None:
    """The body's name centred over the date, the date four characters in from the right, the
    room for the seal above them (GB/T 9704 7.3.5.1, sealed single-issuer document)."""
    issued = chinese_date(issued_on)
    offset = 4 + (_width_in_chars(issued) - _width_in_chars(body)) / 2
    for text, inset in ((body, max(offset, 0.0)), (issued, 4.0)):
        line = _paragraph(document, text, align=RIGHT)
        line.paragraph_format.right_indent = Pt(inset * chars())


def _at_page_foot(lines: Sequence[Paragraph]) -> None:
    """Put each paragraph in a frame of its own the width of the 版心, on the last lines of the
    版心 (the last paragraph on the 22nd line), so the 版记 sits at the foot of the page of its
    anchor, the last page. One frame a line: LibreOffice drops a frame whose paragraphs have
    different borders, and joins consecutive framed paragraphs: a 1 pt empty paragraph stands
    between two. Text never runs beside the frames."""
    for index, paragraph in enumerate(lines, start=LINES_PER_PAGE - len(lines)):
        if index > LINES_PER_PAGE - len(lines):
            spacer = paragraph.insert_paragraph_before()
            spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            spacer.paragraph_format.line_spacing = Pt(1)
            spacer.paragraph_format.space_before = spacer.paragraph_format.space_after = Pt(0)
        frame = OxmlElement("w:framePr")
        for key, value in (
            ("w", str(round(TEXT_WIDTH_PT * 20))),
            ("wrap", "notBeside"),
            ("vAnchor", "margin"),
            ("hAnchor", "margin"),
            ("xAlign", "center"),
            ("y", str(round(index * LINE_PITCH.pt * 20))),
        ):
            frame.set(qn(f"w:{key}"), value)
        ppr = paragraph._p.get_or_add_pPr()
        ppr.insert_element_before(frame, *_AFTER_FRAMEPR)


_UNSAFE_IN_FILENAMES = str.maketrans({c: "_" for c in '\\/:*?"<>|\r\n\t'})


def document_filename(number: str, title: str, extension: str = "docx") -> str:
    """A document's file name: its number and its title (文应急请〔2026〕1号 关于…的请示.docx),
    with the characters no file system accepts replaced."""
    name = " ".join(part.strip() for part in (number, title) if part.strip()) or "文书"
    return f"{name.translate(_UNSAFE_IN_FILENAMES)}.{extension}"
