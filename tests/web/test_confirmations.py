"""Irreversible steps ask first and belong to their owner (issue 20, item 1): an entry booking is
cancelled only by its own body, and of a business section only by the section that booked it;
the pages of bulk or irreversible steps carry a confirmation (`data-confirm`, asked by
core/static/anjian/anjian.js) naming what will happen and to what."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from anjian.inspections.services.tasks import request_task
from anjian.policy.models import EntryBooking
from anjian.policy.services.booking import entry_book
from anjian.policy.services.items import item_list_start
from anjian.registry.models import Officer
from tests.web.inspection_helpers import field_team, task_request, today
from tests.web.policy_helpers import county_officers, request_for

pytestmark = pytest.mark.django_db
DAY = date(2025, 6, 19)


def _booking(world, section_key: str | None, day: date = DAY) -> EntryBooking:  # type: ignore[no-untyped-def]
    section = world.sections[section_key] if section_key else None
    officers = list(Officer.objects.filter(body=world.county).order_by("pk")[:2])
    if len(officers) < 2:  # the world has one county officer; on site needs two
        officers = county_officers(world)
    outcome = entry_book(
        actor=None, request=request_for(world, "chem", day, officers, section=section)
    )
    assert outcome.booking is not None
    return outcome.booking


def _cancel(login, user, booking: EntryBooking):  # type: ignore[no-untyped-def]
    url = reverse("policy:entry_cancel", args=[booking.pk])
    return login(user).post(url, {"reason": "改期"})


def test_a_section_cancels_only_its_own_sections_bookings(world, login) -> None:  # type: ignore[no-untyped-def]
    others = _booking(world, None)  # booked for the body (the office's or the enforcement team's)
    response = _cancel(login, world.users["hazchem"], others)
    assert response.status_code == 403
    others.refresh_from_db()
    assert others.cancelled_at is None
    listing = login(world.users["hazchem"]).get(reverse("policy:entry_list"))
    assert reverse("policy:entry_cancel", args=[others.pk]) not in listing.content.decode()

    own = _booking(world, "hazchem", date(2025, 7, 17))
    assert _cancel(login, world.users["hazchem"], own).status_code == 302
    own.refresh_from_db()
    assert own.cancelled_at is not None and own.cancel_reason == "改期"


def test_the_office_cancels_its_bodys_bookings_and_no_other_bodys(world, login) -> None:  # type: ignore[no-untyped-def]
    booking = _booking(world, "hazchem")
    # the city's office sees the county's enterprise and its entries, but does not own them
    refused = _cancel(login, world.users["city_office"], booking)
    assert refused.status_code in (403, 404)
    booking.refresh_from_db()
    assert booking.cancelled_at is None
    listing = login(world.users["office"]).get(reverse("policy:entry_list"))
    page = listing.content.decode()
    assert reverse("policy:entry_cancel", args=[booking.pk]) in page
    assert "取消对文水县宏达化工有限公司（2025-06-19）的入企登记？" in page
    assert _cancel(login, world.users["office"], booking).status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_at is not None


def test_bulk_approval_and_single_decisions_say_what_will_happen(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = request_task(
        actor=world.users["hazchem"], request=task_request(world, team, today()), today=today()
    )
    head = login(world.users["bureau_head"])
    queue = head.get(reverse("inspections:approvals")).content.decode()
    assert 'data-confirm-count="批准 {n} 项检查任务？' in queue
    assert "inspections/approvals.js" in queue
    detail = head.get(reverse("inspections:task_detail", args=[task.pk])).content.decode()
    assert "批准对文水县宏达化工有限公司的这项检查" in detail
    assert "撤销这项检查任务？检查码立即作废" in detail


def test_publishing_the_item_list_says_how_many_items(world, login) -> None:  # type: ignore[no-untyped-def]
    draft = item_list_start(actor=None, body=world.county, today=today())
    page = login(world.users["legal_office"]).get(reverse("policy:item_draft")).content.decode()
    assert f"发布第{draft.version}版检查事项清单（{draft.items.count()} 项）？" in page
    assert f"放弃第{draft.version}版草稿？" in page
