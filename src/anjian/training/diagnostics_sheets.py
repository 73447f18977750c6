"""The enterprise's diagnostics as an Excel workbook: the summary and job types, the topics with
their bands and verdicts, the topics to train with the reasons, and the exams over time."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from anjian.training.services.diagnostics import EnterpriseReport, Group, TopicRow
from anjian.ui.sheets import workbook_bytes, write_row

THIN = "数据不足"


def _rate(group: Group) -> str | float:
    return round(100 * group.pass_rate, 1) if group.enough else THIN


def _verdict(topic: TopicRow) -> str:
    if not topic.enough:
        return THIN
    return "建议培训" if topic.train else "未见明显短板"


def _sheet(book: Workbook, title: str, header: list[str], widths: list[int]) -> Worksheet:
    sheet = book.create_sheet(title)
    write_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJ", widths, strict=False):
        sheet.column_dimensions[column].width = width
    return sheet


def _summary(book: Workbook, report: EnterpriseReport) -> None:
    sheet = book.active
    assert sheet is not None
    sheet.title = "概况"
    period = report.period
    write_row(sheet, ["企业", report.enterprise.name])
    write_row(sheet, ["考试日期自", period.start.isoformat() if period.start else "（不限）"])
    write_row(sheet, ["至", period.end.isoformat() if period.end else "（不限）"])
    write_row(sheet, ["合格分（固定试卷折算）", period.pass_mark])
    write_row(sheet, [])
    write_row(
        sheet, ["岗位", "参考人次", "人数", "作答题数", "合格人次", "合格率（%）", "平均折算分"]
    )
    for group in (report.overall, *report.jobs):
        write_row(
            sheet,
            [
                group.label,
                group.persons,
                group.workers,
                group.answers,
                group.passed,
                _rate(group),
                round(group.mean_score, 1),
            ],
        )
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 40


def enterprise_workbook(report: EnterpriseReport) -> bytes:
    book = Workbook()
    _summary(book, report)
    topics = _sheet(
        book,
        "知识点",
        ["岗位", "知识点", "掌握程度（%）", "下限（%）", "上限（%）", "作答数", "人次", "结论"],
        [18, 30, 14, 12, 12, 10, 8, 14],
    )
    for group in (report.overall, *report.jobs):
        for t in group.topics:
            write_row(
                topics,
                [
                    group.label,
                    t.label,
                    round(t.percent, 1),
                    round(t.low, 1),
                    round(t.high, 1),
                    t.answers,
                    t.persons,
                    _verdict(t),
                ],
            )
    train = _sheet(book, "建议培训", ["顺序", "知识点", "掌握程度（%）", "理由"], [8, 30, 14, 80])
    for n, t in enumerate(report.overall.to_train, start=1):
        write_row(train, [n, t.label, round(t.percent, 1), "；".join(t.reasons)])
    trend = _sheet(
        book,
        "历次检查",
        ["考试日期", "检查任务", "参考人次", "作答题数", "合格率（%）", "平均折算分"],
        [14, 30, 10, 10, 12, 12],
    )
    for point in report.trend:
        write_row(
            trend,
            [
                point.day.isoformat(),
                point.task_label,
                point.group.persons,
                point.group.answers,
                _rate(point.group),
                round(point.group.mean_score, 1),
            ],
        )
    return workbook_bytes(book)
