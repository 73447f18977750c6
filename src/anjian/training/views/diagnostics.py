"""Diagnostics pages (issue 7 item 7): the bureau's view by sector, town and enterprise; one
enterprise by job type, topic and inspection, with its Excel export; an enterprise user's own
page; a training institution's trainees (一案双查). All read-only; every page takes a period
(`start`, `end`) and a pass mark (50–100, default `ANJIAN_EXAM_PASS_MARK`) from the query
string, and a malformed value is reported on the form and replaced by its default."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.audit.report_cache import cached_report
from anjian.config.routers import replica_reads
from anjian.registry.access import access_enterprise, visible_enterprises
from anjian.training.access import access_institution, visible_institutions
from anjian.training.diagnostics_sheets import enterprise_workbook
from anjian.training.services.diagnostics import (
    MIN_ANSWERS,
    MIN_PERSONS,
    PASS_MARK_MAX,
    PASS_MARK_MIN,
    EnterpriseReport,
    Period,
    bureau_default_start,
    default_pass_mark,
    enterprise_diagnostics,
)
from anjian.training.services.diagnostics_bureau import bureau_diagnostics
from anjian.training.services.diagnostics_institutions import institution_diagnostics
from anjian.ui.charts import bar_svg, line_svg
from anjian.ui.forms import bootstrap
from anjian.ui.pages import attachment, query_text, safe_page

ENTERPRISES_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("考试日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    pass_mark = forms.FloatField(
        label=_("合格分"),
        required=False,
        min_value=PASS_MARK_MIN,
        max_value=PASS_MARK_MAX,
        widget=forms.NumberInput(attrs={"step": "1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("结束日期不能早于开始日期"))
        return data


def _period(request: HttpRequest, default_start: date | None) -> tuple[PeriodForm, Period]:
    """The period and pass mark asked for; a malformed value keeps its default."""
    data = {key: query_text(request.GET, key, max_length=20) for key in PeriodForm.base_fields}
    if "start" not in request.GET and default_start:
        data["start"] = default_start.isoformat()
    if not data["pass_mark"]:
        data["pass_mark"] = f"{default_pass_mark():g}"
    form = PeriodForm(data)
    form.is_valid()
    cleaned = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    start = cleaned.get("start") if "start" not in form.errors else default_start
    end = cleaned.get("end") if "end" not in form.errors else None
    mark = cleaned.get("pass_mark")
    return form, Period(
        start=start,
        end=end,
        pass_mark=default_pass_mark() if mark is None or "pass_mark" in form.errors else mark,
    )


def _query(period: Period) -> str:
    return urlencode(
        {
            "start": period.start.isoformat() if period.start else "",
            "end": period.end.isoformat() if period.end else "",
            "pass_mark": f"{period.pass_mark:g}",
        }
    )


def _common(form: PeriodForm, period: Period) -> dict[str, Any]:
    return {
        "form": form,
        "period": period,
        "query": _query(period),
        "min_persons": MIN_PERSONS,
        "min_answers": MIN_ANSWERS,
    }


@require("diagnostics.view")
@replica_reads
def diagnostics_bureau(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.role == Role.ENTERPRISE:
        return redirect(f"{reverse('training:diagnostics_mine')}?{request.GET.urlencode()}")
    form, period = _period(request, bureau_default_start())
    # every exam in scope: computed once per data version (audit/report_cache.py)
    report = cached_report(
        "diagnostics_bureau",
        user,
        (period.start, period.end, period.pass_mark, timezone.localdate()),
        lambda: bureau_diagnostics(user=user, period=period),
    )
    sectors = [g for g in report.sectors if g.enough]
    ranked = safe_page(Paginator(report.enterprises, ENTERPRISES_PER_PAGE), request.GET.get("page"))
    context = {
        **_common(form, period),
        "report": report,
        "page": ranked,
        "sector_chart": bar_svg(
            _g("各行业领域合格率（%）"),
            [g.label for g in sectors],
            [round(100 * g.pass_rate) for g in sectors],
        )
        if sectors
        else "",
        "institutions": visible_institutions(user) if user.can("institution.view") else [],
    }
    return render(request, "training/diagnostics_bureau.html", context)


@require("diagnostics.view")
def diagnostics_mine(request: HttpRequest) -> HttpResponse:
    """The enterprise user's own page; bureau staff land on the bureau's."""
    user: User = request.user  # type: ignore[assignment]
    query = request.GET.urlencode()
    if user.role != Role.ENTERPRISE:
        return redirect(f"{reverse('training:diagnostics_bureau')}?{query}")
    enterprise = visible_enterprises(user).first()
    if enterprise is None:
        raise Http404("您的账号未关联企业。")
    target = reverse("training:diagnostics_enterprise", args=[enterprise.pk])
    return redirect(f"{target}?{query}" if query else target)


def _enterprise_report(request: HttpRequest, pk: int) -> tuple[PeriodForm, EnterpriseReport]:
    user: User = request.user  # type: ignore[assignment]
    enterprise = access_enterprise(user, pk)
    form, period = _period(request, None)
    return form, enterprise_diagnostics(user=user, enterprise=enterprise, period=period)


def _short(labels: list[str]) -> list[str]:
    """Chart labels cut to what fits under a bar (the table below has them in full)."""
    limit = max(3, 50 // max(1, len(labels)))
    return [label if len(label) <= limit else label[: limit - 1] + "…" for label in labels]


@require("diagnostics.view")
@replica_reads
def diagnostics_enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    form, report = _enterprise_report(request, pk)
    topics = report.overall.topics
    trend = report.trend
    context = {
        **_common(form, report.period),
        "report": report,
        "enterprise": report.enterprise,
        "topic_chart": bar_svg(
            _g("各知识点掌握程度（%）"),
            [t.label for t in topics],
            [round(t.percent) for t in topics],
        )
        if topics
        else "",
        "trend_chart": line_svg(
            _g("历次检查考试：合格率与平均分"),
            [f"{p.day:%Y-%m-%d}" for p in trend],
            [
                (_g("合格率（%）"), [round(100 * p.group.pass_rate, 1) for p in trend]),
                (_g("平均折算分"), [round(p.group.mean_score, 1) for p in trend]),
            ],
        )
        if trend
        else "",
        "staff": request.user.can("inspection.view"),  # type: ignore[union-attr]
    }
    return render(request, "training/diagnostics_enterprise.html", context)


@require("diagnostics.view")
@replica_reads
def diagnostics_enterprise_export(request: HttpRequest, pk: int) -> HttpResponse:
    _form, report = _enterprise_report(request, pk)
    name = _g("%(name)s培训诊断.xlsx") % {"name": report.enterprise.name}
    return attachment(enterprise_workbook(report), name, XLSX)


@require("institution.view")
@require("diagnostics.view")
@replica_reads
def diagnostics_institution(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    institution = access_institution(user, pk)
    form, period = _period(request, None)
    report = institution_diagnostics(user=user, institution=institution, period=period)
    context = {
        **_common(form, period),
        "report": report,
        "institution": institution,
        "groups": [report.trainees, report.others],
    }
    return render(request, "training/diagnostics_institution.html", context)


urlpatterns: list[URLPattern] = [
    path("diagnostics/", diagnostics_bureau, name="diagnostics_bureau"),
    path("diagnostics/mine/", diagnostics_mine, name="diagnostics_mine"),
    path(
        "diagnostics/enterprises/<int:pk>/", diagnostics_enterprise, name="diagnostics_enterprise"
    ),
    path(
        "diagnostics/enterprises/<int:pk>/export.xlsx",
        diagnostics_enterprise_export,
        name="diagnostics_enterprise_export",
    ),
    path(
        "diagnostics/institutions/<int:pk>/",
        diagnostics_institution,
        name="diagnostics_institution",
    ),
]
