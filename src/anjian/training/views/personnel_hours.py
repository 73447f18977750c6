"""Training records and hours: add a record to a person, and the 培训学时 page (per enterprise or
over the user's whole scope): who is short of the year's hours or the three-level induction, the
online share (the work plan says too much training is online), and which institution trained
how many people for how many hours."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _g

from anjian.accounts.access import require
from anjian.domain.training.hours import YearHours
from anjian.policy.views.common import form_errors, today
from anjian.registry.access import visible_enterprises
from anjian.training import ledger_columns
from anjian.training.access import access_person, visible_persons
from anjian.training.models import Person
from anjian.training.services.hours_overview import hours_overview, hours_page
from anjian.training.services.records import training_record_create
from anjian.training.views.personnel_forms import HoursFilterForm, RecordForm
from anjian.ui.ledger import LEDGER_CAP, ledger_output
from anjian.ui.pages import query_text, safe_page

PER_PAGE = 50


@require("personnel.edit")
def record_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk)
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            training_record_create(actor=request.user, person=person, data=form.service_data())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _g("已登记培训记录"))
            return redirect("training:person_detail", person.pk)
    return render(request, "training/hours_record_form.html", {"form": form, "person": person})


@require("personnel.view")
def hours(request: HttpRequest) -> HttpResponse:
    day = today()
    enterprises = visible_enterprises(request.user)
    data = {key: query_text(request.GET, key) for key in HoursFilterForm.base_fields}
    data["year"] = data["year"] or str(day.year)
    form = HoursFilterForm(data, enterprises=enterprises)
    form.is_valid()
    values = form.cleaned_data
    year = values.get("year") or day.year
    persons = visible_persons(request.user)
    enterprise = values.get("enterprise")
    if enterprise is not None:
        persons = persons.filter(enterprise=enterprise)
    overview = hours_overview(persons, year)
    entries = overview.short if values.get("short_only") else overview.entries
    title = _g("%(y)s 年培训学时") % {"y": year}

    def ledger() -> Iterator[tuple[Person, YearHours]]:  # read only for an export or a print
        yield from hours_page(entries[: LEDGER_CAP + 1])  # one query for the people

    if out := ledger_output(request, ledger(), ledger_columns.HOURS, title=title):
        return out
    page = safe_page(Paginator(entries, PER_PAGE), request.GET.get("page"))
    context = {
        "form": form,
        "year": year,
        "enterprise": enterprise,
        "overview": overview,
        "page": page,
        "rows": hours_page(list(page.object_list)),
    }
    return render(request, "training/hours_overview.html", context)


urlpatterns: list[URLPattern] = [
    path("personnel/<int:pk>/records/new/", record_new, name="record_new"),
    path("hours/", hours, name="hours"),
]
