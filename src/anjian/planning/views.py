"""Planning pages: the months open for submissions, one month's submitted visits (all sections for
the office, its own for a section), the section's submission form, withdrawal and Excel export."""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.domain.rules.vocab import ACTIVITIES
from anjian.planning.access import access_month, access_visit, visible_months, visible_visits
from anjian.planning.annual import off_plan_visits
from anjian.planning.forms import MonthOpenForm, VisitForm, applicable_items
from anjian.planning.imports import (
    planned_visit_import_check,
    planned_visit_import_commit,
    planned_visit_template,
)
from anjian.planning.inputs import non_working_days
from anjian.planning.models import PlanningMonth
from anjian.planning.services import (
    VisitRequest,
    accepting,
    month_end,
    planned_visit_submit,
    planned_visit_withdraw,
    planning_month_close,
    planning_month_open,
)
from anjian.policy.selectors import published_item_list
from anjian.policy.views.common import flash_errors, form_errors, today
from anjian.policy.workdays import calendar_warnings
from anjian.registry.access import visible_enterprises
from anjian.registry.import_views import ImportKind, import_page
from anjian.registry.spreadsheets import export_workbook
from anjian.ui.enterprise_picker import EnterprisePickerField

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require("planning.view")
def month_list(request: HttpRequest) -> HttpResponse:
    form = MonthOpenForm(request.POST or None)
    if request.method == "POST":
        if not request.user.can("planning.manage") or request.user.body_id is None:
            raise PermissionDenied("只有办公室可以发起月度计划收集")
        if form.is_valid():
            try:
                row = planning_month_open(
                    actor=request.user,
                    body=request.user.body,
                    month=form.cleaned_data["month"],
                    cutoff=form.cleaned_data["cutoff"],
                    today=today(),
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, f"已发起 {row.month:%Y年%m月} 入企计划收集")
                return redirect("planning:month_detail", pk=row.pk)
    months = list(visible_months(request.user))
    rows = [{"month": m, "count": visible_visits(request.user, m).count()} for m in months]
    context = {"rows": rows, "form": form, "calendar_warnings": calendar_warnings(today())}
    return render(request, "planning/month_list.html", context)


@require("planning.view")
def month_detail(request: HttpRequest, pk: int) -> HttpResponse:
    planning_month = access_month(request.user, pk)
    visits = list(visible_visits(request.user, planning_month))
    section = request.GET.get("section", "")
    shown = [v for v in visits if not section or str(v.section_id) == section]
    by_section = Counter(v.section.name for v in visits)
    off_plan = off_plan_visits(planning_month)
    _off, calendar_note = non_working_days(planning_month.month)
    context = {
        "planning_month": planning_month,
        "visits": shown,
        "by_section": sorted(by_section.items()),
        "sections": sorted({(v.section_id, v.section.name) for v in visits}, key=lambda s: s[1]),
        "section": section,
        "accepting": accepting(planning_month, today()),
        "can_submit": request.user.can("planning.submit")
        and request.user.section_id is not None
        and request.user.body_id == planning_month.body_id,
        "can_manage": request.user.can("planning.manage")
        and request.user.body_id == planning_month.body_id,
        "enterprises": len({v.enterprise_id for v in visits}),
        "runs": planning_month.runs.all()[:10] if request.user.can("planning.runs") else [],
        "off_plan": off_plan,
        "calendar_note": calendar_note,
        "early_days": max((planning_month.cutoff - today()).days, 0),
        "submitted_sections": len(by_section),
    }
    return render(request, "planning/month_detail.html", context)


def _picked_sectors(request: HttpRequest, enterprises: Any) -> list[str]:
    """The sectors whose items the picker lists: the chosen enterprise's (once one is chosen,
    `?enterprise=` or a form sent back), else the section's."""
    raw = (request.POST.get("enterprise") or request.GET.get("enterprise") or "").strip()
    if raw:
        try:
            firm = EnterprisePickerField(queryset=enterprises).clean(raw)
        except ValidationError:
            firm = None
        if firm is not None:
            return [firm.sector]
    section = request.user.section
    return list(section.sectors) if section is not None else []


