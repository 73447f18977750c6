"""A world with one record of every kind that names an enterprise, for each of two enterprises of
the county: 宏达化工 ("chem", seen by the hazardous-chemicals section) and 鑫源煤业 ("coal", seen by
the coal section). Built once per module by the URL scope matrix (tests/web/test_scope_urls.py).

`Records.pk[kind][key]` is the primary key of the record of `kind` that names enterprise `key`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.accounts.services import user_create
from anjian.domain.ids.idcard import id_check_character
from anjian.enforcement.services.case_proposal import case_propose
from anjian.enforcement.services.case_steps import case_notify
from anjian.enforcement.services.cases import case_evidence_add, case_open
from anjian.inspections.codes import entry_code, qr_png
from anjian.inspections.models import InspectionDocument
from anjian.inspections.services.feedback import file_complaint, rate_inspection
from anjian.inspections.services.records import (
    FindingRequest,
    add_finding,
    confirm_record,
    finish_record,
    issue_order,
    record_item,
)
from anjian.inspections.services.visits import check_in
from anjian.planning.annual import annual_plan_generate
from anjian.planning.models import PlanEntry, PlannedVisit, PlanningMonth, PlanRun
from anjian.policy.models import EntryBooking, QuietMonth
from anjian.policy.selectors import items_for_enterprise, next_month
from anjian.policy.services.quiet import quiet_exception_decide, quiet_exception_request
from anjian.registry.models import EnterpriseMembership
from anjian.registry.services import enterprise_create, officer_create
from anjian.training.models import InstitutionMembership, TrainingRecord
from anjian.training.services.certificates import certificate_create
from anjian.training.services.exam_flow import attempt_simulate
from anjian.training.services.exams import ExamSettings, exam_open
from anjian.training.services.institutions import class_report, institution_create
from anjian.training.services.personnel import person_create
from anjian.training.services.questions import load_starter
from tests.clock import TEST_NOW
from tests.conftest import PASSWORD, World, build_world, make_uscc
from tests.web.inspection_helpers import Field, approved_task, field_team, today
from tests.web.penalty_helpers import ready_to_decide
from tests.web.policy_helpers import quiet
from tests.web.steering_helpers import campaign_for

KEYS = ("chem", "coal")
ENTERPRISE_USER = {"chem": "enterprise", "coal": "enterprise2"}
SECTION = {"chem": "hazchem", "coal": "coal"}
REASON = {
    "chem": "群众举报储罐区夜间违规动火作业，需立即现场核实",
    "coal": "井下瓦斯监测数据异常，需立即入矿核查处置",
}


@dataclass
class Records:
    world: World
    pk: dict[str, dict[str, int]] = field(default_factory=dict)
    media: Path | None = None  # where the world's files are
    teams: dict[str, Field] = field(default_factory=dict)
    institution: object = None

    def add(self, kind: str, key: str, pk: int) -> None:
        self.pk.setdefault(kind, {})[key] = pk


def id_number(serial: int) -> str:
    body = f"14112119850101{serial:03d}"
    return body + id_check_character(body)


def photo(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, qr_png(name), content_type="image/png")


def coal_team(world: World) -> Field:
    """Two officers with accounts in the coal section (the chemical team is `field_team`)."""
    officers, users = [], []
    for i, name in enumerate(("赵煤", "钱矿")):
        user = user_create(
            actor=None,
            username=f"coal_officer{i}",
            password=PASSWORD,
            role=Role.BUSINESS_SECTION,
            display_name=name,
            body=world.county,
            section=world.sections["coal"],
        )
        officer = officer_create(
            actor=None,
            data={
                "name": name,
                "body": world.county,
                "section": world.sections["coal"],
                "certificate_no": f"14112130{i:02d}",
                "certificate_valid_until": date(2030, 1, 1),
            },
        )
        officer.user = user
        officer.save(update_fields=["user"])
        officers.append(officer)
        users.append(user)
    return Field(officers, users)


def _inspection(records: Records, key: str, team: Field) -> None:
    """An on-site inspection today: checked in, an exam sat, a finding with a photo under an
    order, finished, rated and complained about by the enterprise, and a case notified to it."""
    world = records.world
    enterprise = world.enterprises[key]
    items = [i for i in items_for_enterprise(enterprise) if "on_site" in i.methods][:2]
    task = approved_task(
        world, team, enterprise=enterprise, items=items, section=world.sections[SECTION[key]]
    )
    task = check_in(actor=team.lead, code=entry_code(task), today=today())
    records.add("task", key, task.pk)
    exam = exam_open(
        actor=team.lead, task=task, options=ExamSettings(jobs=["worker"]), now=timezone.now()
    )
    attempt_simulate(
        exam=exam,
        name=f"{key}考生",
        job="worker",
        id_last4="1234",
        answer=lambda q: "A",
        now=timezone.now(),
    )
    records.add("exam", key, exam.pk)
    hazard = add_finding(
        actor=team.lead,
        task=task,
        request=FindingRequest("安全警示标志缺失", "general", item_id=items[0].pk, files=[photo()]),
        today=today(),
    )
    records.add("hazard", key, hazard.pk)
    records.add("evidence", key, hazard.evidence.get().pk)
    record_item(actor=team.lead, task=task, item_id=items[1].pk, outcome="checked")
    order = issue_order(
        actor=team.lead, task=task, hazard_ids=[hazard.pk], working_days=10, today=today()
    )
    records.add("order", key, order.pk)
    confirm_record(actor=team.lead, task=task, representative="负责人", refused=False)
    task = finish_record(
        actor=team.lead, task=task, summary="检查完毕", place="厂区", today=today()
    )
    document = InspectionDocument.objects.filter(task=task, issued__isnull=False).first()
    assert document is not None and document.issued is not None
    records.add("inspection_document", key, document.pk)
    records.add("issued_document", key, document.issued.pk)
    user = world.users[ENTERPRISE_USER[key]]
    rating = rate_inspection(
        actor=user, task=task, score=5, showed_code=True, disturbed_production=False
    )
    records.add("rating", key, rating.pk)
    complaint = file_complaint(
        actor=user, kind="gifts", happened_on=today(), description=f"{key}投诉内容", task=task
    )
    records.add("complaint", key, complaint.pk)
    _case(records, key, team, hazard)


def _case(records: Records, key: str, team: Field, hazard) -> None:  # type: ignore[no-untyped-def]
    case = case_open(
        actor=team.lead,
        hazards=[hazard],
        law="安全生产法",
        article="99",
        item="1",
        officers=team.officers,
        filed_on=today(),
        facts_text="检查发现安全警示标志缺失。",
    )
    evidence = case_evidence_add(
        actor=team.lead, case=case, kind="photo", description="现场照片", upload=photo("证据.png")
    )
    case_propose(
        actor=team.lead,
        case=case,
        facts={"count": 1},
        unit_fine=10000,
        person_fine=None,
        measures=["责令限期改正"],
        today=today(),
    )
    case = case_notify(actor=team.lead, case=case, today=today())
    records.add("case", key, case.pk)
    records.add("case_evidence", key, evidence.pk)
    notice = case.documents.get(kind="penalty_notice")
    records.add("case_document", key, notice.pk)


def _quiet_exception(records: Records, key: str, actor: User) -> None:
    world = records.world
    month = next_month(today().replace(day=1))
    if not QuietMonth.objects.filter(body=world.county, month=month).exists():
        quiet(world, month, list(range(1, 11)))
    row = quiet_exception_request(
        actor=actor,
        enterprise=world.enterprises[key],
        day=month.replace(day=3),
        activity="enforcement_inspection",
        reason=REASON[key],
        section=actor.section,
        today=today(),
    )
    row = quiet_exception_decide(
        actor=world.users["bureau_head"], exception=row, approve=True, note="同意", today=today()
    )
    records.add("quiet_exception", key, row.pk)


def _training(records: Records, institution, first_serial: int = 1) -> None:  # type: ignore[no-untyped-def]
    world = records.world
    training_class = class_report(
        actor=None,
        institution=institution,
        title="2026年第一期特种作业人员培训班",
        role="special_operator",
        kind="initial",
        delivery="offline",
        hours=Decimal(32),
        starts_on=today() - timedelta(days=10),
        ends_on=today() - timedelta(days=8),
    )
    records.add("class", "chem", training_class.pk)
    records.add("class", "coal", training_class.pk)
    for serial, key in enumerate(KEYS, start=first_serial):
        person = person_create(
            actor=None,
            enterprise=world.enterprises[key],
            data={
                "name": f"{key}员工",
                "id_number": id_number(serial),
                "role": "special_operator",
                "job_title": "电工",
                "hired_on": date(2020, 3, 1),
            },
        )
        records.add("person", key, person.pk)
        certificate = certificate_create(
            actor=None,
            person=person,
            data={
                "kind": "special_operation",
                "category": "电工作业",
                "number": f"T{serial:03d}",
                "issuer": "吕梁市应急管理局",
                "issued_on": date(2022, 1, 10),
            },
        )
        records.add("certificate", key, certificate.pk)
        TrainingRecord.objects.create(
            person=person,
            kind="initial",
            delivery="offline",
            course=training_class.title,
            hours=Decimal(32),
            started_on=training_class.starts_on,
            ended_on=training_class.ends_on,
            institution=institution,
            training_class=training_class,
            passed=True,
        )


def _planning(records: Records, teams: dict[str, Field]) -> None:
    world = records.world
    month = next_month(today().replace(day=1))
    planning_month = PlanningMonth.objects.create(
        body=world.county, month=month, cutoff=today() + timedelta(days=3)
    )
    run = PlanRun.objects.create(
        planning_month=planning_month, status="done", requested_by=world.users["office"]
    )
    for key in KEYS:
        records.add("planning_month", key, planning_month.pk)
        records.add("run", key, run.pk)
        visit = PlannedVisit.objects.create(
            planning_month=planning_month,
            section=world.sections[SECTION[key]],
            enterprise=world.enterprises[key],
            activity="enforcement_inspection",
            earliest=month.replace(day=12),
            latest=month.replace(day=20),
            submitted_by=teams[key].lead,
        )
        records.add("visit", key, visit.pk)
        entry = PlanEntry.objects.create(
            run=run, enterprise=world.enterprises[key], date=month.replace(day=15)
        )
        entry.visits.add(visit)
        entry.officers.add(*teams[key].officers)
        records.add("plan_entry", key, entry.pk)
    plan = annual_plan_generate(
        actor=world.users["office"],
        body=world.county,
        year=today().year + 1,
        share=Decimal("0.5"),
        today=today(),
    )
    for line in plan.lines.all():
        for key in KEYS:
            if line.enterprise_id == world.enterprises[key].pk:
                records.add("annual_plan", key, plan.pk)
                records.add("annual_line", key, line.pk)


def build_records(world: World) -> Records:
    records = Records(world)
    load_starter()
    ready_to_decide(world)
    teams = {"chem": field_team(world), "coal": coal_team(world)}
    world.users["coal_section"] = teams["coal"].lead
    for key in KEYS:
        _inspection(records, key, teams[key])
        _quiet_exception(records, key, teams[key].lead)
    institution = institution_create(
        actor=None,
        data={
            "name": "文水县安泰安全培训学校",
            "uscc": make_uscc(901),
            "body": world.county,
            "scope": "特种作业人员",
            "registered_on": today() - timedelta(days=400),
        },
    )
    InstitutionMembership.objects.create(
        user=world.users["training_institution"], institution=institution
    )
    _training(records, institution)
    _planning(records, teams)
    campaign = campaign_for(world, TEST_NOW.year)  # one campaign over both enterprises' records
    for key in KEYS:
        records.add("campaign", key, campaign.pk)
    records.teams, records.institution = teams, institution
    return records


def grow(records: Records, copies: int) -> None:
    """`copies` more enterprises per key, each with one record of every kind the world gives
    chem and coal (an inspection with its exam, finding, order, rating, complaint and case, a
    quiet-period exception, a worker with a certificate and training): the same pages then hold
    more rows, for the query-growth test (tests/web/test_query_growth.py). `records.pk` keeps
    pointing at the original records."""
    world = records.world
    saved = dict(world.enterprises), dict(world.users)
    grown = Records(world)
    try:
        for copy in range(1, copies + 1):
            for index, key in enumerate(KEYS):
                serial = 100 + 10 * copy + index
                template = saved[0][key]
                world.enterprises[key] = enterprise_create(
                    actor=None,
                    data={
                        "name": f"{template.name}第{copy}分厂",
                        "uscc": make_uscc(serial),
                        "sector": template.sector,
                        "standardization_grade": template.standardization_grade,
                        "coal_mine_class": template.coal_mine_class,
                        "supervising_body": world.county,
                        "town": "凤城镇",
                        "status": "operating",
                    },
                )
                account = user_create(
                    actor=None,
                    username=f"grown{serial}",
                    password=PASSWORD,
                    role=Role.ENTERPRISE,
                    display_name=f"grown{serial}",
                    body=None,
                )
                EnterpriseMembership.objects.create(user=account, enterprise=world.enterprises[key])
                world.users[ENTERPRISE_USER[key]] = account
                _inspection(grown, key, records.teams[key])
                _quiet_exception(grown, key, records.teams[key].lead)
            _training(grown, records.institution, first_serial=2 + 2 * copy)
    finally:
        world.enterprises.clear()
        world.enterprises.update(saved[0])
        world.users.clear()
        world.users.update(saved[1])


def _private_cache() -> dict[str, dict[str, str]]:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"built-world-{uuid.uuid4().hex}",
        }
    }


@contextmanager
def built_world(django_db_blocker: Any, media: Path) -> Iterator[Records]:
    """The world with its records, built once for a test module at the tests' instant, inside
    a transaction rolled back at the end; `pk` also holds each enterprise and its first
    booking."""
    hasher = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        # a private, empty cache: the reports kept per data version (audit/report_cache.py) are
        # keyed by the newest audit id, and ids repeat between tests whose transactions roll back
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hasher, CACHES=_private_cache()),
        time_machine.travel(TEST_NOW, tick=True),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            records = build_records(world)
            for key in KEYS:
                booking = EntryBooking.objects.filter(enterprise=world.enterprises[key])
                first = booking.order_by("pk").first()
                assert first is not None
                records.add("booking", key, first.pk)
                records.add("enterprise", key, world.enterprises[key].pk)
            records.media = media
            yield records
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
