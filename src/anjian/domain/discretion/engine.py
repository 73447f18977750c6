"""The discretion engine: for one violation, what the law allows, which benchmark tier applies,
the disposition, and whether legal review and a hearing are required — each with its reasons.

The input and the reasons are `request.py`, the disposition `disposition.py`. Choices of ours
where the sources leave room (docs/adr/0017):
- The tier's range is split in thirds: lenient → lower third, standard → middle third, aggravated
  → upper third; the suggested amount is the middle of that third, rounded to 100 yuan. The flags
  for legal review and hearing are computed on the suggested amounts; the case recomputes them on
  the amounts the officer proposes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from anjian.domain.discretion.benchmark import Benchmark, BenchmarkEntry, Tier, benchmark_in_force
from anjian.domain.discretion.disposition import DISPOSITIONS as DISPOSITIONS
from anjian.domain.discretion.disposition import disposition_of
from anjian.domain.discretion.lists import FlexibleList
from anjian.domain.discretion.measures import (
    Closure,
    DailyPenalty,
    closure,
    closure_message,
    daily_penalty,
    measure_choices,
    required_measures,
)
from anjian.domain.discretion.procedure import Thresholds, decision_gates
from anjian.domain.discretion.request import PARTY_KINDS as PARTY_KINDS
from anjian.domain.discretion.request import Facts as Facts
from anjian.domain.discretion.request import PenaltyRequest as PenaltyRequest
from anjian.domain.discretion.request import Reason, Work
from anjian.domain.discretion.statute import ACCIDENT_GRADES, Provision, Range, Stage, Statute

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
        "NEEDS_DAILY_FACTS",
    }
)


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
    mandatory_measures: tuple[str, ...] = ()  # a decision must carry these
    daily: DailyPenalty | None = None  # 第一百一十二条
    closure: Closure | None = None  # 第一百一十三条

    def stage_labels(self) -> list[str]:
        stage = self.provision.stage(self.overdue)
        return [*[m for m in self.measures if m not in measure_choices(stage)], *stage.labels()]

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
                "other_measures": self.stage_labels(),
                "mandatory_measures": list(self.mandatory_measures),
                "discretionary_measures": [
                    {"measure": m.measure, "condition": m.when}
                    for m in p.stage(self.overdue).optional
                ],
                "breached": p.breaches or None,
                "kind": p.kind,
            },
            "daily_penalty": self.daily.as_dict() if self.daily else None,
            "closure": self.closure.as_dict() if self.closure else None,
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


def _statute_ranges(work: Work, stage: Stage) -> tuple[Range | None, Range | None, list[str]]:
    facts = work.request.facts
    unit, measures = stage.unit, list(measure_choices(stage))
    if work.provision.kind == "daily":
        unit = _daily(work)
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


def _daily(work: Work) -> Range | None:
    found = daily_penalty(work.request.facts)
    if found is None:
        work.say(
            "NEEDS_DAILY_FACTS",
            "按日连续处罚须给出原处罚数额（original_fine）和日数（days，自作出责令改正之日的次日起）",
            work.provision.basis,
        )
        return None
    work.say("DAILY_PENALTY", found.message(), work.provision.basis)
    return Range(found.total, found.total)


def _pick_tier(work: Work, entry: BenchmarkEntry) -> Tier | None:
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
    work: Work, benchmarks: Sequence[Benchmark]
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
    work = Work(request=request, provision=provision)
    overdue = request.facts.overdue
    if overdue and provision.overdue is None:
        work.say("SINGLE_STAGE", "该条款不分限期内与逾期阶段，按同一幅度", provision.basis)
    unit, person, measures = _statute_ranges(work, provision.stage(overdue))
    work.say("STATUTE_RANGE", _statute_message(unit, person, measures), provision.basis)
    benchmark, entry, tier = _benchmark(work, benchmarks)
    disposition = disposition_of(work, lists)
    base_unit = tier.unit_range(overdue) if tier else unit
    base_person = tier.person_range(overdue) if tier else person
    suggested_unit = _suggest(base_unit, disposition)
    suggested_person = _suggest(base_person, disposition)
    stage = provision.stage(overdue)
    mandatory = required_measures(stage, request.facts)
    if stage.income_share_by_accident:
        mandatory += tuple(m for m in measures if m not in measure_choices(stage))
    found_closure = closure(provision, request.facts) if provision.kind == "closure" else None
    if found_closure is not None:
        work.say("CLOSURE", closure_message(found_closure), f"{provision.basis}、第一百一十五条")
    heavy = _applied_measures(stage, mandatory, disposition)
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
        mandatory_measures=mandatory if disposition != "no_penalty_eligible" else (),
        daily=daily_penalty(request.facts) if provision.kind == "daily" else None,
        closure=found_closure,
    )


def _applied_measures(stage: Stage, mandatory: Sequence[str], disposition: str) -> list[str]:
    """The measures the suggestion applies: none without a penalty; the mandatory ones, and
    the discretionary ones only when aggravated."""
    if disposition == "no_penalty_eligible":
        return []
    optional = [m.measure for m in stage.optional] if disposition == "aggravated" else []
    return list(dict.fromkeys([*mandatory, *optional]))


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
    work: Work,
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
