"""The demo county's training data, written through the services: two training institutions
(one suspended after a spot check found trainees missing), the key personnel and workers of the
county's high-risk enterprises with their certificates (some due within 60 days) and this year's
training, the starter bank calibrated on simulated answers, and — during the inspection replay —
on-site exams (逢查必考) that workers take as they would on their phones.

Plans are in `training_plans.py`; randomness comes from `ctx.rng("training…")`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from anjian.demo import people
from anjian.demo.context import DemoContext
from anjian.demo.logins import login_enterprises
from anjian.demo.training_exams import exam_during_visit
from anjian.demo.training_plans import EnterpriseTraining, PersonPlan, plan_enterprise
from anjian.domain.training.suspension import proposed_last_day
from anjian.policy.models import EntryBooking
from anjian.registry.models import Enterprise
from anjian.training.models import (
    InstitutionClass,
    Person,
    SpotCheck,
    TrainingInstitution,
)
from anjian.training.services.calibration import calibration_simulate
from anjian.training.services.institution_supervision import spot_check_record
from anjian.training.services.institution_suspension import (
    suspension_decide,
    suspension_deliver,
    suspension_notify,
    suspension_state_case,
)
from anjian.training.services.institution_trainees import class_trainees_report
from anjian.training.services.institutions import (
    class_report,
    institution_create,
    institution_membership_create,
    teacher_report,
)
from anjian.training.services.personnel import (
    certificate_create,
    certificate_review,
    person_create,
)
from anjian.training.services.records import training_record_create

SECTORS = ("hazardous_chemicals", "coal_mine", "non_coal_mine", "metallurgy", "industry_trade")
ENTERPRISES = 22  # how many county enterprises get personnel


@dataclass
class Trained:
    """What the exam replay needs of one enterprise."""

    plan: EnterpriseTraining
    persons: list[tuple[Person, PersonPlan]]


@dataclass
class Schools:
    """The two demo institutions (a: in good standing, b: suspended) and a's class whose
    trainee list the loader reports once the people exist."""

    by_key: dict[str, TrainingInstitution]
    annual_class: InstitutionClass
    trainees: list[str] = field(default_factory=list)  # lines of the trainee list


def _institutions(ctx: DemoContext) -> Schools:
    rng = ctx.rng("training/institutions")
    a = institution_create(
        actor=None,
        data={
            "name": "吕梁市安泰安全技术培训中心",
            "uscc": people.uscc(rng, "141100", set()),
            "body": ctx.county,
            "address": "吕梁市离石区滨河北东路 18 号",
            "contact": "郭培远",
            "phone": "0358-8226611",
            "scope": "主要负责人和安全生产管理人员、特种作业（电工、焊接与热切割、高处作业）",
            "registered_on": ctx.today - timedelta(days=900),
        },
    )
    b = institution_create(
        actor=None,
        data={
            "name": "文水县诚信职业技能培训学校",
            "uscc": people.uscc(rng, "141121", set()),
            "body": ctx.county,
            "address": "文水县凤城镇南街 66 号",
            "contact": "任晓东",
            "phone": "0358-3021188",
            "scope": "从业人员安全培训、特种作业（电工、焊接与热切割）",
            "registered_on": ctx.today - timedelta(days=600),
        },
    )
    teachers_a = [
        teacher_report(
            actor=None,
            institution=a,
            name=name,
            qualification=qualification,
            qualification_number=number,
            subjects=subjects,
        )
        for name, qualification, number, subjects in (
            ("冯建国", "注册安全工程师（化工安全）", "ZA2019140321", "法律法规、危险化学品安全"),
            ("薛志刚", "高级工程师（电气）", "GJ1411080217", "电工作业理论与实操"),
            ("武丽娟", "注册安全工程师（其他安全）", "ZA2021140877", "应急处置、有限空间作业"),
        )
    ]
    teachers_b = [
        teacher_report(
            actor=None,
            institution=b,
            name="康永平",
            qualification="焊工技师",
            qualification_number="JS1411270093",
            subjects="焊接与热切割实操",
        ),
        teacher_report(
            actor=None,
            institution=b,
            name="杨海燕",
            qualification="兼职讲师（无注册安全工程师资格）",
            subjects="从业人员安全常识",
            full_time=False,
        ),
    ]
    classes: dict[str, InstitutionClass] = {}
    checked = ctx.today - timedelta(days=75)  # the spot check that suspends b
    year_start = date(ctx.today.year, 1, 1)
    for key, institution, teachers, title, role, hours, starts in (
        (
            "a1",
            a,
            teachers_a,
            "主要负责人和安管人员年度再培训（一期）",
            "safety_manager",
            16,
            min(year_start + timedelta(days=40), ctx.today - timedelta(days=30)),
        ),
        (
            "a2",
            a,
            teachers_a[1:2],
            "低压电工作业复审培训",
            "special_operator",
            8,
            ctx.today - timedelta(days=20),
        ),
        (
            "b1",
            b,
            teachers_b,
            "从业人员年度安全再培训（春季班）",
            "worker",
            20,
            checked - timedelta(days=60),
        ),
    ):
        classes[key] = class_report(
            actor=None,
            institution=institution,
            title=title,
            role=role,
            kind="annual" if key != "a2" else "review",
            delivery="offline",
            hours=Decimal(hours),
            starts_on=starts,
            ends_on=starts + timedelta(days=2),
            location=institution.address,
            teachers=teachers,
            planned_trainees=40,
            today=starts - timedelta(days=7),
        )
    spot_check_record(
        actor=None,
        institution=a,
        training_class=classes["a1"],
        checked_on=classes["a1"].starts_on + timedelta(days=1),
        inspectors="人事财务股 王晓 张敏",
        outcome="compliant",
        attendance_reported=38,
        attendance_found=38,
        today=classes["a1"].starts_on + timedelta(days=1),
    )
    late_class = class_report(
        actor=None,
        institution=b,
        title="熔化焊接与热切割作业取证培训",
        role="special_operator",
        kind="initial",
        delivery="offline",
        hours=Decimal(48),
        starts_on=checked - timedelta(days=1),
        ends_on=checked + timedelta(days=10),
        location="文水县凤城镇南街 66 号二楼教室",
        teachers=teachers_b,
        planned_trainees=30,
        today=checked - timedelta(days=10),
    )
    check = spot_check_record(
        actor=None,
        institution=b,
        training_class=late_class,
        checked_on=checked,
        inspectors="人事财务股 王晓 李建华",
        outcome="serious",
        findings=(
            "报告在训 30 人，现场实到 11 人，签到表有代签；实操课由未备案人员授课；"
            "教学计划学时不足。"
        ),
        attendance_reported=30,
        attendance_found=11,
        today=checked,
    )
    _suspend(b, check, checked)
    if "training" in ctx.users:  # the demo login of a training institution works for a
        institution_membership_create(actor=None, user=ctx.users["training"], institution=a)
    return Schools({"a": a, "b": b}, classes["a1"])


def _suspend(school: TrainingInstitution, check: SpotCheck, checked: date) -> None:
    """b's suspension through the procedure: the notice the day after the spot check, signed
    for at once, a paper statement the next day, the decision (statement answered) a few days
    later, for the six months the notice proposed."""
    notified = checked + timedelta(days=1)
    suspension = suspension_notify(
        actor=None,
        institution=school,
        reason="抽查发现虚报在训人数、代签到、未备案人员授课，培训质量不能保证。",
        notified_on=notified,
        proposed_months=6,
        spot_check=check,
        today=notified,
    )
    suspension_deliver(
        actor=None,
        suspension=suspension,
        delivered_on=notified,
        how="直接送达，由校长任晓东签收",
        today=notified,
    )
    suspension_state_case(
        actor=None,
        suspension=suspension,
        statement="代签到系个别学员临时请假后由同班学员代签；实操课教师已补办备案手续。请求从轻处理。",
        received_on=notified + timedelta(days=1),
        today=notified + timedelta(days=1),
    )
    decided = checked + timedelta(days=6)
    suspension_decide(
        actor=None,
        suspension=suspension,
        decided_on=decided,
        starts_on=decided,
        ends_on=proposed_last_day(decided, 6),
        answer=(
            "现场实到11人，少于报告在训人数30人，缺19人，并非个别学员请假；实操课教师在抽查时"
            "尚未备案，事后补办不改变抽查时的事实。陈述申辩理由不能成立，不予采纳。"
        ),
        today=decided,
    )


def _enterprises(ctx: DemoContext) -> list[Enterprise]:
    """The two enterprises with logins, then the county's high-risk and industry-trade
    enterprises it visits most often on site (so the inspection replay examines their workers)."""
    chosen = list(login_enterprises(ctx)[:2])
    visits = Counter(
        EntryBooking.objects.filter(
            mode="on_site",
            date__lt=ctx.today,
            enterprise__supervising_body=ctx.county,
            enterprise__sector__in=SECTORS,
            enterprise__status="operating",
        ).values_list("enterprise_id", flat=True)
    )
    by_pk = {e.pk: e for e in ctx.enterprises.get("county", [])}
    for pk, _count in sorted(visits.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(chosen) >= ENTERPRISES:
            break
        if pk in by_pk and by_pk[pk] not in chosen:
            chosen.append(by_pk[pk])
    return chosen


def _record_institution(
    plan_key: str | None, schools: Schools, started: date, ctx: DemoContext
) -> TrainingInstitution | None:
    if plan_key is None:
        return None
    if plan_key == "b" and started >= ctx.today - timedelta(days=80):
        return schools.by_key["a"]  # b was suspended by then
    return schools.by_key[plan_key]


def _person(ctx: DemoContext, enterprise: Enterprise, plan: PersonPlan, schools: Schools) -> Person:
    person = person_create(
        actor=None,
        enterprise=enterprise,
        data={
            "name": plan.name,
            "id_number": plan.id_number,
            "role": plan.role,
            "job_title": plan.job_title,
            "hired_on": plan.hired_on,
            "phone": plan.phone,
        },
        today=ctx.today,
    )
    for certificate in plan.certificates:
        made = certificate_create(
            actor=None,
            person=person,
            data={
                "kind": certificate.kind,
                "category": certificate.category,
                "number": certificate.number,
                "issuer": certificate.issuer,
                "issued_on": certificate.issued_on,
            },
            today=ctx.today,
        )
        if certificate.reviewed_on is not None:
            certificate_review(
                actor=None, certificate=made, reviewed_on=certificate.reviewed_on, today=ctx.today
            )
    for record in plan.records:
        started = min(record.started_on, ctx.today - timedelta(days=3))
        if record.kind == "annual" and record.institution == "a" and plan.is_key:
            # a reported these through its class's trainee list (below)
            passed = "合格" if record.hours >= 12 else "不合格"
            schools.trainees.append(f"{plan.name},{plan.id_number},{enterprise.uscc},{passed}")
            continue
        training_record_create(
            actor=None,
            person=person,
            data={
                "kind": record.kind,
                "delivery": record.delivery,
                "course": record.course,
                "hours": Decimal(record.hours),
                "started_on": started,
                "ended_on": started + timedelta(days=1 if record.hours > 8 else 0),
                "institution": _record_institution(record.institution, schools, started, ctx),
            },
            today=ctx.today,
        )
    return person


def load_training(ctx: DemoContext) -> None:
    rng = ctx.rng("training")
    schools = _institutions(ctx)
    taken = set(ctx.person_names)
    serials: set[str] = set()
    for enterprise in _enterprises(ctx):
        plan = plan_enterprise(rng, enterprise.sector, ctx.today, taken, serials)
        persons = [(_person(ctx, enterprise, p, schools), p) for p in plan.persons]
        ctx.trained[enterprise.pk] = Trained(plan, persons)
    if schools.trainees:
        class_trainees_report(
            actor=None,
            training_class=schools.annual_class,
            text="\n".join(schools.trainees),
            today=schools.annual_class.ends_on + timedelta(days=2),
        )
    calibration_simulate(actor=None, persons=3000, per_person=60, seed=ctx.seed)
    ctx.on_site.append(exam_during_visit)  # demo/training_exams.py
