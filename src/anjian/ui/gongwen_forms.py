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

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Row
from docx.text.paragraph import Paragraph

from anjian.ui.gongwen import (
    _AFTER_PBDR,
    BODY_FONT,
    BODY_SIZE,
    CENTER,
    COLOPHON_SIZE,
    JUSTIFY,
    LEFT,
    RIGHT,
    TITLE_FONT,
    TITLE_SIZE,
    _blank,
    _defaults,
    _footers,
    _grid,
    _page_setup,
    _paragraph,
    _run,
    _seal_lines,
    _set_fonts,
    _width_in_chars,
    sentence,
)

FORM_BODY_SIZE = 18.0  # 小二, the body's name above the title
QR_WIDTH = Mm(32)


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
    hang = Pt(min(_width_in_chars(f"{label}："), 12.0) * BODY_SIZE)
    paragraph.paragraph_format.left_indent = hang
    paragraph.paragraph_format.first_line_indent = -hang


def _form_table(document: DocxDocument, doc: EnforcementDocument) -> None:
    """The table: the first column (序号) centred, the others flush left."""
    if doc.table is None:
        return
    headers, rows = doc.table
    align = [CENTER, *([LEFT] * (len(headers) - 1))]
    _grid(
        document,
        headers,
        rows,
        caption=doc.table_caption,
        widths=doc.table_widths,
        body_align=align,
    )
    for index, row in enumerate(document.tables[-1].rows):
        _row_flags(row, header=index == 0)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                _off_grid(paragraph)


def _row_flags(row: _Row, *, header: bool) -> None:
    """A row never breaks across pages; the header row repeats on every page."""
    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader") if header else ("w:cantSplit",):
        trpr.append(OxmlElement(tag))


def _off_grid(paragraph: Paragraph) -> None:
    """Single-spaced text that does not snap to the page's line grid, so that a table cell's
    四号 lines are not each stretched to the 三号 pitch."""
    ppr = paragraph._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert_element_before(snap, *_AFTER_PBDR[_AFTER_PBDR.index("w:snapToGrid") + 1 :])
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(2)


def _qr(document: DocxDocument, doc: EnforcementDocument) -> None:
    """The QR picture centred (on single line spacing, so the fixed pitch does not clip it) and
    kept with its caption, centred under it in 四号 (a caption is printed without a picture
    too; a newline in it breaks the line)."""
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


def _signatures(document: DocxDocument, doc: EnforcementDocument) -> None:
    if not (doc.signatures or doc.refusal_note):
        return
    _blank(document)
    for line in doc.signatures:
        _paragraph(document, line)
    if doc.refusal_note:
        _paragraph(document, f"拒绝签字：{sentence(doc.refusal_note)}")


def _sign_off(document: DocxDocument, doc: EnforcementDocument) -> None:
    """The signature lines and the seal lines, kept together so the seal never stands alone on
    a page."""
    start = len(document.paragraphs)
    _signatures(document, doc)
    if doc.seal:
        _blank(document, 2)
        _seal_lines(document, doc.issuing_body, doc.issued_on)
    for paragraph in document.paragraphs[start:-1]:
        paragraph.paragraph_format.keep_with_next = True


def enforcement_document_docx(doc: EnforcementDocument) -> bytes:
    """The enforcement document as .docx bytes, on the page, grid, fonts and page numbers of
    the 公文 layout."""
    document = Document()
    _defaults(document)
    _footers(document, _page_setup(document))
    _form_head(document, doc)
    for label, value in doc.fields:
        _field(document, label, value)
    for text in doc.paragraphs:
        _paragraph(document, text, align=JUSTIFY, indent_chars=2)
    _form_table(document, doc)
    for text in doc.closing:
        _paragraph(document, text, align=JUSTIFY, indent_chars=2)
    _qr(document, doc)
    _sign_off(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
