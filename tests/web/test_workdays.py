"""The holiday and make-up workday table through the test client, and the working-day functions
that read it."""

from __future__ import annotations

from datetime import date

import pytest

from anjian.audit.models import AuditEntry
from anjian.policy import workdays
from anjian.policy.models import WorkdayOverride
from anjian.policy.services.workdays import workday_override_add

pytestmark = pytest.mark.django_db

URL = "/policy/workdays/"


def _counts() -> tuple[int, int]:
    return WorkdayOverride.objects.count(), AuditEntry.objects.count()


def _post(client, day: str, kind: str, note: str = ""):  # type: ignore[no-untyped-def]
    return client.post(f"{URL}?year=2027", {"date": day, "kind": kind, "note": note})


def test_office_adds_a_holiday_that_the_deadline_skips(world, client, login) -> None:
    login(world.users["office"])
    page = client.get(f"{URL}?year=2027")
    assert page.status_code == 200 and page.context["year"] == 2027
    assert "节假日数据包未包含 2027 年" in page.content.decode()
    assert workdays.is_workday(date(2027, 10, 4))  # a Monday: Monday to Friday until entered
    assert workdays.deadline_after(date(2027, 10, 1), 1) == date(2027, 10, 4)

    response = _post(client, "2027-10-04", "holiday", " 国庆节 ")
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")

    row = WorkdayOverride.objects.get()
    assert (row.date, row.is_workday, row.note) == (date(2027, 10, 4), False, "国庆节")
    assert row.created_by == world.users["office"]
    assert not workdays.is_workday(date(2027, 10, 4))
    assert workdays.deadline_after(date(2027, 10, 1), 1) == date(2027, 10, 5)
    assert workdays.deadline_after(date(2027, 9, 30), 2) == date(2027, 10, 6)  # 1 Oct fixed
    entry = AuditEntry.objects.get(action="workday.add")
    assert entry.actor == world.users["office"] and entry.target_id == str(row.pk)
    assert entry.changes == {
        "date": "2027-10-04",
        "is_workday": False,
        "kind": "法定节假日",
        "note": "国庆节",
    }
    page = client.get(f"{URL}?year=2027").content.decode()
    assert "2027-10-04" in page and "国庆节" in page and "已按本表登记的 1 天计算" in page
    assert workdays.year_status(2027) == {
        "year": 2027,
        "covered": False,
        "overrides": 1,
        "holidays": 1,
        "workdays": 0,
        "note": "节假日数据未覆盖 2027 年：已按办公室录入的 1 个节假日和调休日计算，"
        "其余日期按周一至周五计算（元旦、劳动节、国庆节固定放假）",
    }


def test_a_make_up_workday_on_a_saturday_counts(world, client, login) -> None:
    login(world.users["bureau_head"])
    assert _post(client, "2027-10-09", "workday", "国庆节调休").status_code == 302
    assert workdays.is_workday(date(2027, 10, 9))
    assert workdays.deadline_after(date(2027, 10, 8), 1) == date(2027, 10, 9)
    assert workdays.deadline_after(date(2027, 10, 8), 2) == date(2027, 10, 11)


@pytest.mark.parametrize(
    ("day", "kind", "field", "message"),
    [
        (
            "2027-10-02",
            "holiday",
            "kind",
            "星期六）按周一至周五及固定节日规则已是休息日",
        ),
        (
            "2027-10-05",
            "workday",
            "kind",
            "星期二）按周一至周五及固定节日规则已是工作日",
        ),
        ("2025-10-01", "holiday", "kind", "2025-10-01（星期三）按节假日数据已是休息日"),
        ("2025-10-11", "workday", "kind", "2025-10-11（星期六）按节假日数据已是工作日"),
        ("2027-13-01", "holiday", "date", "有效的日期"),
        ("2019-10-01", "holiday", "date", "只能登记 2020 年至"),
        ("", "holiday", "date", "这个字段是必填项"),
        ("2027-10-04", "", "kind", "这个字段是必填项"),
        ("2027-10-04", "rest", "kind", "选择一个有效的选项"),
    ],
)
def test_pointless_and_bad_input_is_redisplayed_and_writes_nothing(
    world, client, login, day: str, kind: str, field: str, message: str
) -> None:
    login(world.users["office"])
    before = _counts()
    response = _post(client, day, kind, "试一下")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert message in response.content.decode()
    assert _counts() == before


def test_a_day_entered_twice_is_refused(world, client, login) -> None:
    login(world.users["office"])
    assert _post(client, "2027-02-08", "holiday", "春节").status_code == 302
    before = _counts()
    response = _post(client, "2027-02-08", "holiday", "春节")
    assert response.status_code == 200
    assert "2027-02-08 已经登记过" in response.content.decode()
    assert _counts() == before


def test_a_note_longer_than_sixty_characters_is_refused(world, client, login) -> None:
    login(world.users["office"])
    before = _counts()
    response = _post(client, "2027-02-08", "holiday", "春" * 61)
    assert response.status_code == 200 and response.context["form"].errors["note"]
    assert _counts() == before


