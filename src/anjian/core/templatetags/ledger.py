"""`{% ledger_url 'xlsx' %}`: the current list's address with its filters, without the page
number, asking for the Excel file or the print view (`ui/ledger.py`)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def ledger_url(context: dict[str, Any], kind: str) -> str:
    request = context["request"]
    query = request.GET.copy()
    for key in ("page", "format", "export"):
        query.pop(key, None)
    query["format"] = kind
    return f"{request.path}?{query.urlencode()}"
