"""会商研判 pages: the meetings (paged), a new meeting, a meeting with its agenda (assemble,
hold, issue and download the minutes), one agenda item (minutes, action items, escalation), and
the action items of their owner. meeting.view reads, meeting.manage (the office) writes; an
action item's owner reads and reports on it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.documents.services import document_response, versions_of
from anjian.oversight.meetings import forms
from anjian.oversight.meetings.access import (
    NOT_FOUND,
    access_action_item,
    access_agenda_item,
    access_meeting,
    clue_subjects,
    is_staff,
    manages,
    may_report,
    own_action_items,
    require_manage,
    visible_meetings,
)
from anjian.oversight.meetings.minutes import meeting_minutes_issue
from anjian.oversight.meetings.services import (
    MeetingError,
    action_item_create,
    action_item_report,
    agenda_assemble,
    agenda_item_escalate,
    agenda_item_minutes,
    meeting_create,
    meeting_hold,
)
from anjian.oversight.models import ActionItem, AgendaItem
from anjian.ui.pages import safe_page

PER_PAGE = 20


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login, then a bureau staff user with a body (an action item's possible owner)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff(_user(request)):
            raise PermissionDenied("您的角色无权访问此页面。")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


@require("meeting.view")
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = visible_meetings(user).defer("minutes_document__content")
    page = safe_page(Paginator(rows, PER_PAGE), request.GET.get("page"))
    context = {"page": page, "may_create": user.can("meeting.manage") and user.body_id}
    return render(request, "oversight/meetings_list.html", context)


@require("meeting.manage")
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and user.body is None:
        form.add_error(None, "您的账号未设置执法主体，不能新建会议")
    elif request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_create(actor=user, body=user.body, **form.cleaned_data)
        except MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "已新建会商研判会议")
            return redirect("oversight:meeting_detail", meeting.pk)
    return render(request, "oversight/meetings_form.html", {"form": form})


@require("meeting.view")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    meeting = access_meeting(user, pk)
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .prefetch_related("actions__owner", "actions__section")
        .order_by("order", "pk")
    )
    versions = (
        list(versions_of(meeting.minutes_document).defer("content"))
        if meeting.minutes_document
        else []
    )
    context = {
        "meeting": meeting,
        "items": items,
        "clues": clue_subjects(user, items),
        "manage": manages(user, meeting),
        "versions": versions,
        "issue_form": forms.IssueForm(),
    }
    return render(request, "oversight/meetings_detail.html", context)


def _run(request: HttpRequest, write: Callable[[], object], done: str) -> None:
    try:
        write()
    except MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)


@require_POST
@require("meeting.manage")
def meeting_assemble(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    meeting = access_meeting(user, pk)
    try:
        added = agenda_assemble(actor=user, meeting=meeting, today=timezone.localdate())
    except MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已汇集议题 {len(added)} 项")
    return redirect("oversight:meeting_detail", meeting.pk)


@require_POST
@require("meeting.manage")
def meeting_held(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    meeting = access_meeting(user, pk)
    _run(
        request,
        lambda: meeting_hold(actor=user, meeting=meeting, now=timezone.now()),
        "会议已标记为已召开",
    )
    return redirect("oversight:meeting_detail", meeting.pk)


@require_POST
@require("meeting.manage")
def minutes_issue(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    meeting = access_meeting(user, pk)
    reason = request.POST.get("reason", "")[:500]
    now = timezone.now()
    _run(
        request,
        lambda: meeting_minutes_issue(actor=user, meeting=meeting, now=now, reason=reason),
        "已印发会议纪要",
    )
    return redirect("oversight:meeting_detail", meeting.pk)


@require("meeting.view")
def minutes_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """One version of the meeting's minutes, as stored."""
    meeting = access_meeting(_user(request), pk)
    if meeting.minutes_document is None:
        raise Http404(NOT_FOUND)
    document = versions_of(meeting.minutes_document).filter(pk=document_pk).first()
    if document is None:
        raise Http404(NOT_FOUND)
    return document_response(document)


