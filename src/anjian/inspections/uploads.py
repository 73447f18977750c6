"""Checks on uploaded evidence: the content (not the name) must be an image or a document, and
no larger than the configured limit (ANJIAN_UPLOAD_MAX_MB, default 10)."""

from __future__ import annotations

import hashlib

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

# Detected type -> the content type we store. Office files are detected from their content.
ALLOWED: dict[str, str] = {
    "image/jpeg": "image/jpeg",
    "image/png": "image/png",
    "image/webp": "image/webp",
    "image/heic": "image/heic",
    "image/gif": "image/gif",
    "application/pdf": "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "application/msword": "application/msword",
    "application/vnd.ms-excel": "application/vnd.ms-excel",
    "application/x-ole-storage": "application/msword",
}
ALLOWED_LABEL = "图片（JPG、PNG、WEBP、HEIC、GIF）或文档（PDF、Word、Excel）"


def max_bytes() -> int:
    return int(getattr(settings, "ANJIAN_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def checked_upload(upload: UploadedFile) -> tuple[str, int, str]:
    """(content type, size, sha256) of an acceptable upload; ValidationError otherwise."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(f"文件“{upload.name}”是空的")
    if size > max_bytes():
        raise ValidationError(
            f"文件“{upload.name}”有 {size / 1048576:.1f} MB，"
            f"超过 {max_bytes() // 1048576} MB 的上限"
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        raise ValidationError(f"文件“{upload.name}”不是允许的类型：只接受{ALLOWED_LABEL}")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return ALLOWED[kind.mime], size, digest.hexdigest()
