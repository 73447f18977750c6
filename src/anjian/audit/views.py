from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.accounts.access import body_scope_ids, require
from anjian.accounts.roles import Role
from anjian.audit.models import AuditEntry
from anjian.audit.services import audit_verify
from anjian.ui.pages import query_text, safe_page


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@require("audit.view")
def entry_list(request: HttpRequest) -> HttpResponse:
    """Audit managers and discipline inspectors browse the trail. A discipline inspector sees
    the entries made by users of its own body tree; the audit manager sees all."""
    entries = AuditEntry.objects.all()
    if request.user.role == Role.DISCIPLINE:
        entries = entries.filter(actor__body_id__in=body_scope_ids(request.user))
    actor = query_text(request.GET, "actor")
    action = query_text(request.GET, "action")
    start, end = _parse_date(request.GET.get("start", "")), _parse_date(request.GET.get("end", ""))
    if actor:
        entries = entries.filter(actor_username__icontains=actor)
    if action:
        entries = entries.filter(action__icontains=action)
    if start:
        entries = entries.filter(created_at__date__gte=start)
    if end:
        entries = entries.filter(created_at__date__lte=end)
    context = {
        "page": safe_page(Paginator(entries, 30), request.GET.get("page")),
        "filters": {"actor": actor, "action": action, "start": start or "", "end": end or ""},
        "verify": audit_verify() if request.GET.get("verify") else None,
    }
    return render(request, "audit/entry_list.html", context)
