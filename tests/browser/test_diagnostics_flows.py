"""The enterprise's diagnostics page in a desktop browser: the enterprise user opens its own page,
reads the job types, the topics with their bands, the ranked topics to train and the trend over
inspections, then raises the pass mark and sees the pass rate fall."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.test_diagnostics import WEAK, make_bank, open_exam, simulate


def test_the_enterprise_reads_its_diagnostics_and_changes_the_pass_mark(
    live_world, live_server, page_for
) -> None:
    bank = make_bank()
    simulate(open_exam(live_world, "chem", days_ago=60), bank, 8, ability=1.4, seed=21)
    simulate(open_exam(live_world, "chem"), bank, 8, ability=1.8, seed=22)
    simulate(open_exam(live_world, "chem"), bank, 5, ability=1.8, seed=23, job="special_operator")
    page = page_for("enterprise")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/training/diagnostics/mine/")
    page.wait_for_url(f"**/training/diagnostics/enterprises/{live_world.enterprises['chem'].pk}/")
    expect(page.get_by_test_id("diagnostics-title")).to_contain_text("文水县宏达化工有限公司")

    jobs = page.get_by_test_id("job-row")
    expect(jobs).to_have_count(2)
    expect(page.get_by_test_id("job-rows")).to_contain_text("一般从业人员")
    expect(page.get_by_test_id("job-rows")).to_contain_text("特种作业人员")

    topics = page.get_by_test_id("topic-rows").get_by_test_id("topic-row")
    expect(topics).to_have_count(5)
    expect(topics.first).to_have_attribute("data-topic", WEAK)
    expect(topics.first.get_by_test_id("topic-band")).to_contain_text("±")

    to_train = page.get_by_test_id("to-train-item")
    expect(to_train.first).to_have_attribute("data-topic", WEAK)
    expect(to_train.first).to_contain_text("有限空间作业")
    expect(to_train.first).to_contain_text("低于合格线")

    expect(page.get_by_test_id("trend-chart").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("trend-row")).to_have_count(3)

    rate = page.get_by_test_id("summary-pass-rate")
    before = int(rate.inner_text().rstrip("%"))
    page.get_by_label("合格分").fill("50")
    page.get_by_test_id("diagnostics-apply").click()
    page.wait_for_url("**pass_mark=50**")
    expect(page.get_by_test_id("diagnostics-period")).to_contain_text("合格分 50 分")
    lenient = int(rate.inner_text().rstrip("%"))
    page.get_by_label("合格分").fill("95")
    page.get_by_test_id("diagnostics-apply").click()
    page.wait_for_url("**pass_mark=95**")
    strict = int(rate.inner_text().rstrip("%"))
    assert lenient > before > strict, (lenient, before, strict)


def test_calibrating_the_bank_asks_first_and_says_what_will_happen(
    live_world, live_server, page_for
) -> None:
    """Issue 20, item 1: calibration rewrites the parameters every adaptive exam uses, so the
    button asks first, saying what will change; "no" runs nothing, "yes" records the run."""
    from anjian.training.models import CalibrationRun

    page = page_for("office")
    page.goto(f"{live_server.url}/training/calibration/")
    asked: list[str] = []

    def dismiss(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_test_id("calibrate").click()
    page.wait_for_timeout(300)
    assert asked and "重新估计" in asked[0] and "名考生" in asked[0]
    assert CalibrationRun.objects.count() == 0
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("calibrate").click()
    page.wait_for_url("**/training/calibration/*/")
    assert CalibrationRun.objects.count() == 1
