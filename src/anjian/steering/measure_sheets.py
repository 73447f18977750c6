"""The campaign's measures in Excel: a template, the two-step import (a dry run listing every bad
row, then a commit writing all rows or none, checked again) and the export with each measure's
status. A row whose 条款 the campaign already has changes that measure; the others are added.
Reuses the registry's column readers and import steps (`registry/spreadsheets.py`,
`registry/imports.py`) and `ui/sheets.py` through them."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from typing import Any

from django.db import transaction

from anjian.accounts.models import Section, User
from anjian.audit.services import audit_record
from anjian.registry.imports import ImportCheck, ImportRejected
from anjian.registry.spreadsheets import (
    Column,
    Lookups,
    ParsedRow,
    date_cell,
    export_workbook,
    parse_rows,
    read_rows,
    template_workbook,
    text_cell,
    yes_no_cell,
)
from anjian.steering.access import require_office
from anjian.steering.models import Campaign, Measure
from anjian.steering.selectors import body_sections, campaign_measures, state_of
from anjian.steering.services.measures import (
    MeasureData,
    measure_create,
    measure_errors,
    measure_update,
)
from anjian.ui.sheets import CellError

SHEET = "工作措施"
NAME_SEPARATORS = re.compile(r"[、，,；;\s]+")
MONTH_DAY = re.compile(r"^(\d{1,2})[-/.月](\d{1,2})日?$")


def _deadline(year: int) -> Any:
    """完成时限: a full date, or a month-day (04-30, 4月30日) in the campaign's year."""

    def parse(value: Any, lookups: Lookups) -> date | None:
        text = text_cell(value, lookups)
        match = MONTH_DAY.match(text) if isinstance(value, str) else None
        if match is None:
            return date_cell(value, lookups)  # type: ignore[no-any-return]
        try:
            return date(year, int(match[1]), int(match[2]))
        except ValueError:
            raise CellError(f"日期“{text}”不存在") from None

    return parse


def _names(value: Any, lookups: Lookups) -> tuple[str, ...]:
    return tuple(name for name in NAME_SEPARATORS.split(text_cell(value, lookups)) if name)


def columns(campaign: Campaign) -> tuple[Column, ...]:
    return (
        Column("条款", "clause", text_cell, required=True, note="如 三（二）2；已有的条款将被更新"),
        Column("措施", "title", text_cell, required=True, note="措施名称，不超过120字"),
        Column("内容", "content", text_cell, note="措施内容"),
        Column("牵头股室", "lead", text_cell, note="本单位股室名称，如 法制办"),
        Column("配合股室", "supporting", _names, note="本单位股室名称，多个用顿号（、）分隔"),
        Column(
            "各业务股室分工负责",
            "all_sections",
            yes_no_cell,
            choices=("是", "否"),
            note="“是”：由各业务股室和执法队分工负责",
        ),
        Column(
            "完成时限",
            "deadline",
            _deadline(campaign.year),
            note=f"如 {campaign.year}-04-30 或 04-30；方案未规定时限的留空",
        ),
    )


def measure_template(campaign: Campaign) -> bytes:
    return template_workbook(columns(campaign), SHEET)


def _data(row: ParsedRow, sections: dict[str, Section]) -> MeasureData | None:
    values = row.values
    lead = None
    if values.get("lead"):
        lead = sections.get(values["lead"])
        if lead is None:
            row.errors.append(("牵头股室", f"本单位没有名为“{values['lead']}”的股室"))
    supporting = []
    for name in values.get("supporting") or ():
        if name not in sections:
            row.errors.append(("配合股室", f"本单位没有名为“{name}”的股室"))
        elif sections[name] not in supporting:
            supporting.append(sections[name])
    if row.errors:
        return None
    return MeasureData(
        clause=values.get("clause") or "",
        title=values.get("title") or "",
        content=values.get("content") or "",
        lead_section=lead,
        supporting_sections=tuple(supporting),
        all_sections=bool(values.get("all_sections")),
        deadline=values.get("deadline"),
    )


HEADERS = {
    "clause": "条款",
    "title": "措施",
    "content": "内容",
    "lead_section": "牵头股室",
    "supporting_sections": "配合股室",
    "all_sections": "各业务股室分工负责",
    "deadline": "完成时限",
}


def _check(campaign: Campaign, content: bytes) -> tuple[ImportCheck, list[MeasureData | None]]:
    try:
        raw = read_rows(content, columns(campaign))
    except CellError as error:
        return ImportCheck(rows=[], file_error=str(error)), []
    if not raw:
        return ImportCheck(rows=[], file_error="文件中没有数据行。"), []
    rows = parse_rows(raw, columns(campaign), Lookups())
    sections = {s.name: s for s in body_sections(campaign)}
    existing = {m.clause: m for m in Measure.objects.filter(campaign=campaign)}
    counts = Counter(str(row.values.get("clause") or "") for row in rows)
    found: list[MeasureData | None] = []
    for row in rows:
        data = _data(row, sections)
        clause = str(row.values.get("clause") or "")
        if clause and counts[clause] > 1:
            row.errors.append(("条款", f"文件中条款“{clause}”重复"))
        if data is not None:
            errors = measure_errors(campaign, data, measure=existing.get(data.clause.strip()))
            for field, messages in errors.items():
                row.errors.extend((HEADERS.get(field, "整行"), m) for m in messages)
        found.append(data if not row.errors else None)
    return ImportCheck(rows=rows), found


def measure_import_check(*, user: User, campaign: Campaign, data: bytes) -> ImportCheck:
    """The dry run: every row read and checked, nothing written."""
    require_office(user, campaign)
    return _check(campaign, data)[0]


def measure_import_commit(*, actor: User, campaign: Campaign, data: bytes) -> int:
    """Every row added or changed, or none (ImportRejected with the new errors)."""
    require_office(actor, campaign)
    with transaction.atomic():
        check, rows = _check(campaign, data)
        if not check.ok:
            raise ImportRejected(check)
        existing = {m.clause: m for m in Measure.objects.filter(campaign=campaign)}
        added = 0
        for item in rows:
            assert item is not None
            measure = existing.get(item.clause.strip())
            if measure is None:
                measure_create(actor=actor, campaign=campaign, data=item)
                added += 1
            else:
                measure_update(actor=actor, measure=measure, data=item)
        audit_record(
            actor=actor,
            action="steering.measure.import",
            target=campaign,
            changes={"rows": len(rows), "added": added, "changed": len(rows) - added},
        )
    return len(rows)


EXPORT_HEADERS = [
    "条款",
    "措施",
    "内容",
    "牵头股室",
    "配合股室",
    "各业务股室分工负责",
    "完成时限",
    "状态",
    "完成日期",
    "逾期完成",
    "佐证数",
    "进展说明",
]


def measures_workbook(campaign: Campaign, today: date) -> bytes:
    """The measures as the template reads them, then their status on `today`; an export imports
    back unchanged (the extra columns are ignored)."""
    rows = []
    for measure in campaign_measures(campaign):
        state = state_of(measure, today)
        rows.append(
            [
                measure.clause,
                measure.title,
                measure.content,
                measure.lead_section.name if measure.lead_section else "",
                "、".join(s.name for s in measure.supporting_sections.all()),
                "是" if measure.all_sections else "否",
                measure.deadline,
                state.label,
                measure.done_on,
                "是" if state.late else "否",
                getattr(measure, "evidence_count", 0),
                measure.progress_note,
            ]
        )
    return export_workbook(SHEET, EXPORT_HEADERS, rows)
