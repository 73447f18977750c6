"""The measures' pages: the list with each measure's state, adding and changing a measure (the
office), a measure's page with its progress (its sections or the office) and its evidence (the
office links records of other areas from a picker), and the Excel template, import and export."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.registry.import_views import ImportKind, import_page
from anjian.steering.access import access_campaign, is_office, require_office
from anjian.steering.evidence import parse_choice
from anjian.steering.measure_sheets import (
    measure_import_check,
    measure_import_commit,
    measure_template,
    measures_workbook,
)
from anjian.steering.models import Campaign, Measure
from anjian.steering.plan_forms import EvidenceForm, MeasureForm, ProgressForm, put_errors
from anjian.steering.selectors import (
    access_evidence,
    access_measure,
    campaign_measures,
    is_responsible,
    state_of,
)
from anjian.steering.services.measures import (
    evidence_add,
    evidence_remove,
    measure_create,
    measure_delete,
    measure_progress,
    measure_update,
)
from anjian.ui.pages import attachment, safe_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require("steering.view")
def measure_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = access_campaign(user, pk)
    today = timezone.localdate()
    page = safe_page(Paginator(campaign_measures(campaign), 50), request.GET.get("page"))
    context = {
        "campaign": campaign,
        "rows": [(m, state_of(m, today)) for m in page.object_list],
        "page": page,
        "office": is_office(user, campaign),
        "today": today,
    }
    return render(request, "steering/measure_list.html", context)


def _measure_form(
    request: HttpRequest, campaign: Campaign, measure: Measure | None
) -> HttpResponse:
    user = _user(request)
    require_office(user, campaign)
    if measure is None:
        form = MeasureForm(campaign=campaign)
    else:
        names = ["clause", "title", "content", "lead_section", "all_sections", "deadline", "order"]
        initial = {name: getattr(measure, name) for name in names}
        initial["supporting_sections"] = list(measure.supporting_sections.all())
        form = MeasureForm(initial=initial, campaign=campaign)
    if request.method == "POST":
        form = MeasureForm(request.POST, campaign=campaign)
        if form.is_valid():
            try:
                if measure is None:
                    measure = measure_create(actor=user, campaign=campaign, data=form.data_of())
                else:
                    measure = measure_update(actor=user, measure=measure, data=form.data_of())
            except ValidationError as error:
                put_errors(form, error)
            else:
                messages.success(request, _("已保存措施 %(clause)s") % {"clause": measure.clause})
                return redirect("steering:measure_detail", measure.pk)
    context = {"campaign": campaign, "measure": measure, "form": form}
    return render(request, "steering/measure_form.html", context)


@require("steering.view")
def measure_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _measure_form(request, access_campaign(_user(request), pk), None)


@require("steering.view")
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = access_measure(_user(request), pk)
    return _measure_form(request, measure.campaign, measure)


@require("steering.view")
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    measure = access_measure(user, pk)
    campaign = measure.campaign
    office = is_office(user, campaign)
    may_report = office or is_responsible(user, measure)
    initial = {"started": measure.started, "done_on": measure.done_on}
    context = {
        "campaign": campaign,
        "measure": measure,
        "state": state_of(measure, timezone.localdate()),
        "supporting": list(measure.supporting_sections.all()),
        "evidence": measure.evidence.select_related("added_by").order_by("id"),
        "office": office,
        "may_report": may_report,
        "progress_form": ProgressForm(initial=initial | {"progress_note": measure.progress_note})
        if may_report
        else None,
        "evidence_form": EvidenceForm(campaign=campaign) if office else None,
    }
    return render(request, "steering/measure_detail.html", context)


@require("steering.view")
@require_POST
def measure_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    measure = access_measure(user, pk)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("进展填写不正确，请检查日期"))
        return redirect("steering:measure_detail", measure.pk)
    try:
        measure_progress(
            actor=user,
            measure=measure,
            started=form.cleaned_data["started"],
            done_on=form.cleaned_data["done_on"],
            note=form.cleaned_data["progress_note"],
            today=timezone.localdate(),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已更新进展"))
    return redirect("steering:measure_detail", measure.pk)


@require("steering.view")
@require_POST
def evidence_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    measure = access_measure(user, pk)
    require_office(user, measure.campaign)
    try:
        kind, subject_pk = parse_choice(str(request.POST.get("choice", "")))
        evidence_add(
            actor=user,
            measure=measure,
            kind=kind,
            subject_pk=subject_pk,
            note=str(request.POST.get("note", "")),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已关联佐证"))
    return redirect("steering:measure_detail", measure.pk)


@require("steering.view")
@require_POST
def evidence_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    row = access_evidence(user, pk)
    evidence_remove(actor=user, row=row)
    messages.success(request, _("已取消关联：%(label)s") % {"label": row.label})
    return redirect("steering:measure_detail", row.measure_id)


@require("steering.view")
@require_POST
def measure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    measure = access_measure(user, pk)
    measure_delete(actor=user, measure=measure)
    messages.success(request, _("已删除措施 %(clause)s") % {"clause": measure.clause})
    return redirect("steering:measure_list", measure.campaign_id)


def _import_kind(campaign: Campaign) -> ImportKind:
    return ImportKind(
        key=f"steering_measures_{campaign.pk}",
        title=_("%(title)s 工作措施") % {"title": campaign.title},
        template_url="",
        list_url="",
        check=partial(measure_import_check, campaign=campaign),
        commit=partial(measure_import_commit, campaign=campaign),
        list_href=reverse("steering:measure_list", args=[campaign.pk]),
        template_href=reverse("steering:measure_template", args=[campaign.pk]),
        done=lambda n: ngettext("已导入%(count)s条措施。", "已导入%(count)s条措施。", n),
    )


@require("steering.view")
def measure_import(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = access_campaign(user, pk)
    if not is_office(user, campaign):
        raise PermissionDenied(_("只有领导小组办公室可以导入工作措施"))
    return import_page(request, _import_kind(campaign))


@require("steering.view")
def measure_template_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(_user(request), pk)
    return attachment(measure_template(campaign), "工作措施导入模板.xlsx", XLSX)


@require("steering.view")
def measure_export(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access_campaign(_user(request), pk)
    content = measures_workbook(campaign, timezone.localdate())
    return attachment(content, f"{campaign.year}年工作措施及进展.xlsx", XLSX)


urlpatterns = [
    path("<int:pk>/measures/", measure_list, name="measure_list"),
    path("<int:pk>/measures/new/", measure_new, name="measure_new"),
    path("<int:pk>/measures/import/", measure_import, name="measure_import"),
    path("<int:pk>/measures/template.xlsx", measure_template_view, name="measure_template"),
    path("<int:pk>/measures/export.xlsx", measure_export, name="measure_export"),
    path("measures/<int:pk>/", measure_detail, name="measure_detail"),
    path("measures/<int:pk>/edit/", measure_edit, name="measure_edit"),
    path("measures/<int:pk>/delete/", measure_remove, name="measure_delete"),
    path("measures/<int:pk>/progress/", measure_progress_view, name="measure_progress"),
    path("measures/<int:pk>/evidence/", evidence_add_view, name="evidence_add"),
    path("evidence/<int:pk>/remove/", evidence_remove_view, name="evidence_remove"),
]
