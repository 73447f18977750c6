"""The blank page made once and the .docx written from shared, pre-compressed parts: the file is
a valid zip that python-docx and zipfile read, with the bytes python-docx itself would write, and
documents do not leak into one another through the shared parts."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import segno
from docx import Document

from anjian.ui.gongwen import OfficialDocument, official_document_docx
from anjian.ui.gongwen_forms import EnforcementDocument, enforcement_document_docx
from anjian.ui.gongwen_package import docx_bytes, new_document


def _png() -> bytes:
    buffer = io.BytesIO()
    segno.make("https://aj.example.gov.cn/v/ABCD").save(buffer, kind="png", scale=2)
    return buffer.getvalue()


LETTER = OfficialDocument(
    issuing_body="文水县应急管理局",
    document_number="文应急〔2026〕1号",
    title="关于开展专项检查的通知",
    recipient="各股室",
    paragraphs=["正文第一段。", "正文第二段。"],
    issued_on=date(2026, 3, 16),
    table=(["序号", "事项"], [["1", "检查"]]),
    copy_to="县政府",
)
FORM = EnforcementDocument(
    issuing_body="文水县应急管理局",
    title="现场检查记录",
    document_number="文水应急检记〔2026〕1号",
    issued_on=date(2026, 3, 16),
    fields=[("被检查单位", "文水县宏达化工有限公司")],
    table=(["序号", "问题"], [["1", "安全出口堵塞"]]),
    qr_png=_png(),
    qr_caption="扫码核验",
)


def _members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_file_holds_what_python_docx_writes() -> None:
    for content in (official_document_docx(LETTER), enforcement_document_docx(FORM)):
        again = io.BytesIO()
        Document(io.BytesIO(content)).save(again)  # python-docx's own writer
        ours, theirs = _members(content), _members(again.getvalue())
        assert ours.keys() == theirs.keys()
        assert all(ours[name] == theirs[name] for name in ours), [
            name for name in ours if ours[name] != theirs[name]
        ]


def test_the_picture_is_the_documents_own() -> None:
    with_picture = _members(enforcement_document_docx(FORM))
    assert [n for n in with_picture if n.startswith("word/media/")] == ["word/media/image1.png"]
    without = _members(official_document_docx(LETTER))
    assert not [n for n in without if n.startswith("word/media/")]
    assert b"image1.png" not in without["word/_rels/document.xml.rels"]


def test_documents_share_the_fixed_parts_but_not_the_body() -> None:
    first, second = new_document(), new_document()
    first.add_paragraph("只在第一份")
    assert "只在第一份" not in [p.text for p in second.paragraphs]
    assert first.styles.element is second.styles.element
    text = Document(io.BytesIO(docx_bytes(first))).paragraphs
    assert "只在第一份" in [p.text for p in text]
    assert "只在第一份" not in [p.text for p in Document(io.BytesIO(docx_bytes(second))).paragraphs]
