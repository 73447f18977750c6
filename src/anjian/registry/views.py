from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from anjian.accounts.access import require, visible_bodies
from anjian.registry import exports
from anjian.registry.access import (
    access_enterprise,
    access_officer,
    visible_enterprises,
    visible_officers,
)
from anjian.registry.exports import ENTERPRISE_LEDGER, OFFICER_LEDGER
from anjian.registry.filters import EnterpriseFilter, OfficerFilter
from anjian.registry.forms import DeleteForm, EnterpriseAccountForm, EnterpriseForm, OfficerForm
from anjian.registry.import_views import ImportKind, import_page
from anjian.registry.imports import (
    enterprise_import_check,
    enterprise_import_commit,
    officer_import_check,
    officer_import_commit,
)
from anjian.registry.services import (
    enterprise_account_create,
    enterprise_create,
    enterprise_delete,
    enterprise_update,
    officer_create,
    officer_delete,
    officer_update,
)
from anjian.registry.spreadsheets import ENTERPRISE_COLUMNS, OFFICER_COLUMNS, template_workbook
from anjian.registry.tables import EnterpriseTable, OfficerTable
from anjian.ui.ledger import ledger_output

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _save_form(
    request: HttpRequest, form: EnterpriseForm | OfficerForm, save: object
) -> object | None:
    """Runs the service; its validation errors go back onto the form."""
    try:
        return save()  # type: ignore[operator]
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None


# ---- enterprises ---------------------------------------------------------------------------


@require("registry.view")
def enterprise_list(request: HttpRequest) -> HttpResponse:
    queryset = visible_enterprises(request.user).select_related("supervising_body")
    search = EnterpriseFilter(request.GET or None, queryset=queryset)
    rows = search.qs if search.is_bound and search.is_valid() else queryset
    if request.GET.get("export") == "xlsx":
        return _xlsx(exports.enterprises_xlsx(rows), "enterprises.xlsx")
    if out := ledger_output(request, rows, ENTERPRISE_LEDGER, title=_("企业台账")):
        return out
    table = EnterpriseTable(rows)
    RequestConfig(request, paginate={"per_page": 20}).configure(table)
    context = {"filter": search, "table": table, "can_edit": request.user.can("registry.edit")}
    return render(request, "registry/enterprise_list.html", context)


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not (user.can("registry.view") or user.can("enterprise.self")):
        raise PermissionDenied(_("您的角色无权查看企业信息。"))
    enterprise = access_enterprise(user, pk)
    return render(
        request,
        "registry/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "can_edit": user.can("registry.edit"),
            "accounts": enterprise.memberships.select_related("user")
            if user.can("registry.edit")
            else [],
        },
    )


@login_required
def my_enterprise(request: HttpRequest) -> HttpResponse:
    membership = getattr(request.user, "enterprise_membership", None)
    if membership is None:
        raise Http404(_("您的账号未关联企业。"))
    return redirect("registry:enterprise_detail", pk=membership.enterprise_id)


@require("registry.edit")
def enterprise_create_view(request: HttpRequest) -> HttpResponse:
    form = EnterpriseForm(request.POST or None, bodies=visible_bodies(request.user))
    if request.method == "POST" and form.is_valid():
        enterprise = _save_form(
            request, form, lambda: enterprise_create(actor=request.user, data=form.cleaned_data)
        )
        if enterprise is not None:
            messages.success(request, _("企业已登记。"))
            return redirect("registry:enterprise_detail", pk=enterprise.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("登记企业"), "back": reverse("registry:enterprise_list")},
    )


@require("registry.edit")
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access_enterprise(request.user, pk)
    form = EnterpriseForm(
        request.POST or None, instance=enterprise, bodies=visible_bodies(request.user)
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_form(
            request,
            form,
            lambda: enterprise_update(
                actor=request.user, enterprise=enterprise, data=form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("企业信息已保存。"))
            return redirect("registry:enterprise_detail", pk=pk)
    back = reverse("registry:enterprise_detail", args=[pk])
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("编辑：%(name)s") % {"name": enterprise.name}, "back": back},
    )


@require("registry.edit")
def enterprise_account_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access_enterprise(request.user, pk)
    form = EnterpriseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = _save_form(
            request,
            form,
            lambda: enterprise_account_create(
                actor=request.user,
                enterprise=enterprise,
                username=data["username"],
                display_name=data["display_name"],
                password=data["password1"],
            ),
        )
        if account is not None:
            messages.success(
                request,
                _("已为“%(enterprise)s”开通账号%(username)s。")
                % {"enterprise": enterprise.name, "username": data["username"]},
            )
            return redirect("registry:enterprise_detail", pk=pk)
    back = reverse("registry:enterprise_detail", args=[pk])
    title = _("开通企业账号：%(name)s") % {"name": enterprise.name}
    return render(request, "registry/form.html", {"form": form, "title": title, "back": back})


