"""The home page's training parts: certificate alerts for bureau staff (their scope) and for an
enterprise (its own), and a training institution's own card with its suspension."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from anjian.accounts.services import user_create
from anjian.domain.ids.idcard import id_check_character
from anjian.training.services.institutions import (
    institution_create,
    institution_membership_create,
)
from anjian.training.services.personnel import certificate_create, person_create
from tests.conftest import PASSWORD, make_uscc
from tests.web.suspension_helpers import suspend

pytestmark = pytest.mark.django_db


def _operator(world, key: str, serial: int, issued: date) -> None:  # type: ignore[no-untyped-def]
    body = f"141121198501{serial:02d}00{serial}"
    person = person_create(
        actor=None,
        enterprise=world.enterprises[key],
        data={
            "name": f"操作工{serial}",
            "id_number": body + id_check_character(body),
            "role": "special_operator",
            "job_title": "低压电工作业",
            "hired_on": date(2015, 3, 1),
        },
    )
    certificate_create(
        actor=None,
        person=person,
        data={
            "kind": "special_operation",
            "category": "低压电工作业",
            "number": f"T{serial:04d}",
            "issuer": "吕梁市应急管理局",
            "issued_on": issued,
        },
    )


def _alerts(client) -> str:  # type: ignore[no-untyped-def]
    html = client.get("/").content.decode()
    marker = 'data-testid="personnel-alerts">'
    return html[html.index(marker) + len(marker) :].split("<", 1)[0]


def test_alerts_count_on_the_home_page_by_scope(world, client, login) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    due = today.replace(year=today.year - 6) + timedelta(days=20)  # expires in about 20 days
    fresh = today - timedelta(days=200)
    _operator(world, "chem", 1, due)
    _operator(world, "chem", 2, fresh)
    _operator(world, "coal", 3, due)
    _operator(world, "other_chem", 4, due)
    login(world.users["office"])
    assert _alerts(client) == "2"  # chem and coal; the other county is out of scope
    login(world.users["enterprise"])
    assert _alerts(client) == "1"  # its own only
    login(world.users["other_office"])
    assert _alerts(client) == "1"


def test_an_institution_login_sees_its_own_card_and_suspension(world, client, login) -> None:  # type: ignore[no-untyped-def]
    login(world.users["training_institution"])
    assert "尚未关联培训机构" in client.get("/").content.decode()
    institution = institution_create(
        actor=None,
        data={
            "name": "文水县测试培训学校",
            "uscc": make_uscc(931, "141121"),
            "body": world.county,
            "scope": "从业人员安全培训",
            "registered_on": timezone.localdate() - timedelta(days=300),
        },
    )
    institution_membership_create(
        actor=None, user=world.users["training_institution"], institution=institution
    )
    html = client.get("/").content.decode()
    assert "文水县测试培训学校" in html and "暂停中" not in html
    suspend(institution, actor=world.users["hr_finance"], ends=90)
    assert "培训业务暂停中" in client.get("/").content.decode()


def test_membership_only_for_institution_logins(world) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    user = user_create(
        actor=None,
        username="not_institution",
        password=PASSWORD,
        role="office",
        display_name="某人",
        body=world.county,
    )
    institution = institution_create(
        actor=None,
        data={
            "name": "文水县另一培训学校",
            "uscc": make_uscc(932, "141121"),
            "body": world.county,
            "scope": "从业人员安全培训",
            "registered_on": timezone.localdate() - timedelta(days=300),
        },
    )
    with pytest.raises(ValidationError):
        institution_membership_create(actor=None, user=user, institution=institution)
