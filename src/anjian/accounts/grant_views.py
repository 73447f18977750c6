"""Role grant requests (授权申请, 三员分立): the system administrator asks for a privileged role on
a user's page; the security administrator approves or refuses on the list of requests."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from anjian.accounts.access import access_user, require
from anjian.accounts.forms import RoleGrantDecisionForm, RoleGrantRequestForm
from anjian.accounts.models import RoleGrant
from anjian.accounts.role_grants import (
    access_grant,
    role_grant_approve,
    role_grant_refuse,
    role_grant_request,
    visible_grants,
)
from anjian.ui.pages import safe_page


@require("grants.view")
def grant_list(request: HttpRequest) -> HttpResponse:
    grants = visible_grants(request.user)
    pending = grants.filter(status=RoleGrant.Status.PENDING).order_by("requested_at", "id")
    decided = grants.exclude(status=RoleGrant.Status.PENDING).order_by("-decided_at", "-id")
    context = {
        "pending": pending,
        "page": safe_page(Paginator(decided, 30), request.GET.get("page")),
        "can_decide": request.user.can("grants.decide"),
    }
    return render(request, "accounts/grant_list.html", context)


@require("users.manage")
def grant_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = access_user(request.user, pk)
    form = RoleGrantRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role_grant_request(
                actor=request.user,
                user=user,
                kind=RoleGrant.Kind.ROLE,
                role=form.cleaned_data["role"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, "授权申请已提交，待安全管理员审批；审批前该用户角色不变。")
            return redirect("accounts:user_detail", pk=pk)
    title = f"申请授予角色：{user.username}"
    return render(
        request, "accounts/grant_request.html", {"form": form, "title": title, "subject": user}
    )


@require_POST
@require("grants.decide")
def grant_decide(request: HttpRequest, pk: int) -> HttpResponse:
    grant = access_grant(request.user, pk)
    form = RoleGrantDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("accounts:grant_list")
    approve = form.cleaned_data["decision"] == "approve"
    decide = role_grant_approve if approve else role_grant_refuse
    try:
        decide(actor=request.user, grant=grant, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"已{'批准' if approve else '驳回'}申请：{grant}。")
    return redirect("accounts:grant_list")
