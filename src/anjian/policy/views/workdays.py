"""The holiday and make-up workday table (节假日与调休): every bureau member sees it; the office
and the bureau head enter the days of a year `chinesecalendar` does not know, or correct it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.policy.forms import DATE_INPUT
from anjian.policy.models import WorkdayOverride
from anjian.policy.services.workdays import workday_override_add, workday_override_delete
from anjian.policy.views.common import flash_errors, form_errors, today
from anjian.policy.workdays import package_days, year_overrides, year_status
from anjian.ui.forms import bootstrap

FIRST_YEAR = 2020
HOLIDAY, WORKDAY = "holiday", "workday"
DENIED = "只有办公室或局领导可以维护节假日与调休"


def _years() -> list[int]:
    return list(range(FIRST_YEAR, today().year + 3))  # up to next year + 1


class WorkdayOverrideForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[(HOLIDAY, _("法定节假日（放假）")), (WORKDAY, _("调休上班"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=60,
        required=False,
        help_text=_("如：春节、国庆节调休"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
        self.fields["kind"].widget.attrs["class"] = "form-check-input"

    def clean_date(self) -> date:
        day: date = self.cleaned_data["date"]
        years = _years()
        if not years[0] <= day.year <= years[-1]:
            raise ValidationError(
                _("只能登记 %(first)s 年至 %(last)s 年的日期")
                % {"first": years[0], "last": years[-1]}
            )
        return day


def _year(raw: str | None) -> int:
    years = _years()
    if raw and raw.isdigit() and int(raw) in years:
        return int(raw)
    return today().year


@require("policy.view")
def workday_list(request: HttpRequest) -> HttpResponse:
    can_edit = request.user.can("calendar.edit")
    form = WorkdayOverrideForm(request.POST or None)
    year = _year(request.GET.get("year"))
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(DENIED)
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = workday_override_add(
                    actor=request.user,
                    day=data["date"],
                    is_workday=data["kind"] == WORKDAY,
                    note=data["note"],
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, gettext("已登记：%(row)s") % {"row": row})
                return redirect(f"{request.path}?year={row.date.year}")
        year = form.cleaned_data["date"].year if "date" in form.cleaned_data else year
    context = {
        "year": year,
        "years": _years(),
        "status": year_status(year),
        "rows": year_overrides(year),
        "package_days": package_days(year),
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "policy/workday_list.html", context)


@require("policy.view")
@require_POST
def workday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.can("calendar.edit"):
        raise PermissionDenied(DENIED)
    row = WorkdayOverride.objects.filter(pk=pk).first()
    if row is None:
        raise Http404("未找到该节假日或调休记录")
    try:
        workday_override_delete(actor=request.user, override=row)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, gettext("已删除：%(row)s") % {"row": row})
    return redirect(f"{reverse('policy:workday_list')}?year={row.date.year}")
