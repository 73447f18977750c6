"""Enforcement documents (执法文书: notices, records, orders, decisions …) as Word forms rather
than letters: the page, grid, fonts and page numbers of `gongwen.py` (GB/T 9704-2012), with the
body's name, the title and the number at the top, labelled fields, free text, an optional table
and QR code, signature lines and the seal line. Pure python-docx, like `gongwen.py`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt
from docx.table import _Row

from anjian.ui.gongwen import (
    BODY_FONT,
    CENTER,
    COLOPHON_SIZE,
    JUSTIFY,
    LEFT,
    RIGHT,
    TEXT_WIDTH_PT,
    TITLE_FONT,
    TITLE_SIZE,
    _blank,
    _column_widths,
    _grid,
    _paragraph,
    _run,
    _seal_lines,
    _set_fonts,
    _width_in_chars,
    chars,
    keep_together,
    sentence,
)
from anjian.ui.gongwen_package import docx_bytes, new_document
from anjian.ui.gongwen_page import _off_grid

FORM_BODY_SIZE = 18.0  # 小二, the body's name above the title
QR_WIDTH = Mm(32)
QR_SIDE_WIDTH, QR_BOX_WIDTH = Mm(26), Mm(32)  # the QR code beside its caption, and its cell
CAPTION_SIZE = 12.0  # 小四


@dataclass(frozen=True)
class EnforcementDocument:
    """What an enforcement document (执法文书) says: a form with the body's name, the title and
    the number at the top, labelled fields, free text, an optional table and QR code, the
    signature lines and the body's seal line. The layout is this module's."""

    issuing_body: str  # 文水县应急管理局
    title: str  # 现场检查记录
    document_number: str  # 文水应急检记〔2026〕12号
    issued_on: date
    fields: Sequence[tuple[str, str]] = ()  # (被检查单位, 文水县宏达化工有限公司) …
    paragraphs: Sequence[str] = ()  # free text, findings numbered by the caller
    table: tuple[Sequence[str], Sequence[Sequence[str]]] | None = None  # headers, rows
    table_caption: str = ""
    table_widths: Sequence[float] = ()  # relative column widths; even when empty
    closing: Sequence[str] = ()  # paragraphs after the table
    qr_png: bytes | None = None
    qr_caption: str = ""  # under the QR code, e.g. the entry code and "scan to verify"
    signatures: Sequence[str] = ()  # 检查人员（签名）：张三　执法证号：…
    refusal_note: str = ""  # the representative refused to sign: what happened
    seal: bool = True  # the body's name and the date for the seal (笔录 carry signatures only)
    table_size: float = COLOPHON_SIZE  # the table's font size: 四号, 小四 (12) for a long list
    qr_beside: bool = False  # the caption's lines (小四) right of the QR code, not under it
    seal_room: int = 2  # blank lines above the seal lines
    signature_gap: int = 1  # blank lines between the text and the signature lines
    qr_first: bool = False  # the QR code right after the table, before the closing text, so that
    # the signature and seal are kept with a paragraph of text (LibreOffice does not keep a table
    # with the paragraphs after it)


def _form_head(document: DocxDocument, doc: EnforcementDocument) -> None:
    """The body's name and the title centred in 方正小标宋简体, the number flush right under
    them, then a blank line."""
    _paragraph(document, doc.issuing_body, align=CENTER, font=TITLE_FONT, size=FORM_BODY_SIZE)
    title = _paragraph(document, doc.title, align=CENTER, font=TITLE_FONT, size=TITLE_SIZE)
    title.paragraph_format.line_spacing = Pt(TITLE_SIZE * 1.5)
    _paragraph(document, doc.document_number, align=RIGHT)
    _blank(document)


def _field(document: DocxDocument, label: str, value: str) -> None:
    """`label：value`, a wrapped value aligned under its first character (hanging indent)."""
    paragraph = _paragraph(document, f"{label}：")
    if value:
        _run(paragraph, value)
    hang = Pt(min(_width_in_chars(f"{label}："), 12.0) * chars())
    paragraph.paragraph_format.left_indent = hang
    paragraph.paragraph_format.first_line_indent = -hang


def _form_table(document: DocxDocument, doc: EnforcementDocument) -> None:
    """The table: the first column (序号) centred, the others flush left."""
    if doc.table is None:
        return
    headers, rows = doc.table
    align = [CENTER, *([LEFT] * (len(headers) - 1))]
    grid = _grid(
        document,
        headers,
        rows,
        caption=doc.table_caption,
        widths=doc.table_widths,
        body_align=align,
        size=doc.table_size,
        off_grid=True,
    )
    for index, row in enumerate(grid.rows):
        _row_flags(row, header=index == 0)


def _row_flags(row: _Row, *, header: bool) -> None:
    """A row never breaks across pages; the header row repeats on every page."""
    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader") if header else ("w:cantSplit",):
        trpr.append(OxmlElement(tag))


def _qr(document: DocxDocument, doc: EnforcementDocument) -> None:
    """The QR picture centred (on single line spacing, so the fixed pitch does not clip it) and
    kept with its caption, centred under it in 四号 (a caption is printed without a picture
    too; a newline in it breaks the line)."""
    if doc.qr_beside and doc.qr_png is not None:
        _qr_beside(document, doc.qr_png, doc.qr_caption.split("\n"))
        return
    if doc.qr_png is not None:
        document.add_picture(io.BytesIO(doc.qr_png), width=QR_WIDTH)
        picture = document.paragraphs[-1]
        picture.alignment = CENTER
        picture.paragraph_format.keep_with_next = bool(doc.qr_caption)
        for run in picture.runs:
            _set_fonts(run._r.get_or_add_rPr(), BODY_FONT)
    if doc.qr_caption:
        caption = _paragraph(document, doc.qr_caption, align=CENTER, size=COLOPHON_SIZE)
        caption.paragraph_format.keep_together = True


def _qr_beside(document: DocxDocument, png: bytes, lines: Sequence[str]) -> None:
    """The QR code (28 mm) in the left cell of a borderless two-cell table, its caption lines in
    小四 in the right cell, vertically centred: four lines of the page rather than six."""
    box = document.add_table(rows=1, cols=2)
    box.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = box.rows[0].cells
    _column_widths(box, (QR_BOX_WIDTH, Pt(TEXT_WIDTH_PT) - QR_BOX_WIDTH))
    picture = left.paragraphs[0]
    picture.alignment = CENTER
    picture.add_run().add_picture(io.BytesIO(png), width=QR_SIDE_WIDTH)
    right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for index, line in enumerate(lines):
        paragraph = right.paragraphs[0] if index == 0 else right.add_paragraph()
        _run(paragraph, line, size=CAPTION_SIZE)
    _row_flags(box.rows[0], header=False)
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            _off_grid(paragraph)
            paragraph.paragraph_format.keep_with_next = True


def _signatures(document: DocxDocument, doc: EnforcementDocument) -> None:
    if not (doc.signatures or doc.refusal_note):
        return
    _blank(document, doc.signature_gap)
    for line in doc.signatures:
        _paragraph(document, line)
    if doc.refusal_note:
        _paragraph(document, f"拒绝签字：{sentence(doc.refusal_note)}")


def _sign_off(document: DocxDocument, doc: EnforcementDocument) -> None:
    """The signature lines and the seal lines, kept on one page with the last paragraph before
    them, so neither the signatures nor the seal ever stand alone on a page."""
    start = max(len(document.paragraphs) - 1, 0)
    _signatures(document, doc)
    if doc.seal:
        _blank(document, doc.seal_room)
        _seal_lines(document, doc.issuing_body, doc.issued_on)
    keep_together(document.paragraphs[start:])


def enforcement_document_docx(doc: EnforcementDocument) -> bytes:
    """The enforcement document as .docx bytes, on the page, grid, fonts and page numbers of
    the 公文 layout."""
    document = new_document()
    _form_head(document, doc)
    for label, value in doc.fields:
        _field(document, label, value)
    for text in doc.paragraphs:
        _paragraph(document, text, align=JUSTIFY, indent_chars=2)
    _form_table(document, doc)
    if doc.qr_first:
        _qr(document, doc)
    for text in doc.closing:
        _paragraph(document, text, align=JUSTIFY, indent_chars=2)
    if not doc.qr_first:
        _qr(document, doc)
    _sign_off(document, doc)
    return docx_bytes(document)
