"""Export → edit → import: the enterprise and officer exports carry the import template's
columns in its order, so an exported file imports back with no error and the same values, and an
edited cell updates the record. Every import page offers its row errors as an Excel download:
the rows as uploaded plus an 错误原因 column, for this user's last check only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from anjian.audit.models import AuditEntry
from anjian.registry.exports import ENTERPRISE_HEADERS, OFFICER_HEADERS
from anjian.registry.models import Enterprise, Officer
from anjian.registry.spreadsheets import ENTERPRISE_COLUMNS, OFFICER_COLUMNS
from anjian.training.spreadsheets import HEADERS as QUESTION_HEADERS
from tests.conftest import make_uscc

pytestmark = pytest.mark.django_db

ENTERPRISES = "/registry/enterprises/"
OFFICERS = "/registry/officers/"


def _upload(content: bytes, name: str = "edited.xlsx") -> io.BytesIO:
    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


def _rows(content: bytes) -> list[tuple[Any, ...]]:
    return list(load_workbook(io.BytesIO(content)).worksheets[0].values)


def _edited(content: bytes, uscc: str, header: str, value: str) -> bytes:
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("统一社会信用代码")].value == uscc:
            row[headers.index(header)].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_enterprise_export_has_the_template_columns_in_order(world, login) -> None:  # type: ignore[no-untyped-def]
    content = login(world.users["office"]).get(f"{ENTERPRISES}?export=xlsx").content
    rows = _rows(content)
    assert list(rows[0]) == [c.header for c in ENTERPRISE_COLUMNS] == ENTERPRISE_HEADERS
    assert len(rows[0]) == 17
    by_name = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    chem = by_name["文水县宏达化工有限公司"]
    assert chem["行业领域"] == "危险化学品" and chem["标准化等级"] == "二级"
    assert chem["重大危险源"] == "否" and chem["经营状态"] == "正常生产"
    assert by_name["山西文水鑫源煤业有限公司"]["煤矿分类"] == "B"


def test_enterprise_export_imports_back_unchanged_then_edited(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    exported = client.get(f"{ENTERPRISES}?export=xlsx").content
    count = Enterprise.objects.count()
    before = {e.pk: (e.name, e.address, e.employees, e.status) for e in Enterprise.objects.all()}

    response = client.post(f"{ENTERPRISES}import/", {"file": _upload(exported)})
    check = response.context["check"]
    assert check.ok, [(r.number, r.errors) for r in check.bad_rows]
    assert len(check.rows) == check.updates == len(_rows(exported)) - 1 == 2
    assert "确认后更新这些记录" in response.content.decode()
    # the dry run read back exactly what was exported
    chem = world.enterprises["chem"]
    row = next(r for r in check.rows if r.values["uscc"] == chem.uscc)
    for field in ("name", "address", "town", "sector", "standardization_grade", "employees"):
        assert row.values[field] == getattr(chem, field), field
    assert row.values["supervising_body"] == chem.supervising_body

    # confirming the unchanged file writes no change to any enterprise
    client.post(f"{ENTERPRISES}import/", {"confirm": "1", "token": response.context["token"]})
    assert Enterprise.objects.count() == count
    assert {
        e.pk: (e.name, e.address, e.employees, e.status) for e in Enterprise.objects.all()
    } == before
    assert not AuditEntry.objects.filter(action="registry.enterprise.update").exists()

    edited = _edited(exported, chem.uscc, "地址", "文水县开发区新路8号")
    response = client.post(f"{ENTERPRISES}import/", {"file": _upload(edited)})
    assert response.context["check"].ok
    response = client.post(
        f"{ENTERPRISES}import/", {"confirm": "1", "token": response.context["token"]}
    )
    assert response.status_code == 302
    chem.refresh_from_db()
    assert chem.address == "文水县开发区新路8号"
    assert Enterprise.objects.count() == count
    assert AuditEntry.objects.filter(action="registry.enterprise.update").count() == 1


def test_a_code_registered_outside_the_scope_stays_an_error(world, login) -> None:  # type: ignore[no-untyped-def]
    """The hazchem section may not see the coal mine: its export does not hold it, and a row
    naming its code does not update it."""
    client = login(world.users["hazchem"])
    exported = client.get(f"{ENTERPRISES}?export=xlsx").content
    assert [row[0] for row in _rows(exported)[1:]] == ["文水县宏达化工有限公司"]
    coal = world.enterprises["coal"]
    edited = _edited(exported, world.enterprises["chem"].uscc, "统一社会信用代码", coal.uscc)
    response = client.post(f"{ENTERPRISES}import/", {"file": _upload(edited)})
    assert not response.context["check"].ok
    assert "已登记" in response.content.decode()


def test_officer_export_imports_back_keeping_the_id_number(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    exported = client.get(f"{OFFICERS}?export=xlsx").content
    rows = _rows(exported)
    assert list(rows[0]) == [c.header for c in OFFICER_COLUMNS] == OFFICER_HEADERS
    response = client.post(f"{OFFICERS}import/", {"file": _upload(exported)})
    check = response.context["check"]
    assert check.ok, [(r.number, r.errors) for r in check.bad_rows]
    assert check.updates == len(rows) - 1 == 1
    client.post(f"{OFFICERS}import/", {"confirm": "1", "token": response.context["token"]})
    officer = Officer.objects.get(pk=world.officers["county"].pk)
    assert officer.id_number == "11010519491231002X"
    assert officer.section == world.sections["hazchem"]
    assert Officer.objects.filter(is_deleted=False).count() == 2


def _bad_enterprise_file() -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in ENTERPRISE_COLUMNS])
    good = ["好企业", make_uscc(701), "", "", "危险化学品", "二级"] + [None] * 4
    sheet.append([*good, "文水县应急管理局"])
    sheet.append([])  # a blank row: the numbers still follow the sheet
    sheet.append(["@SUM(A1)", make_uscc(702), "", "", "捕鱼", "", "", "", -3])
    out = io.BytesIO()
    book.save(out)
    return _upload(out.getvalue(), "bad.xlsx")


def test_enterprise_import_errors_download_as_the_rows_with_a_reason(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    response = client.post(f"{ENTERPRISES}import/", {"file": _bad_enterprise_file()})
    html = response.content.decode()
    assert "第4行" in html and 'data-testid="import-errors-download"' in html
    token = response.context["errors_token"]

    download = client.get(f"{ENTERPRISES}import/?errors={token}")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(download.content))
    rows = list(book.worksheets[0].values)
    width = len(ENTERPRISE_COLUMNS)
    assert rows[0][width] == "错误原因" and rows[0][:width] == tuple(ENTERPRISE_HEADERS)
    assert rows[1][0] == "好企业" and rows[1][width] is None
    assert rows[3][0] == "@SUM(A1)"  # as uploaded, kept as text
    assert book.worksheets[0].cell(row=4, column=1).data_type == "s"
    reason = rows[3][width]
    assert "行业领域：未知的行业领域“捕鱼”" in reason and "从业人员数：不能为负数" in reason
    assert "监管执法主体：必填项为空" in reason
    listing = list(book.worksheets[1].values)
    assert listing[0] == ("行号", "错误") and {row[0] for row in listing[1:]} == {4}

    # only this user's last check: another user, or a made-up token, gets the page back
    other = login(world.users["other_office"]).get(f"{ENTERPRISES}import/?errors={token}")
    assert other.status_code == 302
    assert client.get(f"{ENTERPRISES}import/?errors=abc123").status_code == 302


def test_a_corrected_error_file_imports(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    response = client.post(f"{ENTERPRISES}import/", {"file": _bad_enterprise_file()})
    content = client.get(f"{ENTERPRISES}import/?errors={response.context['errors_token']}").content
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    sheet.delete_rows(4)
    out = io.BytesIO()
    book.save(out)
    response = client.post(f"{ENTERPRISES}import/", {"file": _upload(out.getvalue())})
    assert response.context["check"].ok


def test_question_import_errors_download(world, client, login) -> None:  # type: ignore[no-untyped-def]
    login(world.users["office"])
    book = Workbook()
    sheet = book.active
    headers = list(QUESTION_HEADERS.values())
    sheet.append(headers)
    sheet.append(["T-900", "通用", "all", "应急处置与自救互救", "单选题", ""])
    out = io.BytesIO()
    book.save(out)
    response = client.post("/training/questions/import/", {"file": _upload(out.getvalue())})
    token = response.context["errors_token"]
    rows = _rows(client.get(f"/training/questions/import/?errors={token}").content)
    assert rows[0][-1] == "错误原因" and rows[1][0] == "T-900"
    assert "题干必填" in rows[1][-1]


def test_benchmark_import_errors_download(world, client, login) -> None:  # type: ignore[no-untyped-def]
    from tests.web.test_benchmark_pages import _row
    from tests.web.test_benchmark_pages import _upload as upload_benchmark

    login(world.users["legal_office"])
    response = upload_benchmark(client, [_row(阶次="A", 单位罚款上限="三万")])
    token = response.context["errors_token"]
    assert 'data-testid="import-errors-download"' in response.content.decode()
    rows = _rows(client.get(f"/enforcement/benchmarks/import/?errors={token}").content)
    assert rows[0][-1] == "错误原因"
    assert "单位罚款上限" in rows[1][-1]


def test_item_import_errors_download(world, client, login) -> None:  # type: ignore[no-untyped-def]
    from tests.web.test_item_pages import _published

    _published(world)
    login(world.users["legal_office"])
    exported = client.get("/policy/items/export.xlsx").content
    client.post("/policy/items/draft/new/")
    book = load_workbook(io.BytesIO(exported))
    book.active["A3"] = "bad code"
    out = io.BytesIO()
    book.save(out)
    response = client.post("/policy/items/draft/import/", {"file": _upload(out.getvalue())})
    token = response.context["errors_token"]
    rows = _rows(client.get(f"/policy/items/draft/import/?errors={token}").content)
    assert rows[2][0] == "bad code" and rows[2][-1]
    assert rows[1][-1] is None
