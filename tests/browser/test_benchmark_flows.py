"""The legal office loads a discretion benchmark in a real browser: a sheet with a tier outside the
statute is refused with its row and nothing is written; the corrected sheet is previewed, imported
and shown as the version in force. The discipline inspectors read the consistency monitor."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from anjian.enforcement.models import BenchmarkVersion
from anjian.enforcement.services.discretion import load_shipped
from tests.web.test_benchmark_pages import GOOD_ROWS, _row, _workbook


def _file(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "benchmark.xlsx"
    path.write_bytes(_workbook(rows).getvalue())
    return path


def test_the_legal_office_imports_a_benchmark(live_world, live_server, page_for, tmp_path) -> None:
    load_shipped()  # the live server's database was flushed after the migrations
    before = BenchmarkVersion.objects.count()
    page = page_for("legal_office")
    page.goto(f"{live_server.url}/enforcement/benchmarks/")
    page.get_by_role("link", name="Excel导入新版本").click()
    page.get_by_label("基准标识").fill("mem-2024-90")
    page.get_by_label("版本").fill("2024-11-01 原件版")
    page.get_by_label("名称").fill("应急管理行政处罚裁量权基准")
    page.get_by_label("制定机关").fill("应急管理部")
    page.get_by_label("文号").fill("应急〔2024〕90号")
    page.get_by_label("生效日期").fill("2025-06-01")
    bad = [_row(阶次="A", 单位罚款上限="15万")]
    page.get_by_label("Excel文件（.xlsx）").set_input_files(_file(tmp_path, bad))
    page.get_by_test_id("benchmark-upload").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("第2行")
    expect(errors).to_contain_text("超出法定幅度")
    assert BenchmarkVersion.objects.count() == before
    page.get_by_label("Excel文件（.xlsx）").set_input_files(_file(tmp_path, GOOD_ROWS))
    page.get_by_test_id("benchmark-upload").click()
    expect(page.get_by_test_id("import-ok")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())  # importing asks first
    page.get_by_test_id("benchmark-import-confirm").click()
    page.wait_for_url("**/enforcement/benchmarks/*/")
    expect(page.locator("body")).to_contain_text("法制办导入")
    saved = BenchmarkVersion.objects.get(version="2024-11-01 原件版")
    assert (saved.entry_count, saved.tier_count) == (1, 2)


def test_the_discipline_inspectors_read_the_monitor(live_world, live_server, page_for) -> None:
    page = page_for("discipline")
    page.goto(f"{live_server.url}/enforcement/monitor/")
    expect(page.locator("body")).to_contain_text("罚没收入不与任何考核指标、经费挂钩")
    denied = page_for("hazchem")
    response = denied.goto(f"{live_server.url}/enforcement/monitor/")
    assert response is not None and response.status == 403
