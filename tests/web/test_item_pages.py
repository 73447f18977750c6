"""The inspection item list: starter → draft → publish, revisions, Excel round trip, public page."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from anjian.policy.models import InspectionItem, InspectionItemList
from anjian.policy.services.items import (
    item_list_draft_create,
    item_list_publish,
    item_list_start,
    item_save,
)

pytestmark = pytest.mark.django_db


def _published(world):  # type: ignore[no-untyped-def]
    legal = world.users["legal_office"]
    draft = item_list_start(actor=legal, body=world.county, today=date(2025, 3, 1))
    return item_list_publish(actor=legal, draft=draft, today=date(2025, 3, 1), change_note="起步")


def test_start_publish_and_the_public_page(world, client, login) -> None:
    login(world.users["legal_office"])
    assert client.post("/policy/items/start/").status_code == 302
    draft = InspectionItemList.objects.get(status="draft")
    assert draft.is_starter and draft.items.count() >= 40
    response = client.post("/policy/items/draft/publish/", {"change_note": ""})
    assert response.status_code == 302 and InspectionItemList.objects.get().status == "draft"
    client.post("/policy/items/draft/publish/", {"change_note": "采用起步清单"})
    published = InspectionItemList.objects.get(status="published")
    client.logout()
    page = client.get(f"/policy/public/items/{world.county.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert published.items.first().name in text and "起步清单" in text and "采用起步清单" in text
    assert client.get("/policy/public/items/").status_code == 200
    assert client.get(f"/policy/public/items/{world.city.pk}/").status_code == 404


def test_only_the_legal_office_edits(world, client, login) -> None:
    _published(world)
    login(world.users["hazchem"])
    assert client.get("/policy/items/").status_code == 200
    assert client.post("/policy/items/draft/new/").status_code == 403
    assert client.get("/policy/items/draft/").status_code == 403
    login(world.users["enterprise"])
    assert client.get("/policy/items/").status_code == 403


def test_revision_stamps_only_changed_items(world) -> None:
    first = _published(world)
    legal = world.users["legal_office"]
    draft = item_list_draft_create(actor=legal, body=world.county)
    item = draft.items.order_by("code").first()
    data = {
        f: getattr(item, f)
        for f in (
            "code",
            "name",
            "law",
            "article",
            "body_levels",
            "section",
            "sectors",
            "methods",
            "frequency_note",
        )
    }
    item_save(actor=legal, draft=draft, item=item, data={**data, "methods": ["written"]})
    second = item_list_publish(
        actor=legal, draft=draft, today=date(2025, 9, 1), change_note="改为书面"
    )
    first.refresh_from_db()
    assert first.status == "superseded" and second.status == "published" and second.version == 2
    changed = second.items.get(code=item.code)
    assert changed.changed_on == date(2025, 9, 1) and changed.methods == ["written"]
    others = second.items.exclude(code=item.code)
    assert set(others.values_list("changed_on", flat=True)) == {date(2025, 3, 1)}


def test_excel_round_trip_and_bad_rows(world, client, login, tmp_path) -> None:
    _published(world)
    login(world.users["legal_office"])
    exported = client.get("/policy/items/export.xlsx")
    assert exported.status_code == 200
    client.post("/policy/items/draft/new/")
    draft = InspectionItemList.objects.get(status="draft")
    before = sorted(draft.items.values_list("code", "name", "methods"))
    upload = io.BytesIO(exported.content)
    upload.name = "list.xlsx"
    checked = client.post("/policy/items/draft/import/", {"file": upload})
    assert checked.status_code == 200 and checked.context["token"]
    client.post("/policy/items/draft/import/", {"token": checked.context["token"]})
    assert sorted(draft.items.values_list("code", "name", "methods")) == before

    book = load_workbook(io.BytesIO(exported.content))
    sheet = book.active
    sheet["A3"] = "bad code"
    sheet["H4"] = "飞行检查"
    sheet["A5"] = sheet["A2"].value
    bad = io.BytesIO()
    book.save(bad)
    bad.seek(0)
    bad.name = "bad.xlsx"
    count = InspectionItem.objects.count()
    response = client.post("/policy/items/draft/import/", {"file": bad})
    rows = {e.row for e in response.context["errors"]}
    assert {3, 4, 5} <= rows and "token" not in response.context
    assert InspectionItem.objects.count() == count
    junk = io.BytesIO(b"not a workbook")
    junk.name = "x.xlsx"
    assert client.post("/policy/items/draft/import/", {"file": junk}).context["file_error"]


def test_item_form_refuses_a_duplicate_code(world, client, login) -> None:
    _published(world)
    legal = world.users["legal_office"]
    draft = item_list_draft_create(actor=legal, body=world.county)
    existing = draft.items.first()
    login(legal)
    response = client.post(
        "/policy/items/draft/add/",
        {
            "code": existing.code,
            "name": "新事项",
            "law": "《中华人民共和国安全生产法》",
            "article": "第一条",
            "body_levels": ["county"],
            "section": "危化股",
            "sectors": ["hazardous_chemicals"],
            "methods": ["on_site"],
        },
    )
    assert response.status_code == 200 and "已存在" in response.content.decode()
    assert draft.items.count() == InspectionItemList.objects.get(status="published").items.count()
