"""Work plans (工作方案) shipped as data (`work_plans/*.toml`): the goal, the phases and milestones,
the numbered measures with their responsible sections, and the leadership group. Dates are
month-days ("04-30"), so a plan applies to any year.

Pure Python, no Django: `plan_from_dict` checks a plan completely and raises `PlanError` naming
the place of the first problem (``measures[5].lead``) in Chinese."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

# The kinds of section (accounts.Section.Kind) a plan names its responsible units by; a test keeps
# the two lists equal.
SECTION_KINDS: dict[str, str] = {
    "office": "办公室",
    "legal": "法制",
    "business": "业务股室",
    "enforcement_team": "综合行政执法队",
    "hr_finance": "人事财务",
    "other": "其他",
}
PHASE_KINDS: dict[str, str] = {"phase": "阶段", "milestone": "节点目标"}
POSTS: dict[str, str] = {"leader": "组长", "deputy": "副组长", "member": "成员"}

# The lengths the campaign's tables allow (steering.models).
LIMITS = {
    "title": 120,
    "phase_name": 60,
    "clause": 20,
    "measure_title": 120,
    "leader_name": 30,
    "leader_title": 60,
    "document": 80,
}
MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")
TITLE_FIELDS = ("body", "year")


class PlanError(ValueError):
    """A plan that cannot be used; the message names where and why."""


@dataclass(frozen=True, order=True)
class MonthDay:
    month: int
    day: int

    @classmethod
    def parse(cls, text: object, where: str) -> MonthDay:
        match = MONTH_DAY.match(str(text).strip()) if isinstance(text, str) else None
        if match is None:
            raise PlanError(f"{where}：日期应写成“月-日”，如 04-30，实为 {text!r}")
        month, day = int(match[1]), int(match[2])
        if (month, day) == (2, 29):
            raise PlanError(f"{where}：不能用 02-29（平年没有这一天）")
        try:
            date(2001, month, day)
        except ValueError:
            raise PlanError(f"{where}：没有 {month} 月 {day} 日") from None
        return cls(month, day)

    def on(self, year: int) -> date:
        return date(year, self.month, self.day)

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class PlanPhase:
    kind: str  # a key of PHASE_KINDS
    name: str
    deadline: MonthDay
    description: str = ""


@dataclass(frozen=True)
class PlanMeasure:
    clause: str
    title: str
    content: str
    responsibility: str  # the plan's own words
    lead: str | None  # a section kind
    supporting: tuple[str, ...]  # section kinds
    all_sections: bool
    deadline: MonthDay | None


@dataclass(frozen=True)
class PlanLeader:
    post: str  # a key of POSTS
    name: str
    title: str


@dataclass(frozen=True)
class WorkPlan:
    key: str
    name: str
    document: str
    title: str  # with {body} and {year}
    goal: str
    reports_from: MonthDay
    reports_until: MonthDay
    phases: tuple[PlanPhase, ...]
    measures: tuple[PlanMeasure, ...]
    leaders: tuple[PlanLeader, ...]

    def campaign_title(self, body: str, year: int) -> str:
        return self.title.format(body=body, year=year)


def _text(
    data: Mapping[str, Any], name: str, where: str, *, limit: int = 0, required: bool = True
) -> str:
    value = data.get(name, "")
    if not isinstance(value, str):
        raise PlanError(f"{where}.{name}：应为文字")
    value = value.strip()
    if required and not value:
        raise PlanError(f"{where}.{name}：不能为空")
    if limit and len(value) > limit:
        raise PlanError(f"{where}.{name}：不能超过 {limit} 个字（实为 {len(value)} 个）")
    return value


def _choice(value: object, choices: Mapping[str, str], where: str, what: str) -> str:
    if not isinstance(value, str) or value not in choices:
        known = "、".join(f"{key}（{label}）" for key, label in choices.items())
        raise PlanError(f"{where}：未知的{what} {value!r}，可用：{known}")
    return value


def _table_list(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    rows = data.get(name, [])
    if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
        raise PlanError(f"{name}：应为表格数组（[[{name}]]）")
    return rows


def _phase(row: Mapping[str, Any], where: str) -> PlanPhase:
    return PlanPhase(
        kind=_choice(row.get("kind", "phase"), PHASE_KINDS, f"{where}.kind", "类型"),
        name=_text(row, "name", where, limit=LIMITS["phase_name"]),
        deadline=MonthDay.parse(row.get("deadline"), f"{where}.deadline"),
        description=_text(row, "description", where, required=False),
    )


def _kinds(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise PlanError(f'{where}：应为股室类型的列表，如 ["business"]')
    kinds = tuple(_choice(kind, SECTION_KINDS, where, "股室类型") for kind in value)
    if len(set(kinds)) != len(kinds):
        raise PlanError(f"{where}：股室类型重复")
    return kinds


def _measure(row: Mapping[str, Any], where: str) -> PlanMeasure:
    lead = row.get("lead")
    if lead is not None:
        lead = _choice(lead, SECTION_KINDS, f"{where}.lead", "股室类型")
    supporting = _kinds(row.get("supporting", []), f"{where}.supporting")
    if lead is not None and lead in supporting:
        raise PlanError(f"{where}：牵头股室类型 {lead} 不必再列为配合")
    all_sections = row.get("all_sections", False)
    if not isinstance(all_sections, bool):
        raise PlanError(f"{where}.all_sections：应为 true 或 false")
    if lead is None and not supporting and not all_sections:
        raise PlanError(f"{where}：没有责任单位（lead、supporting 或 all_sections 至少写一项）")
    deadline = row.get("deadline")
    return PlanMeasure(
        clause=_text(row, "clause", where, limit=LIMITS["clause"]),
        title=_text(row, "title", where, limit=LIMITS["measure_title"]),
        content=_text(row, "content", where, required=False),
        responsibility=_text(row, "responsibility", where, required=False),
        lead=lead,
        supporting=supporting,
        all_sections=all_sections,
        deadline=None if deadline is None else MonthDay.parse(deadline, f"{where}.deadline"),
    )


def _leader(row: Mapping[str, Any], where: str) -> PlanLeader:
    return PlanLeader(
        post=_choice(row.get("post"), POSTS, f"{where}.post", "职务"),
        name=_text(row, "name", where, limit=LIMITS["leader_name"]),
        title=_text(row, "title", where, limit=LIMITS["leader_title"], required=False),
    )


def _check_title(title: str) -> None:
    try:
        sample = title.format(body="某某县应急管理局", year=2000)
    except (KeyError, IndexError, ValueError):
        allowed = "、".join("{" + name + "}" for name in TITLE_FIELDS)
        raise PlanError(f"title：只能使用 {allowed} 两个占位符") from None
    if len(sample) > LIMITS["title"]:
        raise PlanError(f"title：套用后超过 {LIMITS['title']} 个字")


def _unique_clauses(measures: tuple[PlanMeasure, ...]) -> None:
    seen: set[str] = set()
    for index, measure in enumerate(measures):
        if measure.clause in seen:
            raise PlanError(f"measures[{index}].clause：条款 {measure.clause} 重复")
        seen.add(measure.clause)


def plan_from_dict(data: Mapping[str, Any]) -> WorkPlan:
    """A checked plan from its dictionary form (a parsed TOML file)."""
    title = _text(data, "title", "plan", limit=LIMITS["title"])
    _check_title(title)
    phases = tuple(_phase(row, f"phases[{i}]") for i, row in enumerate(_table_list(data, "phases")))
    if not any(phase.kind == "phase" for phase in phases):
        raise PlanError('phases：至少要有一个阶段（kind = "phase"）')
    measures = tuple(
        _measure(row, f"measures[{i}]") for i, row in enumerate(_table_list(data, "measures"))
    )
    if not measures:
        raise PlanError("measures：方案中没有工作措施")
    _unique_clauses(measures)
    leaders = tuple(
        _leader(row, f"leaders[{i}]") for i, row in enumerate(_table_list(data, "leaders"))
    )
    reports_from = MonthDay.parse(data.get("reports_from"), "plan.reports_from")
    reports_until = MonthDay.parse(data.get("reports_until"), "plan.reports_until")
    if reports_until < reports_from:
        raise PlanError("plan.reports_until：周调度结束日期早于开始日期")
    return WorkPlan(
        key=_text(data, "key", "plan", limit=40),
        name=_text(data, "name", "plan", limit=LIMITS["title"]),
        document=_text(data, "document", "plan", limit=LIMITS["document"], required=False),
        title=title,
        goal=_text(data, "goal", "plan", required=False),
        reports_from=reports_from,
        reports_until=reports_until,
        phases=phases,
        measures=measures,
        leaders=leaders,
    )


def plan_from_toml(text: str) -> WorkPlan:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise PlanError(f"方案文件不是有效的 TOML：{problem}") from None
    return plan_from_dict(data)


@cache
def shipped_plans() -> dict[str, WorkPlan]:
    """Every plan shipped in `work_plans/`, by key."""
    folder = resources.files(__package__ or "anjian.policy_data").joinpath("work_plans")
    plans: dict[str, WorkPlan] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            plan = plan_from_toml(entry.read_text(encoding="utf-8"))
            plans[plan.key] = plan
    return plans


def shipped_plan(key: str) -> WorkPlan:
    plans = shipped_plans()
    if key not in plans:
        known = "、".join(sorted(plans)) or "无"
        raise PlanError(f"没有名为 {key} 的工作方案模板（可用：{known}）")
    return plans[key]
