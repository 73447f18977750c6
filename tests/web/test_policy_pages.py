"""The policy pages through the test client: roles, scope, forms that re-display with messages."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from anjian.policy.models import EntryBooking, QuietException, QuietMonth, RuleSet

from .policy_helpers import county_officers, quiet

pytestmark = pytest.mark.django_db


def _month() -> date:
    today = timezone.localdate()
    return (today.replace(day=28) + timedelta(days=4)).replace(day=1)  # next month


def test_rule_sets_are_shown_to_staff_and_edited_by_the_legal_office(world, client, login) -> None:
    current = RuleSet.objects.get()
    login(world.users["hazchem"])
    assert client.get("/policy/rules/").status_code == 200
    page = client.get(f"/policy/rules/{current.pk}/").content.decode()
    assert "高危行业" in page and "督导检查" in page and "文件未明确之处" in page
    assert client.get("/policy/rules/new/").status_code == 403
    login(world.users["legal_office"])
    form = client.get("/policy/rules/new/")
    assert form.status_code == 200
    data = {k: v for k, v in form.context["form"].initial.items() if v is not None}
    data["counting_modes"] = ["on_site"]
    data.update(
        {
            "effective_from": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "change_note": "省厅调整危化二级上限",
            "cap__high_risk__2": 3,
        }
    )
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client.post("/policy/rules/new/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert RuleSet.objects.count() == 2
    assert RuleSet.objects.latest("effective_from").data["caps"]["high_risk"]["2"] == 3


def test_rule_set_form_redisplays_errors_and_writes_nothing(world, client, login) -> None:
    login(world.users["legal_office"])
    response = client.post(
        "/policy/rules/new/", {"effective_from": "2020-01-01", "change_note": ""}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert RuleSet.objects.count() == 1


def test_quiet_calendar_refuses_fewer_than_ten_days(world, client, login) -> None:
    month = _month()
    login(world.users["office"])
    url = f"/policy/quiet/?month={month:%Y-%m}"
    response = client.post(url, {"month": f"{month:%Y-%m}", "days": list(range(1, 10))})
    assert response.status_code == 200
    assert "不少于 10 天" in response.content.decode()
    assert not QuietMonth.objects.exists()
    response = client.post(url, {"month": f"{month:%Y-%m}", "days": list(range(1, 11))})
    assert response.status_code == 302
    assert QuietMonth.objects.get().days == list(range(1, 11))
    login(world.users["hazchem"])
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"month": f"{month:%Y-%m}", "days": list(range(1, 12))}).status_code == 403
    )


def test_exception_request_approval_and_notice(world, client, login) -> None:
    month = _month()
    quiet(world, month, list(range(1, 11)))
    day = month.replace(day=5)
    login(world.users["hazchem"])
    response = client.post(
        "/policy/quiet/exceptions/new/",
        {
            "enterprise": world.enterprises["chem"].pk,
            "date": day.isoformat(),
            "activity": "enforcement_inspection",
            "reason": "举报企业违规动火作业，需立即现场核查",
        },
    )
    assert response.status_code == 302
    row = QuietException.objects.get()
    assert (
        client.post(f"/policy/quiet/exceptions/{row.pk}/", {"decision": "approve"}).status_code
        == 403
    )
    assert client.get(f"/policy/quiet/exceptions/{row.pk}/notice.docx").status_code == 404
    login(world.users["bureau_head"])
    response = client.post(
        f"/policy/quiet/exceptions/{row.pk}/", {"decision": "approve", "note": "同意"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "approved"
    notice = client.get(f"/policy/quiet/exceptions/{row.pk}/notice.docx")
    assert notice.status_code == 200 and notice.content[:2] == b"PK"
    assert "wordprocessingml" in notice["Content-Type"]
    ledger = client.get("/policy/quiet/exceptions/ledger/?year=" + str(day.year)).content.decode()
    assert "举报企业违规动火作业" in ledger
    exported = client.get(f"/policy/quiet/exceptions/ledger/?year={day.year}&export=xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(exported.content))
    assert book["已批准的例外"]["B2"].value == world.enterprises["chem"].name
    assert book["已批准的例外"]["H2"].value.startswith("文水应急抄〔")
    login(world.users["other_office"])
    assert client.get(f"/policy/quiet/exceptions/{row.pk}/").status_code == 404
    login(world.users["enterprise"])
    assert client.get(f"/policy/quiet/exceptions/{row.pk}/").status_code == 403


def test_entry_check_page_checks_then_books(world, client, login) -> None:
    officers = county_officers(world)
    login(world.users["hazchem"])
    data = {
        "enterprise": world.enterprises["chem"].pk,
        "date": "2025-06-20",
        "activity": "enforcement_inspection",
        "mode": "on_site",
        "officers": [o.pk for o in officers],
    }
    response = client.post("/policy/entries/check/", {**data, "check": "1"})
    assert response.status_code == 200 and response.context["outcome"].verdict.allowed
    assert not EntryBooking.objects.exists()
    response = client.post("/policy/entries/check/", {**data, "book": "1"})
    assert response.status_code == 302 and EntryBooking.objects.count() == 1
    blocked = client.post(
        "/policy/entries/check/", {**data, "officers": [officers[0].pk], "book": "1"}
    )
    assert "TOO_FEW_OFFICERS" in blocked.content.decode()
    assert EntryBooking.objects.count() == 1
    bad = client.post("/policy/entries/check/", {**data, "date": "2025-02-30", "book": "1"})
    assert bad.status_code == 200 and bad.context["form"].errors
    listing = client.get("/policy/entries/").content.decode()
    assert world.enterprises["chem"].name in listing


def test_the_enterprise_sees_its_cap_quiet_days_and_nothing_else(world, client, login) -> None:
    login(world.users["enterprise"])
    page = client.get("/policy/mine/")
    assert page.status_code == 200
    year = page.context["year"]
    assert (year.counts.cap, year.counts.remaining) == (4, 4)
    assert client.get("/policy/entries/").status_code == 403
    assert (
        client.get(f"/policy/enterprises/{world.enterprises['chem'].pk}/year/").status_code == 403
    )
    login(world.users["other_office"])
    assert (
        client.get(f"/policy/enterprises/{world.enterprises['chem'].pk}/year/").status_code == 404
    )


def test_mode_suggestion_and_withdrawal(world, client, login) -> None:
    from anjian.policy.services.items import item_list_publish, item_list_start

    legal = world.users["legal_office"]
    draft = item_list_start(actor=legal, body=world.county, today=date(2025, 3, 1))
    published = item_list_publish(actor=legal, draft=draft, today=date(2025, 3, 1), change_note="x")
    remote_items = [
        i.code for i in published.items.all() if set(i.methods) >= {"remote", "written"}
    ]
    site_only = [i.code for i in published.items.all() if i.methods == ["on_site"]]
    chem = world.enterprises["chem"]
    chem.online_monitoring = True
    chem.save()
    login(world.users["hazchem"])
    data = {
        "enterprise": chem.pk,
        "date": "2025-06-10",
        "activity": "enforcement_inspection",
        "mode": "on_site",
        "check": "1",
    }
    remote = client.post("/policy/entries/check/", {**data, "items": remote_items[:2]})
    assert remote.context["suggestion"].mode == "remote"
    on_site = client.post(
        "/policy/entries/check/", {**data, "items": [remote_items[0], site_only[0]]}
    )
    assert on_site.context["suggestion"].mode == "on_site"
    assert site_only[0] in on_site.context["suggestion"].reason

    month = _month()
    quiet(world, month, list(range(1, 11)))
    client.post(
        "/policy/quiet/exceptions/new/",
        {
            "enterprise": chem.pk,
            "date": month.replace(day=3).isoformat(),
            "activity": "research_visit",
            "reason": "调研企业停产检修后复产安排",
        },
    )
    row = QuietException.objects.get()
    assert client.post(f"/policy/quiet/exceptions/{row.pk}/withdraw/").status_code == 302
    row.refresh_from_db()
    assert row.status == "withdrawn"


@pytest.mark.parametrize(
    ("path", "english"),
    [
        ("/policy/rules/", "Entry rule sets"),
        ("/policy/quiet/", "Quiet days"),
        ("/policy/quiet/exceptions/", "Quiet-period exceptions"),
        ("/policy/quiet/exceptions/ledger/", "Exception rate"),
        ("/policy/entries/", "Entry ledger"),
        ("/policy/items/", "Inspection item list"),
    ],
)
def test_policy_pages_in_english(world, client, login, path, english) -> None:
    user = world.users["office"]
    user.language = "en"
    user.save()
    login(user)
    page = client.get(path).content.decode()
    assert english in page
