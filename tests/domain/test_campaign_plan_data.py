"""The Wenshui 2025 work plan as shipped data, and the plan parser's refusals."""

from __future__ import annotations

import copy
import tomllib
from datetime import date
from importlib import resources
from typing import Any

import pytest

from anjian.policy_data.campaigns import (
    MonthDay,
    PlanError,
    plan_from_dict,
    plan_from_toml,
    shipped_plan,
    shipped_plans,
)


def _raw() -> dict[str, Any]:
    folder = resources.files("anjian.policy_data").joinpath("work_plans")
    return tomllib.loads(folder.joinpath("wenshui-2025.toml").read_text(encoding="utf-8"))


def test_the_shipped_plans_are_listed_by_key() -> None:
    assert list(shipped_plans()) == ["wenshui-2025"]
    plan = shipped_plan("wenshui-2025")
    assert plan.document == "文应急发〔2025〕46号"
    assert (
        plan.campaign_title("文水县应急管理局", 2026)
        == "文水县应急管理局2026年“听民意办实事”专项工作"
    )
    assert plan.goal.endswith("8月底前各类制度机制基本建立，10月底前取得明显效果。")
    assert (plan.reports_from, plan.reports_until) == (MonthDay(4, 1), MonthDay(11, 12))


def test_phases_and_milestones_fall_on_the_plans_days_in_any_year() -> None:
    plan = shipped_plan("wenshui-2025")
    rows = [(p.kind, p.name, p.deadline.on(2026)) for p in plan.phases]
    assert rows == [
        ("phase", "安排部署阶段", date(2026, 4, 15)),
        ("phase", "集中整治阶段", date(2026, 10, 31)),
        ("phase", "总结评估阶段", date(2026, 11, 12)),
        ("milestone", "制度机制基本建立", date(2026, 8, 31)),
        ("milestone", "取得明显效果", date(2026, 10, 31)),
    ]
    assert plan.phases[0].deadline.on(2031) == date(2031, 4, 15)


def test_every_numbered_measure_of_part_three_with_its_responsibility() -> None:
    plan = shipped_plan("wenshui-2025")
    rows = [(m.clause, m.lead, m.supporting, m.all_sections) for m in plan.measures]
    assert rows == [
        ("三（一）1", None, (), True),
        ("三（一）2", None, (), True),
        ("三（一）3", None, (), True),
        ("三（一）4", None, (), True),
        ("三（二）1", "office", (), True),
        ("三（二）2", "legal", ("business", "enforcement_team"), False),
        ("三（二）3", None, (), True),
        ("三（二）4", "legal", ("business",), False),
        ("三（三）1", "legal", ("business", "enforcement_team"), False),
        ("三（三）2", "legal", ("business", "enforcement_team"), False),
        ("三（三）3", None, ("legal",), True),
        ("三（四）1", None, ("hr_finance",), True),
        ("三（四）2", "hr_finance", (), False),
    ]
    by_clause = {m.clause: m for m in plan.measures}
    items = by_clause["三（二）2"]
    assert items.title == "制定涉企行政检查事项清单"
    assert items.responsibility == "法制办牵头，各业务股室、执法队配合，4月底前完成"
    assert items.deadline == MonthDay(4, 30)
    assert [m.clause for m in plan.measures if m.deadline is not None] == ["三（二）2"]
    assert all(m.title and m.content and m.responsibility for m in plan.measures)


def test_the_leadership_group_with_posts_and_titles() -> None:
    plan = shipped_plan("wenshui-2025")
    rows = [(m.post, m.name, m.title) for m in plan.leaders]
    assert rows[:3] == [
        ("leader", "闫东晓", "党委书记、局长"),
        ("deputy", "赵文康", "党委委员、副局长"),
        ("deputy", "张建福", "党委委员、副局长"),
    ]
    assert [m.post for m in plan.leaders[3:]] == ["member"] * 6
    assert rows[-1] == ("member", "康玮钰", "防震减灾中心副主任")


