"""Every figure the weekly dispatch, the evaluation and the cockpit show, and the records behind
each. A figure's value is computed from the same query its drill-down lists, so the two always
agree. The queries live in the areas' `figure_selectors.py`; this module only names them.

To add a figure: write the query in the area that owns the records, add one `Figure` below."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from anjian.domain.steering.slices import RecordSlice
from anjian.domain.steering.targets import share
from anjian.enforcement import figure_selectors as penalties
from anjian.inspections import figure_selectors as inspections
from anjian.planning import figure_selectors as planning
from anjian.policy import figure_selectors as entries
from anjian.training import figure_selectors as training

Records = Callable[[RecordSlice], QuerySet[Any]]


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    unit: str
    group: str
    records: Records | None = None  # the records counted (and listed on the drill-down)
    total: Callable[[RecordSlice], int] | None = None  # a sum instead of a count
    ratio: tuple[str, str] | None = None  # a share: (numerator, denominator) figure codes
    date_field: str | None = None  # the records' date, for series by month; None: a snapshot
    note: str = ""

    @property
    def drillable(self) -> bool:
        return self.records is not None

    @property
    def is_share(self) -> bool:
        return self.ratio is not None


def _next_week(s: RecordSlice) -> QuerySet[Any]:
    return entries.onsite_entries(s.between(s.end + timedelta(days=1), s.end + timedelta(days=7)))


FIGURES: tuple[Figure, ...] = (
    # 入企 (entries)
    Figure("entries_onsite", "现场入企", "次", "入企", entries.onsite_entries, date_field="date"),
    Figure(
        "entries_next_week",
        "下周已安排现场入企",
        "次",
        "入企",
        _next_week,
        note="统计期结束后 7 天内已登记的现场入企",
    ),
    Figure("entries_joint", "联合检查入企", "次", "入企", entries.joint_entries, date_field="date"),
    Figure("joint_share", "联合检查占比", "%", "入企", ratio=("entries_joint", "entries_onsite")),
    Figure(
        "visits_merged",
        "并入联合检查的计划入企",
        "次",
        "入企",
        planning.merged_visits,
        date_field="planning_month__month",
    ),
    Figure(
        "entries_saved",
        "合并节省入企",
        "次",
        "入企",
        planning.merged_entries,
        total=planning.entries_saved,
        date_field="date",
        note="合并入企所含计划次数减去合并后的入企次数",
    ),
    Figure("entries_remote", "非现场检查", "次", "入企", entries.remote_entries, date_field="date"),
    Figure("remote_share", "非现场检查占比", "%", "入企", ratio=("entries_remote", "entries_all")),
    Figure("entries_all", "入企（含非现场）", "次", "入企", entries.entries, date_field="date"),
    Figure(
        "entries_quiet", "安静期内入企", "次", "入企", entries.quiet_day_entries, date_field="date"
    ),
    Figure(
        "quiet_exceptions",
        "安静期例外申请",
        "件",
        "入企",
        entries.quiet_exceptions,
        date_field="requested_at",
    ),
    Figure(
        "near_cap", "接近年度频次上限的企业", "家", "入企", entries.near_cap, note="剩余不超过 1 次"
    ),
    # 检查与整改 (inspections)
    Figure(
        "inspections_done",
        "完成检查",
        "次",
        "检查",
        inspections.inspections_done,
        date_field="date",
    ),
    Figure("findings", "发现隐患", "项", "检查", inspections.findings, date_field="recorded_at"),
    Figure(
        "orders_issued",
        "下达整改指令",
        "份",
        "检查",
        inspections.orders_issued,
        date_field="issued_on",
    ),
    Figure(
        "findings_closed",
        "整改销号",
        "项",
        "检查",
        inspections.findings_closed,
        date_field="closed_at",
    ),
    Figure(
        "findings_closed_on_time",
        "按期整改销号",
        "项",
        "检查",
        inspections.findings_closed_on_time,
        date_field="closed_at",
    ),
    Figure(
        "on_time_rate",
        "整改按期率",
        "%",
        "检查",
        ratio=("findings_closed_on_time", "findings_closed"),
    ),
    Figure("findings_overdue", "逾期未整改隐患", "项", "检查", inspections.findings_overdue),
    # 处罚 (penalties)
    Figure("cases_filed", "立案", "件", "处罚", penalties.cases_filed, date_field="filed_on"),
    Figure(
        "cases_decided", "作出决定", "件", "处罚", penalties.cases_decided, date_field="decided_on"
    ),
    Figure(
        "fines",
        "罚款金额",
        "元",
        "处罚",
        penalties.cases_decided,
        total=penalties.fines_decided,
        date_field="decided_on",
    ),
    Figure(
        "cases_no_penalty",
        "不予处罚",
        "件",
        "处罚",
        penalties.cases_no_penalty,
        date_field="decided_on",
    ),
    Figure(
        "cases_lenient", "从轻处罚", "件", "处罚", penalties.cases_lenient, date_field="decided_on"
    ),
    Figure(
        "no_penalty_share", "不予处罚占比", "%", "处罚", ratio=("cases_no_penalty", "cases_decided")
    ),
    Figure("lenient_share", "从轻处罚占比", "%", "处罚", ratio=("cases_lenient", "cases_decided")),
    Figure(
        "cases_review_required",
        "须法制审核的决定",
        "件",
        "处罚",
        penalties.cases_review_required,
        date_field="decided_on",
    ),
    Figure(
        "cases_reviewed",
        "经法制审核的决定",
        "件",
        "处罚",
        penalties.cases_reviewed,
        date_field="decided_on",
    ),
    Figure(
        "review_coverage",
        "法制审核覆盖率",
        "%",
        "处罚",
        ratio=("cases_reviewed", "cases_review_required"),
    ),
    # 培训考试 (training)
    Figure("exams", "逢查必考场次", "场", "培训", training.exams, date_field="opened_at"),
    Figure(
        "attempts", "参考人次", "人次", "培训", training.attempts_finished, date_field="finished_at"
    ),
    Figure(
        "attempts_passed",
        "合格人次",
        "人次",
        "培训",
        training.attempts_passed,
        date_field="finished_at",
    ),
    Figure("pass_rate", "考试合格率", "%", "培训", ratio=("attempts_passed", "attempts")),
    Figure(
        "certificates_expiring",
        "30 日内到期证书",
        "本",
        "培训",
        training.certificates_expiring,
        note="统计期结束后 30 天内到期、持证人仍在岗",
    ),
    # 投诉 (complaints)
    Figure(
        "complaints_received",
        "收到投诉",
        "件",
        "投诉",
        inspections.complaints_received,
        date_field="filed_at",
    ),
    Figure(
        "complaints_closed",
        "办结投诉",
        "件",
        "投诉",
        inspections.complaints_closed,
        date_field="handled_at",
    ),
)

BY_CODE: dict[str, Figure] = {figure.code: figure for figure in FIGURES}

# The weekly report's figures, in the order the form shows them.
WEEKLY: tuple[str, ...] = (
    "entries_onsite",
    "entries_next_week",
    "entries_joint",
    "joint_share",
    "visits_merged",
    "entries_saved",
    "entries_quiet",
    "quiet_exceptions",
    "near_cap",
    "inspections_done",
    "findings",
    "orders_issued",
    "findings_closed",
    "findings_overdue",
    "cases_filed",
    "cases_decided",
    "fines",
    "cases_no_penalty",
    "cases_lenient",
    "exams",
    "attempts",
    "pass_rate",
    "certificates_expiring",
    "complaints_received",
    "complaints_closed",
)


def figure(code: str) -> Figure:
    try:
        return BY_CODE[code]
    except KeyError:
        raise ValueError(f"未知的统计指标：{code}") from None


Value = int | Decimal | None


def values(codes: tuple[str, ...] | list[str], s: RecordSlice) -> dict[str, Value]:
    """The figures' values over one slice: one query per counted figure, shares from those."""
    wanted = list(codes)
    for code in codes:
        ratio = figure(code).ratio
        if ratio:
            wanted += [c for c in ratio if c not in wanted]
    result: dict[str, Value] = {}
    for code in wanted:
        spec = figure(code)
        if spec.total is not None:
            result[code] = spec.total(s)
        elif spec.records is not None:
            result[code] = spec.records(s).count()
    for code in wanted:
        ratio = figure(code).ratio
        if ratio:
            part, whole = (result[c] for c in ratio)
            result[code] = share(int(part or 0), int(whole or 0))
    return {code: result[code] for code in codes}


def as_json(value: Value) -> int | str | None:
    """A value as the weekly report keeps it (Decimals as text, to stay exact)."""
    return str(value) if isinstance(value, Decimal) else value
