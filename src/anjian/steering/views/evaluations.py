"""总结评估: the sections' evaluation reports (the office sees every section's, a section its
own), drafting one from the year's figures, editing and submitting it, the office returning one,
and the bureau's consolidated report (a numbered 公文) with its download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.documents.services import document_for, document_response, versions_of
from anjian.steering import figures
from anjian.steering.access import (
    NOT_FOUND,
    access_campaign,
    access_evaluation,
    is_office,
    own_section,
    reads_all,
    reporting_sections,
    require_office,
    visible_evaluations,
)
from anjian.steering.evaluation_figures import EvaluationError, change_words
from anjian.steering.models import Campaign, Evaluation
from anjian.steering.services.evaluation import (
    REPORT,
    TEXT_FIELDS,
    bureau_evaluation_consolidate,
    evaluation_draft,
    evaluation_return,
    evaluation_save,
    may_file,
    summary_deadline,
)

TEXT_LABELS = {
    "summary": "工作总结",
    "results": "取得成效",
    "problems": "存在问题",
    "next_steps": "下步打算",
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require("steering.view")
def evaluation_list(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    user = _user(request)
    campaign = access_campaign(user, campaign_pk)
    all_readable = reads_all(user, campaign)
    evaluations = {e.section_id: e for e in visible_evaluations(user, campaign)}
    sections = reporting_sections(campaign)
    if not all_readable:
        sections = sections.filter(pk=user.section_id)
    office = is_office(user, campaign)
    mine = own_section(user, campaign)
    rows = [
        {
            "section": section,
            "evaluation": evaluations.get(section.pk),
            "may_draft": office or (mine is not None and mine.pk == section.pk),
        }
        for section in sections
    ]
    issued = document_for(campaign, REPORT) if all_readable else None
    context = {
        "campaign": campaign,
        "rows": rows,
        "office": office,
        "deadline": summary_deadline(campaign),
        "bureau": getattr(campaign, "bureau_report", None) if all_readable else None,
        "versions": list(versions_of(issued).defer("content")) if issued else [],
        "submitted": sum(1 for e in evaluations.values() if e.status == "submitted"),
    }
    return render(request, "steering/evaluation_list.html", context)


@require("steering.report")
@require_POST
def evaluation_start(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    """Drafts (or refreshes) a section's report: the user's own section, or any for the office."""
    user = _user(request)
    campaign = access_campaign(user, campaign_pk)
    raw = request.POST.get("section", "")
    section = reporting_sections(campaign).filter(pk=int(raw)).first() if raw.isdigit() else None
    if section is None or not may_file(user, campaign, section.pk):
        raise Http404(NOT_FOUND)
    try:
        evaluation = evaluation_draft(
            actor=user, campaign=campaign, section=section, today=timezone.localdate()
        )
    except EvaluationError as error:
        messages.error(request, str(error))
        return redirect("steering:evaluation_list", campaign.pk)
    messages.success(request, "已按本年度数据起草（空白栏目已预填）")
    return redirect("steering:evaluation_edit", evaluation.pk)


def figure_rows(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The kept figures with their change, target and a link to this year's records."""
    period = evaluation.figures.get("_period", {})
    query = (
        f"?campaign={evaluation.campaign_id}&section={evaluation.section_id}"
        f"&start={period.get('start', '')}&end={period.get('end', '')}"
    )
    rows = []
    for code, entry in evaluation.figures.items():
        if code.startswith("_") or code not in figures.BY_CODE:
            continue
        spec = figures.figure(code)
        link = reverse("steering:figure_records", args=[code]) + query if spec.drillable else ""
        target = entry.get("target") or {}
        rows.append(
            {"figure": spec, "entry": entry, "change": change_words(entry), "link": link}
            | {"target": target.get("text", ""), "met": target.get("met")}
        )
    return rows


def _save(request: HttpRequest, user: User, evaluation: Evaluation) -> bool:
    action = request.POST.get("action", "save")
    try:
        if action == "refresh":
            evaluation_draft(
                actor=user,
                campaign=evaluation.campaign,
                section=evaluation.section,
                today=timezone.localdate(),
            )
            messages.success(request, "已按最新记录重新提取数据")
            return True
        fields = {name: request.POST.get(name, "")[:8000] for name in TEXT_FIELDS}
        evaluation_save(
            actor=user,
            evaluation=evaluation,
            fields=fields,
            submit=action == "submit",
            now=timezone.now(),
        )
    except EvaluationError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, "已报送" if action == "submit" else "已保存草稿")
    return True


@require("steering.view")
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    evaluation = access_evaluation(user, pk)
    campaign = evaluation.campaign
    may = may_file(user, campaign, evaluation.section_id)
    if request.method == "POST":
        if not may:
            raise PermissionDenied("只能填报本股室的总结评估报告")
        if _save(request, user, evaluation):
            return redirect("steering:evaluation_edit", evaluation.pk)
    texts = [
        (name, TEXT_LABELS[name], request.POST.get(name, getattr(evaluation, name)))
        for name in TEXT_FIELDS
    ]
    context = {
        "evaluation": evaluation,
        "campaign": campaign,
        "figure_rows": figure_rows(evaluation),
        "measures": evaluation.figures.get("_measures", []),
        "period": evaluation.figures.get("_period", {}),
        "texts": texts,
        "editable": may and evaluation.status != Evaluation.Status.SUBMITTED,
        "office": is_office(user, campaign),
        "deadline": summary_deadline(campaign),
    }
    return render(request, "steering/evaluation_edit.html", context)


@require("steering.view")
@require_POST
def evaluation_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    evaluation = access_evaluation(user, pk)
    require_office(user, evaluation.campaign)
    try:
        evaluation_return(
            actor=user,
            evaluation=evaluation,
            comment=request.POST.get("comment", "")[:1000],
            now=timezone.now(),
        )
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已退回{evaluation.section.name}的总结评估报告")
    return redirect("steering:evaluation_list", evaluation.campaign_id)


@require("steering.view")
@require_POST
def bureau_consolidate(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    user = _user(request)
    campaign = access_campaign(user, campaign_pk)
    require_office(user, campaign)
    try:
        report = bureau_evaluation_consolidate(
            actor=user,
            campaign=campaign,
            now=timezone.now(),
            reason=request.POST.get("reason", "")[:500],
        )
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已汇总总结评估报告，文号 {report.document.number}")
    return redirect("steering:evaluation_list", campaign.pk)


def _bureau_reader(user: User, campaign: Campaign) -> None:
    if not reads_all(user, campaign):
        raise PermissionDenied("局总结评估报告供局领导、领导小组办公室和派驻纪检监察组查阅")


@require("steering.view")
def bureau_download(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    """The bureau's report as issued (its newest version), the stored bytes."""
    user = _user(request)
    campaign = access_campaign(user, campaign_pk)
    _bureau_reader(user, campaign)
    issued = document_for(campaign, REPORT)
    if issued is None:
        raise Http404("尚未汇总局总结评估报告")
    return document_response(issued)


urlpatterns = [
    path("<int:campaign_pk>/evaluations/", evaluation_list, name="evaluation_list"),
    path("<int:campaign_pk>/evaluations/draft/", evaluation_start, name="evaluation_start"),
    path(
        "<int:campaign_pk>/evaluations/consolidate/",
        bureau_consolidate,
        name="evaluation_consolidate",
    ),
    path("<int:campaign_pk>/evaluations/report/", bureau_download, name="evaluation_report"),
    path("evaluations/<int:pk>/", evaluation_edit, name="evaluation_edit"),
    path("evaluations/<int:pk>/return/", evaluation_return_view, name="evaluation_return"),
]
