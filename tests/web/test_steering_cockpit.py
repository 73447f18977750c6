"""The leadership cockpit (issue 18 item 5): this year to an as-of day against the same period
last year, the targets judged red or green, the drill-down links, the filters, who may see it,
and a query count that does not grow with the records."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from anjian.audit.models import AuditEntry
from anjian.enforcement.models import PenaltyCase
from anjian.inspections.models import Complaint, InspectionTask
from anjian.policy.models import CapCounter, EntryBooking, QuietException, RuleSet
from anjian.steering.cockpit import cockpit, same_day_last_year
from anjian.steering.cockpit_series import month_counts
from anjian.steering.models import Campaign, Target
from anjian.steering.slicing import campaign_slice
from anjian.training.models import ExamAttempt, FieldExam
from tests.conftest import World
from tests.web.steering_helpers import campaign_for

DAY = date(2026, 6, 30)  # the as-of day: this year 2026-01-01 … 06-30, last year 2025-01-01 … 06-30
SERIAL = itertools.count(1)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


# --- records ---------------------------------------------------------------------------------


def entry(
    world: World, key: str, day: date, section: str | None = "hazchem", **kw: Any
) -> EntryBooking:
    fields: dict[str, Any] = {
        "enterprise": world.enterprises[key],
        "date": day,
        "body": world.county,
        "section": world.sections[section] if section else None,
        "activity": "enforcement_inspection",
        "mode": "on_site",
        "ruleset": RuleSet.objects.order_by("effective_from").first(),
    }
    fields.update(kw)
    return EntryBooking.objects.create(**fields)


def exception(world: World, key: str, day: date) -> QuietException:
    found = QuietException.objects.create(
        body=world.county,
        section=world.sections["hazchem"],
        enterprise=world.enterprises[key],
        date=day,
        activity="enforcement_inspection",
        reason="群众举报，需立即核查",
        requested_by=world.users["hazchem"],
        status="approved",
    )
    QuietException.objects.filter(pk=found.pk).update(requested_at=at(day))
    return found


def case(world: World, key: str, decided: date, **kw: Any) -> PenaltyCase:
    fields: dict[str, Any] = {
        "body": world.county,
        "section": world.sections["hazchem"],
        "enterprise": world.enterprises[key],
        "source": "other",
        "title": "未按规定设置安全警示标志",
        "law": "《中华人民共和国安全生产法》",
        "article": "第九十九条第一项",
        "filed_on": decided - timedelta(days=20),
        "created_by": world.users["legal_office"],
        "state": "decided",
        "decided_on": decided,
    }
    fields.update(kw)
    return PenaltyCase.objects.create(**fields)


def complaint(world: World, key: str, filed: date, days_to_close: int | None) -> Complaint:
    found = Complaint.objects.create(
        enterprise=world.enterprises[key],
        kind="other",
        happened_on=filed,
        description="检查人员态度问题",
        filed_by=world.users["enterprise"],
    )
    closed = at(filed) + timedelta(days=days_to_close) if days_to_close is not None else None
    Complaint.objects.filter(pk=found.pk).update(
        filed_at=at(filed), status="closed" if closed else "received", handled_at=closed
    )
    return found


def task(world: World, key: str, day: date) -> InspectionTask:
    return InspectionTask.objects.create(
        body=world.county,
        section=world.sections["hazchem"],
        enterprise=world.enterprises[key],
        date=day,
        activity="enforcement_inspection",
        mode="on_site",
        source="plan",
        requested_by=world.users["hazchem"],
    )


def attempts(world: World, key: str, day: date, results: list[bool]) -> None:
    exam = FieldExam.objects.create(
        task=task(world, key, day),
        enterprise=world.enterprises[key],
        token=f"exam-token-{next(SERIAL)}",
        opened_by=world.users["hazchem"],
        opened_at=at(day, 9),
        closes_at=at(day, 18),
    )
    for passed in results:
        n = next(SERIAL)
        ExamAttempt.objects.create(
            exam=exam,
            name=f"工人{n}",
            job="worker",
            id_last4=f"{n % 10000:04d}",
            key=f"attempt-key-{n}",
            started_at=at(day, 10),
            finished_at=at(day, 11),
            passed=passed,
        )


def records(world: World) -> None:
    """This year (to 30 June): 4 on-site entries (1 joint, 1 on a quiet day), 1 remote, 1
    cancelled; last year to 30 June: 5 on-site entries (and one in August, outside the period)."""
    entry(world, "chem", date(2026, 1, 10))
    entry(world, "chem", date(2026, 2, 12), joint_key="LH-2026-001")
    entry(
        world, "chem", date(2026, 3, 3), quiet_exception=exception(world, "chem", date(2026, 3, 1))
    )
    entry(world, "coal", date(2026, 3, 20), section="coal")
    entry(world, "chem", date(2026, 4, 1), mode="remote")
    entry(world, "chem", date(2026, 4, 2), cancelled_at=at(date(2026, 3, 30)))
    entry(world, "chem", date(2026, 7, 1))  # after the as-of day
    for day in (date(2025, 1, 5), date(2025, 2, 6), date(2025, 3, 7), date(2025, 5, 8)):
        entry(world, "chem", day)
    entry(world, "coal", date(2025, 3, 9), section="coal")
    entry(world, "chem", date(2025, 8, 1))
    case(
        world, "chem", date(2026, 5, 6), no_penalty=True, review_required=True, review_approved=True
    )
    case(
        world,
        "chem",
        date(2026, 5, 20),
        disposition="lenient",
        decided_unit_fine=5000,
        decided_person_fine=1000,
        review_required=True,
    )
    case(world, "chem", date(2025, 4, 1), decided_unit_fine=20000)
    complaint(world, "chem", date(2026, 2, 1), 3)
    complaint(world, "coal", date(2026, 4, 1), 6)
    complaint(world, "chem", date(2025, 3, 1), 2)
    attempts(world, "chem", date(2026, 5, 10), [True, True, False])
    attempts(world, "coal", date(2026, 5, 11), [True])
    attempts(world, "chem", date(2025, 5, 10), [True, False])


@pytest.fixture
def steered(world: World) -> tuple[World, Campaign]:
    campaign = campaign_for(world)
    records(world)
    for key, year, used, cap in (("chem", 2026, 3, 4), ("coal", 2026, 1, 2), ("chem", 2025, 4, 4)):
        CapCounter.objects.create(
            enterprise=world.enterprises[key], year=year, kind="cap", used=used, cap=cap
        )
    return world, campaign


def values(result: Any, code: str) -> tuple[Any, Any, Any]:
    line = result.line(code)
    return line.current, line.previous, line.change


# --- the computation ---------------------------------------------------------------------------


def test_same_day_last_year() -> None:
    assert same_day_last_year(date(2026, 6, 30)) == date(2025, 6, 30)
    assert same_day_last_year(date(2028, 2, 29)) == date(2027, 2, 28)


@pytest.mark.django_db
def test_cockpit_figures_against_last_year(steered: tuple[World, Campaign]) -> None:
    _world, campaign = steered
    result = cockpit(campaign, day=DAY)
    assert (result.current.start, result.current.end) == (date(2026, 1, 1), DAY)
    assert (result.previous.start, result.previous.end) == (date(2025, 1, 1), date(2025, 6, 30))
    assert values(result, "entries_onsite") == (4, 5, Decimal("-20.0"))
    assert values(result, "entries_joint") == (1, 0, None)
    assert result.line("joint_share").current == Decimal("25.0")
    assert result.line("joint_share").previous == Decimal("0.0")
    assert result.line("joint_share").points == Decimal("25.0")
    assert values(result, "entries_quiet") == (1, 0, None)
    assert values(result, "quiet_exceptions") == (1, 0, None)
    assert values(result, "exception_rate") == (Decimal("25.0"), Decimal("0.0"), None)
    assert values(result, "entries_remote") == (1, 0, None)
    assert result.line("remote_share").current == Decimal("20.0")  # 1 of 5 entries
    assert values(result, "cap_use") == (Decimal("66.7"), Decimal("100.0"), Decimal("-33.3"))
    assert result.cap == ((4, 6), (4, 4))
    assert values(result, "cases_decided") == (2, 1, Decimal("100.0"))
    assert values(result, "fines") == (6000, 20000, Decimal("-70.0"))
    assert result.line("no_penalty_share").current == Decimal("50.0")
    assert result.line("lenient_share").current == Decimal("50.0")
    assert result.line("review_coverage").current == Decimal("50.0")
    assert result.line("review_coverage").previous is None  # nothing required review last year
    assert values(result, "attempts") == (4, 2, Decimal("100.0"))
    assert values(result, "pass_rate") == (Decimal("75.0"), Decimal("50.0"), Decimal("50.0"))
    assert values(result, "complaints_received") == (2, 1, Decimal("100.0"))
    assert values(result, "complaints_closed") == (2, 1, Decimal("100.0"))
    assert values(result, "complaint_days") == (Decimal("4.5"), Decimal("2.0"), Decimal("125.0"))


@pytest.mark.django_db
def test_cockpit_by_sector(steered: tuple[World, Campaign]) -> None:
    _world, campaign = steered
    result = cockpit(campaign, day=DAY)
    rows = {row.sector: row for row in result.sectors}
    chem, coal = rows["hazardous_chemicals"], rows["coal_mine"]
    # the county supervises one enterprise of each sector (the city's and the other county's
    # chemical plants are not its own)
    assert (chem.enterprises, chem.current, chem.previous) == (1, 3, 4)
    assert (chem.per_enterprise, chem.per_enterprise_previous) == (Decimal("3.00"), Decimal("4.00"))
    assert (coal.enterprises, coal.current, coal.previous, coal.per_enterprise) == (
        1,
        1,
        1,
        Decimal("1.00"),
    )
    exams = {row.sector: row for row in result.exams}
    assert (exams["hazardous_chemicals"].passed, exams["hazardous_chemicals"].attempts) == (2, 3)
    assert exams["hazardous_chemicals"].rate == Decimal("66.7")
    assert exams["hazardous_chemicals"].rate_previous == Decimal("50.0")
    assert (exams["coal_mine"].rate, exams["coal_mine"].attempts_previous) == (Decimal("100.0"), 0)


@pytest.mark.django_db
def test_monthly_series(steered: tuple[World, Campaign]) -> None:
    _world, campaign = steered
    result = cockpit(campaign, day=DAY)
    onsite = result.series["entries_onsite"]
    assert onsite.current == [1.0, 1.0, 2.0, 0.0, 0.0, 0.0]  # January … June
    assert onsite.previous == [1.0, 1.0, 2.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    assert result.series["joint_share"].current == [0.0, 100.0, 0.0, None, None, None]
    # a date-time figure is grouped by the local month: filed 1 February 10:00 in Shanghai
    span = campaign_slice(campaign, date(2025, 1, 1), DAY)
    assert month_counts("complaints_received", span) == {(2025, 3): 1, (2026, 2): 1, (2026, 4): 1}
    assert "exception_rate" in result.series and "fines" not in result.series


@pytest.mark.django_db
def test_section_and_town_filters(steered: tuple[World, Campaign]) -> None:
    world, campaign = steered
    hazchem = world.sections["hazchem"]
    result = cockpit(campaign, day=DAY, section=hazchem)
    assert values(result, "entries_onsite") == (3, 4, Decimal("-25.0"))
    assert [row.sector for row in result.sectors] == ["hazardous_chemicals"]
    world.enterprises["coal"].town = "开栅镇"
    world.enterprises["coal"].save(update_fields=["town"])
    result = cockpit(campaign, day=DAY, town="凤城镇")
    assert values(result, "entries_onsite") == (3, 4, Decimal("-25.0"))
    assert result.line("complaints_received").current == 1
    assert cockpit(campaign, day=DAY, town="开栅镇").line("entries_onsite").current == 1


@pytest.mark.django_db
def test_targets_judged(steered: tuple[World, Campaign]) -> None:
    _world, campaign = steered
    Target.objects.create(
        campaign=campaign, figure="entries_onsite", kind="change_at_most", threshold=Decimal("-30")
    )
    Target.objects.create(
        campaign=campaign, figure="joint_share", kind="at_least", threshold=Decimal("20")
    )
    Target.objects.create(
        campaign=campaign, figure="entries_joint", kind="change_at_least", threshold=Decimal("10")
    )
    result = cockpit(campaign, day=DAY)
    assert result.line("entries_onsite").verdict.met is False  # −20 % is not a 30 % fall
    assert result.line("joint_share").verdict.met is True
    assert result.line("entries_joint").verdict.met is None  # nothing last year to compare with
    assert result.line("fines").verdict is None


# --- the page ------------------------------------------------------------------------------------


def page(client: Any, campaign: Campaign, **params: Any) -> Any:
    query = {"campaign": campaign.pk, "day": DAY.isoformat(), **params}
    return client.get(reverse("steering:cockpit"), query)


@pytest.mark.django_db
def test_page_shows_figures_badges_and_drill_links(
    steered: tuple[World, Campaign], login: Any
) -> None:
    world, campaign = steered
    Target.objects.create(
        campaign=campaign, figure="entries_onsite", kind="change_at_most", threshold=Decimal("-30")
    )
    Target.objects.create(
        campaign=campaign, figure="joint_share", kind="at_least", threshold=Decimal("20")
    )
    answer = page(login(world.users["bureau_head"]), campaign)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'data-testid="value-entries_onsite">4</a>' in html
    assert 'data-testid="previous-entries_onsite">5</a>' in html
    assert 'data-testid="change-entries_onsite">-20.0%' in html
    assert 'class="badge text-bg-danger" data-testid="verdict-entries_onsite"' in html
    assert 'class="badge text-bg-success" data-testid="verdict-joint_share"' in html
    assert 'data-testid="chart-entries_onsite"><svg' in html
    assert " style=" not in html and "<script>" not in html
    link = answer.context["result"].line("entries_onsite").link
    parts = urlsplit(link)
    assert parts.path == reverse("steering:figure_records", args=["entries_onsite"])
    assert parse_qs(parts.query, keep_blank_values=True) == {
        "campaign": [str(campaign.pk)],
        "start": ["2026-01-01"],
        "end": ["2026-06-30"],
        "section": [""],
        "town": [""],
    }
    assert f'href="{link.replace("&", "&amp;")}"' in html
    # the drill-down lists the very records counted
    drilled = login(world.users["bureau_head"]).get(link)
    assert drilled.status_code == 200
    assert drilled.context["count"] == 4


@pytest.mark.django_db
def test_page_filters(steered: tuple[World, Campaign], login: Any) -> None:
    world, campaign = steered
    hazchem = world.sections["hazchem"]
    answer = page(login(world.users["office"]), campaign, section=hazchem.pk, town="凤城镇")
    assert answer.status_code == 200
    result = answer.context["result"]
    assert result.line("entries_onsite").current == 3
    query = parse_qs(urlsplit(result.line("joint_share").link).query)
    assert query["section"] == [str(hazchem.pk)] and query["town"] == ["凤城镇"]
    assert urlsplit(result.line("joint_share").link).path.endswith("/entries_joint/")
    # a malformed day or an unknown section falls back to the defaults and says so
    answer = login(world.users["office"]).get(
        f"{reverse('steering:cockpit')}?campaign={campaign.pk}&day=2026-13-01&section=999999"
    )
    assert answer.status_code == 200
    assert answer.context["result"].line("entries_onsite").code == "entries_onsite"
    assert answer.context["section"] is None
    assert 'data-testid="cockpit-filter-errors"' in answer.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["bureau_head", "office", "discipline"])
def test_readers_see_the_cockpit(
    steered: tuple[World, Campaign], login: Any, username: str
) -> None:
    world, campaign = steered
    assert page(login(world.users[username]), campaign).status_code == 200


@pytest.mark.django_db
def test_cockpit_refused(steered: tuple[World, Campaign], login: Any, client: Any) -> None:
    world, campaign = steered
    assert page(login(world.users["hazchem"]), campaign).status_code == 403
    assert page(login(world.users["other_office"]), campaign).status_code == 404
    client.logout()
    answer = page(client, campaign)
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


@pytest.mark.django_db
def test_current_campaign_is_the_default(steered: tuple[World, Campaign], login: Any) -> None:
    world, campaign = steered
    answer = login(world.users["bureau_head"]).get(f"{reverse('steering:cockpit')}?day=2026-06-30")
    assert answer.status_code == 200
    assert answer.context["campaign"] == campaign


@pytest.mark.django_db
def test_query_count_does_not_grow(steered: tuple[World, Campaign], login: Any) -> None:
    world, campaign = steered
    Target.objects.create(
        campaign=campaign, figure="entries_onsite", kind="change_at_most", threshold=Decimal("-30")
    )
    client = login(world.users["bureau_head"])
    page(client, campaign)  # warm the session and the caches
    with CaptureQueriesContext(connection) as before:
        assert page(client, campaign).status_code == 200
    records(world)
    for month in range(1, 7):
        entry(world, "coal", date(2026, month, 15), section="coal", joint_key=f"LH-{month}")
        complaint(world, "coal", date(2025, month, 3), month)
    attempts(world, "coal", date(2025, 2, 2), [True, False, True])
    with CaptureQueriesContext(connection) as after:
        answer = page(client, campaign)
    assert answer.context["result"].line("entries_onsite").current == 14
    assert len(after.captured_queries) == len(before.captured_queries)
    assert len(before.captured_queries) < 100


# --- the targets page --------------------------------------------------------------------------


def targets_url(campaign: Campaign) -> str:
    return f"{reverse('steering:cockpit_targets')}?campaign={campaign.pk}"


@pytest.mark.django_db
def test_office_publishes_and_changes_a_target(steered: tuple[World, Campaign], login: Any) -> None:
    world, campaign = steered
    client = login(world.users["office"])
    data = {
        "figure": "entries_onsite",
        "kind": "change_at_most",
        "threshold": "-30",
        "note": "方案目标",
    }
    answer = client.post(targets_url(campaign), data)
    assert answer.status_code == 302
    target = Target.objects.get(campaign=campaign)
    assert (target.figure, target.kind, target.threshold, target.note) == (
        "entries_onsite",
        "change_at_most",
        Decimal("-30.0"),
        "方案目标",
    )
    entry_log = AuditEntry.objects.get(action="steering.target.create")
    assert entry_log.changes["threshold"] == {"before": None, "after": "-30"}
    client.post(targets_url(campaign), {**data, "threshold": "-25.5"})
    target.refresh_from_db()
    assert target.threshold == Decimal("-25.5") and Target.objects.count() == 1
    changed = AuditEntry.objects.get(action="steering.target.update")
    assert changed.changes["threshold"] == {"before": "-30.0", "after": "-25.5"}
    page_html = client.get(targets_url(campaign)).content.decode()
    assert 'data-testid="target-row" data-code="entries_onsite"' in page_html
    answer = client.post(reverse("steering:cockpit_target_delete", args=[target.pk]))
    assert answer.status_code == 302 and not Target.objects.exists()
    assert AuditEntry.objects.filter(action="steering.target.delete").count() == 1


@pytest.mark.django_db
def test_bad_targets_are_refused(steered: tuple[World, Campaign], login: Any) -> None:
    world, campaign = steered
    client = login(world.users["office"])
    for data, message in (
        ({"figure": "joint_share", "kind": "at_least", "threshold": "120"}, "不能超过 100"),
        (
            {"figure": "entries_onsite", "kind": "change_at_most", "threshold": "-130"},
            "不能超过 100%",
        ),
        ({"figure": "fines", "kind": "at_most", "threshold": "-1"}, "不能为负数"),
    ):
        answer = client.post(targets_url(campaign), data)
        assert answer.status_code == 200
        assert message in answer.content.decode()
    answer = client.post(
        targets_url(campaign), {"figure": "nope", "kind": "at_most", "threshold": "1"}
    )
    assert answer.status_code == 200 and answer.context["form"].errors["figure"]
    assert not Target.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="steering.target").exists()


@pytest.mark.django_db
def test_only_the_office_edits_targets(steered: tuple[World, Campaign], login: Any) -> None:
    world, campaign = steered
    target = Target.objects.create(
        campaign=campaign, figure="fines", kind="at_most", threshold=Decimal("100000")
    )
    head = login(world.users["bureau_head"])
    assert head.get(targets_url(campaign)).status_code == 200
    data = {"figure": "entries_onsite", "kind": "change_at_most", "threshold": "-30"}
    assert head.post(targets_url(campaign), data).status_code == 403
    assert head.post(reverse("steering:cockpit_target_delete", args=[target.pk])).status_code == 403
    section = login(world.users["hazchem"])
    assert section.get(targets_url(campaign)).status_code == 403
    assert section.post(targets_url(campaign), data).status_code == 403
    other = login(world.users["other_office"])
    assert (
        other.post(reverse("steering:cockpit_target_delete", args=[target.pk])).status_code == 404
    )
    assert list(Target.objects.values_list("figure", flat=True)) == ["fines"]
    assert not AuditEntry.objects.filter(action__startswith="steering.target").exists()


@pytest.mark.django_db
def test_no_campaign_yet(world: World, login: Any) -> None:
    answer = login(world.users["bureau_head"]).get(reverse("steering:cockpit"))
    assert answer.status_code == 200
    assert "本单位尚未建立专项工作" in answer.content.decode()
    assert login(world.users["hazchem"]).get(reverse("steering:cockpit")).status_code == 403
    assert login(world.users["office"]).get(targets_url_for(0)).status_code == 404


def targets_url_for(pk: int) -> str:
    return f"{reverse('steering:cockpit_targets')}?campaign={pk}"
