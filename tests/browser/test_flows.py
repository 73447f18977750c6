"""The main user journeys of the foundation, in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from anjian.registry.models import Enterprise
from anjian.registry.spreadsheets import ENTERPRISE_COLUMNS
from tests.conftest import make_uscc

# role login -> (menu entries it must see, menu entries it must not see, enterprise it sees or None)
ROLES = {
    "bureau_head": (
        ["企业台账", "执法人员"],
        ["企业导入", "审计日志", "用户列表"],
        "文水县宏达化工有限公司",
    ),
    "office": (["企业台账", "企业导入", "执法人员导入"], ["审计日志"], "山西文水鑫源煤业有限公司"),
    "legal_office": (["企业台账"], ["企业导入", "审计日志"], "文水县宏达化工有限公司"),
    "hazchem": (["企业台账", "企业导入"], ["执法人员导入", "审计日志"], "文水县宏达化工有限公司"),
    "enforcement_team": (["企业台账", "执法人员"], ["企业导入"], "文水县宏达化工有限公司"),
    "hr_finance": (["执法人员", "执法人员导入"], ["企业导入"], "文水县宏达化工有限公司"),
    "discipline": (["企业台账", "审计日志"], ["企业导入", "用户列表"], "文水县宏达化工有限公司"),
    "enterprise": (["企业信息"], ["企业台账", "执法人员", "审计日志"], None),
    "training_institution": (["修改密码"], ["企业台账", "审计日志"], None),
    "system_admin": (["用户列表"], ["企业台账", "审计日志"], None),
    "security_admin": (["用户列表", "登录日志"], ["企业台账", "审计日志"], None),
    "audit_admin": (["审计日志", "登录日志"], ["企业台账", "用户列表"], None),
}


def sidebar_labels(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        text.strip().lstrip("⌂▦⇪☺☰⌚✎✱ ").strip()
        for text in page.locator("#sidebar .nav-link").all_inner_texts()
    ]


def test_each_role_sees_only_its_menu_and_scope(live_world, page_for, live_server) -> None:  # type: ignore[no-untyped-def]
    for username, (visible, hidden, sees) in ROLES.items():
        page = page_for(username)
        labels = sidebar_labels(page)
        for label in visible:
            assert label in labels, (username, label, labels)
        for label in hidden:
            assert label not in labels, (username, label, labels)
        if sees:
            page.goto(f"{live_server.url}/registry/enterprises/")
            table = page.get_by_test_id("enterprise-table")
            assert sees in table.inner_text()
            assert "测试other_chem有限公司" not in table.inner_text()  # another county's enterprise
        page.close()


def _xlsx(tmp_path: Path, name: str, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in ENTERPRISE_COLUMNS])
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def _row(name: str, uscc: str, sector: str = "危险化学品") -> list[object]:
    return [
        name,
        uscc,
        "凤城镇工业路1号",
        "凤城镇",
        sector,
        "三级",
        "",
        "",
        50,
        "小型",
        "文水县应急管理局",
        "",
        "",
        "否",
        "",
    ]


def test_bad_import_shows_row_errors_and_writes_nothing_then_good_file_imports(
    live_world, page_for, live_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    page = page_for("office")
    page.get_by_role("link", name="企业导入").click()
    before = Enterprise.objects.count()
    bad = _xlsx(
        tmp_path,
        "bad.xlsx",
        [
            _row("浏览器导入甲", make_uscc(801)),
            _row("浏览器导入乙", "911100006000373410"),
            _row("浏览器导入丙", make_uscc(803), sector="渔业"),
        ],
    )
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="上传并检查").click()
    summary = page.get_by_test_id("import-errors-summary")
    assert "共3行，其中2行有错误" in summary.inner_text()
    errors = page.get_by_test_id("import-errors").inner_text()
    assert "第3行" in errors and "校验码错误" in errors
    assert "第4行" in errors and "未知的行业领域“渔业”" in errors
    assert Enterprise.objects.count() == before

    good = _xlsx(
        tmp_path,
        "good.xlsx",
        [_row("浏览器导入甲", make_uscc(801)), _row("浏览器导入乙", make_uscc(802))],
    )
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="上传并检查").click()
    assert "检查通过：共2行" in page.get_by_test_id("import-ok").inner_text()
    page.get_by_role("button", name="确认导入2行").click()
    page.wait_for_url(f"{live_server.url}/registry/enterprises/")
    assert "已导入2条企业记录" in page.content()
    assert Enterprise.objects.count() == before + 2


def test_search_by_pinyin_initials_finds_an_enterprise(live_world, page_for, live_server) -> None:  # type: ignore[no-untyped-def]
    page = page_for("office")
    page.goto(f"{live_server.url}/registry/enterprises/")
    page.get_by_label("关键字").fill("wsxhd")
    page.get_by_role("button", name="查询").click()
    table = page.get_by_test_id("enterprise-table").inner_text()
    assert "文水县宏达化工有限公司" in table
    assert "鑫源煤业" not in table
    page.get_by_role("link", name="文水县宏达化工有限公司").click()
    assert page.get_by_test_id("enterprise-name").inner_text() == "文水县宏达化工有限公司"


def test_enterprise_user_cannot_open_another_enterprise(live_world, page_for, live_server) -> None:  # type: ignore[no-untyped-def]
    page = page_for("enterprise")
    own, other = live_world.enterprises["chem"], live_world.enterprises["coal"]
    page.get_by_role("link", name="查看本企业信息").click()
    assert page.get_by_test_id("enterprise-name").inner_text() == own.name
    response = page.goto(f"{live_server.url}/registry/enterprises/{other.pk}/")
    assert response.status == 404
    assert "页面不存在" in page.content()
    assert other.name not in page.content() and other.uscc not in page.content()


@pytest.mark.parametrize("width", [390])
def test_usable_on_a_phone(live_world, browser, live_server, width) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import PASSWORD

    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="菜单").click()
    page.locator("#sidebar").get_by_role("link", name="企业台账").click()
    assert page.get_by_test_id("enterprise-table").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    context.close()
