"""The demo county: 文水县应急管理局 under 吕梁市 and 山西省, with a sibling county (交城县).

`load_demo` builds the bodies and sections, then runs the LOADERS, all in one transaction.
If the county bureau already exists it writes nothing and says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count

from anjian.accounts.models import EnforcementBody, Section, User
from anjian.accounts.services import body_create, body_settings_update, section_create
from anjian.audit.models import AuditEntry
from anjian.demo.context import DemoContext
from anjian.demo.loaders import LOADERS
from anjian.demo.logins import DEMO_PASSWORD, LOGINS
from anjian.domain.registry import SECTORS
from anjian.registry.models import Enterprise, Officer

DEFAULT_SEED = 2025
Progress = Callable[[int, int, str, float], None]  # step number, steps, label, seconds
COUNTY_NAME = "文水县应急管理局"

# key, name, short name, level, division code, parent key
BODIES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("province", "山西省应急管理厅", "省应急厅", "province", "140000", ""),
    ("city", "吕梁市应急管理局", "吕梁市局", "city", "141100", "province"),
    ("county", COUNTY_NAME, "文水县局", "county", "141121", "city"),
    ("other_county", "交城县应急管理局", "交城县局", "county", "141122", "city"),
)
# What the demo county's documents print (the work plan's own number prefix is 文应急).
COUNTY_SETTINGS = {
    "number_prefix": "文应急",
    "phone": "0358-3022110",
    "address": "山西省吕梁市文水县凤城镇",
    "payment_bank": "中国农业银行文水县支行",
    "payment_account_name": "文水县财政局非税收入汇缴结算户",
    "payment_account_no": "04-451101040000000",
    "payment_note": "凭本决定书到上述银行缴纳，或使用决定书所附非税收入缴款码网上缴纳",
}
# body key -> (section name, kind, sectors)
SECTIONS: dict[str, tuple[tuple[str, str, list[str]], ...]] = {
    "county": (
        ("办公室", "office", []),
        ("法制办", "legal", []),
        ("危化股", "business", ["hazardous_chemicals"]),
        ("冶金工贸股", "business", ["metallurgy", "industry_trade", "other"]),
        ("非煤矿山股", "business", ["non_coal_mine"]),
        ("煤矿股", "business", ["coal_mine"]),
        ("人事财务股", "hr_finance", []),
        ("综合行政执法队", "enforcement_team", list(SECTORS)),
    ),
    "other_county": (
        ("办公室", "office", []),
        ("危化股", "business", ["hazardous_chemicals"]),
    ),
}


@dataclass(frozen=True)
class LoginRow:
    username: str
    role_label: str
    display_name: str
    where: str  # body and section, or the enterprise


@dataclass(frozen=True)
class DemoSummary:
    created: bool  # False: the county was already there and nothing was written
    county: str
    password: str
    counts: dict[str, int]
    classes: dict[str, dict[str, int]]  # sector label -> classification label -> enterprises
    logins: list[LoginRow]


def _bodies() -> dict[str, EnforcementBody]:
    """The body tree; bodies already present (by name) are reused."""
    bodies: dict[str, EnforcementBody] = {}
    for key, name, short_name, level, division, parent in BODIES:
        body = EnforcementBody.objects.filter(name=name).first()
        if body is None:
            body = body_create(
                actor=None,
                name=name,
                short_name=short_name,
                level=level,
                division_code=division,
                parent=bodies.get(parent),
            )
        bodies[key] = body
    county = bodies["county"]
    if not county.number_prefix:
        body_settings_update(actor=None, body=county, values=COUNTY_SETTINGS)
        bodies["county"] = EnforcementBody.objects.get(pk=county.pk)
    return bodies


def _sections(bodies: dict[str, EnforcementBody]) -> dict[str, dict[str, Section]]:
    sections: dict[str, dict[str, Section]] = {}
    for key, rows in SECTIONS.items():
        for name, kind, sectors in rows:
            section = Section.objects.filter(body=bodies[key], name=name).first()
            if section is None:
                section = section_create(
                    actor=None, body=bodies[key], name=name, kind=kind, sectors=sectors
                )
            sections.setdefault(key, {})[name] = section
    return sections


def demo_loaded() -> bool:
    """Whether the demo county is there (a load writes nothing then)."""
    return EnforcementBody.objects.filter(name=COUNTY_NAME).exists()


def load_demo(
    *, seed: int = DEFAULT_SEED, today: date, progress: Progress | None = None
) -> DemoSummary:
    """Loads the demo county once. `today` is the load date the data is relative to;
    `progress` hears of each step when it is done (its number, of how many, label, seconds)."""
    with transaction.atomic():
        if demo_loaded():
            return summarize(created=False, today=today)
        bodies = _bodies()
        ctx = DemoContext(seed=seed, today=today, bodies=bodies, sections=_sections(bodies))
        for number, (label, loader) in enumerate(LOADERS, start=1):
            started = time.monotonic()
            loader(ctx)
            if progress is not None:
                progress(number, len(LOADERS), label, time.monotonic() - started)
    return summarize(created=True, today=today)


def _class_order(enterprise: Enterprise) -> tuple[str, str, str, int]:
    """Sector, then A–D or grade 1, 2, 3, then 未定级."""
    grade = enterprise.standardization_grade
    return (
        enterprise.sector,
        enterprise.coal_mine_class,
        enterprise.non_coal_risk_class,
        grade if grade is not None else 9,
    )


def _classes(county: EnforcementBody) -> dict[str, dict[str, int]]:
    """Enterprises located in the county (whoever supervises them) by sector and class."""
    located = Enterprise.objects.filter(
        is_deleted=False, uscc__startswith=f"91{county.division_code}"
    )
    classes: dict[str, dict[str, int]] = {}
    for enterprise in sorted(located, key=_class_order):
        by_class = classes.setdefault(SECTORS[enterprise.sector], {})
        by_class[enterprise.classification] = by_class.get(enterprise.classification, 0) + 1
    return {sector: classes[sector] for sector in SECTORS.values() if sector in classes}


def _counts(county: EnforcementBody, today: date) -> dict[str, int]:
    enterprises = Enterprise.objects.filter(is_deleted=False)
    by_body = dict(enterprises.values_list("supervising_body__name").annotate(n=Count("id")))
    officers = Officer.objects.filter(is_deleted=False, body=county)
    counts = {f"企业（{name}监管）": n for name, n in sorted(by_body.items())}
    return {
        "执法主体": EnforcementBody.objects.count(),
        "股室": Section.objects.count(),
        **counts,
        "基层联系点": enterprises.filter(is_contact_point=True).count(),
        "停产停业企业": enterprises.filter(status="suspended").count(),
        f"执法人员（{county.name}）": officers.count(),
        "执法证60日内到期": officers.filter(
            certificate_valid_until__gte=today,
            certificate_valid_until__lte=today + timedelta(days=60),
        ).count(),
        "执法证已过期": officers.filter(certificate_valid_until__lt=today).count(),
        "用户": User.objects.count(),
        "审计记录": AuditEntry.objects.count(),
    }


def _login_rows() -> list[LoginRow]:
    users = User.objects.select_related("body", "section", "enterprise_membership__enterprise")
    found = {
        user.username: user for user in users.filter(username__in=[s.username for s in LOGINS])
    }
    rows = []
    for spec in LOGINS:
        user = found.get(spec.username)
        if user is None:
            continue
        membership = getattr(user, "enterprise_membership", None)
        where = (
            membership.enterprise.name
            if membership
            else " ".join(str(part) for part in (user.body, user.section) if part)
        )
        rows.append(LoginRow(user.username, user.get_role_display(), user.display_name, where))
    return rows


def summarize(*, created: bool, today: date) -> DemoSummary:
    county = EnforcementBody.objects.get(name=COUNTY_NAME)
    return DemoSummary(
        created=created,
        county=county.name,
        password=DEMO_PASSWORD,
        counts=_counts(county, today),
        classes=_classes(county),
        logins=_login_rows(),
    )
