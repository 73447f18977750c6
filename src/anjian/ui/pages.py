"""Small helpers shared by list pages."""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def safe_page(paginator: Paginator, number: object) -> Page:  # type: ignore[type-arg]
    """The requested page, or the nearest real one for a missing or malformed number."""
    return paginator.get_page(number)


def query_text(params: object, name: str, *, max_length: int = 100) -> str:
    """A search parameter as plain text: trimmed, cut to length, NUL characters removed
    (PostgreSQL refuses them in text, and no real search contains one)."""
    raw = params.get(name, "") if hasattr(params, "get") else ""
    return str(raw).replace("\x00", "").strip()[:max_length]
