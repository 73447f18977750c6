"""Account management by the three separated administrators, and the bootstrap commands."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from anjian.accounts.models import User
from anjian.accounts.services import user_create, user_update
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
    response = admin.post("/accounts/users/new/", new_user_data(world, language="en"))
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert response["Location"] == f"/accounts/users/{user.pk}/"
    assert (user.role, user.body, user.section, user.language) == (
        "business_section",
        world.county,
        world.sections["hazchem"],
        "en",
    )
    entry = AuditEntry.objects.get(action="accounts.user.create", target_id=str(user.pk))
    assert entry.actor_username == "system_admin"
    assert entry.changes == {
        "body": {"before": None, "after": world.county.pk},
        "display_name": {"before": None, "after": "新人"},
        "is_active": {"before": None, "after": True},
        "language": {"before": None, "after": "en"},
        "must_change_password": {"before": None, "after": True},
        "role": {"before": None, "after": "business_section"},
        "section": {"before": None, "after": world.sections["hazchem"].pk},
    }
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
    assert client.post(f"/accounts/users/{target.pk}/active/", {"active": "0"}).status_code == 403
    target.refresh_from_db()
    assert target.is_active
    assert not User.objects.filter(username="newbie").exists()


def test_another_bodys_admin_gets_404(world, login) -> None:  # type: ignore[no-untyped-def]
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
    assert client.post(f"/accounts/users/{target.pk}/active/", {"active": "0"}).status_code == 404
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
    admin.post(f"/accounts/users/{target.pk}/active/", {"active": "0"})
    target.refresh_from_db()
    assert not target.is_active
    # an administrator can neither deactivate itself nor change its own role
    response = admin.post(f"/accounts/users/{admin_user.pk}/active/", {"active": "0"}, follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert not AuditEntry.objects.filter(
        action="accounts.user.deactivate", target_id=str(admin_user.pk)
    ).exists()
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
    assert (admin_user.role, admin_user.display_name) == ("system_admin", "system_admin")


def test_reset_password_forces_a_change_at_next_login(world, login, client) -> None:  # type: ignore[no-untyped-def]
    target = world.users["legal_office"]
    response = login(world.users["system_admin"]).post(
        f"/accounts/users/{target.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response["Location"] == f"/accounts/users/{target.pk}/"
    target.refresh_from_db()
    assert target.must_change_password and target.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="accounts.user.reset_password")
    assert (entry.actor_username, entry.target_id) == ("system_admin", str(target.pk))
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
    target.refresh_from_db()
    assert not target.must_change_password


def test_security_admin_unlocks_a_locked_account(world, client, login) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        client.post("/accounts/login/", {"username": "office", "password": "wrong"})
    assert (
        client.post("/accounts/login/", {"username": "office", "password": PASSWORD}).status_code
        == 429
    )
    office = world.users["office"]
    # the audit administrator may not unlock, and its refusal writes nothing
    assert (
        login(world.users["audit_admin"]).post(f"/accounts/users/{office.pk}/unlock/").status_code
        == 403
    )
    assert not AuditEntry.objects.filter(action="accounts.user.unlock").exists()
    security = login(world.users["security_admin"])
    page = security.get(f"/accounts/users/{office.pk}/").content.decode()
    assert "已锁定" in page and "解除锁定" in page
    listing = security.get("/accounts/users/").content.decode()
    assert listing.count("text-bg-danger") == 1
    assert re.findall(r'action="/accounts/users/(\d+)/unlock/"', listing) == [str(office.pk)]
    assert security.post(f"/accounts/users/{office.pk}/unlock/").status_code == 302
    entry = AuditEntry.objects.get(action="accounts.user.unlock")
    assert (entry.actor_username, entry.target_id) == ("security_admin", str(office.pk))
    assert entry.changes == {"failed_attempts_cleared": {"before": None, "after": 1}}
    assert "text-bg-danger" not in security.get("/accounts/users/").content.decode()
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


def listed_usernames(html: str) -> list[str]:
    return re.findall(r'href="/accounts/users/\d+/">([^<]+)</a>', html)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=office", ["legal_office", "office"]),  # city_office and other_office are out of scope
        ("?role=audit_admin", ["audit_admin"]),
        ("?q=admin&role=security_admin", ["security_admin"]),
        ("?q=ENTERPRISE", ["enterprise", "enterprise2"]),
        ("?q=nobody", []),
    ],
)
def test_user_list_searches_name_and_filters_role(world, login, query, expected) -> None:  # type: ignore[no-untyped-def]
    html = login(world.users["system_admin"]).get(f"/accounts/users/{query}").content.decode()
    assert sorted(listed_usernames(html)) == expected


EDIT = {"display_name": "x", "role": "office", "body": "", "section": "", "language": "en"}
RESET = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}


@pytest.mark.parametrize(
    ("actor", "action", "data", "status"),
    [
        ("office", "edit", EDIT, 403),
        ("security_admin", "edit", EDIT, 403),
        ("security_admin", "password", RESET, 403),
        ("audit_admin", "password", RESET, 403),
        ("audit_admin", "unlock", {}, 403),
        ("office", "unlock", {}, 403),
        ("other_admin", "edit", EDIT, 404),
        ("other_admin", "password", RESET, 404),
        ("other_admin", "unlock", {}, 404),
    ],
)
def test_denied_writes_change_nothing(world, login, actor, action, data, status) -> None:  # type: ignore[no-untyped-def]
    if actor == "other_admin":
        user = user_create(
            actor=None,
            username=actor,
            password=PASSWORD,
            role="system_admin",
            body=world.other_county,
        )
    else:
        user = world.users[actor]
    target = world.users["legal_office"]
    entries = AuditEntry.objects.count()
    data = {**data, "body": world.county.pk} if action == "edit" else data
    response = login(user).post(f"/accounts/users/{target.pk}/{action}/", data)
    assert response.status_code == status
    assert AuditEntry.objects.count() == entries
    target.refresh_from_db()
    assert (target.role, target.display_name, target.language) == (
        "legal_office",
        "legal_office",
        "zh-hans",
    )
    assert target.check_password(PASSWORD) and not target.must_change_password


def test_a_weak_reset_password_is_refused(world, login) -> None:  # type: ignore[no-untyped-def]
    target = world.users["legal_office"]
    response = login(world.users["system_admin"]).post(
        f"/accounts/users/{target.pk}/password/", {"password1": "aaaaaaaa", "password2": "aaaaaaaa"}
    )
    assert response.status_code == 200
    assert "至少3种" in response.content.decode()
    target.refresh_from_db()
    assert target.check_password(PASSWORD) and not target.must_change_password
    assert not AuditEntry.objects.filter(action="accounts.user.reset_password").exists()


def test_deactivation_is_explicit_idempotent_and_blocks_login(world, client) -> None:  # type: ignore[no-untyped-def]
    admin = Client()
    admin.force_login(world.users["system_admin"])
    target = world.users["legal_office"]
    url = f"/accounts/users/{target.pk}/active/"
    # a stale page or a double click asks for the same state twice: one change, one entry
    assert admin.post(url, {"active": "0"}).status_code == 302
    assert admin.post(url, {"active": "0"}).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    actions = ["accounts.user.activate", "accounts.user.deactivate"]
    entries = AuditEntry.objects.filter(action__in=actions, target_id=str(target.pk))
    assert [(e.action, e.changes) for e in entries] == [
        ("accounts.user.deactivate", {"is_active": {"before": True, "after": False}})
    ]
    credentials = {"username": "legal_office", "password": PASSWORD}
    assert client.post("/accounts/login/", credentials).status_code == 200
    assert "_auth_user_id" not in client.session
    # a request without the wanted state changes nothing
    response = admin.post(url, follow=True)
    assert "未作修改" in response.content.decode()
    target.refresh_from_db()
    assert not target.is_active
    admin.post(url, {"active": "1"})
    target.refresh_from_db()
    assert target.is_active
    assert client.post("/accounts/login/", credentials).status_code == 302


def test_an_enterprise_account_edits_only_name_and_language(world, login) -> None:  # type: ignore[no-untyped-def]
    account = world.users["enterprise"]
    admin = login(world.users["system_admin"])
    url = f"/accounts/users/{account.pk}/edit/"
    assert 'name="role"' not in admin.get(url).content.decode()
    data = {
        "display_name": "宏达安全员",
        "language": "en",
        "role": "office",
        "body": world.county.pk,
    }
    assert admin.post(url, data).status_code == 302
    account.refresh_from_db()
    assert (account.display_name, account.language, account.role, account.body) == (
        "宏达安全员",
        "en",
        "enterprise",
        None,
    )
    assert AuditEntry.objects.get(action="accounts.user.update").changes == {
        "display_name": {"before": "enterprise", "after": "宏达安全员"},
        "language": {"before": "zh-hans", "after": "en"},
    }


def test_services_refuse_foreign_bodies_and_external_role_changes(world) -> None:  # type: ignore[no-untyped-def]
    admin = world.users["system_admin"]
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        user_update(
            actor=admin, user=world.users["legal_office"], data={"body": world.other_county}
        )
    assert caught.value.message_dict == {"body": ["交城县应急管理局不在您的管辖范围内"]}
    with pytest.raises(ValidationError) as caught:
        user_create(
            actor=admin,
            username="x1",
            password=NEW_PASSWORD,
            role="office",
            body=world.other_county,
        )
    assert caught.value.message_dict == {"body": ["交城县应急管理局不在您的管辖范围内"]}
    external = ["企业和培训机构账号不能改为其他角色，请停用后另建账号。"]
    with pytest.raises(ValidationError) as caught:
        user_update(
            actor=admin,
            user=world.users["enterprise"],
            data={"role": "office", "body": world.county},
        )
    assert caught.value.message_dict == {"role": external}
    with pytest.raises(ValidationError) as caught:
        user_update(
            actor=admin, user=world.users["office"], data={"role": "enterprise", "body": None}
        )
    assert caught.value.message_dict == {"role": external}
    assert AuditEntry.objects.count() == entries
    assert not User.objects.filter(username="x1").exists()
    assert User.objects.get(username="legal_office").body == world.county
    assert User.objects.get(username="enterprise").role == "enterprise"
