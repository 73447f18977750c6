"""Monthly planned visits (issue 4, part 1): the office opens a month with a cut-off, sections
submit visits with items from the published list, the office sees every section's, a section
only its own; every refusal writes nothing."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from anjian.accounts.roles import Role
from anjian.accounts.services import user_create
from anjian.audit.models import AuditEntry
from anjian.planning.models import PlannedVisit, PlanningMonth
from anjian.planning.services import (
    VisitRequest,
    month_end,
    planned_visit_submit,
    planned_visit_withdraw,
    planning_month_close,
    planning_month_open,
)
from anjian.policy.selectors import items_for_enterprise
from anjian.policy.services.items import item_list_publish, item_list_start
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _today() -> date:
    return timezone.localdate()


def _next_month() -> date:
    return month_end(_today()) + timedelta(days=1)


def _publish(world) -> None:  # type: ignore[no-untyped-def]
    legal = world.users["legal_office"]
    draft = item_list_start(actor=legal, body=world.county, today=_today())
    item_list_publish(actor=legal, draft=draft, today=_today(), change_note="起步")


def _month(world) -> PlanningMonth:  # type: ignore[no-untyped-def]
    return planning_month_open(
        actor=world.users["office"],
        body=world.county,
        month=_next_month(),
        cutoff=_today(),
        today=_today(),
    )


def _chem_item(world) -> str:  # type: ignore[no-untyped-def]
    return items_for_enterprise(world.enterprises["chem"])[0].code


def _request(world, **changes) -> VisitRequest:  # type: ignore[no-untyped-def]
    first = _next_month()
    data = {
        "enterprise": world.enterprises["chem"],
        "activity": "enforcement_inspection",
        "item_codes": (_chem_item(world),),
        "earliest": first + timedelta(days=2),
        "latest": first + timedelta(days=20),
        "remote_ok": False,
        "note": "",
    }
    data.update(changes)
    return VisitRequest(**data)


def _state() -> tuple[int, int, int]:
    return PlanningMonth.objects.count(), PlannedVisit.objects.count(), AuditEntry.objects.count()


def _coal_user(world):  # type: ignore[no-untyped-def]
    return user_create(
        actor=None,
        username="coal_section",
        password=PASSWORD,
        role=Role.BUSINESS_SECTION,
        display_name="煤矿股",
        body=world.county,
        section=world.sections["coal"],
    )


# ---- services --------------------------------------------------------------------------------


def test_a_section_submits_a_visit_and_it_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    planning_month = _month(world)
    visit = planned_visit_submit(
        actor=world.users["hazchem"],
        planning_month=planning_month,
        request=_request(world, remote_ok=True, note="  与消防联合  "),
        today=_today(),
    )
    assert visit.section == world.sections["hazchem"] and visit.note == "与消防联合"
    assert visit.item_codes == [_chem_item(world)] and visit.remote_ok
    assert AuditEntry.objects.filter(action="planned_visit.submit").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"item_codes": ()}, "item_codes"),
        ({"item_codes": ("NOT-A-CODE",)}, "item_codes"),
        ({"earliest": date(2000, 1, 1)}, "earliest"),
        ({"latest": "before"}, "latest"),
        ({"activity": "tea"}, "activity"),
    ],
)
def test_a_bad_visit_is_refused_by_field_and_writes_nothing(world, changes, field) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    planning_month = _month(world)
    if changes.get("latest") == "before":
        changes = {"latest": _next_month()}
        changes["earliest"] = _next_month() + timedelta(days=3)
    before = _state()
    with pytest.raises(ValidationError) as raised:
        planned_visit_submit(
            actor=world.users["hazchem"],
            planning_month=planning_month,
            request=_request(world, **changes),
            today=_today(),
        )
    assert field in raised.value.error_dict
    assert _state() == before


def test_a_section_cannot_plan_outside_its_sectors_or_body(world) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    planning_month = _month(world)
    for firm in ("coal", "city_chem", "other_chem"):
        with pytest.raises(ValidationError) as raised:
            planned_visit_submit(
                actor=world.users["hazchem"],
                planning_month=planning_month,
                request=_request(world, enterprise=world.enterprises[firm], item_codes=()),
                today=_today(),
            )
        assert "enterprise" in raised.value.error_dict


def test_no_submission_after_the_cutoff_or_from_a_user_without_a_section(world) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    planning_month = _month(world)
    with pytest.raises(ValidationError, match="截止"):
        planned_visit_submit(
            actor=world.users["hazchem"],
            planning_month=planning_month,
            request=_request(world),
            today=_today() + timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="业务股室"):
        planned_visit_submit(
            actor=world.users["enforcement_team"],  # the fixture's team user has no section
            planning_month=planning_month,
            request=_request(world),
            today=_today(),
        )
    planning_month_close(actor=world.users["office"], planning_month=planning_month)
    with pytest.raises(ValidationError, match="截止"):
        planned_visit_submit(
            actor=world.users["hazchem"],
            planning_month=planning_month,
            request=_request(world),
            today=_today(),
        )
    assert PlannedVisit.objects.count() == 0


def test_the_same_visit_twice_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    planning_month = _month(world)
    args = {"actor": world.users["hazchem"], "planning_month": planning_month, "today": _today()}
    planned_visit_submit(request=_request(world), **args)
    with pytest.raises(ValidationError, match="同类计划"):
        planned_visit_submit(request=_request(world), **args)
    planned_visit_submit(request=_request(world, activity="assistance_guidance"), **args)
    assert PlannedVisit.objects.count() == 2


def test_opening_a_month_checks_dates_and_once_per_body(world) -> None:  # type: ignore[no-untyped-def]
    office, today = world.users["office"], _today()
    bad = [
        (today.replace(day=1) - timedelta(days=1), today, "month"),
        (_next_month(), today - timedelta(days=1), "cutoff"),
        (_next_month(), month_end(_next_month()), "cutoff"),
    ]
    for month, cutoff, field in bad:
        with pytest.raises(ValidationError) as raised:
            planning_month_open(
                actor=office, body=world.county, month=month, cutoff=cutoff, today=today
            )
        assert field in raised.value.error_dict
    _month(world)
    with pytest.raises(ValidationError, match="已在收集"):
        _month(world)
    assert PlanningMonth.objects.count() == 1


def test_withdraw_only_own_and_before_the_cutoff(world) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    planning_month = _month(world)
    visit = planned_visit_submit(
        actor=world.users["hazchem"],
        planning_month=planning_month,
        request=_request(world),
        today=_today(),
    )
    with pytest.raises(ValidationError, match="本股室"):
        planned_visit_withdraw(actor=_coal_user(world), visit=visit, today=_today())
    with pytest.raises(ValidationError, match="截止"):
        planned_visit_withdraw(
            actor=world.users["hazchem"], visit=visit, today=_today() + timedelta(days=1)
        )
    planned_visit_withdraw(actor=world.users["hazchem"], visit=visit, today=_today())
    assert PlannedVisit.objects.count() == 0
    assert AuditEntry.objects.filter(action="planned_visit.withdraw").exists()


# ---- pages -----------------------------------------------------------------------------------


def test_the_office_opens_a_month_and_a_section_submits_through_the_pages(
    world, client, login
) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    login(world.users["office"])
    response = client.post(
        "/planning/",
        {"month": f"{_next_month():%Y-%m}", "cutoff": _today().isoformat()},
        follow=True,
    )
    assert response.status_code == 200 and "收集中" in response.content.decode()
    planning_month = PlanningMonth.objects.get()
    login(world.users["hazchem"])
    page = client.get(f"/planning/{planning_month.pk}/visits/new/")
    assert page.status_code == 200
    choices = [c[0] for c in page.context["form"].fields["enterprise"].choices if c[0]]
    assert len(choices) == 1  # only the hazchem enterprise of this county
    first = _next_month()
    response = client.post(
        f"/planning/{planning_month.pk}/visits/new/",
        {
            "enterprise": world.enterprises["chem"].pk,
            "activity": "enforcement_inspection",
            "item_codes": [_chem_item(world)],
            "earliest": (first + timedelta(days=3)).isoformat(),
            "latest": (first + timedelta(days=10)).isoformat(),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "文水县宏达化工有限公司" in response.content.decode()
    assert PlannedVisit.objects.count() == 1


def test_a_bad_form_redisplays_with_messages(world, client, login) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    planning_month = _month(world)
    login(world.users["hazchem"])
    response = client.post(
        f"/planning/{planning_month.pk}/visits/new/",
        {
            "enterprise": world.enterprises["chem"].pk,
            "activity": "enforcement_inspection",
            "earliest": "2000-01-01",
            "latest": "2000-01-02",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "earliest" in errors and "item_codes" in errors
    assert PlannedVisit.objects.count() == 0


def test_the_office_sees_every_section_a_section_only_its_own(world, client, login) -> None:  # type: ignore[no-untyped-def]
    _publish(world)
    planning_month = _month(world)
    planned_visit_submit(
        actor=world.users["hazchem"],
        planning_month=planning_month,
        request=_request(world),
        today=_today(),
    )
    coal = _coal_user(world)
    planned_visit_submit(
        actor=coal,
        planning_month=planning_month,
        request=_request(
            world,
            enterprise=world.enterprises["coal"],
            activity="assistance_guidance",
            item_codes=(),
        ),
        today=_today(),
    )
    login(world.users["office"])
    assert len(client.get(f"/planning/{planning_month.pk}/").context["visits"]) == 2
    login(world.users["hazchem"])
    own = client.get(f"/planning/{planning_month.pk}/").context["visits"]
    assert [v.section.name for v in own] == ["危化股"]
    coal_visit = PlannedVisit.objects.get(section=world.sections["coal"])
    assert client.post(f"/planning/visits/{coal_visit.pk}/withdraw/").status_code == 404
    login(world.users["office"])
    sheet = load_workbook(
        io.BytesIO(client.get(f"/planning/{planning_month.pk}/export.xlsx").content)
    ).active
    assert sheet.max_row == 3 and sheet["A1"].value == "报送股室"


def test_scope_other_bodies_and_roles(world, client, login) -> None:  # type: ignore[no-untyped-def]
    planning_month = _month(world)
    login(world.users["other_office"])
    assert client.get(f"/planning/{planning_month.pk}/").status_code == 404
    login(world.users["enterprise"])
    assert client.get("/planning/").status_code == 403
    login(world.users["hazchem"])
    response = client.post("/planning/", {"month": "2030-01", "cutoff": "2029-12-20"})
    assert response.status_code == 403
    login(world.users["office"])
    assert client.get(f"/planning/{planning_month.pk}/visits/new/").status_code == 403
    assert client.post(f"/planning/{planning_month.pk}/close/").status_code == 302
    planning_month.refresh_from_db()
    assert planning_month.status == "closed"
