"""What the demo county's training data looks like, as plain plans (no Django): each chosen
enterprise's key personnel and workers, their certificates (a few expiring or due for review
within 60 days, one expired), this year's training records (some short of hours, one enterprise
trained mostly online, new hires missing an induction level) and two training institutions.

The loader in `demo/training.py` turns the plans into records through the services."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from anjian.demo import people

REGION = "141121"  # 文水县
HIGH_RISK = frozenset({"coal_mine", "non_coal_mine", "hazardous_chemicals", "metallurgy"})
OPERATIONS: dict[str, tuple[str, ...]] = {
    "coal_mine": ("煤矿井下电气作业", "煤矿瓦斯检查作业", "煤矿安全检查作业", "煤矿提升机操作作业"),
    "non_coal_mine": ("金属非金属矿山爆破作业", "金属非金属矿山支柱作业", "低压电工作业"),
    "hazardous_chemicals": (
        "氯化工艺作业",
        "危险化学品安全作业",
        "低压电工作业",
        "熔化焊接与热切割作业",
    ),
    "metallurgy": ("煤气作业", "低压电工作业", "熔化焊接与热切割作业", "高处安装、维护、拆除作业"),
    "industry_trade": ("低压电工作业", "熔化焊接与热切割作业", "登高架设作业"),
    "other": ("低压电工作业", "熔化焊接与热切割作业"),
}
WORKER_TITLES: dict[str, tuple[str, ...]] = {
    "coal_mine": ("采煤工", "掘进工", "通风工", "运输工"),
    "non_coal_mine": ("凿岩工", "铲装工", "选矿工"),
    "hazardous_chemicals": ("化工操作工", "装卸工", "仓库保管员", "巡检工"),
    "metallurgy": ("炉前工", "天车工", "铸造工"),
    "industry_trade": ("机加工操作工", "包装工", "仓储工"),
    "other": ("操作工", "仓储工"),
}


@dataclass(frozen=True)
class CertificatePlan:
    kind: str  # special_operation | manager
    category: str
    number: str
    issuer: str
    issued_on: date
    reviewed_on: date | None = None


@dataclass(frozen=True)
class RecordPlan:
    kind: str
    delivery: str
    course: str
    hours: int
    started_on: date
    institution: str | None = None  # "a" or "b": which demo institution trained the person


@dataclass
class PersonPlan:
    name: str
    id_number: str
    role: str
    job_title: str
    hired_on: date
    phone: str
    certificates: list[CertificatePlan] = field(default_factory=list)
    records: list[RecordPlan] = field(default_factory=list)
    ability: float = 0.0  # how this person would do in an exam (θ), for the exam replay

    @property
    def is_key(self) -> bool:
        """主要负责人 or 安全生产管理人员."""
        return self.role in ("principal", "safety_manager")


@dataclass
class EnterpriseTraining:
    mostly_online: bool
    weak_topics: tuple[str, ...]  # topics this enterprise's workers answer worse
    persons: list[PersonPlan]


def _issued_for(rng: random.Random, today: date, years: int, due_soon: bool) -> date:
    """An issue date; `due_soon`: the certificate (or its review) falls due 5 to 55 days from
    today, inside the 60-day alert window."""
    if due_soon:
        same_day = today.replace(day=min(today.day, 28))
        return same_day.replace(year=today.year - years) + timedelta(days=rng.randint(5, 55))
    return today - timedelta(days=rng.randint(60, 365 * years - 80))


def _certificate(
    rng: random.Random, today: date, kind: str, category: str, serial: str, due: str
) -> CertificatePlan:
    years = 6 if kind == "special_operation" else 3
    if due == "expired":
        issued = today - timedelta(days=365 * years + rng.randint(20, 90))
    elif due == "review" and kind == "special_operation":
        issued = _issued_for(rng, today, 3, True)
    else:
        issued = _issued_for(rng, today, years, due == "expiry")
    reviewed = None
    if kind == "special_operation" and (today - issued).days > 3 * 365 + 30:
        reviewed = issued + timedelta(days=3 * 365 - rng.randint(5, 40))
    issuer = "山西省应急管理厅" if kind == "manager" else "吕梁市应急管理局"
    prefix = "T" if kind == "special_operation" else "AQ"
    return CertificatePlan(kind, category, f"{prefix}{serial}", issuer, issued, reviewed)


def _records(
    rng: random.Random, today: date, plan: PersonPlan, high_risk: bool, online: bool
) -> list[RecordPlan]:
    """The initial training when the person started (earlier years), then this year's."""
    this_year = _this_year(rng, today, plan, high_risk, online)
    if plan.hired_on.year == today.year:
        return this_year
    key = plan.role in ("principal", "safety_manager")
    initial = RecordPlan(
        "initial",
        "offline",
        "主要负责人和安全管理人员初次培训" if key else "新上岗从业人员岗前安全培训",
        (48 if high_risk else 32) if key else (72 if high_risk else 24),
        plan.hired_on + timedelta(days=3),
        _initial_school(plan, today),
    )
    return [initial, *this_year]


