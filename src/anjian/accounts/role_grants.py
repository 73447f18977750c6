"""Role grants (授权申请): what no single administrator may do to an account (三员分立).

The system administrator asks; a security administrator of the same scope (`GRANT_APPROVERS`),
never the requester and never the user concerned, approves or refuses. Until approval the account
is unchanged: it keeps its role, its password, its disabled state. Three things go this way:

- giving a user a role of `GRANTABLE_ROLES` (局领导, 派驻纪检监察组). A new account asked for with
  such a role is created *disabled* with the placeholder role 办公室 (`PLACEHOLDER_ROLE`) and
  cannot log in; approval gives it the role and enables it, refusal leaves it disabled;
- resetting the password of a privileged account (the temporary password is kept hashed in the
  request and applied on approval, with a forced change at next login);
- re-enabling a disabled privileged account.

The three administrators' own accounts are never granted here: `anjian createadmin` on the server.
Every request and decision is an audit entry on the user.
"""

from __future__ import annotations

from typing import NoReturn

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from anjian.accounts.access import body_scope_ids, visible_users
from anjian.accounts.models import EnforcementBody, RoleGrant, Section, User
from anjian.accounts.roles import ADMINISTRATORS, GRANTABLE_ROLES, PRIVILEGED_ROLES, Role
from anjian.accounts.services import (
    EXTERNAL_ROLES,
    has_pending_grant,
    user_create,
)
from anjian.accounts.validation import raise_field_errors, user_profile_errors
from anjian.audit.services import audit_record

PLACEHOLDER_ROLE = Role.OFFICE
Kind = RoleGrant.Kind
Status = RoleGrant.Status


def needs_second_admin(user: User) -> bool:
    """Whether resetting or re-enabling this account goes through a role grant."""
    return user.role in GRANTABLE_ROLES


def _refuse(message: str) -> NoReturn:
    raise ValidationError(message)


def _check_requester(actor: User, user: User) -> None:
    if not actor.can("users.manage"):
        _refuse("只有系统管理员可以提交授权申请。")
    if user.pk == actor.pk:
        _refuse("不能为自己提交授权申请。")
    if user.role in ADMINISTRATORS:
        _refuse("三员分立：管理员账号只能由服务器端命令 anjian createadmin 管理。")
    if user.role not in EXTERNAL_ROLES and user.body_id not in body_scope_ids(actor):
        _refuse("该用户不在您的管辖范围内。")
    if has_pending_grant(user):
        _refuse("该用户已有待审批的授权申请，请等待安全管理员处理。")


def _role_errors(user: User, role: str) -> None:
    if role not in GRANTABLE_ROLES:
        raise ValidationError({"role": ["只能申请授予局领导或派驻纪检监察组角色。"]})
    if user.role in EXTERNAL_ROLES:
        raise ValidationError({"role": ["企业和培训机构账号不能改为其他角色，请停用后另建账号。"]})
    if user.role == role:
        raise ValidationError({"role": [f"该用户已是{Role(role).label}。"]})
    raise_field_errors(user_profile_errors(role=role, body=user.body, section=user.section))


def _record_request(actor: User, grant: RoleGrant, before_role: str | None = None) -> RoleGrant:
    grant.save()
    changes = {
        "role_grant": {"before": None, "after": grant.pk},
        "kind": {"before": None, "after": grant.kind},
    }
    if grant.kind == Kind.ROLE:
        changes["role"] = {"before": before_role, "after": grant.role}
    if grant.reason:
        changes["reason"] = {"before": None, "after": grant.reason}
    audit_record(
        actor=actor, action="accounts.role_grant.request", target=grant.user, changes=changes
    )
    return grant


