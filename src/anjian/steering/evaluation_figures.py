"""The closing evaluation's figures: the campaign year so far against the same period last
year and against the plan's targets, the section's measures with their states, and the
narrative drafted from them (Chinese sentences such as "现场入企 123 次，同比下降 31.2%")."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from anjian.accounts.models import Section
from anjian.domain.steering.measures import MeasureState
from anjian.domain.steering.targets import change_percent, judge
from anjian.steering import figures
from anjian.steering.models import Campaign, Measure
from anjian.steering.selectors import ALL_SECTIONS_KINDS, measure_states
from anjian.steering.slicing import campaign_slice

# The figures an evaluation compares, in the order it prints them; the first KEY are said in
# the drafted summary, the rest are in the table.
EVALUATION: tuple[str, ...] = (
    "entries_onsite",
    "entries_joint",
    "joint_share",
    "entries_saved",
    "inspections_done",
    "findings",
    "findings_closed",
    "on_time_rate",
    "cases_filed",
    "cases_decided",
    "fines",
    "exams",
    "pass_rate",
    "complaints_received",
    "complaints_closed",
    "entries_remote",
    "remote_share",
    "entries_quiet",
    "quiet_exceptions",
    "orders_issued",
    "cases_no_penalty",
    "no_penalty_share",
    "cases_lenient",
    "lenient_share",
    "review_coverage",
    "attempts",
)
KEY = 15


class EvaluationError(Exception):
    """A step refused, with the reason shown to the user."""


# --- the year's figures against last year and the targets -------------------------------------


def year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def period_of(campaign: Campaign, today: date) -> tuple[date, date]:
    """The campaign year from 1 January to today (the year's end at the latest)."""
    start, end = date(campaign.year, 1, 1), min(today, date(campaign.year, 12, 31))
    if end < start:
        raise EvaluationError(f"{campaign.year}年尚未开始，不能起草总结评估报告")
    return start, end


def _change(code: str, value: Any, before: Any) -> tuple[Decimal | None, str]:
    """The change against last year: per cent for a count, percentage points for a share."""
    if figures.figure(code).is_share:
        if value is None or before is None:
            return None, "pt"
        return Decimal(str(value)) - Decimal(str(before)), "pt"
    return change_percent(float(value or 0), float(before or 0)), "%"


def compare(campaign: Campaign, section: Section | None, today: date) -> dict[str, dict[str, Any]]:
    """Each figure this year and in the same period last year, its change and its target's
    verdict (the section's records, or the body's with no section)."""
    start, end = period_of(campaign, today)
    targets = {t.figure: t for t in campaign.targets.all()}
    codes = [*EVALUATION, *(c for c in targets if c in figures.BY_CODE and c not in EVALUATION)]
    s = campaign_slice(campaign, start, end, section=section)
    now = figures.values(codes, s)
    before = figures.values(codes, s.between(date(start.year - 1, 1, 1), year_before(end)))
    found: dict[str, dict[str, Any]] = {}
    for code in codes:
        change, unit = _change(code, now[code], before[code])
        entry: dict[str, Any] = {
            "value": figures.as_json(now[code]),
            "last_year": figures.as_json(before[code]),
            "change": figures.as_json(change),
            "change_unit": unit,
        }
        target = targets.get(code)
        if target is not None:
            value = Decimal(str(now[code])) if now[code] is not None else None
            verdict = judge(target.kind, target.threshold, value=value, change=change)
            entry["target"] = {"met": verdict.met, "text": verdict.text}
        found[code] = entry
    return found


def change_words(entry: Mapping[str, Any]) -> str:
    """下降 31.2% / 增长 5.0% / 提高 2.5 个百分点 / 持平; "" when there is nothing to compare."""
    if entry.get("change") in (None, ""):
        return ""
    change = Decimal(str(entry["change"]))
    if change == 0:
        return "持平"
    if entry.get("change_unit") == "pt":
        return f"{'提高' if change > 0 else '降低'} {abs(change)} 个百分点"
    return f"{'增长' if change > 0 else '下降'} {abs(change)}%"


def amount(code: str, value: Any) -> str:
    """现场入企 123 次 / 联合检查占比 25.0%."""
    spec = figures.figure(code)
    shown = "—" if value in (None, "") else value
    return f"{spec.label} {shown}{'' if spec.unit == '%' else ' '}{spec.unit}"


# --- the section's measures --------------------------------------------------------------------


def section_measures(
    campaign: Campaign, section: Section, today: date
) -> list[tuple[Measure, MeasureState, str]]:
    """The measures the section leads, supports or shares (各业务股室), with their state."""
    found = []
    for measure, state in measure_states(campaign, today):
        if measure.lead_section_id == section.pk:
            found.append((measure, state, "牵头"))
        elif any(s.pk == section.pk for s in measure.supporting_sections.all()):
            found.append((measure, state, "配合"))
        elif measure.all_sections and section.kind in ALL_SECTIONS_KINDS:
            found.append((measure, state, "分工负责"))
    return found


def measure_json(measure: Measure, state: MeasureState, role: str) -> dict[str, Any]:
    return {
        "clause": measure.clause,
        "title": measure.title,
        "role": role,
        "status": state.status,
        "label": state.label,
        "late": state.late,
        "reason": state.reason,
    }


# --- the drafted narrative ---------------------------------------------------------------------


def draft_text(
    section: Section, period: tuple[date, date], found: Mapping[str, Any]
) -> dict[str, str]:
    """The narrative drafted from the figures and the measures, for the section to edit."""
    start, end = period
    said = []
    for code in EVALUATION[:KEY]:
        entry = found[code]
        words = change_words(entry) if not figures.figure(code).is_share else ""
        said.append(amount(code, entry["value"]) + (f"，同比{words}" if words else ""))
    summary = (
        f"{start.year}年{start.month}月{start.day}日至{end.month}月{end.day}日，{section.name}"
        + "；".join(said)
        + "。"
    )
    measures = found["_measures"]
    targets = [(c, e) for c, e in found.items() if not c.startswith("_") and "target" in e]
    done = [m for m in measures if m["status"] == "done"]
    results = [f"承担的{len(measures)}项工作措施中已完成{len(done)}项。"] if measures else []
    results += [f"{figures.figure(c).label}：{e['target']['text']}。" for c, e in targets]
    behind = [m for m in measures if m["status"] != "done" or m["late"]]
    problems = [f"{m['clause']} {m['title']}：{m['label']}，{m['reason']}。" for m in behind]
    problems += [
        f"{figures.figure(c).label}{e['target']['text']}。"
        for c, e in targets
        if e["target"]["met"] is False
    ]
    pending = [m for m in measures if m["status"] != "done"]
    next_steps = [f"继续推进{m['clause']} {m['title']}。" for m in pending] or [
        "巩固专项工作成果，推动涉企行政检查规范化、常态化。"
    ]
    return {
        "summary": summary,
        "results": "".join(results),
        "problems": "".join(problems),
        "next_steps": "".join(next_steps),
    }
