"""The entry-rule journeys in a real browser: the office declares quiet days, a section asks for
an exception and the head approves it (and downloads the 抄告 notice), the legal office publishes
a new version of the item list, an enterprise sees its remaining cap."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from playwright.sync_api import expect

from anjian.policy.models import QuietException, QuietMonth
from anjian.policy.services.booking import EntryRequest, entry_book
from anjian.registry.services import officer_create


def _next_month() -> date:
    today = timezone.localdate()
    return (today.replace(day=28) + timedelta(days=4)).replace(day=1)


def test_office_declares_quiet_days_and_is_refused_below_ten(
    live_world, page_for, live_server
) -> None:  # type: ignore[no-untyped-def]
    month = _next_month()
    page = page_for("office")
    page.goto(f"{live_server.url}/policy/quiet/?month={month:%Y-%m}")
    # an undeclared month comes ticked with the default quiet period (days 1–10)
    assert page.get_by_test_id("day-10").is_checked()
    page.get_by_test_id("day-10").uncheck()
    for day in range(1, 10):
        page.get_by_test_id(f"day-{day}").check()
    page.once("dialog", lambda dialog: dialog.dismiss())  # "no" posts nothing
    page.get_by_test_id("quiet-save").click()
    assert not QuietMonth.objects.exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("quiet-save").click()
    assert "不少于 10 天" in page.get_by_test_id("quiet-errors").inner_text()
    assert not QuietMonth.objects.exists()
    page.get_by_test_id("day-10").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("quiet-save").click()
    page.wait_for_url(f"**/policy/quiet/?month={month:%Y-%m}")
    assert page.get_by_test_id("quiet-count").inner_text() == "10"
    assert QuietMonth.objects.get().days == list(range(1, 11))


def test_exception_is_requested_approved_and_noticed(
    live_world, page_for, live_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    month = _next_month()
    QuietMonth.objects.create(body=live_world.county, month=month, days=list(range(1, 11)))
    chem = live_world.enterprises["chem"]
    section = page_for("hazchem")
    section.goto(f"{live_server.url}/policy/quiet/exceptions/new/")
    picker = section.get_by_label("企业")
    picker.press_sequentially("宏达")  # the site script fills the picker's list from the lookup
    offered = section.locator("#id_enterprise-list option")
    expect(offered).to_have_count(1)
    assert offered.get_attribute("value") == f"{chem.uscc} {chem.name}"
    assert offered.text_content() == f"{chem.name}（{chem.town}）"
    picker.fill(offered.get_attribute("value") or "")  # what choosing it from the list does
    section.get_by_label("入企日期").fill(month.replace(day=6).isoformat())
    section.get_by_label("入企活动").select_option("enforcement_inspection")
    section.get_by_label("特殊情形说明").fill("群众举报企业违规动火作业，需立即入企核查")
    section.get_by_test_id("exception-submit").click()
    assert section.get_by_test_id("exception-status").inner_text() == "待审批"
    row = QuietException.objects.get()

    head = page_for("bureau_head")
    head.goto(f"{live_server.url}/policy/quiet/exceptions/{row.pk}/")
    head.get_by_label("批准", exact=True).check()
    head.get_by_label("审批意见").fill("同意，抄告县司法局")
    asked: list[str] = []
    head.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    head.get_by_test_id("decision-submit").click()
    assert head.get_by_test_id("exception-status").inner_text() == "已批准"
    assert asked and chem.name in asked[0]  # the decision is confirmed first, naming the enterprise
    assert "应急抄〔" in head.get_by_test_id("notice-number").inner_text()
    with head.expect_download() as download:
        head.get_by_test_id("notice-download").click()
    saved = tmp_path / "notice.docx"
    download.value.save_as(saved)
    from docx import Document

    text = "\n".join(p.text for p in Document(str(saved)).paragraphs)
    assert chem.name in text and "文水县司法局" in text


def test_enterprise_sees_its_remaining_cap(live_world, page_for, live_server) -> None:  # type: ignore[no-untyped-def]
    chem = live_world.enterprises["chem"]
    second = officer_create(
        actor=None,
        data={
            "name": "赵一",
            "body": live_world.county,
            "certificate_no": "C-201",
            "certificate_valid_until": date(2030, 1, 1),
        },
    )
    today = timezone.localdate()
    for offset in (20, 40):
        day = (
            today - timedelta(days=offset)
            if (today - timedelta(days=offset)).year == today.year
            else today
        )
        entry_book(
            actor=None,
            request=EntryRequest(
                enterprise=chem,
                date=day,
                activity="enforcement_inspection",
                mode="on_site",
                body=live_world.county,
                officers=[live_world.officers["county"], second],
                joint_key="" if offset == 20 else "J-B",
            ),
        )
    page = page_for("enterprise")
    page.locator("#sidebar").get_by_role("link", name="检查频次与安静期").click()
    assert page.get_by_test_id("cap-total").inner_text() == "4"
    used = int(page.get_by_test_id("cap-used").inner_text())
    assert page.get_by_test_id("cap-remaining").inner_text() == str(4 - used)
    assert used >= 1


def test_legal_office_publishes_a_new_item_list_version(live_world, page_for, live_server) -> None:  # type: ignore[no-untyped-def]
    from anjian.policy.models import InspectionItemList
    from anjian.policy.services.items import item_list_publish, item_list_start

    legal_user = live_world.users["legal_office"]
    first = item_list_start(actor=legal_user, body=live_world.county, today=date(2025, 3, 1))
    item_list_publish(actor=legal_user, draft=first, today=date(2025, 3, 1), change_note="起步")
    item = first.items.order_by("code").first()

    page = page_for("legal_office")
    page.goto(f"{live_server.url}/policy/items/")
    assert page.get_by_test_id("starter-label").is_visible()
    page.get_by_test_id("item-new-draft").click()
    page.wait_for_url("**/policy/items/draft/")
    draft = InspectionItemList.objects.get(status="draft")
    edited = draft.items.get(code=item.code)
    page.goto(f"{live_server.url}/policy/items/draft/{edited.pk}/")
    page.get_by_label("事项名称").fill(item.name + "（含应急预案演练）")
    page.get_by_test_id("item-save").click()
    page.wait_for_url("**/policy/items/draft/")
    assert "修改1项" in page.get_by_test_id("draft-changes").inner_text()
    page.get_by_label("修订说明").fill("依据省厅清单调整事项名称")
    page.once("dialog", lambda dialog: dialog.accept())  # publishing asks first
    page.get_by_test_id("publish-button").click()
    page.wait_for_url("**/policy/items/")
    assert "第2版" in page.locator("h1").inner_text()

    public = page.context.browser.new_page()
    public.goto(f"{live_server.url}/policy/public/items/{live_world.county.pk}/")
    table = public.get_by_test_id("item-table").inner_text()
    assert item.name + "（含应急预案演练）" in table
    assert timezone.localdate().isoformat() in table
    assert "依据省厅清单调整事项名称" in public.get_by_test_id("item-history").inner_text()
    public.close()
