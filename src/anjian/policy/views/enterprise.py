"""An enterprise's year: cap, entries used and remaining, quiet days, the items that apply.
The enterprise sees its own; bureau staff see any enterprise in their scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.accounts.access import require
from anjian.domain.rules.quiet import describe_days
from anjian.policy.selectors import (
    NoRuleSetInForce,
    enterprise_year,
    items_for_enterprise,
    live_bookings,
    published_item_list,
)
from anjian.policy.views.common import today
from anjian.registry.access import access_enterprise
from anjian.registry.models import Enterprise


def _render(request: HttpRequest, enterprise: Enterprise, template: str) -> HttpResponse:
    day = today()
    try:
        year = enterprise_year(enterprise, day)
    except NoRuleSetInForce as exc:
        return render(request, template, {"enterprise": enterprise, "missing": str(exc)})
    entries = (
        live_bookings(enterprise.pk).filter(date__year=day.year).select_related("body", "section")
    )
    context = {
        "enterprise": enterprise,
        "year": year,
        "entries": entries.order_by("date"),
        "quiet_this": describe_days(year.quiet_this_month),
        "quiet_next": describe_days(year.quiet_next_month),
        "quiet_next_pending": bool(
            year.quiet_next_state and not year.quiet_next_state.settled(day)
        ),
        "items": items_for_enterprise(enterprise),
        "item_list": published_item_list(enterprise.supervising_body),
        "today": day,
    }
    return render(request, template, context)


@require("enterprise.self")
def my_quota(request: HttpRequest) -> HttpResponse:
    membership = getattr(request.user, "enterprise_membership", None)
    if membership is None:
        raise PermissionDenied("您的账号未关联企业")
    return _render(request, membership.enterprise, "policy/my_quota.html")


@require("policy.view")
def enterprise_year_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, access_enterprise(request.user, pk), "policy/enterprise_year.html")
