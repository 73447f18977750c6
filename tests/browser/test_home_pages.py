"""Each role's home in a real browser (issue 20, item 5): every login of the test world opens
its home, which shows the role's key card; a screenshot of each is saved to /tmp/home-<role>.png
to be looked at. The world holds a little work: an order waiting for the enterprise, a case
waiting for the head, an exception waiting for approval, a training institution's login."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from anjian.enforcement.services.case_steps import case_record_defence
from anjian.inspections.services.records import issue_order
from anjian.policy.services.quiet import quiet_exception_request
from anjian.training.models import InstitutionMembership
from anjian.training.services.institutions import institution_create
from tests.conftest import World, make_uscc
from tests.web.inspection_helpers import today
from tests.web.penalty_helpers import MONDAY, finding, inspection, notified, open_case, propose
from tests.web.policy_helpers import quiet

SHOTS = Path("/tmp")

# login -> (the role's key card, a text it shows)
KEY_CARDS = {
    "enterprise": ("card-hazards-card", "待整改隐患"),
    "training_institution": ("institution-status", "培训业务状态"),
    "system_admin": ("card-grants-card", "待安全管理员审批的授权申请"),
    "security_admin": ("card-grants-card", "待我审批的授权申请"),
    "audit_admin": ("card-unusual-card", "今日需关注的审计事件"),
    "bureau_head": ("case-decisions-card", "待局领导集体讨论或决定的案件"),
    "office": ("hazards-overdue-card", "逾期未整改"),
    "legal_office": ("case-reviews-card", "待法制审核的处罚案件"),
    "hazchem": ("inspections-today-card", "今日检查"),
    "enforcement_team": ("case-overdue-card", "办案期限已过"),
    "hr_finance": ("personnel-alerts-card", "人员证书"),
    "discipline": ("card-complaints-card", "办理中的企业投诉"),
}


def _work(world: World) -> int:
    hazard = finding(world)
    task = inspection(world)
    lead = task.officers.order_by("pk").first().user  # type: ignore[union-attr]
    issue_order(actor=lead, task=task, hazard_ids=[hazard.pk], working_days=5, today=today())
    case = notified(world, propose(world, open_case(world, finding(world, text="另一问题"))))
    case_record_defence(actor=world.users["hazchem"], case=case, waived=True, today=MONDAY)
    entry = (today().replace(day=1) + timedelta(days=40)).replace(day=5)
    quiet(world, entry, list(range(1, 11)))
    quiet_exception_request(
        actor=world.users["hazchem"],
        enterprise=world.enterprises["chem"],
        day=entry,
        activity="enforcement_inspection",
        reason="群众举报夜间违规充装，需现场固定证据",
        section=world.sections["hazchem"],
        today=today(),
    )
    institution = institution_create(
        actor=None,
        data={
            "name": "文水县安泰安全培训学校",
            "uscc": make_uscc(901),
            "body": world.county,
            "scope": "主要负责人和安全生产管理人员",
            "registered_on": today() - timedelta(days=300),
        },
    )
    InstitutionMembership.objects.create(
        user=world.users["training_institution"], institution=institution
    )
    return int(case.pk)


@pytest.mark.django_db(transaction=True)
def test_each_role_sees_its_work_on_its_home(live_world, page_for) -> None:  # type: ignore[no-untyped-def]
    case = _work(live_world)
    for username, (testid, text) in KEY_CARDS.items():
        page = page_for(username)
        page.set_viewport_size({"width": 1366, "height": 900})
        card = page.get_by_test_id(testid)
        expect(card).to_be_visible()
        expect(card).to_contain_text(text)
        page.screenshot(path=str(SHOTS / f"home-{username}.png"), full_page=True)
    # the head's first card is the most urgent: the case waiting for his decision is overdue
    head = page_for("bureau_head")
    first = head.get_by_test_id("home-cards").locator("a").first
    expect(first).to_have_attribute("data-testid", "case-decisions-card")
    expect(head.get_by_test_id("case-decisions")).to_have_text("1")
    expect(head.get_by_test_id("card-exceptions")).to_have_text("1")
    # the case page tells its handler that the head decides next
    handler = page_for("hazchem")
    handler.goto(handler.url + f"enforcement/cases/{case}/")
    expect(handler.get_by_test_id("next-step-text")).to_have_text("待局领导作出处罚决定")
    handler.screenshot(path=str(SHOTS / "home-case-next-step.png"), full_page=True)
    enterprise = page_for("enterprise")
    expect(enterprise.get_by_test_id("card-hazards")).to_have_text("1")
    enterprise.get_by_test_id("card-hazards-card").click()
    expect(enterprise).to_have_url(re.compile(r"/portal/hazards/$"))
