"""Issue 15 items 4 and 7: the statute table carries what the Work Safety Law makes mandatory and
the provisions it lacked (92 ¶2, 93 ¶2, 103 ¶3, 112, 113), checked against the text of the law
(LawRefBook/Laws, 社会法/安全生产法(2021-06-10).md)."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest

from anjian.cli import main
from anjian.domain.discretion.engine import Facts, PenaltyRequest, suggest_penalty
from anjian.domain.discretion.measures import missing_measures, required_measures
from anjian.domain.discretion.statute import Range
from anjian.policy_data.discretion import shipped_statute

LAW = "安全生产法"
W = 10000
DAY = date(2026, 11, 16)


def suggest(article: str, item: str | None, **facts: Any) -> Any:
    request = PenaltyRequest(LAW, article, item, "unit", "hazardous_chemicals", Facts(**facts), DAY)
    return suggest_penalty(request, statute=shipped_statute())


# ---- item 7: the provisions the table lacked -----------------------------------------------------


def test_article_92_has_both_paragraphs_with_the_laws_ranges() -> None:
    statute = shipped_statute()
    assert statute.items(LAW, "92") == ["1", "2"]
    untrue = statute.find(LAW, "92", "1")
    assert untrue is not None and untrue.timely.unit == Range(3 * W, 10 * W)
    assert untrue.timely.measures == ("责令停业整顿",)
    assert untrue.basis == "《中华人民共和国安全生产法》第九十二条第一款"
    false = statute.find(LAW, "92", "2")
    assert false is not None and false.basis == "《中华人民共和国安全生产法》第九十二条第二款"
    assert false.timely.unit == Range(10 * W, 20 * W)  # 没有或者不足十万元的
    assert false.timely.person == Range(5 * W, 10 * W)
    gains = false.timely.gains_multiple
    assert gains is not None and (gains.threshold, gains.min, gains.max) == (10 * W, 2, 5)
    assert false.timely.measures == (
        "吊销其相应资质和资格，五年内不得从事安全评价、认证、检测、检验等工作",
    )
    assert [(m.measure, m.when) for m in false.timely.optional] == [
        ("没收违法所得", "有违法所得的"),
        ("实行终身行业和职业禁入", "情节严重的"),
    ]
    assert false.breaches == "《中华人民共和国安全生产法》第七十二条第二款"


def test_article_92_paragraph_2_gains_of_300000_give_2_to_5_times() -> None:
    out = suggest("92", "2", illegal_gains=300000).as_dict()
    assert out["statute"]["unit"] == {"min": 600000, "max": 1500000}
    assert out["statute"]["responsible_person"] == {"min": 50000, "max": 100000}
    assert out["statute"]["mandatory_measures"] == [
        "吊销其相应资质和资格，五年内不得从事安全评价、认证、检测、检验等工作",
        "没收违法所得",
    ]
    # no gains: the fine of 10–20万 alone, and nothing to confiscate
    none = suggest("92", "2", illegal_gains=0).as_dict()
    assert none["statute"]["unit"] == {"min": 100000, "max": 200000}
    assert "没收违法所得" not in none["statute"]["mandatory_measures"]


def test_article_93_paragraph_2_fines_the_investor_after_an_accident() -> None:
    investor = shipped_statute().find(LAW, "93", "2")
    assert investor is not None and investor.party == "person"
    assert investor.timely.person == Range(2 * W, 20 * W) and investor.overdue is None


def test_article_103_has_three_paragraphs() -> None:
    """regulations.md §3.4 lists two; the law's text has a third (施工单位)."""
    statute = shipped_statute()
    assert statute.items(LAW, "103") == ["1", "2", "3", "3.2"]
    site = statute.find(LAW, "103", "3")
    assert site is not None and site.basis == "《中华人民共和国安全生产法》第一百零三条第三款"
    assert site.timely.unit == Range(0, 10 * W) and site.timely.person == Range(0, 2 * W)
    assert site.overdue is not None and site.overdue.measures == ("责令停产停业整顿",)
    transfer = statute.find(LAW, "103", "3.2")
    assert transfer is not None and transfer.basis == site.basis
    assert transfer.timely.unit == Range(10 * W, 20 * W)
    assert transfer.timely.person == Range(5 * W, 10 * W)
    assert transfer.timely.measures == ("责令停产停业整顿", "吊销资质证书")


def test_article_112_fines_the_original_amount_for_each_day() -> None:
    out = suggest("112", None, original_fine=20000, days=6).as_dict()
    assert out["daily_penalty"] == {"original_fine": 20000, "days": 6, "total": 120000}
    assert out["statute"]["unit"] == {"min": 120000, "max": 120000}
    assert out["statute"]["kind"] == "daily"
    missing = suggest("112", None).as_dict()
    assert missing["statute"]["unit"] is None and missing["daily_penalty"] is None
    assert "NEEDS_DAILY_FACTS" in [r["code"] for r in missing["reasons"]]


