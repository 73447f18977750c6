"""Forms that use what the system knows (issue 20, item 3): a case opened from a finding starts
from the provision the finding's breached duty points to, the party as registered, and the
first-offence and corrected-in-time facts the records show, each with its source; the engine
preview on the proposal form shows the same gates the saved proposal gets (hypothesis)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.services.case_prefill import case_prefill
from anjian.inspections.models import Hazard, InspectionTask
from anjian.inspections.services.records import issue_order
from anjian.inspections.services.rectification import LineDecision, review_order
from anjian.registry.models import Enterprise
from tests.web.inspection_helpers import today
from tests.web.penalty_helpers import MONDAY, finding, open_case

pytestmark = pytest.mark.django_db


def _marker(page: str, name: str) -> str:
    found = re.search(rf'data-testid="prefill-{name}" data-value="(\w+)"', page)
    assert found, name
    return found.group(1)


def _new_case_page(client, hazard: Hazard) -> str:
    response = client.get(f"/enforcement/cases/new/?hazard={hazard.pk}")
    assert response.status_code == 200
    return response.content.decode()


def test_a_case_from_a_finding_starts_from_what_the_records_show(world, client) -> None:
    hazard = finding(world)  # 《安全生产法》第三十五条 → the penalty of 99(1)
    enterprise = hazard.task.enterprise
    Enterprise.objects.filter(pk=enterprise.pk).update(legal_representative="王建国")
    client.force_login(world.users["hazchem"])
    page = _new_case_page(client, hazard)
    assert '<option value="安全生产法|99|1" selected>' in page
    assert "已按记录预填：安全生产法第99条第1项" in page
    assert "违反《中华人民共和国安全生产法》第三十五条" in page
    party = page.split('data-testid="prefill-party"', 1)[1].split("</dl>", 1)[0]
    assert enterprise.name in party and enterprise.uscc in party and "王建国" in party
    assert _marker(page, "first_offense") == "yes"
    assert "起无该企业同一条款的案件或检查发现" in page
    assert 'name="first_offense" class="form-check-input" id="id_first_offense" checked' in page
    # an open finding without a review: the records cannot tell yet, the box stays unticked
    assert _marker(page, "corrected_in_time") == "unknown"
    assert 'id="id_corrected_in_time" checked' not in page


def test_an_earlier_case_of_the_provision_is_no_first_offence(world, client) -> None:
    earlier = open_case(world, finding(world, text="仓库未设置安全警示标志"), filed_on=MONDAY)
    hazard = finding(world)
    client.force_login(world.users["hazchem"])
    page = _new_case_page(client, hazard)
    assert _marker(page, "first_offense") == "no"
    assert f"已立案 {earlier.number}（同一条款）" in page
    assert 'id="id_first_offense" checked' not in page
    # another provision's earlier case does not count
    PenaltyCase.objects.filter(pk=earlier.pk).update(article="101")
    assert _marker(_new_case_page(client, hazard), "first_offense") == "yes"


def _ordered(world) -> Hazard:
    hazard = finding(world)
    issue_order(
        actor=hazard.task.officers.first().user,  # type: ignore[union-attr]
        task=hazard.task,
        hazard_ids=[hazard.pk],
        working_days=5,
        today=hazard.task.date,
    )
    return Hazard.objects.get(pk=hazard.pk)


def _review_fixed(hazard: Hazard) -> None:
    task = hazard.task
    review_order(
        actor=task.officers.order_by("pk").first().user,  # type: ignore[union-attr]
        order=hazard.order,  # type: ignore[arg-type]
        mode="on_site",
        lines=[LineDecision(hazard.pk, "closed")],
        officers=list(task.officers.all()),
        note="已整改",
        today=today(),
    )


def test_a_finding_reviewed_fixed_by_its_deadline_was_corrected_in_time(world, client) -> None:
    hazard = _ordered(world)
    _review_fixed(hazard)
    client.force_login(world.users["hazchem"])
    page = _new_case_page(client, hazard)
    assert _marker(page, "corrected_in_time") == "yes"
    assert "复查销号" in page and hazard.order.document.number in page  # type: ignore[union-attr]
    assert 'id="id_corrected_in_time" checked' in page


def test_a_finding_fixed_after_its_deadline_was_not_corrected_in_time(world) -> None:
    hazard = _ordered(world)
    _review_fixed(hazard)  # reviewed today
    Hazard.objects.filter(pk=hazard.pk).update(deadline=today() - timedelta(days=1))
    found = Hazard.objects.select_related("task", "order__document").get(pk=hazard.pk)
    prefill = case_prefill(
        enterprise=found.task.enterprise, findings=[found], day=today(), overdue=False
    )
    assert prefill.corrected_in_time.value is False
    assert "复查销号" in prefill.corrected_in_time.source


def test_opening_keeps_the_facts_as_the_form_showed_them(world, client) -> None:
    hazard = finding(world)
    client.force_login(world.users["hazchem"])
    officers = [o.pk for o in hazard.task.officers.all()]
    response = client.post(
        "/enforcement/cases/new/",
        {
            "hazard": hazard.pk,
            "hazards": [hazard.pk],
            "provision": "安全生产法|99|1",
            "filed_on": MONDAY.isoformat(),
            "party_kind": "unit",
            "officers": officers,
            "first_offense": "on",
        },
    )
    assert response.status_code == 302
    case = PenaltyCase.objects.get()
    assert case.facts == {"overdue": False, "first_offense": True, "count": 1}
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert 'id="id_proposal-first_offense" checked' in page


def test_officer_pickers_name_the_section(world, client) -> None:
    hazard = finding(world)
    client.force_login(world.users["hazchem"])
    page = _new_case_page(client, hazard)
    officer = hazard.task.officers.select_related("section").first()
    assert officer is not None and officer.section is not None
    assert f"{officer.name}（{officer.section.name}，执法证号 {officer.certificate_no}）" in page
    assert 'data-search="输入姓名或股室筛选"' in page


# ---- the preview and the saved proposal agree ----------------------------------------------------


def _procedure(page: str) -> tuple[str, str, str]:
    found = re.search(
        r'data-testid="suggestion-procedure" data-legal-review="(\w+)" data-hearing="(\w+)"'
        r' data-collective="(\w+)"',
        page,
    )
    assert found, "no procedure line"
    return found.group(1), found.group(2), found.group(3)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    unit_fine=st.integers(min_value=1, max_value=50000),
    count=st.integers(min_value=1, max_value=4),
    complex_case=st.booleans(),
    first_offense=st.booleans(),
)
def test_the_preview_shows_the_gates_the_saved_proposal_gets(
    world, client, unit_fine: int, count: int, complex_case: bool, first_offense: bool
) -> None:
    case = getattr(world, "prefill_case", None)
    if case is None:
        case = open_case(world, finding(world))
        world.prefill_case = case  # type: ignore[attr-defined]
    client.force_login(world.users["hazchem"])
    data: dict[str, object] = {
        "proposal-harm": "minor",
        "proposal-count": str(count),
        "proposal-unit_fine": str(unit_fine),
        "proposal-measures": ["责令限期改正"],
        "proposal-deviation_reason": "现场情况与阶次条件不同",
    }
    if complex_case:
        data["proposal-complex_case"] = "on"
    if first_offense:
        data["proposal-first_offense"] = "on"
    step = f"/enforcement/cases/{case.pk}/step/"
    preview = client.post(step, {"event": "preview", **data}).content.decode()
    assert 'data-kind="preview"' in preview
    shown = _procedure(preview)
    response = client.post(step, {"event": "propose", **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    saved = (
        _yes(case.review_required),
        _yes(case.hearing_right),
        _yes(case.collective_required),
    )
    assert shown == saved
    page = client.get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert _procedure(page) == saved  # the saved proposal's card says the same


def test_a_provision_fining_a_person_offers_the_legal_representative(world) -> None:
    hazard = finding(world)
    Hazard.objects.filter(pk=hazard.pk).update(legal_basis="《中华人民共和国安全生产法》第二十一条")
    found = Hazard.objects.select_related("task__enterprise").get(pk=hazard.pk)
    enterprise = found.task.enterprise
    enterprise.legal_representative = "王建国"
    prefill = case_prefill(enterprise=enterprise, findings=[found], day=today(), overdue=False)
    assert prefill.provision is not None and prefill.provision.label == "安全生产法第94条"
    assert [p.label for p in prefill.alternatives] == ["安全生产法第95条"]
    assert prefill.initial()["responsible_person"] == "王建国"


def test_the_same_duty_found_at_an_earlier_inspection_is_no_first_offence(world) -> None:
    hazard = finding(world)
    earlier_task = InspectionTask.objects.get(pk=hazard.task_id)
    earlier_task.pk = None
    earlier_task.date = MONDAY  # after the starter no-penalty list took effect (2025-01-01)
    earlier_task.code_id = uuid.uuid4()
    earlier_task.save()
    old = Hazard.objects.get(pk=finding(world, text="罐区警示标志缺失").pk)
    Hazard.objects.filter(pk=old.pk).update(task=earlier_task)
    found = Hazard.objects.select_related("task__enterprise").get(pk=hazard.pk)
    prefill = case_prefill(
        enterprise=found.task.enterprise, findings=[found], day=today(), overdue=False
    )
    assert prefill.first_offense.value is False
    assert "2025-03-03 检查曾发现同一违法行为：罐区警示标志缺失" in prefill.first_offense.source
    Hazard.objects.filter(pk=old.pk).update(legal_basis="《中华人民共和国安全生产法》第四十一条")
    again = case_prefill(
        enterprise=found.task.enterprise, findings=[found], day=today(), overdue=False
    )
    assert again.first_offense.value is True
