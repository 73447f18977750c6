"""The public check of an entry code (亮码入企): anyone who scans it — the enterprise, without
logging in — sees whether this is a registered inspection, by whom, on what and on which legal
basis, and the enterprise's cap use this year. Expired, revoked and forged codes say so."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from anjian.inspections.codes import CodeState, check_code
from anjian.inspections.models import InspectionTask
from anjian.policy.selectors import enterprise_year
from anjian.policy.views.common import today


def _cap_use(task: InspectionTask) -> dict[str, Any] | None:
    try:
        year = enterprise_year(task.enterprise, today())
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
    result = check_code(code, today())
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
