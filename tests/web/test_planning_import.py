"""Excel import of planned visits: template, a dry run listing every bad row and writing nothing,
a confirmed import writing all rows, a damaged file, and the cut-off."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import Workbook, load_workbook

from anjian.planning.models import PlannedVisit
from anjian.planning.services import planning_month_close
from tests.web.test_planning_submissions import _chem_item, _month, _next_month, _publish

pytestmark = pytest.mark.django_db

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "入企活动",
    "检查事项编码",
    "最早日期",
    "最晚日期",
    "可非现场检查",
    "备注",
]


def _file(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "visits.xlsx"
    return data


def _good_rows(world) -> list[list[object]]:  # type: ignore[no-untyped-def]
    chem, first = world.enterprises["chem"], _next_month()
    return [
        [
            chem.uscc,
            chem.name,
            "执法检查",
            _chem_item(world),
            first + timedelta(days=2),
            (first + timedelta(days=9)).isoformat(),
            "否",
            "",
        ],
        [
            chem.uscc,
            chem.name,
            "帮扶指导",
            "",
            first + timedelta(days=2),
            first + timedelta(days=20),
            "是",
            "冬季专项",
        ],
    ]


def test_the_template_has_the_columns_and_notes(world, client, login) -> None:  # type: ignore[no-untyped-def]
    login(world.users["hazchem"])
    book = load_workbook(io.BytesIO(client.get("/planning/visits/template.xlsx").content))
    assert [c.value for c in book.active[1]] == HEADER
    assert book.sheetnames == ["计划入企", "填写说明"]


def test_a_bad_file_lists_every_row_and_writes_nothing(world, client, login) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    planning_month = _month(world)
    login(world.users["hazchem"])
    coal, first = world.enterprises["coal"], _next_month()
    rows = [
        *_good_rows(world),
        [coal.uscc, "", "执法检查", "", first, first, "否", ""],  # not this section's
        ["123", "", "喝茶", "", "明天", first, "也许", ""],
        [
            world.enterprises["chem"].uscc,
            "",
            "整改复查",
            "",
            first - timedelta(days=1),
            first,
            "",
            "",
        ],
        _good_rows(world)[0],  # duplicate of row 2
    ]
    response = client.post(f"/planning/{planning_month.pk}/visits/import/", {"file": _file(rows)})
    check = response.context["check"]
    assert {row.number for row in check.bad_rows} == {2, 4, 5, 6, 7}
    messages = {(row.number, header) for row in check.bad_rows for header, _ in row.errors}
    assert (5, "入企活动") in messages and (5, "可非现场检查") in messages
    assert (6, "备注") in messages and (6, "最早日期") in messages
    assert "token" not in response.context and PlannedVisit.objects.count() == 0


def test_a_good_file_is_confirmed_and_written(world, client, login) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    planning_month = _month(world)
    login(world.users["hazchem"])
    url = f"/planning/{planning_month.pk}/visits/import/"
    checked = client.post(url, {"file": _file(_good_rows(world))})
    assert checked.context["check"].ok
    done = client.post(url, {"confirm": "1", "token": checked.context["token"]}, follow=True)
    assert "已导入2条计划" in done.content.decode()
    assert PlannedVisit.objects.count() == 2
    assert PlannedVisit.objects.get(activity="assistance_guidance").remote_ok


def test_a_damaged_file_and_the_cutoff(world, client, login) -> None:  # type: ignore[no-untyped-def]
    planning_month = _month(world)
    login(world.users["hazchem"])
    url = f"/planning/{planning_month.pk}/visits/import/"
    broken = io.BytesIO(b"PK\x03\x04 not a workbook")
    broken.name = "x.xlsx"
    assert client.post(url, {"file": broken}).context["check"].file_error
    planning_month_close(actor=world.users["office"], planning_month=planning_month)
    closed = client.get(url, follow=True)
    assert "截止" in closed.content.decode()
