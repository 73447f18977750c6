from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import PASSWORD


def test_login_logout_and_login_log(world, client) -> None:  # type: ignore[no-untyped-def]
    from axes.models import AccessLog

    response = client.post("/accounts/login/", {"username": "office", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AccessLog.objects.filter(username="office").count() == 1
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302
    assert AccessLog.objects.get(username="office").logout_time is not None


def test_wrong_password_shows_chinese_message(world, client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/accounts/login/", {"username": "office", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_five_failures_lock_the_account_for_ten_minutes(world, client) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        client.post("/accounts/login/", {"username": "office", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "office", "password": PASSWORD})
    assert response.status_code == 429
    assert "账号已被锁定" in response.content.decode()
    assert client.get("/").status_code == 302  # not logged in
    assert timedelta(minutes=10) == settings.AXES_COOLOFF_TIME


def test_failures_on_one_account_do_not_lock_another(world, client) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        client.post("/accounts/login/", {"username": "office", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "legal_office", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("abcdefgh", False),
        ("abcd1234", False),
        ("Wqpl7xmz", True),
        ("wqp!7xmz", True),
        ("Ab1!", False),
    ],
)
def test_password_needs_eight_characters_of_three_kinds(db, password, ok) -> None:  # type: ignore[no-untyped-def]
    try:
        validate_password(password)
    except ValidationError:
        assert not ok
    else:
        assert ok


def test_expired_password_forces_a_change(world, client) -> None:  # type: ignore[no-untyped-def]
    user = world.users["office"]
    user.password_changed_at = timezone.now() - timedelta(days=91)
    user.save()
    client.force_login(user)
    response = client.get("/registry/enterprises/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/"
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Nn@20261128", "new_password2": "Nn@20261128"},
    )
    assert response.status_code == 302
    assert client.get("/registry/enterprises/").status_code == 200
    user.refresh_from_db()
    assert user.check_password("Nn@20261128")


def test_weak_new_password_is_refused_with_a_message(world, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.users["office"])
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "aaaaaaaa", "new_password2": "aaaaaaaa"},
    )
    assert response.status_code == 200
    assert "至少3种" in response.content.decode()
    world.users["office"].refresh_from_db()
    assert world.users["office"].check_password(PASSWORD)


def test_sessions_expire_after_thirty_idle_minutes() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_language_switch_is_kept_per_user(world, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.users["office"])
    client.post("/accounts/language/", {"language": "en", "next": "/"})
    world.users["office"].refresh_from_db()
    assert world.users["office"].language == "en"
    html = client.get("/").content.decode()
    assert "Enterprises" in html
    client.post("/accounts/language/", {"language": "zh-hans", "next": "//evil.example"})
    assert "企业台账" in client.get("/").content.decode()


def test_lockout_messages_follow_the_settings(world, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    html = client.post(
        "/accounts/login/", {"username": "office", "password": "wrong"}
    ).content.decode()
    assert "连续失败3次将锁定账号15分钟" in html
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "office", "password": "wrong"})
    assert "账号已被锁定15分钟" in response.content.decode()
