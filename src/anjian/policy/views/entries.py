"""Entry check and booking (入企核验与登记), and the entry ledger."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.domain.rules.mode import ItemMethods, suggest_mode
from anjian.domain.rules.vocab import ACTIVITIES
from anjian.policy.access import may_cancel_booking, visible_bookings, visible_quiet_exceptions
from anjian.policy.forms import CancelForm, EntryForm
from anjian.policy.models import InspectionItem, QuietException
from anjian.policy.selectors import published_item_list
from anjian.policy.services.booking import (
    EntryOutcome,
    EntryRequest,
    entry_book,
    entry_cancel,
    entry_check,
)
from anjian.policy.views.common import flash_errors, form_errors, today
from anjian.registry.access import visible_enterprises, visible_officers
from anjian.ui import ledger_columns
from anjian.ui.ledger import ledger_output
from anjian.ui.vocab_i18n import lazy_choices


def _items(user: User) -> list[InspectionItem]:
    item_list = published_item_list(user.body) if user.body_id else None
    return list(item_list.items.all()) if item_list else []


def _form(request: HttpRequest, items: list[InspectionItem]) -> EntryForm:
    user = request.user
    exceptions = visible_quiet_exceptions(user).filter(
        body_id=user.body_id, status=QuietException.Status.APPROVED, date__gte=today()
    )
    return EntryForm(
        request.POST or None,
        enterprises=visible_enterprises(user),
        officers=visible_officers(user).filter(body_id=user.body_id),
        exceptions=exceptions,
        items=[(i.code, f"{i.code} {i.name}") for i in items],
        initial={"date": today(), **request.GET.dict()},
    )


def _request(user: User, data: dict[str, Any]) -> EntryRequest:
    return EntryRequest(
        enterprise=data["enterprise"],
        date=data["date"],
        activity=data["activity"],
        mode=data["mode"],
        body=user.body,
        officers=list(data["officers"]),
        section=user.section,
        joint_key=data["joint_key"].strip(),
        ground=data["ground"],
        quiet_exception=data["quiet_exception"],
        quiet_ground=data.get("quiet_ground") or "",
    )


def _suggestion(form: EntryForm, items: list[InspectionItem]):  # type: ignore[no-untyped-def]
    chosen = set(form.cleaned_data.get("items") or [])
    picked = [ItemMethods(i.code, i.name, frozenset(i.methods)) for i in items if i.code in chosen]
    enterprise = form.cleaned_data.get("enterprise")
    if not picked or enterprise is None:
        return None
    return suggest_mode(picked, enterprise.online_monitoring)


@require("entry.book")
def entry_check_view(request: HttpRequest) -> HttpResponse:
    if request.user.body_id is None:
        raise Http404("您的账号不属于任何执法主体")
    items = _items(request.user)
    form = _form(request, items)
    outcome: EntryOutcome | None = None
    suggestion = None
    if request.method == "POST" and form.is_valid():
        suggestion = _suggestion(form, items)
        entry = _request(request.user, form.cleaned_data)
        try:
            if request.POST.get("book"):
                outcome = entry_book(actor=request.user, request=entry)
            else:
                outcome = entry_check(entry)
        except ValidationError as error:
            form_errors(form, error)
        else:
            if outcome.booked:
                messages.success(request, "入企已登记，已计入频次台账")
                return redirect(f"{_list_url()}?enterprise={entry.enterprise.pk}")
    context = {"form": form, "outcome": outcome, "suggestion": suggestion}
    return render(request, "policy/entry_check.html", context)


def _list_url() -> str:
    from django.urls import reverse

    return reverse("policy:entry_list")


@require("policy.view")
def entry_list(request: HttpRequest) -> HttpResponse:
    rows = visible_bookings(request.user)
    enterprise = request.GET.get("enterprise", "")
    if enterprise.isdigit():
        rows = rows.filter(enterprise_id=int(enterprise))
    activity = request.GET.get("activity", "")
    if activity in ACTIVITIES:
        rows = rows.filter(activity=activity)
    if request.GET.get("show") != "all":
        rows = rows.filter(cancelled_at__isnull=True)
    rows = rows.defer("ruleset__data", "ruleset__change_note")  # the list names the rule set only
    ledger = rows.select_related("enterprise", "body", "section", "ruleset").order_by(
        "-date", "-id"
    )
    if out := ledger_output(
        request, ledger, ledger_columns.ENTRIES, title=gettext_lazy("入企台账")
    ):
        return out
    page = Paginator(rows.order_by("-date", "-id"), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "activities": lazy_choices(ACTIVITIES),
        "activity": activity,
        "enterprise": enterprise,
        "show": request.GET.get("show", ""),
        "cancellable": {b.pk for b in page if may_cancel_booking(request.user, b)},
    }
    return render(request, "policy/entry_list.html", context)


@require("entry.book")
@require_POST
def entry_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    booking = visible_bookings(request.user).filter(pk=pk).first()
    if booking is None:
        raise Http404("未找到该入企登记")
    if not may_cancel_booking(request.user, booking):
        raise PermissionDenied("只能取消本单位（业务股室只能取消本股室）登记的入企。")
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写取消原因")
        return redirect("policy:entry_list")
    try:
        entry_cancel(actor=request.user, booking=booking, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "已取消该入企登记，频次已退回")
    return redirect("policy:entry_list")