@require("planning.submit")
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    planning_month = access_month(request.user, pk)
    item_list = published_item_list(planning_month.body)
    every_item = list(item_list.items.all()) if item_list else []
    enterprises = visible_enterprises(request.user).filter(supervising_body=planning_month.body)
    items = applicable_items(every_item, _picked_sectors(request, enterprises))
    initial = {"earliest": planning_month.month, "latest": month_end(planning_month.month)}
    form = VisitForm(request.POST or None, enterprises=enterprises, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visit_request = VisitRequest(
            enterprise=data["enterprise"],
            activity=data["activity"],
            item_codes=tuple(data["item_codes"]),
            earliest=data["earliest"],
            latest=data["latest"],
            remote_ok=data["remote_ok"],
            note=data["note"],
        )
        try:
            planned_visit_submit(
                actor=request.user,
                planning_month=planning_month,
                request=visit_request,
                today=today(),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"已报送：{data['enterprise'].name}")
            return redirect("planning:month_detail", pk=planning_month.pk)
    context = {
        "form": form,
        "planning_month": planning_month,
        "accepting": accepting(planning_month, today()),
        "no_items": not items,
    }
    return render(request, "planning/visit_form.html", context)


@require("planning.submit")
@require_POST
def visit_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    visit = access_visit(request.user, pk)
    month_pk = visit.planning_month_id
    try:
        planned_visit_withdraw(actor=request.user, visit=visit, today=today())
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "计划已撤回")
    return redirect("planning:month_detail", pk=month_pk)


@require("planning.manage")
@require_POST
def month_close(request: HttpRequest, pk: int) -> HttpResponse:
    planning_month = access_month(request.user, pk)
    if request.user.body_id != planning_month.body_id:
        raise PermissionDenied("只能截止本局的月度计划")
    try:
        planning_month_close(actor=request.user, planning_month=planning_month)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "已截止报送")
    return redirect("planning:month_detail", pk=planning_month.pk)


HEADERS = [
    "报送股室",
    "企业名称",
    "统一社会信用代码",
    "入企活动",
    "检查事项",
    "最早日期",
    "最晚日期",
    "可非现场",
    "备注",
    "报送人",
]


@require("planning.view")
def month_export(request: HttpRequest, pk: int) -> HttpResponse:
    planning_month: PlanningMonth = access_month(request.user, pk)
    rows = [
        [
            v.section.name,
            v.enterprise.name,
            v.enterprise.uscc,
            ACTIVITIES.get(v.activity, v.activity),
            "、".join(v.item_codes),
            v.earliest,
            v.latest,
            "是" if v.remote_ok else "否",
            v.note,
            v.submitted_by.display_name or v.submitted_by.username,
        ]
        for v in visible_visits(request.user, planning_month)
    ]
    name = f"{planning_month.month:%Y年%m月}计划入企汇总.xlsx"
    response = HttpResponse(export_workbook("计划入企", HEADERS, rows), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _import_kind(planning_month: PlanningMonth) -> ImportKind:
    pk = planning_month.pk
    return ImportKind(
        key=f"planned_visit_{pk}",
        title=gettext("%(m)s 计划入企") % {"m": f"{planning_month.month:%Y-%m}"},
        template_url="",
        list_url="",
        check=partial(planned_visit_import_check, planning_month=planning_month),
        commit=partial(planned_visit_import_commit, planning_month=planning_month),
        list_href=reverse("planning:month_detail", args=[pk]),
        template_href=reverse("planning:visit_template"),
        done=lambda n: ngettext("已导入%(count)s条计划。", "已导入%(count)s条计划。", n),
    )


@require("planning.submit")
def visit_import(request: HttpRequest, pk: int) -> HttpResponse:
    planning_month = access_month(request.user, pk)
    if not accepting(planning_month, today()):
        messages.error(request, f"报送已于 {planning_month.cutoff} 截止")
        return redirect("planning:month_detail", pk=planning_month.pk)
    return import_page(request, _import_kind(planning_month))


@require("planning.submit")
def visit_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(planned_visit_template(), content_type=XLSX)
    name = quote("计划入企导入模板.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
