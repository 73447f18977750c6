"""The inspection item list beyond the happy path (tests/web/test_item_pages.py has that): every
service refusal writes nothing, publishing stamps and supersedes exactly, the change summary
names codes and fields, scope by body, the public pages, and the Excel files themselves."""

from __future__ import annotations

import io
import os
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook, load_workbook

from anjian.accounts.roles import Role
from anjian.accounts.services import user_create
from anjian.audit.models import AuditEntry
from anjian.policy.item_changes import list_changes
from anjian.policy.item_excel import item_template, items_workbook, read_item_workbook
from anjian.policy.models import InspectionItem, InspectionItemList
from anjian.policy.services.items import (
    item_delete,
    item_list_discard,
    item_list_draft_create,
    item_list_publish,
    item_list_replace,
    item_list_start,
    item_save,
)
from anjian.policy_data.items import STARTER_LABEL, ItemRow, load_starter_items
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

MARCH, SEPTEMBER = date(2025, 3, 1), date(2025, 9, 1)
NEW_ITEM: dict[str, Any] = {
    "code": "WS-NEW-001",
    "name": "新增检查事项",
    "law": "《中华人民共和国安全生产法》",
    "article": "第四十条",
    "body_levels": ["county"],
    "section": "危化股",
    "sectors": ["hazardous_chemicals"],
    "methods": ["on_site", "written"],
    "frequency_note": "",
}


def _legal(world):  # type: ignore[no-untyped-def]
    return world.users["legal_office"]


def _published(world) -> InspectionItemList:  # type: ignore[no-untyped-def]
    draft = item_list_start(actor=_legal(world), body=world.county, today=MARCH)
    return item_list_publish(actor=_legal(world), draft=draft, today=MARCH, change_note="起步")


def _data(item: InspectionItem, **changes: Any) -> dict[str, Any]:
    fields = [*NEW_ITEM]
    return {**{f: getattr(item, f) for f in fields}, **changes}


def _state() -> list[tuple[Any, ...]]:
    """Everything the item list services can write, to prove a refusal wrote nothing."""
    lists = list(InspectionItemList.objects.values_list("pk", "status", "version", "title"))
    items = list(InspectionItem.objects.order_by("pk").values_list())
    return [*lists, *items, ("audit", AuditEntry.objects.count())]


# ---- services ------------------------------------------------------------------------------


def test_start_gives_a_starter_draft_once(world) -> None:  # type: ignore[no-untyped-def]
    draft = item_list_start(actor=_legal(world), body=world.county, today=MARCH)
    assert (draft.version, draft.status, draft.is_starter) == (1, "draft", True)
    assert draft.title == STARTER_LABEL
    assert sorted(draft.items.values_list("code", flat=True)) == sorted(
        row.code for row in load_starter_items()
    )
    assert set(draft.items.values_list("changed_on", flat=True)) == {None}
    before = _state()
    with pytest.raises(ValidationError):
        item_list_start(actor=_legal(world), body=world.county, today=MARCH)
    assert _state() == before


def test_new_draft_needs_a_published_list_and_no_other_draft(world) -> None:  # type: ignore[no-untyped-def]
    legal = _legal(world)
    before = _state()
    with pytest.raises(ValidationError, match="已发布"):
        item_list_draft_create(actor=legal, body=world.county)
    assert _state() == before
    draft = item_list_start(actor=legal, body=world.county, today=MARCH)
    before = _state()
    with pytest.raises(ValidationError, match="已有一份草稿"):
        item_list_draft_create(actor=legal, body=world.county)
    assert _state() == before
    item_list_publish(actor=legal, draft=draft, today=MARCH, change_note="起步")
    second = item_list_draft_create(actor=legal, body=world.county)
    assert (second.version, second.is_starter) == (2, False)
    assert second.items.count() == draft.items.count()
    before = _state()
    with pytest.raises(ValidationError, match="草稿"):
        item_list_draft_create(actor=legal, body=world.county)
    assert _state() == before


def test_a_published_or_superseded_version_is_never_edited(world) -> None:  # type: ignore[no-untyped-def]
    legal = _legal(world)
    first = _published(world)
    item = first.items.first()
    before = _state()
    writes = [
        lambda: item_save(actor=legal, draft=first, data=NEW_ITEM),
        lambda: item_save(actor=legal, draft=first, item=item, data=_data(item, name="改")),
        lambda: item_delete(actor=legal, draft=first, item=item),
        lambda: item_list_replace(actor=legal, draft=first, rows=load_starter_items()[:2]),
        lambda: item_list_publish(actor=legal, draft=first, today=SEPTEMBER, change_note="再发"),
        lambda: item_list_discard(actor=legal, draft=first),
    ]
    for write in writes:
        with pytest.raises(ValidationError, match="只能修改草稿"):
            write()
    assert _state() == before


