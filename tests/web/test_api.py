"""The JSON API answers with the same data scope as the pages."""

from __future__ import annotations

import json
import re

import pytest

from tests.web.test_scope_matrix import EXPECTED_ENTERPRISES, EXPECTED_OFFICERS


def ids(world, keys, kind="enterprises") -> set[int]:  # type: ignore[no-untyped-def]
    return {getattr(world, kind)[k].pk for k in keys}


@pytest.mark.parametrize(("username", "expected"), sorted(EXPECTED_ENTERPRISES.items()))
def test_enterprise_list_and_detail_follow_the_scope(world, login, username, expected) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users[username])
    response = client.get("/api/v1/enterprises?limit=200")
    if not expected and username not in ("enterprise", "enterprise2"):
        assert response.status_code == 403
        assert "无权" in response.json()["detail"]
        return
    assert response.status_code == 200
    assert {item["id"] for item in response.json()["items"]} == ids(world, expected)
    for key, enterprise in world.enterprises.items():
        detail = client.get(f"/api/v1/enterprises/{enterprise.pk}")
        if key in expected:
            assert detail.json()["uscc"] == enterprise.uscc
        else:
            assert detail.status_code == 404
            assert enterprise.uscc not in detail.content.decode()


@pytest.mark.parametrize(("username", "expected"), sorted(EXPECTED_OFFICERS.items()))
def test_officers_follow_the_scope_and_are_masked(world, login, username, expected) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users[username])
    response = client.get("/api/v1/officers")
    if not expected:
        assert response.status_code == 403
        return
    body = response.content.decode()
    assert {item["id"] for item in response.json()["items"]} == ids(world, expected, "officers")
    assert "11010519491231002X" not in body
    if "county" in expected:
        assert "1101**********002X" in body
    other = world.officers["other"]
    assert client.get(f"/api/v1/officers/{other.pk}").status_code == (
        200 if "other" in expected else 404
    )


def test_anonymous_gets_401(world, client) -> None:  # type: ignore[no-untyped-def]
    for path in (
        "/api/v1/me",
        "/api/v1/enterprises",
        f"/api/v1/enterprises/{world.enterprises['chem'].pk}",
        "/api/v1/officers",
        f"/api/v1/officers/{world.officers['county'].pk}",
    ):
        response = client.get(path)
        assert response.status_code == 401
        assert response.json() == {"detail": "请先登录。"}


def test_me_and_keyword_search(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["hazchem"])
    me = client.get("/api/v1/me").json()
    assert me["role"] == {"code": "business_section", "label": "业务股室"}
    assert me["section"] == "危化股"
    items = client.get("/api/v1/enterprises?q=wsxhd").json()["items"]
    assert [i["name"] for i in items] == ["文水县宏达化工有限公司"]
    assert items[0]["sector"] == {"code": "hazardous_chemicals", "label": "危险化学品"}
    assert items[0]["classification"] == "标准化二级"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/enterprises?limit=abc",
        "/api/v1/enterprises?offset=-5",
        "/api/v1/enterprises?limit=100000",
        "/api/v1/enterprises/abc",
        "/api/v1/enterprises/99999999",
        "/api/v1/officers?limit=0",
        "/api/v1/enterprises?sector=fishing&q=%00",
    ],
)
def test_malformed_parameters_are_4xx_never_500(world, login, path) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    client.raise_request_exception = False
    assert client.get(path).status_code < 500


def test_openapi_schema_and_local_docs_page(world, login, client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/docs").status_code == 302  # login first
    client = login(world.users["office"])
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    assert {"/api/v1/enterprises", "/api/v1/officers", "/api/v1/me"} <= set(schema["paths"])
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger" in html.lower()
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
