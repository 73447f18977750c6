"""Account management by the three separated administrators, and the bootstrap commands."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from anjian.accounts.models import EnforcementBody, User
from anjian.audit.models import AuditEntry
from anjian.registry.models import EnterpriseMembership
from tests.conftest import PASSWORD

NEW_PASSWORD = "Qz7!pLm2w"


def new_user_data(world, **extra) -> dict:  # type: ignore[no-untyped-def,type-arg]
    data = {
        "username": "newbie",
        "display_name": "新人",
        "role": "business_section",
        "body": world.county.pk,
        "section": world.sections["hazchem"].pk,
        "language": "zh-hans",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(extra)
    return data


def test_system_admin_creates_a_user_who_can_log_in(world, login, client) -> None:  # type: ignore[no-untyped-def]
    admin = login(world.users["system_admin"])
    response = admin.post("/accounts/users/new/", new_user_data(world))
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert (user.role, user.body, user.section) == (
        "business_section",
        world.county,
        world.sections["hazchem"],
    )
    entry = AuditEntry.objects.get(action="accounts.user.create", target_id=str(user.pk))
    assert entry.actor_username == "system_admin"
    admin.post("/accounts/logout/")
    assert (
        client.post(
            "/accounts/login/", {"username": "newbie", "password": NEW_PASSWORD}
        ).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"password1": "aaaaaaaa", "password2": "aaaaaaaa"}, "至少3种"),
        ({"password2": "different1!A"}, "两次输入的密码不一致"),
        ({"section": ""}, "业务股室用户必须指定一个业务股室"),
        ({"username": "office"}, "已被使用"),
        ({"role": "office", "section": "other"}, "选择一个有效的选项"),
    ],
)
def test_bad_user_forms_redisplay_and_write_nothing(world, login, extra, message) -> None:  # type: ignore[no-untyped-def]
    if extra.get("section") == "other":
        extra["section"] = world.sections[
            "other_hazchem"
        ].pk  # another body's section is not offered
    before = User.objects.count()
    response = login(world.users["system_admin"]).post(
        "/accounts/users/new/", new_user_data(world, **extra)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == before


@pytest.mark.parametrize("username", ["office", "audit_admin", "security_admin", "discipline"])
def test_only_the_system_admin_manages_users(world, login, username) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users[username])
    target = world.users["legal_office"]
    assert client.post("/accounts/users/new/", new_user_data(world)).status_code == 403
    assert client.post(f"/accounts/users/{target.pk}/active/").status_code == 403
    target.refresh_from_db()
    assert target.is_active
    assert not User.objects.filter(username="newbie").exists()


def test_another_bodys_admin_gets_404(world, login) -> None:  # type: ignore[no-untyped-def]
    from anjian.accounts.services import user_create

    other_admin = user_create(
        actor=None,
        username="other_admin",
        password=PASSWORD,
        role="system_admin",
        body=world.other_county,
    )
    client = login(other_admin)
    target = world.users["legal_office"]
    assert client.get(f"/accounts/users/{target.pk}/").status_code == 404
    assert client.post(f"/accounts/users/{target.pk}/active/").status_code == 404
    target.refresh_from_db()
    assert target.is_active


def test_edit_deactivate_and_self_protection(world, login, client) -> None:  # type: ignore[no-untyped-def]
    admin_user = world.users["system_admin"]
    admin = login(admin_user)
    target = world.users["legal_office"]
    data = {
        "display_name": "法制员",
        "role": "office",
        "body": world.county.pk,
        "section": "",
        "language": "en",
    }
    assert admin.post(f"/accounts/users/{target.pk}/edit/", data).status_code == 302
    target.refresh_from_db()
    assert (target.role, target.display_name, target.language) == ("office", "法制员", "en")
    changes = AuditEntry.objects.get(action="accounts.user.update").changes
    assert changes["role"] == {"before": "legal_office", "after": "office"}
    admin.post(f"/accounts/users/{target.pk}/active/")
    target.refresh_from_db()
    assert not target.is_active
    # an administrator can neither deactivate itself nor change its own role
    admin.post(f"/accounts/users/{admin_user.pk}/active/")
    admin_user.refresh_from_db()
    assert admin_user.is_active
    own = {
        "display_name": "x",
        "role": "office",
        "body": world.county.pk,
        "section": "",
        "language": "zh-hans",
    }
    response = admin.post(f"/accounts/users/{admin_user.pk}/edit/", own)
    assert "不能修改自己的角色" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.role == "system_admin"


def test_reset_password_forces_a_change_at_next_login(world, login, client) -> None:  # type: ignore[no-untyped-def]
    target = world.users["legal_office"]
    login(world.users["system_admin"]).post(
        f"/accounts/users/{target.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    client.post("/accounts/logout/")
    assert (
        client.post(
            "/accounts/login/", {"username": "legal_office", "password": NEW_PASSWORD}
        ).status_code
        == 302
    )
    response = client.get("/registry/enterprises/")
    assert response["Location"] == "/accounts/password/"
    client.post(
        "/accounts/password/",
        {
            "old_password": NEW_PASSWORD,
            "new_password1": "Xy9#abcdEF",
            "new_password2": "Xy9#abcdEF",
        },
    )
    assert client.get("/registry/enterprises/").status_code == 200


def test_security_admin_unlocks_a_locked_account(world, client, login) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        client.post("/accounts/login/", {"username": "office", "password": "wrong"})
    assert (
        client.post("/accounts/login/", {"username": "office", "password": PASSWORD}).status_code
        == 429
    )
    security = login(world.users["security_admin"])
    page = security.get(f"/accounts/users/{world.users['office'].pk}/").content.decode()
    assert "已锁定" in page and "解除锁定" in page
    assert security.post(f"/accounts/users/{world.users['office'].pk}/unlock/").status_code == 302
    assert AuditEntry.objects.filter(action="accounts.user.unlock").count() == 1
    security.post("/accounts/logout/")
    assert (
        client.post("/accounts/login/", {"username": "office", "password": PASSWORD}).status_code
        == 302
    )


def test_office_opens_an_enterprise_account(world, login) -> None:  # type: ignore[no-untyped-def]
    chem = world.enterprises["chem"]
    response = login(world.users["office"]).post(
        f"/registry/enterprises/{chem.pk}/account/",
        {
            "username": "chem2",
            "display_name": "安全员",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="chem2")
    assert user.role == "enterprise" and user.body is None
    assert EnterpriseMembership.objects.get(user=user).enterprise == chem
    # the county's system administrator now sees the enterprise user too
    assert login(world.users["system_admin"]).get(f"/accounts/users/{user.pk}/").status_code == 200


def test_createbody_and_createadmin_commands(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    call_command(
        "createbody",
        "--name",
        "测试县应急管理局",
        "--level",
        "county",
        "--section",
        "危化股:business:hazardous_chemicals",
        "--section",
        "办公室:office",
    )
    body = EnforcementBody.objects.get(name="测试县应急管理局")
    assert sorted(body.sections.values_list("name", flat=True)) == ["办公室", "危化股"]
    secret = tmp_path / "pw"
    secret.write_text(NEW_PASSWORD)
    call_command(
        "createadmin",
        "--username",
        "root1",
        "--body",
        "测试县应急管理局",
        "--password-file",
        str(secret),
    )
    admin = User.objects.get(username="root1")
    assert (admin.role, admin.body) == ("system_admin", body)
    assert admin.check_password(NEW_PASSWORD)
    with pytest.raises(CommandError, match="不存在"):
        call_command(
            "createadmin", "--username", "root2", "--body", "无此局", "--password-file", str(secret)
        )
    secret.write_text("weak")
    with pytest.raises(CommandError):
        call_command(
            "createadmin",
            "--username",
            "root3",
            "--body",
            "测试县应急管理局",
            "--password-file",
            str(secret),
        )
    assert not User.objects.filter(username__in=["root2", "root3"]).exists()
    with pytest.raises(CommandError, match="未知的行业领域"):
        call_command(
            "createbody", "--name", "x", "--level", "county", "--section", "a:business:fishing"
        )
    assert not EnforcementBody.objects.filter(name="x").exists()
