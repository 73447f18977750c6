"""Contact points (基层联系点): the designation and its mix, the enterprise's reports and surveys,
the liaison's follow-ups and requirements, the warnings and their answers, and who may see what."""

from __future__ import annotations

import os
import stat
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anjian.audit.models import AuditEntry
from anjian.inspections.models import Hazard, InspectionRating
from anjian.oversight.models import (
    ContactPoint,
    ContactPointList,
    FollowUp,
    PointAttachment,
    PointReport,
    PointSurvey,
    PointWarning,
    Requirement,
)
from anjian.oversight.points.selectors import contact_point_ids
from anjian.oversight.points.services import contact_points_designate
from anjian.oversight.points.warnings import point_warning_answer, point_warnings_raise
from anjian.policy.models import CapCounter, EntryBooking, QuietException, RuleSet
from anjian.steering.models import Notification
from tests.clock import TEST_NOW, TEST_TODAY
from tests.conftest import World, _enterprise

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
YEAR = TEST_TODAY.year


def mix_enterprises(world: World) -> list:
    """The ten enterprises of the shipped mix, all supervised by the county."""
    for n, (key, sector) in enumerate(
        [
            ("nc1", "non_coal_mine"),
            ("nc2", "non_coal_mine"),
            ("nc3", "non_coal_mine"),
            ("chem2", "hazardous_chemicals"),
            ("chem3", "hazardous_chemicals"),
            ("met1", "metallurgy"),
            ("met2", "metallurgy"),
            ("met3", "metallurgy"),
        ]
    ):
        extra = {"non_coal_risk_class": "A"} if sector == "non_coal_mine" else {}
        _enterprise(world, key, 100 + n, sector=sector, **extra)
    keys = ["coal", "chem", "chem2", "chem3", "nc1", "nc2", "nc3", "met1", "met2", "met3"]
    return [world.enterprises[k] for k in keys]


def designated(world: World) -> ContactPointList:
    return contact_points_designate(
        actor=world.users["legal_office"],
        body=world.county,
        year=YEAR,
        enterprises=mix_enterprises(world),
        liaison=world.users["legal_office"],
        note="",
    )


def chem_point(world: World) -> ContactPoint:
    return ContactPoint.objects.get(enterprise=world.enterprises["chem"], points__year=YEAR)


@pytest.mark.django_db
def test_designation_with_the_right_mix(world: World) -> None:
    points = designated(world)
    assert points.points.count() == 10
    keys = ["coal", "chem", "chem2", "chem3", "nc1", "nc2", "nc3", "met1", "met2", "met3"]
    assert contact_point_ids(world.county.pk, YEAR) == {world.enterprises[k].pk for k in keys}
    assert contact_point_ids(world.county.pk, YEAR + 1) == set()
    assert AuditEntry.objects.filter(action="contact.designate").count() == 1


@pytest.mark.django_db
def test_wrong_mix_is_refused_and_writes_nothing(world: World, login) -> None:  # type: ignore[no-untyped-def]
    chosen = mix_enterprises(world)[:-2]  # one metallurgy works only
    client = login(world.users["legal_office"])
    response = client.post(
        reverse("oversight:point_designate"),
        {
            "year": YEAR,
            "enterprises": "\n".join(e.uscc for e in chosen),
            "liaison": world.users["legal_office"].pk,
        },
    )
    assert response.status_code == 200
    assert "冶金应为 3 家，现为 1 家" in response.content.decode()
    assert ContactPointList.objects.count() == 0
    assert ContactPoint.objects.count() == 0
    assert not AuditEntry.objects.filter(action="contact.designate").exists()


@pytest.mark.django_db
def test_designation_page_resolves_lines_in_scope(world: World, login) -> None:  # type: ignore[no-untyped-def]
    chosen = mix_enterprises(world)
    lines = [e.uscc for e in chosen[:-1]] + [world.enterprises["other_chem"].uscc]
    client = login(world.users["legal_office"])
    url = reverse("oversight:point_designate")
    data = {"year": YEAR, "liaison": world.users["legal_office"].pk}
    response = client.post(url, {**data, "enterprises": "\n".join(lines)})
    assert "未找到或不唯一" in response.content.decode()
    assert ContactPoint.objects.count() == 0
    names = "\n".join(e.name for e in chosen)
    response = client.post(url, {**data, "enterprises": names})
    assert response.status_code == 302
    assert ContactPoint.objects.filter(points__year=YEAR).count() == 10


@pytest.mark.django_db
def test_liaison_must_be_legal_office_of_the_body(world: World) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        contact_points_designate(
            actor=world.users["legal_office"],
            body=world.county,
            year=YEAR,
            enterprises=mix_enterprises(world),
            liaison=world.users["office"],
        )
    assert ContactPointList.objects.count() == 0


