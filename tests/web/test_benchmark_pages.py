"""The discretion library: benchmark Excel import (every refusal names its row and writes
nothing), export → import round trip, withdrawal rules, list import, the statute page, access."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from anjian.audit.models import AuditEntry
from anjian.domain.discretion.benchmark import benchmark_from_dict
from anjian.enforcement.models import BenchmarkVersion, ListVersion
from anjian.enforcement.services.discretion import load_shipped
from anjian.enforcement.services.library import benchmark_withdraw
from anjian.enforcement.spreadsheets import COLUMNS, parse_bound, parse_yuan
from anjian.policy_data.discretion import shipped_statute

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shipped(db: None) -> None:
    """The starter versions (a transactional test elsewhere may have flushed the migration's)."""
    load_shipped()


HEADER = {
    "key": "mem-2024-90",
    "version": "2024-11-01 原件版",
    "name": "应急管理行政处罚裁量权基准",
    "issuer": "应急管理部",
    "document": "应急〔2024〕90号",
    "family": "mem",
    "sectors": ["hazardous_chemicals", "industry_trade"],
    "effective_from": "2025-06-01",
    "note": "法制办按原件录入",
}
ENTRY_26 = {
    "条目序号": "26",
    "违法行为": "特种作业人员未经专门的安全作业培训并取得相应资格，上岗作业",
    "法律法规": "《中华人民共和国安全生产法》",
    "条": "第九十七条",
    "项": "7",
    "来源": "应急〔2024〕90号第(26)项",
}


def _row(**cells: Any) -> dict[str, Any]:
    return {**ENTRY_26, **cells}


GOOD_ROWS = [
    _row(
        阶次="A",
        适用条件="涉及1人次",
        分档事实="处数",
        **{"下限(含)": 1, "上限(含)": 1, "单位罚款上限": "3万", "逾期单位罚款下限": "10万元"},
        逾期单位罚款上限=130000,
    ),
    _row(
        阶次="B",
        适用条件="涉及2人次以上",
        分档事实="count",
        **{"下限(含)": 2, "单位罚款下限": "3万", "单位罚款上限": "10万"},
        逾期单位罚款下限="13万",
        逾期单位罚款上限="20万",
        逾期个人罚款下限="2万",
        逾期个人罚款上限="5万",
        备注="示例",
    ),
]


def _workbook(rows: list[dict[str, Any]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    headers = [header for header, _ in COLUMNS]
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "benchmark.xlsx"
    return buffer


def _upload(client, rows=None, content=None, **header):  # type: ignore[no-untyped-def]
    upload = _workbook(rows or GOOD_ROWS) if content is None else content
    return client.post("/enforcement/benchmarks/import/", {**HEADER, **header, "file": upload})


def _errors(response) -> list[tuple[int | None, str, str]]:  # type: ignore[no-untyped-def]
    return [(e.row, e.column, e.message) for e in response.context["check"].errors]


def test_amount_and_bound_cells() -> None:
    assert [parse_yuan(v) for v in (30000, 30000.0, "30000", "3万", "3万元", "1.5万", "")] == [
        30000,
        30000,
        30000,
        30000,
        30000,
        15000,
        None,
    ]
    for bad in ("三万", "3千", "-1", "0.5", "3万美元"):
        with pytest.raises(ValueError):
            parse_yuan(bad)
    assert parse_bound("10%", "share") == pytest.approx(0.1)
    assert parse_bound("7000万", "investment") == 70_000_000
    with pytest.raises(ValueError):
        parse_bound("10", "share")


def test_a_valid_import_is_previewed_then_saved(world, client, login) -> None:
    login(world.users["legal_office"])
    before = BenchmarkVersion.objects.count()
    checked = _upload(client)
    assert checked.status_code == 200 and checked.context["check"].ok, _errors(checked)
    assert BenchmarkVersion.objects.count() == before
    assert "涉及2人次以上" in checked.content.decode()
    done = client.post("/enforcement/benchmarks/import/", {"token": checked.context["token"]})
    row = BenchmarkVersion.objects.get(key="mem-2024-90", version="2024-11-01 原件版")
    assert done.status_code == 302 and done["Location"] == f"/enforcement/benchmarks/{row.pk}/"
    assert (row.origin, row.entry_count, row.tier_count) == ("imported", 1, 2)
    assert row.created_by == world.users["legal_office"] and row.sectors == HEADER["sectors"]
    tier_b = row.data["entry"][0]["tier"][1]
    assert tier_b == {
        "code": "B",
        "condition": "涉及2人次以上",
        "note": "示例",
        "rule": {"fact": "count", "min": 2.0},
        "unit": [30000, 100000],
        "unit_overdue": [130000, 200000],
        "person_overdue": [20000, 50000],
    }
    assert row.data["entry"][0]["article"] == "97" and row.data["entry"][0]["law"] == "安全生产法"
    assert AuditEntry.objects.filter(action="benchmark.create", target_id=str(row.pk)).exists()
    page = client.get(f"/enforcement/benchmarks/{row.pk}/").content.decode()
    assert "法制办导入" in page and "10万元以上20万元以下" in page and "法定：10万元以下" in page
    # the token is spent: a second confirmation writes nothing
    again = client.post("/enforcement/benchmarks/import/", {"token": checked.context["token"]})
    assert again.status_code == 302 and BenchmarkVersion.objects.count() == before + 1


REFUSALS = [
    pytest.param(
        [_row(阶次="A", 单位罚款上限="15万")], 2, "超出法定幅度", id="tier-outside-statute"
    ),
    pytest.param(
        [
            _row(阶次="A", 分档事实="处数", **{"下限(含)": 1, "上限(含)": 2}, 单位罚款上限="3万"),
            _row(阶次="B", 分档事实="处数", **{"下限(含)": 2}, 单位罚款上限="5万"),
        ],
        2,
        "重叠",
        id="overlapping-tiers",
    ),
    pytest.param(
        [{**_row(阶次="A", 单位罚款上限="3万"), "条": "150"}],
        2,
        "没有 安全生产法第150条",
        id="unknown-article",
    ),
    pytest.param([_row(阶次="A", 单位罚款上限="三万")], 2, "不是金额", id="bad-amount"),
    pytest.param(
        [
            _row(阶次="A", 单位罚款上限="3万"),
            _row(阶次="B", 单位罚款上限="3万", 逾期个人罚款下限="2万"),
        ],
        3,
        "只填了下限",
        id="half-range",
    ),
]


@pytest.mark.parametrize(("rows", "row", "words"), REFUSALS)
def test_refusals_name_the_row_and_write_nothing(world, client, login, rows, row, words) -> None:
    login(world.users["legal_office"])
    before = BenchmarkVersion.objects.count()
    response = _upload(client, rows)
    errors = _errors(response)
    assert any(r == row and words in message for r, _, message in errors), errors
    assert "token" not in response.context and BenchmarkVersion.objects.count() == before
    assert f"第{row}行" in response.content.decode()


def test_every_error_is_listed_at_once(world, client, login) -> None:
    login(world.users["legal_office"])
    rows = [
        _row(阶次="A", 单位罚款上限="三万"),
        {**_row(阶次="A", 单位罚款上限="3万"), "条目序号": "27", "条": "150"},
        {**_row(阶次="A", 单位罚款上限="15万"), "条目序号": "28", "项": "4"},
    ]
    rows_named = {row for row, _, _ in _errors(_upload(client, rows))}
    assert rows_named == {2, 3, 4}
    assert {column for _, column, _ in _errors(_upload(client, rows))} >= {"单位罚款上限"}


def test_a_duplicate_version_is_refused(world, client, login) -> None:
    login(world.users["legal_office"])
    shipped = BenchmarkVersion.objects.get(key="mem-2024-90")
    before = BenchmarkVersion.objects.count()
    response = _upload(client, version=shipped.version)
    assert any("已存在" in message for _, _, message in _errors(response))
    assert "token" not in response.context and BenchmarkVersion.objects.count() == before


def test_a_file_that_is_not_a_workbook(world, client, login) -> None:
    login(world.users["legal_office"])
    junk = io.BytesIO(b"not a workbook")
    junk.name = "x.xlsx"
    assert _upload(client, content=junk).context["check"].file_error


def test_template_has_the_90_entry_and_imports_cleanly(world, client, login) -> None:
    login(world.users["legal_office"])
    response = client.get("/enforcement/benchmarks/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["裁量阶次", "填写说明"]
    sheet = book["裁量阶次"]
    assert [c.value for c in sheet[1]] == [h for h, _ in COLUMNS]
    assert sheet["A2"].value == "26" and sheet.max_row == 2
    upload = io.BytesIO(response.content)
    upload.name = "template.xlsx"
    checked = _upload(client, content=upload)
    assert checked.context["check"].ok, _errors(checked)


def test_export_then_import_round_trips(world, client, login) -> None:
    login(world.users["legal_office"])
    shipped = BenchmarkVersion.objects.get(key="mem-2024-90")
    exported = client.get(f"/enforcement/benchmarks/{shipped.pk}/export.xlsx")
    assert exported.status_code == 200
    assert load_workbook(io.BytesIO(exported.content)).sheetnames == [
        "裁量阶次",
        "基准信息",
        "填写说明",
    ]
    upload = io.BytesIO(exported.content)
    upload.name = "export.xlsx"
    checked = _upload(client, content=upload, version="往返", sectors=shipped.sectors)
    assert checked.context["check"].ok, _errors(checked)
    client.post("/enforcement/benchmarks/import/", {"token": checked.context["token"]})
    copy = BenchmarkVersion.objects.get(key="mem-2024-90", version="往返")
    statute = shipped_statute()
    original = benchmark_from_dict(shipped.data, statute)
    again = benchmark_from_dict(copy.data, statute)
    assert again.entries == original.entries and copy.tier_count == shipped.tier_count


def _import_mem(client, version: str, effective_from: str) -> BenchmarkVersion:  # type: ignore[no-untyped-def]
    checked = _upload(client, version=version, effective_from=effective_from)
    client.post("/enforcement/benchmarks/import/", {"token": checked.context["token"]})
    return BenchmarkVersion.objects.get(key="mem-2024-90", version=version)


def test_withdrawal_rules(world, client, login) -> None:
    login(world.users["legal_office"])
    today = timezone.localdate()
    shipped = BenchmarkVersion.objects.get(key="mem-2024-90")
    url = f"/enforcement/benchmarks/{shipped.pk}/withdraw/"
    refused = client.post(url, {"reason": "以原件替换"}, follow=True)
    assert "唯一现行" in refused.content.decode()
    shipped.refresh_from_db()
    assert shipped.withdrawn_at is None
    # a version that takes effect later does not make the shipped one replaceable today
    later = _import_mem(client, "后续版", f"{today.year + 1}-01-01")
    client.post(url, {"reason": "以原件替换"})
    shipped.refresh_from_db()
    assert shipped.withdrawn_at is None
    assert client.get("/enforcement/benchmarks/").context["current"][0][2] == shipped
    current = _import_mem(client, "原件版", "2025-06-01")
    listing = client.get("/enforcement/benchmarks/")
    assert dict((f, v) for f, _, v in listing.context["current"])["mem"] == current
    client.post(url, {"reason": ""})
    shipped.refresh_from_db()
    assert shipped.withdrawn_at is None
    client.post(url, {"reason": "以90号原件替换起步版"})
    shipped.refresh_from_db()
    assert shipped.withdrawn_at is not None
    entry = AuditEntry.objects.get(action="benchmark.withdraw", target_id=str(shipped.pk))
    assert entry.changes["reason"] == "以90号原件替换起步版"
    page = client.get(f"/enforcement/benchmarks/{shipped.pk}/").content.decode()
    assert "以90号原件替换起步版" in page and "已撤回" in page
    # now `current` is the only one in force today; the future one may still go
    refused = client.post(f"/enforcement/benchmarks/{current.pk}/withdraw/", {"reason": "x"})
    current.refresh_from_db()
    assert refused.status_code == 302 and current.withdrawn_at is None
    with pytest.raises(PermissionDenied):
        benchmark_withdraw(actor=world.users["hazchem"], version=later, reason="x", today=today)
    benchmark_withdraw(
        actor=world.users["legal_office"], version=later, reason="文号有误", today=today
    )
    later.refresh_from_db()
    assert later.withdrawn_at is not None


def test_access(world, client, login) -> None:
    shipped = BenchmarkVersion.objects.get(key="mem-2024-90")
    listed = ListVersion.objects.first()
    login(world.users["hazchem"])
    for url in (
        "/enforcement/benchmarks/",
        f"/enforcement/benchmarks/{shipped.pk}/",
        f"/enforcement/benchmarks/{shipped.pk}/export.xlsx",
        "/enforcement/lists/",
        f"/enforcement/lists/{listed.pk}/",
        "/enforcement/statute/",
    ):
        assert client.get(url).status_code == 200, url
    assert "Excel导入新版本" not in client.get("/enforcement/benchmarks/").content.decode()
    assert client.get("/enforcement/benchmarks/import/").status_code == 403
    assert _upload(client).status_code == 403
    assert client.get("/enforcement/benchmarks/template.xlsx").status_code == 403
    assert client.get("/enforcement/lists/import/").status_code == 403
    response = client.post(f"/enforcement/benchmarks/{shipped.pk}/withdraw/", {"reason": "x"})
    assert response.status_code == 403
    login(world.users["legal_office"])
    assert client.get("/enforcement/benchmarks/import/").status_code == 200
    assert client.get(f"/enforcement/benchmarks/import/?from={shipped.pk}").status_code == 200
    login(world.users["enterprise"])
    assert client.get("/enforcement/benchmarks/").status_code == 403
    assert client.get("/enforcement/benchmarks/999999/").status_code in (403, 404)


def test_pages_show_in_force_origin_source_and_note(world, client, login) -> None:
    login(world.users["hazchem"])
    page = client.get("/enforcement/benchmarks/").content.decode()
    assert "起步版（随系统提供）" in page and "煤矿安全监管监察基准" in page
    shipped = BenchmarkVersion.objects.get(key="mem-2024-90")
    detail = client.get(f"/enforcement/benchmarks/{shipped.pk}/").content.decode()
    assert "长治市潞城区应急管理局" in detail and "仅第(26)项为90号原文" in detail
    assert (
        "涉及人数占从业人员比例 ≤10%" in detail
        and "项目投资额 ≥7000万元" in detail
        and "逾期未改正" in detail
    )
    statute = client.get("/enforcement/statute/").content.decode()
    assert "《中华人民共和国安全生产法》第九十七条" in statute
    assert "一事不再罚" in statute and "第64条" in statute and "3万元以上" in statute
    lists = client.get("/enforcement/lists/").content.decode()
    assert "不予处罚清单" in lists and "从轻减轻处罚清单" in lists


def _list_toml(client) -> str:  # type: ignore[no-untyped-def]
    return client.get("/enforcement/lists/example.toml").content.decode()


def _post_list(client, text: str):  # type: ignore[no-untyped-def]
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "list.toml"
    return client.post("/enforcement/lists/import/", {"file": upload})


def test_list_import_and_withdrawal(world, client, login) -> None:
    login(world.users["legal_office"])
    text = _list_toml(client)
    before = ListVersion.objects.count()
    duplicate = _post_list(client, text)
    assert any("已存在" in e.message for e in duplicate.context["check"].errors)
    bad = _post_list(client, text.replace('kind = "no_penalty"', 'kind = "amnesty"'))
    assert bad.context["check"].errors and "token" not in bad.context
    assert _post_list(client, "id = ").context["check"].file_error
    assert ListVersion.objects.count() == before
    new = text.replace('version = "2025-01-01 起步版"', 'version = "吕梁 2026"')
    new = new.replace("effective_from = 2025-01-01", "effective_from = 2026-01-01")
    checked = _post_list(client, new)
    assert checked.context["check"].ok
    client.post("/enforcement/lists/import/", {"token": checked.context["token"]})
    row = ListVersion.objects.get(version="吕梁 2026")
    assert row.origin == "imported" and row.kind == "no_penalty"
    starter = ListVersion.objects.get(kind="no_penalty", origin="shipped")
    client.post(f"/enforcement/lists/{starter.pk}/withdraw/", {"reason": "本市清单已发布"})
    starter.refresh_from_db()
    assert starter.withdrawn_at is not None
    client.post(f"/enforcement/lists/{row.pk}/withdraw/", {"reason": "试"})
    row.refresh_from_db()
    assert row.withdrawn_at is None
    detail = client.get(f"/enforcement/lists/{starter.pk}/").content.decode()
    assert "本市清单已发布" in detail and "初次违法" in detail


REGULATION = {
    "条目序号": "31",
    "违法行为": "未在危险化学品管道上设置明显标志",
    "法律法规": "某条例",
    "条": "80",
    "项": "1",
    "来源": "原件第(31)项",
}


def test_a_provision_outside_the_statute_table_comes_with_its_range(world, client, login) -> None:
    """The official table covers other regulations: their rows state the statute's range."""
    from datetime import date

    from anjian.domain.discretion.engine import Facts, PenaltyRequest
    from anjian.enforcement.services.discretion import suggest

    login(world.users["legal_office"])
    before = BenchmarkVersion.objects.count()
    bare = [{**REGULATION, "阶次": "A", "单位罚款下限": "5万", "单位罚款上限": "7万"}]
    refused = _upload(client, bare, version="某条例版")
    assert any(r == 2 and "未给出该条款的法定处罚幅度" in m for r, _, m in _errors(refused))
    assert BenchmarkVersion.objects.count() == before
    rows = [
        {
            **bare[0],
            "法定依据": "《某条例》第八十条第一项",
            "法定单位罚款下限": "5万",
            "法定单位罚款上限": "10万",
            "法定处罚种类": "责令改正",
            "逾期法定处罚种类": "责令停产停业整顿",
        },
        {**REGULATION, "阶次": "B", "单位罚款下限": "7万", "单位罚款上限": "12万"},
    ]
    wide = _upload(client, rows, version="某条例版")
    assert any(r == 3 and "超出法定幅度" in m for r, _, m in _errors(wide)), _errors(wide)
    rows[1]["单位罚款上限"] = "10万"
    checked = _upload(client, rows, version="某条例版")
    assert checked.context["check"].ok, _errors(checked)
    client.post("/enforcement/benchmarks/import/", {"token": checked.context["token"]})
    saved = BenchmarkVersion.objects.get(version="某条例版")
    assert saved.data["entry"][0]["statute"] == {
        "basis": "《某条例》第八十条第一项",
        "unit": [50000, 100000],
        "measures": ["责令改正"],
        "measures_overdue": ["责令停产停业整顿"],
    }
    request = PenaltyRequest(
        "某条例", "80", "1", "unit", "industry_trade", Facts(tier="B"), date(2026, 6, 1)
    )
    suggestion = suggest(request)
    assert suggestion.provision.basis == "《某条例》第八十条第一项"
    assert suggestion.tier is not None and suggestion.tier.code == "B"
    # the export carries the statute columns, so it imports back
    exported = client.get(f"/enforcement/benchmarks/{saved.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert sheet.cell(2, headers.index("法定依据") + 1).value == "《某条例》第八十条第一项"
