"""The campaign's overview: its phases and milestones, its measures and their states, the
leadership group and office, this week's dispatch at a glance, and links to everything else."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.domain.steering.weeks import IsoWeek
from anjian.steering.access import (
    access_campaign,
    current_campaign,
    is_office,
    own_section,
    reads_all,
    visible_campaigns,
)
from anjian.steering.services.weekly import week_board


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require("steering.view")
def campaign_home(request: HttpRequest) -> HttpResponse:
    """The user's current campaign, or a page saying there is none yet."""
    user = _user(request)
    campaign = current_campaign(user, timezone.localdate().year)
    if campaign is not None:
        return redirect("steering:campaign_detail", campaign.pk)
    context = {"office": user.can("steering.office")}
    return render(request, "steering/campaign_none.html", context)


@require("steering.view")
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = visible_campaigns(request.user)[:200]  # type: ignore[arg-type]
    return render(request, "steering/campaign_list.html", {"campaigns": campaigns})


@require("steering.view")
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from anjian.steering.selectors import measure_states

    user = _user(request)
    campaign = access_campaign(user, pk)
    now = timezone.now()
    today = timezone.localdate()
    this_week = IsoWeek.of(today)
    section = own_section(user, campaign)
    board = week_board(campaign, this_week, now)
    if not reads_all(user, campaign):
        board = [row for row in board if section is not None and row.section.pk == section.pk]
    context = {
        "campaign": campaign,
        "today": today,
        "phases": campaign.phases.all(),
        "measures": measure_states(campaign, today),
        "leaders": campaign.leaders.select_related("user"),
        "office_members": campaign.office.select_related("user"),
        "this_week": this_week,
        "in_period": campaign.reports_from <= this_week.sunday
        and this_week.monday <= campaign.reports_until,
        "board": board,
        "section": section,
        "office": is_office(user, campaign),
        "all_readable": reads_all(user, campaign),
    }
    return render(request, "steering/campaign_detail.html", context)


urlpatterns = [
    path("all/", campaign_list, name="campaign_list"),
    path("<int:pk>/", campaign_detail, name="campaign_detail"),
]
