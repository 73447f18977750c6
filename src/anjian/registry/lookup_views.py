"""The enterprise lookup behind every enterprise picker (`ui/enterprise_picker.py`, issue 17).

GET `?q=` answers `{"results": [{"value": "<USCC> <名称>", "label": "<名称>（<乡镇>）"}, …]}`: at
most 20 enterprises the user sees whose name contains the text, whose 统一社会信用代码 starts with
it, or whose 拼音首字母 start with it. Bureau staff search their scope, an enterprise user finds
only itself; other roles get 403.

Indexes (PostgreSQL). USCCs and initials are stored in upper case by the registry services, so
their prefix tests are plain `LIKE 'X%'` (`startswith` on the upper-cased text), which a
`varchar_pattern_ops` b-tree serves: Django made one for `name_initials` (a `db_index` CharField);
`uscc` has only its unique index with the default operator class, which `LIKE` cannot use unless
the database collation is C. `name__icontains` compiles to `UPPER(name) LIKE UPPER('%x%')`, which
only a trigram GIN index on `UPPER(name)` serves. The three OR-ed tests use indexes only when all
three have one (a BitmapOr); until then PostgreSQL scans the table (about 30 ms for 30,000 rows).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, JsonResponse

from anjian.accounts.models import User
from anjian.registry.access import visible_enterprises
from anjian.ui.pages import query_text

LOOKUP_LIMIT = 20
QUERY_MAX_LENGTH = 40


def _label(name: str, town: str) -> str:
    return f"{name}（{town}）" if town else name


@login_required
def enterprise_lookup(request: HttpRequest) -> JsonResponse:
    """The enterprises matching `q` within the user's scope, for a picker's datalist."""
    user = request.user
    if not isinstance(user, User) or not (user.can("registry.view") or user.can("enterprise.self")):
        raise PermissionDenied("您的角色无权访问此页面。")
    text = query_text(request.GET, "q", max_length=QUERY_MAX_LENGTH)
    if not text:
        return JsonResponse({"results": []})
    upper = text.upper()
    rows = (
        visible_enterprises(user)
        .filter(
            Q(name__icontains=text) | Q(uscc__startswith=upper) | Q(name_initials__startswith=upper)
        )
        .order_by("name", "pk")
        .values_list("uscc", "name", "town")[:LOOKUP_LIMIT]
    )
    results = [
        {"value": f"{uscc} {name}", "label": _label(name, town)} for uscc, name, town in rows
    ]
    return JsonResponse({"results": results})