def test_duplicate_codes_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    legal = _legal(world)
    draft = item_list_start(actor=legal, body=world.county, today=MARCH)
    first, second = draft.items.order_by("code")[:2]
    before = _state()
    with pytest.raises(ValidationError) as refused:
        item_save(actor=legal, draft=draft, data={**NEW_ITEM, "code": first.code})
    assert "已存在" in refused.value.message_dict["code"][0]
    with pytest.raises(ValidationError):
        item_save(actor=legal, draft=draft, item=second, data=_data(second, code=first.code))
    rows = load_starter_items()[:2]
    with pytest.raises(ValidationError, match="重复"):
        item_list_replace(actor=legal, draft=draft, rows=[rows[0], rows[1], rows[0]])
    with pytest.raises(ValidationError):
        item_save(actor=legal, draft=draft, data={**NEW_ITEM, "methods": [], "code": "bad"})
    assert _state() == before


def test_only_the_own_legal_office_writes(world) -> None:  # type: ignore[no-untyped-def]
    draft = item_list_start(actor=_legal(world), body=world.county, today=MARCH)
    other_legal = user_create(
        actor=None,
        username="other_legal",
        password=PASSWORD,
        role=Role.LEGAL_OFFICE,
        display_name="other_legal",
        body=world.other_county,
    )
    before = _state()
    for actor in (world.users["hazchem"], world.users["bureau_head"], other_legal):
        with pytest.raises(PermissionDenied):
            item_save(actor=actor, draft=draft, data=NEW_ITEM)
        with pytest.raises(PermissionDenied):
            item_list_publish(actor=actor, draft=draft, today=MARCH, change_note="越权")
    with pytest.raises(PermissionDenied):
        item_list_start(actor=other_legal, body=world.county, today=MARCH)
    assert _state() == before


def test_publish_needs_a_note_and_an_item(world) -> None:  # type: ignore[no-untyped-def]
    legal = _legal(world)
    draft = item_list_start(actor=legal, body=world.county, today=MARCH)
    before = _state()
    with pytest.raises(ValidationError) as refused:
        item_list_publish(actor=legal, draft=draft, today=MARCH, change_note="  ")
    assert "change_note" in refused.value.message_dict
    assert _state() == before
    for item in list(draft.items.all()):
        item_delete(actor=legal, draft=draft, item=item)
    before = _state()
    with pytest.raises(ValidationError, match="没有任何事项"):
        item_list_publish(actor=legal, draft=draft, today=MARCH, change_note="空清单")
    assert _state() == before


def test_publish_stamps_supersedes_and_audits_the_changes(world) -> None:  # type: ignore[no-untyped-def]
    legal = _legal(world)
    first = _published(world)
    assert set(first.items.values_list("changed_on", flat=True)) == {MARCH}
    draft = item_list_draft_create(actor=legal, body=world.county)
    kept, edited, removed = draft.items.order_by("code")[:3]
    item_save(actor=legal, draft=draft, item=edited, data=_data(edited, article="第九十九条"))
    item_delete(actor=legal, draft=draft, item=removed)
    item_save(actor=legal, draft=draft, data=NEW_ITEM)
    second = item_list_publish(
        actor=legal, draft=draft, today=SEPTEMBER, change_note="按新文件修订"
    )
    first.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "published")
    assert (second.published_on, second.published_by, second.version) == (SEPTEMBER, legal, 2)
    stamps = dict(second.items.values_list("code", "changed_on"))
    assert stamps[kept.code] == MARCH
    assert stamps[edited.code] == SEPTEMBER and stamps[NEW_ITEM["code"]] == SEPTEMBER
    assert removed.code not in stamps
    assert list(stamps.values()).count(SEPTEMBER) == 2
    entry = AuditEntry.objects.filter(action="items.list.publish").order_by("pk").last()
    assert entry.changes["added"] == [NEW_ITEM["code"]]
    assert entry.changes["removed"] == [removed.code]
    assert entry.changes["changed"] == {edited.code: ["条款"]}
    assert entry.changes["superseded_version"] == 1 and entry.changes["note"] == "按新文件修订"


