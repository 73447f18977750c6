"""Training institutions without a database: the suspension coverage rule (hypothesis), the
status with its end date, the checks on a new suspension, a lift, a class report and a spot
check, the attendance finding, and the trainee list's rows."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.training.institutions import (
    SuspensionPeriod,
    attendance_finding,
    class_report_errors,
    institution_status,
    is_suspended,
    lift_errors,
    parse_trainee_text,
    spot_check_errors,
    suspension_errors,
    trainee_rows_from_cells,
)

D = date(2026, 3, 1)
ID_A = "11010519491231002X"
ID_B = "110105194912310046"
USCC = "91141121000000010T"


def day(offset: int) -> date:
    return D + timedelta(offset)


days = st.integers(min_value=-40, max_value=40).map(day)
maybe_days = st.none() | days


@st.composite
def periods(draw: st.DrawFn) -> SuspensionPeriod:
    return SuspensionPeriod(draw(days), draw(maybe_days), draw(maybe_days), "文应急培停〔2026〕1号")


# ---- coverage ----------------------------------------------------------------------------------


@given(periods(), days)
def test_coverage_is_the_stated_rule(period: SuspensionPeriod, when: date) -> None:
    expected = (
        period.starts_on <= when
        and not (period.ends_on is not None and period.ends_on < when)
        and not (period.lifted_on is not None and period.lifted_on <= when)
    )
    assert period.covers(when) is expected


@given(periods(), days)
def test_covered_days_lie_between_start_and_last_day(period: SuspensionPeriod, when: date) -> None:
    last = period.last_day
    inside = period.starts_on <= when and (last is None or when <= last)
    assert period.covers(when) is inside


@given(periods(), days, days)
def test_overlap_agrees_with_coverage(period: SuspensionPeriod, a: date, b: date) -> None:
    first, last = min(a, b), max(a, b)
    any_covered = any(period.covers(first + timedelta(n)) for n in range((last - first).days + 1))
    assert period.overlaps(first, last) is any_covered


@given(st.lists(periods(), max_size=4), days)
def test_status_agrees_with_coverage(found: list[SuspensionPeriod], when: date) -> None:
    status = institution_status(found, when)
    assert status.suspended is is_suspended(found, when)
    if status.suspended and status.until is not None:
        assert is_suspended(found, status.until)
        assert not is_suspended(found, status.until + timedelta(1))


@given(st.lists(periods(), max_size=3), days, maybe_days)
def test_an_accepted_suspension_never_overlaps_one_in_force(
    existing: list[SuspensionPeriod], start: date, end: date | None
) -> None:
    errors = suspension_errors(decided_on=start, starts_on=start, ends_on=end, existing=existing)
    if not errors:
        new = SuspensionPeriod(start, end)
        for n in range(-45, 46):
            when = day(n)
            assert not (new.covers(when) and is_suspended(existing, when)), when


def test_the_lift_day_is_the_first_day_of_training_again() -> None:
    period = SuspensionPeriod(day(0), day(30), lifted_on=day(10))
    assert period.covers(day(9)) and not period.covers(day(10))
    assert period.last_day == day(9)
    assert not SuspensionPeriod(day(0), day(30)).covers(day(31))
    assert SuspensionPeriod(day(0), None).covers(day(400))


def test_status_labels_and_back_to_back_suspensions() -> None:
    first = SuspensionPeriod(day(0), day(9), decision_number="A")
    second = SuspensionPeriod(day(10), day(20), decision_number="B")
    status = institution_status([first, second], day(3))
    assert status.suspended and status.until == day(20) and status.decision_number == "A"
    assert status.label == "暂停中（至2026年3月21日）"
    assert institution_status([first], day(-2)).label == "正常（2026年3月1日起暂停）"
    assert institution_status([first], day(11)).label == "正常"
    open_ended = institution_status([SuspensionPeriod(day(0))], day(5))
    assert open_ended.until is None and open_ended.label == "暂停中（未定期限，待恢复）"


# ---- checks ------------------------------------------------------------------------------------


def _codes(errors: list) -> list[str]:  # type: ignore[type-arg]
    return [e.code for e in errors]


def test_a_new_suspension_is_checked() -> None:
    in_force = SuspensionPeriod(day(0), day(30), decision_number="文应急培停〔2026〕1号")
    errors = suspension_errors(decided_on=day(5), starts_on=day(3), ends_on=day(1), existing=[])
    assert _codes(errors) == ["BEFORE_DECISION", "END_BEFORE_START"]
    errors = suspension_errors(
        decided_on=day(5), starts_on=day(20), ends_on=None, existing=[in_force]
    )
    assert _codes(errors) == ["OVERLAP"]
    assert "文应急培停〔2026〕1号" in errors[0].message
    assert "2026年3月1日至2026年3月31日" in errors[0].message
    lifted = SuspensionPeriod(day(0), day(30), lifted_on=day(10))
    assert (
        suspension_errors(decided_on=day(10), starts_on=day(10), ends_on=None, existing=[lifted])
        == []
    )


def test_lifting_is_checked() -> None:
    period = SuspensionPeriod(day(0), day(30))
    assert lift_errors(period, lifted_on=day(10), decided_on=day(0)) == []
    assert _codes(lift_errors(period, lifted_on=day(-1), decided_on=day(0))) == ["BEFORE_DECISION"]
    assert _codes(lift_errors(period, lifted_on=day(31), decided_on=day(0))) == ["AFTER_END"]
    lifted = SuspensionPeriod(day(0), day(30), lifted_on=day(5))
    assert _codes(lift_errors(lifted, lifted_on=day(6), decided_on=day(0))) == ["ALREADY_LIFTED"]


def test_a_class_cannot_be_reported_while_suspended() -> None:
    suspended = [SuspensionPeriod(day(0), day(30))]
    errors = class_report_errors(
        starts_on=day(40), ends_on=day(42), hours=Decimal(8), today=day(5), suspensions=suspended
    )
    assert _codes(errors) == ["SUSPENDED"]
    assert errors[0].message == "本机构培训业务暂停中（至2026年3月31日），暂停期间不得开班备案"
    errors = class_report_errors(
        starts_on=day(-5), ends_on=day(2), hours=Decimal(8), today=day(-10), suspensions=suspended
    )
    assert _codes(errors) == ["IN_SUSPENSION"]
    errors = class_report_errors(
        starts_on=day(2), ends_on=day(1), hours=Decimal(0), today=day(-10), suspensions=[]
    )
    assert _codes(errors) == ["END_BEFORE_START", "HOURS"]
    ok = class_report_errors(
        starts_on=day(31),
        ends_on=day(33),
        hours=Decimal("16.5"),
        today=day(31),
        suspensions=suspended,
    )
    assert ok == []


def test_attendance_shortfall_is_a_finding() -> None:
    assert attendance_finding(40, 31) == "实到31人，少于报告在训人数40人，缺9人"
    assert attendance_finding(40, 42) == "实到42人，多于报告在训人数40人，有2人未报告"
    assert attendance_finding(40, 40) is None
    assert attendance_finding(None, 3) is None


def test_a_spot_check_is_checked() -> None:
    common = {"today": day(0), "attendance_reported": None, "attendance_found": None}
    errors = spot_check_errors(
        checked_on=day(1), outcome="compliant", findings="", class_period=None, **common
    )
    assert _codes(errors) == ["FUTURE"]
    errors = spot_check_errors(
        checked_on=day(0),
        outcome="problems",
        findings="",
        class_period=(day(-9), day(-3)),
        **common,
    )
    assert _codes(errors) == ["OUTSIDE_CLASS", "REQUIRED"]
    short = {"today": day(0), "attendance_reported": 40, "attendance_found": 30}
    errors = spot_check_errors(
        checked_on=day(0), outcome="compliant", findings="", class_period=None, **short
    )
    assert _codes(errors) == ["INCONSISTENT"]
    assert (
        spot_check_errors(
            checked_on=day(0), outcome="problems", findings="", class_period=None, **short
        )
        == []
    )


# ---- the trainee list ----------------------------------------------------------------------------


def test_a_trainee_list_is_read_line_by_line() -> None:
    text = (
        "姓名,身份证号,企业统一社会信用代码,合格\n"
        f"张三,{ID_A},{USCC},合格\n\n李四，{ID_B.lower()}，{USCC.lower()}，不合格\n"
    )
    rows, errors = parse_trainee_text(text)
    assert errors == []
    assert [(r.line, r.name, r.id_number, r.enterprise_uscc, r.passed) for r in rows] == [
        (2, "张三", ID_A, USCC, True),
        (4, "李四", ID_B, USCC, False),
    ]


def test_every_bad_trainee_line_is_named() -> None:
    text = "\n".join(
        [
            f"张三,{ID_A},{USCC},合格",
            f"王五,110105194912310045,{USCC},合格",
            f"赵六,{ID_B},91141121000000010X,也许",
            "孙七,只有两项",
            f"张三,{ID_A},{USCC},合格",
        ]
    )
    rows, errors = parse_trainee_text(text)
    assert [r.line for r in rows] == [1]
    assert [str(e) for e in errors] == [
        "第2行：校验码错误：第18位应为6，实为5",
        "第3行：校验码错误：第18位应为T，实为X；“也许”不是有效的考核结果（填合格或不合格）",
        "第4行：应为4项（姓名,身份证号,企业统一社会信用代码,合格），实为2项",
        "第5行：身份证号与第1行重复",
    ]
    assert [str(e) for e in parse_trainee_text("\n \n")[1]] == [
        "第1行：名单为空，请每行填写一名学员"
    ]


def test_sheet_rows_keep_their_numbers() -> None:
    rows, errors = trainee_rows_from_cells(
        [(2, ["张三", ID_A, USCC, "是"]), (3, ["", ID_B, USCC, "否"])]
    )
    assert [r.line for r in rows] == [2]
    assert [str(e) for e in errors] == ["第3行：姓名必填"]
