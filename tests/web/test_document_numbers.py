"""Document numbers per body, kind and year: concurrent issues never share a number."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from anjian.inspections.models import InspectionDocument
from anjian.inspections.services.numbers import format_number, issue_document
from tests.web.inspection_helpers import approved_task, field_team, today


@pytest.mark.django_db
def test_numbers_count_per_body_kind_and_year(world) -> None:  # type: ignore[no-untyped-def]
    task = approved_task(world, field_team(world))  # the notice took 检通 1
    with transaction.atomic():
        second = issue_document(actor=None, task=task, kind="notice", on=today())
        record = issue_document(actor=None, task=task, kind="record", on=today())
    assert second.serial == 2 and record.serial == 1
    assert record.number == f"文水应急检记〔{today().year}〕1号"
    assert format_number(world.county, "order", 2027, 12) == "文水应急责改〔2027〕12号"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_numbers(world) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite serialises writers itself")
    task = approved_task(world, field_team(world))
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def issuer() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                # rendered at issue: a kind whose facts are all on the task
                issue_document(actor=None, task=task, kind="notice", on=today())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issuer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    serials = sorted(
        InspectionDocument.objects.filter(kind="notice").values_list("serial", flat=True)
    )
    assert serials == list(range(1, 10))  # the approval's notice took 1
