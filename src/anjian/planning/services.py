"""Writes of the planning area: the office opens a month for submissions with a cut-off date and
may close it early; a section submits planned visits (enterprise, activity, items from the item
list, a window of days, whether remote will do) and may withdraw them until the cut-off."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from anjian.accounts.models import EnforcementBody, User
from anjian.audit.services import audit_record
from anjian.domain.rules.vocab import ACTIVITIES
from anjian.planning.models import PlannedVisit, PlanningMonth
from anjian.policy.selectors import NoRuleSetInForce, items_for_enterprise, ruleset_in_force
from anjian.registry.access import visible_enterprises
from anjian.registry.models import Enterprise

# Activities that inspect: they must name items of the published list (清单之外无检查).
INSPECTING = frozenset({"enforcement_inspection", "supervision_inspection"})


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def planning_month_open(
    *, actor: User, body: EnforcementBody, month: date, cutoff: date, today: date
) -> PlanningMonth:
    month = month.replace(day=1)
    errors: dict[str, list[str]] = {}
    if month < today.replace(day=1):
        errors["month"] = ["不能为已经过去的月份收集计划"]
    if cutoff < today:
        errors["cutoff"] = ["截止日期不能早于今天"]
    elif cutoff >= month_end(month):
        errors["cutoff"] = [f"截止日期应早于 {month_end(month)}（当月最后一天）"]
    if PlanningMonth.objects.filter(body=body, month=month).exists():
        errors["month"] = [f"{month:%Y年%m月} 已在收集计划"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = PlanningMonth.objects.create(body=body, month=month, cutoff=cutoff, opened_by=actor)
        audit_record(
            actor=actor,
            action="planning_month.open",
            target=row,
            changes={"cutoff": {"before": None, "after": cutoff.isoformat()}},
        )
    return row


def require_office(actor: User, planning_month: PlanningMonth) -> None:
    """Only the office of the month's body opens, closes, plans and approves a month."""
    if not actor.can("planning.manage"):
        raise PermissionDenied("只有办公室可以截止、统筹、调整和批准月度计划")
    if actor.body_id != planning_month.body_id:
        raise ValidationError("只能截止、统筹、调整和批准本局的月度计划")


def planning_month_close(*, actor: User, planning_month: PlanningMonth) -> PlanningMonth:
    require_office(actor, planning_month)
    if planning_month.status != PlanningMonth.Status.OPEN:
        raise ValidationError("该月计划已截止")
    with transaction.atomic():
        planning_month.status = PlanningMonth.Status.CLOSED
        planning_month.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="planning_month.close",
            target=planning_month,
            changes={"status": {"before": "open", "after": "closed"}},
        )
    return planning_month


def accepting(planning_month: PlanningMonth, today: date) -> bool:
    return planning_month.status == PlanningMonth.Status.OPEN and today <= planning_month.cutoff


@dataclass(frozen=True)
class VisitRequest:
    enterprise: Enterprise
    activity: str
    item_codes: tuple[str, ...]
    earliest: date
    latest: date
    remote_ok: bool = False
    note: str = ""


def _scope_errors(
    actor: User, planning_month: PlanningMonth, request: VisitRequest, today: date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if actor.section_id is None or actor.body_id != planning_month.body_id:
        errors.setdefault("__all__", []).append("只有本局的业务股室（或执法队）账号可以报送计划")
    if not accepting(planning_month, today):
        errors.setdefault("__all__", []).append(f"报送已于 {planning_month.cutoff} 截止")
    firm = request.enterprise
    if (
        firm.supervising_body_id != planning_month.body_id
        or not visible_enterprises(actor).filter(pk=firm.pk).exists()
    ):
        errors["enterprise"] = ["该企业不属于本股室监管范围"]
    elif PlannedVisit.objects.filter(
        planning_month=planning_month,
        section_id=actor.section_id,
        enterprise=firm,
        activity=request.activity,
    ).exists():
        errors["enterprise"] = ["本股室已报送该企业的同类计划，请修改原计划或先撤回"]
    return errors


def _content_errors(planning_month: PlanningMonth, request: VisitRequest) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    first, last = planning_month.month, month_end(planning_month.month)
    if not first <= request.earliest <= last or not first <= request.latest <= last:
        errors["earliest"] = [f"时间窗应在 {first} 至 {last} 之内"]
    if request.latest < request.earliest:
        errors["latest"] = ["最晚日期不能早于最早日期"]
    listed = {item.code for item in items_for_enterprise(request.enterprise)}
    outside = [code for code in request.item_codes if code not in listed]
    if outside:
        errors["item_codes"] = [f"不在本局公布的检查事项清单（该企业行业）中：{'、'.join(outside)}"]
    elif request.activity in INSPECTING and not request.item_codes:
        errors["item_codes"] = ["检查类活动须选择检查事项（清单之外无检查）"]
    if request.activity not in ACTIVITIES:
        errors["activity"] = [f"未知的入企活动：{request.activity}"]
        return errors
    try:
        rule = ruleset_in_force(planning_month.month).rules().activities[request.activity]
    except NoRuleSetInForce as exc:
        errors.setdefault("__all__", []).append(str(exc))
        return errors
    if rule.needs_ground and not request.note.strip():
        errors["note"] = [
            f"{rule.label}须在备注中写明依据（如整改指令书编号、举报件编号），批准时登记为入企依据"
        ]
    return errors


def visit_errors(
    actor: User, planning_month: PlanningMonth, request: VisitRequest, today: date
) -> dict[str, list[str]]:
    errors = _scope_errors(actor, planning_month, request, today)
    for field, messages in _content_errors(planning_month, request).items():
        errors.setdefault(field, []).extend(messages)
    return errors


def planned_visit_submit(
    *, actor: User, planning_month: PlanningMonth, request: VisitRequest, today: date
) -> PlannedVisit:
    errors = visit_errors(actor, planning_month, request, today)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = PlannedVisit.objects.create(
            planning_month=planning_month,
            section_id=actor.section_id,
            enterprise=request.enterprise,
            activity=request.activity,
            item_codes=list(request.item_codes),
            earliest=request.earliest,
            latest=request.latest,
            remote_ok=request.remote_ok,
            note=request.note.strip(),
            submitted_by=actor,
        )
        audit_record(
            actor=actor,
            action="planned_visit.submit",
            target=visit,
            changes={
                "enterprise": {"before": None, "after": request.enterprise.name},
                "window": {"before": None, "after": f"{request.earliest}～{request.latest}"},
            },
        )
    return visit


def planned_visit_withdraw(*, actor: User, visit: PlannedVisit, today: date) -> None:
    if visit.section_id != actor.section_id:
        raise ValidationError("只能撤回本股室报送的计划")
    if not accepting(visit.planning_month, today):
        raise ValidationError("报送已截止，计划不能再撤回；请联系办公室")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="planned_visit.withdraw",
            target=visit,
            changes={"enterprise": {"before": visit.enterprise.name, "after": None}},
        )
        visit.delete()
