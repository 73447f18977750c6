"""The discretion engine: for one violation, what the law allows, which benchmark tier applies,
the disposition, and whether legal review and a hearing are required — each with its reasons.

Choices of ours where the sources leave room (docs/adr/0017):
- First offense (行政处罚法第三十三条第一款): first offense + harm none or minor + corrected in time
  makes a violation *eligible* for no penalty, whatever the provision; the general conditions of
  the no-penalty list in force (no death in three years, not severely dishonest) are applied to
  that exemption too, because every list we have sets them. An item of the list that also matches
  is cited; an item's excluded sectors only bar that item.
- The tier's range is split in thirds: lenient → lower third, standard → middle third, aggravated
  → upper third; the suggested amount is the middle of that third, rounded to 100 yuan. The flags
  for legal review and hearing are computed on the suggested amounts; the case recomputes them on
  the amounts the officer proposes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from anjian.domain.discretion.benchmark import Benchmark, BenchmarkEntry, Tier, benchmark_in_force
from anjian.domain.discretion.lists import (
    AGGRAVATING,
    HARMS,
    MITIGATING,
    FlexibleList,
    ListItem,
    list_in_force,
)
from anjian.domain.discretion.procedure import Thresholds, decision_gates
from anjian.domain.discretion.statute import ACCIDENT_GRADES, Provision, Range, Stage, Statute

DISPOSITIONS: dict[str, str] = {
    "no_penalty_eligible": "可以不予处罚",
    "lenient": "从轻处罚",
    "standard": "一般处罚",
    "aggravated": "从重处罚",
}
PARTY_KINDS: dict[str, str] = {"unit": "单位", "person": "个人"}
SUMMARY_LIMITS = {"unit": 3000, "person": 200}  # 行政处罚法第五十一条
ROUND_TO = 100
# Reasons that describe the ranges rather than decide the outcome: listed after the reasons for
# the disposition and the procedure.
CONTEXT_CODES = frozenset(
    {
        "STATUTE_RANGE",
        "SINGLE_STAGE",
        "GAINS_MULTIPLE",
        "NEEDS_ACCIDENT_GRADE",
        "NO_BENCHMARK",
        "NO_BENCHMARK_ENTRY",
        "BENCHMARK_TIER",
        "TIER_NEEDS_FACT",
        "TIER_NEEDS_JUDGEMENT",
        "NO_TIER_MATCHES",
        "UNKNOWN_TIER",
    }
)


@dataclass(frozen=True)
class Facts:
    overdue: bool = False
    first_offense: bool = False
    harm: str = "none"
    corrected_in_time: bool = False
    deaths_last_3_years: int = 0
    severely_dishonest: bool = False
    count: float | None = None
    persons: float | None = None
    share: float | None = None
    employees: float | None = None
    investment: float | None = None
    illegal_gains: float | None = None
    accident_grade: str | None = None
    mitigating: frozenset[str] = frozenset()
    aggravating: frozenset[str] = frozenset()
    years_since_violation: float | None = None
    tier: str | None = None

    def value(self, fact: str) -> float | None:
        found = getattr(self, fact, None)
        return float(found) if isinstance(found, int | float) else None


@dataclass(frozen=True)
class PenaltyRequest:
    law: str
    article: str
    item: str | None
    party_kind: str
    sector: str
    facts: Facts
    day: date


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    basis: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "basis": self.basis}


@dataclass(frozen=True)
class Suggested:
    """The sub-range of the tier (or statute) for the disposition, and the amount within it."""

    min: int
    max: int
    amount: int

    def as_dict(self) -> dict[str, int]:
        return {"min": self.min, "max": self.max, "amount": self.amount}


@dataclass(frozen=True)
class PenaltySuggestion:
    provision: Provision
    overdue: bool
    unit: Range | None
    person: Range | None
    measures: tuple[str, ...]
    benchmark: Benchmark | None
    entry: BenchmarkEntry | None
    tier: Tier | None
    disposition: str
    suggested_unit: Suggested | None
    suggested_person: Suggested | None
    legal_review_required: bool
    hearing_right: bool
    collective_decision_required: bool
    reasons: tuple[Reason, ...] = field(default=())

    def tier_unit(self) -> Range | None:
        return self.tier.unit_range(self.overdue) if self.tier else None

    def tier_person(self) -> Range | None:
        return self.tier.person_range(self.overdue) if self.tier else None

    def as_dict(self) -> dict[str, Any]:
        p = self.provision
        bench: dict[str, Any] | None = None
        if self.benchmark is not None and self.entry is not None:
            bench = {
                "id": self.benchmark.id,
                "version": self.benchmark.version,
                "document": self.benchmark.document,
                "entry": self.entry.number,
                "tier": self.tier.code if self.tier else None,
                "condition": self.tier.condition if self.tier else None,
                "unit": _range(self.tier_unit()),
                "responsible_person": _range(self.tier_person()),
                "source": self.entry.source,
            }
        return {
            "statute": {
                "law": p.law,
                "article": p.article,
                "item": p.item,
                "basis": p.basis,
                "violation": p.violation,
                "stage": "overdue" if self.overdue and p.overdue else "timely",
                "unit": _range(self.unit),
                "responsible_person": _range(self.person),
                "other_measures": list(self.measures),
            },
            "benchmark": bench,
            "disposition": self.disposition,
            "suggestion": {
                "unit": self.suggested_unit.as_dict() if self.suggested_unit else None,
                "responsible_person": (
                    self.suggested_person.as_dict() if self.suggested_person else None
                ),
            },
            "legal_review_required": self.legal_review_required,
            "hearing_right": self.hearing_right,
            "collective_decision_required": self.collective_decision_required,
            "reasons": [r.as_dict() for r in self.reasons],
        }


def _range(value: Range | None) -> dict[str, int] | None:
    return value.as_dict() if value is not None else None


@dataclass
class _Work:
    """What the engine has found so far for one request."""

    request: PenaltyRequest
    provision: Provision
    reasons: list[Reason] = field(default_factory=list)

    def say(self, code: str, message: str, basis: str) -> None:
        self.reasons.append(Reason(code, message, basis))


def _statute_ranges(work: _Work, stage: Stage) -> tuple[Range | None, Range | None, list[str]]:
    facts = work.request.facts
    unit, measures = stage.unit, list(stage.measures)
    gains = stage.gains_multiple
    if gains and facts.illegal_gains is not None and facts.illegal_gains >= gains.threshold:
        unit = Range(int(facts.illegal_gains * gains.min), int(facts.illegal_gains * gains.max))
        work.say(
            "GAINS_MULTIPLE",
            f"违法所得 {facts.illegal_gains:g} 元达到 {gains.threshold} 元，"
            f"罚款为违法所得的 {gains.min:g} 至 {gains.max:g} 倍",
            work.provision.basis,
        )
    if stage.unit_by_accident:
        grade = facts.accident_grade
        unit = stage.unit_by_accident.get(grade) if grade else None
        if unit is None:
            work.say(
                "NEEDS_ACCIDENT_GRADE",
                "罚款幅度取决于事故等级，请给出 accident_grade",
                work.provision.basis,
            )
    if stage.income_share_by_accident and facts.accident_grade:
        share = stage.income_share_by_accident.get(facts.accident_grade)
        if share is not None:
            label = ACCIDENT_GRADES[facts.accident_grade]
            measures.append(f"对主要负责人处上一年年收入百分之{share}的罚款（{label}）")
    return unit, stage.person, measures


def _pick_tier(work: _Work, entry: BenchmarkEntry) -> Tier | None:
    facts = work.request.facts
    if facts.tier is not None:
        chosen = entry.tier(facts.tier)
        if chosen is None:
            codes = "、".join(t.code for t in entry.tiers)
            work.say("UNKNOWN_TIER", f"该条目没有阶次 {facts.tier}（有：{codes}）", entry.source)
        return chosen
    if len(entry.tiers) == 1 and entry.tiers[0].rule is None:
        return entry.tiers[0]
    ruled = [t for t in entry.tiers if t.rule is not None]
    if not ruled:
        work.say(
            "TIER_NEEDS_JUDGEMENT", "该条目的阶次只有文字条件，请执法人员选择阶次", entry.source
        )
        return None
    fact = ruled[0].rule.fact if ruled[0].rule else ""
    value = facts.value(fact)
    if value is None:
        work.say("TIER_NEEDS_FACT", f"选择阶次需要事实：{fact}", entry.source)
        return None
    matches = [t for t in ruled if t.rule and t.rule.matches(value)]
    if not matches:
        work.say("NO_TIER_MATCHES", f"{fact} = {value:g} 不落在任何阶次内", entry.source)
        return None
    return matches[0]


def _benchmark(
    work: _Work, benchmarks: Sequence[Benchmark]
) -> tuple[Benchmark | None, BenchmarkEntry | None, Tier | None]:
    request = work.request
    benchmark = benchmark_in_force(benchmarks, request.sector, request.day, request.law)
    if benchmark is None:
        work.say(
            "NO_BENCHMARK",
            f"{request.day} 该行业没有生效的裁量基准，按法定幅度裁量",
            "应急管理行政裁量权基准暂行规定",
        )
        return None, None, None
    entry = benchmark.entry_for(request.law, request.article, request.item)
    if entry is None:
        work.say(
            "NO_BENCHMARK_ENTRY",
            f"{benchmark.name}（{benchmark.document}）未载入该违法行为的条目，按法定幅度裁量",
            benchmark.document,
        )
        return benchmark, None, None
    tier = _pick_tier(work, entry)
    if tier is not None:
        work.say(
            "BENCHMARK_TIER",
            f"适用{benchmark.document}第（{entry.number}）项阶次 {tier.code}：{tier.condition}",
            f"{benchmark.document}；{entry.source}",
        )
    return benchmark, entry, tier


def _list_item(lst: FlexibleList | None, request: PenaltyRequest) -> ListItem | None:
    if lst is None:
        return None
    facts = request.facts
    for item in lst.items:
        if not item.names(request.law, request.article, request.item):
            continue
        if request.sector in item.excluded_sectors or not item.requires <= facts.mitigating:
            continue
        value = facts.value(item.rule.fact) if item.rule else None
        if item.rule is not None and (value is None or not item.rule.matches(value)):
            continue
        return item
    return None


def _first_offense_blockers(work: _Work, lst: FlexibleList | None) -> list[str]:
    facts = work.request.facts
    blockers = []
    if not facts.first_offense:
        blockers.append("非初次违法")
    if facts.harm not in ("none", "minor"):
        blockers.append(HARMS.get(facts.harm, facts.harm))
    if not facts.corrected_in_time or facts.overdue:
        blockers.append("未在限期内改正")
    if lst is not None:
        limit = lst.conditions.max_deaths_last_3_years
        if limit is not None and facts.deaths_last_3_years > limit:
            blockers.append(f"近三年发生死亡事故 {facts.deaths_last_3_years} 起")
        if lst.conditions.not_severely_dishonest and facts.severely_dishonest:
            blockers.append("列入严重失信主体名单")
    return blockers


def _time_barred(work: _Work) -> bool:
    facts = work.request.facts
    if facts.years_since_violation is None:
        return False
    limit = 5 if facts.harm in ("harmful", "serious") else 2
    if facts.years_since_violation < limit:
        return False
    work.say(
        "TIME_BARRED", f"违法行为在 {limit} 年内未被发现，不再给予行政处罚", "行政处罚法第三十六条"
    )
    return True


def _no_penalty(work: _Work, lists: Sequence[FlexibleList]) -> bool:
    request = work.request
    lst = list_in_force(lists, "no_penalty", request.day)
    blockers = _first_offense_blockers(work, lst)
    if blockers:
        if request.facts.first_offense:
            work.say(
                "NO_PENALTY_EXCLUDED",
                "不适用首违不罚：" + "、".join(blockers),
                "行政处罚法第三十三条第一款" + (f"；{lst.name}" if lst else ""),
            )
        return False
    work.say(
        "FIRST_OFFENSE",
        "初次违法且危害后果轻微并及时改正，可以不予行政处罚，但应当进行教育",
        "行政处罚法第三十三条",
    )
    item = _list_item(lst, request)
    if lst is not None and item is not None:
        work.say(
            "NO_PENALTY_LIST",
            f"属于{lst.name}第 {item.code} 项：{item.condition or item.violation}",
            f"{lst.name}；{item.source}",
        )
    return True


def _lenient(work: _Work, lists: Sequence[FlexibleList]) -> bool:
    facts = work.request.facts
    for ground in sorted(facts.mitigating):
        work.say(
            "MANDATORY_MITIGATION",
            f"{MITIGATING[ground]}，应当从轻或者减轻处罚",
            "行政处罚法第三十二条",
        )
    lst = list_in_force(lists, "lenient", work.request.day)
    item = _list_item(lst, work.request)
    if lst is not None and item is not None:
        work.say(
            "LENIENT_LIST",
            f"属于{lst.name}第 {item.code} 项：{item.condition or item.violation}",
            f"{lst.name}；{item.source}",
        )
        return True
    return bool(facts.mitigating)


def _disposition(work: _Work, lists: Sequence[FlexibleList]) -> str:
    if _time_barred(work) or _no_penalty(work, lists):
        return "no_penalty_eligible"
    lenient = _lenient(work, lists)
    aggravating = sorted(work.request.facts.aggravating)
    for code in aggravating:
        work.say(
            "AGGRAVATING",
            f"{AGGRAVATING[code]}，从重处罚"
            if not lenient
            else f"{AGGRAVATING[code]}（已有法定从轻情形，在从轻幅度内考虑）",
            "应急管理行政裁量权基准暂行规定；本局裁量规则",
        )
    if lenient:
        return "lenient"
    return "aggravated" if aggravating else "standard"


def _suggest(value: Range | None, disposition: str) -> Suggested | None:
    if value is None:
        return None
    if disposition == "no_penalty_eligible":
        return Suggested(0, 0, 0)
    third = (value.max - value.min) / 3
    part = {"lenient": 0, "standard": 1, "aggravated": 2}[disposition]
    low = value.min if part == 0 else _round_up(value.min + third * part)
    high = value.max if part == 2 else _round_down(value.min + third * (part + 1))
    if low > high:  # a range too narrow to split in hundreds
        low, high = value.min, value.max
    amount = int(round((low + high) / 2 / ROUND_TO) * ROUND_TO)
    return Suggested(low, high, min(max(amount, low), high))


def _round_up(amount: float) -> int:
    return int(-(-amount // ROUND_TO) * ROUND_TO)


def _round_down(amount: float) -> int:
    return int(amount // ROUND_TO * ROUND_TO)


def suggest_penalty(
    request: PenaltyRequest,
    *,
    statute: Statute,
    benchmarks: Sequence[Benchmark] = (),
    lists: Sequence[FlexibleList] = (),
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen, compared by value
) -> PenaltySuggestion:
    """The suggestion for one violation. Raises LookupError(code, message) for an unknown
    provision."""
    provision = _provision(statute, request, benchmarks)
    work = _Work(request=request, provision=provision)
    overdue = request.facts.overdue
    if overdue and provision.overdue is None:
        work.say("SINGLE_STAGE", "该条款不分限期内与逾期阶段，按同一幅度", provision.basis)
    unit, person, measures = _statute_ranges(work, provision.stage(overdue))
    work.say("STATUTE_RANGE", _statute_message(unit, person, measures), provision.basis)
    benchmark, entry, tier = _benchmark(work, benchmarks)
    disposition = _disposition(work, lists)
    base_unit = tier.unit_range(overdue) if tier else unit
    base_person = tier.person_range(overdue) if tier else person
    suggested_unit = _suggest(base_unit, disposition)
    suggested_person = _suggest(base_person, disposition)
    heavy = _applied_measures(measures, disposition)
    gates = decision_gates(
        unit_fine=suggested_unit.amount if suggested_unit else None,
        person_fine=suggested_person.amount if suggested_person else None,
        measures=heavy,
        thresholds=thresholds,
    )
    for gate in gates.reasons:
        work.say(gate.code, gate.message, gate.basis)
    _summary_procedure(work, suggested_unit, suggested_person, heavy, disposition)
    return PenaltySuggestion(
        provision=provision,
        overdue=overdue,
        unit=unit,
        person=person,
        measures=tuple(measures),
        benchmark=benchmark,
        entry=entry,
        tier=tier,
        disposition=disposition,
        suggested_unit=suggested_unit,
        suggested_person=suggested_person,
        legal_review_required=gates.legal_review,
        hearing_right=gates.hearing_right,
        collective_decision_required=gates.collective_decision,
        reasons=tuple(sorted(work.reasons, key=lambda r: r.code in CONTEXT_CODES)),
    )


def _applied_measures(measures: Sequence[str], disposition: str) -> list[str]:
    """The measures the suggestion applies: none without a penalty; those the law ties to
    "情节严重的" only when aggravated."""
    if disposition == "no_penalty_eligible":
        return []
    return [m for m in measures if not m.startswith("情节严重") or disposition == "aggravated"]


def _provision(
    statute: Statute, request: PenaltyRequest, benchmarks: Sequence[Benchmark]
) -> Provision:
    """The provision in the statute table, or the one the benchmark in force brings for it."""
    provision = statute.find(request.law, request.article, request.item)
    if provision is not None:
        return provision
    benchmark = benchmark_in_force(benchmarks, request.sector, request.day, request.law)
    entry = benchmark.entry_for(request.law, request.article, request.item) if benchmark else None
    if entry is not None and entry.provision is not None:
        return entry.provision
    if request.law not in statute.laws:
        known = "、".join(sorted(statute.laws))
        raise LookupError(
            "UNKNOWN_LAW", f"法定幅度表中没有该法律法规：{request.law}（有：{known}）"
        )
    if request.article not in statute.articles(request.law):
        raise LookupError("UNKNOWN_ARTICLE", f"{request.law}第{request.article}条不在法定幅度表中")
    items = statute.items(request.law, request.article)
    label = "、".join(items) or "无"
    raise LookupError(
        "UNKNOWN_ITEM",
        f"{request.law}第{request.article}条没有第{request.item}项（可用项：{label}）",
    )


def _statute_message(unit: Range | None, person: Range | None, measures: Sequence[str]) -> str:
    parts = list(measures)
    if unit is not None:
        parts.append(f"对单位处{unit.label()}的罚款")
    if person is not None:
        parts.append(f"对直接负责的主管人员和其他直接责任人员处{person.label()}的罚款")
    return "法定处罚：" + ("；".join(parts) if parts else "该阶段未设罚款")


def _summary_procedure(
    work: _Work,
    unit: Suggested | None,
    person: Suggested | None,
    measures: Sequence[str],
    disposition: str,
) -> None:
    if disposition == "no_penalty_eligible" or (
        measures and any(m for m in measures if "停" in m or "吊销" in m)
    ):
        return
    small_unit = unit is None or unit.amount <= SUMMARY_LIMITS["unit"]
    small_person = person is None or person.amount <= SUMMARY_LIMITS["person"]
    if (unit or person) and small_unit and small_person:
        work.say(
            "SUMMARY_PROCEDURE",
            "建议罚款在简易程序限额内（单位3000元、个人200元），可以当场作出处罚决定",
            "行政处罚法第五十一条",
        )
