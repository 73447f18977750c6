"""Account management for the three separated administrators (三员分立): the system administrator
creates and edits users, resets passwords and (de)activates accounts; the system and security
administrators unlock accounts locked after failed logins. Every write goes through a service.
What needs a second administrator (a privileged role, a privileged account's password or
re-enabling) becomes a role grant request (`role_grants.py`, decided in `grant_views.py`)."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from anjian.accounts.access import (
    access_user,
    require,
    visible_bodies,
    visible_sections,
    visible_users,
)
from anjian.accounts.forms import (
    ExternalUserForm,
    NewPasswordForm,
    SetActiveForm,
    UserCreateForm,
    UserProfileForm,
    UserSearchForm,
)
from anjian.accounts.models import RoleGrant, User
from anjian.accounts.role_grants import (
    needs_second_admin,
    role_grant_request,
    user_create_for_grant,
)
from anjian.accounts.roles import ADMINISTRATORS, GRANTABLE_ROLES, Role
from anjian.accounts.services import (
    EXTERNAL_ROLES,
    user_create,
    user_reset_password,
    user_set_active,
    user_unlock,
    user_update,
)
from anjian.ui.pages import safe_page

UserEditForm = UserProfileForm | ExternalUserForm


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these accounts django-axes currently locks."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=usernames,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )


def _search(request: HttpRequest, users: QuerySet[User]) -> tuple[UserSearchForm, QuerySet[User]]:
    form = UserSearchForm(request.GET or None)
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
        if role := form.cleaned_data["role"]:
            users = users.filter(role=role)
    return form, users


@require("users.view")
def user_list(request: HttpRequest) -> HttpResponse:
    users = (
        visible_users(request.user)
        .select_related("body", "section")
        .order_by("body_id", "role", "username")
    )
    form, users = _search(request, users)
    page = safe_page(Paginator(users, 50), request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "locked": locked_usernames([u.username for u in page]),
        "can_manage": request.user.can("users.manage"),
        "can_unlock": request.user.can("users.unlock"),
    }
    return render(request, "accounts/user_list.html", context)


def _form_scope(user: User) -> dict[str, object]:
    return {"bodies": visible_bodies(user), "sections": visible_sections(user)}


def _apply_errors(form: UserEditForm | NewPasswordForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _create(actor: User, data: dict[str, Any]) -> tuple[User, str]:
    """A staff account directly, or one with a privileged role through a role grant."""
    fields: dict[str, Any] = {
        "actor": actor,
        "username": data["username"],
        "password": data["password1"],
        "role": data["role"],
        "display_name": data["display_name"],
        "body": data["body"],
        "section": data["section"],
        "language": data["language"],
    }
    if data["role"] in GRANTABLE_ROLES:
        user, _grant = user_create_for_grant(**fields)
        label = Role(data["role"]).label
        return user, (
            f"已创建用户“{user.username}”（暂停用）。授予“{label}”角色的申请已提交，"
            "经安全管理员批准后启用。"
        )
    user = user_create(**fields)
    return user, f"已创建用户“{user.username}”，该用户首次登录时须修改密码。"


@require("users.manage")
def user_create_view(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None, **_form_scope(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            user, done = _create(request.user, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": "新建用户"})


@require("users.view")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access_user(request.user, pk)
    pending = user.role_grants.filter(status=RoleGrant.Status.PENDING).first()
    can_manage = request.user.can("users.manage")
    context = {
        "subject": user,
        "locked": bool(locked_usernames([user.username])),
        "can_manage": can_manage,
        "can_unlock": request.user.can("users.unlock"),
        "pending_grant": pending,
        "can_request_grant": can_manage
        and pending is None
        and user.pk != request.user.pk
        and user.role not in EXTERNAL_ROLES | ADMINISTRATORS,
        "privileged": needs_second_admin(user),
    }
    return render(request, "accounts/user_detail.html", context)


def _edit_form(request: HttpRequest, user: User) -> UserEditForm:
    """Staff and administrators get the full profile; enterprise and training-institution
    accounts only their name and language (their role and body follow their organisation)."""
    initial = {
        "display_name": user.display_name,
        "role": user.role,
        "body": user.body,
        "section": user.section,
        "language": user.language,
    }
    data = request.POST or None
    if user.role in EXTERNAL_ROLES:
        return ExternalUserForm(data, initial=initial)
    return UserProfileForm(
        data, initial=initial, current_role=user.role, **_form_scope(request.user)
    )


@require("users.manage")
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = access_user(request.user, pk)
    form = _edit_form(request, user)
    if request.method == "POST" and form.is_valid():
        try:
            user_update(actor=request.user, user=user, data=form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "用户信息已保存。")
            return redirect("accounts:user_detail", pk=pk)
    return render(
        request, "accounts/user_form.html", {"form": form, "title": f"编辑用户：{user.username}"}
    )


@require_POST
@require("users.manage")
def user_set_active_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = access_user(request.user, pk)
    form = SetActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求缺少要设置的账号状态，未作修改。")
        return redirect("accounts:user_detail", pk=pk)
    active = form.cleaned_data["active"]
    try:
        if active and needs_second_admin(user) and not user.is_active:
            role_grant_request(actor=request.user, user=user, kind=RoleGrant.Kind.ACTIVATE)
            done = f"启用“{user.username}”的申请已提交，待安全管理员审批。"
        else:
            user_set_active(actor=request.user, user=user, active=active)
            done = f"已{'启用' if active else '停用'}用户“{user.username}”。"
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("accounts:user_detail", pk=pk)


@require("users.manage")
def user_reset_password_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = access_user(request.user, pk)
    form = NewPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password1"]
        try:
            if needs_second_admin(user):
                role_grant_request(
                    actor=request.user,
                    user=user,
                    kind=RoleGrant.Kind.PASSWORD,
                    new_password=password,
                )
                done = f"重置“{user.username}”密码的申请已提交，经安全管理员批准后生效。"
            else:
                user_reset_password(actor=request.user, user=user, new_password=password)
                done = f"已重置“{user.username}”的密码，该用户下次登录时须修改密码。"
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, done)
            return redirect("accounts:user_detail", pk=pk)
    return render(
        request, "accounts/user_form.html", {"form": form, "title": f"重置密码：{user.username}"}
    )


@require_POST
@require("users.unlock")
def user_unlock_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = access_user(request.user, pk)
    user_unlock(actor=request.user, user=user)
    messages.success(request, f"已解除“{user.username}”的登录锁定。")
    return redirect("accounts:user_detail", pk=pk)
