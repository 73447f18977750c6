"""The shipped discretion data: the statute table against the law (regulations.md §3.4), the starter
benchmarks and lists, and every way a benchmark or list is refused."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from anjian.domain.discretion.benchmark import (
    BenchmarkInvalid,
    benchmark_from_dict,
    benchmark_in_force,
    family_for_sector,
)
from anjian.domain.discretion.conditions import Condition, condition_from_dict
from anjian.domain.discretion.lists import ListInvalid, list_from_dict
from anjian.domain.discretion.statute import Range, StatuteInvalid, statute_from_dicts, yuan
from anjian.policy_data.discretion import (
    shipped_benchmark_dicts,
    shipped_benchmarks,
    shipped_list_dicts,
    shipped_lists,
    shipped_statute,
)

LAW = "安全生产法"
W = 10000

# article, items, timely unit, timely person, overdue unit, overdue person (None: no fine; "-": one
# stage only) — the Work Safety Law 2021, articles 92–114 (regulations.md §3.4 and the text).
# Articles split by paragraph (92, 93, 103) and 112/113 are in tests/domain/test_statute_gaps.py.
STATUTE_TABLE: list[tuple[str, int, Any, Any, Any, Any]] = [
    ("94", 0, None, (2 * W, 5 * W), None, (5 * W, 10 * W)),
    ("95", 0, None, None, "-", "-"),
    ("96", 0, None, (1 * W, 3 * W), "-", "-"),
    ("97", 7, (0, 10 * W), None, (10 * W, 20 * W), (2 * W, 5 * W)),
    ("98", 4, (10 * W, 50 * W), (2 * W, 5 * W), (50 * W, 100 * W), (5 * W, 10 * W)),
    ("99", 8, (0, 5 * W), None, (5 * W, 20 * W), (1 * W, 2 * W)),
    ("101", 5, (0, 10 * W), None, (10 * W, 20 * W), (2 * W, 5 * W)),
    ("102", 0, (0, 5 * W), None, None, (5 * W, 10 * W)),
    ("104", 0, (0, 5 * W), (0, 1 * W), None, None),
    ("105", 2, (0, 5 * W), (0, 1 * W), None, None),
    ("106", 0, None, (2 * W, 10 * W), "-", "-"),
    ("108", 0, None, None, (2 * W, 20 * W), (1 * W, 2 * W)),
    ("109", 0, (5 * W, 10 * W), None, (10 * W, 20 * W), None),
    ("110", 0, None, None, "-", "-"),
    ("114", 0, None, None, "-", "-"),
]


def _range(value: Any) -> Range | None:
    return Range(*value) if value is not None else None


@pytest.mark.parametrize(
    ("article", "items", "t_unit", "t_person", "o_unit", "o_person"), STATUTE_TABLE
)
def test_statute_table_matches_the_law(
    article: str, items: int, t_unit: Any, t_person: Any, o_unit: Any, o_person: Any
) -> None:
    statute = shipped_statute()
    numbers = [str(n) for n in range(1, items + 1)] or [None]
    assert statute.items(LAW, article) == [n for n in numbers if n]
    for item in numbers:
        provision = statute.find(LAW, article, item)
        assert provision is not None, (article, item)
        assert provision.timely.unit == _range(t_unit)
        assert provision.timely.person == _range(t_person)
        if o_unit == "-":
            assert provision.overdue is None
        else:
            assert provision.overdue is not None
            assert provision.overdue.unit == _range(o_unit)
            assert provision.overdue.person == _range(o_person)


def test_statute_special_provisions() -> None:
    statute = shipped_statute()
    gains = statute.find(LAW, "103", "1")
    assert gains is not None and gains.timely.gains_multiple is not None
    assert (gains.timely.gains_multiple.min, gains.timely.gains_multiple.max) == (2, 5)
    assert gains.timely.unit == Range(10 * W, 20 * W) and gains.timely.person == Range(W, 2 * W)
    assert gains.basis == "《中华人民共和国安全生产法》第一百零三条第一款"
    contract = statute.find(LAW, "103", "2")
    assert contract is not None and contract.overdue is not None
    assert contract.overdue.unit is None and "责令停产停业整顿" in contract.overdue.measures
    accident = statute.find(LAW, "114", None)
    assert accident is not None
    assert accident.timely.unit_by_accident["especially_serious"] == Range(1000 * W, 2000 * W)
    principal = statute.find(LAW, "95", None)
    assert principal is not None
    assert principal.timely.income_share_by_accident == {
        "general": 40,
        "larger": 60,
        "major": 80,
        "especially_serious": 100,
    }
    seven = statute.find(LAW, "97", "7")
    assert seven is not None and seven.basis == "《中华人民共和国安全生产法》第九十七条第七项"
    assert all(p.violation for p in statute.provisions.values())


def test_every_overdue_stage_is_at_least_the_timely_stage() -> None:
    for provision in shipped_statute().provisions.values():
        overdue = provision.overdue
        if overdue is None:
            continue
        for timely, later in (
            (provision.timely.unit, overdue.unit),
            (provision.timely.person, overdue.person),
        ):
            if timely and later:
                assert later.min >= timely.min and later.max >= timely.max, provision.label


def test_statute_refuses_broken_tables() -> None:
    with pytest.raises(StatuteInvalid) as caught:
        statute_from_dicts(
            [
                {
                    "law": "X",
                    "provision": [
                        {"article": "1", "timely": {"unit": [5, 1]}},
                        {"article": "2"},
                    ],
                }
            ]
        )
    assert len(caught.value.errors) == 2


def test_general_rules_of_the_administrative_penalty_law() -> None:
    from anjian.policy_data.discretion import general_rules

    rules = {r["article"]: r for r in general_rules()}
    assert list(rules) == ["29", "32", "33", "36", "51", "57", "58", "63", "64"]
    assert all(r["title"] and r["rule"] and r["applied"] for r in rules.values())
    assert "五日内" in rules["64"]["rule"] and "三千元以下" in rules["51"]["rule"]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("97", "97"),
        ("第九十七条", "97"),
        ("（七）", "7"),
        ("第七项", "7"),
        ("七", "7"),
        ("第一百零三条", "103"),
        ("一百一十四", "114"),
        ("十", "10"),
        ("第十二项", "12"),
        ("第二款", "2"),
        ("abc", "abc"),
        ("", ""),
    ],
)
def test_arabic_numbers(text: str, number: str) -> None:
    from anjian.domain.discretion.statute import arabic_number, chinese_number

    assert arabic_number(text) == number
    if number.isdigit():
        assert arabic_number(chinese_number(number)) == number


def test_yuan_labels() -> None:
    assert yuan(30000) == "3万元"
    assert yuan(15000) == "1.5万元"
    assert yuan(1500) == "1500元"
    assert Range(0, 30000).label() == "3万元以下"
    assert Range(100000, 130000).label() == "10万元以上13万元以下"


def test_shipped_benchmarks_and_lists_load() -> None:
    benchmarks = {b.id: b for b in shipped_benchmarks()}
    assert set(benchmarks) == {"mem-2024-90", "coal-2024", "non-coal-2023"}
    mem = benchmarks["mem-2024-90"]
    tier = mem.entry_for(LAW, "97", "7").tier("A")  # type: ignore[union-attr]
    assert tier is not None and tier.unit == Range(0, 30000)
    assert all(entry.source for entry in mem.entries)
    assert {lst.kind for lst in shipped_lists()} == {"no_penalty", "lenient"}


@pytest.mark.parametrize(
    ("sector", "family"),
    [
        ("coal_mine", "coal"),
        ("non_coal_mine", "non_coal"),
        ("hazardous_chemicals", "mem"),
        ("metallurgy", "mem"),
        ("industry_trade", "mem"),
        ("other", "mem"),
    ],
)
def test_benchmark_family_by_sector(sector: str, family: str) -> None:
    from datetime import date

    assert family_for_sector(sector) == family
    chosen = benchmark_in_force(shipped_benchmarks(), sector, date(2026, 6, 1))
    assert chosen is not None and chosen.family == family
    assert benchmark_in_force(shipped_benchmarks(), sector, date(2020, 1, 1)) is None
    emergency = benchmark_in_force(shipped_benchmarks(), sector, date(2026, 6, 1), "突发事件应对法")
    assert emergency is not None and emergency.family == "mem"


def _mem() -> dict[str, Any]:
    data = next(d for d in shipped_benchmark_dicts() if d["id"] == "mem-2024-90")
    return copy.deepcopy(data)


def _codes(data: dict[str, Any]) -> list[str]:
    with pytest.raises(BenchmarkInvalid) as caught:
        benchmark_from_dict(data, shipped_statute())
    return [e.code for e in caught.value.errors]


def test_benchmark_tier_outside_statute_is_refused() -> None:
    data = _mem()
    data["entry"][0]["tier"][0]["unit"] = [0, 120000]  # 97(7) allows 10万 at most
    assert _codes(data) == ["OUTSIDE_STATUTE"]


def test_benchmark_person_fine_where_law_sets_none_is_refused() -> None:
    data = _mem()
    data["entry"][0]["tier"][0]["person"] = [5000, 10000]  # 97: no person fine before overdue
    assert _codes(data) == ["OUTSIDE_STATUTE"]


def test_shanxi_person_fine_below_statute_minimum_is_refused() -> None:
    """晋应急发〔2021〕260号 gives 0.5万 for one sign missing; 99 sets 1万 at least."""
    data = _mem()
    entry = next(e for e in data["entry"] if e["article"] == "99")
    entry["tier"][0]["person_overdue"] = [5000, 5000]
    assert _codes(data) == ["OUTSIDE_STATUTE"]


def test_overlapping_tiers_are_refused() -> None:
    data = _mem()
    entry = next(e for e in data["entry"] if e["article"] == "99")
    entry["tier"][1]["rule"] = {"fact": "count", "min": 1, "max": 2}
    assert _codes(data) == ["TIERS_OVERLAP"]


def test_overdue_below_timely_is_refused() -> None:
    """The Work Safety Law's stages never overlap, so this is a backstop for other laws."""
    statute = statute_from_dicts(
        [
            {
                "law": "某办法",
                "provision": [
                    {
                        "article": "9",
                        "violation": "x",
                        "timely": {"unit": [0, 30000]},
                        "overdue": {"unit": [10000, 50000]},
                    },
                ],
            }
        ]
    )
    data = {
        **_mem(),
        "entry": [
            {
                "number": "1",
                "law": "某办法",
                "article": "9",
                "tier": [
                    {"code": "A", "unit": [20000, 30000], "unit_overdue": [10000, 20000]},
                ],
            }
        ],
    }
    with pytest.raises(BenchmarkInvalid) as caught:
        benchmark_from_dict(data, statute)
    assert [e.code for e in caught.value.errors] == ["OVERDUE_BELOW_TIMELY"]


