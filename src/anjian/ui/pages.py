"""Small helpers shared by list pages."""

from __future__ import annotations

from urllib.parse import quote

from django.core.paginator import Page, Paginator
from django.http import HttpResponse


def safe_page(paginator: Paginator, number: object) -> Page:  # type: ignore[type-arg]
    """The requested page, or the nearest real one for a missing or malformed number."""
    return paginator.get_page(number)


def query_text(params: object, name: str, *, max_length: int = 100) -> str:
    """A search parameter as plain text: trimmed, cut to length, NUL characters removed
    (PostgreSQL refuses them in text, and no real search contains one)."""
    raw = params.get(name, "") if hasattr(params, "get") else ""
    return str(raw).replace("\x00", "").strip()[:max_length]


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(content: bytes, filename: str, content_type: str = DOCX) -> HttpResponse:
    """A file download with a Chinese file name (RFC 5987 `filename*`)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
