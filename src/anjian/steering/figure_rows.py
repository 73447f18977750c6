"""A figure's records as the drill-down lists them: one row per record, with a link to the page
where the record is kept (steering/views/figures.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Model
from django.urls import reverse


@dataclass(frozen=True)
class Row:
    day: date | None
    enterprise: str
    text: str
    url: str


def _day(value: object) -> date | None:
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value  # type: ignore[return-value]


def row_of(record: Model) -> Row:
    """One record behind a figure, as the drill-down lists it, with a link to where it is kept."""
    label = record._meta.label
    maker = _ROWS.get(label)
    if maker is None:
        raise ValueError(f"明细无法显示的记录类型：{label}")
    return maker(record)


def _booking(r: Any) -> Row:
    section = r.section.name if r.section else ""
    text = f"{section} {r.get_activity_display()} · {r.get_mode_display()}"
    if r.joint_key:
        text += f" · 联合检查 {r.joint_key}"
    return Row(
        r.date, r.enterprise.name, text, reverse("policy:enterprise_year", args=[r.enterprise_id])
    )


def _exception(r: Any) -> Row:
    text = f"{r.section.name if r.section else ''} {r.get_status_display()}：{r.reason[:40]}"
    return Row(
        _day(r.requested_at),
        r.enterprise.name,
        text,
        reverse("policy:exception_detail", args=[r.pk]),
    )


def _counter(r: Any) -> Row:
    return Row(
        None,
        r.enterprise.name,
        f"{r.year} 年已用 {r.used} 次，上限 {r.cap} 次",
        reverse("policy:enterprise_year", args=[r.enterprise_id]),
    )


def _task(r: Any) -> Row:
    section = r.section.name if r.section else ""
    text = f"{section} {r.get_activity_display()} · {r.get_status_display()}"
    return Row(r.date, r.enterprise.name, text, reverse("inspections:task_detail", args=[r.pk]))


def _hazard(r: Any) -> Row:
    text = f"{r.description[:50]} · {r.get_status_display()}"
    if r.deadline:
        text += f" · 期限 {r.deadline:%Y-%m-%d}"
    return Row(
        _day(r.recorded_at),
        r.task.enterprise.name,
        text,
        reverse("inspections:task_detail", args=[r.task_id]),
    )


def _order(r: Any) -> Row:
    return Row(
        r.issued_on,
        r.task.enterprise.name,
        f"整改期限 {r.deadline:%Y-%m-%d}",
        reverse("inspections:task_detail", args=[r.task_id]),
    )


def _complaint(r: Any) -> Row:
    text = f"{r.get_kind_display()} · {r.get_status_display()}"
    return Row(_day(r.filed_at), r.enterprise.name, text, reverse("inspections:complaints"))


def _case(r: Any) -> Row:
    fine = (r.decided_unit_fine or 0) + (r.decided_person_fine or 0)
    text = f"{r.number or '（未编号）'} {r.title[:40]} · {r.get_state_display()}"
    if fine:
        text += f" · 罚款 {fine} 元"
    day = r.decided_on or r.filed_on
    return Row(day, r.enterprise.name, text, reverse("enforcement:case_detail", args=[r.pk]))


def _exam(r: Any) -> Row:
    return Row(
        _day(r.opened_at),
        r.enterprise.name,
        f"逢查必考 · {r.get_status_display()}",
        reverse("inspections:task_detail", args=[r.task_id]),
    )


def _attempt(r: Any) -> Row:
    verdict = "合格" if r.passed else "不合格"
    return Row(
        _day(r.finished_at),
        r.exam.enterprise.name,
        f"{r.job} · {verdict}",
        reverse("inspections:task_detail", args=[r.exam.task_id]),
    )


def _certificate(r: Any) -> Row:
    return Row(
        r.valid_until,
        r.person.enterprise.name,
        f"{r.get_kind_display()} {r.number} 有效期至 {r.valid_until:%Y-%m-%d}",
        reverse("training:person_detail", args=[r.person_id]),
    )


def _visit(r: Any) -> Row:
    return Row(
        r.earliest,
        r.enterprise.name,
        f"{r.section.name} {r.get_activity_display()}（已合并）",
        reverse("planning:month_detail", args=[r.planning_month_id]),
    )


def _entry(r: Any) -> Row:
    return Row(
        r.date,
        r.enterprise.name,
        f"合并 {getattr(r, 'visit_count', '')} 项计划入企",
        reverse("planning:run_detail", args=[r.run_id]),
    )


_ROWS: dict[str, Callable[[Any], Row]] = {
    "policy.EntryBooking": _booking,
    "policy.QuietException": _exception,
    "policy.CapCounter": _counter,
    "inspections.InspectionTask": _task,
    "inspections.Hazard": _hazard,
    "inspections.RectificationOrder": _order,
    "inspections.Complaint": _complaint,
    "enforcement.PenaltyCase": _case,
    "training.FieldExam": _exam,
    "training.ExamAttempt": _attempt,
    "training.Certificate": _certificate,
    "planning.PlannedVisit": _visit,
    "planning.PlanEntry": _entry,
}
