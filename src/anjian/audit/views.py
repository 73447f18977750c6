from __future__ import annotations

import json
from datetime import date

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from anjian.accounts.access import body_scope_ids, require
from anjian.accounts.roles import Role
from anjian.audit.models import AuditChainHead, AuditEntry
from anjian.audit.publishing import checkpoint_issue, checkpoint_log
from anjian.audit.services import AuditChainBroken, audit_record, audit_verify
from anjian.config.routers import replica_reads
from anjian.ui.pages import query_text, safe_page


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@require("audit.view")
@replica_reads
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
        "checkpoint_at": AuditChainHead.objects.values_list("checkpoint_at", flat=True).first(),
    }
    return render(request, "audit/entry_list.html", context)


@never_cache
@require_GET
@require("audit.view")
def checkpoint_download(request: HttpRequest) -> HttpResponse:
    """A freshly signed checkpoint as a JSON file, to keep outside the server; the download is
    itself an audit entry, and the checkpoint covers it."""
    try:
        with transaction.atomic():
            audit_record(actor=request.user, action="audit.checkpoint.download")
            checkpoint = checkpoint_issue()
    except AuditChainBroken as exc:
        return render(request, "audit/checkpoint_refused.html", {"problem": str(exc)}, status=409)
    checkpoint_log(checkpoint, sink=f"download by {request.user.get_username()}")
    name = f"anjian-audit-checkpoint-{timezone.localtime():%Y%m%d-%H%M%S}.json"
    response = HttpResponse(
        json.dumps(checkpoint.as_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