def test_unknown_article_and_duplicates_are_refused_with_rows() -> None:
    data = _mem()
    data["entry"][0]["article"] = "977"
    data["entry"][1]["row"] = 12
    data["entry"].append(copy.deepcopy(data["entry"][2]))
    data["entry"][2]["tier"][0]["code"] = data["entry"][2]["tier"][1]["code"]
    with pytest.raises(BenchmarkInvalid) as caught:
        benchmark_from_dict(data, shipped_statute())
    codes = [e.code for e in caught.value.errors]
    assert "UNKNOWN_PROVISION" in codes and "DUPLICATE_ENTRY" in codes
    assert "DUPLICATE_TIER" in codes


def test_header_problems_are_all_reported() -> None:
    data = _mem()
    del data["document"]
    data["family"] = "fireworks"
    data["sectors"] = ["bakery"]
    data["effective_until"] = "2020-01-01"
    codes = _codes(data)
    assert {"MISSING_FIELD", "INVALID_BENCHMARK", "UNKNOWN_SECTOR", "BAD_DATE"} <= set(codes)


def test_tier_row_is_named() -> None:
    data = _mem()
    data["entry"][0]["tier"][0]["row"] = 7
    data["entry"][0]["tier"][0]["unit"] = [0, 999999]
    with pytest.raises(BenchmarkInvalid) as caught:
        benchmark_from_dict(data, shipped_statute())
    assert caught.value.errors[0].field == "第7行"
    assert "第7行" in caught.value.errors[0].message


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"fact": "colour", "max": 1}, "未知的事实"),
        ({"fact": "count"}, "至少要有一个界限"),
        ({"fact": "count", "min": 3, "max": 2}, "永远不成立"),
        ({"fact": "count", "max": "many"}, "应为数字"),
        ("count<3", "条件应为表"),
    ],
)
def test_conditions_refused(raw: Any, problem: str) -> None:
    condition, message = condition_from_dict(raw)
    assert condition is None and message and problem in message


