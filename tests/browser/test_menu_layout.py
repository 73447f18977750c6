"""The menu's icons are Font Awesome SVG images that load (no font glyphs that render as empty
boxes), column headers stay on one line on a 1366-px screen, and on a phone an officer's menu
starts with check-in, my tasks and my schedule."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# Each header's text on one line: its text's line boxes all share one top.
ONE_LINE = """(table) => Array.from(table.querySelectorAll('thead th')).filter((th) => {
  const range = document.createRange(); range.selectNodeContents(th);
  const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
  return tops.size > 1;
}).map((th) => th.innerText)"""


def test_menu_icons_load_and_headers_do_not_wrap_at_1366(live_world, page_for, live_server) -> None:  # type: ignore[no-untyped-def]
    page = page_for("office")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/policy/entries/")
    page.wait_for_load_state("load")
    icons = page.locator("#sidebar img.menu-icon:visible")
    assert icons.count() >= 20
    broken = page.evaluate(
        """() => Array.from(document.querySelectorAll('#sidebar img.menu-icon'))
          .filter((img) => img.offsetParent !== null)
          .filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.src)"""
    )
    assert broken == []
    assert all(
        "/static/fontawesome/svgs/solid/" in icons.nth(i).get_attribute("src") for i in range(3)
    )
    # no menu label carries a symbol character any more
    assert "▦" not in page.locator("#sidebar").inner_text()

    for address in ("/policy/entries/", "/registry/enterprises/", "/documents/"):
        page.goto(f"{live_server.url}{address}")
        table = page.locator("main table").first
        assert table.locator("thead th").count() >= 6, address
        assert table.evaluate(ONE_LINE) == [], address
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


def test_phone_menu_starts_with_the_officers_daily_entries(
    live_world, browser, live_server
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("enforcement_team")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="菜单").click()
    links = page.locator("#sidebar a.nav-link:visible")
    first = [links.nth(i).inner_text().strip() for i in range(3)]
    assert first == ["凭码签到", "检查任务", "我的入企安排"]
    # each shows once on the phone
    texts = [t.strip() for t in links.all_inner_texts()]
    assert texts.count("凭码签到") == 1
    context.close()

    desktop = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = desktop.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("enforcement_team")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("#sidebar a.nav-link:visible").first.inner_text().strip() == "首页"
    desktop.close()