@transaction.atomic
def role_grant_request(
    *,
    actor: User,
    user: User,
    kind: str,
    role: str = "",
    new_password: str = "",
    reason: str = "",
) -> RoleGrant:
    """Asks a second administrator to give `user` a privileged role, reset its password or
    re-enable it. Nothing on the account changes yet."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    _check_requester(actor, locked)
    grant = RoleGrant(user=locked, kind=kind, requested_by=actor, reason=reason.strip()[:200])
    if kind == Kind.ROLE:
        _role_errors(locked, role)
        grant.role = role
    elif kind == Kind.PASSWORD:
        if locked.role not in PRIVILEGED_ROLES:
            _refuse("该账号不是特权账号，请直接重置密码。")
        validate_password(new_password, locked)
        grant.password_hash = make_password(new_password)
    elif kind == Kind.ACTIVATE:
        if locked.is_active or locked.role not in PRIVILEGED_ROLES:
            _refuse("只有已停用的特权账号需要申请启用。")
    else:
        _refuse(f"未知的申请事项：{kind}")
    return _record_request(actor, grant, before_role=locked.role)


@transaction.atomic
def user_create_for_grant(
    *,
    actor: User,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    body: EnforcementBody | None = None,
    section: Section | None = None,
    language: str = "zh-hans",
    reason: str = "",
) -> tuple[User, RoleGrant]:
    """A new account asked for with a privileged role: created disabled with the placeholder
    role, and a role grant that, once approved, gives the role and enables the account."""
    if not actor.can("users.manage"):
        _refuse("只有系统管理员可以提交授权申请。")
    if role not in GRANTABLE_ROLES:
        raise ValidationError({"role": ["只能申请授予局领导或派驻纪检监察组角色。"]})
    raise_field_errors(user_profile_errors(role=role, body=body, section=section))
    user = user_create(
        actor=actor,
        username=username,
        password=password,
        role=PLACEHOLDER_ROLE,
        display_name=display_name,
        body=body,
        section=section,
        language=language,
        is_active=False,
    )
    grant = RoleGrant(
        user=user, kind=Kind.ROLE, role=role, activate=True, requested_by=actor, reason=reason
    )
    return user, _record_request(actor, grant, before_role=None)


def _locked_pending(actor: User, grant: RoleGrant) -> RoleGrant:
    if not actor.can("grants.decide"):
        _refuse("只有安全管理员可以审批授权申请。")
    locked = RoleGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
    if locked.status != Status.PENDING:
        _refuse(f"该申请已{locked.get_status_display()}，不能再次审批。")
    if actor.pk == locked.requested_by_id:
        _refuse("三员分立：不能审批自己提交的申请。")
    if actor.pk == locked.user_id:
        _refuse("三员分立：不能审批涉及自己账号的申请。")
    if locked.user.body_id not in body_scope_ids(actor):
        _refuse("该用户不在您的管辖范围内。")
    return locked


def _apply(grant: RoleGrant) -> dict[str, dict[str, object]]:
    """Makes the approved change on the account; returns what changed, for the audit entry."""
    user = User.objects.select_for_update().get(pk=grant.user_id)
    changes: dict[str, dict[str, object]] = {}
    if grant.kind == Kind.ROLE:
        raise_field_errors(
            user_profile_errors(role=grant.role, body=user.body, section=user.section)
        )
        changes["role"] = {"before": user.role, "after": grant.role}
        user.role = grant.role
    if grant.kind == Kind.PASSWORD:
        user.password = grant.password_hash
        user.password_changed_at = timezone.now()
        user.must_change_password = True
        changes["password"] = {"before": None, "after": "reset"}
    if (grant.kind == Kind.ACTIVATE or grant.activate) and not user.is_active:
        user.is_active = True
        changes["is_active"] = {"before": False, "after": True}
    user.save()
    return changes


def _decide(actor: User, grant: RoleGrant, status: str, note: str) -> RoleGrant:
    grant.status = status
    grant.decided_by = actor
    grant.decided_at = timezone.now()
    grant.decision_note = note.strip()[:200]
    changes = _apply(grant) if status == Status.APPROVED else {}
    grant.password_hash = ""  # a refused or applied temporary password is not kept
    grant.save()
    changes = {
        "role_grant": {"before": grant.pk, "after": grant.pk},
        "status": {"before": Status.PENDING, "after": status},
        "requested_by": {"before": None, "after": grant.requested_by.username},
        **changes,
    }
    if grant.decision_note:
        changes["note"] = {"before": None, "after": grant.decision_note}
    action = "approve" if status == Status.APPROVED else "refuse"
    audit_record(
        actor=actor, action=f"accounts.role_grant.{action}", target=grant.user, changes=changes
    )
    return grant


@transaction.atomic
def role_grant_approve(*, actor: User, grant: RoleGrant, note: str = "") -> RoleGrant:
    return _decide(actor, _locked_pending(actor, grant), Status.APPROVED, note)


@transaction.atomic
def role_grant_refuse(*, actor: User, grant: RoleGrant, note: str = "") -> RoleGrant:
    return _decide(actor, _locked_pending(actor, grant), Status.REFUSED, note)


def visible_grants(user: User) -> QuerySet[RoleGrant]:
    """The requests about accounts this user sees (system and security administrators)."""
    if not user.can("grants.view"):
        return RoleGrant.objects.none()
    return RoleGrant.objects.filter(user__in=visible_users(user)).select_related(
        "user", "requested_by", "decided_by"
    )


def access_grant(user: User, pk: int) -> RoleGrant:
    try:
        return visible_grants(user).get(pk=pk)
    except RoleGrant.DoesNotExist as exc:
        raise Http404("未找到该授权申请，或您无权查看。") from exc
