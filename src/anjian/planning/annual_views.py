"""Annual supervision plan pages: the plans of the body, generating a draft, one plan with its
figures, months and enterprises, its approval steps, and the Word request with its Excel annex."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.domain.registry import SECTORS
from anjian.planning.access import (
    access_annual_line,
    access_annual_plan,
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
from anjian.planning.annual_documents import annex_title, annual_plan_annex, annual_plan_docx
from anjian.policy.views.common import flash_errors, today

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
    lines = list(plan.lines.select_related("enterprise"))
    sector = request.GET.get("sector", "")
    only_key = request.GET.get("key") == "1"
    shown = [
        line
        for line in lines
        if (not sector or line.enterprise.sector == sector) and (not only_key or line.key)
    ]
    per_month = Counter(m for line in lines for m in line.months)
    context = {
        "plan": plan,
        "lines": shown,
        "months": [(m, per_month.get(m, 0)) for m in range(1, 13)],
        "peak": max(per_month.values(), default=0) or 1,
        "total": sum(len(line.months) for line in lines),
        "enterprises": len(lines),
        "planned": sum(1 for line in lines if line.months),
        "key": sum(1 for line in lines if line.key),
        "actions": actions_for(request.user, plan),
        "sectors": SECTORS.items(),
        "sector": sector,
        "only_key": only_key,
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
        annual_plan_advance(
            actor=request.user,
            plan=plan,
            action=request.POST.get("action", ""),
            note=request.POST.get("note", ""),
            document_number=request.POST.get("document_number", ""),
            approved_on=approved_on,
            today=today(),
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"年度计划：{plan.get_status_display()}")
    return redirect("planning:annual_detail", pk=plan.pk)


def _download(content: bytes, name: str, kind: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@require("annual.view")
def annual_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_annual_plan(request.user, pk)
    return _download(annual_plan_docx(plan), f"{plan.year}年度监督检查计划（请示）.docx", DOCX)


@require("annual.view")
def annual_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_annual_plan(request.user, pk)
    return _download(annual_plan_annex(plan), f"{annex_title(plan)}.xlsx", XLSX)


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