def test_staff_see_the_table_but_only_office_and_head_change_it(world, client, login) -> None:
    row = workday_override_add(actor=None, day=date(2027, 5, 3), is_workday=False, note="劳动节")
    before = _counts()
    for username in ("hazchem", "discipline", "legal_office"):
        login(world.users[username])
        page = client.get(f"{URL}?year=2027")
        assert page.status_code == 200 and "劳动节" in page.content.decode()
        assert not page.context["can_edit"] and 'data-testid="workday-form"' not in (
            page.content.decode()
        )
        assert _post(client, "2027-05-04", "holiday", "劳动节").status_code == 403
        assert client.post(f"{URL}{row.pk}/delete/").status_code == 403
    assert _counts() == before
    for username in ("enterprise", "system_admin"):
        login(world.users[username])
        assert client.get(URL).status_code == 403


def test_delete_restores_the_calendar_and_is_audited(world, client, login) -> None:
    row = workday_override_add(
        actor=world.users["office"], day=date(2027, 10, 4), is_workday=False, note="国庆节"
    )
    assert not workdays.is_workday(date(2027, 10, 4))
    login(world.users["bureau_head"])
    assert client.get(f"{URL}{row.pk}/delete/").status_code == 405
    response = client.post(f"{URL}{row.pk}/delete/")
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    assert not WorkdayOverride.objects.exists()
    assert workdays.is_workday(date(2027, 10, 4))
    entry = AuditEntry.objects.get(action="workday.delete")
    assert entry.actor == world.users["bureau_head"] and entry.target_id == str(row.pk)
    assert entry.changes["date"] == "2027-10-04" and entry.changes["note"] == "国庆节"
    assert client.post(f"{URL}{row.pk}/delete/").status_code == 404


def test_an_override_corrects_a_year_the_package_knows(world, client, login) -> None:
    login(world.users["office"])
    page = client.get(f"{URL}?year=2025")
    assert page.context["status"]["covered"] and page.context["status"]["note"] is None
    package = {d["date"]: d for d in page.context["package_days"]}
    assert (
        package[date(2025, 10, 8)]["note"] == "国庆节"
        and not package[date(2025, 10, 8)]["is_workday"]
    )
    assert package[date(2025, 10, 11)]["is_workday"]  # a make-up Saturday
    assert workdays.deadline_after(date(2025, 10, 10), 1) == date(2025, 10, 11)
    assert (
        client.post(
            f"{URL}?year=2025", {"date": "2025-10-11", "kind": "holiday", "note": "更正"}
        ).status_code
        == 302
    )
    assert not workdays.is_workday(date(2025, 10, 11))
    assert workdays.deadline_after(date(2025, 10, 10), 1) == date(2025, 10, 13)


def test_deadline_reads_the_overrides_in_one_query(world, django_assert_num_queries) -> None:
    for day in (date(2027, 2, 8), date(2027, 2, 9), date(2027, 2, 10)):
        workday_override_add(actor=None, day=day, is_workday=False, note="春节")
    with django_assert_num_queries(1):
        assert workdays.deadline_after(date(2027, 2, 5), 1) == date(2027, 2, 11)
    with django_assert_num_queries(1):
        assert workdays.deadline_after(date(2027, 1, 1), 60) == date(2027, 3, 31)
    with django_assert_num_queries(1):
        lookup = workdays.workday_lookup(date(2027, 1, 1), date(2027, 1, 31))
        assert [lookup(date(2027, 1, d)) for d in (1, 2, 4)] == [False, False, True]  # 元旦
    with django_assert_num_queries(1):  # a day past the span widens it by one query, not per day
        assert not lookup(date(2027, 2, 8)) and not lookup(date(2027, 2, 10))
        assert lookup(date(2027, 2, 11)) and lookup(date(2027, 12, 31))
    with django_assert_num_queries(1):
        assert not lookup(date(2026, 10, 1))  # before the span: National Day from the package


def test_an_unknown_year_falls_back_to_monday_to_friday_less_fixed_holidays() -> None:
    assert not workdays.calendar_covers(2099)
    for day in (date(2099, 1, 1), date(2099, 5, 1), date(2099, 10, 1), date(2099, 10, 2)):
        assert not workdays.calendar_is_workday(day)  # 元旦, 劳动节, 国庆节 on weekdays
    assert workdays.calendar_is_workday(date(2099, 10, 5))  # a Monday
    assert not workdays.calendar_is_workday(date(2099, 10, 3))  # a Saturday
    note = workdays.uncovered_note(2099)
    assert note.startswith("节假日数据未覆盖 2099 年：工作日暂按周一至周五")
    assert "录入本年工作日表" in workdays.uncovered_note(2099)
    fixed = workdays.package_days(2099)
    assert [(row["date"], row["note"]) for row in fixed] == [
        (date(2099, 1, 1), "元旦"),
        (date(2099, 5, 1), "劳动节"),
        (date(2099, 10, 1), "国庆节"),
        (date(2099, 10, 2), "国庆节"),
    ]


def test_the_office_is_warned_to_fill_in_an_unknown_year(client, world) -> None:
    """Near the end of a known year, the home page tells the office that next year's holidays
    are missing; once a holiday of that year is entered the warning goes."""
    assert workdays.calendar_warnings(date(2026, 5, 1)) == []
    [warning] = workdays.calendar_warnings(date(2026, 11, 16))
    assert warning["year"] == 2027 and "2027" in warning["note"]
    client.force_login(world.users["office"])
    page = client.get("/").content.decode()
    assert 'data-testid="calendar-warning"' in page and "2027" in page
    workday_override_add(actor=None, day=date(2027, 2, 8), is_workday=False, note="春节")
    assert workdays.calendar_warnings(date(2026, 11, 16)) == []
