"""Every month has a quiet period: a month nobody declared by the deadline gets the default
pattern, and the check, the planners and the pages all read the same days."""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from anjian.planning.annual import inspection_days, key_enterprise
from anjian.planning.inputs import planner_input
from anjian.planning.models import PlanningMonth
from anjian.policy.models import QuietDefault, QuietMonth, RuleSet
from anjian.policy.selectors import quiet_days, quiet_month_state
from anjian.policy.services.booking import entry_check
from anjian.policy.services.quiet import quiet_default_set, quiet_month_declare
from anjian.registry.services import enterprise_create
from tests.clock import TEST_TODAY
from tests.conftest import make_uscc

from .policy_helpers import county_officers, request_for

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)


def _days(month: date, first: int, last: int) -> set[date]:
    return {month.replace(day=d) for d in range(first, last + 1)}


def test_an_undeclared_month_blocks_enforcement_on_the_default_days(world) -> None:
    officers = county_officers(world)
    blocked = entry_check(request_for(world, "chem", date(2025, 7, 3), officers))
    assert [(r.code, r.severity) for r in blocked.verdict.reasons] == [("QUIET_PERIOD", "block")]
    allowed = entry_check(request_for(world, "chem", date(2025, 7, 11), officers))
    assert allowed.verdict.allowed and allowed.verdict.reasons == ()
    state = quiet_month_state(world.county.pk, JULY)
    assert state.source == "default" and state.deadline == date(2025, 6, 25)
    assert set(state.days) == _days(JULY, 1, 10)


def test_the_planners_and_the_check_see_the_same_days(world) -> None:
    month = PlanningMonth.objects.create(
        body=world.county, month=JULY, cutoff=date(2025, 6, 20), opened_by=world.users["office"]
    )
    expected = _days(JULY, 1, 10)
    assert planner_input(month).plan.quiet_days == expected
    assert quiet_days(world.county.pk, JULY, date(2025, 7, 31)) == expected
    QuietMonth.objects.create(body=world.county, month=JULY, days=list(range(16, 26)))
    assert planner_input(month).plan.quiet_days == _days(JULY, 16, 25)
    _total, capacity, notes = inspection_days(world.county, 2025)
    # July 2025: 23 working days; 16–25 July hold 8 of them (19, 20 July are a weekend)
    assert capacity[7] == 15
    assert any("按默认安静期计算" in n and "7月" not in n.split("未设置")[0] for n in notes)


def test_after_the_deadline_only_the_head_changes_a_month_and_nothing_is_written(world) -> None:
    with pytest.raises(ValidationError) as refused:
        quiet_month_declare(
            actor=world.users["office"],
            body=world.county,
            month=JULY,
            days=list(range(11, 21)),
            today=date(2025, 6, 26),
        )
    assert "默认安静期已向企业公布" in " ".join(refused.value.messages)
    assert not QuietMonth.objects.exists()
    row = quiet_month_declare(
        actor=world.users["bureau_head"],
        body=world.county,
        month=JULY,
        days=list(range(11, 21)),
        today=date(2025, 6, 26),
    )
    assert row.days == list(range(11, 21))
    before = quiet_month_declare(  # before its deadline the office may declare
        actor=world.users["office"],
        body=world.county,
        month=date(2025, 8, 1),
        days=list(range(1, 11)),
        today=date(2025, 7, 25),
    )
    assert before.days == list(range(1, 11))


def test_a_body_default_applies_only_to_months_not_yet_published(world) -> None:
    with pytest.raises(ValidationError):
        quiet_default_set(
            actor=world.users["office"],
            body=world.county,
            ranges=((1, 5),),
            today=date(2025, 6, 26),
        )
    assert not QuietDefault.objects.exists()
    quiet_default_set(
        actor=world.users["office"], body=world.county, ranges=((16, 25),), today=date(2025, 6, 26)
    )
    assert set(quiet_month_state(world.county.pk, JULY).days) == _days(JULY, 1, 10)  # published
    august = date(2025, 8, 1)
    assert set(quiet_month_state(world.county.pk, august).days) == _days(august, 16, 25)


def test_industry_trade_is_no_key_enterprise(world) -> None:
    firm = enterprise_create(
        actor=None,
        data={
            "name": "文水县某工贸有限公司",
            "uscc": make_uscc(60),
            "sector": "industry_trade",
            "standardization_grade": 2,
            "supervising_body": world.county,
            "town": "凤城镇",
            "status": "operating",
        },
    )
    assert key_enterprise(firm).key is False
    assert key_enterprise(world.enterprises["chem"]).reason == "高危行业（危险化学品）"


def test_the_migration_corrects_only_the_unedited_shipped_version(world) -> None:
    migration = importlib.import_module(
        "anjian.policy.migrations.0005_high_risk_and_quiet_defaults"
    )
    shipped = RuleSet.objects.get(version=1)
    old = {k: v for k, v in shipped.data.items() if not k.startswith("quiet_d")}
    old.pop("quiet_backfill_workdays")
    old["high_risk_sectors"] = ["hazardous_chemicals", "industry_trade", "metallurgy"]
    old["choices"] = old["choices"][:10]
    RuleSet.objects.filter(pk=shipped.pk).update(data=old, change_note=migration.SHIPPED_NOTE)
    edited = RuleSet.objects.create(
        name=shipped.name,
        version=2,
        title=shipped.title,
        effective_from=date(2027, 1, 1),
        data=old,
        change_note="法制办另存",
        created_by=world.users["legal_office"],
    )
    migration.correct(django_apps, None)
    shipped.refresh_from_db()
    edited.refresh_from_db()
    assert "high_risk_sectors" not in shipped.data
    assert shipped.data["quiet_default_days"] == [[1, 10]]
    assert len(shipped.data["choices"]) == 15 and "QUIET_BACKFILL" in shipped.data["bases"]
    assert shipped.change_note.startswith(migration.SHIPPED_NOTE + "；2026 年数据迁移改正")
    assert edited.data == old  # the legal office's version is left as it was saved
    assert edited.rules().cap_for("industry_trade", 2, None, None)[0] == 2


def test_office_sees_undeclared_months_and_enterprises_see_the_default(
    world, client, login
) -> None:
    this = TEST_TODAY.replace(day=1)
    following = (this + timedelta(days=32)).replace(day=1)
    deadline = following - timedelta(days=1)
    deadline = deadline.replace(day=min(25, deadline.day))
    login(world.users["office"])
    home = client.get("/").content.decode()
    assert f"{this.year}年{this.month}月未在截止日" in home and "已按默认安静期执行" in home
    if deadline >= TEST_TODAY:
        expected = f"{following.year}年{following.month}月尚未设置安静期：{_cn(deadline)}前未设置的"
        assert expected in home
    page = client.get(f"/policy/quiet/?month={following:%Y-%m}").content.decode()
    assert "按默认安静期（每月 1日至10日）执行" in page
    login(world.users["enterprise"])
    mine = client.get("/policy/mine/").content.decode()
    assert mine.count("默认安静期") >= 2 and f"{this.month}月1日至10日" in mine


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
