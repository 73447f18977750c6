"""Role grants (三员分立): a privileged role, a privileged account's password reset or its
re-enabling is asked for by the system administrator and decided by a security administrator,
never by the requester or the user concerned; nothing changes before approval."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from anjian.accounts.models import RoleGrant, User
from anjian.accounts.role_grants import role_grant_approve, role_grant_refuse, role_grant_request
from anjian.accounts.services import user_create
from anjian.audit.models import AuditEntry
from tests.conftest import PASSWORD

NEW = "Qz7!pLm2w"


def as_user(user: User) -> Client:
    """A client of its own per actor: the `login` fixture shares one client."""
    client = Client()
    client.force_login(user)
    return client


def _decide(client, grant: RoleGrant, decision: str, **extra):  # type: ignore[no-untyped-def]
    return client.post(
        f"/accounts/grants/{grant.pk}/decide/", {"decision": decision, **extra}, follow=True
    )


def test_role_grant_request_and_second_admin_approval(world, client) -> None:  # type: ignore[no-untyped-def]
    target = world.users["office"]
    admin = as_user(world.users["system_admin"])
    assert "申请授予角色" in admin.get(f"/accounts/users/{target.pk}/").content.decode()
    response = admin.post(
        f"/accounts/users/{target.pk}/grant/", {"role": "discipline", "reason": "新任纪检组长"}
    )
    assert response["Location"] == f"/accounts/users/{target.pk}/"
    grant = RoleGrant.objects.get(user=target)
    assert (grant.kind, grant.role, grant.status, grant.requested_by) == (
        "role",
        "discipline",
        "pending",
        world.users["system_admin"],
    )
    target.refresh_from_db()
    assert target.role == "office"  # unchanged until approval
    assert "待审批的授权申请" in admin.get(f"/accounts/users/{target.pk}/").content.decode()
    # the requester may not decide, not even by posting the form
    assert _decide(admin, grant, "approve", confirm="1").status_code == 403
    client.force_login(target)
    assert client.get("/audit/").status_code == 403

    security = as_user(world.users["security_admin"])
    page = security.get("/accounts/grants/").content.decode()
    assert "office" in page and "派驻纪检监察组" in page and "新任纪检组长" in page
    assert f'data-testid="grant-approve-{grant.pk}"' in page
    # approving needs the confirmation box; without it nothing changes
    response = _decide(security, grant, "approve")
    assert "请先勾选" in response.content.decode()
    grant.refresh_from_db()
    assert grant.status == "pending"
    response = _decide(security, grant, "approve", confirm="1", note="已核实任命文件")
    assert "已批准申请" in response.content.decode()
    grant.refresh_from_db()
    target.refresh_from_db()
    assert (grant.status, grant.decided_by, grant.decision_note) == (
        "approved",
        world.users["security_admin"],
        "已核实任命文件",
    )
    assert target.role == "discipline"
    request_entry = AuditEntry.objects.get(action="accounts.role_grant.request")
    assert (request_entry.actor_username, request_entry.target_id) == (
        "system_admin",
        str(target.pk),
    )
    assert request_entry.changes["role"] == {"before": "office", "after": "discipline"}
    approve_entry = AuditEntry.objects.get(action="accounts.role_grant.approve")
    assert approve_entry.actor_username == "security_admin"
    assert approve_entry.changes["role"] == {"before": "office", "after": "discipline"}
    assert approve_entry.changes["requested_by"] == {"before": None, "after": "system_admin"}
    client.force_login(target)
    assert client.get("/audit/").status_code == 200
    # a decided request cannot be decided again
    response = _decide(security, grant, "refuse")
    assert "不能再次审批" in response.content.decode()
    assert RoleGrant.objects.get(pk=grant.pk).status == "approved"


def test_requester_and_target_can_never_approve(world) -> None:  # type: ignore[no-untyped-def]
    security = world.users["security_admin"]
    second = user_create(
        actor=None, username="sec2", password=PASSWORD, role="security_admin", body=world.county
    )
    office = world.users["office"]
    # a request the approver itself filed (made directly: no page lets a security admin ask)
    own = RoleGrant.objects.create(
        user=office, kind="role", role="bureau_head", requested_by=security
    )
    with pytest.raises(ValidationError, match="不能审批自己提交的申请"):
        role_grant_approve(actor=security, grant=own)
    own.delete()
    about_me = RoleGrant.objects.create(
        user=second, kind="activate", requested_by=world.users["system_admin"]
    )
    with pytest.raises(ValidationError, match="不能审批涉及自己账号的申请"):
        role_grant_approve(actor=second, grant=about_me)
    with pytest.raises(ValidationError, match="只有安全管理员"):
        role_grant_approve(actor=world.users["system_admin"], grant=about_me)
    assert RoleGrant.objects.get(pk=about_me.pk).status == "pending"
    assert not AuditEntry.objects.filter(action__startswith="accounts.role_grant.").exists()


def test_new_privileged_account_is_disabled_until_approved(world, client) -> None:  # type: ignore[no-untyped-def]
    admin = as_user(world.users["system_admin"])
    data = {
        "username": "head2",
        "display_name": "副局长",
        "role": "bureau_head",
        "body": world.county.pk,
        "section": "",
        "language": "zh-hans",
        "password1": NEW,
        "password2": NEW,
    }
    response = admin.post("/accounts/users/new/", data, follow=True)
    assert "经安全管理员批准后启用" in response.content.decode()
    user = User.objects.get(username="head2")
    assert (user.role, user.is_active, user.must_change_password) == ("office", False, True)
    grant = RoleGrant.objects.get(user=user)
    assert (grant.role, grant.activate) == ("bureau_head", True)
    # the new account cannot log in, and the administrator cannot enable it before approval
    client.post("/accounts/login/", {"username": "head2", "password": NEW})
    assert "_auth_user_id" not in client.session
    response = admin.post(f"/accounts/users/{user.pk}/active/", {"active": "1"}, follow=True)
    assert "审批前不能启用" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    role_grant_approve(actor=world.users["security_admin"], grant=grant)
    user.refresh_from_db()
    assert (user.role, user.is_active) == ("bureau_head", True)
    response = client.post("/accounts/login/", {"username": "head2", "password": NEW})
    assert response.status_code == 302
    # first login: the password must be changed before anything else
    assert client.get("/enforcement/cases/")["Location"] == "/accounts/password/"


def test_refusal_leaves_the_account_as_it_was(world) -> None:  # type: ignore[no-untyped-def]
    admin = world.users["system_admin"]
    target = world.users["legal_office"]
    grant = role_grant_request(actor=admin, user=target, kind="role", role="bureau_head")
    with pytest.raises(ValidationError, match="已有待审批的授权申请"):
        role_grant_request(actor=admin, user=target, kind="role", role="discipline")
    security = as_user(world.users["security_admin"])
    response = _decide(security, grant, "refuse", note="无任命文件")
    assert "已驳回申请" in response.content.decode()
    grant.refresh_from_db()
    target.refresh_from_db()
    assert (grant.status, target.role) == ("refused", "legal_office")
    entry = AuditEntry.objects.get(action="accounts.role_grant.refuse")
    assert entry.changes["note"] == {"before": None, "after": "无任命文件"}
    assert "role" not in entry.changes
    # after a decision a new request may be filed
    role_grant_request(actor=admin, user=target, kind="role", role="discipline")


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("audit_admin", "只能申请授予局领导或派驻纪检监察组角色"),
        ("system_admin", "只能申请授予局领导或派驻纪检监察组角色"),
        ("office", "只能申请授予局领导或派驻纪检监察组角色"),
    ],
)
def test_only_head_and_discipline_can_be_requested(world, role, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match=message):
        role_grant_request(
            actor=world.users["system_admin"], user=world.users["office"], kind="role", role=role
        )
    assert not RoleGrant.objects.exists()


@pytest.mark.parametrize("target", ["system_admin", "security_admin", "audit_admin", "enterprise"])
def test_no_grant_for_administrators_self_or_external_accounts(world, target) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        role_grant_request(
            actor=world.users["system_admin"],
            user=world.users[target],
            kind="role",
            role="bureau_head",
        )
    assert not RoleGrant.objects.exists()


def test_reset_of_a_privileged_password_needs_approval(world, client) -> None:  # type: ignore[no-untyped-def]
    head = world.users["bureau_head"]
    admin = as_user(world.users["system_admin"])
    response = admin.post(
        f"/accounts/users/{head.pk}/password/", {"password1": NEW, "password2": NEW}, follow=True
    )
    assert "经安全管理员批准后生效" in response.content.decode()
    head.refresh_from_db()
    assert head.check_password(PASSWORD) and not head.must_change_password
    grant = RoleGrant.objects.get(user=head, kind="password")
    assert grant.password_hash and NEW not in grant.password_hash
    role_grant_approve(actor=world.users["security_admin"], grant=grant)
    head.refresh_from_db()
    grant.refresh_from_db()
    assert head.check_password(NEW) and head.must_change_password
    assert grant.password_hash == ""  # the temporary password is not kept
    client.post("/accounts/login/", {"username": "bureau_head", "password": NEW})
    assert client.get("/enforcement/cases/")["Location"] == "/accounts/password/"


def test_refused_reset_keeps_the_password(world) -> None:  # type: ignore[no-untyped-def]
    head = world.users["discipline"]
    grant = role_grant_request(
        actor=world.users["system_admin"], user=head, kind="password", new_password=NEW
    )
    role_grant_refuse(actor=world.users["security_admin"], grant=grant)
    head.refresh_from_db()
    grant.refresh_from_db()
    assert head.check_password(PASSWORD) and grant.password_hash == ""


def test_reenabling_a_privileged_account_needs_approval(world) -> None:  # type: ignore[no-untyped-def]
    head = world.users["bureau_head"]
    admin = as_user(world.users["system_admin"])
    url = f"/accounts/users/{head.pk}/active/"
    admin.post(url, {"active": "0"})  # disabling a privileged account is allowed (audited)
    head.refresh_from_db()
    assert not head.is_active
    response = admin.post(url, {"active": "1"}, follow=True)
    assert "启用“bureau_head”的申请已提交" in response.content.decode()
    head.refresh_from_db()
    assert not head.is_active
    grant = RoleGrant.objects.get(user=head)
    assert grant.kind == "activate"
    role_grant_approve(actor=world.users["security_admin"], grant=grant)
    head.refresh_from_db()
    assert head.is_active


def test_security_admin_of_another_body_cannot_decide(world) -> None:  # type: ignore[no-untyped-def]
    other = user_create(
        actor=None,
        username="other_sec",
        password=PASSWORD,
        role="security_admin",
        body=world.other_county,
    )
    grant = role_grant_request(
        actor=world.users["system_admin"],
        user=world.users["office"],
        kind="role",
        role="discipline",
    )
    client = as_user(other)
    assert (
        client.post(f"/accounts/grants/{grant.pk}/decide/", {"decision": "approve"}).status_code
        == 404
    )
    assert "office" not in client.get("/accounts/grants/").content.decode()
    grant.refresh_from_db()
    assert grant.status == "pending"


@pytest.mark.parametrize("username", ["office", "audit_admin", "discipline", "bureau_head"])
def test_only_administrators_see_the_grant_pages(world, username) -> None:  # type: ignore[no-untyped-def]
    grant = role_grant_request(
        actor=world.users["system_admin"],
        user=world.users["hazchem"],
        kind="role",
        role="discipline",
    )
    client = as_user(world.users[username])
    assert client.get("/accounts/grants/").status_code == 403
    response = client.post(
        f"/accounts/grants/{grant.pk}/decide/", {"decision": "approve", "confirm": "1"}
    )
    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.status == "pending"
