"""Reading a QR code from one camera frame on the server, for phones whose browser has no
`BarcodeDetector` (static/inspections/scan.js sends a frame every second or so while the
camera is open). The frame is bounded before it is decoded: its size in bytes, its type by its
content (JPEG or PNG, whatever name or type the upload claims) and its size in pixels, read from
the header before any pixel is decoded. The reader is zxing-cpp (a wheel of the C++ ZXing
library, QR codes only here); Pillow decodes the image into the grey levels it reads.
Decision record 0015 covers the entry code; this module never sees a task."""

from __future__ import annotations

from io import BytesIO
from typing import IO

import filetype
import zxingcpp
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024  # a 1280×720 JPEG frame is about 100 KB
MAX_PIXELS = 1920 * 1920  # more than any phone sends after scan.js scales the frame down
FRAME_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG"}
QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


class FrameRefused(Exception):
    """An upload that is not a camera frame the server will decode; `status` is the HTTP
    answer (413 too large, 415 not JPEG or PNG, 400 unreadable)."""

    def __init__(self, message: str | Promise, status: int = 400) -> None:
        super().__init__(str(message))
        self.message, self.status = message, status


def read_frame(upload: IO[bytes], size: int | None) -> bytes:
    """The frame's bytes, refused past `MAX_BYTES` without reading more than one byte over."""
    if size is not None and size > MAX_BYTES:
        raise FrameRefused(_("图像过大"), 413)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FrameRefused(_("图像过大"), 413)
    if not data:
        raise FrameRefused(_("没有收到图像"))
    return data


def decode_qr(data: bytes) -> str | None:
    """The text of the first QR code in a JPEG or PNG frame, or None when it shows none."""
    kind = filetype.guess_mime(data)
    if kind not in FRAME_TYPES:
        raise FrameRefused(_("只接受 JPEG 或 PNG 图像"), 415)
    try:
        with Image.open(BytesIO(data), formats=[FRAME_TYPES[kind]]) as image:
            width, height = image.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise FrameRefused(_("图像尺寸超出范围"), 413)
            grey = image.convert("L")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as error:
        raise FrameRefused(_("图像无法识别")) from error
    found = zxingcpp.read_barcodes(grey, formats=QR_ONLY)
    for barcode in found:
        if barcode.valid and barcode.text:
            return str(barcode.text)
    return None
