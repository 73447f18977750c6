from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import EnforcementBody, Section, User
from anjian.accounts.roles import BUREAU_STAFF, GRANTABLE_ROLES, PRIVILEGED_ROLES, Role
from anjian.accounts.validation import user_profile_errors
from anjian.ui.forms import bootstrap


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


class LoginForm(AuthenticationForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.error_messages = {
            "invalid_login": f"用户名或密码错误。连续失败{settings.AXES_FAILURE_LIMIT}次"
            f"将锁定账号{lockout_minutes()}分钟。",
            "inactive": "该账号已停用。",
        }
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        bootstrap(self)


class ChangePasswordForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["old_password"].label = _("原密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("确认新密码")
        bootstrap(self)

    def save(self, commit: bool = True) -> User:  # the service does the saving
        return self.user  # type: ignore[return-value]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("界面语言"), choices=User._meta.get_field("language").choices
    )


# 三员分立: an administrator gives only the roles below directly. 局领导 and 派驻纪检监察组 take a
# role grant approved by the security administrator; the three administrators are made on the
# server (`anjian createadmin`), never in the pages.
DIRECT_ROLE_CHOICES = [
    (r.value, r.label) for r in Role if r in BUREAU_STAFF and r not in PRIVILEGED_ROLES
]
GRANTABLE_ROLE_CHOICES = [(r.value, r.label) for r in Role if r in GRANTABLE_ROLES]
NEW_USER_ROLE_CHOICES = [
    (_("直接创建"), DIRECT_ROLE_CHOICES),
    (_("须安全管理员审批（账号审批前停用）"), GRANTABLE_ROLE_CHOICES),
]


class ExternalUserForm(forms.Form):
    """Edits an enterprise or training-institution account: its role, body and section are fixed
    by the organisation it belongs to, so only the name and language can change here."""

    display_name = forms.CharField(label=_("姓名"), max_length=50)
    language = forms.ChoiceField(
        label=_("界面语言"), choices=User._meta.get_field("language").choices
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class UserProfileForm(forms.Form):
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("角色"), choices=DIRECT_ROLE_CHOICES)
    body = forms.ModelChoiceField(label=_("执法主体"), queryset=EnforcementBody.objects.none())
    section = forms.ModelChoiceField(
        label=_("股室"), queryset=Section.objects.none(), required=False
    )
    language = forms.ChoiceField(
        label=_("界面语言"), choices=User._meta.get_field("language").choices
    )

    def __init__(
        self, *args: Any, bodies: Any, sections: Any, current_role: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["section"].queryset = sections
        if current_role in PRIVILEGED_ROLES:  # kept as it is; changed only by a role grant
            self.fields["role"].choices = [
                *DIRECT_ROLE_CHOICES,
                (current_role, Role(current_role).label),
            ]
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"role", "body"} <= data.keys():
            errors = user_profile_errors(
                role=data["role"], body=data["body"], section=data.get("section")
            )
            for error in errors:
                self.add_error(error.field if error.field in self.fields else None, error.message)
        return data


class NewPasswordForm(forms.Form):
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "两次输入的密码不一致。")
        elif first:
            try:
                validate_password(first, self.user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class UserCreateForm(UserProfileForm, NewPasswordForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    field_order = [
        "username",
        "display_name",
        "role",
        "body",
        "section",
        "language",
        "password1",
        "password2",
    ]

    def __init__(self, *args: Any, bodies: Any, sections: Any, **kwargs: Any) -> None:
        super().__init__(*args, bodies=bodies, sections=sections, **kwargs)
        self.fields["role"].choices = NEW_USER_ROLE_CHOICES
        self.order_fields(self.field_order)
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username = (data.get("username") or "").strip()
        if username and User.objects.filter(username__iexact=username).exists():
            self.add_error("username", f"用户名“{username}”已被使用。")
        return data


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("关键字"), required=False)
    role = forms.ChoiceField(
        label=_("角色"), required=False, choices=[("", "全部角色"), *Role.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "用户名 / 姓名"
        bootstrap(self)


class SetActiveForm(forms.Form):
    """The state the administrator asked for, so a stale page or a second click cannot flip it."""

    active = forms.TypedChoiceField(
        choices=[("1", "启用"), ("0", "停用")], coerce=lambda value: value == "1"
    )


class RoleGrantRequestForm(forms.Form):
    role = forms.ChoiceField(label=_("申请授予的角色"), choices=GRANTABLE_ROLE_CHOICES)
    reason = forms.CharField(label=_("申请理由"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class RoleGrantDecisionForm(forms.Form):
    """Approve or refuse; approving needs the box ticked that confirms the check was made."""

    decision = forms.ChoiceField(
        choices=[("approve", "批准"), ("refuse", "驳回")],
        error_messages={"required": "请求缺少审批结论，未作修改。"},
    )
    note = forms.CharField(label=_("审批意见"), max_length=200, required=False)
    confirm = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "approve" and not data.get("confirm"):
            raise forms.ValidationError("请先勾选“已核实”确认后再批准，未作修改。")
        return data
