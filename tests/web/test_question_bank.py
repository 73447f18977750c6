"""The question bank: Excel import (every refusal names its row and writes nothing; a valid file
creates, versions and skips), export → import round trip, the starter bank, pages and access."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from anjian.audit.models import AuditEntry
from anjian.policy_data.questions import shipped_questions
from anjian.training.models import Question, QuestionStatus
from anjian.training.services.questions import load_starter
from anjian.training.spreadsheets import HEADERS

pytestmark = pytest.mark.django_db

IMPORT = "/training/questions/import/"

SINGLE = {
    "题目编号": "T-001",
    "行业": "通用",
    "岗位": "all",
    "知识点": "应急处置与自救互救",
    "题型": "单选题",
    "题干": "发生火灾时，正确的逃生做法是（ ）。",
    "选项A": "乘坐电梯",
    "选项B": "低姿沿疏散通道撤离",
    "选项C": "返回取物",
    "选项D": "跳楼",
    "答案": "B",
    "解析": "应低姿沿疏散通道撤离。",
    "依据": "安全常识",
}
TRUE_FALSE = {
    "题目编号": "T-002",
    "行业": "hazardous_chemicals",
    "岗位": "一般从业人员",
    "知识点": "chemicals",
    "题型": "判断题",
    "题干": "危险化学品可以与禁忌物料混存（ ）。",
    "答案": "错误",
    "解析": "禁忌物料不得混存。",
}


@pytest.fixture(autouse=True)
def _starter(db: None) -> None:
    """The starter bank (a transactional test elsewhere may have flushed the migration's)."""
    load_starter()


def _workbook(rows: list[dict[str, Any]], headers: list[str] | None = None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    headers = headers or list(HEADERS.values())
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "questions.xlsx"
    return buffer


def _upload(client, rows=None, content=None):  # type: ignore[no-untyped-def]
    upload = _workbook(rows if rows is not None else [SINGLE, TRUE_FALSE])
    return client.post(IMPORT, {"file": upload if content is None else content})


def _confirm(client, response):  # type: ignore[no-untyped-def]
    assert response.context["check"].ok, response.context["check"].errors
    return client.post(IMPORT, {"token": response.context["token"]})


def _snapshot() -> tuple[int, int]:
    return Question.objects.count(), AuditEntry.objects.filter(action="question.import").count()


def test_the_starter_bank_is_loaded_once() -> None:
    active = Question.objects.filter(status=QuestionStatus.ACTIVE, origin="starter", version=1)
    assert active.count() == len(shipped_questions()) >= 300
    assert {(q.a, q.b, q.calibrated_at) for q in active} == {(1.0, 0.0, None)}
    assert load_starter() == 0
    assert Question.objects.count() == len(shipped_questions())


def test_broken_rows_write_nothing_and_name_each_row(world, client, login) -> None:
    login(world.users["office"])
    before = _snapshot()
    rows = [
        SINGLE,
        {**SINGLE, "题目编号": "T-003", "答案": "BA", "行业": "捕鱼"},
        {**TRUE_FALSE, "选项A": "多余"},
        {**SINGLE, "题目编号": "T-001", "题干": ""},
    ]
    response = _upload(client, rows)
    check = response.context["check"]
    assert not check.ok and "token" not in response.context
    assert sorted({e.row for e in check.errors}) == [3, 4, 5]
    messages = [e.message for e in check.errors]
    assert any("未知的行业“捕鱼”" in m for m in messages)
    assert any("题目编号 T-001 与第2行重复" in m for m in messages)
    assert any("题干必填" in m for m in messages)
    html = response.content.decode()
    for row in ("第3行", "第4行", "第5行"):
        assert row in html
    assert "未写入任何数据" in html
    assert _snapshot() == before


def test_missing_columns_and_unreadable_files_are_refused(world, client, login) -> None:
    login(world.users["hr_finance"])
    headers = [h for h in HEADERS.values() if h not in ("答案", "解析")]
    response = _upload(client, content=_workbook([SINGLE], headers))
    assert response.context["check"].file_error == "缺少列：答案、解析（请使用模板）"
    bad = io.BytesIO(b"not a workbook")
    bad.name = "questions.xlsx"
    response = _upload(client, content=bad)
    assert "无法读取文件" in response.context["check"].file_error
    assert _snapshot()[0] == len(shipped_questions())


def test_a_valid_import_creates_versions_and_skips(world, client, login) -> None:
    login(world.users["office"])
    response = _upload(client)
    assert response.context["check"].plan.counts == {"new": 2, "changed": 0, "unchanged": 0}
    assert "新增 2 题" in response.content.decode()
    assert Question.objects.filter(code__startswith="T-").count() == 0  # the dry run wrote nothing
    _confirm(client, response)
    first = Question.objects.get(code="T-002")
    assert (first.version, first.status, first.origin) == (1, "active", "imported")
    assert (first.sector, first.job, first.topic, first.kind) == (
        "hazardous_chemicals",
        "worker",
        "chemicals",
        "true_false",
    )
    assert (first.options, first.answer, first.source) == ([], "F", "安全常识")
    assert first.created_by == world.users["office"]

    changed = {**TRUE_FALSE, "解析": "禁忌物料必须分开储存。"}
    response = _upload(client, [SINGLE, changed, {**SINGLE, "题目编号": "GEN-LAW-001"}])
    assert response.context["check"].plan.counts == {"new": 0, "changed": 2, "unchanged": 1}
    before = AuditEntry.objects.filter(action="question.import").count()
    _confirm(client, response)
    versions = list(Question.objects.filter(code="T-002").order_by("version"))
    assert [(v.version, v.status) for v in versions] == [(1, "retired"), (2, "active")]
    assert versions[1].explanation == "禁忌物料必须分开储存。"
    starter = Question.objects.filter(code="GEN-LAW-001").order_by("version")
    assert [(v.version, v.status, v.origin) for v in starter] == [
        (1, "retired", "starter"),
        (2, "active", "imported"),
    ]
    assert Question.objects.filter(code="T-001").count() == 1
    entries = AuditEntry.objects.filter(action="question.import").order_by("pk")
    assert entries.count() == before + 1
    last = entries.last()
    assert last is not None and last.changes["changed"] == {"T-002": 2, "GEN-LAW-001": 2}


def test_export_round_trips_to_unchanged(world, client, login) -> None:
    login(world.users["office"])
    _confirm(client, _upload(client))
    response = client.get("/training/questions/export.xlsx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == list(HEADERS.values())
    assert len(rows) - 1 == Question.objects.filter(status="active").count()
    upload = io.BytesIO(content)
    upload.name = "export.xlsx"
    before = _snapshot()
    response = _upload(client, content=upload)
    counts = response.context["check"].plan.counts
    assert counts == {"new": 0, "changed": 0, "unchanged": len(rows) - 1}
    _confirm(client, response)
    assert _snapshot() == (before[0], before[1] + 1)

    filtered = client.get("/training/questions/export.xlsx?topic=chemicals&kind=true_false")
    sheet = load_workbook(io.BytesIO(filtered.content)).worksheets[0]
    body = list(sheet.iter_rows(min_row=2, values_only=True))
    assert body and {(r[3], r[4]) for r in body} == {("危险化学品安全", "判断题")}


def test_the_template_imports_cleanly(world, client, login) -> None:
    login(world.users["office"])
    response = client.get("/training/questions/template.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["题目", "填写说明"]
    upload = io.BytesIO(response.content)
    upload.name = "template.xlsx"
    assert _upload(client, content=upload).context["check"].plan.counts["new"] == 2


def test_list_filters_counts_and_detail(world, client, login) -> None:
    login(world.users["hazchem"])
    response = client.get("/training/questions/?topic=chemicals&kind=single&sector=bogus")
    assert response.status_code == 200
    page = response.context["page"]
    assert page.object_list and {(q.topic, q.kind) for q in page.object_list} == {
        ("chemicals", "single")
    }
    counts = {key: n for key, _label, n in response.context["topic_counts"]}
    assert counts["chemicals"] == response.context["total"]
    assert counts["law"] > 0  # counts ignore the topic filter
    html = response.content.decode()
    assert "Excel导入" not in html  # a business section cannot import
    question = Question.objects.get(code="GEN-LAW-001")
    response = client.get(f"/training/questions/?q={question.code}&status=")
    assert [q.pk for q in response.context["page"].object_list] == [question.pk]
    detail = client.get(f"/training/questions/{question.pk}/").content.decode()
    assert 'data-testid="right-choice">A. 危险因素' in detail
    assert client.get("/training/questions/999999/").status_code == 404


def test_access(world, client, login) -> None:
    login(world.users["hr_finance"])
    assert client.get(IMPORT).status_code == 200
    login(world.users["hazchem"])
    assert client.get("/training/questions/").status_code == 200
    assert client.get(IMPORT).status_code == 403
    before = _snapshot()
    assert _upload(client).status_code == 403
    assert client.post(IMPORT, {"token": "abc"}).status_code == 403
    assert client.get("/training/questions/export.xlsx").status_code == 403
    assert _snapshot() == before
    login(world.users["enterprise"])
    assert client.get("/training/questions/").status_code == 403
    question = Question.objects.first()
    assert question is not None
    assert client.get(f"/training/questions/{question.pk}/").status_code == 403


def test_an_expired_token_writes_nothing(world, client, login) -> None:
    login(world.users["office"])
    before = _snapshot()
    response = client.post(IMPORT, {"token": "deadbeef"}, follow=True)
    assert "导入已过期" in response.content.decode()
    assert _snapshot() == before
