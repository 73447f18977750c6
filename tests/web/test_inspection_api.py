"""The inspection API: the same scope as the pages, check-in with the entry code, records with
photos, the public code check; refusals answer 4xx in Chinese and write nothing."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from anjian.accounts.roles import Role
from anjian.accounts.services import user_create
from anjian.audit.models import AuditEntry
from anjian.inspections.codes import (
    MESSAGES,
    SHORT_TRIES,
    CodeState,
    entry_code,
    printed_short_code,
    qr_png,
    short_code,
)
from anjian.inspections.models import Evidence, Hazard, InspectionTask, ItemResult
from anjian.inspections.services.tasks import request_task
from anjian.inspections.services.visits import check_in
from anjian.policy.models import InspectionItem
from tests.conftest import PASSWORD
from tests.web.inspection_helpers import approved_task, field_team, task_request, today

TASKS = "/api/v1/inspections/tasks"
CHECKIN = "/api/v1/inspections/checkin"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def photo(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, qr_png("photo"), content_type="image/png")


def post_json(client, path, data):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(data), content_type="application/json")


def listed(client, query: str = "") -> set[int]:  # type: ignore[no-untyped-def]
    response = client.get(f"{TASKS}?limit=100{query}")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def checked_in(world, team):  # type: ignore[no-untyped-def]
    return check_in(actor=team.lead, code=entry_code(approved_task(world, team)), today=today())


def test_tasks_follow_the_scope(world, login, client) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    pending = request_task(
        actor=world.users["hazchem"],
        request=task_request(world, team, today() + timedelta(days=2), ground="举报件 JB-9"),
        today=today(),
    )
    coal = user_create(
        actor=None,
        username="coal",
        password=PASSWORD,
        role=Role.BUSINESS_SECTION,
        display_name="煤矿股",
        body=world.county,
        section=world.sections["coal"],
    )
    for path in (TASKS, f"{TASKS}/{task.pk}"):
        assert client.get(path).json() == {
            "detail": "请先登录。",
            "code": "not_authenticated",
            "fields": [],
        }
        assert client.get(path).status_code == 401
    assert post_json(client, CHECKIN, {"code": entry_code(task)}).status_code == 401

    assert listed(login(world.users["hazchem"])) == {task.pk, pending.pk}
    assert listed(client, "&status=pending") == {pending.pk}
    assert listed(client, f"&date={today().isoformat()}") == {task.pk}
    assert listed(client, "&mine=true") == set()  # no officer record
    assert client.get(f"{TASKS}?status=bogus").status_code == 422
    assert listed(login(team.lead), "&mine=true") == {task.pk, pending.pk}
    assert listed(login(coal)) == set()
    assert client.get(f"{TASKS}/{task.pk}").status_code == 404
    assert listed(login(world.users["other_office"])) == set()
    assert listed(login(world.users["enterprise2"])) == set()
    assert listed(login(world.users["enterprise"])) == {task.pk}
    assert client.get(f"{TASKS}/{pending.pk}").status_code == 404
    assert client.get(f"{TASKS}/99999999").json() == {
        "detail": "未找到，或您无权查看。",
        "code": "not_found",
        "fields": [],
    }
    assert login(world.users["training_institution"]).get(TASKS).status_code == 403


def test_task_detail_gives_the_code_to_its_officers_only(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    officer = login(team.lead).get(f"{TASKS}/{task.pk}").json()
    assert officer["enterprise"] == {
        "id": world.enterprises["chem"].pk,
        "name": "文水县宏达化工有限公司",
    }
    assert officer["status"] == {"code": "approved", "label": "已批准"}
    assert [o["name"] for o in officer["officers"]] == ["张检", "李查"]
    assert {i["id"] for i in officer["items"]} == set(task.items.values_list("pk", flat=True))
    assert officer["code"] == entry_code(task)
    assert officer["verify_url"] == "http://testserver" + reverse(
        "inspections:verify", args=[entry_code(task)]
    )
    (notice,) = officer["documents"]
    assert notice["kind"]["code"] == "notice"
    assert notice["download_url"] == reverse("inspections:document", args=[notice["id"]])
    for user in (world.users["hazchem"], world.users["enterprise"]):
        seen = login(user).get(f"{TASKS}/{task.pk}").json()
        assert seen["code"] is None and seen["verify_url"] is None
        assert entry_code(task) not in json.dumps(seen)


def test_check_in_with_the_code_and_check_out(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    code = entry_code(task)
    denied = post_json(login(world.users["hazchem"]), CHECKIN, {"code": code})
    assert denied.status_code == 403
    assert denied.json()["detail"] == "只有本任务的执法人员才能进行此操作。"
    client = login(team.lead)
    forged = post_json(client, CHECKIN, {"code": code[:-2] + "xx", "lat": 37.4, "lng": 112.0})
    assert forged.status_code == 400
    assert forged.json() == {"detail": MESSAGES[CodeState.FORGED], "code": "invalid", "fields": []}
    task.refresh_from_db()
    assert task.status == "approved" and task.checked_in_at is None
    assert not AuditEntry.objects.filter(action="inspection.check_in").exists()

    for position in ('"lat": NaN, "lng": 1', '"lat": 1e400, "lng": 1', '"lat": "北纬"'):
        raw = f'{{"code": "{code}", {position}}}'
        assert client.post(CHECKIN, raw, content_type="application/json").status_code == 422
    body = {"code": code, "lat": 37.43, "lng": 112.03, "accuracy": 15}
    response = post_json(client, CHECKIN, body)
    assert response.status_code == 200, response.content
    assert response.json()["id"] == task.pk
    assert response.json()["status"]["code"] == "in_progress"
    assert response.json()["checked_in_at"] is not None
    task.refresh_from_db()
    assert (str(task.checkin_lat), str(task.checkin_lng)) == ("37.430000", "112.030000")
    assert task.checkin_accuracy == 15 and task.checked_in_by == team.lead

    checkout = f"{TASKS}/{task.pk}/checkout"
    bad = post_json(client, checkout, {"lat": 200, "lng": 0})
    assert bad.status_code == 400
    assert bad.json()["fields"] == [{"field": "position", "message": "定位数据超出范围"}]
    assert post_json(client, checkout, {"lat": 37.43, "lng": 112.03}).status_code == 200
    assert post_json(client, checkout, {}).json()["detail"] == "已经签退"


def test_a_code_for_another_day_is_refused(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team, today() + timedelta(days=1))
    response = post_json(login(team.lead), CHECKIN, {"code": entry_code(task)})
    assert response.status_code == 400
    assert "不是今天，不能签到" in response.json()["detail"]
    task.refresh_from_db()
    assert task.status == "approved" and task.checked_in_at is None


def test_results_only_for_the_tasks_items_and_only_by_its_officers(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = checked_in(world, team)
    path = f"{TASKS}/{task.pk}/results"
    item = task.items.order_by("code").first()
    other = InspectionItem.objects.exclude(pk__in=task.items.all()).first()
    assert other is not None
    body = {"item_id": item.pk, "outcome": "checked", "note": "台账齐全"}
    assert post_json(login(world.users["hazchem"]), path, body).status_code == 403
    assert post_json(login(world.users["enterprise"]), path, body).status_code == 403
    client = login(team.lead)
    outside = post_json(client, path, {**body, "item_id": other.pk})
    assert outside.status_code == 400
    assert "该事项不在本任务的检查事项中" in outside.json()["detail"]
    assert [f["field"] for f in outside.json()["fields"]] == ["item"]
    assert not ItemResult.objects.exists()
    response = post_json(client, path, body)
    assert response.status_code == 200
    assert response.json() == {
        "item_id": item.pk,
        "outcome": {"code": "checked", "label": "已检查，未发现问题"},
        "note": "台账齐全",
    }


def test_finding_with_a_photo_and_bad_uploads_refused(world, login, tmp_path) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = checked_in(world, team)
    path = f"{TASKS}/{task.pk}/findings"
    item = task.items.order_by("code").first()
    client = login(team.lead)
    fields = {"description": "消防通道堵塞", "level": "general", "item_id": str(item.pk)}
    text = SimpleUploadedFile("说明.png", b"just some text, not a picture", "image/png")
    refused = client.post(path, {**fields, "files": [text]})
    assert refused.status_code == 400
    assert [f["field"] for f in refused.json()["fields"]] == ["files"]
    assert "不是允许的类型" in refused.json()["fields"][0]["message"]
    major = client.post(path, {**fields, "level": "major", "files": [photo()]})
    assert major.status_code == 400
    assert {f["field"] for f in major.json()["fields"]} == {"onsite_measure"}
    assert not Hazard.objects.exists() and not Evidence.objects.exists()
    assert not list(tmp_path.rglob("*.*"))

    response = client.post(path, {**fields, "files": [photo()]})
    assert response.status_code == 201, response.content
    hazard = Hazard.objects.get()
    assert response.json() == {
        "id": hazard.pk,
        "item_id": item.pk,
        "description": "消防通道堵塞",
        "level": {"code": "general", "label": "一般隐患"},
        "status": {"code": "open", "label": "待整改"},
        "deadline": None,
        "legal_basis": f"{item.law}{item.article}",
        "legal_flag": False,
    }
    evidence = Evidence.objects.get()
    assert evidence.hazard == hazard and evidence.is_image
    assert (tmp_path / evidence.file.name).read_bytes() == qr_png("photo")
    off_list = client.post(
        path,
        {**fields, "item_id": "", "off_list_reason": "现场另行发现", "legal_basis": "安全生产法"},
    )
    assert off_list.status_code == 201 and off_list.json()["legal_flag"] is True
    detail = client.get(f"{TASKS}/{task.pk}").json()
    assert [f["id"] for f in detail["findings"]] == [hazard.pk, off_list.json()["id"]]
    assert detail["results"] == [
        {"item_id": item.pk, "outcome": {"code": "finding", "label": "发现问题"}, "note": ""}
    ]


def test_verify_needs_no_login(world, client) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    response = client.get(f"/api/v1/inspections/verify/{entry_code(task)}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    answer = response.json()
    assert answer["state"] == "valid" and answer["message"] == MESSAGES[CodeState.VALID]
    inspection = answer["inspection"]
    assert inspection["enterprise"] == "文水县宏达化工有限公司"
    assert inspection["body"] == "文水县应急管理局"
    assert inspection["date"] == today().isoformat()
    assert inspection["officers"] == [
        {"name": "张检", "certificate_no": "1411212000"},
        {"name": "李查", "certificate_no": "1411212001"},
    ]
    assert all(i["law"] and i["article"] for i in inspection["items"])
    forged = client.get(f"/api/v1/inspections/verify/{entry_code(task)[:-2]}xx")
    assert forged.status_code == 404  # as the public page answers it
    assert forged.json() == {
        "state": "forged",
        "message": MESSAGES[CodeState.FORGED],
        "inspection": None,
    }
    InspectionTask.objects.filter(pk=task.pk).update(status="cancelled")
    revoked = client.get(f"/api/v1/inspections/verify/{entry_code(task)}")
    assert revoked.status_code == 410
    assert revoked.json()["state"] == "revoked" and revoked.json()["inspection"] is None


def test_writes_need_the_csrf_token(world) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.lead)
    assert post_json(client, CHECKIN, {"code": entry_code(task)}).status_code == 403
    task.refresh_from_db()
    assert task.checked_in_at is None
    token = "a" * 32
    client.cookies["csrftoken"] = token
    response = client.post(
        CHECKIN,
        json.dumps({"code": entry_code(task)}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200


def test_openapi_lists_the_inspection_paths(world, login) -> None:  # type: ignore[no-untyped-def]
    schema = login(world.users["office"]).get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/inspections/tasks",
        "/api/v1/inspections/tasks/{task_id}",
        "/api/v1/inspections/checkin",
        "/api/v1/inspections/tasks/{task_id}/checkout",
        "/api/v1/inspections/tasks/{task_id}/results",
        "/api/v1/inspections/tasks/{task_id}/findings",
        "/api/v1/inspections/verify/{code}",
    } <= set(schema["paths"])
    verify = schema["paths"]["/api/v1/inspections/verify/{code}"]["get"]
    assert "security" not in verify
    findings = schema["paths"]["/api/v1/inspections/tasks/{task_id}/findings"]["post"]
    assert "multipart/form-data" in findings["requestBody"]["content"]


def _page_and_api(client, code: str) -> tuple[tuple[int, str], tuple[int, str, object]]:  # type: ignore[no-untyped-def]
    page = client.get(f"/inspections/verify/{code}/", follow=True)
    state = re.search(r'data-state="(\w+)"', page.content.decode())
    api = client.get(f"/api/v1/inspections/verify/{code}")
    answer = api.json()
    return (page.status_code, state.group(1) if state else ""), (
        api.status_code,
        answer["state"],
        answer["inspection"],
    )


def test_the_page_and_the_api_give_one_verdict_on_any_code(world, client) -> None:  # type: ignore[no-untyped-def]
    """Forged, unknown, short, expired, pending: the page and the API say the same (state and
    HTTP status, from `codes.verify_code`); a short code of a task that was never approved
    answers exactly as a short code that no task has."""
    cache.clear()
    team = field_team(world)
    task = approved_task(world, team)
    pending = request_task(
        actor=world.users["hazchem"],
        request=task_request(world, team, today() + timedelta(days=3)),
        today=today(),
    )
    nobody = "22222222" if "22222222" not in (short_code(task), short_code(pending)) else "33333333"
    cases = {
        entry_code(task): (200, "valid"),
        entry_code(task)[:-2] + "xx": (404, "forged"),
        "forged-code": (404, "forged"),
        entry_code(pending): (404, "unknown"),
        short_code(task): (200, "valid"),
        printed_short_code(task).lower(): (200, "valid"),
        short_code(pending): (404, "unknown"),
        nobody: (404, "unknown"),
    }
    for code, (status, state) in cases.items():
        page, api = _page_and_api(client, code)
        assert page == (status, state), code
        assert api[:2] == (status, state), code
        assert (api[2] is None) == (state != "valid"), code
    InspectionTask.objects.filter(pk=task.pk).update(date=today() - timedelta(days=1))
    page, api = _page_and_api(client, entry_code(task))
    assert page == (410, "expired") and api[:2] == (410, "expired")
    assert client.get(f"/api/v1/inspections/verify/{nobody}").json() == {
        "state": "unknown",
        "message": MESSAGES[CodeState.UNKNOWN],
        "inspection": None,
    }


def test_unknown_short_codes_count_alike_on_the_page_and_in_the_api(world, client) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    team = field_team(world)
    task = approved_task(world, team)
    wrong = "22222222" if short_code(task) != "22222222" else "33333333"
    for i in range(SHORT_TRIES):
        path = f"/api/v1/inspections/verify/{wrong}" if i % 2 else f"/inspections/verify/{wrong}/"
        assert client.get(path).status_code == 404
    refused = client.get(f"/api/v1/inspections/verify/{short_code(task)}")
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_requests"
    assert "核验码输错次数过多" in refused.json()["detail"]
    assert client.get(f"/inspections/verify/{short_code(task)}/").status_code == 429
    assert client.get(f"/api/v1/inspections/verify/{entry_code(task)}").status_code == 200
