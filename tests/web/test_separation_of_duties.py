"""三员分立: an administrator cannot take over another administrator's account, nor create,
promote to, reset or re-enable a privileged one (head, discipline, the administrators) alone;
and every account an administrator creates changes its password at first login."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from anjian.accounts.models import User
from anjian.accounts.services import user_create, user_reset_password, user_update
from anjian.audit.models import AuditEntry
from tests.conftest import PASSWORD

NEW = "Qz7!pLm2w"


@pytest.mark.parametrize("target", ["security_admin", "audit_admin"])
def test_system_admin_cannot_reset_or_disable_other_administrators(world, login, target) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["system_admin"])
    user = world.users[target]
    before = AuditEntry.objects.count()
    response = client.post(
        f"/accounts/users/{user.pk}/password/", {"password1": NEW, "password2": NEW}
    )
    assert "三员分立" in response.content.decode()
    client.post(f"/accounts/users/{user.pk}/active/", {"active": "0"})
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert user.is_active
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    "role", ["audit_admin", "security_admin", "system_admin", "bureau_head", "discipline"]
)
def test_system_admin_cannot_create_or_promote_administrators(world, login, role) -> None:  # type: ignore[no-untyped-def]
    # Changed with issue 16: the edit form no longer offers privileged roles at all (the form
    # answers "not a valid choice"); the service refuses them with the 三员分立 message.
    client = login(world.users["system_admin"])
    page = client.get("/accounts/users/new/").content.decode()
    for admin_role in ("audit_admin", "security_admin", "system_admin"):
        assert f'value="{admin_role}"' not in page
    target = world.users["office"]
    data = {
        "display_name": "x",
        "role": role,
        "body": world.county.pk,
        "section": "",
        "language": "zh-hans",
    }
    response = client.post(f"/accounts/users/{target.pk}/edit/", data)
    assert "选择一个有效的选项" in response.content.decode()
    with pytest.raises(ValidationError) as caught:
        user_update(actor=world.users["system_admin"], user=target, data={"role": role})
    assert "三员分立" in caught.value.message_dict["role"][0]
    target.refresh_from_db()
    assert target.role == "office"
    assert not AuditEntry.objects.filter(action="accounts.user.update").exists()


@pytest.mark.parametrize(
    "role", ["bureau_head", "discipline", "audit_admin", "security_admin", "system_admin"]
)
def test_system_admin_cannot_create_a_privileged_account_directly(world, role) -> None:  # type: ignore[no-untyped-def]
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        user_create(
            actor=world.users["system_admin"],
            username="mole",
            password=NEW,
            role=role,
            body=world.county,
        )
    assert list(caught.value.message_dict) == ["role"]
    assert "三员分立" in caught.value.message_dict["role"][0]
    assert not User.objects.filter(username="mole").exists()
    assert AuditEntry.objects.count() == before


def test_new_account_form_offers_privileged_roles_only_for_approval(world, login) -> None:  # type: ignore[no-untyped-def]
    page = login(world.users["system_admin"]).get("/accounts/users/new/").content.decode()
    direct, _sep, approval = page.partition("须安全管理员审批")
    assert 'value="office"' in direct and 'value="bureau_head"' not in direct
    assert 'value="bureau_head"' in approval and 'value="discipline"' in approval


def test_head_cannot_be_moved_to_another_body_directly(world) -> None:  # type: ignore[no-untyped-def]
    head = world.users["bureau_head"]
    with pytest.raises(ValidationError) as caught:
        user_update(actor=world.users["system_admin"], user=head, data={"body": world.city})
    assert "三员分立" in caught.value.message_dict["body"][0]
    head.refresh_from_db()
    assert head.body == world.county


def test_demoting_a_privileged_account_is_allowed_and_audited(world) -> None:  # type: ignore[no-untyped-def]
    head = world.users["discipline"]
    user_update(actor=world.users["system_admin"], user=head, data={"role": "office"})
    head.refresh_from_db()
    assert head.role == "office"
    entry = AuditEntry.objects.get(action="accounts.user.update", target_id=str(head.pk))
    assert entry.changes["role"] == {"before": "discipline", "after": "office"}


@pytest.mark.parametrize("target", ["bureau_head", "discipline"])
def test_privileged_passwords_are_not_reset_directly(world, target) -> None:  # type: ignore[no-untyped-def]
    user = world.users[target]
    with pytest.raises(ValidationError, match="三员分立"):
        user_reset_password(actor=world.users["system_admin"], user=user, new_password=NEW)
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.must_change_password


def test_an_administrator_does_not_reset_its_own_password(world) -> None:  # type: ignore[no-untyped-def]
    admin = world.users["system_admin"]
    with pytest.raises(ValidationError, match="修改密码"):
        user_reset_password(actor=admin, user=admin, new_password=NEW)
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)


PAGES = [
    "/",
    "/registry/enterprises/",
    "/audit/",
    "/accounts/users/",
    "/accounts/login-log/",
    "/enforcement/cases/",
    "/api/v1/enterprises",
]


def test_an_account_an_administrator_creates_must_change_its_password(world, login, client) -> None:  # type: ignore[no-untyped-def]
    admin = login(world.users["system_admin"])
    data = {
        "username": "newbie",
        "display_name": "新人",
        "role": "office",
        "body": world.county.pk,
        "section": "",
        "language": "zh-hans",
        "password1": NEW,
        "password2": NEW,
    }
    response = admin.post("/accounts/users/new/", data, follow=True)
    assert "首次登录时须修改密码" in response.content.decode()
    user = User.objects.get(username="newbie")
    assert user.must_change_password
    admin.post("/accounts/logout/")
    assert (
        client.post("/accounts/login/", {"username": "newbie", "password": NEW}).status_code == 302
    )
    for path in PAGES:
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/accounts/password/"), path
    assert client.get("/accounts/password/").status_code == 200
    # the same password again is no change
    same = {"old_password": NEW, "new_password1": NEW, "new_password2": NEW}
    response = client.post("/accounts/password/", same)
    assert "新密码不能与原密码相同" in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password
    changed = {"old_password": NEW, "new_password1": "Xy9#abcdEF", "new_password2": "Xy9#abcdEF"}
    assert client.post("/accounts/password/", changed)["Location"] == "/"
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/registry/enterprises/").status_code == 200
    # logout stays open while the change is pending
    user.must_change_password = True
    user.save()
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_system_loads_do_not_force_a_password_change(world) -> None:  # type: ignore[no-untyped-def]
    # the demo loader and the test world create accounts without an actor
    assert not world.users["office"].must_change_password
    assert not world.users["bureau_head"].must_change_password
