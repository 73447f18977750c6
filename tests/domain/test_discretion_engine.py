"""The discretion engine: table-driven cases from the legal tables and hypothesis properties (a
suggestion never leaves the statute's range; the overdue stage is never below the timely stage;
the same facts always give the same tier)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.domain.discretion.benchmark import Benchmark, benchmark_from_dict
from anjian.domain.discretion.engine import Facts, PenaltyRequest, suggest_penalty
from anjian.domain.discretion.lists import AGGRAVATING, HARMS, MITIGATING
from anjian.domain.discretion.procedure import Thresholds
from anjian.domain.discretion.statute import Range
from anjian.policy_data.discretion import shipped_benchmarks, shipped_lists, shipped_statute

DAY = date(2026, 6, 1)
LAW = "安全生产法"


def ask(
    article: str,
    item: str | None = None,
    *,
    sector: str = "hazardous_chemicals",
    day: date = DAY,
    benchmarks: Any = None,
    thresholds: Thresholds | None = None,
    **facts: Any,
) -> Any:
    request = PenaltyRequest(LAW, article, item, "unit", sector, Facts(**facts), day)
    return suggest_penalty(
        request,
        statute=shipped_statute(),
        benchmarks=shipped_benchmarks() if benchmarks is None else benchmarks,
        lists=shipped_lists(),
        thresholds=thresholds or Thresholds(),
    )


def codes(result: Any) -> list[str]:
    return [r.code for r in result.reasons]


def test_interfaces_example() -> None:
    result = ask(
        "97",
        "7",
        overdue=False,
        first_offense=True,
        harm="none",
        corrected_in_time=True,
        deaths_last_3_years=0,
        count=1,
    )
    out = result.as_dict()
    assert out["statute"]["unit"] == {"min": 0, "max": 100000}
    assert out["statute"]["responsible_person"] is None
    assert out["statute"]["other_measures"] == ["责令限期改正"]
    assert out["benchmark"]["tier"] == "A" and out["benchmark"]["unit"] == {"min": 0, "max": 30000}
    assert out["benchmark"]["id"] == "mem-2024-90"
    assert out["disposition"] == "no_penalty_eligible"
    assert out["legal_review_required"] is False and out["hearing_right"] is False
    first = next(r for r in out["reasons"] if r["code"] == "FIRST_OFFENSE")
    assert first["basis"] == "行政处罚法第三十三条"


def test_overdue_stage_of_97_is_major_with_hearing() -> None:
    result = ask("97", "7", overdue=True, count=1)
    assert result.unit == Range(100000, 200000) and result.person == Range(20000, 50000)
    assert result.measures == ("责令停产停业整顿",)
    assert result.tier_unit() == Range(100000, 130000)
    assert result.disposition == "standard"
    assert result.legal_review_required and result.hearing_right
    assert result.collective_decision_required
    assert "HEAVY_MEASURE" in codes(result)


def test_standard_lenient_and_aggravated_take_thirds_of_the_tier() -> None:
    standard = ask("99", "1", sector="industry_trade", count=5)  # tier E: 3–5万
    lenient = ask("99", "1", sector="industry_trade", count=5, mitigating=frozenset({"confessed"}))
    heavy = ask("99", "1", sector="industry_trade", count=5, aggravating=frozenset({"repeat"}))
    assert standard.tier.code == "E"
    assert (lenient.disposition, standard.disposition, heavy.disposition) == (
        "lenient",
        "standard",
        "aggravated",
    )
    assert lenient.suggested_unit.as_dict() == {"min": 30000, "max": 36600, "amount": 33300}
    assert standard.suggested_unit.as_dict() == {"min": 36700, "max": 43300, "amount": 40000}
    assert heavy.suggested_unit.as_dict() == {"min": 43400, "max": 50000, "amount": 46700}
    assert {"MANDATORY_MITIGATION", "LENIENT_LIST"} <= set(codes(lenient))
    assert "AGGRAVATING" in codes(heavy)


def test_tier_by_share_of_workers() -> None:
    low = ask("97", "4", sector="industry_trade", share=0.10)
    high = ask("97", "4", sector="industry_trade", share=0.25)
    assert (low.tier.code, high.tier.code) == ("A", "B")
    none = ask("97", "4", sector="industry_trade", share=0.5)
    assert none.tier is None and "NO_TIER_MATCHES" in codes(none)
    missing = ask("97", "4", sector="industry_trade")
    assert missing.tier is None and "TIER_NEEDS_FACT" in codes(missing)
    # without a tier the suggestion falls back to the statute's range
    assert missing.suggested_unit.min >= 0 and missing.suggested_unit.max <= 100000


def test_words_only_tiers_need_the_officer() -> None:
    request = PenaltyRequest("安全生产培训管理办法", "36", "1", "unit", "other", Facts(), DAY)
    result = suggest_penalty(request, statute=shipped_statute(), benchmarks=shipped_benchmarks())
    assert result.tier is None and "TIER_NEEDS_JUDGEMENT" in codes(result)
    chosen = suggest_penalty(
        replace(request, facts=Facts(tier="B")),
        statute=shipped_statute(),
        benchmarks=shipped_benchmarks(),
    )
    assert chosen.tier.code == "B" and chosen.tier_unit() == Range(20000, 30000)
    unknown = suggest_penalty(
        replace(request, facts=Facts(tier="Z")),
        statute=shipped_statute(),
        benchmarks=shipped_benchmarks(),
    )
    assert unknown.tier is None and "UNKNOWN_TIER" in codes(unknown)


def test_mines_use_their_own_family_and_say_when_no_entry_is_loaded() -> None:
    coal = ask("97", "7", sector="coal_mine", count=1)
    assert coal.benchmark is not None and coal.benchmark.family == "coal"
    assert coal.entry is None and "NO_BENCHMARK_ENTRY" in codes(coal)
    before = ask("97", "7", day=date(2020, 1, 1), count=1)
    assert before.benchmark is None and "NO_BENCHMARK" in codes(before)


@pytest.mark.parametrize(
    ("facts", "blocker"),
    [
        ({"deaths_last_3_years": 1}, "近三年发生死亡事故"),
        ({"severely_dishonest": True}, "严重失信"),
        ({"harm": "harmful"}, "造成危害后果"),
        ({"corrected_in_time": False}, "未在限期内改正"),
        ({"overdue": True}, "未在限期内改正"),
    ],
)
def test_first_offense_blocked(facts: dict[str, Any], blocker: str) -> None:
    base = {"first_offense": True, "harm": "none", "corrected_in_time": True, "count": 1}
    result = ask("97", "7", **{**base, **facts})
    assert result.disposition != "no_penalty_eligible"
    excluded = next(r for r in result.reasons if r.code == "NO_PENALTY_EXCLUDED")
    assert blocker in excluded.message


def test_no_penalty_list_item_and_its_excluded_sectors() -> None:
    facts = {"first_offense": True, "harm": "minor", "corrected_in_time": True}
    request = PenaltyRequest(
        "生产安全事故应急预案管理办法", "45", "2", "unit", "industry_trade", Facts(**facts), DAY
    )
    listed = suggest_penalty(request, statute=shipped_statute(), lists=shipped_lists())
    assert "NO_PENALTY_LIST" in codes(listed)
    hazchem = suggest_penalty(
        replace(request, sector="hazardous_chemicals"),
        statute=shipped_statute(),
        lists=shipped_lists(),
    )
    # Weihai's item excludes hazardous chemicals; the first-offense rule of the law still applies
    assert hazchem.disposition == "no_penalty_eligible"
    assert "NO_PENALTY_LIST" not in codes(hazchem)


def test_time_barred() -> None:
    assert "TIME_BARRED" in codes(ask("99", "1", count=1, years_since_violation=2.5))
    assert "TIME_BARRED" not in codes(
        ask("99", "1", count=1, harm="harmful", years_since_violation=2.5)
    )
    assert "TIME_BARRED" in codes(ask("99", "1", count=1, harm="harmful", years_since_violation=5))


def test_gains_multiple_and_accident_grade() -> None:
    gains = ask("103", "1", illegal_gains=300000)
    assert gains.unit == Range(600000, 1500000) and "GAINS_MULTIPLE" in codes(gains)
    small = ask("103", "1", illegal_gains=50000)
    assert small.unit == Range(100000, 200000)
    accident = ask("114", accident_grade="larger")
    assert accident.unit == Range(1000000, 2000000)
    assert "NEEDS_ACCIDENT_GRADE" in codes(ask("114"))
    principal = ask("95", accident_grade="major")
    assert any("百分之80" in m for m in principal.measures)


def test_thresholds_are_configurable() -> None:
    # 99(1) tier E standard suggests 4万: a large fine by default, not under a 5万 threshold
    assert ask("99", "1", count=5).hearing_right
    higher = ask("99", "1", count=5, thresholds=Thresholds(large_unit_fine=50000))
    assert not higher.hearing_right and not higher.legal_review_required


def test_summary_procedure_for_small_fines() -> None:
    request = PenaltyRequest(
        "安全生产培训管理办法",
        "36",
        "1",
        "unit",
        "coal_mine",
        Facts(mitigating=frozenset({"confessed"})),
        DAY,
    )
    result = suggest_penalty(
        request, statute=shipped_statute(), benchmarks=(), lists=shipped_lists()
    )
    assert result.suggested_unit.amount <= 10000
    big = ask("99", "1", count=5)
    assert "SUMMARY_PROCEDURE" not in codes(big)


def test_unknown_provisions_raise_lookup_errors() -> None:
    for article, item, law, code in [
        ("977", None, LAW, "UNKNOWN_ARTICLE"),
        ("97", "9", LAW, "UNKNOWN_ITEM"),
        ("1", None, "某法", "UNKNOWN_LAW"),
    ]:
        request = PenaltyRequest(law, article, item, "unit", "other", Facts(), DAY)
        with pytest.raises(LookupError) as caught:
            suggest_penalty(request, statute=shipped_statute())
        assert caught.value.args[0] == code


# --- properties ---------------------------------------------------------------------------

PROVISIONS = sorted(shipped_statute().provisions.values(), key=lambda p: p.label)
SECTORS = [
    "hazardous_chemicals",
    "metallurgy",
    "industry_trade",
    "coal_mine",
    "non_coal_mine",
    "other",
]
numbers = st.one_of(st.none(), st.integers(0, 500), st.floats(0, 1e8, allow_nan=False))
facts_strategy = st.builds(
    Facts,
    overdue=st.booleans(),
    first_offense=st.booleans(),
    harm=st.sampled_from(sorted(HARMS)),
    corrected_in_time=st.booleans(),
    deaths_last_3_years=st.integers(0, 3),
    severely_dishonest=st.booleans(),
    count=numbers,
    persons=numbers,
    share=st.one_of(st.none(), st.floats(0, 1)),
    employees=numbers,
    investment=numbers,
    illegal_gains=numbers,
    accident_grade=st.one_of(
        st.none(), st.sampled_from(["general", "larger", "major", "especially_serious"])
    ),
    mitigating=st.frozensets(st.sampled_from(sorted(MITIGATING))),
    aggravating=st.frozensets(st.sampled_from(sorted(AGGRAVATING))),
)


@st.composite
def generated_benchmark(draw: st.DrawFn) -> Benchmark:
    """A valid benchmark over random provisions: tiers split a count axis, ranges inside the
    statute, the overdue stage at least the timely one."""
    entries = []
    for provision in draw(
        st.lists(st.sampled_from(PROVISIONS), min_size=1, max_size=6, unique_by=lambda p: p.label)
    ):
        tiers = []
        cuts = sorted(draw(st.sets(st.integers(1, 20), min_size=0, max_size=3)))
        bounds = list(zip([0, *cuts], [*cuts, None], strict=True))
        for n, (low, high) in enumerate(bounds):
            tier: dict[str, Any] = {
                "code": "ABCD"[n],
                "rule": {"fact": "count", "above": low}
                | ({"max": high} if high is not None else {}),
            }
            for key, stage, attr in (
                ("unit", provision.timely, "unit"),
                ("person", provision.timely, "person"),
                ("unit_overdue", provision.overdue, "unit"),
                ("person_overdue", provision.overdue, "person"),
            ):
                law = getattr(stage, attr) if stage else None
                if law is not None:
                    tier[key] = sorted(
                        draw(st.lists(st.integers(law.min, law.max), min_size=2, max_size=2))
                    )
            for whom in ("unit", "person"):
                timely, late = tier.get(whom), tier.get(f"{whom}_overdue")
                if timely and late and (late[0] < timely[0] or late[1] < timely[1]):
                    tier[f"{whom}_overdue"] = [max(late[0], timely[0]), max(late[1], timely[1])]
            if len(tier) > 2:
                tiers.append(tier)
        if tiers:
            entries.append(
                {
                    "number": provision.label,
                    "law": provision.law,
                    "article": provision.article,
                    "item": provision.item,
                    "tier": tiers,
                }
            )
    data = {
        "id": "gen",
        "version": "1",
        "name": "生成",
        "issuer": "测试",
        "document": "测试",
        "family": "mem",
        "effective_from": "2024-01-01",
        "entry": entries,
    }
    return benchmark_from_dict(data, shipped_statute())


def _inside(value: Any, allowed: Range | None) -> bool:
    if value is None:
        return True
    return (
        allowed is not None and allowed.min <= value.min <= value.amount <= value.max <= allowed.max
    )


@settings(max_examples=300, deadline=None)
@given(
    provision=st.sampled_from(PROVISIONS),
    facts=facts_strategy,
    sector=st.sampled_from(SECTORS),
    benchmark=generated_benchmark(),
)
def test_suggestion_never_leaves_the_statute(
    provision: Any, facts: Facts, sector: str, benchmark: Benchmark
) -> None:
    request = PenaltyRequest(
        provision.law, provision.article, provision.item, "unit", sector, facts, DAY
    )
    for benchmarks in ((benchmark,), shipped_benchmarks()):
        result = suggest_penalty(
            request, statute=shipped_statute(), benchmarks=benchmarks, lists=shipped_lists()
        )
        if result.disposition == "no_penalty_eligible":  # no fine at all, not a fine of 0
            fines = (result.suggested_unit, result.suggested_person)
            assert all(f is None or f.amount == f.max == 0 for f in fines)
            continue
        assert _inside(result.suggested_unit, result.unit)
        assert _inside(result.suggested_person, result.person)
        if result.tier is not None:
            assert _inside(result.suggested_unit, result.tier_unit())


@settings(max_examples=300, deadline=None)
@given(provision=st.sampled_from(PROVISIONS), facts=facts_strategy, benchmark=generated_benchmark())
def test_overdue_never_below_timely(provision: Any, facts: Facts, benchmark: Benchmark) -> None:
    def amounts(overdue: bool) -> Any:
        request = PenaltyRequest(
            provision.law,
            provision.article,
            provision.item,
            "unit",
            "industry_trade",
            replace(facts, overdue=overdue),
            DAY,
        )
        return suggest_penalty(
            request, statute=shipped_statute(), benchmarks=(benchmark,), lists=shipped_lists()
        )

    timely, overdue = amounts(False), amounts(True)
    for first, later in (
        (timely.suggested_unit, overdue.suggested_unit),
        (timely.suggested_person, overdue.suggested_person),
    ):
        if first is not None and later is not None:
            assert later.amount >= first.amount
            assert later.min >= first.min and later.max >= first.max


@settings(max_examples=200, deadline=None)
@given(benchmark=generated_benchmark(), facts=facts_strategy, seed=st.integers(0, 1000))
def test_same_facts_same_tier_whatever_the_tier_order(
    benchmark: Benchmark, facts: Facts, seed: int
) -> None:
    shuffled = []
    for entry in benchmark.entries:
        tiers = list(entry.tiers)
        random.Random(seed).shuffle(tiers)
        shuffled.append(replace(entry, tiers=tuple(tiers)))
    other = replace(benchmark, entries=tuple(shuffled))
    for entry in benchmark.entries:
        request = PenaltyRequest(entry.law, entry.article, entry.item, "unit", "other", facts, DAY)
        first = suggest_penalty(request, statute=shipped_statute(), benchmarks=(benchmark,))
        again = suggest_penalty(request, statute=shipped_statute(), benchmarks=(benchmark,))
        moved = suggest_penalty(request, statute=shipped_statute(), benchmarks=(other,))
        assert first.as_dict() == again.as_dict()
        assert (first.tier.code if first.tier else None) == (
            moved.tier.code if moved.tier else None
        )


def test_the_engine_uses_a_provision_the_benchmark_brings() -> None:
    entry = {
        "number": "31",
        "violation": "未按规定设置管道标志",
        "law": "某条例",
        "article": "80",
        "item": "1",
        "statute": {"unit": [50000, 100000], "measures": ["责令改正"]},
        "tier": [{"code": "A", "condition": "1处", "unit": [50000, 70000]}],
    }
    data = {
        "id": "x",
        "version": "1",
        "name": "x",
        "issuer": "x",
        "document": "x",
        "family": "mem",
        "effective_from": "2024-01-01",
        "entry": [entry],
    }
    benchmark = benchmark_from_dict(data, shipped_statute())
    request = PenaltyRequest("某条例", "80", "1", "unit", "hazardous_chemicals", Facts(), DAY)
    result = suggest_penalty(request, statute=shipped_statute(), benchmarks=(benchmark,))
    assert result.unit == Range(50000, 100000) and result.tier.code == "A"
    assert result.provision.basis == "《某条例》第八十条第一项"
    with pytest.raises(LookupError):  # a coal mine's benchmark does not bring it
        suggest_penalty(
            replace(request, sector="coal_mine"), statute=shipped_statute(), benchmarks=(benchmark,)
        )
