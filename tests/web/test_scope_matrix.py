"""Role × scope: who sees which enterprise and officer. Out of scope answers 404, never data."""

from __future__ import annotations

import pytest

from anjian.registry.access import visible_enterprises, visible_officers

# user -> enterprises visible (keys of World.enterprises)
EXPECTED_ENTERPRISES = {
    "bureau_head": {"chem", "coal"},
    "office": {"chem", "coal"},
    "legal_office": {"chem", "coal"},
    "enforcement_team": {"chem", "coal"},
    "hr_finance": {"chem", "coal"},
    "discipline": {"chem", "coal"},
    "hazchem": {"chem"},
    "city_office": {"chem", "coal", "city_chem", "other_chem"},
    "other_office": {"other_chem"},
    "enterprise": {"chem"},
    "enterprise2": {"coal"},
    "training_institution": set(),
    "system_admin": set(),
    "security_admin": set(),
    "audit_admin": set(),
}
EXPECTED_OFFICERS = {
    "office": {"county"},
    "hazchem": {"county"},
    "city_office": {"county", "other"},
    "other_office": {"other"},
    "enterprise": set(),
    "system_admin": set(),
    "training_institution": set(),
}


@pytest.mark.parametrize(("username", "expected"), sorted(EXPECTED_ENTERPRISES.items()))
def test_visible_enterprises(world, username, expected) -> None:  # type: ignore[no-untyped-def]
    names = {
        k for k, e in world.enterprises.items() if e in visible_enterprises(world.users[username])
    }
    assert names == expected


@pytest.mark.parametrize(("username", "expected"), sorted(EXPECTED_OFFICERS.items()))
def test_visible_officers(world, username, expected) -> None:  # type: ignore[no-untyped-def]
    names = {k for k, o in world.officers.items() if o in visible_officers(world.users[username])}
    assert names == expected


@pytest.mark.parametrize(("username", "expected"), sorted(EXPECTED_ENTERPRISES.items()))
def test_enterprise_pages_answer_404_out_of_scope(world, login, username, expected) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users[username])
    for key, enterprise in world.enterprises.items():
        response = client.get(f"/registry/enterprises/{enterprise.pk}/")
        if key in expected:
            assert response.status_code == 200, (username, key)
            assert enterprise.name in response.content.decode()
        else:
            assert response.status_code in (403, 404), (username, key)
            assert enterprise.uscc not in response.content.decode()


def test_inactive_user_sees_nothing(world) -> None:  # type: ignore[no-untyped-def]
    user = world.users["office"]
    user.is_active = False
    assert not visible_enterprises(user).exists()


def test_enterprise_user_cannot_edit_even_itself(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["enterprise"])
    response = client.post(
        f"/registry/enterprises/{world.enterprises['chem'].pk}/edit/", {"name": "改名"}
    )
    assert response.status_code == 403
    world.enterprises["chem"].refresh_from_db()
    assert world.enterprises["chem"].name == "文水县宏达化工有限公司"


def test_section_cannot_edit_other_sector(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hazchem"])
    response = client.get(f"/registry/enterprises/{world.enterprises['coal'].pk}/edit/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("enterprise", "/registry/enterprises/", 403),
        ("enterprise", "/registry/officers/", 403),
        ("enterprise", "/audit/", 403),
        ("office", "/audit/", 403),
        ("audit_admin", "/audit/", 200),
        ("discipline", "/audit/", 200),
        ("system_admin", "/registry/enterprises/", 403),
        ("system_admin", "/accounts/users/", 200),
        ("security_admin", "/accounts/login-log/", 200),
        ("office", "/accounts/login-log/", 403),
        ("discipline", "/registry/enterprises/new/", 403),
        ("legal_office", "/registry/enterprises/import/", 403),
        ("office", "/registry/enterprises/import/", 200),
        ("hr_finance", "/registry/officers/import/", 200),
        ("hazchem", "/registry/officers/new/", 403),
    ],
)
def test_capabilities(world, login, username, path, status) -> None:  # type: ignore[no-untyped-def]
    assert login(world.users[username]).get(path).status_code == status


@pytest.mark.parametrize(
    ("username", "visible", "hidden"),
    [
        ("office", ["企业台账", "执法人员"], ["审计日志", "用户列表"]),
        ("enterprise", ["企业信息"], ["企业台账", "执法人员", "审计日志"]),
        ("audit_admin", ["审计日志", "登录日志"], ["企业台账"]),
        ("system_admin", ["用户列表"], ["企业台账", "审计日志"]),
        ("discipline", ["企业台账", "审计日志"], ["企业导入"]),
    ],
)
def test_menu_follows_role(world, login, username, visible, hidden) -> None:  # type: ignore[no-untyped-def]
    html = login(world.users[username]).get("/").content.decode()
    for label in visible:
        assert label in html
    for label in hidden:
        assert f">{label}<" not in html
