"""The annual supervision plan in the app: generated from the registry and the rule set, then
walked through its approval (office drafts and reviews, the bureau head approves and it goes to
the county government, whose approval is recorded with date and document number). Each month's
planned enforcement visits are checked against the approved plan (off-plan visits are flagged)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.accounts.models import EnforcementBody, User
from anjian.accounts.roles import Role
from anjian.audit.services import audit_record
from anjian.domain.planning.annual import AnnualFirm, AnnualResult, Budget, annual_plan
from anjian.domain.registry import MINE_SECTORS, SECTORS, is_high_risk
from anjian.domain.rules.engine import annual_counts
from anjian.planning.models import AnnualPlan, AnnualPlanLine, PlannedVisit, PlanningMonth
from anjian.policy.models import QuietMonth
from anjian.policy.selectors import (
    NoRuleSetInForce,
    enterprise_facts,
    entry_history,
    quiet_days,
    ruleset_in_force,
)
from anjian.policy.workdays import calendar_covers, month_days, uncovered_note, workday_lookup
from anjian.registry.models import Enterprise, Officer

DEFAULT_SHARE = Decimal("0.40")


def inspection_days(body: EnforcementBody, year: int) -> tuple[int, dict[int, int], list[str]]:
    """Working days of the year, inspection days per month (working days outside the quiet
    period, read through the one `quiet_days`: declared days, or the default pattern of a month
    nobody declared) and notes."""
    notes = [] if calendar_covers(year) else [uncovered_note(year)]
    quiet = quiet_days(body.pk, date(year, 1, 1), date(year, 12, 31))
    total, capacity = 0, {}
    is_workday = workday_lookup(date(year, 1, 1), date(year, 12, 31))
    for month in range(1, 13):
        workdays = [d for d in month_days(date(year, month, 1)) if is_workday(d)]
        total += len(workdays)
        capacity[month] = len([d for d in workdays if d not in quiet])
    declared = set(
        QuietMonth.objects.filter(body=body, month__year=year).values_list(
            "month__month", flat=True
        )
    )
    undeclared = [month for month in range(1, 13) if month not in declared]
    if undeclared:
        months = "、".join(f"{m}月" for m in undeclared)
        notes.append(f"{months}未设置安静期，按默认安静期计算")
    return total, capacity, notes


@dataclass(frozen=True)
class KeyTest:
    key: bool
    reason: str


def key_enterprise(enterprise: Enterprise) -> KeyTest:
    """Major hazard sources, mines and the other high-risk sectors (the registry's one
    definition, `HIGH_RISK_SECTORS`: 工贸 is not among them) are key enterprises."""
    if enterprise.major_hazard:
        return KeyTest(True, "重大危险源")
    if enterprise.sector in MINE_SECTORS:
        return KeyTest(True, f"{SECTORS[enterprise.sector]}")
    if is_high_risk(enterprise.sector):
        return KeyTest(True, f"高危行业（{SECTORS[enterprise.sector]}）")
    return KeyTest(False, "")


def annual_plan_generate(
    *, actor: User, body: EnforcementBody, year: int, share: Decimal, today: date
) -> AnnualPlan:
    """A new draft (or a fresh draft replacing the current one) for the year."""
    errors = _generate_errors(actor, body, year, share, today)
    try:
        rules = ruleset_in_force(date(year, 1, 1) if year > today.year else today).rules()
    except NoRuleSetInForce as exc:
        errors.append(str(exc))
    if errors:
        raise ValidationError(errors)
    existing = AnnualPlan.objects.filter(body=body, year=year).first()
    firms = list(
        Enterprise.objects.filter(supervising_body=body, is_deleted=False, status="operating")
    )
    officers = Officer.objects.filter(
        body=body, is_deleted=False, certificate_valid_until__gte=date(year, 1, 1)
    ).count()
    working_days, capacity, notes = inspection_days(body, year)
    budget = Budget(officers, working_days, float(share))
    caps, keys = {}, {}
    for firm in firms:
        history = entry_history(firm.pk, date(year, 1, 1), date(year, 12, 31))
        counts, _label = annual_counts(rules, enterprise_facts(firm), history, year)
        caps[firm.pk] = counts.cap, counts.remaining
        keys[firm.pk] = key_enterprise(firm)
    result = annual_plan(
        [AnnualFirm(str(f.pk), caps[f.pk][1], keys[f.pk].key) for f in firms],
        capacity,
        budget,
        seed=year,
    )
    notes += _result_notes(result)
    with transaction.atomic():
        if existing:
            existing.lines.all().delete()
            plan = existing
        else:
            plan = AnnualPlan(body=body, year=year, created_by=actor)
        plan.officers, plan.working_days, plan.share = officers, working_days, share
        plan.budget, plan.seed, plan.notes = budget.inspections, year, notes
        plan.utilisation = Decimal(str(round(result.utilisation, 3)))
        plan.history = [*plan.history, _step(actor, "编制草稿")]
        plan.save()
        AnnualPlanLine.objects.bulk_create(
            AnnualPlanLine(
                plan=plan,
                enterprise=firm,
                months=result.months[str(firm.pk)],
                cap=caps[firm.pk][0],
                remaining=caps[firm.pk][1],
                key=keys[firm.pk].key,
                key_reason=keys[firm.pk].reason,
            )
            for firm in firms
        )
        audit_record(
            actor=actor,
            action="annual_plan.generate",
            target=plan,
            changes={"inspections": {"before": None, "after": result.inspections}},
        )
    return plan


def _result_notes(result: AnnualResult) -> list[str]:
    notes = []
    if result.utilisation > 1:
        notes.append(
            f"工作日利用率 {result.utilisation:.0%}：重点企业检查已超出预算，请增加人员或比例"
        )
    if result.left_out:
        notes.append(f"预算内未能安排的一般企业 {len(result.left_out)} 家（随机抽取）")
    if result.key_without_room:
        notes.append(f"年度频次已用完的重点企业 {len(result.key_without_room)} 家")
    return notes


def _generate_errors(
    actor: User, body: EnforcementBody, year: int, share: Decimal, today: date
) -> list[str]:
    existing = AnnualPlan.objects.filter(body=body, year=year).first()
    errors = []
    if actor.role != Role.OFFICE or actor.body_id != body.pk:
        errors.append("只有本局办公室可以编制年度计划")
    if existing and existing.status != AnnualPlan.Status.DRAFT:
        errors.append(f"{year} 年度计划已{existing.get_status_display()}，不能重新编制")
    if not Decimal("0.05") <= share <= Decimal("1"):
        errors.append("用于检查的工作日比例应在 5% 至 100% 之间")
    if year < today.year:
        errors.append("不能为已经过去的年度编制计划")
    return errors


def _step(actor: User, action: str, note: str = "") -> dict[str, str]:
    return {
        "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "by": actor.display_name or actor.username,
        "action": action,
        "note": note,
    }


S = AnnualPlan.Status
# action -> (from status, to status, role that may take it, words for the record)
TRANSITIONS: dict[str, tuple[str, str, str, str]] = {
    "submit": (S.DRAFT, S.OFFICE_REVIEW, Role.OFFICE, "提交办公室审核"),
    "office_pass": (S.OFFICE_REVIEW, S.HEAD_REVIEW, Role.OFFICE, "办公室审核通过，报局领导审定"),
    "office_return": (S.OFFICE_REVIEW, S.DRAFT, Role.OFFICE, "办公室退回修改"),
    "head_approve": (S.HEAD_REVIEW, S.SUBMITTED, Role.BUREAU_HEAD, "局领导审定，报县政府"),
    "head_return": (S.HEAD_REVIEW, S.DRAFT, Role.BUREAU_HEAD, "局领导退回修改"),
    "record_approval": (S.SUBMITTED, S.APPROVED, Role.OFFICE, "登记县政府批准"),
}


def actions_for(actor: User, plan: AnnualPlan) -> list[tuple[str, str]]:
    if actor.body_id != plan.body_id:
        return []
    return [
        (name, words)
        for name, (source, _target, role, words) in TRANSITIONS.items()
        if source == plan.status and actor.role == role
    ]


def annual_plan_advance(
    *,
    actor: User,
    plan: AnnualPlan,
    action: str,
    note: str = "",
    document_number: str = "",
    approved_on: date | None = None,
    today: date,
) -> AnnualPlan:
    if action not in dict(actions_for(actor, plan)):
        raise ValidationError(f"当前状态（{plan.get_status_display()}）下您不能执行该操作")
    source, target, _role, words = TRANSITIONS[action]
    if action.endswith("return") and not note.strip():
        raise ValidationError({"note": ["退回须写明修改意见"]})
    if action == "record_approval":
        errors: dict[str, list[str]] = {}
        if not document_number.strip():
            errors["document_number"] = ["请填写县政府批准文号"]
        if approved_on is None or approved_on > today:
            errors["approved_on"] = ["请填写批准日期（不晚于今天）"]
        if errors:
            raise ValidationError(errors)
        plan.document_number, plan.approved_on = document_number.strip(), approved_on
    with transaction.atomic():
        plan.status = target
        plan.history = [*plan.history, _step(actor, words, note.strip())]
        plan.save()
        audit_record(
            actor=actor,
            action=f"annual_plan.{action}",
            target=plan,
            changes={"status": {"before": source, "after": target}},
        )
    return plan


EDITABLE = (AnnualPlan.Status.DRAFT, AnnualPlan.Status.OFFICE_REVIEW)


def annual_line_update(
    *, actor: User, line: AnnualPlanLine, months: list[int], key: bool, key_reason: str
) -> AnnualPlanLine:
    """The office adjusts one enterprise's line while the plan is a draft or under its review:
    its months, and whether it is a key enterprise (e.g. last year's serious violations)."""
    plan = line.plan
    errors: dict[str, list[str]] = {}
    if actor.role != Role.OFFICE or actor.body_id != plan.body_id:
        errors["__all__"] = ["只有本局办公室可以调整年度计划"]
    elif plan.status not in EDITABLE:
        errors["__all__"] = [f"年度计划已{plan.get_status_display()}，不能再调整"]
    if len(set(months)) != len(months) or not all(1 <= m <= 12 for m in months):
        errors["months"] = ["月份应为 1–12 月，且不重复"]
    elif len(months) > line.remaining:
        errors["months"] = [f"计划 {len(months)} 次超过该企业本年度剩余频次 {line.remaining} 次"]
    elif key and line.remaining > 0 and not months:
        errors["months"] = ["重点企业每年至少检查一次"]
    if key and not key_reason.strip():
        errors["key_reason"] = ["请写明列为重点企业的原因（如上年度存在重大违法行为）"]
    if errors:
        raise ValidationError(errors)
    before = {"months": line.months, "key": line.key}
    with transaction.atomic():
        line.months, line.key = sorted(months), key
        line.key_reason = key_reason.strip() if key else ""
        line.save(update_fields=["months", "key", "key_reason"])
        total = sum(len(m) for m in plan.lines.values_list("months", flat=True))
        officer_days = plan.officers * plan.working_days * float(plan.share)
        plan.utilisation = Decimal(str(round(total * 2 / officer_days, 3))) if officer_days else 0
        plan.history = [*plan.history, _step(actor, f"调整 {line.enterprise.name}")]
        plan.save(update_fields=["utilisation", "history"])
        audit_record(
            actor=actor,
            action="annual_plan.line_update",
            target=plan,
            changes={"line": {"before": before, "after": {"months": line.months, "key": key}}},
        )
    return line


def off_plan_visits(planning_month: PlanningMonth) -> set[int] | None:
    """Enforcement visits of the month that the approved annual plan does not foresee (the
    enterprise is not planned for that month); None while the year has no approved plan."""
    plan = AnnualPlan.objects.filter(
        body_id=planning_month.body_id,
        year=planning_month.month.year,
        status=AnnualPlan.Status.APPROVED,
    ).first()
    if plan is None:
        return None
    month = planning_month.month.month
    planned = {
        enterprise_id
        for enterprise_id, months in plan.lines.values_list("enterprise_id", "months")
        if month in months
    }
    visits = PlannedVisit.objects.filter(
        planning_month=planning_month, activity="enforcement_inspection"
    ).values_list("pk", "enterprise_id")
    return {pk for pk, enterprise_id in visits if enterprise_id not in planned}
