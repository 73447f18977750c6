"""Training institutions under supervision, without Django: whether an institution is suspended
on a day, the checks on a new suspension, on lifting one, on a class report (开班备案) and on a
spot check, the finding an attendance shortfall makes, and the trainee list a class reports.

A suspension covers a day when it has started (starts_on ≤ day), has not run out (not
ends_on < day) and has not been lifted (not lifted_on ≤ day): the lift date is the first day the
institution may train again. An open-ended suspension (no ends_on) runs until it is lifted."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from anjian.domain.ids import validate_id_number, validate_uscc
from anjian.domain.registry import FieldError

MAX_HOURS = Decimal("999.9")


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


@dataclass(frozen=True)
class SuspensionPeriod:
    """One decision to suspend an institution's training business."""

    starts_on: date
    ends_on: date | None = None
    lifted_on: date | None = None
    decision_number: str = ""

    def covers(self, day: date) -> bool:
        if day < self.starts_on:
            return False
        if self.ends_on is not None and self.ends_on < day:
            return False
        return not (self.lifted_on is not None and self.lifted_on <= day)

    @property
    def last_day(self) -> date | None:
        """The last day in force; None when it runs until lifted. A period lifted on or before
        its start never takes effect: its last day falls before its first."""
        ends = [d for d in (self.ends_on, self.lifted_on and self.lifted_on - timedelta(1)) if d]
        return min(ends) if ends else None

    @property
    def takes_effect(self) -> bool:
        last = self.last_day
        return last is None or last >= self.starts_on

    def overlaps(self, first: date, last: date | None) -> bool:
        """Whether any day of [first, last] (last None: no end) falls in this period."""
        if not self.takes_effect:
            return False
        own_last = self.last_day
        return (own_last is None or first <= own_last) and (last is None or self.starts_on <= last)

    def label(self) -> str:
        last = self.last_day
        end = _day(last) if last is not None else "恢复之日"
        return f"{_day(self.starts_on)}至{end}"


@dataclass(frozen=True)
class InstitutionStatus:
    """正常 or 暂停中 on a day, with the last day of the suspension (None: open-ended)."""

    suspended: bool
    until: date | None = None
    decision_number: str = ""
    next_start: date | None = None  # a decided suspension that has not started yet

    @property
    def label(self) -> str:
        if not self.suspended:
            if self.next_start is not None:
                return f"正常（{_day(self.next_start)}起暂停）"
            return "正常"
        if self.until is None:
            return "暂停中（未定期限，待恢复）"
        return f"暂停中（至{_day(self.until)}）"


def suspension_on(periods: Iterable[SuspensionPeriod], day: date) -> SuspensionPeriod | None:
    """The suspension in force on the day, if any."""
    return next((p for p in periods if p.covers(day)), None)


def is_suspended(periods: Iterable[SuspensionPeriod], day: date) -> bool:
    return suspension_on(periods, day) is not None


def institution_status(periods: Sequence[SuspensionPeriod], day: date) -> InstitutionStatus:
    """The status on the day. Back-to-back suspensions count as one: `until` is the last day
    before the institution may train again."""
    current = suspension_on(periods, day)
    if current is None:
        upcoming = sorted(p.starts_on for p in periods if p.takes_effect and p.starts_on > day)
        return InstitutionStatus(False, next_start=upcoming[0] if upcoming else None)
    until = current.last_day
    while until is not None:
        following = suspension_on(periods, until + timedelta(1))
        if following is None:
            break
        until = following.last_day
    return InstitutionStatus(True, until=until, decision_number=current.decision_number)


def suspension_errors(
    *,
    decided_on: date,
    starts_on: date,
    ends_on: date | None,
    existing: Iterable[SuspensionPeriod],
) -> list[FieldError]:
    """A new suspension: it starts on or after its decision, ends on or after its start, and
    overlaps no suspension already decided (and not lifted before it would meet it)."""
    errors: list[FieldError] = []
    if starts_on < decided_on:
        errors.append(FieldError("starts_on", "BEFORE_DECISION", "暂停起始日不得早于决定日期"))
    if ends_on is not None and ends_on < starts_on:
        errors.append(FieldError("ends_on", "END_BEFORE_START", "暂停截止日不得早于起始日"))
        return errors
    for period in existing:
        if period.overlaps(starts_on, ends_on):
            number = f"（{period.decision_number}）" if period.decision_number else ""
            errors.append(
                FieldError(
                    "starts_on",
                    "OVERLAP",
                    f"与已作出的暂停决定{number}的暂停期{period.label()}重叠",
                )
            )
    return errors


def lift_errors(period: SuspensionPeriod, *, lifted_on: date, decided_on: date) -> list[FieldError]:
    """Lifting early: not twice, not before the decision, not after the suspension ran out."""
    if period.lifted_on is not None:
        return [FieldError("lifted_on", "ALREADY_LIFTED", f"已于{_day(period.lifted_on)}恢复")]
    if lifted_on < decided_on:
        return [FieldError("lifted_on", "BEFORE_DECISION", "恢复日期不得早于暂停决定日期")]
    if period.ends_on is not None and lifted_on > period.ends_on:
        message = f"暂停期已于{_day(period.ends_on)}届满，届满后自动恢复，无需提前恢复"
        return [FieldError("lifted_on", "AFTER_END", message)]
    return []


