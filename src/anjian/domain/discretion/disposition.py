"""The disposition of a violation (可以不予处罚 / 从轻 / 一般 / 从重) and the reasons for it.

- Time-barred (行政处罚法第三十六条) and first offense (第三十三条第一款: first offense, harm none
  or minor, corrected in time) make a violation eligible for no penalty, whatever the provision;
  the general conditions of the no-penalty list in force (no death in three years, not severely
  dishonest) gate that exemption too, because every list we have sets them. An item of the list
  that also matches is cited; an item's excluded sectors only bar that item.
- A ground of 第三十二条, or an item of the lenient list, makes it lenient; aggravating
  circumstances make it aggravated unless it is already lenient.
"""

from __future__ import annotations

from collections.abc import Sequence

from anjian.domain.discretion.lists import (
    AGGRAVATING,
    HARMS,
    MITIGATING,
    FlexibleList,
    ListItem,
    list_in_force,
)
from anjian.domain.discretion.request import PenaltyRequest, Work

DISPOSITIONS: dict[str, str] = {
    "no_penalty_eligible": "可以不予处罚",
    "lenient": "从轻处罚",
    "standard": "一般处罚",
    "aggravated": "从重处罚",
}


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


def _first_offense_blockers(work: Work, lst: FlexibleList | None) -> list[str]:
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


def _time_barred(work: Work) -> bool:
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


def _no_penalty(work: Work, lists: Sequence[FlexibleList]) -> bool:
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


def _lenient(work: Work, lists: Sequence[FlexibleList]) -> bool:
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


def disposition_of(work: Work, lists: Sequence[FlexibleList]) -> str:
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
