"""Writes to accounts. Each takes the acting user and records an audit entry."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import EnforcementBody, Section, User
from anjian.accounts.roles import ADMINISTRATORS, PRIVILEGED_ROLES, Role
from anjian.accounts.validation import raise_field_errors, user_profile_errors
from anjian.audit.services import audit_record, diff, snapshot
from anjian.domain.registry import FieldError

USER_FIELDS = [
    "display_name",
    "role",
    "body",
    "section",
    "language",
    "is_active",
    "must_change_password",
]
LANGUAGES = [code for code, _label in User._meta.get_field("language").choices or []]
# Accounts tied to an outside organisation (an enterprise's membership, later a training
# institution): their role never changes in place, since the link that defines them would dangle.
EXTERNAL_ROLES = frozenset({Role.ENTERPRISE, Role.TRAINING_INSTITUTION})


def _check_username(username: str) -> None:
    if not username or not username.strip():
        raise ValidationError({"username": ["用户名不能为空。"]})
    if User.objects.filter(username__iexact=username.strip()).exists():
        raise ValidationError({"username": [f"用户名“{username}”已被使用。"]})


def _scope_errors(actor: User | None, body: EnforcementBody | None) -> list[FieldError]:
    """An acting user may only place accounts in bodies it manages (None: system loads)."""
    if actor is None or body is None or body.pk in body_scope_ids(actor):
        return []
    return [FieldError("body", "OUT_OF_SCOPE", f"{body}不在您的管辖范围内")]


def _language_errors(language: str) -> list[FieldError]:
    if language in LANGUAGES:
        return []
    return [FieldError("language", "UNKNOWN_LANGUAGE", f"不支持的界面语言：{language}")]


def _role_change_errors(actor: User, user: User, before_role: str) -> list[FieldError]:
    if user.role == before_role:
        return []
    if user.pk == actor.pk:
        return [FieldError("role", "SELF", "不能修改自己的角色。")]
    if user.role in EXTERNAL_ROLES or before_role in EXTERNAL_ROLES:
        return [
            FieldError("role", "EXTERNAL", "企业和培训机构账号不能改为其他角色，请停用后另建账号。")
        ]
    return []


def _separation_errors(actor: User | None, user: User | None, roles: set[str]) -> list[FieldError]:
    """三员分立: an administrator never creates, edits, resets or (de)activates another
    administrator's account, or it could log in as the one meant to check it. The three are
    created with `anjian createadmin` by whoever runs the server."""
    if actor is None or actor.role not in ADMINISTRATORS:
        return []
    if user is not None and user.pk == actor.pk:
        return []
    if roles & set(ADMINISTRATORS):
        return [
            FieldError(
                "role",
                "SEPARATION",
                "三员分立：管理员账号只能由服务器端命令 anjian createadmin 管理。",
            )
        ]
    return []


PRIVILEGED_MESSAGE = (
    "三员分立：局领导、派驻纪检监察组等角色须由安全管理员审批授予（授权申请），"
    "管理员账号只能由服务器端命令 anjian createadmin 创建。"
)


def _privilege_errors(
    actor: User | None, user: User, before_role: str | None, before_body_id: int | None
) -> list[FieldError]:
    """三员分立: nobody in the pages gives a privileged role (`roles.PRIVILEGED_ROLES`) directly,
    nor moves a privileged account to another body; a role grant approved by a second
    administrator does the first, `anjian createadmin` on the server both (actor None)."""
    if actor is None or user.role not in PRIVILEGED_ROLES:
        return []
    if user.role != before_role:
        return [FieldError("role", "PRIVILEGED", PRIVILEGED_MESSAGE)]
    if user.body_id != before_body_id:
        return [
            FieldError(
                "body",
                "PRIVILEGED",
                "三员分立：局领导、派驻纪检监察组和管理员账号的执法主体不能由管理员直接修改。",
            )
        ]
    return []


def has_pending_grant(user: User) -> bool:
    return user.role_grants.filter(status="pending").exists()


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    body: EnforcementBody | None = None,
    section: Section | None = None,
    language: str = "zh-hans",
    validate: bool = True,
    must_change_password: bool | None = None,
    is_active: bool = True,
    via: str = "",
) -> User:
    """Creates an account. One made by someone in the pages (`actor` given) must change its
    password at first login, since someone else chose it; `must_change_password` overrides that
    (None: whenever there is an actor). System loads (actor None: the demo, the tests, the server
    commands) may give any role; `via` names the command in the audit entry."""
    _check_username(username)
    user = User(
        username=username.strip(),
        role=role,
        display_name=display_name,
        body=body,
        section=section,
        language=language,
        is_active=is_active,
    )
    raise_field_errors(
        user_profile_errors(role=role, body=body, section=section)
        + (_separation_errors(actor, None, {role}) or _privilege_errors(actor, user, None, None))
        + _scope_errors(actor, body)
        + _language_errors(language)
    )
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = (
        actor is not None if must_change_password is None else bool(must_change_password)
    )
    user.save()
    changes = diff({}, snapshot(user, USER_FIELDS))
    if via:
        changes["via"] = {"before": None, "after": via}
    audit_record(actor=actor, action="accounts.user.create", target=user, changes=changes)
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, data: dict[str, Any]) -> User:
    """Changes name, role, body, section or language (keys absent from `data` stay as they are).
    Nobody changes their own role; enterprise and training-institution accounts keep theirs; the
    body must lie within the actor's scope; a privileged role is given only by a role grant."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(locked, USER_FIELDS)
    for field in ("display_name", "role", "body", "section", "language"):
        if field in data:
            setattr(locked, field, data[field])
    raise_field_errors(
        _role_change_errors(actor, locked, before["role"])
        + (
            _separation_errors(actor, locked, {before["role"], locked.role})
            or _privilege_errors(actor, locked, before["role"], before["body"])
        )
        + user_profile_errors(role=locked.role, body=locked.body, section=locked.section)
        + _scope_errors(actor, locked.body)
        + _language_errors(locked.language)
    )
    locked.save()
    changes = diff(before, snapshot(locked, USER_FIELDS))
    if changes:
        audit_record(actor=actor, action="accounts.user.update", target=locked, changes=changes)
    return locked


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> None:
    """Disables or re-enables an account. Re-enabling a privileged account, or one waiting for a
    role grant, needs a second administrator (`role_grants.role_grant_request`)."""
    if user.pk == actor.pk and not active:
        raise ValidationError("不能停用自己的账号。")
    raise_field_errors(_separation_errors(actor, user, {user.role}))
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active == active:
        return
    if active and locked.role in PRIVILEGED_ROLES:
        raise ValidationError("三员分立：启用局领导、派驻纪检监察组账号须经安全管理员审批。")
    if active and has_pending_grant(locked):
        raise ValidationError("该账号有待审批的授权申请，审批前不能启用。")
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="accounts.user.activate" if active else "accounts.user.deactivate",
        target=locked,
        changes={"is_active": {"before": not active, "after": active}},
    )


