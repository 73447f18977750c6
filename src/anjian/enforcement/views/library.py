"""The discretion library: benchmark versions (list, detail, Excel import, template, export,
withdrawal), flexible-enforcement lists (list, detail, TOML import, withdrawal) and the statute's
ranges. Every member of the bureau reads them; only the legal office changes them."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.domain.discretion.benchmark import FAMILIES
from anjian.domain.registry import SECTORS
from anjian.enforcement.benchmark_export import benchmark_template, benchmark_workbook
from anjian.enforcement.forms import AdoptForm
from anjian.enforcement.services.library import (
    ImportCheck,
    benchmark_import,
    benchmark_import_check,
    benchmark_version,
    benchmark_versions,
    benchmark_withdraw,
    benchmarks_in_force,
    in_force,
    list_import,
    list_import_check,
    list_version,
    list_versions,
    list_withdraw,
    lists_in_force,
    version_adopt,
    withdrawal,
)
from anjian.enforcement.views.library_tables import (
    benchmark_view,
    general_rules_view,
    list_view,
    statute_view,
    template_example,
)
from anjian.policy.views.common import flash_errors, today
from anjian.registry.import_views import errors_download, park_errors, park_upload, take_parked
from anjian.ui.forms import bootstrap
from anjian.ui.pages import attachment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BenchmarkHeaderForm(forms.Form):
    key = forms.CharField(
        label=_("基准标识"), max_length=60, help_text=_("同一基准的各版本用同一标识")
    )
    version = forms.CharField(label=_("版本"), max_length=60, help_text=_("如 2024-11-01 原件版"))
    name = forms.CharField(label=_("名称"), max_length=200)
    issuer = forms.CharField(label=_("制定机关"), max_length=120)
    document = forms.CharField(label=_("文号"), max_length=120)
    family = forms.ChoiceField(label=_("适用类别"), choices=list(FAMILIES.items()))
    sectors = forms.MultipleChoiceField(
        label=_("适用行业"),
        choices=list(SECTORS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选：该类别的全部行业"),
    )
    effective_from = forms.DateField(label=_("生效日期"), widget=DAY)
    effective_until = forms.DateField(label=_("失效日期"), required=False, widget=DAY)
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(label=_("Excel文件（.xlsx）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
        self.fields["sectors"].widget.attrs.pop("class", None)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 文件（可先下载模板）")
        return upload

    def header(self) -> dict[str, Any]:
        data = self.cleaned_data
        header = {key: data[key] for key in ("version", "name", "issuer", "document", "family")}
        header.update(id=data["key"], sectors=list(data["sectors"]), note=data["note"])
        header["effective_from"] = data["effective_from"].isoformat()
        if data["effective_until"]:
            header["effective_until"] = data["effective_until"].isoformat()
        return header


class ListUploadForm(forms.Form):
    file = forms.FileField(label=_("清单文件（.toml，UTF-8）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


def _status(version: Any, day: date) -> str:
    if version.withdrawn_at is not None:
        return "withdrawn"
    if in_force([version], day):
        return "in_force"
    return "pending" if version.effective_from > day else "expired"


@require("penalty.view")
def benchmark_list(request: HttpRequest) -> HttpResponse:
    day = today()
    versions = [(v, _status(v, day)) for v in benchmark_versions()]
    context = {"current": benchmarks_in_force(day), "versions": versions, "today": day}
    return render(request, "enforcement/benchmark_list.html", context)


@require("penalty.view")
def benchmark_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = benchmark_version(pk)
    context = {
        "version": version,
        "status": _status(version, today()),
        "view": benchmark_view(version.data),
        "withdrawal": withdrawal(version),
        "withdraw_form": WithdrawForm(),
        "adopt_form": AdoptForm(),
    }
    return render(request, "enforcement/benchmark_detail.html", context)


def _initial(request: HttpRequest) -> dict[str, Any]:
    """The header of an existing version, to import a new version of the same benchmark."""
    source = request.GET.get("from", "")
    if not source.isdigit():
        return {}
    data = benchmark_version(int(source)).data
    initial = {k: data.get(k) for k in ("name", "issuer", "document", "family", "sectors", "note")}
    return {**initial, "key": data.get("id"), "effective_from": data.get("effective_from")}


@require("benchmark.edit")
def benchmark_import_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("token"):
        return _benchmark_confirm(request)
    if download := errors_download(request, "benchmark_import"):
        return download
    form = BenchmarkHeaderForm(
        request.POST or None, request.FILES or None, initial=_initial(request)
    )
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        check = benchmark_import_check(header=form.header(), content=content)
        context["check"] = check
        if check.ok:
            token = park_upload(request, "benchmark_import", content, header=form.header())
            context.update(token=token, view=benchmark_view(check.data))
        elif check.errors:
            context["errors_token"] = park_errors(
                request, "benchmark_import", content, check.errors
            )
    return render(request, "enforcement/benchmark_import.html", context)


def _benchmark_confirm(request: HttpRequest) -> HttpResponse:
    parked = take_parked(request, "benchmark_import")
    if parked is None:
        messages.error(request, _("导入已过期，请重新上传"))
        return redirect("enforcement:benchmark_import")
    content, session = parked
    try:
        row = benchmark_import(actor=request.user, header=session["header"], content=content)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("enforcement:benchmark_import")
    messages.success(request, f"已导入 {row}：{row.entry_count} 个条目、{row.tier_count} 个阶次")
    return redirect("enforcement:benchmark_detail", pk=row.pk)


@require("benchmark.edit")
def benchmark_template_view(request: HttpRequest) -> HttpResponse:
    return attachment(benchmark_template(template_example()), "裁量基准导入模板.xlsx", XLSX)


@require("penalty.view")
def benchmark_export(request: HttpRequest, pk: int) -> HttpResponse:
    version = benchmark_version(pk)
    name = f"{version.name}（{version.version}）.xlsx".replace("/", "-")
    return attachment(benchmark_workbook(version.data), name, XLSX)


@require("benchmark.edit")
@require_POST
def benchmark_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = benchmark_version(pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写撤回理由")
        return redirect("enforcement:benchmark_detail", pk=pk)
    try:
        benchmark_withdraw(
            actor=request.user, version=version, reason=form.cleaned_data["reason"], today=today()
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"{version} 已撤回，裁量建议不再使用该版本")
    return redirect("enforcement:benchmark_detail", pk=pk)


@require("benchmark.edit")
@require_POST
def benchmark_adopt_view(request: HttpRequest, pk: int) -> HttpResponse:
    """采用: the legal office enters the official title and number of a benchmark version."""
    version = benchmark_version(pk)
    form = AdoptForm(request.POST)
    form.is_valid()
    try:
        version_adopt(
            actor=request.user,  # type: ignore[arg-type]
            version=version,
            title=form.cleaned_data.get("title", ""),
            document=form.cleaned_data.get("document", ""),
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"{version} 已采用，处罚决定书将引用其正式名称和文号")
    return redirect("enforcement:benchmark_detail", pk=pk)


@require("penalty.view")
def list_list(request: HttpRequest) -> HttpResponse:
    day = today()
    versions = [(v, _status(v, day)) for v in list_versions()]
    context = {"current": lists_in_force(day), "versions": versions, "today": day}
    return render(request, "enforcement/list_list.html", context)


@require("penalty.view")
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = list_version(pk)
    context = {
        "version": version,
        "status": _status(version, today()),
        "view": list_view(version.data),
        "withdrawal": withdrawal(version),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "enforcement/list_detail.html", context)


@require("benchmark.edit")
def list_import_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("token"):
        return _list_confirm(request)
    form = ListUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "example": _example_list()}
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        check: ImportCheck = list_import_check(content=content)
        context["check"] = check
        if check.ok:
            token = secrets.token_hex(16)
            request.session["list_import"] = {"token": token, "text": content.decode("utf-8-sig")}
            context.update(token=token, view=list_view(check.data))
    return render(request, "enforcement/list_import.html", context)


def _example_list() -> str:
    from importlib import resources

    folder = resources.files("anjian.policy_data.discretion").joinpath("lists")
    return folder.joinpath("no-penalty-starter.toml").read_text(encoding="utf-8")


def _list_confirm(request: HttpRequest) -> HttpResponse:
    parked = request.session.pop("list_import", None) or {}
    if not parked or parked.get("token") != request.POST.get("token"):
        messages.error(request, "导入已过期，请重新上传")
        return redirect("enforcement:list_import")
    try:
        row = list_import(actor=request.user, content=parked["text"].encode("utf-8"))
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("enforcement:list_import")
    messages.success(request, f"已导入 {row}：{row.item_count} 个事项")
    return redirect("enforcement:list_detail", pk=row.pk)


@require("benchmark.edit")
def list_template_view(request: HttpRequest) -> HttpResponse:
    content = _example_list().encode("utf-8")
    return attachment(content, "不予处罚清单示例.toml", "application/toml; charset=utf-8")


@require("benchmark.edit")
@require_POST
def list_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = list_version(pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写撤回理由")
        return redirect("enforcement:list_detail", pk=pk)
    try:
        list_withdraw(
            actor=request.user, version=version, reason=form.cleaned_data["reason"], today=today()
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"{version} 已撤回")
    return redirect("enforcement:list_detail", pk=pk)


@require("penalty.view")
def statute(request: HttpRequest) -> HttpResponse:
    context = {"laws": statute_view(), "rules": general_rules_view()}
    return render(request, "enforcement/statute_page.html", context)
