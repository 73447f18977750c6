"""The closing evaluation (总结评估, 六（五）): each responsible section's report drafted from the
year's figures against the same period last year and the plan's targets, edited and submitted;
the office returns one with a comment, or consolidates the bureau's report as a 公文 listing
the measures not done or done late with their lead section (the basis for 六（三）'s
accountability). Every step is audited.

`Evaluation.figures` keeps {code: {"value", "last_year", "change", "change_unit", "target"?}}
for the figures of `EVALUATION` (and any targeted figure), plus two entries that are not figure
codes: "_period" (the two periods compared) and "_measures" (the section's measures and their
states when drafted)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.urls import reverse

from anjian.accounts.models import Section, User
from anjian.audit.services import audit_record
from anjian.documents.models import IssuedDocument
from anjian.documents.services import document_correct, document_issue
from anjian.steering import figures
from anjian.steering.access import is_office, reporting_sections
from anjian.steering.documents import BureauData, FigureLine, MeasureLine, SectionSummary
from anjian.steering.documents import evaluation_docx as render_bureau
from anjian.steering.evaluation_figures import (
    EvaluationError,
    change_words,
    compare,
    draft_text,
    measure_json,
    period_of,
    section_measures,
)
from anjian.steering.models import BureauEvaluation, Campaign, Evaluation, LeadershipMember, Phase
from anjian.steering.selectors import measure_states
from anjian.steering.services.bulletins import campaign_theme
from anjian.steering.services.notify import Reminder, notify
from anjian.steering.services.weekly import local

REPORT = "campaign_evaluation"  # kind in the register
TEXT_FIELDS = ("summary", "results", "problems", "next_steps")

# --- the section's report ----------------------------------------------------------------------


def may_file(actor: User, campaign: Campaign, section_id: int) -> bool:
    """The section's own staff who file reports, or the office."""
    own = actor.section_id == section_id and actor.can("steering.report")
    return own or is_office(actor, campaign)


def evaluation_draft(
    *, actor: User, campaign: Campaign, section: Section, today: date
) -> Evaluation:
    """Creates the section's evaluation, or refreshes its figures and measures; the drafted
    narrative fills only the fields still empty. A submitted report is read-only."""
    if not reporting_sections(campaign).filter(pk=section.pk).exists():
        raise EvaluationError(f"{section.name}不是本专项工作的责任股室")
    if not may_file(actor, campaign, section.pk):
        raise EvaluationError("只能起草本股室的总结评估报告")
    period = period_of(campaign, today)
    found: dict[str, Any] = compare(campaign, section, today)
    found["_period"] = {"start": period[0].isoformat(), "end": period[1].isoformat()}
    found["_measures"] = [measure_json(*row) for row in section_measures(campaign, section, today)]
    text = draft_text(section, period, found)
    with transaction.atomic():
        evaluation, created = Evaluation.objects.select_for_update().get_or_create(
            campaign=campaign, section=section
        )
        if evaluation.status == Evaluation.Status.SUBMITTED:
            raise EvaluationError("报告已报送；如需修改，请领导小组办公室退回")
        evaluation.figures = found
        filled = [name for name in TEXT_FIELDS if not getattr(evaluation, name).strip()]
        for name in filled:
            setattr(evaluation, name, text[name])
        evaluation.save()
        audit_record(
            actor=actor,
            action="steering.evaluation.draft" if created else "steering.evaluation.refresh",
            target=evaluation,
            changes={"period": found["_period"], "filled": filled},
        )
    return evaluation


def evaluation_save(
    *,
    actor: User,
    evaluation: Evaluation,
    fields: Mapping[str, str],
    submit: bool,
    now: datetime,
) -> Evaluation:
    """Saves the narrative; with `submit`, submits it (the summary must be filled in)."""
    if not may_file(actor, evaluation.campaign, evaluation.section_id):
        raise EvaluationError("只能填报本股室的总结评估报告")
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if evaluation.status == Evaluation.Status.SUBMITTED:
            raise EvaluationError("报告已报送；如需修改，请领导小组办公室退回")
        text = {name: str(fields.get(name, "")).strip() for name in TEXT_FIELDS}
        if submit and not text["summary"]:
            raise EvaluationError("报送前请填写“工作总结”")
        changes: dict[str, Any] = {
            name: {"before": getattr(evaluation, name), "after": text[name]}
            for name in TEXT_FIELDS
            if getattr(evaluation, name) != text[name]
        }
        for name in TEXT_FIELDS:
            setattr(evaluation, name, text[name])
        action = "steering.evaluation.save"
        if submit:
            changes["status"] = {"before": evaluation.status, "after": "submitted"}
            evaluation.status = Evaluation.Status.SUBMITTED
            evaluation.submitted_at = now
            evaluation.submitted_by = actor
            action = "steering.evaluation.submit"
        evaluation.save()
        audit_record(actor=actor, action=action, target=evaluation, changes=changes)
    return evaluation


