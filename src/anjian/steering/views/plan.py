"""The work plan's pages: creating a campaign (blank, or 按工作方案模板创建 from a shipped plan),
its settings (title, goal, the weekly dispatch's period, due weekday, time and grace days) and its
phases and milestones. The measures' pages are in `plan_measures.py`, the leadership group's in
`plan_people.py`; their `urlpatterns` are listed here. Writes are the office's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import EnforcementBody, User
from anjian.policy_data.campaigns import shipped_plans
from anjian.steering.access import access_campaign, is_office, require_office
from anjian.steering.models import Campaign
from anjian.steering.plan_forms import (
    BlankForm,
    FromPlanForm,
    PhaseForm,
    SettingsForm,
    put_errors,
)
from anjian.steering.selectors import access_phase
from anjian.steering.services.campaign import (
    campaign_create,
    campaign_from_plan,
    campaign_update,
    phase_delete,
    phase_save,
    plan_section_gaps,
)
from anjian.steering.views import plan_measures, plan_people


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def office_campaign(request: HttpRequest, pk: int) -> Campaign:
    """The campaign, for its office only (404 outside scope, 403 for others)."""
    user = user_of(request)
    campaign = access_campaign(user, pk)
    require_office(user, campaign)
    return campaign


def _own_body(user: User) -> EnforcementBody:
    if user.body_id is None:
        raise PermissionDenied(_("您的账号不属于任何执法主体"))
    return user.body  # type: ignore[return-value]


def _create(request: HttpRequest, body: EnforcementBody, source: str) -> Campaign | Form:
    """The campaign made from the posted form, or the form with its errors."""
    user = user_of(request)
    form: Form
    if source == "plan":
        form = FromPlanForm(request.POST)
        if form.is_valid():
            plan = shipped_plans()[form.cleaned_data["plan"]]
            year = form.cleaned_data["year"]
            try:
                return campaign_from_plan(actor=user, body=body, year=year, plan=plan)
            except ValidationError as error:
                put_errors(form, error)
        return form
    form = BlankForm(request.POST)
    if form.is_valid():
        try:
            return campaign_create(
                actor=user, body=body, year=form.cleaned_data["year"], **vars(form.settings())
            )
        except ValidationError as error:
            put_errors(form, error)
    return form


@require("steering.office")
def campaign_new(request: HttpRequest) -> HttpResponse:
    body = _own_body(user_of(request))
    year = timezone.localdate().year
    plan_form = FromPlanForm(initial={"year": year, "plan": next(iter(shipped_plans()), "")})
    blank_form = BlankForm(initial={"year": year})
    if request.method == "POST":
        source = "plan" if request.POST.get("source") == "plan" else "blank"
        made = _create(request, body, source)
        if isinstance(made, Campaign):
            if source == "plan":
                for gap in plan_section_gaps(body, shipped_plans()[request.POST["plan"]]):
                    messages.warning(request, gap)
            messages.success(request, _("已建立专项工作：%(title)s") % {"title": made.title})
            return redirect("steering:campaign_detail", made.pk)
        if source == "plan":
            plan_form = made  # type: ignore[assignment]
        else:
            blank_form = made  # type: ignore[assignment]
    context = {
        "body": body,
        "plan_form": plan_form,
        "blank_form": blank_form,
        "plans": [(plan, plan_section_gaps(body, plan)) for plan in shipped_plans().values()],
    }
    return render(request, "steering/plan_new.html", context)


@require("steering.view")
def campaign_settings(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = office_campaign(request, pk)
    form = SettingsForm.of(campaign)
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                campaign_update(actor=user_of(request), campaign=campaign, settings=form.settings())
            except ValidationError as error:
                put_errors(form, error)
            else:
                messages.success(request, _("已保存专项工作设置"))
                return redirect("steering:campaign_detail", campaign.pk)
    return render(request, "steering/plan_settings.html", {"campaign": campaign, "form": form})


@require("steering.view")
def phase_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The phases and milestones; the office adds one here."""
    user = user_of(request)
    campaign = access_campaign(user, pk)
    office = is_office(user, campaign)
    form = PhaseForm(initial={"deadline": None, "order": campaign.phases.count()})
    if request.method == "POST":
        require_office(user, campaign)
        form = PhaseForm(request.POST)
        if form.is_valid():
            try:
                phase_save(actor=user, campaign=campaign, data=form.data_of())
            except ValidationError as error:
                put_errors(form, error)
            else:
                messages.success(request, _("已添加"))
                return redirect("steering:plan_phases", campaign.pk)
    context = {
        "campaign": campaign,
        "phases": campaign.phases.order_by("deadline", "order"),
        "form": form,
        "office": office,
        "today": timezone.localdate(),
    }
    return render(request, "steering/plan_phases.html", context)


@require("steering.view")
def phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    phase = access_phase(user, pk)
    campaign = phase.campaign
    require_office(user, campaign)
    form = PhaseForm.of(phase)
    if request.method == "POST":
        form = PhaseForm(request.POST)
        if form.is_valid():
            try:
                phase_save(actor=user, campaign=campaign, data=form.data_of(), phase=phase)
            except ValidationError as error:
                put_errors(form, error)
            else:
                messages.success(request, _("已保存"))
                return redirect("steering:plan_phases", campaign.pk)
    context = {"campaign": campaign, "phase": phase, "form": form}
    return render(request, "steering/plan_phase_form.html", context)


@require("steering.view")
@require_POST
def phase_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    phase = access_phase(user, pk)
    phase_delete(actor=user, phase=phase)
    messages.success(request, _("已删除：%(name)s") % {"name": phase.name})
    return redirect("steering:plan_phases", phase.campaign_id)


urlpatterns = [
    path("new/", campaign_new, name="campaign_new"),
    path("<int:pk>/settings/", campaign_settings, name="campaign_settings"),
    path("<int:pk>/phases/", phase_list, name="plan_phases"),
    path("phases/<int:pk>/", phase_edit, name="phase_edit"),
    path("phases/<int:pk>/delete/", phase_remove, name="phase_delete"),
    *plan_measures.urlpatterns,
    *plan_people.urlpatterns,
]
