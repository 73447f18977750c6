"""The campaign and its plan: creating one (blank, or from a shipped work plan), its settings,
its phases and milestones. Writes are the leadership group office's (`access.is_office`); `actor`
None is a system load (the demo). Each change is audited in its own transaction.

The measures are in `services/measures.py`, the leadership group and office in
`services/people.py`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import EnforcementBody, Section, User
from anjian.audit.services import audit_record
from anjian.policy_data.campaigns import SECTION_KINDS, PlanMeasure, WorkPlan
from anjian.steering.access import require_office
from anjian.steering.models import Campaign, LeadershipMember, Measure, Phase

Errors = dict[str, list[str]]


def require_plan_office(actor: User | None, campaign: Campaign) -> None:
    """The office of the campaign (or a system load)."""
    if actor is not None:
        require_office(actor, campaign)


def json_value(value: Any) -> Any:
    """A value as an audit entry keeps it."""
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {"before": json_value(before.get(name)), "after": json_value(after[name])}
        for name in after
        if before.get(name) != after[name]
    }


def raise_errors(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


# -- the campaign ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignSettings:
    """What the office may set on a campaign: its title, goal and plan number, and the weekly
    dispatch (period, due weekday and time, grace days before a week closes)."""

    title: str
    reports_from: date
    reports_until: date
    goal: str = ""
    document: str = ""
    report_weekday: int = 4
    report_time: time = time(17, 0)
    report_grace_days: int = 3


def settings_errors(year: int, settings: CampaignSettings) -> Errors:
    errors: Errors = {}
    if not settings.title.strip():
        errors["title"] = ["请填写名称"]
    elif len(settings.title.strip()) > 120:
        errors["title"] = ["名称不能超过 120 个字"]
    if len(settings.document.strip()) > 80:
        errors["document"] = ["方案文号不能超过 80 个字"]
    if settings.reports_from.year != year:
        errors["reports_from"] = [f"周调度开始日期应在 {year} 年内"]
    if settings.reports_until.year != year:
        errors["reports_until"] = [f"周调度结束日期应在 {year} 年内"]
    elif settings.reports_until < settings.reports_from:
        errors["reports_until"] = ["周调度结束日期早于开始日期"]
    if not 0 <= settings.report_weekday <= 6:
        errors["report_weekday"] = ["报送日应为周一至周日"]
    if not 0 <= settings.report_grace_days <= 14:
        errors["report_grace_days"] = ["补报宽限天数应在 0 至 14 天之间"]
    return errors


def _clean(settings: CampaignSettings) -> dict[str, Any]:
    values = asdict(settings)
    for name in ("title", "goal", "document"):
        values[name] = values[name].strip()
    return values


def _require_body_office(actor: User | None, body: EnforcementBody) -> None:
    if actor is None:
        return
    if not actor.can("steering.office") or body.pk not in body_scope_ids(actor):
        raise PermissionDenied("只有办公室可以为本单位创建专项工作")


def _new_campaign(
    actor: User | None, body: EnforcementBody, year: int, settings: CampaignSettings
) -> Campaign:
    _require_body_office(actor, body)
    errors = settings_errors(year, settings)
    if not 2000 <= year <= 2100:
        errors["year"] = ["年度不正确"]
    elif Campaign.objects.filter(body=body, year=year).exists():
        errors["year"] = [f"{body.name}{year}年度的专项工作已经建立"]
    raise_errors(errors)
    return Campaign.objects.create(body=body, year=year, created_by=actor, **_clean(settings))


def campaign_create(
    *,
    actor: User | None,
    body: EnforcementBody,
    year: int,
    title: str,
    goal: str = "",
    reports_from: date,
    reports_until: date,
    document: str = "",
    report_weekday: int = 4,
    report_time: time = time(17, 0),
    report_grace_days: int = 3,
) -> Campaign:
    """A blank campaign of the body for the year (one per body and year)."""
    settings = CampaignSettings(
        title=title,
        goal=goal,
        document=document,
        reports_from=reports_from,
        reports_until=reports_until,
        report_weekday=report_weekday,
        report_time=report_time,
        report_grace_days=report_grace_days,
    )
    with transaction.atomic():
        campaign = _new_campaign(actor, body, year, settings)
        audit_record(
            actor=actor,
            action="steering.campaign.create",
            target=campaign,
            changes={name: json_value(v) for name, v in _clean(settings).items()} | {"year": year},
        )
    return campaign


def campaign_update(
    *, actor: User | None, campaign: Campaign, settings: CampaignSettings
) -> Campaign:
    require_plan_office(actor, campaign)
    raise_errors(settings_errors(campaign.year, settings))
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        after = _clean(settings)
        before = {name: getattr(campaign, name) for name in after}
        for name, value in after.items():
            setattr(campaign, name, value)
        campaign.save(update_fields=list(after))
        audit_record(
            actor=actor,
            action="steering.campaign.update",
            target=campaign,
            changes=diff(before, after),
        )
    return campaign


# -- from a shipped work plan ---------------------------------------------------------------------


def _sections_by_kind(body: EnforcementBody) -> dict[str, list[Section]]:
    found: dict[str, list[Section]] = {}
    for section in Section.objects.filter(body=body).order_by("id"):
        found.setdefault(section.kind, []).append(section)
    return found


def _assign(
    measure: PlanMeasure, by_kind: dict[str, list[Section]]
) -> tuple[Section | None, list[Section], list[str]]:
    """The measure's lead and supporting sections in the body, and what could not be mapped.
    A second section of the lead's kind supports it."""
    gaps: list[str] = []
    lead, supporting = None, []
    if measure.lead is not None:
        found = by_kind.get(measure.lead, [])
        if found:
            lead, supporting = found[0], list(found[1:])
        else:
            gaps.append(
                f"{measure.clause}：本单位没有{SECTION_KINDS[measure.lead]}类股室，未设牵头股室"
            )
    for kind in measure.supporting:
        found = by_kind.get(kind, [])
        supporting.extend(found)
        if not found:
            gaps.append(f"{measure.clause}：本单位没有{SECTION_KINDS[kind]}类股室，未列入配合股室")
    if measure.all_sections and not (by_kind.get("business") or by_kind.get("enforcement_team")):
        gaps.append(f"{measure.clause}：本单位没有业务股室或执法队，“各业务股室分工负责”无人承担")
    return lead, supporting, gaps