def _initial_school(plan: PersonPlan, today: date) -> str | None:
    """Who gave the initial training: a (registered 900 days ago) for key personnel, b
    (registered 600 days ago, suspended 75 days ago) for special operators, the enterprise
    itself otherwise and before either existed."""
    days = (today - plan.hired_on).days
    if plan.is_key and days < 850:
        return "a"
    if plan.role == "special_operator" and 90 < days < 550:
        return "b"
    return None


def _this_year(
    rng: random.Random, today: date, plan: PersonPlan, high_risk: bool, online: bool
) -> list[RecordPlan]:
    year_start = date(today.year, 1, 1)

    def day() -> date:
        return year_start + timedelta(days=rng.randint(10, max(11, (today - year_start).days - 5)))

    delivery = "online" if online and rng.random() < 0.8 else "offline"
    short = rng.random() < 0.25
    if plan.role in ("principal", "safety_manager"):
        need = 16 if high_risk else 12
        hours = rng.choice([4, 8]) if short else need + rng.choice([0, 0, 4])
        school = "b" if rng.random() < 0.35 else "a"
        return [
            RecordPlan(
                "annual", delivery, "主要负责人和安全管理人员年度再培训", hours, day(), school
            )
        ]
    if plan.hired_on.year == today.year:  # new: initial training and the three-level induction
        need = 72 if high_risk else 24
        levels = [
            ("induction_company", "厂（矿）级安全教育"),
            ("induction_workshop", "车间级安全教育"),
        ]
        if rng.random() < 0.7:
            levels.append(("induction_team", "班组级安全教育"))
        share = need // len(levels)
        hours = max(2, share // 2) if short else share
        start = max(plan.hired_on, year_start)
        return [RecordPlan(kind, delivery, course, hours, start) for kind, course in levels]
    if plan.role == "special_operator":
        school = "b" if rng.random() < 0.4 else "a"
        hours = 8 if short else 20
        return [RecordPlan("annual", delivery, f"{plan.job_title}年度再培训", hours, day(), school)]
    hours = rng.choice([8, 12]) if short else 20
    return [RecordPlan("annual", delivery, "从业人员年度安全再培训", hours, day())]


def plan_enterprise(
    rng: random.Random, sector: str, today: date, taken: set[str], serials: set[str]
) -> EnterpriseTraining:
    """The people of one enterprise and their certificates and this year's training."""
    high_risk = sector in HIGH_RISK
    mostly_online = rng.random() < 0.2
    topics = ("emergency", "fire_hot_work", "electrical", "confined_space", "ppe", "hazard")
    weak = tuple(rng.sample(topics, 2))
    roles = (
        [("principal", "总经理")]
        + [("safety_manager", "安全管理人员")] * rng.randint(1, 2)
        + [("special_operator", "")] * rng.randint(2, 4)
        + [("worker", "")] * rng.randint(5, 9)
    )
    persons: list[PersonPlan] = []
    for role, title in roles:
        person = people.unique_person(rng, taken)
        born = people.birth_date(rng, 1968, 2002)
        if role == "special_operator":
            title = rng.choice(OPERATIONS[sector])
        elif role == "worker":
            title = rng.choice(WORKER_TITLES[sector])
        new_hire = role == "worker" and rng.random() < 0.3
        hired = (
            today - timedelta(days=rng.randint(20, max(21, today.timetuple().tm_yday - 5)))
            if new_hire
            else today - timedelta(days=rng.randint(400, 4000))
        )
        plan = PersonPlan(
            name=person.name,
            id_number=people.id_number(rng, REGION, person.male, born),
            role=role,
            job_title=title,
            hired_on=hired,
            phone=people.mobile_phone(rng),
            ability=rng.gauss(1.0 if role != "worker" else 0.5, 0.8),
        )
        due = rng.choices(["none", "expiry", "review", "expired"], [0.78, 0.1, 0.09, 0.03])[0]
        if role == "special_operator":
            plan.certificates.append(
                _certificate(rng, today, "special_operation", title, _serial(rng, serials), due)
            )
        elif role in ("principal", "safety_manager") and high_risk:
            category = "主要负责人" if role == "principal" else "安全生产管理人员"
            due = "none" if due == "review" else due
            plan.certificates.append(
                _certificate(rng, today, "manager", category, _serial(rng, serials), due)
            )
        plan.records = _records(rng, today, plan, high_risk, mostly_online)
        persons.append(plan)
    return EnterpriseTraining(mostly_online, weak, persons)


def _serial(rng: random.Random, taken: set[str]) -> str:
    while True:
        serial = f"{REGION}{rng.randrange(10**9):09d}"
        if serial not in taken:
            taken.add(serial)
            return serial