@pytest.mark.django_db
def test_portal_report_with_attachment(world: World, login) -> None:  # type: ignore[no-untyped-def]
    designated(world)
    client = login(world.users["enterprise"])
    url = reverse("oversight:point_portal_report")
    bad = SimpleUploadedFile("a.png", b"just text", content_type="image/png")
    data = {"kind": "repeated", "happened_on": "", "description": "一周内两次检查同一事项"}
    response = client.post(url, {**data, "files": [bad]})
    assert response.status_code == 200
    assert "不是允许的类型" in response.content.decode()
    assert PointReport.objects.count() == 0
    good = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = client.post(url, {**data, "files": [good]})
    assert response.status_code == 302
    report = PointReport.objects.get()
    assert (report.kind, report.status, report.point) == ("repeated", "open", chem_point(world))
    attachment = PointAttachment.objects.get()
    assert attachment.original_name == "现场.png"
    assert stat.S_IMODE(os.stat(attachment.file.path).st_mode) == 0o600
    page = client.get(reverse("oversight:point_portal")).content.decode()
    assert "待跟进" in page and "现场.png" in page
    assert (
        client.get(reverse("oversight:point_attachment", args=[attachment.pk])).status_code == 200
    )
    other = login(world.users["enterprise2"])  # the coal mine is a point too, not this report's
    assert other.get(reverse("oversight:point_attachment", args=[attachment.pk])).status_code == 404


@pytest.mark.django_db
def test_survey_once_per_month(world: World, login) -> None:  # type: ignore[no-untyped-def]
    designated(world)
    client = login(world.users["enterprise"])
    data = {"entries_felt": 2, "courtesy": 5, "burden": 2, "comment": ""}
    client.post(reverse("oversight:point_portal_survey"), data)
    response = client.post(reverse("oversight:point_portal_survey"), data, follow=True)
    assert "每月只填一次" in response.content.decode()
    survey = PointSurvey.objects.get()
    assert (survey.month, survey.courtesy) == (TEST_TODAY.replace(day=1), 5)


@pytest.mark.django_db
def test_follow_up_to_closure(world: World, login) -> None:  # type: ignore[no-untyped-def]
    designated(world)
    login(world.users["enterprise"]).post(
        reverse("oversight:point_portal_report"), {"kind": "demand", "description": "索要物品"}
    )
    report = PointReport.objects.get()
    point = report.point
    client = login(world.users["legal_office"])
    client.post(
        reverse("oversight:point_follow_up", args=[point.pk]),
        {"kind": "visit", "on": TEST_TODAY.isoformat(), "note": "走访核实", "report": report.pk},
    )
    report.refresh_from_db()
    assert report.status == "followed"
    assert FollowUp.objects.get().report == report
    close = reverse("oversight:point_report_close", args=[report.pk])
    client.post(close, {"closing_note": ""})
    report.refresh_from_db()
    assert report.status == "followed"
    client.post(close, {"closing_note": "已约谈相关执法人员"})
    report.refresh_from_db()
    assert (report.status, report.closing_note) == ("closed", "已约谈相关执法人员")
    client.post(
        reverse("oversight:point_requirement", args=[point.pk]),
        {
            "text": "规范入企",
            "deadline": TEST_TODAY.isoformat(),
            "section": world.sections["hazchem"].pk,
        },
    )
    requirement = Requirement.objects.get()
    assert requirement.section == world.sections["hazchem"]
    client.post(
        reverse("oversight:point_requirement_close", args=[requirement.pk]),
        {"closing_note": "已整改"},
    )
    requirement.refresh_from_db()
    assert requirement.closed_on == TEST_TODAY
    page = client.get(reverse("oversight:point_detail", args=[point.pk])).content.decode()
    assert "联络员跟进" in page and "已办结" in page


def _facts(world: World) -> dict[str, str]:
    """One record of every rule on the chemical works; returns the expected keys by rule."""
    from tests.web.penalty_helpers import finding, open_case

    hazard = finding(world)
    task = hazard.task
    Hazard.objects.filter(pk=hazard.pk).update(item=None, off_list_reason="清单外问题")
    case = open_case(world, hazard, filed_on=TEST_TODAY)
    type(case).objects.filter(pk=case.pk).update(outside_tier=True)
    rating = InspectionRating.objects.create(
        task=task, score=2, showed_code=True, disturbed_production=False
    )
    chem = world.enterprises["chem"]
    CapCounter.objects.update_or_create(
        enterprise=chem, year=YEAR, kind="cap", defaults={"used": 4, "cap": 5}
    )
    ruleset = RuleSet.objects.order_by("-version").first()
    base = {
        "enterprise": chem,
        "body": world.county,
        "activity": "enforcement_inspection",
        "mode": "on_site",
        "ruleset": ruleset,
    }
    first = EntryBooking.objects.create(date=date(YEAR, 3, 2), **base)
    second = EntryBooking.objects.create(date=date(YEAR, 3, 6), **base)
    exception = QuietException.objects.create(
        body=world.county,
        enterprise=chem,
        date=date(YEAR, 5, 11),
        activity="enforcement_inspection",
        reason="事故调查",
        requested_by=world.users["hazchem"],
    )
    quiet = EntryBooking.objects.create(date=date(YEAR, 5, 11), quiet_exception=exception, **base)
    report = PointReport.objects.create(
        point=chem_point(world),
        kind="other",
        description="x",
        submitted_by=world.users["enterprise"],
        submitted_at=TEST_NOW,
    )
    return {
        "cap_use": f"cap_use:{YEAR}:cap",
        "close_entries": f"close_entries:{first.pk}:{second.pk}",
        "quiet_entry": f"quiet_entry:{quiet.pk}",
        "off_list": f"off_list:{hazard.pk}",
        "outside_tier": f"outside_tier:{case.pk}",
        "low_rating": f"low_rating:{rating.pk}",
        "report": f"report:{report.pk}",
    }


