"""The public check of an entry code (亮码入企): anyone who scans it — the enterprise, without
logging in — sees whether this is a registered inspection, by whom, on what and on which legal
basis, and the enterprise's cap use in the task's year. Expired, revoked and forged codes say so.
The 8-character short code printed beside the QR may be typed instead: it leads to the same page;
failed short codes are counted per address and refused past `SHORT_TRIES` an hour."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from anjian.inspections.codes import (
    CodeCheck,
    CodeState,
    check_code,
    find_short_code,
    normalise_short_code,
)
from anjian.inspections.models import InspectionTask
from anjian.policy.selectors import enterprise_year
from anjian.policy.views.common import today

SHORT_TRIES = 20  # failed short codes an address may type in an hour


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
    key = f"inspections.verify.short:{request.META.get('REMOTE_ADDR', '')}"
    failures = cache.get(key, 0)
    if failures >= SHORT_TRIES:
        refused = _("核验码输错次数过多，请一小时后再试，或扫描二维码核验。")
        context = {"asked": False, "refused": refused}
        return render(request, "inspections/verify.html", context, status=429)
    signed = find_short_code(short, today())
    if signed is not None:
        return redirect("inspections:verify", code=signed)
    cache.set(key, failures + 1, timeout=3600)
    return _result(request, CodeCheck(CodeState.UNKNOWN, None))


def _result(request: HttpRequest, result: CodeCheck) -> HttpResponse:
    task = result.task
    context: dict[str, Any] = {"asked": True, "result": result, "states": CodeState}
    if task is not None:
        context.update(
            task=task,
            officers=list(task.officers.all()),
            items=list(task.items.order_by("code")),
            cap=_cap_use(task),
        )
    status = 200 if result.state in (CodeState.VALID, CodeState.OTHER_DAY) else 410
    if result.state in (CodeState.FORGED, CodeState.UNKNOWN):
        status = 404
    return render(request, "inspections/verify.html", context, status=status)