@transaction.atomic
def user_reset_password(*, actor: User, user: User, new_password: str) -> None:
    """An administrator sets a temporary password; the user must change it at next login. A
    privileged account's password is reset only through a role grant (second administrator)."""
    if user.pk == actor.pk:
        raise ValidationError("请在“修改密码”页修改自己的密码。")
    raise_field_errors(_separation_errors(actor, user, {user.role}))
    if user.role in PRIVILEGED_ROLES:
        raise ValidationError("三员分立：重置局领导、派驻纪检监察组账号的密码须经安全管理员审批。")
    validate_password(new_password, user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.set_password(new_password)
    locked.password_changed_at = timezone.now()
    locked.must_change_password = True
    locked.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit_record(actor=actor, action="accounts.user.reset_password", target=locked)


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """Clears the failed-login lock on this account (django-axes); returns attempts removed."""
    removed = axes_reset(username=user.username)
    audit_record(
        actor=actor,
        action="accounts.user.unlock",
        target=user,
        changes={"failed_attempts_cleared": {"before": None, "after": removed}},
    )
    return removed


@transaction.atomic
def user_change_password(*, actor: User, user: User, new_password: str) -> None:
    """The user's own change; clears `must_change_password`. The new password must differ from
    the one an administrator set, or the forced change would change nothing."""
    if user.check_password(new_password):
        raise ValidationError({"new_password1": ["新密码不能与原密码相同。"]})
    validate_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit_record(actor=actor, action="accounts.user.change_password", target=user)


@transaction.atomic
def user_set_language(*, actor: User, language: str) -> None:
    before = actor.language
    actor.language = language
    actor.save(update_fields=["language"])
    audit_record(
        actor=actor,
        action="accounts.user.set_language",
        target=actor,
        changes={"language": {"before": before, "after": language}},
    )


BODY_FIELDS = ["name", "short_name", "level", "division_code", "parent"]
SECTION_FIELDS = ["body", "name", "kind", "sectors"]


@transaction.atomic
def body_create(
    *,
    actor: User | None,
    name: str,
    level: str,
    parent: EnforcementBody | None = None,
    short_name: str = "",
    division_code: str = "",
) -> EnforcementBody:
    body = EnforcementBody(
        name=name, short_name=short_name, level=level, division_code=division_code, parent=parent
    )
    body.full_clean()
    body.save()
    audit_record(
        actor=actor,
        action="accounts.body.create",
        target=body,
        changes=diff({}, snapshot(body, BODY_FIELDS)),
    )
    return body


BODY_SETTINGS_FIELDS = [
    "number_prefix",
    "phone",
    "address",
    "payment_bank",
    "payment_account_name",
    "payment_account_no",
    "payment_note",
]
"""What a body's documents print; the office keeps them current."""


@transaction.atomic
def body_settings_update(
    *, actor: User | None, body: EnforcementBody, values: dict[str, str]
) -> EnforcementBody:
    """Change the document settings of a body (number prefix, phone, address, payment account).
    Unknown keys are refused; values are stripped; the change is audited."""
    unknown = sorted(set(values) - set(BODY_SETTINGS_FIELDS))
    if unknown:
        raise ValidationError({key: ["不是执法主体的文书设置项"] for key in unknown})
    body = EnforcementBody.objects.select_for_update().get(pk=body.pk)
    before = snapshot(body, BODY_SETTINGS_FIELDS)
    for key, value in values.items():
        setattr(body, key, str(value).strip())
    body.full_clean()
    body.save(update_fields=list(values))
    audit_record(
        actor=actor,
        action="accounts.body.settings",
        target=body,
        changes=diff(before, snapshot(body, BODY_SETTINGS_FIELDS)),
    )
    return body


@transaction.atomic
def section_create(
    *, actor: User | None, body: EnforcementBody, name: str, kind: str, sectors: list[str]
) -> Section:
    section = Section(body=body, name=name, kind=kind, sectors=list(sectors))
    section.full_clean()
    section.save()
    audit_record(
        actor=actor,
        action="accounts.section.create",
        target=section,
        changes=diff({}, snapshot(section, SECTION_FIELDS)),
    )
    return section
