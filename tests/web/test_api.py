"""The JSON API answers with the same data scope as the pages."""

from __future__ import annotations

import json
import re

import jsonschema_rs
import pytest
from django.test import Client

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
        assert response.json() == {
            "detail": "请先登录。",
            "code": "not_authenticated",
            "fields": [],
        }


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


# --- the schema says what the API answers (issue 16, defect 9) --------------------------------

ERROR_STATUSES = {"400", "401", "403", "404", "413", "422", "429"}


def served_schema(client) -> dict:  # type: ignore[no-untyped-def,type-arg]
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def operations(schema: dict):  # type: ignore[no-untyped-def,type-arg]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_the_schema_declares_the_session_as_a_security_scheme_not_a_parameter(world, login) -> None:  # type: ignore[no-untyped-def]
    from anjian.api.main import api

    schema = served_schema(login(world.users["office"]))
    built = api.get_openapi_schema(path_prefix="/api/v1/")  # what the schemathesis test loads
    assert schema == json.loads(json.dumps(built, default=str))
    assert schema["components"]["securitySchemes"] == {
        "SessionAuth": {"type": "apiKey", "in": "cookie", "name": "sessionid"}
    }
    for name, operation in operations(schema):
        cookies = [p for p in operation.get("parameters", []) if p["in"] == "cookie"]
        assert not cookies, name  # neither sessionid nor csrftoken is a parameter
        headers = [p for p in operation.get("parameters", []) if p["in"] == "header"]
        assert not [p for p in headers if p.get("required")], name


def test_every_operation_documents_its_refusals_with_the_one_error_schema(world, login) -> None:  # type: ignore[no-untyped-def]
    schema = served_schema(login(world.users["office"]))
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    seen = set()
    for name, operation in operations(schema):
        responses = operation["responses"]
        if operation.get("parameters") or operation.get("requestBody"):
            assert "422" in responses, name
        if "security" in operation:
            assert "401" in responses, name
        if operation.get("requestBody"):  # writes: the service's refusal, CSRF, size
            assert {"400", "403", "413"} <= set(responses), name
        path_ids = [p for p in operation.get("parameters", []) if p["name"].endswith("_id")]
        if any(p["in"] == "path" for p in path_ids):
            assert "404" in responses, name
        for status in set(responses) & ERROR_STATUSES:
            if name == "GET /api/v1/inspections/verify/{code}" and status == "404":
                continue  # a forged code: the verdict, as on the public page
            body = responses[status]["content"]["application/json"]["schema"]
            assert body == error_ref, (name, status)
            seen.add(status)
    assert seen == ERROR_STATUSES
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["detail", "code", "fields"]


def documented(schema: dict, method: str, path: str, status: int):  # type: ignore[no-untyped-def,type-arg]
    """A validator of the body the schema documents for this answer."""
    operation = schema["paths"][path][method]
    assert str(status) in operation["responses"], f"{method} {path} answers {status}"
    body = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    return jsonschema_rs.validator_for({**body, "components": schema["components"]})


E = "/api/v1/enterprises"
T = "/api/v1/inspections/tasks"
CHECKIN = "/api/v1/inspections/checkin"
FORM = "code=x"  # a form where JSON is expected
HUGE = "9" * 30
# (address, body to POST or None to GET, status, code): malformed ids, huge page numbers,
# negative limits, wrong content types, NUL and lone surrogates, unknown ids
REFUSALS = [
    (f"{E}?limit=abc", None, 422, "validation_failed"),
    (f"{E}?limit=-5", None, 422, "validation_failed"),
    (f"{E}?limit=100000", None, 422, "validation_failed"),
    (f"{E}?offset={HUGE}", None, 422, "validation_failed"),
    (f"{E}?q=%00", None, 422, "validation_failed"),
    (f"{E}/abc", None, 422, "validation_failed"),
    (f"{E}/0", None, 422, "validation_failed"),
    (f"{E}/{HUGE}", None, 422, "validation_failed"),
    (f"{E}/99999999", None, 404, "not_found"),
    ("/api/v1/officers/99999999", None, 404, "not_found"),
    (f"{T}?date=2026-13-45", None, 422, "validation_failed"),
    (f"{T}?status=bogus", None, 422, "validation_failed"),
    (f"{T}/-1", None, 422, "validation_failed"),
    (f"{T}/12345678", None, 404, "not_found"),
    (CHECKIN, "{bad json", 400, "bad_request"),
    (CHECKIN, FORM, 400, "bad_request"),
    (CHECKIN, "[1, 2]", 422, "validation_failed"),
    (CHECKIN, '{"lat": 1}', 422, "validation_failed"),
    (CHECKIN, '{"code": "\\u0000"}', 422, "validation_failed"),
    (CHECKIN, '{"code": "\\ud800"}', 422, "validation_failed"),
    (CHECKIN, '{"code": "forged"}', 400, "invalid"),
    (f"{T}/12345678/results", '{"item_id": 1, "outcome": "checked"}', 404, "not_found"),
    (f"{T}/1/results", '{"item_id": "x", "outcome": 5}', 422, "validation_failed"),
]


