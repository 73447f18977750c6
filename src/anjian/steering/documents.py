"""The campaign's documents as pure functions of data: the weekly bulletin (周调度通报, a 公文) and
its ledger annex (台账, Excel), the year's ledger export, and the bureau's closing evaluation
report (总结评估报告, a 公文). The services gather the data; nothing here reads the database."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook

from anjian.domain.steering.weeks import IsoWeek
from anjian.steering import figures
from anjian.ui.gongwen import OfficialDocument, official_document_docx, sentence
from anjian.ui.sheets import workbook_bytes, write_row

# The weekly report's narrative, as the plan names it (六（一）), in the order it is printed.
_FIELDS = ("progress", "data_note", "practices", "highlights", "cases", "problems", "next_plan")
_LABELS = ("进展情况", "相关数据", "经验做法", "亮点信息", "典型案例", "存在问题", "下周计划")
NARRATIVE_LABELS: dict[str, str] = dict(zip(_FIELDS, _LABELS, strict=True))
# The key figures the bulletin's text names (the annex has every weekly figure).
KEY_FIGURES: tuple[str, ...] = (
    *("entries_onsite", "entries_joint", "joint_share", "entries_saved", "inspections_done"),
    *("findings", "findings_closed", "findings_overdue", "cases_filed", "cases_decided"),
    *("fines", "exams", "pass_rate", "complaints_received", "complaints_closed"),
)
TABLE_FIGURES: tuple[str, ...] = ("entries_onsite", "inspections_done", "findings", "cases_filed")
SHORT = 120  # characters of one narrative field the bulletin's text keeps
SAID = 10  # figures the evaluation report's text names (its table has them all)
CN_NUMBERS = "一二三四五六七八九十"
DECIMAL = re.compile(r"-?\d+(\.\d+)?")


def cn(n: int) -> str:
    """1 → 一 … 10 → 十, then the digits."""
    return CN_NUMBERS[n - 1] if 1 <= n <= len(CN_NUMBERS) else str(n)


def short(text: str, limit: int = SHORT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "……"


def shown(value: object) -> str:
    """A figure's value as printed: "—" for nothing to show."""
    return "—" if value is None or value == "" else str(value)


# --- the weekly bulletin ----------------------------------------------------------------------


@dataclass(frozen=True)
class SectionWeek:
    """One reporting section's week as the bulletin prints it."""

    section: str
    status: str  # 按时报送 / 逾期报送 / 已退回 / 草稿 / 未报送
    filed: bool  # a submitted report: its figures count in the totals
    late: bool
    submitted_at: datetime | None  # naive local time
    figures: Mapping[str, object]
    narrative: Mapping[str, str]


@dataclass(frozen=True)
class BulletinData:
    body: str
    theme: str  # 听民意办实事
    week: IsoWeek
    summary: str
    issued_on: date
    due: str  # 周五17:00
    rows: tuple[SectionWeek, ...]
    totals: Mapping[str, object]  # every weekly figure over the filed reports


def bulletin_title(theme: str, week: IsoWeek) -> str:
    return f"关于第{week.week}周“{theme}”工作调度情况的通报"


def ledger_title(week: IsoWeek) -> str:
    return f"{week.label}周调度台账"


def _names(rows: Sequence[SectionWeek]) -> str:
    return "、".join(row.section for row in rows)


def _filing(data: BulletinData) -> str:
    on_time = [r for r in data.rows if r.filed and not r.late]
    late = [r for r in data.rows if r.filed and r.late]
    missing = [r for r in data.rows if not r.filed]
    parts = [f"本周应报送股室{len(data.rows)}个，按时报送{len(on_time)}个"]
    parts[0] += f"（{_names(on_time)}）" if on_time else ""
    if late:
        parts.append(f"逾期报送{len(late)}个（{_names(late)}）")
    parts.append(f"未报送{len(missing)}个" + (f"（{_names(missing)}）" if missing else ""))
    return "二、报送情况。" + "，".join(parts) + "。"


def _key_figures(data: BulletinData) -> str:
    said = [
        f"{figures.figure(c).label}{data.totals[c]}{figures.figure(c).unit}"
        for c in KEY_FIGURES
        if data.totals.get(c) is not None
    ]
    return "三、主要数据。各股室本周" + "，".join(said) + "。各股室数据详见附件。"


def _by_section(rows: Sequence[SectionWeek], fields: Sequence[str]) -> list[str]:
    """One paragraph per filed section naming its non-empty fields, shortened."""
    said = {
        row.section: [
            (f"{NARRATIVE_LABELS[name]}：" if len(fields) > 1 else "")
            + short(row.narrative.get(name, ""))
            for name in fields
            if row.narrative.get(name, "").strip()
        ]
        for row in rows
        if row.filed
    }
    named = [(section, texts) for section, texts in said.items() if texts]
    return [f"（{cn(n)}）{s}。" + sentence("；".join(t)) for n, (s, t) in enumerate(named, 1)]


