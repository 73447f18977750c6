"""The personnel import (template, dry run, confirm), on the registry's two-step import page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy, ngettext

from anjian.accounts.access import require
from anjian.registry.import_views import ImportKind, import_page
from anjian.training.personnel_sheets import person_template as template_bytes
from anjian.training.services.personnel_import import person_import_check, person_import_commit
from anjian.ui.pages import attachment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PERSON_IMPORT = ImportKind(
    key="training_person",
    title=gettext_lazy("从业人员"),
    template_url="training:person_template",
    list_url="training:person_list",
    check=person_import_check,
    commit=person_import_commit,
    done=lambda n: ngettext("已导入%(count)s名人员。", "已导入%(count)s名人员。", n),
)


@require("personnel.edit")
def person_import(request: HttpRequest) -> HttpResponse:
    return import_page(request, PERSON_IMPORT)


@require("personnel.edit")
def person_template(request: HttpRequest) -> HttpResponse:
    return attachment(template_bytes(), "从业人员导入模板.xlsx", XLSX)


urlpatterns: list[URLPattern] = [
    path("personnel/import/", person_import, name="person_import"),
    path("personnel/template.xlsx", person_template, name="person_template"),
]