@require("registry.edit")
def enterprise_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access_enterprise(request.user, pk)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enterprise_delete(
            actor=request.user, enterprise=enterprise, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("已删除企业“%(name)s”。") % {"name": enterprise.name})
        return redirect("registry:enterprise_list")
    back = reverse("registry:enterprise_detail", args=[pk])
    return render(
        request, "registry/delete.html", {"form": form, "object": enterprise, "back": back}
    )


ENTERPRISE_IMPORT = ImportKind(
    key="enterprise",
    title=gettext_lazy("企业"),
    template_url="registry:enterprise_template",
    list_url="registry:enterprise_list",
    check=enterprise_import_check,
    commit=enterprise_import_commit,
    updates=True,
)


@require("registry.import")
def enterprise_import(request: HttpRequest) -> HttpResponse:
    return import_page(request, ENTERPRISE_IMPORT)


@require("registry.import")
def enterprise_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(template_workbook(ENTERPRISE_COLUMNS, "企业"), "enterprise-template.xlsx")


# ---- officers ------------------------------------------------------------------------------


@require("officer.view")
def officer_list(request: HttpRequest) -> HttpResponse:
    queryset = visible_officers(request.user).select_related("body", "section")
    search = OfficerFilter(request.GET or None, queryset=queryset, request=request)
    rows = search.qs if search.is_bound and search.is_valid() else queryset
    if request.GET.get("export") == "xlsx":
        return _xlsx(exports.officers_xlsx(rows), "officers.xlsx")
    if out := ledger_output(request, rows, OFFICER_LEDGER, title=_("执法人员")):
        return out
    table = OfficerTable(rows)
    RequestConfig(request, paginate={"per_page": 20}).configure(table)
    context = {"filter": search, "table": table, "can_edit": request.user.can("officer.edit")}
    return render(request, "registry/officer_list.html", context)


@require("officer.view")
def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    officer = access_officer(request.user, pk)
    return render(
        request,
        "registry/officer_detail.html",
        {"officer": officer, "can_edit": request.user.can("officer.edit")},
    )


@require("officer.edit")
def officer_create_view(request: HttpRequest) -> HttpResponse:
    form = OfficerForm(request.POST or None, bodies=visible_bodies(request.user))
    if request.method == "POST" and form.is_valid():
        officer = _save_form(
            request, form, lambda: officer_create(actor=request.user, data=form.cleaned_data)
        )
        if officer is not None:
            messages.success(request, _("执法人员已登记。"))
            return redirect("registry:officer_detail", pk=officer.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("登记执法人员"), "back": reverse("registry:officer_list")},
    )


@require("officer.edit")
def officer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    officer = access_officer(request.user, pk)
    form = OfficerForm(request.POST or None, instance=officer, bodies=visible_bodies(request.user))
    if request.method == "POST" and form.is_valid():
        saved = _save_form(
            request,
            form,
            lambda: officer_update(actor=request.user, officer=officer, data=form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("执法人员信息已保存。"))
            return redirect("registry:officer_detail", pk=pk)
    back = reverse("registry:officer_detail", args=[pk])
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("编辑：%(name)s") % {"name": officer.name}, "back": back},
    )


@require("officer.edit")
def officer_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    officer = access_officer(request.user, pk)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        officer_delete(actor=request.user, officer=officer, reason=form.cleaned_data["reason"])
        messages.success(request, _("已删除执法人员“%(name)s”。") % {"name": officer.name})
        return redirect("registry:officer_list")
    back = reverse("registry:officer_detail", args=[pk])
    return render(request, "registry/delete.html", {"form": form, "object": officer, "back": back})


OFFICER_IMPORT = ImportKind(
    key="officer",
    title=gettext_lazy("执法人员"),
    template_url="registry:officer_template",
    list_url="registry:officer_list",
    check=officer_import_check,
    commit=officer_import_commit,
    updates=True,
)


@require("officer.edit")
def officer_import(request: HttpRequest) -> HttpResponse:
    return import_page(request, OFFICER_IMPORT)


@require("officer.edit")
def officer_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(template_workbook(OFFICER_COLUMNS, "执法人员"), "officer-template.xlsx")
