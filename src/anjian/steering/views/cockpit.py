"""The leadership cockpit (领导驾驶舱) and its targets page. The cockpit is read by the head, the
office and the discipline group (`access.require_cockpit`); the office publishes the targets."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from anjian.accounts.access import require, visible_sections
from anjian.accounts.models import Section, User
from anjian.config.routers import replica_reads
from anjian.domain.steering.targets import TARGET_KINDS
from anjian.registry.figure_selectors import body_towns
from anjian.steering import cockpit as board
from anjian.steering.access import (
    access_campaign,
    current_campaign,
    is_office,
    require_cockpit,
)
from anjian.steering.cockpit_series import series_codes
from anjian.steering.models import Campaign, Target
from anjian.steering.services.targets import TargetError, target_delete, target_save
from anjian.ui.charts import line_svg
from anjian.ui.forms import bootstrap
from anjian.ui.pages import query_text

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# the charts shown, this year against last year by month
CHARTS = (
    "entries_onsite",
    "joint_share",
    "entries_quiet",
    "exception_rate",
    "cases_decided",
    "pass_rate",
    "complaints_received",
)
MONTHS = [f"{m}月" for m in range(1, 13)]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _campaign(request: HttpRequest, today: date) -> Campaign | None:
    """`?campaign=pk` within the user's scope (404 otherwise), else the user's current one."""
    user = _user(request)
    wanted = query_text(request.GET, "campaign", max_length=12)
    if wanted:
        if not wanted.isdigit():
            raise Http404("未找到该专项工作，或您无权查看。")
        return access_campaign(user, int(wanted))
    return current_campaign(user, today.year)


def default_day(campaign: Campaign, today: date) -> date:
    """Today in the campaign's year; 31 December for a campaign of an earlier year."""
    return date(campaign.year, 12, 31) if campaign.year < today.year else today


class CockpitFilter(forms.Form):
    day = forms.DateField(label=_("截至日期"), required=False, widget=DATE_INPUT)
    section = forms.ModelChoiceField(
        label=_("股室"), queryset=Section.objects.none(), required=False, empty_label=_("全部")
    )
    town = forms.ChoiceField(label=_("乡镇"), required=False)

    def __init__(self, *args: Any, sections: Any, towns: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        section_field = cast(forms.ModelChoiceField, self.fields["section"])
        section_field.queryset = sections
        town_field = cast(forms.ChoiceField, self.fields["town"])
        town_field.choices = [("", _("全部")), *((town, town) for town in towns)]
        bootstrap(self)


def _filters(
    request: HttpRequest, campaign: Campaign, today: date
) -> tuple[CockpitFilter, date, Section | None, str]:
    """The as-of day, section and town asked for; a bad value keeps its default."""
    fallback = default_day(campaign, today)
    asked = {name: query_text(request.GET, name, max_length=40) for name in ("section", "town")}
    asked["day"] = query_text(request.GET, "day", max_length=10) or fallback.isoformat()
    form = CockpitFilter(
        asked,
        sections=visible_sections(_user(request)).filter(body_id=campaign.body_id),
        towns=body_towns((campaign.body_id,)),
    )
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    return form, data.get("day") or fallback, data.get("section"), data.get("town") or ""


def _charts(result: board.Cockpit) -> list[tuple[str, str]]:
    year = result.day.year
    charts = []
    for code in CHARTS:
        series = result.series.get(code)
        if series is None:
            continue
        title = f"{gettext(series.label)}（{series.unit}）"
        lines = [(f"{year}年", series.current), (f"{year - 1}年", series.previous)]
        charts.append((code, line_svg(title, MONTHS, cast(list[tuple[str, list[float]]], lines))))
    return charts


@require("steering.view")
@replica_reads
def cockpit_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    campaign = _campaign(request, today)
    if campaign is None:
        if not user.can("steering.cockpit"):
            raise PermissionDenied("领导驾驶舱仅供局领导、领导小组办公室和派驻纪检监察组查看")
        none = {"office": user.can("steering.office")}
        return render(request, "steering/campaign_none.html", none)
    require_cockpit(user, campaign)
    form, day, section, town = _filters(request, campaign, today)
    result = board.cockpit(campaign, day=day, section=section, town=town)
    context = {
        "campaign": campaign,
        "tab": "cockpit",
        "form": form,
        "result": result,
        "section": section,
        "town": town,
        "charts": _charts(result),
        "series": [result.series[c] for c in series_codes(board.CODES) if c in result.series],
        "months": MONTHS,
        "office": is_office(user, campaign),
    }
    return render(request, "steering/cockpit.html", context)


# --- targets ---------------------------------------------------------------------------------


class TargetForm(forms.Form):
    figure = forms.ChoiceField(label=_("指标"))
    kind = forms.ChoiceField(label=_("目标类型"), choices=list(TARGET_KINDS.items()))
    threshold = forms.DecimalField(label=_("目标值"), max_digits=8, decimal_places=1)
    note = forms.CharField(label=_("说明"), max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        figure = cast(forms.ChoiceField, self.fields["figure"])
        figure.choices = [(code, board.label_of(code)) for code in board.CODES]
        bootstrap(self)


def _figure_label(code: str) -> str:
    return board.label_of(code) if code in board.CODES else code


def _targets_url(campaign: Campaign) -> str:
    return f"{reverse('steering:cockpit_targets')}?campaign={campaign.pk}"


@require("steering.view")
def cockpit_targets(request: HttpRequest) -> HttpResponse:
    """The campaign's published targets; the office adds or changes one (one per figure)."""
    user = _user(request)
    campaign = _campaign(request, timezone.localdate())
    if campaign is None:
        raise Http404("尚未建立专项工作")
    require_cockpit(user, campaign)
    office = is_office(user, campaign)
    form = TargetForm(request.POST or None)
    if request.method == "POST":
        if not office:
            raise PermissionDenied("只有领导小组办公室可以发布目标")
        if form.is_valid():
            data = form.cleaned_data
            try:
                target_save(
                    actor=user,
                    campaign=campaign,
                    figure=data["figure"],
                    kind=data["kind"],
                    threshold=data["threshold"],
                    note=data["note"],
                )
            except TargetError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, gettext("目标已保存"))
                return redirect(_targets_url(campaign))
    context = {
        "campaign": campaign,
        "tab": "cockpit",
        "targets": [
            (
                target,
                board.label_of(target.figure) if target.figure in board.CODES else target.figure,
            )
            for target in Target.objects.filter(campaign=campaign).order_by("figure")
        ],
        "form": form,
        "office": office,
    }
    return render(request, "steering/cockpit_targets.html", context)


@require("steering.view")
@require_POST
def cockpit_target_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    target = Target.objects.filter(pk=pk).select_related("campaign").first()
    if target is None:
        raise Http404("未找到该目标，或您无权查看。")
    campaign = access_campaign(user, target.campaign_id)
    if not is_office(user, campaign):
        raise PermissionDenied("只有领导小组办公室可以删除目标")
    target_delete(actor=user, target=target)
    messages.success(request, gettext("目标已删除"))
    return redirect(_targets_url(campaign))


urlpatterns = [
    path("cockpit/", cockpit_page, name="cockpit"),
    path("cockpit/targets/", cockpit_targets, name="cockpit_targets"),
    path("cockpit/targets/<int:pk>/delete/", cockpit_target_delete, name="cockpit_target_delete"),
]