def test_condition_bounds_and_overlap() -> None:
    low = Condition("share", max=0.10)
    high = Condition("share", above=0.10, max=0.30)
    assert low.matches(0.10) and not high.matches(0.10) and high.matches(0.1001)
    assert not low.overlaps(high)
    assert Condition("count", min=1, max=2).overlaps(Condition("count", min=2))
    assert not Condition("count", below=2).overlaps(Condition("count", min=2))


def test_lists_refuse_bad_items() -> None:
    data = copy.deepcopy(next(d for d in shipped_list_dicts() if d["kind"] == "no_penalty"))
    data["kind"] = "amnesty"
    data["item"][0]["excluded_sectors"] = ["bakery"]
    data["item"][1]["requires"] = ["charm"]
    data["item"][2]["code"] = data["item"][3]["code"]
    data["conditions"]["harms"] = ["catastrophic"]
    with pytest.raises(ListInvalid) as caught:
        list_from_dict(data)
    codes = [e.code for e in caught.value.errors]
    assert {"INVALID_LIST", "UNKNOWN_SECTOR", "UNKNOWN_HARM"} <= set(codes)
    assert len(codes) >= 5


def _regulation_entry(**statute: Any) -> dict[str, Any]:
    return {
        "number": "31",
        "violation": "未按规定对危险化学品管道设置明显标志",
        "law": "某条例",
        "article": "80",
        "item": "1",
        "tier": [
            {"code": "A", "rule": {"fact": "count", "max": 2}, "unit": [50000, 70000]},
            {"code": "B", "rule": {"fact": "count", "above": 2}, "unit": [70000, 100000]},
        ],
        **({"statute": statute} if statute else {}),
    }


