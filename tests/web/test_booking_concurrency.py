"""Concurrent bookers can never exceed a cap: the enterprise row is locked while checking and
booking, and the cap counter's CHECK constraint refuses anything that slips past."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from anjian.policy.models import CapCounter, EntryBooking
from anjian.policy.services.booking import CapBackstopTripped, _count_unit, entry_book

from .policy_helpers import county_officers, request_for


@pytest.mark.django_db
def test_the_counter_constraint_is_a_backstop(world) -> None:
    chem = world.enterprises["chem"]
    CapCounter.objects.create(enterprise=chem, year=2025, kind="cap", used=4, cap=4)
    with pytest.raises(CapBackstopTripped):
        _count_unit(chem, 2025, "cap", 4)
    assert CapCounter.objects.get(enterprise=chem).used == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookers_never_exceed_the_cap(world) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite serialises writers itself")
    officers = county_officers(world)
    results: list[bool] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def booker(n: int) -> None:
        try:
            barrier.wait()
            day = date(2025, 3, 11 + n)  # after the default quiet days (1–10) of March
            outcome = entry_book(actor=None, request=request_for(world, "chem", day, officers))
            results.append(outcome.booked)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=booker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results.count(True) == 4  # grade-2 hazardous chemicals: cap 4
    live = EntryBooking.objects.filter(
        enterprise=world.enterprises["chem"], cancelled_at__isnull=True
    )
    assert live.count() == 4
    assert CapCounter.objects.get(enterprise=world.enterprises["chem"], kind="cap").used == 4
