"""`training.home_items.institution_home_items`: what a training institution must do next, most
urgent first, each with a link, a date and an urgency; nothing for an institution with nothing
to do; a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anjian.training.home_items import Urgency, institution_home_items
from anjian.training.models import (
    InstitutionClass,
    SpotCheck,
    TrainingInstitution,
    TrainingRecord,
)
from anjian.training.services.personnel import certificate_create
from tests.clock import TEST_TODAY
from tests.conftest import make_uscc
from tests.web.suspension_helpers import notify, suspend
from tests.web.test_personnel import _person

pytestmark = pytest.mark.django_db

TODAY = TEST_TODAY


def institution(world: Any, serial: int = 91) -> TrainingInstitution:
    return TrainingInstitution.objects.create(
        name=f"培训中心{serial}",
        uscc=make_uscc(serial),
        body=world.county,
        scope="特种作业",
        registered_on=date(2020, 1, 1),
    )


def a_class(place: TrainingInstitution, title: str, ends: int, reported: bool = False) -> Any:
    return InstitutionClass.objects.create(
        institution=place,
        title=title,
        role="special_operator",
        kind="initial",
        delivery="offline",
        hours=Decimal(32),
        starts_on=TODAY + timedelta(days=ends - 5),
        ends_on=TODAY + timedelta(days=ends),
        trainees_reported_at=timezone.now() if reported else None,
    )


def test_nothing_to_do_gives_no_items(world) -> None:  # type: ignore[no-untyped-def]
    place = institution(world)
    a_class(place, "已报名单班", -10, reported=True)
    a_class(place, "下月班", 30)
    assert institution_home_items(place, TODAY) == []


def test_items_come_most_urgent_first_with_links_and_dates(world) -> None:  # type: ignore[no-untyped-def]
    place = institution(world)
    late = a_class(place, "电工一期", -3)
    a_class(place, "电工二期", -1)
    soon = a_class(place, "焊工班", 4)
    SpotCheck.objects.create(
        institution=place,
        training_class=late,
        checked_on=TODAY - timedelta(days=2),
        inspectors="张三、李四",
        findings="实到人数少于报告人数",
        outcome="problems",
    )
    SpotCheck.objects.create(
        institution=place,
        checked_on=TODAY - timedelta(days=200),  # too old to list
        inspectors="张三",
        findings="旧问题",
        outcome="problems",
    )
    trainee = _person(world, "chem", 5)
    TrainingRecord.objects.create(
        person=trainee,
        kind="initial",
        delivery="offline",
        course="电工",
        hours=Decimal(32),
        started_on=date(2020, 1, 1),
        ended_on=date(2020, 1, 5),
        institution=place,
    )
    issued = TODAY.replace(year=TODAY.year - 6) + timedelta(days=20)  # expires in ~20 days
    certificate_create(
        actor=None,
        person=trainee,
        data={
            "kind": "special_operation",
            "category": "低压电工作业",
            "number": "T0501",
            "issuer": "吕梁市应急管理局",
            "issued_on": issued,
        },
    )
    notice = notify(place)
    with CaptureQueriesContext(connection) as queries:
        items = institution_home_items(place, TODAY)
    assert len(queries) <= 10
    assert [item.label for item in items] == [
        "告知书待签收",
        "结业班次待报学员名单",
        "学员证书到期",  # its review is past due
        "即将结业的班次",
        "抽查发现问题待整改",
    ]
    sign, lists, certificates, ending, findings = items
    assert sign.urgency == Urgency.OVERDUE and sign.url == f"/training/suspensions/{notice.pk}/"
    assert (lists.count, lists.due, lists.url) == (
        2,
        late.ends_on,
        f"/training/classes/{late.pk}/trainees/",
    )
    assert "电工一期" in lists.detail
    assert (ending.count, ending.due, ending.url) == (
        1,
        soon.ends_on,
        f"/training/classes/{soon.pk}/",
    )
    assert (certificates.count, certificates.urgency) == (1, Urgency.OVERDUE)
    assert certificates.due is not None and certificates.due < TODAY
    assert (findings.count, findings.urgency) == (1, Urgency.OPEN)
    assert "实到人数少于报告人数" in findings.detail
    assert findings.url == f"/training/classes/{late.pk}/"


def test_a_suspended_institution_is_told_so_first(world) -> None:  # type: ignore[no-untyped-def]
    place = institution(world)
    a_class(place, "焊工班", 2)
    suspension = suspend(place, ends=30)
    items = institution_home_items(place, TODAY)
    assert [item.label for item in items] == ["暂停培训业务中", "即将结业的班次"]
    assert items[0].due == TODAY + timedelta(days=30)
    assert items[0].url == f"/training/suspensions/{suspension.pk}/"


def test_a_statement_is_due_by_its_time_limit(world) -> None:  # type: ignore[no-untyped-def]
    from anjian.training.services.institution_suspension import suspension_deliver

    place = institution(world)
    notice = notify(place, on=TODAY - timedelta(days=1))
    suspension_deliver(actor=None, suspension=notice, delivered_on=TODAY, today=TODAY)
    notice.refresh_from_db()
    items = institution_home_items(place, TODAY)
    assert [(i.label, i.due, i.urgency) for i in items] == [
        ("陈述申辩", notice.defence_due, Urgency.DUE)
    ]
    assert institution_home_items(place, notice.defence_due + timedelta(days=1)) == []
