"""The demo county: deterministic, complete, valid, and loaded only once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.test import Client

from anjian.accounts.models import EnforcementBody, User
from anjian.accounts.roles import Role
from anjian.audit.models import AuditEntry
from anjian.audit.services import audit_verify
from anjian.demo.context import seeded
from anjian.demo.county import load_demo
from anjian.demo.loaders import plan_enterprises
from anjian.demo.logins import DEMO_PASSWORD, LOGINS
from anjian.demo.officers import WENSHUI_STAFFING, plan_officers
from anjian.demo.tests.campaign_checks import assert_campaign, assert_oversight
from anjian.domain.ids import validate_id_number, validate_uscc
from anjian.registry.access import visible_enterprises
from anjian.registry.models import Enterprise, Officer

TODAY = date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # the demo's photos of findings and reports


# --- the plan, without a database ---------------------------------------------------------


def test_same_seed_same_enterprises() -> None:
    first, again, other = plan_enterprises(2025), plan_enterprises(2025), plan_enterprises(7)
    assert [p.name for p in first["county"]] == [p.name for p in again["county"]]
    assert [p.uscc for p in first["other_county"]] == [p.uscc for p in again["other_county"]]
    assert [p.name for p in first["county"]] != [p.name for p in other["county"]]


@pytest.mark.parametrize("seed", [2025, 1, 99])
def test_plan_covers_every_class_and_grade(seed: int) -> None:
    county = plan_enterprises(seed)["county"]
    by_sector = Counter(p.sector for p in county)
    assert len(county) == 300
    assert by_sector["coal_mine"] == 6 and by_sector["non_coal_mine"] == 10
    assert by_sector["hazardous_chemicals"] == 40
    assert by_sector["metallurgy"] + by_sector["industry_trade"] == 50
    assert {p.coal_mine_class for p in county if p.sector == "coal_mine"} == set("ABCD")
    assert {p.non_coal_risk_class for p in county if p.sector == "non_coal_mine"} == set("ABCD")
    for sector in ("hazardous_chemicals", "metallurgy", "industry_trade"):
        grades = {p.standardization_grade for p in county if p.sector == sector}
        assert grades == {1, 2, 3, None}, sector
    assert sum(p.is_contact_point for p in county) == 10
    assert [p.sector for p in county if p.supervisor == "city"].count("hazardous_chemicals") == 2


def test_plan_names_and_codes_are_unique_and_valid() -> None:
    plans = [p for county in plan_enterprises(2025).values() for p in county]
    assert len({p.name for p in plans}) == len(plans)
    assert len({p.uscc for p in plans}) == len(plans)
    assert all(validate_uscc(p.uscc).valid for p in plans)
    for plan in plans:
        large = plan.employees >= 1000
        assert (plan.scale == "large") == large, plan


def test_officer_plan() -> None:
    plans = plan_officers(seeded(2025, "officers/county"), WENSHUI_STAFFING, TODAY, set(), set())
    assert len(plans) == 30
    assert all(validate_id_number(p.id_number, today=TODAY).valid for p in plans)
    assert all(1970 <= int(p.id_number[6:10]) <= 1995 for p in plans)
    assert len({p.certificate_no for p in plans}) == 30
    soon = [p for p in plans if TODAY <= p.certificate_valid_until <= TODAY + timedelta(days=60)]
    expired = [p for p in plans if p.certificate_valid_until < TODAY]
    assert len(soon) == 2 and len(expired) == 1
    assert not any(p.login for p in soon + expired)  # the demo logins can all inspect


# --- the load -------------------------------------------------------------------------------

# Loading the demo is the slowest thing the suite does, so it is loaded once, in one test, and
# every check of the loaded county runs on that load as a subtest, each reported on its own. One
# test rather than a module-scoped fixture shared by several: under `pytest -n 2` xdist hands a
# module's tests to both workers, and each worker would load the demo again.

LOAD_DAY = date(2026, 3, 16)  # the load date the checks of a year of activity are written for


@pytest.mark.django_db
def test_the_demo_county(subtests: pytest.Subtests, client: Client) -> None:
    summary = load_demo(today=LOAD_DAY)
    checks: list[tuple[str, Callable[[], None]]] = [
        ("bodies, enterprises, officers and logins", lambda: _assert_the_county(summary)),
        ("the logins work and see their scope", lambda: _assert_logins_and_scope(client)),
        ("a year of entries, quiet days and exceptions", lambda: _assert_entries(LOAD_DAY)),
        ("a year of inspections", lambda: _assert_a_year_of_inspections(LOAD_DAY)),
        ("penalty cases in every state", lambda: _assert_penalty_cases(LOAD_DAY)),
        ("training, exams and calibration", lambda: _assert_training(LOAD_DAY)),
        ("the campaign and its weekly dispatch", lambda: assert_campaign(LOAD_DAY)),
        ("oversight: points, matters, meetings, publications", lambda: assert_oversight(LOAD_DAY)),
        ("the audit trail covers the records", _assert_the_audit_trail),
        ("a second load writes nothing", _assert_second_load_writes_nothing),
    ]
    for name, check in checks:
        with subtests.test(msg=name):
            check()


def _assert_the_county(summary) -> None:  # type: ignore[no-untyped-def]
    assert summary.created
    county = EnforcementBody.objects.get(name="文水县应急管理局")
    assert county.parent.name == "吕梁市应急管理局"
    assert county.parent.parent.name == "山西省应急管理厅"
    assert Enterprise.objects.filter(supervising_body=county).count() == 297
    assert Enterprise.objects.filter(supervising_body__name="吕梁市应急管理局").count() == 3
    assert Enterprise.objects.filter(supervising_body__name="交城县应急管理局").count() == 20
    assert Officer.objects.filter(body=county).count() == 30
    codes = Enterprise.objects.values_list("uscc", flat=True)
    assert all(validate_uscc(code).valid for code in codes)
    id_numbers = Officer.objects.values_list("id_number", flat=True)
    assert len(id_numbers) == 32 and all(validate_id_number(n).valid for n in id_numbers)
    assert {user.role for user in User.objects.all()} == set(Role.values)
    assert [row.username for row in summary.logins] == [spec.username for spec in LOGINS]
    assert summary.classes["煤矿"].keys() == {"A类", "B类", "C类", "D类（长期停产）"}
    assert AuditEntry.objects.filter(action="registry.enterprise.create").count() == 320
    assert audit_verify().ok


# Every row of these is the target of at least one audit entry (its creation, as a rule).
AUDITED = (
    "accounts.EnforcementBody",
    "accounts.Section",
    "accounts.User",
    "registry.Enterprise",
    "registry.Officer",
    "policy.QuietMonth",
    "policy.EntryBooking",
    "planning.PlannedVisit",
    "inspections.InspectionTask",
    "inspections.Hazard",
    "inspections.RectificationOrder",
    "documents.IssuedDocument",
    "enforcement.PenaltyCase",
    "training.Person",
    "training.Certificate",
    "training.TrainingRecord",
    "training.FieldExam",
    "training.ExamAttempt",
)


def _assert_the_audit_trail() -> None:
    assert audit_verify().ok
    for label in AUDITED:
        model = apps.get_model(label)
        entries = AuditEntry.objects.filter(target_type=model._meta.label_lower)
        audited = set(entries.values_list("target_id", flat=True))
        rows = {str(pk) for pk in model._default_manager.values_list("pk", flat=True)}
        assert rows and rows <= audited, label
    attempts = apps.get_model("training.ExamAttempt").objects.count()
    for action in ("training.exam.attempt_start", "training.exam.attempt_finish"):
        assert AuditEntry.objects.filter(action=action).count() == attempts, action


def _assert_logins_and_scope(client: Client) -> None:
    users = {user.username: user for user in User.objects.all()}
    response = client.post("/accounts/login/", {"username": "hazchem", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert all(user.check_password(DEMO_PASSWORD) for user in users.values())
    assert set(visible_enterprises(users["hazchem"]).values_list("sector", flat=True)) == {
        "hazardous_chemicals"
    }
    own = visible_enterprises(users["enterprise"])
    assert own.count() == 1 and own.get() != visible_enterprises(users["enterprise2"]).get()
    assert visible_enterprises(users["othercounty"]).count() == 20
    assert visible_enterprises(users["city"]).count() == 320
    assert users["head"].officer.section is None
    assert users["team"].officer.section.name == "综合行政执法队"


def _assert_second_load_writes_nothing() -> None:
    entries = AuditEntry.objects.count()
    again = load_demo(seed=99, today=TODAY + timedelta(days=3))
    assert not again.created
    assert AuditEntry.objects.count() == entries
    assert Enterprise.objects.count() == 320
    assert len(again.logins) == len(LOGINS)


def _assert_entries(today: date) -> None:
    from anjian.policy.models import (
        CapCounter,
        EntryBooking,
        InspectionItemList,
        QuietException,
        QuietMonth,
    )
    from anjian.policy.notice import notice_number

    months = QuietMonth.objects.order_by("month")
    assert months.count() == 13 and all(len(m.days) >= 10 for m in months)
    assert months.last().month == date(2026, 4, 1)
    # The policy demo's own entries (booked by the system); approved tasks book later ones.
    bookings = EntryBooking.objects.filter(cancelled_at__isnull=True, created_by=None)
    first, last = bookings.order_by("date").first().date, bookings.order_by("date").last().date
    assert (last - first).days >= 330 and last < today
    assert bookings.count() > 400
    assert {"enforcement_inspection", "rectification_review", "supervisor_patrol"} <= set(
        bookings.values_list("activity", flat=True)
    )
    assert bookings.exclude(joint_key="").exists() and bookings.filter(mode="remote").exists()
    assert all(c.used <= c.cap for c in CapCounter.objects.all())
    assert CapCounter.objects.filter(kind="cap").count() > 150
    statuses = sorted(QuietException.objects.values_list("status", flat=True))
    assert statuses == ["approved", "pending"]
    approved = QuietException.objects.get(status="approved")
    assert notice_number(approved).endswith("抄〔2026〕1号") and approved.date < today
    assert QuietException.objects.get(status="pending").date > today
    published = InspectionItemList.objects.get(status="published")
    assert published.is_starter and published.items.count() >= 40


def _assert_training(today: date) -> None:
    from anjian.training.access import institution_of
    from anjian.training.models import (
        CalibrationRun,
        Certificate,
        ExamAttempt,
        FieldExam,
        Person,
        Question,
        TrainingInstitution,
        TrainingRecord,
    )
    from anjian.training.services.certificates import certificate_alerts
    from anjian.training.services.institutions import institution_status

    assert Person.objects.count() > 150
    assert set(Person.objects.values_list("role", flat=True)) == {
        "principal",
        "safety_manager",
        "special_operator",
        "worker",
    }
    alerts = certificate_alerts(Certificate.objects.all(), today)
    assert len(alerts) >= 3  # expiring or due for review within 60 days, or overdue
    institutions = list(TrainingInstitution.objects.order_by("pk"))
    assert len(institutions) == 2
    assert [institution_status(i, today).suspended for i in institutions] == [False, True]
    for institution in institutions:
        assert TrainingRecord.objects.filter(institution=institution).exists()
    assert TrainingRecord.objects.filter(training_class__isnull=False).exists()
    assert TrainingRecord.objects.filter(delivery="online").exists()
    assert institution_of(User.objects.get(username="training")) == institutions[0]
    simulated = CalibrationRun.objects.get(source="simulated")
    assert not simulated.refused
    assert simulated.items == Question.objects.filter(status="active").count()
    assert CalibrationRun.objects.filter(source="answers", refused=True).exists()
    exams = FieldExam.objects.all()
    assert exams.count() >= 8 and all(e.status == "closed" for e in exams)
    assert all(e.task.status == "done" and e.opened_at.date() == e.task.date for e in exams)
    attempts = ExamAttempt.objects.filter(finished_at__isnull=False)
    assert attempts.count() >= 40 and attempts.count() == ExamAttempt.objects.count()
    assert attempts.filter(passed=True).exists() and attempts.filter(passed=False).exists()
    # every attempt answered each question it was served, in order, within the exam's length
    for attempt in attempts.select_related("exam").prefetch_related("answers"):
        answers = list(attempt.answers.all())
        assert [a.position for a in answers] == list(range(1, len(answers) + 1)), attempt
        assert 0 < len(answers) <= attempt.exam.max_items, attempt
        assert all(a.answered_at is not None and a.response for a in answers), attempt
        assert attempt.exam.opened_at <= attempt.started_at < attempt.finished_at


def _assert_penalty_cases(today: date) -> None:
    from anjian.domain.discretion.procedure import CASE_STATES
    from anjian.enforcement.models import CaseDocument, CaseFine, LegalReview, PenaltyCase
    from anjian.enforcement.monitor import like_case_flags

    cases = PenaltyCase.objects.all()
    assert set(cases.values_list("state", flat=True)) == set(CASE_STATES)
    assert all(c.filed_on <= today for c in cases)
    first = cases.get(no_penalty=True)
    assert first.state == "closed" and first.disposition == "no_penalty_eligible"
    assert first.documents.filter(kind=CaseDocument.Kind.NO_PENALTY).exists()
    assert cases.filter(disposition="lenient", state="closed").exists()
    heard = cases.get(hearing_held=True)
    assert heard.state == "closed" and heard.review_required and heard.collective_done
    assert heard.reviews.filter(after_hearing=True, verdict="approved").exists()
    assert LegalReview.objects.filter(verdict="rejected").exists()
    assert cases.filter(source="overdue").exists() and cases.filter(source="finding").exists()
    outlier = cases.get(state="reviewing", article="97", item="7")
    assert like_case_flags(outlier) and "偏离中位数" in like_case_flags(outlier)[0]
    decided = cases.filter(state__in=["decided", "delivered", "paid", "closed"], article="97")
    assert not any(like_case_flags(c) for c in decided)
    # issue 15: art. 101 overdue decided with its mandatory 停产停业整顿; a named, fined person;
    # a fine paid late with its late fee (3 % a day, never above the fine)
    issued = cases.filter(state__in=["decided", "delivered", "paid", "closed"])
    shut = issued.filter(article="101", overdue=True)
    assert shut and all("责令停产停业整顿" in c.proposed_measures for c in shut)
    person = CaseFine.objects.filter(party="person", case__in=issued).first()
    assert person is not None and person.name and person.post and person.amount > 0
    late = CaseFine.objects.filter(late_fee__gt=0, case__state="closed")
    assert late and all(0 < f.late_fee <= f.amount for f in late)


def _assert_a_year_of_inspections(today: date) -> None:
    from django.utils import timezone

    from anjian.demo.logins import LOGINS_BY_USERNAME
    from anjian.inspections.codes import CodeState, check_code, entry_code
    from anjian.inspections.models import (
        Complaint,
        Hazard,
        InspectionDocument,
        InspectionRating,
        InspectionTask,
        RectificationOrder,
        RectificationReport,
        ReviewLine,
    )
    from anjian.inspections.services.visits import check_in

    tasks = InspectionTask.objects.all()
    assert 200 <= tasks.count() <= 450
    done = tasks.filter(status="done")
    assert len({d.strftime("%Y-%m") for d in done.values_list("date", flat=True)}) >= 6
    assert all(d < today for d in done.values_list("date", flat=True))
    assert done.count() > 150 and not done.filter(results__isnull=True).exists()
    for task in done.filter(mode="on_site").prefetch_related("officers"):
        assert len(task.officers.all()) >= 2 and task.checked_in_at is not None, task
        checked_in = timezone.localtime(task.checked_in_at)
        assert checked_in.date() == task.date and 9 <= checked_in.hour < 16
    statuses = set(Hazard.objects.values_list("status", flat=True))
    assert {"open", "closed", "on_spot"} <= statuses
    assert Hazard.objects.filter(level="major").exclude(onsite_measure="").exists()
    orders = RectificationOrder.objects.all()
    assert all(o.deadline > o.issued_on for o in orders)
    assert (
        orders.filter(deadline__lt=today).exists() and orders.filter(deadline__gte=today).exists()
    )
    decisions = set(ReviewLine.objects.values_list("decision", flat=True))
    assert decisions == {"closed", "extended", "not_fixed"}
    kinds = set(InspectionDocument.objects.values_list("kind", flat=True))
    assert kinds == set(InspectionDocument.Kind.values)
    assert done.count() == InspectionDocument.objects.filter(kind="record").count()
    assert tasks.filter(date__gt=today, status="approved").exists()
    reports = RectificationReport.objects.values_list("submitted_by__username", flat=True)
    assert {"enterprise", "enterprise2"} & set(reports)
    assert Complaint.objects.filter(status="closed").exists() and InspectionRating.objects.exists()
    assert tasks.filter(source="unplanned", review="pending").exists()
    # A demo officer login can check in today with the code right away.
    logins = [name for name, spec in LOGINS_BY_USERNAME.items() if spec.section]
    now = tasks.filter(date=today, status="approved", mode="on_site")
    hazchem = now.get(officers__user__username="hazchem")
    assert now.filter(officers__user__username__in=logins).count() >= 2
    assert check_code(entry_code(hazchem), today).state == CodeState.VALID
    user = hazchem.officers.get(user__username="hazchem").user
    assert check_in(actor=user, code=entry_code(hazchem), today=today).status == "in_progress"
