"""Walks the URLconf: every page needs a login, malformed parameters never answer 500, and no
template reaches for the internet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import anjian

PUBLIC = {
    "accounts:login",
    "policy:item_public_index",
    "policy:item_public",
    "inspections:verify",
    "inspections:verify_form",
    "api:code_verify",
    "training:exam_take",
    "training:exam_question",
    "training:exam_result",
    "public:disclosure_index",
    "public:disclosure_body",
    "public:disclosure_decisions",
    "public:disclosure_decision",
    "public:disclosure_report",
}


def _patterns(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> list[tuple[str, str]]:
    found = []
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = f"{namespace}{item.namespace}:" if item.namespace else namespace
            found += _patterns(item, prefix + str(item.pattern), ns)
        elif isinstance(item, URLPattern) and item.name:
            found.append((namespace + item.name, prefix + str(item.pattern)))
    return found


def _concrete(pattern: str, pk: int) -> str:
    return "/" + re.sub(r"<int:\w+>", str(pk), pattern)


def test_every_page_requires_login(world, client) -> None:  # type: ignore[no-untyped-def]
    for name, pattern in _patterns(get_resolver()):
        if name in PUBLIC:
            continue
        response = client.get(_concrete(pattern, world.enterprises["chem"].pk))
        if name.startswith("api:") and name not in ("api:openapi-json", "api:openapi-view"):
            assert response.status_code in (401, 404, 405), name  # JSON 401, not a redirect
            continue
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), name


@pytest.mark.parametrize(
    "path",
    [
        "/registry/enterprises/?page=abc",
        "/registry/enterprises/?page=99999",
        "/registry/enterprises/?sort=nonexistent",
        "/registry/enterprises/?sector=fishing",
        "/registry/enterprises/?classification=grade:x",
        "/registry/enterprises/?classification=bogus",
        "/registry/enterprises/?is_contact_point=maybe",
        "/registry/enterprises/?q=%00%ff",
        "/registry/officers/?page=-1",
        "/registry/enterprises/999999/",
        "/audit/?start=2025-13-45&end=x&page=z",
        "/accounts/login-log/?page=x",
        "/accounts/login-log/?username=%00a",
        "/audit/?actor=%00&action=a%00b",
        "/accounts/users/?q=%00&role=nope",
    ],
)
def test_malformed_parameters_never_answer_500(world, client, path) -> None:  # type: ignore[no-untyped-def]
    client.raise_request_exception = False
    for username in ("office", "audit_admin", "security_admin"):
        client.force_login(world.users[username])
        assert client.get(path).status_code < 500, (username, path)


def test_no_template_references_an_external_url() -> None:
    root = Path(anjian.__file__).parent
    external = re.compile(r"""(src|href)\s*=\s*["'](https?:)?//""", re.IGNORECASE)
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*.html")
        if external.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_rendered_home_page_loads_nothing_from_outside(world, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.users["office"])
    html = client.get("/").content.decode()
    assert "<svg" in html  # the pygal chart is inline
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)


def test_error_pages_are_friendly_and_chinese(world, client, settings) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.users["office"])
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