def bulletin_paragraphs(data: BulletinData) -> list[str]:
    week = data.week
    span = f"{week.monday.month}月{week.monday.day}日至{week.sunday.month}月{week.sunday.day}日"
    opening = (
        sentence(data.summary)
        if data.summary.strip()
        else f"{span}，各股室按照专项工作方案推进各项工作。"
    )
    work = _by_section(data.rows, ("progress", "practices", "highlights", "cases"))
    problems = _by_section(data.rows, ("problems",))
    plans = _by_section(data.rows, ("next_plan",))
    return [
        f"现将{week.label}（{span}）“{data.theme}”专项工作调度情况通报如下。",
        f"一、总体情况。{opening}",
        _filing(data),
        _key_figures(data),
        "四、工作进展。" + ("" if work else "各股室本周未报告工作进展。"),
        *work,
        "五、存在问题。" + ("" if problems else "各股室本周未报告突出问题。"),
        *problems,
        "六、下周工作安排。" + ("" if plans else "各股室本周未报告下周计划。"),
        *plans,
    ]


def bulletin_docx(data: BulletinData, number: str) -> bytes:
    rows = [
        [row.section, row.status, *(shown(row.figures.get(c)) for c in TABLE_FIGURES)]
        for row in data.rows
    ]
    headers = ["股室", "报送情况", *(figures.figure(c).label for c in TABLE_FIGURES)]
    late_or_missing = any(not r.filed or r.late for r in data.rows)
    closing = [
        f"请各股室对照本通报查漏补缺，于每{data.due}前按时报送周调度报告"
        + ("；逾期或未报送的股室要说明原因，限期补报。" if late_or_missing else "。")
    ]
    return official_document_docx(
        OfficialDocument(
            issuing_body=data.body,
            document_number=number,
            title=bulletin_title(data.theme, data.week),
            recipient="局机关各股室、执法队",
            paragraphs=bulletin_paragraphs(data),
            issued_on=data.issued_on,
            copy_to=f"局“{data.theme}”工作领导小组成员",
            attachments=(f"{ledger_title(data.week)}（Excel）",),
            table=(headers, rows),
            table_caption="各股室报送情况及主要数据",
            closing=closing,
        )
    )


def _cell(value: object) -> object:
    """A figure kept as text (a Decimal) goes to Excel as a number."""
    return Decimal(value) if isinstance(value, str) and DECIMAL.fullmatch(value) else value


def figure_headers() -> list[str]:
    return [f"{figures.figure(c).label}（{figures.figure(c).unit}）" for c in figures.WEEKLY]


