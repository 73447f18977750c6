"""Excel import of a section's planned visits: the same two steps as every import (a dry run that
lists every bad row, then a commit that writes all rows or none, re-checked)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import localdate as today

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.rules.vocab import ACTIVITIES
from anjian.planning.models import PlanningMonth
from anjian.planning.services import VisitRequest, planned_visit_submit, visit_errors
from anjian.registry.access import visible_enterprises
from anjian.registry.imports import ImportCheck, ImportRejected
from anjian.registry.spreadsheets import (
    CellError,
    Column,
    Lookups,
    ParsedRow,
    choice_cell,
    date_cell,
    parse_rows,
    read_rows,
    template_workbook,
    text_cell,
    yes_no_cell,
)


def _codes(value: Any, lookups: Lookups) -> tuple[str, ...]:
    text = text_cell(value, lookups)
    for separator in ("，", ",", "；", ";", " ", "\n"):
        text = text.replace(separator, "、")
    return tuple(code for code in text.split("、") if code)


def _uscc(value: Any, lookups: Lookups) -> str:
    text = text_cell(value, lookups).upper()
    if text and len(text) != 18:
        raise CellError(f"统一社会信用代码应为 18 位，实为 {len(text)} 位")
    return text


COLUMNS: tuple[Column, ...] = (
    Column("统一社会信用代码", "uscc", _uscc, required=True, note="本股室监管范围内的企业"),
    Column("企业名称", "name", text_cell, note="仅供核对，以统一社会信用代码为准"),
    Column(
        "入企活动",
        "activity",
        choice_cell(ACTIVITIES, "入企活动"),
        required=True,
        choices=tuple(ACTIVITIES.values()),
    ),
    Column("检查事项编码", "item_codes", _codes, note="本局公布清单中的事项编码，多个用顿号分隔"),
    Column("最早日期", "earliest", date_cell, required=True, note="计划月份内，如 2026-12-03"),
    Column("最晚日期", "latest", date_cell, required=True, note="计划月份内，不早于最早日期"),
    Column("可非现场检查", "remote_ok", yes_no_cell, choices=("是", "否")),
    Column("备注", "note", text_cell, note="整改复查、调查核实须写明依据（文书或举报编号）"),
)
HEADERS = {column.field: column.header for column in COLUMNS}


def planned_visit_template() -> bytes:
    return template_workbook(COLUMNS, "计划入企")


def _request(user: User, row: ParsedRow, firms: dict[str, Any]) -> VisitRequest | None:
    values = row.values
    firm = firms.get(values.get("uscc") or "")
    if values.get("uscc") and firm is None:
        row.errors.append((HEADERS["uscc"], "本股室监管范围内没有该企业"))
    if row.errors or firm is None:
        return None
    return VisitRequest(
        enterprise=firm,
        activity=values["activity"],
        item_codes=values.get("item_codes") or (),
        earliest=values["earliest"],
        latest=values["latest"],
        remote_ok=bool(values.get("remote_ok")),
        note=values.get("note") or "",
    )


def _check(user: User, planning_month: PlanningMonth, data: bytes) -> tuple[ImportCheck, list]:  # type: ignore[type-arg]
    try:
        raw = read_rows(data, COLUMNS)
    except CellError as exc:
        return ImportCheck(rows=[], file_error=str(exc)), []
    if not raw:
        return ImportCheck(rows=[], file_error="文件中没有数据行"), []
    rows = parse_rows(raw, COLUMNS, Lookups())
    firms = {
        f.uscc: f for f in visible_enterprises(user).filter(supervising_body=planning_month.body)
    }
    requests = [_request(user, row, firms) for row in rows]
    seen = Counter((r.enterprise.pk, r.activity) for r in requests if r)
    for row, request in zip(rows, requests, strict=True):
        if request is None:
            continue
        if seen[request.enterprise.pk, request.activity] > 1:
            row.errors.append((HEADERS["uscc"], "文件中该企业的同类计划重复"))
        for field, messages in visit_errors(user, planning_month, request, today()).items():
            header = HEADERS.get(field, "整行")
            row.errors.extend((header, message) for message in messages)
    return ImportCheck(rows=rows), requests


def planned_visit_import_check(
    *, user: User, planning_month: PlanningMonth, data: bytes
) -> ImportCheck:
    return _check(user, planning_month, data)[0]


def planned_visit_import_commit(*, actor: User, planning_month: PlanningMonth, data: bytes) -> int:
    with transaction.atomic():
        check, requests = _check(actor, planning_month, data)
        if not check.ok:
            raise ImportRejected(check)
        try:
            for request in requests:
                planned_visit_submit(
                    actor=actor, planning_month=planning_month, request=request, today=today()
                )
        except ValidationError:
            raise ImportRejected(check) from None
        audit_record(
            actor=actor,
            action="planned_visit.import",
            target=planning_month,
            changes={"rows": {"before": 0, "after": len(requests)}},
        )
    return len(requests)
