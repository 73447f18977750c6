"""Check-in with the entry code and check-out: who entered, when, and where the phone was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.inspections.access import require_task_officer
from anjian.inspections.codes import CodeState, check_code
from anjian.inspections.models import InspectionTask


@dataclass(frozen=True)
class Position:
    lat: Decimal
    lng: Decimal
    accuracy: int | None = None


def parse_position(lat: object, lng: object, accuracy: object = None) -> Position | None:
    """A position from the phone, or None when it gave none. Nonsense is refused."""
    if lat in (None, "") and lng in (None, ""):
        return None
    try:
        la, ln = (
            Decimal(str(lat)).quantize(Decimal("0.000001")),
            Decimal(str(lng)).quantize(Decimal("0.000001")),
        )
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"position": ["定位数据无法识别"]}) from exc
    if not (la.is_finite() and ln.is_finite()) or not (-90 <= la <= 90 and -180 <= ln <= 180):
        raise ValidationError({"position": ["定位数据超出范围"]})
    acc: int | None = None
    if accuracy not in (None, ""):
        try:
            acc = max(0, min(int(float(str(accuracy))), 100000))
        except ValueError:
            acc = None
    return Position(la, ln, acc)


def check_in(
    *, actor: User, code: str, today: date, position: Position | None = None
) -> InspectionTask:
    """Check in to an on-site inspection with its code, on its day, as one of its officers."""
    verdict = check_code(code, today)
    if verdict.task is None or verdict.state not in {CodeState.VALID}:
        if verdict.state == CodeState.OTHER_DAY and verdict.task is not None:
            raise ValidationError(
                f"检查日期为 {verdict.task.date:%Y年%m月%d日}，不是今天，不能签到"
            )
        raise ValidationError(verdict.message)
    task = verdict.task
    require_task_officer(actor, task)
    if not task.is_on_site:
        raise ValidationError("非现场检查无需签到")
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        if task.status != InspectionTask.Status.APPROVED:
            raise ValidationError(
                "该检查已签到" if task.checked_in_at else "该检查任务当前不能签到"
            )
        task.status = InspectionTask.Status.IN_PROGRESS
        task.checked_in_at, task.checked_in_by = timezone.now(), actor
        if position is not None:
            task.checkin_lat, task.checkin_lng = position.lat, position.lng
            task.checkin_accuracy = position.accuracy
        task.save()
        audit_record(
            actor=actor,
            action="inspection.check_in",
            target=task,
            changes={"position": [str(position.lat), str(position.lng)] if position else None},
        )
    return task


def check_out(
    *, actor: User, task: InspectionTask, position: Position | None = None
) -> InspectionTask:
    require_task_officer(actor, task)
    with transaction.atomic():
        task = InspectionTask.objects.select_for_update().get(pk=task.pk)
        if task.checked_in_at is None:
            raise ValidationError("尚未签到，不能签退")
        if task.checked_out_at is not None:
            raise ValidationError("已经签退")
        task.checked_out_at = timezone.now()
        if position is not None:
            task.checkout_lat, task.checkout_lng = position.lat, position.lng
        task.save(update_fields=["checked_out_at", "checkout_lat", "checkout_lng"])
        audit_record(actor=actor, action="inspection.check_out", target=task, changes={})
    return task