def class_report_errors(
    *,
    starts_on: date,
    ends_on: date,
    hours: Decimal,
    today: date,
    suspensions: Sequence[SuspensionPeriod],
) -> list[FieldError]:
    """开班备案: dates in order, hours positive, and no day of the class (nor the day of the
    report) while the institution is suspended."""
    errors: list[FieldError] = []
    current = suspension_on(suspensions, today)
    if current is not None:
        status = institution_status(suspensions, today)
        message = f"本机构培训业务{status.label}，暂停期间不得开班备案"
        errors.append(FieldError("__all__", "SUSPENDED", message))
    if ends_on < starts_on:
        errors.append(FieldError("ends_on", "END_BEFORE_START", "结业日期不得早于开班日期"))
    if hours <= 0:
        errors.append(FieldError("hours", "HOURS", "学时应大于0"))
    elif hours > MAX_HOURS:
        errors.append(FieldError("hours", "HOURS", f"学时不得超过{MAX_HOURS}"))
    if current is None and ends_on >= starts_on:
        for period in suspensions:
            if period.overlaps(starts_on, ends_on):
                message = f"培训期间与暂停期{period.label()}重叠，暂停期间不得开班"
                errors.append(FieldError("starts_on", "IN_SUSPENSION", message))
    return errors


def attendance_finding(reported: int | None, found: int | None) -> str | None:
    """The finding an attendance count makes: fewer trainees present than reported (or more,
    which means trainees outside the reported list)."""
    if reported is None or found is None or reported == found:
        return None
    if found < reported:
        return f"实到{found}人，少于报告在训人数{reported}人，缺{reported - found}人"
    return f"实到{found}人，多于报告在训人数{reported}人，有{found - reported}人未报告"


def spot_check_errors(
    *,
    checked_on: date,
    today: date,
    outcome: str,
    findings: str,
    attendance_reported: int | None,
    attendance_found: int | None,
    class_period: tuple[date, date] | None,
) -> list[FieldError]:
    """A spot check happens during the class it names, not in the future; a check that finds a
    problem (written, or a short attendance) cannot conclude 未发现问题, and one that concludes
    otherwise must say what it found."""
    errors: list[FieldError] = []
    if checked_on > today:
        errors.append(FieldError("checked_on", "FUTURE", "抽查日期不得晚于今天"))
    if class_period is not None and not class_period[0] <= checked_on <= class_period[1]:
        period = f"{_day(class_period[0])}至{_day(class_period[1])}"
        errors.append(
            FieldError("checked_on", "OUTSIDE_CLASS", f"抽查日期不在该班次培训期间（{period}）")
        )
    problem = bool(findings.strip()) or (
        attendance_finding(attendance_reported, attendance_found) is not None
    )
    if outcome == "compliant" and problem:
        message = "已记录发现的问题（或实到人数与报告不符），结论不能为“未发现问题”"
        errors.append(FieldError("outcome", "INCONSISTENT", message))
    if outcome != "compliant" and not problem:
        errors.append(FieldError("findings", "REQUIRED", "结论为发现问题时，须写明发现的问题"))
    return errors


# ---- the trainee list of a class -------------------------------------------------------------

PASSED = {"合格", "是", "通过", "y", "yes", "true", "1", "√", "✓"}
FAILED = {"不合格", "否", "未通过", "n", "no", "false", "0", "×", "✗"}
SEPARATOR = re.compile(r"[,，\t;；]")
COLUMNS = "姓名,身份证号,企业统一社会信用代码,合格"


@dataclass(frozen=True)
class TraineeRow:
    line: int
    name: str
    id_number: str
    enterprise_uscc: str
    passed: bool


@dataclass(frozen=True)
class TraineeError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行：{self.message}"


def _passed(raw: str) -> bool | None:
    value = raw.strip().lower()
    if value in PASSED:
        return True
    if value in FAILED:
        return False
    return None


def _row_problems(cells: list[str]) -> list[str]:
    if len(cells) != 4:
        return [f"应为4项（{COLUMNS}），实为{len(cells)}项"]
    name, id_number, uscc, passed = cells
    problems = []
    if not name:
        problems.append("姓名必填")
    elif len(name) > 40:
        problems.append("姓名不得超过40个字")
    for check in (validate_id_number(id_number), validate_uscc(uscc)):
        if not check.valid:
            problems.append(str(check.reason))
    if _passed(passed) is None:
        problems.append(f"“{passed}”不是有效的考核结果（填合格或不合格）")
    return problems


def trainee_rows_from_cells(
    rows: Iterable[tuple[int, Sequence[str]]],
) -> tuple[list[TraineeRow], list[TraineeError]]:
    """Checks each (line number, cells) row; an ID number listed twice is an error on the
    second line. All rows are checked; the caller writes nothing when any error is found."""
    found: list[TraineeRow] = []
    errors: list[TraineeError] = []
    seen: dict[str, int] = {}
    for line, raw_cells in rows:
        cells = [cell.strip() for cell in raw_cells]
        problems = _row_problems(cells)
        if problems:
            errors.append(TraineeError(line, "；".join(problems)))
            continue
        id_number = cells[1].upper()
        if id_number in seen:
            errors.append(TraineeError(line, f"身份证号与第{seen[id_number]}行重复"))
            continue
        seen[id_number] = line
        passed = _passed(cells[3]) is True
        found.append(TraineeRow(line, cells[0], id_number, cells[2].upper(), passed))
    return found, errors


def parse_trainee_text(text: str) -> tuple[list[TraineeRow], list[TraineeError]]:
    """One trainee a line: 姓名,身份证号,企业统一社会信用代码,合格 (commas, full-width commas,
    tabs or semicolons between). Blank lines and a first line of headers are skipped; line
    numbers count every line, as the user sees them."""
    rows: list[tuple[int, Sequence[str]]] = []
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or (not rows and raw.strip().startswith("姓名")):
            continue
        rows.append((line, SEPARATOR.split(raw.strip())))
    if not rows:
        return [], [TraineeError(1, "名单为空，请每行填写一名学员")]
    return trainee_rows_from_cells(rows)
