"""Annual supervision plan pages: the plans of the body, generating a draft, one plan with its
figures, months and enterprises, its approval steps, and the Word request with its Excel annex."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.documents.services import DocumentError, document_for, document_response, versions_of
from anjian.domain.registry import SECTORS
from anjian.planning.access import (
    access_annual_line,
    access_annual_plan,
    sees_whole_plan,
    visible_annual_lines,
    visible_annual_plans,
)
from anjian.planning.annual import (
    DEFAULT_SHARE,
    EDITABLE,
    actions_for,
    annual_line_update,
    annual_plan_advance,
    annual_plan_generate,
)
from anjian.planning.annual_documents import (
    ANNEX,
    REQUEST,
    annex_title,
    annual_documents_issue,
    annual_plan_annex,
    annual_plan_document_correct,
    annual_plan_docx,
)
from anjian.planning.annual_figures import annual_figures
from anjian.planning.models import AnnualPlan
from anjian.policy.views.common import flash_errors, today
from anjian.ui.pages import safe_page

LINES_PER_PAGE = 100

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require("annual.view")
def annual_list(request: HttpRequest) -> HttpResponse:
    plans = visible_annual_plans(request.user)
    context = {
        "plans": plans,
        "next_year": today().year + 1,
        "this_year": today().year,
        "share": int(DEFAULT_SHARE * 100),
    }
    return render(request, "planning/annual_list.html", context)


@require("annual.edit")
@require_POST
def annual_generate(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.POST.get("year", ""))
        share = Decimal(request.POST.get("share", "")) / 100
    except (ValueError, InvalidOperation):
        messages.error(request, "请填写年度和用于检查的工作日比例（百分数）")
        return redirect("planning:annual_list")
    if request.user.body_id is None:
        messages.error(request, "您的账号不属于任何执法主体")
        return redirect("planning:annual_list")
    try:
        plan = annual_plan_generate(
            actor=request.user, body=request.user.body, year=year, share=share, today=today()
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("planning:annual_list")
    messages.success(request, f"已编制 {year} 年度计划草稿")
    return redirect("planning:annual_detail", pk=plan.pk)


@require("annual.view")
def annual_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_annual_plan(request.user, pk)
    lines = visible_annual_lines(request.user, plan)
    figures = annual_figures(lines)
    sector = request.GET.get("sector", "")
    only_key = request.GET.get("key") == "1"
    shown = lines.order_by("enterprise__name", "pk")
    if sector in SECTORS:
        shown = shown.filter(enterprise__sector=sector)
    if only_key:
        shown = shown.filter(key=True)
    page = safe_page(Paginator(shown, LINES_PER_PAGE), request.GET.get("page"))
    context = {
        "plan": plan,
        "page": page,
        "lines": page.object_list,
        "months": [(m, figures.per_month.get(m, 0)) for m in range(1, 13)],
        "peak": figures.peak,
        "total": figures.total,
        "enterprises": figures.enterprises,
        "planned": figures.planned,
        "key": figures.key,
        "actions": actions_for(request.user, plan),
        "sectors": SECTORS.items(),
        "sector": sector,
        "only_key": only_key,
        "issued_documents": _issued_rows(request, plan),
        "editable": plan.status in EDITABLE
        and request.user.can("annual.edit")
        and request.user.body_id == plan.body_id,
    }
    return render(request, "planning/annual_detail.html", context)


@require("annual.view")
@require_POST
def annual_advance(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_annual_plan(request.user, pk)
    approved_on = None
    if request.POST.get("approved_on"):
        try:
            approved_on = date.fromisoformat(request.POST["approved_on"])
        except ValueError:
            messages.error(request, "批准日期格式不正确")
            return redirect("planning:annual_detail", pk=plan.pk)
    try:
        with transaction.atomic():  # sent to the county government: the 请示 is issued with it
            annual_plan_advance(
                actor=request.user,
                plan=plan,
                action=request.POST.get("action", ""),
                note=request.POST.get("note", ""),
                document_number=request.POST.get("document_number", ""),
                approved_on=approved_on,
                today=today(),
            )
            if plan.status in ISSUED_STATES:
                annual_documents_issue(actor=request.user, plan=plan, on=today())
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"年度计划：{plan.get_status_display()}")
    return redirect("planning:annual_detail", pk=plan.pk)


def _download(content: bytes, name: str, kind: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# The 请示 and its annex are issued into the register when the head sends the plan to the county
# government (报县政府); before that a download is a working draft, unnumbered and not kept.
ISSUED_STATES = {AnnualPlan.Status.SUBMITTED, AnnualPlan.Status.APPROVED}


def _served(request: HttpRequest, plan: AnnualPlan, kind: str) -> HttpResponse | None:
    """The issued copy once the plan went to the county government (issued now for a plan sent
    before the register existed); None while the plan is a draft."""
    if plan.status not in ISSUED_STATES:
        return None
    if document_for(plan, kind) is None:
        annual_documents_issue(actor=request.user, plan=plan, on=today())  # type: ignore[arg-type]
    issued = document_for(plan, kind)
    return document_response(issued) if issued is not None else None


def _issued_rows(request: HttpRequest, plan: AnnualPlan) -> list[dict[str, Any]]:
    """The issued 请示 and annex with every version; the office may correct them."""
    may = request.user.can("annual.edit") and request.user.body_id == plan.body_id
    rows = []
    for kind in (REQUEST, ANNEX):
        issued = document_for(plan, kind)
        if issued is not None:
            url = reverse("planning:annual_document_correct", args=[plan.pk, kind])
            rows.append(
                {
                    "versions": list(versions_of(issued).defer("content")),
                    "correct_url": url if may else "",
                }
            )
    return rows


@require("annual.view")
def annual_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_annual_plan(request.user, pk)
    served = _served(request, plan, REQUEST)
    if served is not None:
        return served
    return _download(
        annual_plan_docx(plan), f"{plan.year}年度监督检查计划（请示）（草稿）.docx", DOCX
    )


@require("annual.view")
def annual_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_annual_plan(request.user, pk)
    if not sees_whole_plan(request.user):
        raise PermissionDenied("附件列有本股室行业以外的企业，请向办公室索取")
    served = _served(request, plan, ANNEX)
    if served is not None:
        return served
    return _download(annual_plan_annex(plan), f"{annex_title(plan)}（草稿）.xlsx", XLSX)


@require("annual.view")
@require_POST
def annual_document_correct(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """更正 the issued 请示 or annex (the office, which drafts them): a new version, same number."""
    plan = access_annual_plan(request.user, pk)
    issued = document_for(plan, kind) if kind in (REQUEST, ANNEX) else None
    if issued is None or not (
        request.user.can("annual.edit") and request.user.body_id == plan.body_id
    ):
        raise PermissionDenied("您无权更正该文书。")
    try:
        annual_plan_document_correct(
            actor=request.user,  # type: ignore[arg-type]
            plan=plan,
            kind=kind,
            reason=request.POST.get("reason", "")[:500],
        )
    except DocumentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "已生成更正版本")
    return redirect("planning:annual_detail", pk=plan.pk)


@require("annual.edit")
def annual_line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = access_annual_line(request.user, pk)
    errors: dict[str, list[str]] = {}
    months, key, reason = line.months, line.key, line.key_reason
    if request.method == "POST":
        months = [int(m) for m in request.POST.getlist("months") if m.isdigit()]
        key = request.POST.get("key") == "1"
        reason = request.POST.get("key_reason", "")
        try:
            annual_line_update(
                actor=request.user, line=line, months=months, key=key, key_reason=reason
            )
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, f"已调整：{line.enterprise.name}")
            return redirect("planning:annual_detail", pk=line.plan_id)
    context = {
        "line": line,
        "plan": line.plan,
        "months": [(m, m in months) for m in range(1, 13)],
        "key": key,
        "key_reason": reason,
        "errors": errors,
    }
    return render(request, "planning/annual_line_form.html", context)
