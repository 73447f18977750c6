"""The results of one on-site exam as Excel: the exam's settings, one row per attempt (score,
pass/fail, ability and its standard error, why it ended) and every answer."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from anjian.domain.exam.questions import KINDS, TOPICS
from anjian.training.models import ExamAnswer, ExamAttempt, FieldExam
from anjian.training.services.exams import STOP_LABELS, job_labels
from anjian.ui.sheets import workbook_bytes, write_row

ATTEMPT_HEADERS = (
    "序号",
    "姓名",
    "岗位",
    "身份证后四位",
    "已登记人员",
    "开始时间",
    "交卷时间",
    "作答题数",
    "答对题数",
    "能力估计",
    "标准误",
    "折算分",
    "是否合格",
    "结束原因",
)
ANSWER_HEADERS = (
    "姓名",
    "题序",
    "题目编号",
    "知识点",
    "题型",
    "作答",
    "正确答案",
    "对错",
    "作答时间",
)


def _local(moment: datetime | None) -> datetime | None:
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None)


def _bold_header(sheet: object, headers: tuple[str, ...]) -> None:
    write_row(sheet, headers)  # type: ignore[arg-type]
    for cell in sheet[1]:  # type: ignore[index]
        cell.font = Font(bold=True)


def _info(book: Workbook, exam: FieldExam) -> None:
    sheet = book.active
    sheet.title = "考试信息"
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 18, 60
    rows = [
        ("被检查单位", exam.enterprise.name),
        ("检查任务", f"{exam.task.date:%Y-%m-%d} {exam.task.get_activity_display()}"),
        ("考试岗位", job_labels(exam.jobs)),
        ("组卷方式", exam.get_mode_display()),
        ("最多题数", exam.max_items),
        ("精度要求（标准误）", exam.min_se if exam.min_se is not None else "不设，只按题数"),
        ("合格分", exam.pass_mark),
        ("开考时间", _local(exam.opened_at)),
        ("截止时间", _local(exam.closes_at)),
        ("结束时间", _local(exam.closed_at)),
    ]
    for row in rows:
        write_row(sheet, list(row))


def _end_label(attempt: ExamAttempt) -> str:
    """How the attempt ended: the stop rule, or an officer's 中止/作废 with the reason."""
    if attempt.ended:
        return f"{attempt.get_ended_display()}：{attempt.end_reason}"
    return STOP_LABELS.get(attempt.stop_reason, attempt.stop_reason) or "未交卷"


def _attempts(book: Workbook, exam: FieldExam) -> None:
    sheet = book.create_sheet("成绩")
    _bold_header(sheet, ATTEMPT_HEADERS)
    attempts = exam.attempts.annotate(
        n_items=Count("answers", filter=Q(answers__answered_at__isnull=False)),
        n_right=Count("answers", filter=Q(answers__correct=True)),
    ).order_by("started_at", "pk")
    for n, a in enumerate(attempts, start=1):
        write_row(
            sheet,
            [
                n,
                a.name,
                a.get_job_display(),
                a.id_last4,
                "是" if a.person_id else "否",
                _local(a.started_at),
                _local(a.finished_at),
                a.n_items,
                a.n_right,
                None if a.theta is None else round(a.theta, 3),
                None if a.se is None else round(a.se, 3),
                a.score,
                "" if a.passed is None else ("合格" if a.passed else "不合格"),
                _end_label(a),
            ],
        )


def _answers(book: Workbook, exam: FieldExam) -> None:
    sheet = book.create_sheet("作答明细")
    _bold_header(sheet, ANSWER_HEADERS)
    rows = (
        ExamAnswer.objects.filter(attempt__exam=exam, answered_at__isnull=False)
        .select_related("attempt", "question")
        .order_by("attempt__started_at", "attempt_id", "position")
    )
    for row in rows:
        write_row(
            sheet,
            [
                row.attempt.name,
                row.position,
                row.question.code,
                TOPICS.get(row.question.topic, row.question.topic),
                KINDS.get(row.question.kind, row.question.kind),
                row.response,
                row.question.answer,
                "对" if row.correct else "错",
                _local(row.answered_at),
            ],
        )


def results_workbook(exam: FieldExam) -> bytes:
    book = Workbook()
    _info(book, exam)
    _attempts(book, exam)
    _answers(book, exam)
    return workbook_bytes(book)