@pytest.mark.django_db
def test_warnings_raised_once_and_answered(world: World, login) -> None:  # type: ignore[no-untyped-def]
    designated(world)
    expected = _facts(world)
    raised = point_warnings_raise(today=TEST_TODAY, now=TEST_NOW)
    rows = PointWarning.objects.filter(point=chem_point(world))
    assert {w.rule: w.key for w in rows} == expected
    assert raised == len(expected) == PointWarning.objects.count()
    assert point_warnings_raise(today=TEST_TODAY, now=TEST_NOW) == 0
    assert PointWarning.objects.count() == len(expected)
    notes = Notification.objects.filter(kind="contact_warning")
    assert sorted(set(notes.values_list("user__username", flat=True))) == [
        "discipline",
        "legal_office",
    ]
    assert notes.count() == 2 * len(expected)
    warning = rows.get(rule="report")
    client = login(world.users["discipline"])
    client.post(reverse("oversight:point_warning_answer", args=[warning.pk]), {"answer": "已核实"})
    warning.refresh_from_db()
    assert (warning.answer, warning.answered_by) == ("已核实", world.users["discipline"])
    assert AuditEntry.objects.filter(action="contact.warning_answer").count() == 1
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        point_warning_answer(
            actor=world.users["legal_office"], warning=warning, answer="再答", now=TEST_NOW
        )


@pytest.mark.django_db
def test_permissions(world: World, login) -> None:  # type: ignore[no-untyped-def]
    designated(world)
    point = chem_point(world)
    section = login(world.users["hazchem"])
    for url in (
        reverse("oversight:points"),
        reverse("oversight:point_detail", args=[point.pk]),
        reverse("oversight:point_designate"),
        reverse("oversight:point_portal"),
    ):
        assert section.get(url).status_code == 403
    response = section.post(
        reverse("oversight:point_follow_up", args=[point.pk]),
        {"kind": "visit", "on": TEST_TODAY.isoformat(), "note": "x"},
    )
    assert response.status_code == 403
    assert FollowUp.objects.count() == 0
    ContactPoint.objects.filter(enterprise=world.enterprises["coal"]).delete()
    outsider = login(world.users["enterprise2"])
    assert outsider.get(reverse("oversight:point_portal")).status_code == 403
    outsider.post(reverse("oversight:point_portal_report"), {"kind": "other", "description": "x"})
    assert PointReport.objects.count() == 0
    other = login(world.users["other_office"])
    assert other.get(reverse("oversight:point_detail", args=[point.pk])).status_code == 404
    head = login(world.users["bureau_head"])
    assert head.get(reverse("oversight:point_detail", args=[point.pk])).status_code == 200
    assert head.get(reverse("oversight:point_designate")).status_code == 403


@pytest.mark.django_db
def test_timeline_query_count_is_fixed(world: World, login) -> None:  # type: ignore[no-untyped-def]
    designated(world)
    point = chem_point(world)
    client = login(world.users["legal_office"])
    url = reverse("oversight:point_detail", args=[point.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _facts(world)
    before = count()
    for n in range(3):
        FollowUp.objects.create(
            point=point,
            kind="call",
            on=TEST_TODAY - timedelta(days=n),
            note="电话",
            recorded_by=world.users["legal_office"],
        )
        PointReport.objects.create(
            point=point,
            kind="other",
            description="x",
            submitted_by=world.users["enterprise"],
            submitted_at=TEST_NOW,
        )
    page = client.get(url).content.decode()
    assert page.count('data-testid="timeline-row"') >= 14
    assert count() == before


@pytest.mark.django_db
def test_point_warnings_command(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    designated(world)
    PointReport.objects.create(
        point=chem_point(world),
        kind="other",
        description="x",
        submitted_by=world.users["enterprise"],
        submitted_at=TEST_NOW,
    )
    out = StringIO()
    call_command("point_warnings", today=TEST_TODAY.isoformat(), stdout=out)
    assert f"{TEST_TODAY:%Y-%m-%d} 新生成联系点预警 1 条" in out.getvalue()