def plan_section_gaps(body: EnforcementBody, plan: WorkPlan) -> list[str]:
    """What of the plan's responsibilities the body's sections cannot carry (shown before and
    after creating a campaign from the plan, so the office assigns them by hand)."""
    by_kind = _sections_by_kind(body)
    return [gap for measure in plan.measures for gap in _assign(measure, by_kind)[2]]


def _content(measure: PlanMeasure) -> str:
    if not measure.responsibility:
        return measure.content
    return f"{measure.content}\n责任单位（方案原文）：{measure.responsibility}".strip()


def _plan_rows(campaign: Campaign, plan: WorkPlan) -> list[str]:
    year = campaign.year
    Phase.objects.bulk_create(
        Phase(
            campaign=campaign,
            kind=phase.kind,
            name=phase.name,
            description=phase.description,
            deadline=phase.deadline.on(year),
            order=index,
        )
        for index, phase in enumerate(plan.phases)
    )
    by_kind = _sections_by_kind(campaign.body)
    gaps = []
    for index, item in enumerate(plan.measures):
        lead, supporting, missing = _assign(item, by_kind)
        gaps.extend(missing)
        measure = Measure.objects.create(
            campaign=campaign,
            clause=item.clause,
            title=item.title,
            content=_content(item),
            lead_section=lead,
            all_sections=item.all_sections,
            deadline=item.deadline.on(year) if item.deadline else None,
            order=index + 1,
        )
        measure.supporting_sections.set(supporting)
    LeadershipMember.objects.bulk_create(
        LeadershipMember(campaign=campaign, name=m.name, post=m.post, title=m.title, order=i)
        for i, m in enumerate(plan.leaders)
    )
    return gaps


def campaign_from_plan(
    *, actor: User | None, body: EnforcementBody, year: int, plan: WorkPlan
) -> Campaign:
    """A campaign of the body for the year laid out by a shipped work plan: its phases and
    milestones on that year's dates, its measures given to the body's sections by kind, its
    leadership group. The plan's document number is kept only for the plan's own year."""
    settings = CampaignSettings(
        title=plan.campaign_title(body.name, year),
        goal=plan.goal,
        document=plan.document if f"〔{year}〕" in plan.document else "",
        reports_from=plan.reports_from.on(year),
        reports_until=plan.reports_until.on(year),
    )
    with transaction.atomic():
        campaign = _new_campaign(actor, body, year, settings)
        gaps = _plan_rows(campaign, plan)
        audit_record(
            actor=actor,
            action="steering.campaign.from_plan",
            target=campaign,
            changes={
                "plan": plan.key,
                "year": year,
                "phases": len(plan.phases),
                "measures": [m.clause for m in plan.measures],
                "leaders": len(plan.leaders),
                "unassigned": gaps,
            },
        )
    return campaign


# -- phases and milestones ------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseData:
    kind: str
    name: str
    deadline: date
    description: str = ""
    order: int = 0


def phase_errors(campaign: Campaign, data: PhaseData) -> Errors:
    errors: Errors = {}
    if data.kind not in Phase.Kind.values:
        errors["kind"] = ["类型不正确"]
    if not data.name.strip():
        errors["name"] = ["请填写名称"]
    elif len(data.name.strip()) > 60:
        errors["name"] = ["名称不能超过 60 个字"]
    if data.deadline.year != campaign.year:
        errors["deadline"] = [f"时限应在 {campaign.year} 年内"]
    if not 0 <= data.order <= 999:
        errors["order"] = ["顺序应在 0 至 999 之间"]
    return errors


def phase_save(
    *, actor: User | None, campaign: Campaign, data: PhaseData, phase: Phase | None = None
) -> Phase:
    """Adds a phase or milestone to the campaign, or changes `phase` (one of its own)."""
    require_plan_office(actor, campaign)
    if phase is not None and phase.campaign_id != campaign.pk:
        raise PermissionDenied("该阶段不属于本专项工作")
    raise_errors(phase_errors(campaign, data))
    after = {
        "kind": data.kind,
        "name": data.name.strip(),
        "deadline": data.deadline,
        "description": data.description.strip(),
        "order": data.order,
    }
    with transaction.atomic():
        if phase is None:
            phase = Phase.objects.create(campaign=campaign, **after)
            before: dict[str, Any] = dict.fromkeys(after)
            action = "steering.phase.create"
        else:
            phase = Phase.objects.select_for_update().get(pk=phase.pk)
            before = {name: getattr(phase, name) for name in after}
            for name, value in after.items():
                setattr(phase, name, value)
            phase.save(update_fields=list(after))
            action = "steering.phase.update"
        audit_record(actor=actor, action=action, target=phase, changes=diff(before, after))
    return phase


def phase_delete(*, actor: User | None, phase: Phase) -> None:
    require_plan_office(actor, phase.campaign)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="steering.phase.delete",
            target=phase,
            changes={"name": phase.name, "deadline": phase.deadline.isoformat()},
        )
        phase.delete()