def test_an_unchanged_item_keeps_its_date_across_versions(world) -> None:  # type: ignore[no-untyped-def]
    legal = _legal(world)
    _published(world)
    for day in (SEPTEMBER, date(2026, 1, 5)):
        draft = item_list_draft_create(actor=legal, body=world.county)
        item_list_publish(actor=legal, draft=draft, today=day, change_note="复核无变化")
    current = InspectionItemList.objects.get(status="published")
    assert current.version == 3
    assert set(current.items.values_list("changed_on", flat=True)) == {MARCH}
    assert InspectionItemList.objects.filter(status="superseded").count() == 2


def test_import_replaces_a_starter_draft_with_the_bodys_own(world) -> None:  # type: ignore[no-untyped-def]
    legal = _legal(world)
    draft = item_list_start(actor=legal, body=world.county, today=MARCH)
    rows = load_starter_items()[:3]
    item_list_replace(actor=legal, draft=draft, rows=rows)
    draft.refresh_from_db()
    assert not draft.is_starter and draft.title == "文水县应急管理局涉企行政检查事项清单"
    assert sorted(draft.items.values_list("code", flat=True)) == sorted(r.code for r in rows)
    before = _state()
    with pytest.raises(ValidationError):
        item_list_replace(actor=legal, draft=draft, rows=[])
    assert _state() == before


def test_discard_removes_the_draft_and_leaves_the_list_in_force(world) -> None:  # type: ignore[no-untyped-def]
    legal = _legal(world)
    first = _published(world)
    draft = item_list_draft_create(actor=legal, body=world.county)
    item_list_discard(actor=legal, draft=draft)
    assert list(InspectionItemList.objects.values_list("pk", "status")) == [(first.pk, "published")]
    assert AuditEntry.objects.filter(action="items.draft.discard").count() == 1
    again = item_list_draft_create(actor=legal, body=world.county)
    assert again.version == 2


def test_list_changes_names_codes_and_chinese_fields() -> None:
    a, b, c = load_starter_items()[:3]
    edited = ItemRow(**{**a.__dict__, "methods": ("remote",), "name": "改名"})
    changes = list_changes([a, b], [edited, c])
    assert (changes.added, changes.removed) == ((c.code,), (b.code,))
    assert [(x.code, x.labels) for x in changes.changed] == [(a.code, ("事项名称", "检查方式"))]
    assert changes.summary() == "新增1项，删除1项，修改1项"
    assert list_changes([a], [a]).empty


# ---- pages ---------------------------------------------------------------------------------


def test_a_business_section_cannot_publish_or_discard(world, client, login) -> None:  # type: ignore[no-untyped-def]
    _published(world)
    item_list_draft_create(actor=_legal(world), body=world.county)
    item = InspectionItemList.objects.get(status="draft").items.first()
    before = _state()
    login(world.users["hazchem"])
    for path in (
        "/policy/items/draft/publish/",
        "/policy/items/draft/discard/",
        "/policy/items/draft/new/",
        f"/policy/items/draft/{item.pk}/delete/",
        "/policy/items/draft/add/",
    ):
        assert client.post(path, {"change_note": "越权发布", **NEW_ITEM}).status_code == 403, path
    assert client.get("/policy/items/template.xlsx").status_code == 403
    assert _state() == before


def test_enterprise_users_see_no_staff_page(world, client, login) -> None:  # type: ignore[no-untyped-def]
    _published(world)
    login(world.users["enterprise"])
    for path in (
        "/policy/items/",
        "/policy/items/history/",
        "/policy/items/export.xlsx",
        "/policy/items/draft/",
    ):
        assert client.get(path).status_code == 403, path


def test_staff_see_their_own_bodys_list_only(world, client, login) -> None:  # type: ignore[no-untyped-def]
    county = _published(world)
    login(world.users["other_office"])
    page = client.get("/policy/items/")
    assert page.status_code == 200
    assert county.items.first().name not in page.content.decode()
    assert client.get("/policy/items/export.xlsx").status_code == 404
    login(world.users["hazchem"])
    page = client.get("/policy/items/?sector=coal_mine&q=煤")
    assert page.status_code == 200
    codes = {row.code for row in page.context["items"]}
    assert codes and all("coal_mine" in county.items.get(code=c).sectors for c in codes)
    assert client.get("/policy/items/?sector=fishing&method=flying&q=%00").status_code == 200


