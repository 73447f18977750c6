"""Pages of an enterprise's key personnel and workers: the list (bureau staff filter within their
scope; an enterprise sees its own), a person with certificates, records and this year's hours,
the forms to add and edit a person or record that one left, and the audited "show the full ID
number" button. The certificate, hours and import pages live in `personnel_*.py`; every URL of
the area is listed here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.policy.views.common import form_errors, today
from anjian.registry.access import access_enterprise, visible_enterprises
from anjian.training import ledger_columns
from anjian.training.access import access_person, visible_persons
from anjian.training.models import Person
from anjian.training.services.personnel import (
    PERSON_FIELDS,
    certificate_status_of,
    person_create,
    person_leave,
    person_reveal_id,
    person_update,
)
from anjian.training.services.records import person_year_hours
from anjian.training.views import (
    personnel_certificates,
    personnel_hours,
    personnel_imports,
)
from anjian.training.views.personnel_forms import LeaveForm, PersonFilterForm, PersonForm
from anjian.ui.ledger import ledger_output
from anjian.ui.pages import query_text, safe_page

PER_PAGE = 50
SEVERITY = ["revoked", "valid", "review_due_soon", "expiring_soon", "review_overdue", "expired"]


def _filtered(request: HttpRequest) -> tuple[PersonFilterForm, QuerySet[Person]]:
    enterprises = visible_enterprises(request.user)
    data = {key: query_text(request.GET, key) for key in PersonFilterForm.base_fields}
    form = PersonFilterForm(data, enterprises=enterprises)
    form.is_valid()
    values: dict[str, Any] = form.cleaned_data
    persons = visible_persons(request.user)
    if values.get("q"):
        q = values["q"]
        persons = persons.filter(
            Q(name__icontains=q) | Q(id_last4__iexact=q) | Q(certificates__number__icontains=q)
        ).distinct()
    if values.get("enterprise"):
        persons = persons.filter(enterprise=values["enterprise"])
    for key in ("role",):
        if values.get(key):
            persons = persons.filter(**{key: values[key]})
    if values.get("sector"):
        persons = persons.filter(enterprise__sector=values["sector"])
    if values.get("town"):
        persons = persons.filter(enterprise__town__icontains=values["town"])
    state = values.get("state") or "current"
    day = today()
    current = Q(left_on__isnull=True) | Q(left_on__gt=day)
    if state == "current":
        persons = persons.filter(current)
    elif state == "left":
        persons = persons.exclude(current)
    return form, persons.order_by("enterprise__name", "role", "name", "pk")


def _worst(person: Person) -> Any:
    statuses = [certificate_status_of(c, today()) for c in person.certificates.all()]
    return max(statuses, key=lambda s: SEVERITY.index(s.code), default=None)


@require("personnel.view")
def person_list(request: HttpRequest) -> HttpResponse:
    form, persons = _filtered(request)
    ledger = persons.select_related("enterprise").prefetch_related("certificates")
    columns = ledger_columns.persons(_worst)
    if out := ledger_output(request, ledger, columns, title=gettext_lazy("从业人员台账")):
        return out
    page = safe_page(
        Paginator(persons.prefetch_related("certificates"), PER_PAGE), request.GET.get("page")
    )
    rows = [(person, _worst(person)) for person in page]
    query = "&".join(
        f"{key}={query_text(request.GET, key)}" for key in form.fields if request.GET.get(key)
    )
    total = page.paginator.count  # counted once, by the paginator
    context = {"form": form, "page": page, "rows": rows, "total": total, "query": query}
    return render(request, "training/personnel_list.html", context)


def _detail_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    day = today()
    certificates = [(c, certificate_status_of(c, day)) for c in person.certificates.all()]
    records = person.training_records.select_related("institution").all()
    return {
        "person": person,
        "certificates": certificates,
        "records": records,
        "hours": person_year_hours(person, day.year),
        "leave_form": LeaveForm(),
    }


@require("personnel.view")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk)
    return render(request, "training/personnel_detail.html", _detail_context(request, person))


@never_cache
@require_POST
@require("personnel.reveal")
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Shows the full number once, in this response only (not cached); audited."""
    person = access_person(request.user, pk)
    context = _detail_context(request, person)
    context["revealed"] = person_reveal_id(actor=request.user, person=person)
    return render(request, "training/personnel_detail.html", context)


@require("personnel.edit")
def person_new(request: HttpRequest) -> HttpResponse:
    enterprises = visible_enterprises(request.user)
    initial: dict[str, Any] = {}
    raw = query_text(request.GET, "enterprise")
    if raw.isdigit() and enterprises.filter(pk=int(raw)).exists():
        initial["enterprise"] = int(raw)
    elif enterprises.count() == 1:
        initial["enterprise"] = enterprises.get().pk
    form = PersonForm(request.POST or None, enterprises=enterprises, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        enterprise = access_enterprise(request.user, data.pop("enterprise").pk)
        try:
            person = person_create(actor=request.user, enterprise=enterprise, data=data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _g("已登记人员：%(name)s") % {"name": person.name})
            return redirect("training:person_detail", person.pk)
    return render(request, "training/personnel_form.html", {"form": form, "person": None})


@require("personnel.edit")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk)
    initial = {key: getattr(person, key) for key in PERSON_FIELDS if key != "id_number"}
    form = PersonForm(request.POST or None, initial=initial)
    form.fields["id_number"].help_text = _g("不修改请留空（当前：%(masked)s）") % {
        "masked": person.masked_id_number
    }
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not (k == "id_number" and not v)}
        try:
            person_update(actor=request.user, person=person, data=data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _g("已保存"))
            return redirect("training:person_detail", person.pk)
    return render(request, "training/personnel_form.html", {"form": form, "person": person})


@require_POST
@require("personnel.edit")
def person_leave_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            person_leave(actor=request.user, person=person, left_on=form.cleaned_data["left_on"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _g("已登记离职"))
            return redirect("training:person_detail", person.pk)
    context = _detail_context(request, person)
    context["leave_form"] = form
    return render(request, "training/personnel_detail.html", context, status=400)


urlpatterns: list[URLPattern] = [
    path("personnel/", person_list, name="person_list"),
    path("personnel/new/", person_new, name="person_new"),
    path("personnel/<int:pk>/", person_detail, name="person_detail"),
    path("personnel/<int:pk>/edit/", person_edit, name="person_edit"),
    path("personnel/<int:pk>/reveal/", person_reveal, name="person_reveal"),
    path("personnel/<int:pk>/leave/", person_leave_view, name="person_leave"),
    *personnel_certificates.urlpatterns,
    *personnel_hours.urlpatterns,
    *personnel_imports.urlpatterns,
]
