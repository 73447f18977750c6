"""The 培训学时 page (issue 20, item 8): paged with the shared pager, its totals aggregated in the
database, so its query count does not grow with the number of people; and the numbers agree with
the per-person rule (`domain/training/hours.year_hours`) person by person."""

from __future__ import annotations

import os
import time
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.training.access import visible_persons
from anjian.training.models import Person, TrainingInstitution, TrainingRecord
from anjian.training.services.records import person_year_hours
from tests.clock import TEST_TODAY
from tests.conftest import make_uscc
from tests.web.test_personnel import id_number

pytestmark = pytest.mark.django_db

YEAR = TEST_TODAY.year
KINDS = ("annual", "initial", "induction_company", "induction_workshop", "induction_team")


def grow_people(world: Any, count: int, start: int = 0) -> list[Person]:
    """`count` people over the two enterprises with a mix of roles, hiring dates and records
    (online and offline, by an institution or self-organised, this year and before)."""
    institution = TrainingInstitution.objects.create(
        name=f"学时测试培训机构{start}",
        uscc=make_uscc(700 + start),
        body=world.county,
        registered_on=date(2020, 1, 1),
    )
    enterprises = list(world.enterprises.values())
    people = []
    for n in range(start, start + count):
        person = Person(
            enterprise=enterprises[n % len(enterprises)],
            name=f"学时{n}",
            role=("worker", "special_operator", "principal", "safety_manager")[n % 4],
            hired_on=date(YEAR - (n % 3), 1 + n % 12, 1),
            left_on=date(YEAR - 1, 6, 30) if n % 17 == 0 else None,
        )
        person.id_number = id_number(n % 1000)
        person.id_last4 = person.id_number[-4:]
        people.append(person)
    Person.objects.bulk_create(people)
    records = []
    for n, person in enumerate(people):
        for k in range(n % 4):
            records.append(
                TrainingRecord(
                    person=person,
                    kind=KINDS[(n + k) % len(KINDS)],
                    delivery="online" if (n + k) % 3 == 0 else "offline",
                    course="课程",
                    hours=Decimal(4 + (n + k) % 20),
                    started_on=date(YEAR - k % 2, 3, 1),
                    ended_on=date(YEAR - k % 2, 3, 2 + k),
                    institution=institution if k % 2 else None,
                )
            )
    TrainingRecord.objects.bulk_create(records)
    return people


def _get(client: Any, url: str) -> tuple[Any, int, float]:
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - began
    assert response.status_code == 200
    return response, len(queries), seconds


def test_the_hours_page_is_paged_and_its_queries_do_not_grow(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    url = f"/training/hours/?year={YEAR}"
    grow_people(world, 8)
    _, few, _ = _get(client, url)
    grow_people(world, 120, start=100)
    response, many, _ = _get(client, url)
    assert many == few
    page = response.context["page"]
    assert page.paginator.count == response.context["overview"].persons
    assert len(page.object_list) == 50 and page.paginator.num_pages > 1
    html = response.content.decode()
    assert "page=2" in html and html.count('data-testid="hours-row"') == 50
    second, queries, _ = _get(client, url + "&page=2")
    assert queries == few
    first = {p.pk for p, _ in response.context["rows"]}
    assert len(first) == 50 and not first & {p.pk for p, _ in second.context["rows"]}


def test_the_page_agrees_with_the_rule_person_by_person(world, login) -> None:  # type: ignore[no-untyped-def]
    people = grow_people(world, 40)
    client = login(world.users["office"])
    response = client.get(f"/training/hours/?year={YEAR}&page=1")
    overview = response.context["overview"]
    visible = set(visible_persons(world.users["office"]).values_list("pk", flat=True))
    people = [p for p in people if p.pk in visible]
    assert len(people) > 10
    expected = {p.pk: person_year_hours(p, YEAR) for p in people}
    employed = {pk: h for pk, h in expected.items() if h.employed}
    assert overview.persons == len(employed)
    assert overview.short_count == sum(h.is_short for h in employed.values())
    assert overview.done == sum(h.done for h in employed.values())
    assert overview.online == sum(h.online for h in employed.values())
    for person, hours in response.context["rows"]:
        want = expected[person.pk]
        assert (hours.required, hours.done, hours.online, hours.is_short, hours.reasons) == (
            want.required,
            want.done,
            want.online,
            want.is_short,
            want.reasons,
        )
    by_enterprise = {line.enterprise.pk: line for line in overview.by_enterprise}
    for enterprise in world.enterprises.values():
        mine = [
            employed[p.pk] for p in people if p.enterprise_id == enterprise.pk and p.pk in employed
        ]
        if not mine:
            continue
        line = by_enterprise[enterprise.pk]
        assert (line.persons, line.short, line.done) == (
            len(mine),
            sum(h.is_short for h in mine),
            sum(h.done for h in mine),
        )
    short = client.get(f"/training/hours/?year={YEAR}&short_only=on")
    assert {p.pk for p, h in short.context["rows"]} <= {
        pk for pk, h in employed.items() if h.is_short
    }
    assert short.context["page"].paginator.count == overview.short_count


@pytest.mark.skipif(not os.environ.get("ANJIAN_MEASURE"), reason="a measurement, run by hand")
def test_measure_the_hours_page(world, login) -> None:  # type: ignore[no-untyped-def]
    """ANJIAN_MEASURE=1 pytest tests/web/test_hours_paging.py -k measure -s: the time and
    queries of the page for 294 people."""
    grow_people(world, 294)
    client = login(world.users["office"])
    _get(client, f"/training/hours/?year={YEAR}")  # warm up
    runs = [_get(client, f"/training/hours/?year={YEAR}") for _ in range(3)]
    print(f"\nhours page, 294 people: {[round(s, 3) for _, _, s in runs]} s, {runs[0][1]} queries")
    base = [_get(client, "/training/personnel/") for _ in range(3)]
    print(f"personnel list for comparison: {[round(s, 3) for _, _, s in base]} s")