def evaluation_return(
    *, actor: User, evaluation: Evaluation, comment: str, now: datetime
) -> Evaluation:
    """The office sends a submitted report back with a comment; the section is reminded."""
    if not is_office(actor, evaluation.campaign):
        raise EvaluationError("只有领导小组办公室可以退回报告")
    comment = comment.strip()
    if not comment:
        raise EvaluationError("请填写退回意见")
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if evaluation.status != Evaluation.Status.SUBMITTED:
            raise EvaluationError("只能退回已报送的报告")
        evaluation.status = Evaluation.Status.RETURNED
        evaluation.return_comment = comment
        evaluation.save(update_fields=["status", "return_comment"])
        audit_record(
            actor=actor,
            action="steering.evaluation.return",
            target=evaluation,
            changes={"status": {"before": "submitted", "after": "returned"}, "comment": comment},
        )
        notify(
            users=User.objects.filter(section_id=evaluation.section_id, is_active=True),
            reminder=Reminder(
                kind="evaluation_returned",
                key=f"evaluation-returned:{evaluation.pk}:{now:%Y%m%d%H%M%S}",
                title=f"{evaluation.campaign.year}年总结评估报告被退回",
                action=f"按退回意见修改后重新报送：{comment[:80]}",
                url=reverse("steering:evaluation_edit", args=[evaluation.pk]),
                due_on=summary_deadline(evaluation.campaign),
            ),
            now=now,
        )
    return evaluation


def summary_deadline(campaign: Campaign) -> date | None:
    """The deadline of the campaign's 总结评估 phase, when it has one."""
    phase = (
        Phase.objects.filter(campaign=campaign, kind=Phase.Kind.PHASE, name__contains="总结评估")
        .order_by("deadline")
        .first()
    )
    return phase.deadline if phase is not None else None


# --- the bureau's report -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Lines:
    figures: tuple[FigureLine, ...]
    accountable: tuple[MeasureLine, ...]
    measures: int
    done: int


def _lines(campaign: Campaign, today: date) -> _Lines:
    found = compare(campaign, None, today)
    lines = tuple(
        FigureLine(
            label=figures.figure(code).label,
            unit=figures.figure(code).unit,
            value=entry["value"],
            last_year=entry["last_year"],
            change=change_words(entry),
            verdict=entry.get("target", {}).get("text", ""),
        )
        for code, entry in found.items()
    )
    states = measure_states(campaign, today)
    accountable = tuple(
        MeasureLine(
            m.clause, m.title, m.lead_section.name if m.lead_section else "", s.label, s.reason
        )
        for m, s in states
        if s.status != "done" or s.late
    )
    done = sum(1 for _, s in states if s.status == "done")
    return _Lines(lines, accountable, len(states), done)


def bureau_data(campaign: Campaign, now: datetime) -> BureauData:
    today = local(now).date()
    start, end = period_of(campaign, today)
    lines = _lines(campaign, today)
    evaluations = {e.section_id: e for e in Evaluation.objects.filter(campaign=campaign)}
    sections = []
    for section in reporting_sections(campaign):
        e = evaluations.get(section.pk)
        submitted = e is not None and e.status == Evaluation.Status.SUBMITTED
        texts = [getattr(e, name) if e and submitted else "" for name in TEXT_FIELDS]
        sections.append(SectionSummary(section.name, submitted, *texts))
    leader = LeadershipMember.objects.filter(campaign=campaign, post="leader").first()
    body = campaign.body.name
    return BureauData(
        body=body,
        recipient=body.replace("应急管理局", "人民政府")
        if "应急管理局" in body
        else "本级人民政府",
        theme=campaign_theme(campaign),
        campaign=f"《{campaign.title}方案》"
        + (f"（{campaign.document}）" if campaign.document else ""),
        year=campaign.year,
        start=start,
        end=end,
        issued_on=today,
        signer=leader.name if leader is not None else "",
        figures=lines.figures,
        sections=tuple(sections),
        measures_total=lines.measures,
        measures_done=lines.done,
        accountable=lines.accountable,
    )


def _bureau_document(
    actor: User,
    campaign: Campaign,
    data: BureauData,
    existing: BureauEvaluation | None,
    reason: str,
) -> IssuedDocument:
    """The report issued (first time) or corrected under the same number (again)."""
    if existing is None:
        return document_issue(
            actor=actor,
            body=campaign.body,
            kind=REPORT,
            subject=campaign,
            on=data.issued_on,
            render=lambda stamp: render_bureau(data, stamp.number),
        )
    return document_correct(
        actor=actor,
        document=existing.document,
        reason=reason,
        render=lambda stamp: render_bureau(replace(data, issued_on=stamp.issued_on), stamp.number),
    )


def bureau_evaluation_consolidate(
    *, actor: User, campaign: Campaign, now: datetime, reason: str = ""
) -> BureauEvaluation:
    """The office issues the bureau's report (numbered 评估); consolidating again, with a reason,
    issues a corrected version under the same number."""
    if not is_office(actor, campaign):
        raise EvaluationError("只有领导小组办公室可以汇总总结评估报告")
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        existing = BureauEvaluation.objects.filter(campaign=campaign).first()
        if existing is not None and not reason.strip():
            raise EvaluationError("已汇总；重新汇总请填写理由")
        if not Evaluation.objects.filter(campaign=campaign, status="submitted").exists():
            raise EvaluationError("尚无股室报送总结评估报告，不能汇总")
        data = bureau_data(campaign, now)
        document = _bureau_document(actor, campaign, data, existing, reason)
        report = existing or BureauEvaluation(campaign=campaign)
        report.document, report.consolidated_by, report.consolidated_at = document, actor, now
        report.save()
        audit_record(
            actor=actor,
            action="steering.evaluation.consolidate",
            target=report,
            changes={
                "number": document.number,
                "version": document.version,
                "sections": [s.section for s in data.sections if s.submitted],
                "accountable": [m.clause for m in data.accountable],
            },
        )
    return report
