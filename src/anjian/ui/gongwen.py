"""Official documents (公文) as Word files in the layout of GB/T 9704-2012, on the page of
`gongwen_page.py` (A4, 版心 156 x 225 mm, 22 lines of 28 三号 仿宋 characters): title in
方正小标宋简体 二号; a red masthead (发文机关标志) and the document number (with the 签发人 of an
upward document on its line) above a red rule; the signature centred over a date set four
characters in from the right, kept on one page with the last text; the 附注 under the date; a 版记
between black rules at the foot of the last page; page numbers "— 1 —" in 宋体 四号. Enforcement
documents (执法文书: notices, records, orders …) are forms rather than letters: their layout is
`gongwen_forms.py`, on the same page. Pure python-docx: no Django and no other area's module is
imported here, so every area (quiet-period notices, the annual supervision plan, inspection
documents …) shares one layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from docx.document import Document as DocxDocument
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Emu, Mm, Pt
from docx.text.paragraph import Paragraph

from anjian.ui.gongwen_package import docx_bytes, new_document
from anjian.ui.gongwen_page import (
    _AFTER_PBDR,
    BODY_FONT,
    BODY_SIZE,
    CENTER,
    CHAR_PITCH_PT,
    CHARS_PER_LINE,
    COLOPHON_SIZE,
    JUSTIFY,
    LEFT,
    LINE_PITCH,
    LINES_PER_PAGE,
    MASTHEAD_MAX_SIZE,
    RED,
    RIGHT,
    SIGNATURE_FONT,
    TEXT_WIDTH_PT,
    TITLE_FONT,
    TITLE_SIZE,
    _at_page_foot,
    _blank,
    _column_widths,
    _defaults,
    _footers,
    _grid,
    _page_setup,
    _paragraph,
    _rule,
    _run,
    _seal_lines,
    _set_fonts,
    _width_in_chars,
    chars,
    chinese_date,
    document_filename,
    keep_together,
    sentence,
)

__all__ = [
    "BODY_FONT",
    "BODY_SIZE",
    "CENTER",
    "CHARS_PER_LINE",
    "CHAR_PITCH_PT",
    "COLOPHON_SIZE",
    "JUSTIFY",
    "LEFT",
    "LINES_PER_PAGE",
    "LINE_PITCH",
    "RIGHT",
    "TEXT_WIDTH_PT",
    "TITLE_FONT",
    "TITLE_SIZE",
    "_AFTER_PBDR",
    "OfficialDocument",
    "_blank",
    "_column_widths",
    "_defaults",
    "_footers",
    "_grid",
    "_page_setup",
    "_paragraph",
    "_run",
    "_seal_lines",
    "_set_fonts",
    "_width_in_chars",
    "chars",
    "chinese_date",
    "document_filename",
    "keep_together",
    "official_document_docx",
    "sentence",
]


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
    signer: str = ""  # 签发人 of an upward document (上行文: 请示, 报告), right of the number
    note: str = ""  # 附注 under the date, e.g. a 请示's 联系人：张敏　联系电话：0358-3022110


def _masthead(document: DocxDocument, doc: OfficialDocument) -> None:
    """Red 发文机关标志 35 mm below the top of the 版心, two blank lines, the document number
    and, 4 mm below it, a red rule the width of the 版心."""
    name = doc.issuing_body
    size = min(MASTHEAD_MAX_SIZE, float(int(TEXT_WIDTH_PT / max(_width_in_chars(name), 1))))
    head = _paragraph(document, name, align=CENTER, font=TITLE_FONT, size=size, color=RED)
    head.paragraph_format.line_spacing = Pt(size * 1.25)
    head.paragraph_format.space_before = Mm(35)
    _blank(document, 2)
    number = _number_line(document, doc) if doc.signer else None
    if number is None:
        number = _paragraph(document, doc.document_number, align=CENTER)
    _rule(number, "bottom", color="FF0000", eighths=8, space=11)
    _blank(document, 2)


def _number_line(document: DocxDocument, doc: OfficialDocument) -> Paragraph:
    """An upward document's number one character in from the left and, on the same line one
    character in from the right, 签发人： in 仿宋 and the name in 楷体 (GB/T 9704 7.2.5-7.2.6)."""
    line = _paragraph(document, f"\u3000{doc.document_number}\t签发人：")
    _run(line, doc.signer, font=SIGNATURE_FONT)
    line.paragraph_format.tab_stops.add_tab_stop(
        Emu(Pt(TEXT_WIDTH_PT - chars())), WD_TAB_ALIGNMENT.RIGHT
    )
    return line


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
    """Room for the seal, then the issuing body over the date and the 附注 under it (GB/T 9704
    7.3.6)."""
    _blank(document, 2)
    _seal_lines(document, doc.issuing_body, doc.issued_on)
    if doc.note:
        _paragraph(document, f"（{doc.note}）", indent_chars=2)


def _keep_ending(document: DocxDocument, doc: OfficialDocument, last_text: int) -> None:
    """The last paragraph of the text (or the table's last row), the 附件说明, the signature,
    the date and the 附注 on one page: the date never stands alone (GB/T 9704 7.3.5.5)."""
    keep_together(document.paragraphs[last_text:])
    if doc.table is not None and not doc.closing and document.tables:
        row = document.tables[-1].rows[-1]
        for paragraph in (p for cell in row.cells for p in cell.paragraphs):
            paragraph.paragraph_format.keep_with_next = True


def _colophon(document: DocxDocument, doc: OfficialDocument) -> None:
    """版记: the optional 抄送 line and the 印发 line in 四号 between rules, thick outside (0.35
    mm) and thin between (0.25 mm), in a frame at the foot of the 版心 of the last page, so the
    last rule is on the page's last line (GB/T 9704 7.4). Rules run the width of the 版心, so the
    one-character insets are a leading full-width space and a right tab stop, not indents."""
    printed_text = f"\u3000{doc.issuing_body}办公室\t{chinese_date(doc.issued_on)}印发"
    lines = []
    if doc.copy_to:
        copied = _paragraph(document, f"\u3000抄送：{sentence(doc.copy_to)}", size=14)
        _rule(copied, "top", color="000000", eighths=8)
        _rule(copied, "bottom", color="000000", eighths=6)
        lines.append(copied)
    printed = _paragraph(document, printed_text, size=COLOPHON_SIZE)
    tab = Emu(Pt(TEXT_WIDTH_PT - COLOPHON_SIZE))
    printed.paragraph_format.tab_stops.add_tab_stop(tab, WD_TAB_ALIGNMENT.RIGHT)
    if not doc.copy_to:
        _rule(printed, "top", color="000000", eighths=8)
    _rule(printed, "bottom", color="000000", eighths=8)
    _at_page_foot([*lines, printed])


def official_document_docx(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes."""
    document = new_document()
    _masthead(document, doc)
    _paragraph(document, doc.title, align=CENTER, font=TITLE_FONT, size=TITLE_SIZE)
    _blank(document)
    _paragraph(document, f"{doc.recipient}：")
    for text in doc.paragraphs:
        _paragraph(document, text, align=JUSTIFY, indent_chars=2)
    _table(document, doc)
    for text in doc.closing:
        _paragraph(document, text, align=JUSTIFY, indent_chars=2)
    last_text = len(document.paragraphs) - 1
    _attachments(document, doc)
    _signature(document, doc)
    _keep_ending(document, doc, last_text)
    _colophon(document, doc)
    return docx_bytes(document)
