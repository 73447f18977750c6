"""The demo's penalty cases as plans: which finding (or report) each case opens from, the
provision it breaks, its facts and proposal, and the state it is left in. Data and selection
only; `demo/penalties.py` walks them through the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from anjian.demo.context import DemoContext
from anjian.enforcement.services.cases import is_overdue
from anjian.inspections.models import Hazard
from anjian.registry.models import Enterprise

# the provision a finding of each starter-list item breaks (安全生产法 unless named)
ITEM_PROVISIONS: dict[str, tuple[str, str | None]] = {
    "WS-GEN-006": ("101", "4"),
    "WS-GEN-007": ("97", "5"),
    "WS-GEN-008": ("99", "1"),
    "WS-GEN-009": ("99", "3"),
    "WS-GEN-010": ("99", "4"),
    "WS-GEN-012": ("105", "2"),
    "WS-GEN-013": ("101", "3"),
    "WS-GEN-014": ("99", "5"),
    "WS-GEN-015": ("104", None),
    "WS-HC-001": ("101", "1"),
    "WS-HC-005": ("101", "2"),
    "WS-HC-008": ("99", "3"),
    "WS-HC-015": ("101", "3"),
    "WS-IT-002": ("101", "3"),
    "WS-IT-003": ("99", "5"),
    "WS-IT-008": ("99", "8"),
    "WS-IT-009": ("105", "2"),
    "WS-MT-004": ("99", "4"),
    "WS-MT-005": ("101", "3"),
}
# findings of an item that break another provision than the item's usual one
DESCRIPTION_PROVISIONS: dict[str, tuple[str, str | None]] = {
    "燃气灶具连接软管老化龟裂": ("102", None),
    "液化石油气钢瓶与灶具同室存放": ("102", None),
    "未制定人员密集场所应急疏散预案": ("97", "6"),
    "安全出口指示标志损坏": ("99", "3"),
    "可燃气体报警器 2 台处于故障状态": ("99", "3"),
    "煤气加压站固定式一氧化碳检测报警仪": ("99", "3"),
}
LAW = "安全生产法"


def provision_of(hazard: Hazard) -> tuple[str, str | None]:
    for start, provision in DESCRIPTION_PROVISIONS.items():
        if hazard.description.startswith(start):
            return provision
    return ITEM_PROVISIONS[hazard.item.code]  # type: ignore[union-attr]


FIRST = {"first_offense": True, "harm": "none", "corrected_in_time": True}


@dataclass
class Plan:
    """One demo case: where it comes from, its facts and proposal, and how far it goes."""

    name: str
    until: str  # the state it is left in
    start: int  # days before today the case is filed
    article: str = ""
    item: str | None = None
    hazard: Hazard | None = None
    enterprise: Enterprise | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    unit_fine: int | None = None  # None: the engine's suggested amounts
    person_fine: int | None = None
    person: tuple[str, str] = ("", "")  # the fined person's name and post (if the law fines one)
    pay_late_days: int = 0  # days after the 15-day period the fine is paid (its late fee)
    measures: tuple[str, ...] = ()
    no_penalty: bool = False
    deviation: str = ""
    reject_first: tuple[int, str] | None = None  # (outside-tier fine, the legal office's opinion)
    hearing: bool = False
    title: str = ""
    text: str = ""


def _hazards(ctx: DemoContext) -> dict[str, list[Hazard]]:
    """County findings by kind: fixed in time, found not fixed on review, still open."""
    found: dict[str, list[Hazard]] = {"fixed": [], "not_fixed": [], "open": []}
    hazards = (
        Hazard.objects.filter(task__body=ctx.county, item__code__in=list(ITEM_PROVISIONS))
        .select_related("task", "task__enterprise", "item")
        .order_by("pk")
    )
    for hazard in hazards:
        if hazard.review_lines.filter(decision="not_fixed").exists():
            found["not_fixed"].append(hazard)
        elif hazard.status == Hazard.Status.CLOSED and not is_overdue(hazard, ctx.today):
            found["fixed"].append(hazard)
        elif hazard.status == Hazard.Status.OPEN:
            found["open"].append(hazard)
    return found


def _from(hazard: Hazard, **kwargs: Any) -> Plan:
    article, item = provision_of(hazard)
    return Plan(article=article, item=item, hazard=hazard, **kwargs)


def _firms(ctx: DemoContext) -> list[Enterprise]:
    return list(
        Enterprise.objects.filter(supervising_body=ctx.county, status="operating")
        .exclude(sector__in=["coal_mine", "non_coal_mine"])
        .order_by("pk")
    )


UNCERTIFIED = "特种作业人员未取得相应资格上岗作业"
RESPONSIBLE = (
    ("韩建军", "安全管理部经理"),
    ("贾晓东", "生产副总经理"),
    ("任志刚", "车间主任"),
    ("郭丽萍", "专职安全管理员"),
    ("冯永明", "设备部部长"),
)
"""The directly responsible persons of the overdue cases (the law fines them at that stage)."""
LIKE_FINES = (10000, 12000, 10000, 13000, 12000, 15000)


def plans(ctx: DemoContext) -> list[Plan]:
    hazards = _hazards(ctx)
    fixed, late, still = hazards["fixed"], hazards["not_fixed"], hazards["open"]
    firms = _firms(ctx)
    found: list[Plan] = []
    if fixed:
        found.append(
            _from(
                fixed[0],
                name="首违不罚",
                until="closed",
                start=120,
                facts={**FIRST},
                no_penalty=True,
            )
        )
    if len(fixed) > 1:
        found.append(
            _from(
                fixed[1],
                name="从轻",
                until="closed",
                start=150,
                facts={"mitigating": ["eliminated_harm"], "count": 2},
            )
        )
    fined = [h for h in late if provision_of(h)[0] in ("99", "101")]
    late_stages = (
        ("closed", 110, True),
        ("hearing", 14, True),
        ("reviewing", 9, False),
        ("reviewed", 30, False),
        ("paid", 70, False),
    )
    for n, (hazard, (stage, start, hearing)) in enumerate(zip(fined, late_stages, strict=False)):
        found.append(
            _from(
                hazard,
                name=stage,
                until=stage,
                start=start,
                hearing=hearing,
                facts={"overdue": True},
                person=RESPONSIBLE[n % len(RESPONSIBLE)],
                pay_late_days=6 if stage == "paid" else 0,
            )
        )
    for n, hazard in enumerate(still[:5]):
        stage = ("filed", "proposed", "notified", "decided", "delivered")[n]
        found.append(_from(hazard, name=stage, until=stage, start=20 + 6 * n, facts={"count": 1}))
    for n, fine in enumerate(LIKE_FINES):
        found.append(
            Plan(
                name="类案",
                until="closed" if n % 2 else "paid",
                start=300 - 35 * n,
                article="97",
                item="7",
                enterprise=firms[(3 * n + 5) % len(firms)],
                title="",
                text=f"{UNCERTIFIED}（1人次），已责令停止作业并限期改正",
                facts={"count": 1, "first_offense": False},
                unit_fine=fine,
            )
        )
    found.append(
        Plan(
            name="类案偏离",
            until="reviewing",
            start=12,
            article="97",
            item="7",
            enterprise=firms[2],
            text=f"{UNCERTIFIED}（1人次）",
            facts={"count": 1},
            unit_fine=30000,
            deviation="",
        )
    )
    found.append(
        Plan(
            name="退回",
            until="notified",
            start=40,
            article="97",
            item="7",
            enterprise=firms[7],
            text=f"{UNCERTIFIED}（1人次），企业主动清退",
            facts={"count": 1},
            unit_fine=10000,
            reject_first=(
                60000,
                "拟罚6万元超出裁量阶次A（3万元以下），偏离理由不足，请按基准重新拟定。",
            ),
        )
    )
    found.append(
        Plan(
            name="逾期停产整顿",
            until="closed",
            start=100,
            article="101",
            item="4",
            enterprise=firms[11],
            text="该单位未按照安全风险分级采取相应管控措施，经责令限期改正，复查时逾期仍未改正",
            facts={"overdue": True, "count": 1},
            person=RESPONSIBLE[0],
        )
    )
    found.append(
        Plan(
            name="逾期缴款",
            until="closed",
            start=90,
            article="99",
            item="1",
            enterprise=firms[13],
            text="配电室、液化气瓶存放间未设置明显的安全警示标志（1处）",
            facts={"count": 1},
            unit_fine=10000,
            pay_late_days=6,
        )
    )
    found.append(
        Plan(
            name="撤案",
            until="dropped",
            start=60,
            article="99",
            item="1",
            enterprise=firms[9],
            text="举报称未设置安全警示标志，经查已设置",
        )
    )
    return found
