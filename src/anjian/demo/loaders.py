"""The demo loaders, run in order inside one transaction by `county.load_demo`.

A loader is a function `(DemoContext) -> None` that writes through the services (so every
record has its audit entry) and leaves what later loaders need on the context. Later areas
(policy, planning, inspections …) append their own loader to LOADERS; each should draw its
random numbers from `ctx.rng("<area>")` so it does not disturb the others.
"""

from __future__ import annotations

from collections.abc import Callable

from anjian.demo.context import DemoContext, seeded
from anjian.demo.enterprises import JIAOCHENG_MIX, WENSHUI_MIX, EnterprisePlan, plan_county
from anjian.demo.inspections import load_inspections
from anjian.demo.logins import create_login, load_logins
from anjian.demo.officers import (
    JIAOCHENG_STAFFING,
    WENSHUI_STAFFING,
    OfficerPlan,
    Staffing,
    plan_officers,
)
from anjian.demo.oversight import load_oversight
from anjian.demo.penalties import load_penalties
from anjian.demo.planning import load_annual_plan, load_planned_visits
from anjian.demo.policy import (
    load_entries,
    load_exceptions,
    load_item_list,
    load_quiet_calendar,
)
from anjian.demo.steering import load_campaign
from anjian.demo.steering_history import load_last_year
from anjian.demo.training import load_training
from anjian.demo.training_exams import calibrate_after_exams
from anjian.registry.services import enterprise_create, officer_create

Loader = Callable[[DemoContext], None]


def plan_enterprises(seed: int) -> dict[str, list[EnterprisePlan]]:
    """Every demo enterprise by county ("county" 文水县, "other_county" 交城县). Pure."""
    taken: set[str] = set()
    return {
        "county": plan_county(seeded(seed, "enterprises/county"), WENSHUI_MIX, taken),
        "other_county": plan_county(seeded(seed, "enterprises/other_county"), JIAOCHENG_MIX, taken),
    }


def load_enterprises(ctx: DemoContext) -> None:
    for place, plans in plan_enterprises(ctx.seed).items():
        created = []
        for plan in plans:
            body = ctx.city if plan.supervisor == "city" else ctx.bodies[place]
            created.append(enterprise_create(actor=None, data=plan.service_data(body)))
        ctx.enterprises[place] = created


def _create_officer(ctx: DemoContext, place: str, plan: OfficerPlan) -> None:
    user = create_login(ctx, plan.login, plan.name) if plan.login else None
    officer = officer_create(
        actor=None,
        data={
            "name": plan.name,
            "id_number": plan.id_number,
            "body": ctx.bodies[place],
            "section": ctx.sections[place][plan.section] if plan.section else None,
            "certificate_no": plan.certificate_no,
            "certificate_valid_until": plan.certificate_valid_until,
            "phone": plan.phone,
            "user": user,
        },
    )
    ctx.officers.setdefault(place, []).append(officer)


def load_officers(ctx: DemoContext) -> None:
    """The officers of both counties; the first officer of a section holds its login."""
    certificates: set[str] = set()
    staffing: dict[str, Staffing] = {"county": WENSHUI_STAFFING, "other_county": JIAOCHENG_STAFFING}
    for place, plan_of in staffing.items():
        rng = ctx.rng(f"officers/{place}")
        for plan in plan_officers(rng, plan_of, ctx.today, ctx.person_names, certificates):
            _create_officer(ctx, place, plan)


# Registry first: everything later refers to enterprises, officers and logins. Each step with
# the label `anjian demo` prints when it is done.
LOADERS: list[tuple[str, Loader]] = [
    ("企业 enterprises", load_enterprises),
    ("执法人员 officers", load_officers),
    ("演示账号 logins", load_logins),
    ("检查事项清单 inspection items", load_item_list),
    ("安静期 quiet periods", load_quiet_calendar),
    ("入企登记 entries", load_entries),
    ("安静期例外 quiet-period exceptions", load_exceptions),
    ("年度监督检查计划 annual plan", load_annual_plan),
    ("月度入企计划 planned visits", load_planned_visits),
    ("培训考试 training and exams", load_training),
    ("检查和整改 inspections", load_inspections),
    ("题库校准 question calibration", calibrate_after_exams),
    ("行政处罚 penalty cases", load_penalties),
    ("去年入企 last year's entries", load_last_year),
    ("专项工作 campaign", load_campaign),
    ("监督 oversight", load_oversight),
]