def test_month_days() -> None:
    assert MonthDay.parse("04-30", "x") == MonthDay(4, 30)
    assert MonthDay.parse("4-3", "x").on(2027) == date(2027, 4, 3)
    assert str(MonthDay(4, 3)) == "04-03"
    assert MonthDay(4, 15) < MonthDay(10, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-04-30", "x：日期应写成“月-日”，如 04-30，实为 '2025-04-30'"),
        ("04/30", "x：日期应写成“月-日”，如 04-30，实为 '04/30'"),
        (430, "x：日期应写成“月-日”，如 04-30，实为 430"),
        ("02-29", "x：不能用 02-29（平年没有这一天）"),
        ("04-31", "x：没有 4 月 31 日"),
        ("13-01", "x：没有 13 月 1 日"),
    ],
)
def test_bad_month_days_are_refused(text: object, message: str) -> None:
    with pytest.raises(PlanError) as refused:
        MonthDay.parse(text, "x")
    assert str(refused.value) == message


def _broken(change: Any) -> str:
    data = copy.deepcopy(_raw())
    change(data)
    with pytest.raises(PlanError) as refused:
        plan_from_dict(data)
    return str(refused.value)


def test_refusals_name_the_place_and_the_reason() -> None:
    def measure(index: int, **values: object) -> Any:
        return lambda d: d["measures"][index].update(values)

    assert _broken(measure(5, lead="law")).startswith(
        "measures[5].lead：未知的股室类型 'law'，可用：office（办公室）、legal（法制）"
    )
    assert _broken(measure(5, supporting=["business", "business"])) == (
        "measures[5].supporting：股室类型重复"
    )
    assert _broken(measure(5, supporting="business")) == (
        'measures[5].supporting：应为股室类型的列表，如 ["business"]'
    )
    assert _broken(measure(5, supporting=["legal"])) == (
        "measures[5]：牵头股室类型 legal 不必再列为配合"
    )
    assert _broken(measure(12, lead=None)) == (
        "measures[12]：没有责任单位（lead、supporting 或 all_sections 至少写一项）"
    )
    assert _broken(measure(0, all_sections="是")) == "measures[0].all_sections：应为 true 或 false"
    assert _broken(measure(0, title=" ")) == "measures[0].title：不能为空"
    assert _broken(measure(0, title="长" * 121)) == (
        "measures[0].title：不能超过 120 个字（实为 121 个）"
    )
    assert _broken(measure(0, deadline="4月30日")).startswith("measures[0].deadline：日期应写成")
    assert _broken(measure(1, clause="三（一）1")) == "measures[1].clause：条款 三（一）1 重复"


def test_refusals_of_the_plan_as_a_whole() -> None:
    assert _broken(lambda d: d["phases"][0].update(kind="stage")).startswith(
        "phases[0].kind：未知的类型 'stage'"
    )
    assert _broken(lambda d: d.update(phases=[d["phases"][3]])) == (
        'phases：至少要有一个阶段（kind = "phase"）'
    )
    assert _broken(lambda d: d.update(measures=[])) == "measures：方案中没有工作措施"
    assert _broken(lambda d: d.update(measures={"a": 1})) == (
        "measures：应为表格数组（[[measures]]）"
    )
    assert _broken(lambda d: d["leaders"][0].update(post="head")).startswith(
        "leaders[0].post：未知的职务 'head'，可用：leader（组长）"
    )
    assert _broken(lambda d: d.update(title="{body}{month}")) == (
        "title：只能使用 {body}、{year} 两个占位符"
    )
    assert _broken(lambda d: d.update(reports_until="03-01")) == (
        "plan.reports_until：周调度结束日期早于开始日期"
    )
    assert _broken(lambda d: d.pop("key")) == "plan.key：不能为空"


def test_a_file_that_is_not_toml_and_an_unknown_plan() -> None:
    with pytest.raises(PlanError) as refused:
        plan_from_toml('key = "x"\n[[measures]\n')
    assert str(refused.value).startswith("方案文件不是有效的 TOML：")
    with pytest.raises(PlanError) as unknown:
        shipped_plan("jiaocheng-2025")
    assert str(unknown.value) == "没有名为 jiaocheng-2025 的工作方案模板（可用：wenshui-2025）"
