"""Flexible-enforcement lists (包容审慎清单): no-penalty (不予处罚) and lenient (从轻/减轻) items.

A list is versioned data like a benchmark. Its general conditions hold for every item (first
offense, harm none or minor, corrected in time, no death in the last three years, not severely
dishonest); each item names a provision (or none, for a ground that applies to any violation),
says in words when it applies, and may add a `Condition` on the facts, grounds the facts must show
(e.g. 主动消除危害后果) and sectors it excludes (威海: 危险物品、非煤矿山、金属冶炼单位除外).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from anjian.domain.discretion.benchmark import parse_day
from anjian.domain.discretion.conditions import Condition, condition_from_dict
from anjian.domain.registry import SECTORS, FieldError, FieldErrors

LIST_KINDS: dict[str, str] = {"no_penalty": "不予处罚清单", "lenient": "从轻减轻处罚清单"}
HARMS: dict[str, str] = {
    "none": "没有造成危害后果",
    "minor": "危害后果轻微",
    "harmful": "造成危害后果",
    "serious": "造成严重危害后果",
}
MITIGATING: dict[str, str] = {
    "eliminated_harm": "主动消除或者减轻违法行为危害后果",
    "coerced": "受他人胁迫或者诱骗实施违法行为",
    "confessed": "主动供述行政机关尚未掌握的违法行为",
    "meritorious": "配合行政机关查处违法行为有立功表现",
}
AGGRAVATING: dict[str, str] = {
    "repeat": "一年内因同一种违法行为受过行政处罚",
    "obstruction": "拒绝、阻碍执法或者以暴力、威胁方法阻碍执法人员",
    "concealment": "伪造、隐匿、毁灭证据或者隐瞒违法事实",
    "accident": "造成生产安全事故或者恶劣社会影响",
    "major_hazard": "涉及重大事故隐患",
}


class ListInvalid(FieldErrors):
    """Every problem of the input, each a FieldError."""


@dataclass(frozen=True)
class ListConditions:
    first_offense: bool = True
    harms: frozenset[str] = frozenset({"none", "minor"})
    corrected_in_time: bool = True
    max_deaths_last_3_years: int | None = 0
    not_severely_dishonest: bool = True
    first_offense_years: int | None = None  # None: first since the list took effect


@dataclass(frozen=True)
class ListItem:
    code: str
    violation: str
    law: str | None
    article: str | None
    item: str | None
    condition: str
    rule: Condition | None
    requires: frozenset[str]
    excluded_sectors: frozenset[str]
    source: str

    def names(self, law: str, article: str, item: str | None) -> bool:
        if self.law is None:
            return True
        return (self.law, self.article, self.item) == (law, article, item or None)


@dataclass(frozen=True)
class FlexibleList:
    id: str
    version: str
    kind: str
    name: str
    issuer: str
    effective_from: date
    effective_until: date | None
    conditions: ListConditions
    items: tuple[ListItem, ...]
    note: str

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )


def list_in_force(lists: Sequence[FlexibleList], kind: str, day: date) -> FlexibleList | None:
    found = [x for x in lists if x.kind == kind and x.in_force_on(day)]
    return max(found, key=lambda x: (x.effective_from, x.id), default=None)


def _conditions(raw: Mapping[str, Any], errors: list[FieldError]) -> ListConditions:
    harms = frozenset(str(h) for h in raw.get("harms") or ("none", "minor"))
    for harm in harms - set(HARMS):
        errors.append(FieldError("conditions.harms", "UNKNOWN_HARM", f"未知的危害后果：{harm}"))
    deaths = raw.get("max_deaths_last_3_years", 0)
    years = raw.get("first_offense_years")
    if years not in (None, "") and (not str(years).isdigit() or int(years) < 1):
        errors.append(
            FieldError("conditions.first_offense_years", "INVALID_LIST", "初次违法年限应为正整数")
        )
        years = None
    return ListConditions(
        first_offense=bool(raw.get("first_offense", True)),
        harms=harms,
        corrected_in_time=bool(raw.get("corrected_in_time", True)),
        max_deaths_last_3_years=None if deaths is None or deaths == "" else int(deaths),
        not_severely_dishonest=bool(raw.get("not_severely_dishonest", True)),
        first_offense_years=int(years) if years not in (None, "") else None,
    )


def _item(raw: Mapping[str, Any], path: str, errors: list[FieldError]) -> ListItem:
    rule, problem = condition_from_dict(raw.get("rule"))
    if problem:
        errors.append(FieldError(path, "INVALID_LIST", f"{path}：{problem}"))
    requires = frozenset(str(r) for r in raw.get("requires") or ())
    for ground in requires - set(MITIGATING):
        errors.append(FieldError(path, "INVALID_LIST", f"{path}：未知的从轻情形：{ground}"))
    excluded = frozenset(str(s) for s in raw.get("excluded_sectors") or ())
    for sector in excluded - set(SECTORS):
        errors.append(FieldError(path, "UNKNOWN_SECTOR", f"{path}：未知的行业领域：{sector}"))
    law = str(raw["law"]) if raw.get("law") else None
    if law and not raw.get("article"):
        errors.append(FieldError(path, "MISSING_FIELD", f"{path}：写了法规就要写条"))
    return ListItem(
        code=str(raw.get("code") or path),
        violation=str(raw.get("violation") or ""),
        law=law,
        article=str(raw["article"]) if raw.get("article") else None,
        item=str(raw["item"]) if raw.get("item") not in (None, "") else None,
        condition=str(raw.get("condition") or ""),
        rule=rule,
        requires=requires,
        excluded_sectors=excluded,
        source=str(raw.get("source") or ""),
    )


def list_from_dict(data: Mapping[str, Any]) -> FlexibleList:
    """A checked list, or ListInvalid with every problem."""
    errors: list[FieldError] = []
    for key in ("id", "version", "kind", "name", "issuer", "effective_from"):
        if not data.get(key):
            errors.append(FieldError(key, "MISSING_FIELD", f"清单缺少 {key}"))
    kind = str(data.get("kind") or "")
    if kind and kind not in LIST_KINDS:
        errors.append(FieldError("kind", "INVALID_LIST", f"未知的清单类别：{kind}"))
    start = parse_day(data.get("effective_from"))
    until = parse_day(data["effective_until"]) if data.get("effective_until") else None
    if data.get("effective_from") and start is None:
        errors.append(FieldError("effective_from", "BAD_DATE", "生效日期不是有效日期"))
    conditions = _conditions(data.get("conditions") or {}, errors)
    items = [
        _item(raw, f"事项{raw.get('code') or n + 1}", errors)
        for n, raw in enumerate(data.get("item") or ())
    ]
    codes = [i.code for i in items]
    if len(set(codes)) != len(codes):
        errors.append(FieldError("item", "INVALID_LIST", "清单事项编号重复"))
    if errors or start is None:
        raise ListInvalid(errors or [FieldError("effective_from", "BAD_DATE", "生效日期无效")])
    return FlexibleList(
        id=str(data["id"]),
        version=str(data["version"]),
        kind=kind,
        name=str(data["name"]),
        issuer=str(data["issuer"]),
        effective_from=start,
        effective_until=until,
        conditions=conditions,
        items=tuple(items),
        note=str(data.get("note") or ""),
    )