def template_of(schema: dict, url: str) -> str:  # type: ignore[type-arg]
    path = url.split("?")[0]
    for template in schema["paths"]:
        if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", template), path):
            return str(template)
    raise AssertionError(path)


@pytest.mark.parametrize(("url", "body", "status", "code"), REFUSALS)
def test_refusals_are_4xx_in_chinese_and_fit_the_documented_schema(  # type: ignore[no-untyped-def]
    world, login, url, body, status, code
) -> None:
    from anjian.inspections.models import InspectionTask

    client = login(world.users["hazchem"])
    client.raise_request_exception = False
    before = InspectionTask.objects.count()
    if body is None:
        sep = "&" if "?" in url else "?"
        response = client.get(f"{url}{sep}unknown=x")  # an unknown parameter is ignored
    else:
        kind = "application/x-www-form-urlencoded" if body == FORM else "application/json"
        response = client.post(url, body, content_type=kind)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    answer = response.json()
    schema = served_schema(client)
    method = "get" if body is None else "post"
    documented(schema, method, template_of(schema, url), status).validate(answer)
    assert answer["code"] == code
    assert re.search(r"[\u4e00-\u9fff]", answer["detail"]), answer
    assert InspectionTask.objects.count() == before


def test_refusals_without_session_csrf_or_room_fit_the_documented_schema(
    world, login, settings
) -> None:  # type: ignore[no-untyped-def]
    schema = served_schema(login(world.users["office"]))
    anonymous = Client()
    answer = anonymous.get("/api/v1/inspections/tasks")
    assert answer.status_code == 401
    documented(schema, "get", "/api/v1/inspections/tasks", 401).validate(answer.json())
    assert answer.json() == {"detail": "请先登录。", "code": "not_authenticated", "fields": []}

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["hazchem"])
    refused = strict.post(
        "/api/v1/inspections/checkin", '{"code": "x"}', content_type="application/json"
    )
    assert refused.status_code == 403
    documented(schema, "post", "/api/v1/inspections/checkin", 403).validate(refused.json())
    assert refused.json()["code"] == "csrf_failed" and "CSRF" in refused.json()["detail"]

    training = login(world.users["training_institution"])
    forbidden = training.get("/api/v1/inspections/tasks")
    assert forbidden.status_code == 403
    documented(schema, "get", "/api/v1/inspections/tasks", 403).validate(forbidden.json())
    assert forbidden.json()["code"] == "forbidden"

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = login(world.users["hazchem"])
    big = client.post(
        "/api/v1/inspections/checkin",
        json.dumps({"code": "x" * 5000}),
        content_type="application/json",
    )
    assert big.status_code == 413
    documented(schema, "post", "/api/v1/inspections/checkin", 413).validate(big.json())
    assert big.json()["code"] == "too_large" and "请求体过大" in big.json()["detail"]


def test_a_list_shapes_only_the_page_asked_for(world, login) -> None:  # type: ignore[no-untyped-def]
    """The database pages the list (LIMIT/OFFSET and COUNT): the page's queries and the rows
    read do not depend on how many enterprises the scope holds (issue 17)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anjian.registry.models import Enterprise
    from tests.conftest import make_uscc

    client = login(world.users["office"])

    def page() -> tuple[dict[str, object], list[str]]:
        with CaptureQueriesContext(connection) as queries:
            answer = client.get("/api/v1/enterprises?limit=2&offset=1")
        assert answer.status_code == 200
        return json.loads(answer.content), [q["sql"] for q in queries]

    before, sql_before = page()
    template = world.enterprises["chem"]
    Enterprise.objects.bulk_create(
        Enterprise(
            name=f"批量企业{i:03d}",
            uscc=make_uscc(5000 + i),
            sector=template.sector,
            supervising_body=world.county,
            town="凤城镇",
            status="operating",
        )
        for i in range(120)
    )
    after, sql_after = page()
    assert before["count"] == 2 and after["count"] == 122
    assert len(after["items"]) == 2 and len(sql_after) == len(sql_before)
    assert any("LIMIT 2" in sql and "OFFSET 1" in sql for sql in sql_after)
