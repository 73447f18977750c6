"""Builders for the penalty-case tests: a finding on an inspection, a case opened from it, and
the procedure carried forward on fixed dates (a plain week of March 2025)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from anjian.accounts.models import EnforcementBody
from anjian.enforcement.models import BenchmarkVersion, PenaltyCase
from anjian.enforcement.services.case_proposal import case_propose
from anjian.enforcement.services.case_steps import (
    case_decide,
    case_deliver,
    case_notify,
    case_record_collective,
    case_record_defence,
    case_review,
    case_submit_review,
)
from anjian.enforcement.services.cases import case_open
from anjian.enforcement.services.discretion import load_shipped
from anjian.enforcement.services.library import version_adopt
from anjian.inspections.codes import entry_code
from anjian.inspections.models import Hazard, InspectionTask
from anjian.inspections.services.records import FindingRequest, add_finding
from anjian.inspections.services.visits import check_in
from tests.conftest import World
from tests.web.inspection_helpers import approved_task, field_team, today

MONDAY = date(2025, 3, 3)  # no holiday in this month
"""The filing day; the notice on the same day gives defence until Thu 6th, hearing until Mon
10th."""


def inspection(world: World) -> InspectionTask:
    """One on-site inspection of the chemical works today, checked in (made once per world)."""
    found = getattr(world, "penalty_task", None)
    if found is None:
        load_shipped()  # transactional (browser) tests flush the rows the data migration made
        ready_to_decide(world)
        team = field_team(world)
        found = check_in(
            actor=team.lead, code=entry_code(approved_task(world, team)), today=today()
        )
        world.penalty_task = found  # type: ignore[attr-defined]
    return found


def ready_to_decide(world: World) -> None:
    """What a decision needs besides the case: the body's payment account, and the benchmark
    versions adopted by the legal office under an official title and number."""
    for body in EnforcementBody.objects.all():
        body.payment_bank = "中国农业银行文水县支行"
        body.payment_account_name = "文水县财政局非税收入专户"
        body.payment_account_no = "0412 0101 0400 12345"
        body.phone = "0358-3022119"
        body.address = "文水县凤城镇迎宾路8号"
        body.save()
    for version in BenchmarkVersion.objects.filter(adopted_at__isnull=True):
        version_adopt(
            actor=world.users["legal_office"],
            version=version,
            title="文水县应急管理行政处罚裁量基准",
            document="文应急发〔2025〕1号",
        )


def finding(world: World, text: str = "储罐区未设置安全警示标志") -> Hazard:
    """A finding on the inspection of the chemical works, today."""
    task = inspection(world)
    item = task.items.order_by("code").first()
    assert item is not None
    lead = task.officers.order_by("pk").first()
    assert lead is not None and lead.user is not None
    return add_finding(
        actor=lead.user,
        task=task,
        request=FindingRequest(
            description=text,
            level="general",
            item_id=item.pk,
            location="甲类储罐区",
            legal_basis="《中华人民共和国安全生产法》第三十五条",
        ),
        today=today(),
    )


def open_case(
    world: World, hazard: Hazard, *, article: str = "99", item: str | None = "1", **kw: Any
) -> PenaltyCase:
    officers = list(hazard.task.officers.all())
    fields: dict[str, Any] = {
        "actor": world.users["hazchem"],
        "hazards": [hazard],
        "law": "安全生产法",
        "article": article,
        "item": item,
        "officers": officers,
        "filed_on": MONDAY,
        "facts_text": "2025年3月3日检查发现储罐区未设置安全警示标志。",
    }
    fields.update(kw)
    return case_open(**fields)


def propose(world: World, case: PenaltyCase, **kw: Any) -> PenaltyCase:
    fields: dict[str, Any] = {
        "actor": world.users["hazchem"],
        "case": case,
        "facts": {"count": 1},
        "unit_fine": 10000,
        "person_fine": None,
        "measures": ["责令限期改正"],
        "today": MONDAY,
    }
    fields.update(kw)
    return case_propose(**fields)


def notified(world: World, case: PenaltyCase, day: date = MONDAY) -> PenaltyCase:
    return case_notify(actor=world.users["hazchem"], case=case, today=day)


def reviewed(world: World, case: PenaltyCase, day: date = MONDAY, opinion: str = "") -> None:
    case_submit_review(actor=world.users["hazchem"], case=case, today=day)
    case_review(
        actor=world.users["legal_office"], case=case, approve=True, opinion=opinion, today=day
    )


def decided_case(world: World, hazard: Hazard, fine: int = 10000) -> PenaltyCase:
    """A small fine (no review, no hearing), notified Monday, the party waives, decided and
    delivered Tuesday."""
    case = propose(world, open_case(world, hazard), unit_fine=fine)
    notified(world, case)
    case_record_defence(actor=world.users["hazchem"], case=case, waived=True, today=MONDAY)
    tuesday = MONDAY + timedelta(days=1)
    case_decide(actor=world.users["bureau_head"], case=case, today=tuesday)
    return case_deliver(
        actor=world.users["hazchem"], case=case, delivered_on=tuesday, today=tuesday
    )


def collective(world: World, case: PenaltyCase, day: date = MONDAY) -> None:
    case_record_collective(
        actor=world.users["bureau_head"], case=case, note="局长、副局长参加，同意", today=day
    )
