"""The notification centre (提醒中心): my reminders, paged, all or unread only; opening one marks
it read and goes where the work is done; one or all can be marked read. Every logged-in user has
one (an enterprise user's reminders are its rectifications and certificates), and sees only
their own: anyone else's answers 404."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from anjian.accounts.models import User
from anjian.steering.access import NOT_FOUND, own_notifications
from anjian.steering.models import Notification
from anjian.steering.reminders import KIND_LABELS
from anjian.steering.services.notify import notification_read, notifications_read_all
from anjian.ui.pages import safe_page

PER_PAGE = 30


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required let only users through
    return user


def _own(user: User, pk: int) -> Notification:
    found = own_notifications(user).filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def is_same_site(url: str) -> bool:
    """A path on this site ("/inspections/12/"): never another host, a scheme or "//"."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    )


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the list as it was (the unread filter and the page)."""
    query = {}
    if request.POST.get("show") == "unread":
        query["show"] = "unread"
    if request.POST.get("page", "").isdigit():
        query["page"] = request.POST["page"]
    return redirect(reverse("steering:notifications") + (f"?{urlencode(query)}" if query else ""))


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    mine = own_notifications(user)
    unread = mine.filter(read_at__isnull=True)
    show = "unread" if request.GET.get("show") == "unread" else "all"
    rows = (unread if show == "unread" else mine).order_by("-created_at", "-pk")
    page = safe_page(Paginator(rows, PER_PAGE), request.GET.get("page"))
    for note in page.object_list:
        note.kind_label = KIND_LABELS.get(note.kind, note.kind)
        note.linkable = is_same_site(note.url)
    context = {"page": page, "show": show, "unread_total": unread.count()}
    return render(request, "steering/notifications.html", context)


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks the reminder read and goes to its page (a path on this site only)."""
    user = _user(request)
    note = notification_read(actor=user, notification=_own(user, pk), now=timezone.now())
    if not is_same_site(note.url):
        messages.warning(request, gettext("该提醒没有可打开的办理页面"))
        return redirect("steering:notifications")
    return redirect(note.url)


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    notification_read(actor=user, notification=_own(user, pk), now=timezone.now())
    return _back(request)


@login_required
@require_POST
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    marked = notifications_read_all(actor=_user(request), now=timezone.now())
    messages.success(request, gettext("已将 %(n)s 条提醒标为已读") % {"n": marked})
    return redirect("steering:notifications")


urlpatterns = [
    path("notifications/", notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", notification_open, name="notification_open"),
    path("notifications/<int:pk>/read/", notification_mark_read, name="notification_read"),
    path("notifications/read-all/", notifications_mark_all_read, name="notifications_read_all"),
]
