"""Reads of the registry shared by pages and the API (scope comes from registry/access.py)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from anjian.registry.models import Enterprise


def enterprises_matching(queryset: QuerySet[Enterprise], keyword: str) -> QuerySet[Enterprise]:
    """Name, USCC or pinyin initials (拼音首字母) containing the keyword."""
    keyword = keyword.strip()
    if not keyword:
        return queryset
    upper = keyword.upper()
    return queryset.filter(
        Q(name__icontains=keyword) | Q(uscc__icontains=upper) | Q(name_initials__icontains=upper)
    )
