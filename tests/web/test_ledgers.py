"""Every ledger list has an Excel export and a print view of its filtered rows
(`?format=xlsx`, `?format=print`, ui/ledger.py), bounded, user text kept as text."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from anjian.registry.models import Enterprise
from anjian.ui import ledger
from tests.clock import TEST_TODAY

pytestmark = pytest.mark.django_db

# (user, list address, first column header)
LEDGERS = [
    ("office", "/registry/enterprises/", "企业名称"),
    ("office", "/registry/officers/", "姓名"),
    ("office", "/policy/entries/", "日期"),
    ("office", "/inspections/unplanned/", "日期"),
    ("office", "/inspections/hazards/", "企业"),
    ("office", "/enforcement/cases/", "立案编号"),
    ("office", "/documents/", "文号"),
    ("office", "/oversight/matters/", "收到日期"),
    ("discipline", "/inspections/complaints/", "投诉时间"),
    ("office", "/training/personnel/", "姓名"),
    ("office", "/training/hours/", "姓名"),
    ("office", "/training/certificates/alerts/", "人员"),
]


@pytest.mark.parametrize(("username", "url", "first"), LEDGERS)
def test_each_ledger_exports_and_prints(world, login, username, url, first) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users[username])
    page = client.get(url)
    assert page.status_code == 200, url
    html = page.content.decode()
    assert 'data-testid="ledger-xlsx"' in html and 'data-testid="ledger-print"' in html

    export = client.get(f"{url}?format=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in export["Content-Disposition"]
    header = next(load_workbook(io.BytesIO(export.content)).worksheets[0].values)
    assert header[0] == first

    printed = client.get(f"{url}?format=print")
    assert printed.status_code == 200
    assert 'data-testid="ledger-print"' in printed.content.decode()


def test_the_tools_keep_the_filter_and_drop_the_page(world, login) -> None:  # type: ignore[no-untyped-def]
    html = (
        login(world.users["office"])
        .get("/registry/enterprises/?sector=coal_mine&page=1")
        .content.decode()
    )
    assert "/registry/enterprises/?sector=coal_mine&amp;format=xlsx" in html
    assert "/registry/enterprises/?sector=coal_mine&amp;format=print" in html


def test_exports_follow_the_filter_and_the_scope(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    rows = list(
        load_workbook(
            io.BytesIO(client.get("/registry/enterprises/?sector=coal_mine&format=xlsx").content)
        )
        .worksheets[0]
        .values
    )
    assert [r[0] for r in rows[1:]] == ["山西文水鑫源煤业有限公司"]
    printed = client.get("/registry/enterprises/?format=print").content.decode()
    assert "文水县宏达化工有限公司" in printed
    assert world.enterprises["other_chem"].name not in printed


def test_exports_are_capped_with_a_note(world, login, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ledger, "LEDGER_CAP", 1)
    client = login(world.users["office"])
    rows = list(
        load_workbook(io.BytesIO(client.get("/registry/enterprises/?format=xlsx").content))
        .worksheets[0]
        .values
    )
    assert len(rows) == 3 and "仅列出前1行" in rows[2][0]
    printed = client.get("/registry/enterprises/?format=print").content.decode()
    assert 'data-testid="ledger-cut"' in printed


def test_user_text_leaves_as_text(world, login) -> None:  # type: ignore[no-untyped-def]
    Enterprise.objects.filter(pk=world.enterprises["chem"].pk).update(address="=cmd|' /C calc'!A0")
    content = login(world.users["office"]).get("/registry/enterprises/?format=xlsx").content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == "=cmd|' /C calc'!A0"]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_the_training_ledgers_list_the_rows_the_pages_show(world, login) -> None:  # type: ignore[no-untyped-def]
    """A person with a certificate past its date: in the personnel ledger with the
    certificate's status, in the hours ledger with the year's shortfall, in the alerts ledger;
    the ID number only masked."""
    from tests.web.test_personnel import _certificate, _person

    person = _person(world, hired_on=TEST_TODAY - timedelta(days=4000))
    _certificate(person, issued=TEST_TODAY - timedelta(days=3 * 366 + 30))
    client = login(world.users["office"])

    def rows(url: str) -> list[tuple[object, ...]]:
        book = load_workbook(io.BytesIO(client.get(f"{url}?format=xlsx").content))
        return list(book.worksheets[0].values)

    personnel = rows("/training/personnel/")
    assert personnel[1][0] == person.name and personnel[1][1] == person.masked_id_number
    assert personnel[1][-1] in ("已过期", "逾期未复审")
    assert person.id_number not in str(personnel)
    hours = rows("/training/hours/")
    assert hours[1][0] == person.name and hours[1][4] is not None and hours[1][7] > 0
    alerts = rows("/training/certificates/alerts/")
    assert alerts[1][0] == person.name and alerts[1][7] == personnel[1][-1]
    printed = client.get("/training/certificates/alerts/?format=print").content.decode()
    assert person.name in printed
