"""The enterprise's contact-point pages (企业端): while it is on the current year's list it reports
how it is treated (with files), sees its reports and their status, and fills the monthly
survey once a month."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.oversight.points.access import own_point
from anjian.oversight.points.forms import ReportForm, SurveyForm, put_errors
from anjian.oversight.points.services import (
    MAX_ATTACHMENTS,
    point_report_submit,
    point_survey_submit,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require("contact.report")
def portal(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    point = own_point(_user(request), today.year)
    month = today.replace(day=1)
    surveyed = point.surveys.filter(month=month).exists()
    context = {
        "point": point,
        "reports": point.reports.prefetch_related("attachments")[:50],
        "surveys": point.surveys.all()[:12],
        "month": month,
        "survey_form": None if surveyed else SurveyForm(),
    }
    return render(request, "oversight/points_portal.html", context)


@require("contact.report")
def portal_report(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    point = own_point(user, timezone.localdate().year)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            point_report_submit(
                actor=user,
                point=point,
                uploads=request.FILES.getlist("files"),
                now=timezone.now(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("已提交反映，联络员将跟进"))
            return redirect("oversight:point_portal")
    return render(
        request,
        "oversight/points_portal_report.html",
        {"point": point, "form": form, "max_files": MAX_ATTACHMENTS},
    )


@require("contact.report")
@require_POST
def portal_survey(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    point = own_point(user, timezone.localdate().year)
    form = SurveyForm(request.POST)
    if form.is_valid():
        try:
            point_survey_submit(actor=user, point=point, now=timezone.now(), **form.cleaned_data)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("已提交本月问卷"))
    else:
        messages.error(request, _("问卷填写有误，请检查各项评分"))
    return redirect("oversight:point_portal")


urlpatterns: list[URLPattern] = [
    path("points/portal/", portal, name="point_portal"),
    path("points/portal/report/", portal_report, name="point_portal_report"),
    path("points/portal/survey/", portal_survey, name="point_portal_survey"),
]
