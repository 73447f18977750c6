"""The leadership group (组长、副组长、成员) and its office: the office keeps the group's list; the
office role or the head gives users of the body the office's capability for the campaign."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.steering.access import access_campaign, is_office, require_office
from anjian.steering.models import Campaign
from anjian.steering.plan_forms import LeaderForm, OfficeMemberForm, put_errors
from anjian.steering.selectors import access_leader, access_office_member
from anjian.steering.services.people import (
    leader_delete,
    leader_save,
    may_appoint,
    office_member_add,
    office_member_remove,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _post(
    request: HttpRequest, campaign: Campaign, leader_form: LeaderForm, office_form: OfficeMemberForm
) -> bool:
    """Carries out the posted action; False (errors on the forms) when it was refused."""
    user = _user(request)
    try:
        if request.POST.get("action") == "office":
            if not may_appoint(user, campaign):
                raise PermissionDenied(_("只有办公室或局领导可以调整领导小组办公室成员"))
            if not office_form.is_valid():
                return False
            office_member_add(actor=user, campaign=campaign, **office_form.cleaned_data)
            messages.success(request, _("已指定领导小组办公室成员"))
            return True
        require_office(user, campaign)
        if not leader_form.is_valid():
            return False
        leader_save(actor=user, campaign=campaign, data=leader_form.data_of())
        messages.success(request, _("已添加领导小组成员"))
        return True
    except ValidationError as error:
        target = office_form if request.POST.get("action") == "office" else leader_form
        put_errors(target, error)
        return False


@require("steering.view")
def leaders(request: HttpRequest, pk: int) -> HttpResponse:
    """The leadership group and the office's members; the forms to add either."""
    user = _user(request)
    campaign = access_campaign(user, pk)
    post = request.POST if request.method == "POST" else None
    leader_form = LeaderForm(
        post if post and post.get("action") != "office" else None,
        initial={"order": campaign.leaders.count()},
        campaign=campaign,
    )
    office_form = OfficeMemberForm(
        post if post and post.get("action") == "office" else None, campaign=campaign
    )
    if post is not None and _post(request, campaign, leader_form, office_form):
        return redirect("steering:leaders", campaign.pk)
    context = {
        "campaign": campaign,
        "leaders": campaign.leaders.select_related("user").order_by("order", "id"),
        "members": campaign.office.select_related("user__section", "granted_by").order_by("id"),
        "office": is_office(user, campaign),
        "appoints": may_appoint(user, campaign),
        "leader_form": leader_form,
        "office_form": office_form,
    }
    return render(request, "steering/leaders.html", context)


@require("steering.view")
def leader_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    leader = access_leader(user, pk)
    campaign = leader.campaign
    require_office(user, campaign)
    form = LeaderForm.of(leader)
    if request.method == "POST":
        form = LeaderForm(request.POST, campaign=campaign)
        if form.is_valid():
            try:
                leader_save(actor=user, campaign=campaign, data=form.data_of(), leader=leader)
            except ValidationError as error:
                put_errors(form, error)
            else:
                messages.success(request, _("已保存"))
                return redirect("steering:leaders", campaign.pk)
    context = {"campaign": campaign, "leader": leader, "form": form}
    return render(request, "steering/leaders_form.html", context)


@require("steering.view")
@require_POST
def leader_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    leader = access_leader(user, pk)
    leader_delete(actor=user, leader=leader)
    messages.success(request, _("已移出领导小组：%(name)s") % {"name": leader.name})
    return redirect("steering:leaders", leader.campaign_id)


@require("steering.view")
@require_POST
def office_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    member = access_office_member(user, pk)
    office_member_remove(actor=user, member=member)
    name = member.user.display_name or member.user.username
    messages.success(request, _("已取消 %(name)s 的办公室成员身份") % {"name": name})
    return redirect("steering:leaders", member.campaign_id)


urlpatterns = [
    path("<int:pk>/leaders/", leaders, name="leaders"),
    path("leaders/<int:pk>/", leader_edit, name="leader_edit"),
    path("leaders/<int:pk>/delete/", leader_remove, name="leader_delete"),
    path("office/<int:pk>/remove/", office_remove, name="office_remove"),
]
