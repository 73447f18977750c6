"""The blank page every 公文 and 执法文书 starts from, made once per process, and the .docx
file written from it.

python-docx opens its template for each new document: two 430 KB style parts to parse, then
our styles, page setup and page numbers to apply, and on saving the same parts to serialize and
compress again. That was most of a document's cost. Here the blank page (the template with
`gongwen_page`'s defaults, page and footers) is built once; a document deep-copies only its own
part (word/document.xml and its relationships) and shares the others, which never change after
the set-up, and their compressed zip entries are kept. The bytes inside the file are the same
as python-docx writes. Pure python-docx and the standard library: no Django.
"""

from __future__ import annotations

import copy
import struct
import time
import zlib
from dataclasses import dataclass
from functools import cache

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.part import Part
from docx.opc.pkgwriter import _ContentTypesItem

from anjian.ui.gongwen_page import _defaults, _footers, _page_setup

_LEVEL = 6  # zlib's default, as zipfile's ZIP_DEFLATED uses
_VERSION = 20  # 2.0: deflate
_DEFLATED = 8


@dataclass(frozen=True)
class _Entry:
    """One zip member, compressed."""

    name: bytes
    crc: int
    size: int
    data: bytes


def _entry(name: str, blob: bytes | str) -> _Entry:
    raw = blob.encode() if isinstance(blob, str) else blob
    packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)
    return _Entry(
        name.lstrip("/").encode(), zlib.crc32(raw), len(raw), packer.compress(raw) + packer.flush()
    )


def _part_entries(part: Part) -> list[_Entry]:
    """The part and, when it has any, its relationships."""
    entries = [_entry(part.partname, part.blob)]
    if len(part.rels):
        entries.append(_entry(part.partname.rels_uri, part.rels.xml))
    return entries


@dataclass(frozen=True)
class _BlankPage:
    document: DocxDocument
    shared: dict[int, Part]  # every part but the document's own, by id(), for deepcopy's memo
    entries: dict[int, list[_Entry]]  # the shared parts' zip members, compressed once


@cache
def _blank_page() -> _BlankPage:
    document = Document()
    _defaults(document)
    _footers(document, _page_setup(document))
    own = document.part
    shared = {id(p): p for p in own.package.iter_parts() if p is not own}
    return _BlankPage(document, shared, {key: _part_entries(p) for key, p in shared.items()})


def new_document() -> DocxDocument:
    """A blank A4 page with the 公文 defaults, grid and page numbers, ready to fill. Its
    styles, settings, footers and the other fixed parts are shared with every other
    document: change only the document's body (and add pictures, which are its own)."""
    blank = _blank_page()
    return copy.deepcopy(blank.document, dict(blank.shared))


def docx_bytes(document: DocxDocument) -> bytes:
    """The document as a .docx file (what `document.save` writes), reusing the shared
    parts' compressed entries. For documents from `new_document`."""
    blank = _blank_page()
    package = document.part.package
    parts = list(package.iter_parts())
    entries = [
        _entry(CONTENT_TYPES_URI, _ContentTypesItem.from_parts(parts).blob),
        _entry(PACKAGE_URI.rels_uri, package.rels.xml),
    ]
    for part in parts:
        entries += blank.entries.get(id(part)) or _part_entries(part)
    return _zip(entries)


def _dos_time() -> tuple[int, int]:
    now = time.localtime()
    day = (now.tm_year - 1980) << 9 | now.tm_mon << 5 | now.tm_mday
    return now.tm_hour << 11 | now.tm_min << 5 | now.tm_sec // 2, day


def _zip(entries: list[_Entry]) -> bytes:
    """A zip archive of already deflated members (no zip64: a document is far below 4 GB)."""
    clock, day = _dos_time()
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for e in entries:
        fixed = (_VERSION, 0, _DEFLATED, clock, day, e.crc, len(e.data), e.size, len(e.name))
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fixed, 0) + e.name
        chunks += (local, e.data)
        directory.append(
            struct.pack("<IH", 0x02014B50, _VERSION)
            + struct.pack("<HHHHHIIIHHHHHII", *fixed, 0, 0, 0, 0, 0, offset)
            + e.name
        )
        offset += len(local) + len(e.data)
    listing = b"".join(directory)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(listing), offset, 0
    )
    return b"".join(chunks) + listing + end