def _item_page(request: HttpRequest, item: AgendaItem, **bound: Any) -> HttpResponse:
    user = _user(request)
    meeting = item.meeting
    context = {
        "meeting": meeting,
        "item": item,
        "clue": clue_subjects(user, [item]).get(item.pk, ""),
        "actions": ActionItem.objects.filter(agenda_item=item).select_related("owner", "section"),
        "manage": manages(user, meeting),
        "minutes_form": bound.get("minutes_form")
        or forms.MinutesForm(initial={"discussion": item.discussion, "decision": item.decision}),
        "action_form": bound.get("action_form") or forms.ActionForm(meeting=meeting),
        "escalate_form": bound.get("escalate_form") or forms.EscalateForm(),
    }
    return render(request, "oversight/meetings_item.html", context)


@require("meeting.view")
def agenda_item(request: HttpRequest, pk: int) -> HttpResponse:
    """The item with its minutes form (POST records the discussion and decision)."""
    user = _user(request)
    item = access_agenda_item(user, pk)
    if request.method != "POST":
        return _item_page(request, item)
    require_manage(user, item.meeting)
    form = forms.MinutesForm(request.POST)
    if form.is_valid():
        try:
            agenda_item_minutes(actor=user, item=item, **form.cleaned_data)
        except MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "已保存研究情况和议定意见")
            return redirect("oversight:agenda_item", item.pk)
    return _item_page(request, item, minutes_form=form)


@require_POST
@require("meeting.manage")
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = access_agenda_item(user, pk)
    form = forms.ActionForm(request.POST, meeting=item.meeting)
    if form.is_valid():
        try:
            action_item_create(actor=user, item=item, **form.cleaned_data)
        except MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "已形成议定事项")
            return redirect("oversight:agenda_item", item.pk)
    return _item_page(request, item, action_form=form)


@require_POST
@require("meeting.manage")
def item_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = access_agenda_item(user, pk)
    form = forms.EscalateForm(request.POST)
    if form.is_valid():
        try:
            agenda_item_escalate(
                actor=user, item=item, note=form.cleaned_data["note"], now=timezone.now()
            )
        except MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "已报领导小组办公室")
            return redirect("oversight:agenda_item", item.pk)
    return _item_page(request, item, escalate_form=form)


@staff_required
def my_actions(request: HttpRequest) -> HttpResponse:
    rows = own_action_items(_user(request))
    page = safe_page(Paginator(rows, PER_PAGE), request.GET.get("page"))
    return render(request, "oversight/meetings_my_actions.html", {"page": page})


@staff_required
def action_report(request: HttpRequest, pk: int) -> HttpResponse:
    """An action item, and for its owner or the office the form to report it done."""
    user = _user(request)
    action = access_action_item(user, pk)
    may = may_report(user, action) and action.done_on is None
    form = forms.ReportForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST":
        if not may:
            raise PermissionDenied("只有责任人或办公室可以报告落实情况")
        if form.is_valid():
            try:
                action_item_report(
                    actor=user, action=action, today=timezone.localdate(), **form.cleaned_data
                )
            except MeetingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "已报告落实情况")
                return redirect("oversight:action_item_report", action.pk)
    context = {"action": action, "form": form, "may_report": may}
    return render(request, "oversight/meetings_action.html", context)


urlpatterns = [
    path("meetings/", meeting_list, name="meeting_list"),
    path("meetings/new/", meeting_new, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/assemble/", meeting_assemble, name="meeting_assemble"),
    path("meetings/<int:pk>/hold/", meeting_held, name="meeting_hold"),
    path("meetings/<int:pk>/minutes/", minutes_issue, name="meeting_minutes_issue"),
    path(
        "meetings/<int:pk>/minutes/<int:document_pk>/",
        minutes_download,
        name="meeting_minutes_download",
    ),
    path("meetings/items/<int:pk>/", agenda_item, name="agenda_item"),
    path("meetings/items/<int:pk>/action/", action_new, name="action_item_create"),
    path("meetings/items/<int:pk>/escalate/", item_escalate, name="agenda_item_escalate"),
    path("meetings/actions/", my_actions, name="my_action_items"),
    path("meetings/actions/<int:pk>/", action_report, name="action_item_report"),
]
