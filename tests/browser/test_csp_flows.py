"""Issue 16, defect 7, in a real browser: with the Content-Security-Policy enforced, the
behaviour moved out of inline handlers and style attributes into static files still works, and
Chromium reports no violation on the pages that use it (charts, Swagger UI included)."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from anjian.policy.models import WorkdayOverride
from tests.clock import TEST_TODAY
from tests.web.test_diagnostics import make_bank, open_exam, simulate


def watch_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Collects what Chromium refuses under the policy (it logs each refusal as a console error)."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def test_office_pages_work_under_the_policy(live_world, live_server, page_for) -> None:  # type: ignore[no-untyped-def]
    year = TEST_TODAY.year
    day = WorkdayOverride.objects.create(
        date=date(year, 12, 31),
        is_workday=False,
        note="测试",
        created_by=live_world.users["office"],
    )
    page = page_for("office")
    violations = watch_violations(page)
    page.goto(f"{live_server.url}/")
    expect(page.locator(".chart svg")).to_be_visible()  # the pygal chart and its nonce'd <style>

    page.goto(f"{live_server.url}/policy/workdays/?year={year}")
    delete = page.get_by_test_id(f"workday-delete-{day.pk}")
    page.once("dialog", lambda dialog: dialog.dismiss())  # data-confirm: "no" keeps the day
    delete.click()
    expect(delete).to_be_visible()
    assert WorkdayOverride.objects.filter(pk=day.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    delete.click()
    expect(page.get_by_test_id(f"workday-delete-{day.pk}")).to_have_count(0)
    assert not WorkdayOverride.objects.filter(pk=day.pk).exists()

    page.get_by_test_id("workday-year").select_option(str(year + 1))  # data-autosubmit
    page.wait_for_url(f"**/policy/workdays/?year={year + 1}")

    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("anjian API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert violations == []


def test_diagnostics_bars_are_placed_by_script(live_world, live_server, page_for) -> None:  # type: ignore[no-untyped-def]
    bank = make_bank()
    simulate(open_exam(live_world, "chem"), bank, 8, ability=1.4, seed=21)
    page = page_for("enterprise")
    violations = watch_violations(page)
    page.goto(f"{live_server.url}/training/diagnostics/mine/")
    page.wait_for_url("**/training/diagnostics/enterprises/*/")
    mark = page.locator(".mastery-mark").first
    expect(mark).to_be_attached()
    wanted = mark.get_attribute("data-style-left")
    assert wanted and wanted.endswith("%")
    assert mark.evaluate("node => node.style.left") == wanted
    band = page.locator(".mastery-band").first
    assert band.evaluate("node => node.style.width") == band.get_attribute("data-style-width")
    expect(page.get_by_test_id("topic-chart").locator("svg")).to_be_visible()
    assert violations == []