def test_an_entry_brings_the_range_of_a_law_the_table_lacks() -> None:
    """The official benchmarks cover many regulations: an entry for one of them states its
    statutory range, and the tiers are checked against that."""
    data = {**_mem(), "entry": [_regulation_entry()]}
    assert _codes(data) == ["UNKNOWN_PROVISION"]
    statute = {
        "basis": "《某条例》第八十条第一项",
        "unit": [50000, 100000],
        "measures": ["责令改正"],
        "unit_overdue": [100000, 200000],
        "measures_overdue": ["责令停产停业整顿"],
    }
    benchmark = benchmark_from_dict(
        {**_mem(), "entry": [_regulation_entry(**statute)]}, shipped_statute()
    )
    provision = benchmark.entries[0].provision
    assert provision is not None and provision.basis == "《某条例》第八十条第一项"
    assert provision.timely.unit == Range(50000, 100000)
    assert provision.overdue is not None and provision.overdue.measures == ("责令停产停业整顿",)
    assert benchmark.provisions() == [provision]
    too_wide = {**statute, "unit": [50000, 60000]}
    assert set(_codes({**_mem(), "entry": [_regulation_entry(**too_wide)]})) == {"OUTSIDE_STATUTE"}
    # an entry of a provision the table holds uses the table (its own statute is not needed)
    assert shipped_statute().find(LAW, "97", "7") is not None
