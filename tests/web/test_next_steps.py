"""Whose turn it is (issue 20, item 4): each case, task, rectification order and quiet-period
exception tells, on its page and in its list, who acts next and by when; each role's home lists
its work with counts, deadlines and links (item 5)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from anjian.enforcement.services.case_steps import case_record_defence
from anjian.inspections.services.records import issue_order
from anjian.policy.services.quiet import quiet_exception_request
from tests.web.inspection_helpers import approved_task, field_team, today
from tests.web.penalty_helpers import MONDAY, finding, inspection, notified, open_case, propose
from tests.web.policy_helpers import quiet

pytestmark = pytest.mark.django_db


def _next_step(html: str) -> str:
    found = re.search(r'data-testid="next-step-text">([^<]*)<', html)
    assert found, "the page shows no next-step box"
    return found.group(1)


def _count(html: str, key: str) -> int:
    found = re.search(rf'data-testid="{key}">(\d+)<', html)
    assert found, f"the home shows no card {key}"
    return int(found.group(1))


def test_a_case_waiting_for_the_head_tells_its_handler(world, login) -> None:  # type: ignore[no-untyped-def]
    case = notified(world, propose(world, open_case(world, finding(world))))
    case_record_defence(actor=world.users["hazchem"], case=case, waived=True, today=MONDAY)
    handler = login(world.users["hazchem"])
    html = handler.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert _next_step(html) == "待局领导作出处罚决定"
    assert "您当前没有可办理的步骤" not in html
    due = MONDAY + timedelta(days=90)  # the 90 days to decide, long past on the test's day
    assert f"期限：{due:%Y-%m-%d}（已逾期）" in html
    listed = handler.get(reverse("enforcement:case_list")).content.decode()
    assert "待局领导作出处罚决定" in listed
    # the legal office, who has nothing to do on the case, is told the same
    html = login(world.users["legal_office"]).get(
        reverse("enforcement:case_detail", args=[case.pk])
    )
    assert "本案当前待局领导作出处罚决定，您暂无需办理。" in html.content.decode()
    home = login(world.users["bureau_head"]).get("/").content.decode()
    assert _count(home, "case-decisions") == 1
    assert f"最早期限 {due:%Y-%m-%d}（已逾期）" in home


def test_an_order_waits_for_the_enterprise(world, login) -> None:  # type: ignore[no-untyped-def]
    hazard = finding(world)
    task = inspection(world)
    lead = task.officers.order_by("pk").first().user
    order = issue_order(
        actor=lead, task=task, hazard_ids=[hazard.pk], working_days=5, today=today()
    )
    name = world.enterprises["chem"].name
    officer = login(lead)
    html = officer.get(reverse("inspections:task_detail", args=[task.pk])).content.decode()
    assert f"待企业整改（{name}）" in html
    assert f"{order.deadline:%Y-%m-%d}前" in html  # on the finding's line of the order
    listed = officer.get(reverse("inspections:hazard_list") + "?view=open").content.decode()
    assert f"待企业整改（{name}）" in listed
    home = login(world.users["enterprise"]).get("/").content.decode()
    assert _count(home, "card-hazards") == 1
    assert f"最近期限 {order.deadline:%Y-%m-%d}" in home
    assert home.index('data-testid="card-hazards"') < home.index('data-testid="card-complaints"')


def test_an_exception_waits_for_the_head(world, login) -> None:  # type: ignore[no-untyped-def]
    day = today()
    entry = (day.replace(day=1) + timedelta(days=40)).replace(day=5)
    quiet(world, entry, list(range(1, 11)))
    row = quiet_exception_request(
        actor=world.users["hazchem"],
        enterprise=world.enterprises["chem"],
        day=entry,
        activity="enforcement_inspection",
        reason="群众举报夜间违规充装，需现场固定证据",
        section=world.sections["hazchem"],
        today=day,
    )
    section = login(world.users["hazchem"])
    html = section.get(reverse("policy:exception_detail", args=[row.pk])).content.decode()
    assert _next_step(html) == "待局领导审批特殊情形入企"
    assert f"期限：{entry:%Y-%m-%d}" in html
    listed = section.get(reverse("policy:exception_list")).content.decode()
    assert "待局领导审批特殊情形入企" in listed
    home = login(world.users["bureau_head"]).get("/").content.decode()
    assert _count(home, "card-exceptions") == 1
    assert reverse("policy:exception_list") + "?status=pending" in home


def test_an_approved_task_waits_for_the_check_in(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    day = today() + timedelta(days=1)
    task = approved_task(world, team, day)
    officer = login(team.lead)
    html = officer.get(reverse("inspections:task_detail", args=[task.pk])).content.decode()
    assert _next_step(html) == "待承办人员亮码签到入企"
    assert f"期限：{day:%Y-%m-%d}（还剩 1 天）" in html
    listed = officer.get(reverse("inspections:task_list")).content.decode()
    assert "待承办人员亮码签到入企" in listed


def test_a_pending_task_waits_for_the_head_on_his_home(world, login) -> None:  # type: ignore[no-untyped-def]
    from anjian.inspections.services.tasks import request_task
    from tests.web.inspection_helpers import task_request

    team = field_team(world)
    day: date = today() + timedelta(days=2)
    task = request_task(
        actor=world.users["hazchem"], request=task_request(world, team, day), today=today()
    )
    html = login(team.lead).get(reverse("inspections:task_detail", args=[task.pk]))
    assert _next_step(html.content.decode()) == "待局领导审批检查任务"
    home = login(world.users["bureau_head"]).get("/").content.decode()
    assert _count(home, "card-tasks-pending") == 1
    cards = re.findall(r'data-testid="([a-z-]+)-card"', home)
    assert cards[0] == "card-tasks-pending"  # the only work with a deadline comes first