def test_article_113_is_a_closure_with_its_conditions_not_a_fine() -> None:
    met = suggest("113", "1", major_hazard=True, penalties_180_days=3).as_dict()
    assert met["statute"]["unit"] is None and met["statute"]["responsible_person"] is None
    assert met["closure"]["measure"] == "提请县级以上人民政府予以关闭"
    assert met["closure"]["met"] is True
    assert "五年内不得担任任何生产经营单位的主要负责人" in met["closure"]["consequences"][1]
    assert met["statute"]["mandatory_measures"] == ["提请县级以上人民政府予以关闭"]
    assert suggest("113", "1", major_hazard=True, penalties_1_year=4).closure.met is True
    assert suggest("113", "1", major_hazard=True, penalties_1_year=3).closure.met is False
    assert suggest("113", "1", major_hazard=False, penalties_180_days=5).closure.met is False
    assert suggest("113", "4").closure.met is None  # the officer establishes the refusal


def test_the_cli_answers_for_articles_112_and_113(capsys, monkeypatch) -> None:
    payload = {
        "violation": {"law": "安全生产法", "article": "112"},
        "party": {"kind": "unit", "sector": "hazardous_chemicals"},
        "facts": {"original_fine": 30000, "days": 3},
    }
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(payload, ensure_ascii=False)))
    assert main(["penalty", "-"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["daily_penalty"]["total"] == 90000
    payload["violation"] = {"law": "安全生产法", "article": "113", "item": "1"}
    payload["facts"] = {"major_hazard": True, "penalties_180_days": 3}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(payload, ensure_ascii=False)))
    assert main(["penalty", "-"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["closure"]["met"] is True and out["suggestion"]["unit"] is None


# ---- item 6: every penalty provision names the duty it enforces --------------------------------


@pytest.mark.parametrize(
    ("article", "item", "breached"),
    [
        ("97", "7", "第三十条第一款"),
        ("97", "4", "第二十八条第四款"),
        ("99", "1", "第三十五条"),
        ("101", "2", "第四十条第一款"),
        ("102", None, "第四十一条第二款"),
        ("103", "1", "第四十九条第一款"),
        ("108", None, "第六十六条"),
    ],
)
def test_the_breached_duty_is_in_the_table(article: str, item: str | None, breached: str) -> None:
    provision = shipped_statute().find(LAW, article, item)
    assert provision is not None
    assert provision.breaches == f"《中华人民共和国安全生产法》{breached}"


def test_every_fine_provision_of_the_work_safety_law_names_its_breach() -> None:
    for provision in shipped_statute().provisions.values():
        if provision.law == LAW and provision.article not in ("112", "113", "114"):
            assert provision.breaches, provision.label


# ---- item 4: mandatory measures --------------------------------------------------------------


def test_article_101_overdue_requires_the_suspension() -> None:
    out = suggest("101", "1", overdue=True)
    assert out.mandatory_measures == ("责令停产停业整顿",)
    assert missing_measures(out.provision, True, out.mandatory_measures, []) == [
        "依照《安全生产法》第一百零一条，逾期未改正的，应当责令停产停业整顿"
    ]
    assert missing_measures(out.provision, True, out.mandatory_measures, ["责令停产停业整顿"]) == []


def test_discretionary_measures_are_not_required() -> None:
    """99: “情节严重的，责令停产停业整顿” is left to discretion."""
    out = suggest("99", "1", overdue=True)
    assert out.mandatory_measures == ()
    assert out.as_dict()["statute"]["other_measures"] == ["情节严重的，责令停产停业整顿"]
    assert out.as_dict()["statute"]["discretionary_measures"] == [
        {"measure": "责令停产停业整顿", "condition": "情节严重的"}
    ]
    assert out.measures == ("责令停产停业整顿",)  # a proposal may still choose it


def test_the_refusal_words_the_stage_as_the_law_does() -> None:
    statute = shipped_statute()
    hazard = statute.find(LAW, "102", None)
    assert hazard is not None
    assert missing_measures(hazard, True, ["责令停产停业整顿"], []) == [
        "依照《安全生产法》第一百零二条，生产经营单位拒不执行的，应当责令停产停业整顿"
    ]
    assert missing_measures(hazard, False, ["责令立即消除或者限期消除事故隐患"], []) == [
        "依照《安全生产法》第一百零二条，应当责令立即消除或者限期消除事故隐患"
    ]


def test_every_stage_with_a_mandatory_measure_requires_it() -> None:
    for provision in shipped_statute().provisions.values():
        for stage in (provision.timely, provision.overdue):
            if stage is not None:
                assert set(stage.measures) <= set(required_measures(stage, Facts()))
