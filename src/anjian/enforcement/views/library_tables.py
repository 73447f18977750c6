"""What the library pages show, built from the stored dictionaries through the domain: a
benchmark's entries with each tier's ranges next to the statute's, a list's conditions and items,
the statute table grouped by law and article, and the general rules of the 行政处罚法."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from anjian.domain.discretion.benchmark import (
    FAMILIES,
    TIER_RANGES,
    BenchmarkInvalid,
    Tier,
    benchmark_from_dict,
)
from anjian.domain.discretion.conditions import FACTS, Condition
from anjian.domain.discretion.lists import HARMS, MITIGATING, ListInvalid, list_from_dict
from anjian.domain.discretion.statute import (
    ACCIDENT_GRADES,
    Provision,
    Range,
    Stage,
    chinese_number,
    yuan,
)
from anjian.domain.registry import SECTORS
from anjian.enforcement.services.discretion import configured_thresholds, jsonable
from anjian.policy_data.discretion import (
    general_rules,
    shipped_benchmark_dicts,
    shipped_statute,
)

TEMPLATE_BENCHMARK, TEMPLATE_ENTRY = "mem-2024-90", "26"


def label(value: Range | None) -> str:
    return value.label() if value is not None else "—"


def _bound(fact: str, value: float) -> str:
    if fact == "share":
        return f"{value * 100:g}%"
    if fact in ("investment", "illegal_gains"):
        return yuan(int(value))
    return f"{value:g}"


def rule_label(rule: Condition | None) -> str:
    """A machine rule in words: 涉及人数占从业人员比例 >10% 且 ≤30%; 项目投资额 ≥7000万元."""
    if rule is None:
        return ""
    signs = (("min", "≥"), ("above", ">"), ("max", "≤"), ("below", "<"))
    parts = [
        f"{sign}{_bound(rule.fact, getattr(rule, bound))}"
        for bound, sign in signs
        if getattr(rule, bound) is not None
    ]
    name = FACTS.get(rule.fact, rule.fact).split("（")[0]
    return f"{name} {' 且 '.join(parts)}"


@dataclass(frozen=True)
class RangeCell:
    title: str
    tier: str
    statute: str
    given: bool


@dataclass(frozen=True)
class TierView:
    code: str
    condition: str
    rule: str
    note: str
    cells: list[RangeCell]


@dataclass(frozen=True)
class EntryView:
    number: str
    violation: str
    provision: str
    basis: str
    source: str
    tiers: list[TierView]


@dataclass
class BenchmarkView:
    family: str = ""
    sectors: list[str] = field(default_factory=list)
    entries: list[EntryView] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _tier(tier: Tier, provision: Provision) -> TierView:
    statute = {
        "unit": provision.timely.unit,
        "unit_overdue": provision.overdue.unit if provision.overdue else None,
        "person": provision.timely.person,
        "person_overdue": provision.overdue.person if provision.overdue else None,
    }
    cells = [
        RangeCell(title, label(getattr(tier, key)), label(statute[key]), bool(getattr(tier, key)))
        for key, title in TIER_RANGES.items()
    ]
    return TierView(tier.code, tier.condition, rule_label(tier.rule), tier.note, cells)


def benchmark_view(data: Mapping[str, Any]) -> BenchmarkView:
    statute = shipped_statute()
    view = BenchmarkView(family=FAMILIES.get(str(data.get("family")), str(data.get("family"))))
    view.sectors = [SECTORS.get(s, s) for s in data.get("sectors") or ()]
    try:
        benchmark = benchmark_from_dict(data, statute)
    except BenchmarkInvalid as invalid:  # the statute table changed after the import
        view.errors = [e.message for e in invalid.errors]
        return view
    for entry in benchmark.entries:
        # the table's provision, or the one the entry brings (benchmark_from_dict checked it)
        provision = statute.find(entry.law, entry.article, entry.item) or entry.provision
        assert provision is not None
        view.entries.append(
            EntryView(
                entry.number,
                entry.violation,
                provision.label,
                provision.basis,
                entry.source,
                [_tier(t, provision) for t in entry.tiers],
            )
        )
    return view


@dataclass(frozen=True)
class ItemView:
    code: str
    violation: str
    provision: str
    condition: str
    rule: str
    requires: list[str]
    excluded: list[str]
    source: str


@dataclass
class ListView:
    conditions: list[str] = field(default_factory=list)
    items: list[ItemView] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _conditions(lst: Any) -> list[str]:
    c = lst.conditions
    found = ["初次违法"] if c.first_offense else []
    found.append("危害后果：" + "或".join(HARMS[h] for h in sorted(c.harms)))
    if c.corrected_in_time:
        found.append("及时改正（按责令整改时限完成并经复查）")
    if c.max_deaths_last_3_years == 0:
        found.append("近三年未发生人员死亡的生产安全事故")
    elif c.max_deaths_last_3_years is not None:
        found.append(f"近三年事故死亡人数不超过{c.max_deaths_last_3_years}人")
    if c.not_severely_dishonest:
        found.append("未列入严重失信主体名单")
    return found


def list_view(data: Mapping[str, Any]) -> ListView:
    try:
        lst = list_from_dict(data)
    except ListInvalid as invalid:
        return ListView(errors=[e.message for e in invalid.errors])
    view = ListView(conditions=_conditions(lst))
    for item in lst.items:
        where = "任何违法行为（通用情形）"
        if item.law:
            where = f"{item.law}第{item.article}条" + (f"第{item.item}项" if item.item else "")
        view.items.append(
            ItemView(
                item.code,
                item.violation,
                where,
                item.condition,
                rule_label(item.rule),
                [MITIGATING.get(r, r) for r in sorted(item.requires)],
                [SECTORS.get(s, s) for s in sorted(item.excluded_sectors)],
                item.source,
            )
        )
    return view


@dataclass(frozen=True)
class StageView:
    unit: str
    person: str
    measures: list[str]
    extra: list[str]


@dataclass(frozen=True)
class ArticleView:
    article: str
    basis: str
    party: str
    items: list[tuple[str, str, str]]  # (item, violation, how a decision cites it)
    timely: StageView
    overdue: StageView | None
    notes: list[str]


def _stage(stage: Stage) -> StageView:
    extra = []
    if stage.gains_multiple:
        g = stage.gains_multiple
        extra.append(f"违法所得{yuan(g.threshold)}以上的，处违法所得{g.min:g}倍以上{g.max:g}倍以下")
    for grade, value in stage.unit_by_accident.items():
        extra.append(f"{ACCIDENT_GRADES[grade]}：{value.label()}")
    if stage.income_share:
        extra.append(
            f"上一年年收入{stage.income_share.min}%以上{stage.income_share.max}%以下的罚款"
        )
    for grade, share in stage.income_share_by_accident.items():
        extra.append(f"{ACCIDENT_GRADES[grade]}：上一年年收入{share}%")
    return StageView(label(stage.unit), label(stage.person), list(stage.measures), extra)


PARTIES = {"unit": "生产经营单位", "person": "个人", "agency": "中介机构"}


def statute_view() -> list[tuple[str, str, list[ArticleView]]]:
    """(law, source, articles in order) for every law of the statute table."""
    statute = shipped_statute()
    found = []
    by_size = sorted(statute.laws.items(), key=lambda pair: -len(statute.articles(pair[0])))
    for law, source in by_size:
        articles = []
        for article in sorted(statute.articles(law), key=lambda a: (len(a), a)):
            members = [p for p in statute.provisions.values() if p.key[:2] == (law, article)]
            members.sort(key=lambda p: (len(p.item or ""), p.item or ""))
            first = members[0]
            articles.append(
                ArticleView(
                    article=article,
                    basis=first.basis.split("第")[0] + f"第{chinese_number(article)}条",
                    party=PARTIES.get(first.party, first.party),
                    items=[(p.item or "", p.violation, p.basis) for p in members],
                    timely=_stage(first.timely),
                    overdue=_stage(first.overdue) if first.overdue else None,
                    notes=list(first.notes),
                )
            )
        found.append((law, source, articles))
    return found


def general_rules_view() -> dict[str, Any]:
    thresholds = configured_thresholds()
    return {
        "articles": [(r["article"], r["title"], r["rule"], r["applied"]) for r in general_rules()],
        "large_unit": yuan(thresholds.large_unit_fine),
        "large_person": yuan(thresholds.large_person_fine),
    }


def template_example() -> dict[str, Any]:
    """The 90号 (26) entry of the shipped benchmark: the one entry checked against the original."""
    for data in shipped_benchmark_dicts():
        if data.get("id") == TEMPLATE_BENCHMARK:
            for entry in data.get("entry") or ():
                if str(entry.get("number")) == TEMPLATE_ENTRY:
                    return dict(jsonable(entry))
    raise LookupError("起步版基准中没有第(26)项")
