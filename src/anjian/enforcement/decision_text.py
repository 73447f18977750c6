"""What a 行政处罚决定书 states beyond the case's own fields, gathered once when the decision is
made (`decision_record`, saved on the case before the document is issued) and worded here:
the duty breached and the penalty clause (each from the statute table), the inspection's date
and place, for an overdue stage the rectification order, its deadline and the review that found
it unmet, the adopted benchmark's official citation, a deviation from the tier with its reasons,
the hearing's outcome, and where to pay.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from anjian.enforcement.decision_record import record_of as record_of
from anjian.enforcement.models import PenaltyCase
from anjian.ui.gongwen import chinese_date, sentence

FACT_PREFIXES = ("经查明", "经查", "经调查")
"""How officers often begin the facts; the decision adds its own "经查，" (once)."""


def _day(value: str | None) -> str:
    return chinese_date(date.fromisoformat(value)) if value else ""


def facts_text(case: PenaltyCase, record: dict[str, Any]) -> str:
    """“经查，2025年3月3日，本机关执法人员在……检查时发现，……。” — one "经查"."""
    text = case.facts_text.strip() or case.title
    for prefix in FACT_PREFIXES:
        text = text.removeprefix(prefix).lstrip("，,：: ")
    seen = record.get("inspection") or {}
    if not seen or _day(seen["date"]) in text:  # the officer's text already gives the day
        return f"经查，{sentence(text)}"
    return (
        f"经查，{_day(seen['date'])}，本机关执法人员在{seen['place']}检查时发现：{sentence(text)}"
    )


def overdue_text(record: dict[str, Any]) -> str:
    found = record.get("overdue") or {}
    if not found:
        return ""
    text = (
        f"本机关于{_day(found['issued_on'])}以《责令限期整改指令书》（{found['order']}）责令你单位"
        f"于{_day(found['deadline'])}前整改完毕"
    )
    if found.get("review"):
        text += (
            f"；{_day(found['reviewed_on'])}复查（《整改复查意见书》{found['review']}）发现，"
            "你单位逾期未改正"
        )
    return text + "。"


def breach_text(case: PenaltyCase, record: dict[str, Any], obligations: str) -> str:
    """“违反了《……》第三十条第一款的规定，” (the statute's breached duty, else the findings')."""
    breach = record.get("breach") or obligations
    return f"违反了{breach}的规定，" if breach else "构成违法，"


def deviation_text(case: PenaltyCase) -> str:
    if not case.outside_tier or not case.deviation_reason.strip():
        return ""
    return f"本案处罚数额偏离上述裁量阶次，理由是：{sentence(case.deviation_reason)}"


def hearing_text(case: PenaltyCase) -> str:
    if not (case.hearing_held and case.hearing_on):
        return ""
    text = f"应你单位申请，本机关于{chinese_date(case.hearing_on)}依法举行了听证"
    if case.hearing_record.strip():
        text += f"，听证情况：{sentence(case.hearing_record)}"
        return text + "本机关对听证意见进行了复核。"
    return text + "。"


def payment_text(record: dict[str, Any]) -> str:
    found = record.get("payment") or {}
    parts = []
    if found.get("account_no"):
        parts.append(
            f"缴款银行：{found['bank']}；户名：{found['account_name']}；账号：{found['account_no']}"
        )
    if found.get("note"):
        parts.append(str(found["note"]).rstrip("。"))
    return "。".join(parts) + "。" if parts else ""


def contact_text(record: dict[str, Any]) -> str:
    found = record.get("contact") or {}
    parts = [f"联系地址：{found['address']}" if found.get("address") else ""]
    parts.append(f"联系电话：{found['phone']}" if found.get("phone") else "")
    joined = "；".join(p for p in parts if p)
    return f"{joined}。" if joined else ""
