"""Small helpers shared by list pages."""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def safe_page(paginator: Paginator, number: object) -> Page:  # type: ignore[type-arg]
    """The requested page, or the nearest real one for a missing or malformed number."""
    return paginator.get_page(number)
