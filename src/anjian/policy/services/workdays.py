"""The office's table of holidays and make-up workdays (节假日与调休): add a day, delete a day.
Each change is audited; deadlines already issued keep their dates."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.policy.models import WorkdayOverride
from anjian.policy.workdays import calendar_covers, calendar_is_workday

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def _kind(is_workday: bool) -> str:
    return "调休上班" if is_workday else "法定节假日"


def _pointless(day: date, is_workday: bool) -> str | None:
    """Why the entry would change nothing, or None when it does change the day."""
    if calendar_is_workday(day) != is_workday:
        return None
    weekday = WEEKDAYS[day.weekday()]
    already = "工作日" if is_workday else "休息日"
    source = "节假日数据" if calendar_covers(day.year) else "周一至周五及固定节日规则"
    return f"{day:%Y-%m-%d}（{weekday}）按{source}已是{already}，无需登记为{_kind(is_workday)}"


def _changes(row: WorkdayOverride) -> dict[str, object]:
    return {
        "date": row.date.isoformat(),
        "is_workday": row.is_workday,
        "kind": _kind(row.is_workday),
        "note": row.note,
    }


def workday_override_add(
    *, actor: User | None, day: date, is_workday: bool, note: str = ""
) -> WorkdayOverride:
    """Enter one holiday (is_workday False) or make-up workday (True) for `day`."""
    note = note.strip()
    if len(note) > 60:
        raise ValidationError({"note": ["说明不超过 60 个字"]})
    if WorkdayOverride.objects.filter(date=day).exists():
        raise ValidationError({"date": [f"{day:%Y-%m-%d} 已经登记过，如需更改请先删除原记录"]})
    reason = _pointless(day, is_workday)
    if reason:
        raise ValidationError({"kind": [reason]})
    try:
        with transaction.atomic():
            row = WorkdayOverride.objects.create(
                date=day, is_workday=is_workday, note=note, created_by=actor
            )
            audit_record(actor=actor, action="workday.add", target=row, changes=_changes(row))
    except IntegrityError as exc:  # someone entered the same day at the same moment
        raise ValidationError({"date": [f"{day:%Y-%m-%d} 已经登记过"]}) from exc
    return row


def workday_override_delete(*, actor: User | None, override: WorkdayOverride) -> None:
    with transaction.atomic():
        row = WorkdayOverride.objects.select_for_update().filter(pk=override.pk).first()
        if row is None:
            raise ValidationError("该记录已被删除")
        audit_record(actor=actor, action="workday.delete", target=row, changes=_changes(row))
        row.delete()