def test_draft_items_by_unknown_or_published_id_answer_404(world, client, login) -> None:  # type: ignore[no-untyped-def]
    published = _published(world)
    login(_legal(world))
    item = published.items.first()
    assert client.get(f"/policy/items/draft/{item.pk}/").status_code == 404
    item_list_draft_create(actor=_legal(world), body=world.county)
    assert client.get(f"/policy/items/draft/{item.pk}/").status_code == 404
    assert client.get("/policy/items/draft/999999/").status_code == 404
    assert client.get("/policy/public/items/999999/").status_code == 404


def test_a_staff_user_without_a_body_gets_a_message_not_an_error(world, client, login) -> None:  # type: ignore[no-untyped-def]
    user = world.users["office"]
    type(user).objects.filter(pk=user.pk).update(body=None, section=None)
    user.refresh_from_db()
    login(user)
    client.raise_request_exception = False
    assert client.get("/policy/items/").status_code == 403


def test_the_public_page_shows_items_dates_and_history_without_login(world, client) -> None:  # type: ignore[no-untyped-def]
    legal = _legal(world)
    _published(world)
    draft = item_list_draft_create(actor=legal, body=world.county)
    edited = draft.items.order_by("code").first()
    item_save(actor=legal, draft=draft, item=edited, data=_data(edited, frequency_note="每年一次"))
    item_list_publish(actor=legal, draft=draft, today=SEPTEMBER, change_note="调整频次说明")
    index = client.get("/policy/public/items/").content.decode()
    assert world.county.name in index and world.other_county.name not in index
    page = client.get(f"/policy/public/items/{world.county.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in (edited.name, "每年一次", "2025-09-01", "2025-03-01", "调整频次说明", "第2版"):
        assert text in html, text
    assert f"{edited.law}{edited.article}" in html
    assert client.get(f"/policy/public/items/{world.other_county.pk}/").status_code == 404


def test_the_history_page_lists_versions_and_changes(world, client, login) -> None:  # type: ignore[no-untyped-def]
    legal = _legal(world)
    _published(world)
    draft = item_list_draft_create(actor=legal, body=world.county)
    item_save(actor=legal, draft=draft, data=NEW_ITEM)
    item_list_publish(actor=legal, draft=draft, today=SEPTEMBER, change_note="新增一项")
    login(world.users["hazchem"])
    html = client.get("/policy/items/history/").content.decode()
    for text in ("第1版", "第2版", "新增一项", NEW_ITEM["code"], "已被替代", "现行有效"):
        assert text in html, text


def test_import_errors_list_row_numbers_and_write_nothing(world, client, login) -> None:  # type: ignore[no-untyped-def]
    _published(world)
    login(_legal(world))
    client.post("/policy/items/draft/new/")
    book = Workbook()
    book.active.append(["事项编码", "事项名称", "法律依据", "条款", "实施层级", "实施股室"])
    book.active.append(["WS-X-001", "名称", "《安全生产法》", "第一条", "县级", "危化股"])
    book.active.append(["WS-X-001", "", "《安全生产法》", "第一条", "乡级", "危化股"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "mine.xlsx"
    before = _state()
    response = client.post("/policy/items/draft/import/", {"file": upload})
    assert response.status_code == 200
    assert response.context["file_error"] is None
    assert {e.row for e in response.context["errors"]} == {2, 3}
    assert "第3行" in response.content.decode() and 'data-testid="import-errors"' in (
        response.content.decode()
    )
    assert "token" not in response.context
    assert _state() == before


# ---- Excel files ---------------------------------------------------------------------------


def test_export_is_a_printable_chinese_sheet(world) -> None:  # type: ignore[no-untyped-def]
    published = _published(world)
    book = load_workbook(io.BytesIO(items_workbook(published.items.all(), title="清单")))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    assert headers == [
        "事项编码",
        "事项名称",
        "法律依据",
        "条款",
        "实施层级",
        "实施股室",
        "检查对象",
        "检查方式",
        "频次说明",
        "最近变更日期",
    ]
    assert all(cell.font.bold for cell in sheet[1]) and sheet.freeze_panes == "A2"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.max_row == published.items.count() + 1
    first = published.items.order_by("code").first()
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == first.code)
    assert "、" in row[7] or row[7] in ("现场检查", "书面检查", "非现场检查")


def test_workbooks_accept_labels_or_identifiers_and_report_missing_columns() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name", "law", "article", "body_levels", "section", "sectors", "methods"])
    sheet.append(
        ["WS-A-001", "甲", "《安全生产法》", "", "county", "危化股", "coal_mine", "remote"]
    )
    sheet.append(["WS-A-002", "乙", "《安全生产法》", "", "县级", "煤矿股", "煤矿", "书面检查"])
    data = io.BytesIO()
    book.save(data)
    rows, errors, file_error = read_item_workbook(data.getvalue())
    assert (errors, file_error) == ([], None)
    assert [(r.body_levels, r.sectors) for r in rows] == [(("county",), ("coal_mine",))] * 2
    assert [r.methods for r in rows] == [("remote",), ("written",)]
    bare = Workbook()
    bare.active.append(["备注"])
    data = io.BytesIO()
    bare.save(data)
    assert read_item_workbook(data.getvalue())[2]
    template = load_workbook(io.BytesIO(item_template()))
    assert template.sheetnames[1] == "填写说明"
    assert [c.value for c in template.active[1]][:3] == ["事项编码", "事项名称", "法律依据"]


def test_a_damaged_workbook_is_a_file_error_not_a_crash() -> None:
    good = io.BytesIO()
    Workbook().save(good)
    damaged = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for name in source.namelist():
            body = b"<not xml" if name == "[Content_Types].xml" else source.read(name)
            target.writestr(name, body)
    rows, errors, file_error = read_item_workbook(damaged.getvalue())
    assert (rows, errors) == ([], []) and file_error and "Excel" in file_error
    assert read_item_workbook(b"PK\x03\x04 not really a zip")[2]


def test_row_errors_name_the_column_in_chinese(world, client, login) -> None:  # type: ignore[no-untyped-def]
    _published(world)
    login(_legal(world))
    client.post("/policy/items/draft/new/")
    book = Workbook()
    book.active.append(["事项编码", "事项名称", "法律依据", "实施层级"])
    book.active.append(["WS-X-001", "名称", "《安全生产法》", "乡级"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "levels.xlsx"
    page = client.post("/policy/items/draft/import/", {"file": upload}).content.decode()
    table = page.split('data-testid="import-errors"')[1]
    assert "实施层级" in table and "body_levels" not in table


ROW = ["WS-X-001", "名称", "《安全生产法》", "第一条", "县级", "危化股", "危险化学品", "现场检查"]


def _upload(items: list[list[str]]) -> io.BytesIO:
    book = Workbook()
    book.active.append(
        ["事项编码", "事项名称", "法律依据", "条款", "实施层级", "实施股室", "检查对象", "检查方式"]
    )
    for row in items:
        book.active.append(row)
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "items.xlsx"
    return upload


def test_an_import_token_only_confirms_into_the_draft_it_was_checked_for(
    world, client, login
) -> None:  # type: ignore[no-untyped-def]
    published = _published(world)
    login(_legal(world))
    client.post("/policy/items/draft/new/")
    checked = client.post(
        "/policy/items/draft/import/",
        {"file": _upload([ROW])},
    )
    token = checked.context["token"]
    first = InspectionItemList.objects.get(body=world.county, status="draft")
    item_list_discard(actor=_legal(world), draft=first)
    item_list_draft_create(actor=_legal(world), body=world.county)
    second = InspectionItemList.objects.get(body=world.county, status="draft")
    before = _state()
    response = client.post("/policy/items/draft/import/", {"token": token}, follow=True)
    assert "导入已过期" in response.content.decode()
    assert _state() == before
    assert second.items.count() == published.items.count()


def test_parked_uploads_older_than_a_day_are_swept(world, client, login, settings) -> None:  # type: ignore[no-untyped-def]
    _published(world)
    login(_legal(world))
    client.post("/policy/items/draft/new/")
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    stale = folder / "items-0123456789abcdef.xlsx"
    stale.write_bytes(b"old")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stale, (two_days_ago, two_days_ago))
    client.post(
        "/policy/items/draft/import/",
        {"file": _upload([ROW])},
    )
    assert not stale.exists()


def test_the_text_filter_ignores_case(world, client, login) -> None:  # type: ignore[no-untyped-def]
    published = _published(world)
    login(_legal(world))
    code = published.items.order_by("code").first().code
    lower = client.get("/policy/items/", {"q": code.lower()})
    assert code in [item.code for item in lower.context["items"]]
