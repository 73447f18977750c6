"""The bank's calibration page: how many recorded answers there are, whether a calibration can
run, every run so far (refused ones with their reason) and the parameters each one changed.
Bureau staff read it; the office and HR & finance run it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _g
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.domain.exam.calibration import MIN_PERSONS, MIN_RESPONSES_PER_ITEM
from anjian.policy.views.common import flash_errors
from anjian.training.models import CalibrationRun
from anjian.training.services.calibration import (
    calibration_readiness,
    calibration_run,
    calibration_simulate,
)
from anjian.ui.pages import safe_page

LARGEST_CHANGES = 30


@require("training.view")
def calibration_page(request: HttpRequest) -> HttpResponse:
    runs = safe_page(
        Paginator(CalibrationRun.objects.select_related("ran_by"), 20), request.GET.get("page")
    )
    return render(
        request,
        "training/calibration.html",
        {
            "readiness": calibration_readiness(),
            "page": runs,
            "min_persons": MIN_PERSONS,
            "min_per_item": MIN_RESPONSES_PER_ITEM,
        },
    )


@require("exam.calibrate")
@require_POST
def calibration_start(request: HttpRequest) -> HttpResponse:
    source = request.POST.get("source", "answers")
    try:
        if source == "simulated":
            run = calibration_simulate(actor=request.user)  # type: ignore[arg-type]
        else:
            run = calibration_run(actor=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("training:calibration")
    if run.refused:
        messages.error(request, _g("标定未进行：%(reason)s") % {"reason": run.message})
    else:
        messages.success(request, _g("已标定 %(n)s 道题。") % {"n": run.items})
    return redirect("training:calibration_detail", pk=run.pk)


@require("training.view")
def calibration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(CalibrationRun.objects.select_related("ran_by"), pk=pk)
    changes = sorted(
        run.changes,
        key=lambda c: -max(abs(c["a"][1] - c["a"][0]), abs(c["b"][1] - c["b"][0])),
    )
    return render(
        request,
        "training/calibration_detail.html",
        {"run": run, "changes": changes[:LARGEST_CHANGES], "changed": len(changes)},
    )


urlpatterns: list[URLPattern] = [
    path("calibration/", calibration_page, name="calibration"),
    path("calibration/run/", calibration_start, name="calibration_start"),
    path("calibration/<int:pk>/", calibration_detail, name="calibration_detail"),
]
