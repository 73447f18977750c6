"""Pages of the register of complaints and clues (举报事项、问题线索): the list with its clocks,
entering a matter, a matter's page with its handling steps, and the statistics per section and
month with their Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import Section, User
from anjian.domain.oversight import matters as rules
from anjian.oversight.matters import selectors
from anjian.oversight.matters.access import (
    access_matter,
    may_handle,
    owner_candidates,
    shows_complainant,
    visible_matters,
)
from anjian.oversight.matters.forms import AnswerForm, AssignForm, CloseForm, MatterForm
from anjian.oversight.matters.services import (
    MatterError,
    matter_accept,
    matter_answer,
    matter_assign,
    matter_close,
    matter_register,
)
from anjian.oversight.models import Matter
from anjian.ui import ledger_columns
from anjian.ui.ledger import ledger_output
from anjian.ui.pages import attachment, safe_page

PER_PAGE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require("matter.view")
def matter_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    rows = selectors.filtered(visible_matters(user), request.GET, today).select_related(
        "section", "owner", "enterprise"
    )
    title = gettext_lazy("举报事项和问题线索台账")
    if out := ledger_output(request, rows, ledger_columns.MATTERS, title=title):
        return out
    page = safe_page(Paginator(rows, PER_PAGE), request.GET.get("page"))
    clocks = selectors.page_clocks(list(page.object_list), today)
    context = {
        "page": page,
        "rows": [(m, clocks[m.pk]) for m in page.object_list],
        "kinds": Matter.Kind.choices,
        "sources": Matter.Source.choices,
        "statuses": Matter.Status.choices,
        "sections": Section.objects.filter(
            pk__in=visible_matters(user).values("section_id")
        ).order_by("body_id", "id"),
        "filters": request.GET,
        "may_register": user.can("matter.register"),
    }
    return render(request, "oversight/matters_list.html", context)


@require("matter.register")
def matter_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = MatterForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            matter = matter_register(actor=user, data=form.cleaned_data)
        except MatterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "已登记")
            if visible_matters(user).filter(pk=matter.pk).exists():
                return redirect("oversight:matter_detail", matter.pk)
            return redirect("oversight:matter_list")
    return render(request, "oversight/matters_form.html", {"form": form})


@require("matter.view")
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    matter = access_matter(user, pk)
    today = timezone.localdate()
    handles = may_handle(user, matter)
    actions = rules.allowed_actions(matter.status) if handles else []
    context = {
        "matter": matter,
        "clock": selectors.page_clocks([matter], today)[matter.pk],
        "shows_complainant": shows_complainant(user, matter),
        "actions": actions,
        "assign_form": AssignForm(candidates=owner_candidates(matter)) if handles else None,
        "answer_form": AnswerForm(),
        "close_form": CloseForm(),
    }
    return render(request, "oversight/matters_detail.html", context)


def _step(request: HttpRequest, user: User, matter: Matter, action: str) -> None:
    today = timezone.localdate()
    if action == "accept":
        matter_accept(actor=user, matter=matter, today=today)
        return
    if action == "assign":
        form = AssignForm(request.POST, candidates=owner_candidates(matter))
        if not form.is_valid():
            raise MatterError("请选择承办人")
        matter_assign(actor=user, matter=matter, owner=form.cleaned_data["owner"])
        return
    if action == "answer":
        answer = AnswerForm(request.POST)
        answer.is_valid()
        data = answer.cleaned_data
        matter_answer(
            actor=user,
            matter=matter,
            outcome=data.get("outcome", ""),
            reply=data.get("reply", ""),
            today=today,
        )
        return
    close = CloseForm(request.POST)
    if not close.is_valid():
        raise MatterError("反映人评价不正确")
    matter_close(
        actor=user,
        matter=matter,
        ground=close.cleaned_data["ground"],
        satisfaction=close.cleaned_data["satisfaction"],
        today=today,
    )


def _handle(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    matter = access_matter(user, pk)
    try:
        _step(request, user, matter, action)
    except MatterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已保存")
    return redirect("oversight:matter_detail", matter.pk)


@require_POST
@require("matter.handle")
def matter_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, "accept")


@require_POST
@require("matter.handle")
def matter_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, "assign")


@require_POST
@require("matter.handle")
def matter_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, "answer")


@require_POST
@require("matter.handle")
def matter_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, "close")


@require("matter.view")
def matter_stats(request: HttpRequest) -> HttpResponse:
    rows = selectors.stats(visible_matters(_user(request)))
    if request.GET.get("format") == "xlsx":
        return attachment(selectors.stats_xlsx(rows), "举报事项办理统计.xlsx", XLSX)
    return render(request, "oversight/matters_stats.html", {"rows": rows})


urlpatterns: list[URLPattern] = [
    path("matters/", matter_list, name="matter_list"),
    path("matters/new/", matter_new, name="matter_new"),
    path("matters/stats/", matter_stats, name="matter_stats"),
    path("matters/<int:pk>/", matter_detail, name="matter_detail"),
    path("matters/<int:pk>/accept/", matter_accept_view, name="matter_accept"),
    path("matters/<int:pk>/assign/", matter_assign_view, name="matter_assign"),
    path("matters/<int:pk>/answer/", matter_answer_view, name="matter_answer"),
    path("matters/<int:pk>/close/", matter_close_view, name="matter_close"),
]
