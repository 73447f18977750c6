"""The server-side commands that set up a deployment: createbody and createadmin."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from anjian.accounts.models import EnforcementBody, User
from anjian.audit.models import AuditEntry

NEW_PASSWORD = "Qz7!pLm2w"


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


def test_createadmin_asks_for_the_password_twice(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answers = iter([NEW_PASSWORD, NEW_PASSWORD, NEW_PASSWORD, "Other#pass9"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    args = ["--body", "文水县应急管理局", "--role", "security_admin", "--name", "张安"]
    call_command("createadmin", "--username", "sec1", *args)
    user = User.objects.get(username="sec1")
    assert (user.role, user.body, user.display_name) == ("security_admin", world.county, "张安")
    assert user.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="accounts.user.create", target_id=str(user.pk))
    assert entry.actor_username == "system"
    with pytest.raises(CommandError, match="两次输入的密码不一致"):
        call_command("createadmin", "--username", "sec2", *args)
    assert not User.objects.filter(username="sec2").exists()


@pytest.mark.parametrize("role", ["bureau_head", "discipline", "audit_admin"])
def test_createadmin_makes_privileged_accounts_on_the_server(world, tmp_path, role) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "pw"
    secret.write_text(NEW_PASSWORD)
    args = ["--body", "文水县应急管理局", "--role", role, "--password-file", str(secret)]
    call_command("createadmin", "--username", "head1", "--name", "李局长", *args)
    user = User.objects.get(username="head1")
    assert (user.role, user.body, user.is_active) == (role, world.county, True)
    # an operator-typed initial password is changed at first login
    assert user.must_change_password
    entry = AuditEntry.objects.get(action="accounts.user.create", target_id=str(user.pk))
    assert entry.actor_username == "system"
    assert entry.changes["via"] == {"before": None, "after": "anjian createadmin"}
    assert entry.changes["role"] == {"before": None, "after": role}


def test_createadmin_can_skip_the_forced_change_for_the_operator(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "pw"
    secret.write_text(NEW_PASSWORD)
    call_command(
        "createadmin",
        "--username",
        "root9",
        "--body",
        "文水县应急管理局",
        "--password-file",
        str(secret),
        "--no-password-change",
    )
    assert not User.objects.get(username="root9").must_change_password


def test_createadmin_refuses_unprivileged_roles(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "pw"
    secret.write_text(NEW_PASSWORD)
    with pytest.raises(CommandError, match="invalid choice"):
        call_command(
            "createadmin",
            "--username",
            "x9",
            "--body",
            "文水县应急管理局",
            "--role",
            "office",
            "--password-file",
            str(secret),
        )
    assert not User.objects.filter(username="x9").exists()