def ledger_xlsx(data: BulletinData) -> bytes:
    """The bulletin's annex: one row per reporting section, then the totals."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(ledger_title(data.week)[:31])
    headers = ["序号", "股室", "状态", "报送时间", "逾期报送", *figure_headers()]
    write_row(sheet, [*headers, *NARRATIVE_LABELS.values()])
    for n, row in enumerate(data.rows, start=1):
        write_row(
            sheet,
            [
                n,
                row.section,
                row.status,
                row.submitted_at,
                "是" if row.late else "否",
                *(_cell(row.figures.get(c)) for c in figures.WEEKLY),
                *(row.narrative.get(name, "") for name in NARRATIVE_LABELS),
            ],
        )
    totals = [_cell(data.totals.get(c)) for c in figures.WEEKLY]
    write_row(sheet, ["", "合计（已报送）", "", None, "", *totals])
    return workbook_bytes(book)


# --- the year's ledger export -----------------------------------------------------------------


@dataclass(frozen=True)
class LedgerCell:
    week: IsoWeek
    section: str
    status: str
    submitted_at: datetime | None
    late: bool
    returned: bool
    figures: Mapping[str, object]


def ledger_year_xlsx(title: str, cells: Sequence[LedgerCell], sections: Sequence[str]) -> bytes:
    """Every week and section of the year: one row each on the first sheet, and the weeks side
    by side per section (the status) on the second."""
    book = Workbook(write_only=True)
    rows = book.create_sheet("周调度台账")
    headers = ["周次", "起止日期", "股室", "状态", "报送时间", "逾期报送", "曾退回"]
    write_row(rows, [*headers, *figure_headers()])
    for cell in cells:
        write_row(
            rows,
            [
                cell.week.label,
                f"{cell.week.monday:%m-%d}至{cell.week.sunday:%m-%d}",
                cell.section,
                cell.status,
                cell.submitted_at,
                "是" if cell.late else "否",
                "是" if cell.returned else "否",
                *(_cell(cell.figures.get(c)) for c in figures.WEEKLY),
            ],
        )
    grid = book.create_sheet("报送情况")
    write_row(grid, [title])
    write_row(grid, ["周次", *sections])
    by_week: dict[IsoWeek, dict[str, str]] = {}
    for cell in cells:
        by_week.setdefault(cell.week, {})[cell.section] = cell.status
    for week, statuses in by_week.items():
        write_row(grid, [week.label, *(statuses.get(s, "未报送") for s in sections)])
    return workbook_bytes(book)


# --- the bureau's closing evaluation ----------------------------------------------------------


@dataclass(frozen=True)
class FigureLine:
    label: str
    unit: str
    value: object
    last_year: object
    change: str  # 下降 31.2% / 提高 5.0 个百分点 / ""
    verdict: str  # the target's verdict, "" without a target


@dataclass(frozen=True)
class SectionSummary:
    section: str
    submitted: bool
    summary: str
    results: str
    problems: str
    next_steps: str


@dataclass(frozen=True)
class MeasureLine:
    clause: str
    title: str
    lead: str
    status: str
    reason: str


@dataclass(frozen=True)
class BureauData:
    body: str
    recipient: str
    theme: str
    campaign: str
    year: int
    start: date
    end: date
    issued_on: date
    signer: str
    figures: tuple[FigureLine, ...]
    sections: tuple[SectionSummary, ...]
    measures_total: int
    measures_done: int
    accountable: tuple[MeasureLine, ...]  # not done, or done late


def evaluation_title(theme: str, year: int) -> str:
    return f"关于{year}年“{theme}”专项工作总结评估情况的报告"


def _results(data: BureauData) -> list[str]:
    said = [
        f"{x.label}{shown(x.value)}{x.unit}" + (f"，同比{x.change}" if x.change else "")
        for x in data.figures[:SAID]
        if x.value not in (None, "")
    ]
    return ["一、主要成效。" + "；".join(said) + "。主要指标同比情况见下表。"]


def _sections(data: BureauData) -> list[str]:
    found = ["二、各股室工作情况。"]
    for n, item in enumerate(data.sections, start=1):
        if not item.submitted:
            found.append(f"（{cn(n)}）{item.section}。尚未报送总结评估报告。")
            continue
        said = " ".join(t for t in (item.summary, item.results) if t.strip())
        found.append(f"（{cn(n)}）{item.section}。" + sentence(short(said, 300) or "已报送"))
    return found


def _accountability(data: BureauData) -> list[str]:
    found = [
        f"三、工作措施落实情况。方案确定的{data.measures_total}项措施中，"
        f"已完成{data.measures_done}项；未完成或逾期完成的{len(data.accountable)}项如下，"
        "由局领导小组办公室按照方案六（三）的要求督促落实、追责问责。"
        if data.accountable
        else f"三、工作措施落实情况。方案确定的{data.measures_total}项措施均已按时完成。"
    ]
    for n, m in enumerate(data.accountable, start=1):
        found.append(
            f"{n}．{m.clause} {m.title}（牵头：{m.lead or '未指定'}）：{m.status}，{m.reason}。"
        )
    return found


def _from_sections(data: BureauData, heading: str, field: str, empty: str) -> list[str]:
    said = [
        f"{s.section}：{sentence(short(getattr(s, field), 200))}"
        for s in data.sections
        if s.submitted and getattr(s, field).strip()
    ]
    return [heading + ("" if said else empty), *said]


def bureau_paragraphs(data: BureauData) -> list[str]:
    period = f"{data.start.month}月{data.start.day}日至{data.end.month}月{data.end.day}日"
    return [
        f"按照{data.campaign}的部署，现将我局{data.year}年{period}“{data.theme}”"
        "专项工作开展情况总结评估如下。",
        *_results(data),
        *_sections(data),
        *_accountability(data),
        *_from_sections(data, "四、存在问题。", "problems", "各股室未报告突出问题。"),
        *_from_sections(data, "五、下步打算。", "next_steps", "巩固专项工作成果，推动常态长效。"),
    ]


def evaluation_docx(data: BureauData, number: str) -> bytes:
    headers = ["指标", "本年", "去年同期", "同比", "目标"]
    rows = [
        [
            f"{line.label}（{line.unit}）",
            shown(line.value),
            shown(line.last_year),
            line.change or "—",
            line.verdict or "—",
        ]
        for line in data.figures
    ]
    return official_document_docx(
        OfficialDocument(
            issuing_body=data.body,
            document_number=number,
            title=evaluation_title(data.theme, data.year),
            recipient=data.recipient,
            paragraphs=bureau_paragraphs(data),
            issued_on=data.issued_on,
            table=(headers, rows),
            table_caption="主要指标同比情况",
            closing=["特此报告。"],
            signer=data.signer,
        )
    )
