"""The public check of an entry code (亮码入企): anyone who scans it — the enterprise, without
logging in — sees whether this is a registered inspection, by whom, on what and on which legal
basis, and the enterprise's cap use in the task's year. Expired, revoked and forged codes say so.
The 8-character short code printed beside the QR may be typed instead: it leads to the same page;
failed short codes are counted per address and refused past `SHORT_TRIES` an hour."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from anjian.audit.middleware import client_ip
from anjian.inspections.codes import (
    SHORT_TRIES,
    VERDICT_STATUS,
    CodeCheck,
    CodeState,
    TooManyTries,
    check_code,
    entry_code,
    normalise_short_code,
    verify_code,
)
from anjian.inspections.models import InspectionTask
from anjian.policy.selectors import enterprise_year
from anjian.policy.views.common import today

__all__ = ["SHORT_TRIES", "verdict_context", "verify"]


def _cap_use(task: InspectionTask) -> dict[str, Any] | None:
    """The enterprise's cap use in the year of the inspection, as the notice states it."""
    try:
        year = enterprise_year(task.enterprise, task.date)
    except LookupError:
        return None
    return {"counts": year.counts, "label": year.cap_label}


@never_cache
def verify(request: HttpRequest, code: str = "") -> HttpResponse:
    code = code or request.GET.get("code", "").strip()
    if not code:
        return render(request, "inspections/verify.html", {"asked": False})
    if request.GET.get("code"):
        return redirect("inspections:verify", code=code)
    short = normalise_short_code(code)
    if short is not None:
        return _short_code(request, short)
    return _result(request, check_code(code, today()))


def _short_code(request: HttpRequest, short: str) -> HttpResponse:
    """A typed short code: the full code's page when a task has it; a refusal past the limit."""
    try:
        result = verify_code(short, today(), client=client_ip(request) or "")
    except TooManyTries:
        refused = _("核验码输错次数过多，请一小时后再试，或扫描二维码核验。")
        context = {"asked": False, "refused": refused}
        return render(request, "inspections/verify.html", context, status=429)
    if result.task is not None:
        return redirect("inspections:verify", code=entry_code(result.task))
    return _result(request, result)


def verdict_context(result: CodeCheck) -> dict[str, Any]:
    """What the verdict shows (inspections/_verdict.html): the state and, for a task the system
    knows, its body, enterprise, officers, items and the enterprise's cap use. The enterprise
    portal's check (views/portal_verify.py) shows the same."""
    task = result.task
    context: dict[str, Any] = {"asked": True, "result": result, "states": CodeState}
    if task is not None:
        context.update(
            task=task,
            officers=list(task.officers.all()),
            items=list(task.items.order_by("code")),
            cap=_cap_use(task),
        )
    return context


def _result(request: HttpRequest, result: CodeCheck) -> HttpResponse:
    status = VERDICT_STATUS[result.state]  # the API answers the same (`api:code_verify`)
    return render(request, "inspections/verify.html", verdict_context(result), status=status)
