"""Contact-point pages of the legal office (the liaison), the head, the office and discipline:
the year's list with open counts, the designation, a point's page with its timeline, and the
liaison's follow-ups, requirements and answers. The enterprise's own pages are `portal_views`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.domain.oversight.points import mix_problems
from anjian.domain.registry import SECTORS
from anjian.oversight.points import portal_views
from anjian.oversight.points.access import (
    access_attachment,
    access_point,
    access_report,
    access_requirement,
    access_warning,
    may_answer,
    may_manage,
    visible_points,
)
from anjian.oversight.points.forms import (
    AnswerForm,
    CloseForm,
    DesignateForm,
    FollowUpForm,
    RequirementForm,
    put_errors,
)
from anjian.oversight.points.selectors import shipped_mix, timeline, with_open_counts, year_list
from anjian.oversight.points.services import (
    contact_points_designate,
    follow_up_record,
    point_report_close,
    requirement_close,
    requirement_raise,
)
from anjian.oversight.points.warnings import point_warning_answer
from anjian.ui.pages import safe_page


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    year = timezone.localdate().year
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else year


@require("contact.view")
def points(request: HttpRequest) -> HttpResponse:
    user, year = _user(request), _year(request)
    rows = with_open_counts(
        visible_points(user).filter(points__year=year, enterprise__is_deleted=False)
    )
    return render(
        request,
        "oversight/points_list.html",
        {
            "year": year,
            "page": safe_page(Paginator(rows, 50), request.GET.get("page")),
            "manages": user.can("contact.manage") and user.body_id is not None,
        },
    )


def _mix_rows() -> list[tuple[str, int]]:
    return [(SECTORS[sector], count) for sector, count in shipped_mix().counts]


@require("contact.manage")
def designate(request: HttpRequest) -> HttpResponse:
    """The legal office names the year's contact points of its own body."""
    user = _user(request)
    if user.body is None:
        raise PermissionDenied(_("您的账号未关联执法主体"))
    year = _year(request)
    current = year_list(user.body_id, year)
    current_points = list(current.points.select_related("enterprise")) if current else []
    form = DesignateForm(
        request.POST or None,
        user=user,
        body=user.body,
        initial={
            "year": year,
            "enterprises": "\n".join(p.enterprise.uscc for p in current_points),
            "liaison": current_points[0].liaison_id if current_points else None,
            "note": current.note if current else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact_points_designate(actor=user, body=user.body, **form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("已确定基层联系点名单"))
            return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    context = {
        "form": form,
        "year": year,
        "mix": _mix_rows(),
        "current": current_points,
        "problems": mix_problems(shipped_mix(), [p.enterprise.sector for p in current_points])
        if current_points
        else [],
    }
    return render(request, "oversight/points_designate.html", context)


@require("contact.view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    point = access_point(user, pk)
    today = timezone.localdate()
    manages = may_manage(user, point)
    context = {
        "point": point,
        "today": today,
        "manages": manages,
        "answers": may_answer(user, point),
        "reports": point.reports.select_related("submitted_by").prefetch_related("attachments"),
        "surveys": point.surveys.all()[:12],
        "follow_ups": point.follow_ups.select_related("report", "recorded_by")[:50],
        "requirements": point.requirements.select_related("section"),
        "warnings": point.warnings.select_related("answered_by"),
        "timeline": timeline(point, today),
        "follow_up_form": FollowUpForm(point=point, initial={"on": today}) if manages else None,
        "requirement_form": RequirementForm(point=point) if manages else None,
        "close_form": CloseForm(),
        "answer_form": AnswerForm(),
    }
    return render(request, "oversight/points_detail.html", context)


def _done(request: HttpRequest, pk: int, error: ValidationError | None, ok: str) -> HttpResponse:
    if error is None:
        messages.success(request, ok)
    else:
        for text in error.messages:
            messages.error(request, text)
    return redirect("oversight:point_detail", pk)


@require("contact.manage")
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    point = access_point(user, pk)
    form = FollowUpForm(request.POST, point=point)
    if not form.is_valid():
        return _done(request, pk, ValidationError(form.errors), "")
    try:
        follow_up_record(actor=user, point=point, now=timezone.now(), **form.cleaned_data)
    except ValidationError as error:
        return _done(request, pk, error, "")
    return _done(request, pk, None, _("已记录跟进情况"))


@require("contact.manage")
@require_POST
def requirement(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    point = access_point(user, pk)
    form = RequirementForm(request.POST, point=point)
    if not form.is_valid():
        return _done(request, pk, ValidationError(form.errors), "")
    try:
        requirement_raise(actor=user, point=point, today=timezone.localdate(), **form.cleaned_data)
    except ValidationError as error:
        return _done(request, pk, error, "")
    return _done(request, pk, None, _("已提出整改要求"))


@require("contact.manage")
@require_POST
def report_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = access_report(user, pk)
    note = request.POST.get("closing_note", "")
    try:
        point_report_close(actor=user, report=report, closing_note=note, now=timezone.now())
    except ValidationError as error:
        return _done(request, report.point_id, error, "")
    return _done(request, report.point_id, None, _("反映已办结"))


@require("contact.manage")
@require_POST
def requirement_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = access_requirement(user, pk)
    note = request.POST.get("closing_note", "")
    try:
        requirement_close(actor=user, requirement=found, note=note, today=timezone.localdate())
    except ValidationError as error:
        return _done(request, found.point_id, error, "")
    return _done(request, found.point_id, None, _("整改要求已完成"))


@require("warning.answer")
@require_POST
def warning_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    warning = access_warning(user, pk)
    answer = request.POST.get("answer", "")
    try:
        point_warning_answer(actor=user, warning=warning, answer=answer, now=timezone.now())
    except ValidationError as error:
        return _done(request, warning.point_id, error, "")
    return _done(request, warning.point_id, None, _("已答复预警"))


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A report's file, for readers of the point or the enterprise that reported it."""
    user = _user(request)
    if not (user.can("contact.view") or user.can("contact.report")):
        raise PermissionDenied(_("您的角色无权访问此页面。"))
    found = access_attachment(user, pk, timezone.localdate().year)
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )


urlpatterns: list[URLPattern] = [
    path("points/", points, name="points"),
    path("points/designate/", designate, name="point_designate"),
    path("points/<int:pk>/", detail, name="point_detail"),
    path("points/<int:pk>/follow-up/", follow_up, name="point_follow_up"),
    path("points/<int:pk>/requirement/", requirement, name="point_requirement"),
    path("points/reports/<int:pk>/close/", report_close, name="point_report_close"),
    path("points/requirements/<int:pk>/close/", requirement_done, name="point_requirement_close"),
    path("points/warnings/<int:pk>/answer/", warning_answer, name="point_warning_answer"),
    path("points/attachments/<int:pk>/", attachment, name="point_attachment"),
    *portal_views.urlpatterns,
]
