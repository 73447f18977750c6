"""The campaign's published targets (目标): one per cockpit figure, e.g. on-site entries −30 %
year on year. The leadership group's office sets, changes and removes them; each step is
audited."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.steering.targets import TARGET_KINDS
from anjian.steering.access import is_office
from anjian.steering.cockpit import CODES, label_of, unit_of
from anjian.steering.models import Campaign, Target

LIMIT = Decimal("9999999.9")  # the column holds eight digits, one after the point
DENIED = "只有领导小组办公室可以发布或修改目标"


class TargetError(Exception):
    """A target refused, with the reason shown to the user."""


def target_problem(figure: str, kind: str, threshold: Decimal) -> str:
    """Empty when the target can be kept, else why not."""
    if figure not in CODES:
        return f"驾驶舱没有该指标：{figure}"
    if kind not in TARGET_KINDS:
        return f"未知的目标类型：{kind}"
    if not threshold.is_finite() or abs(threshold) > LIMIT:
        return "目标值超出范围"
    if threshold != threshold.quantize(Decimal("0.1")):
        return "目标值最多保留一位小数"
    if kind.startswith("change"):
        if threshold < -100:
            return "同比下降不能超过 100%"
        return ""
    if threshold < 0:
        return "目标值不能为负数"
    if unit_of(figure) == "%" and threshold > 100:
        return f"{label_of(figure)}是百分比，目标值不能超过 100"
    return ""


def target_save(
    *,
    actor: User,
    campaign: Campaign,
    figure: str,
    kind: str,
    threshold: Decimal,
    note: str = "",
) -> Target:
    """Publishes the figure's target, or changes the one it has."""
    if not is_office(actor, campaign):
        raise PermissionDenied(DENIED)
    problem = target_problem(figure, kind, threshold)
    if problem:
        raise TargetError(problem)
    note = note.strip()
    if len(note) > 120:
        raise TargetError("说明不能超过 120 字")
    with transaction.atomic():
        target = Target.objects.select_for_update().filter(campaign=campaign, figure=figure).first()
        before = (
            {"kind": target.kind, "threshold": str(target.threshold), "note": target.note}
            if target
            else {"kind": None, "threshold": None, "note": None}
        )
        if target is None:
            target = Target(campaign=campaign, figure=figure)
        target.kind, target.threshold, target.note = kind, threshold, note
        target.save()
        after = {"kind": kind, "threshold": str(threshold), "note": note}
        changes: dict[str, object] = {"figure": figure}
        changes.update(
            {
                key: {"before": before[key], "after": after[key]}
                for key in after
                if before[key] != after[key]
            }
        )
        action = "steering.target.update" if before["kind"] else "steering.target.create"
        audit_record(actor=actor, action=action, target=target, changes=changes)
    return target


def target_delete(*, actor: User, target: Target) -> None:
    if not is_office(actor, target.campaign):
        raise PermissionDenied(DENIED)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="steering.target.delete",
            target=target,
            changes={
                "figure": target.figure,
                "kind": {"before": target.kind, "after": None},
                "threshold": {"before": str(target.threshold), "after": None},
            },
        )
        target.delete()
