"""The question bank's pages: the list with filters and counts by topic, a question with its
versions, the Excel import (dry run → preview → confirm), the template and the export. Every
member of the bureau reads the bank; the office and HR & finance change it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from anjian.accounts.access import require
from anjian.domain.exam.questions import JOBS, KINDS, QUESTION_SECTORS, TOPICS
from anjian.policy.views.common import flash_errors
from anjian.registry.import_views import errors_download, park_errors, park_upload, take_parked
from anjian.training.models import QuestionStatus
from anjian.training.services.questions import (
    question_get,
    question_import,
    question_import_check,
    question_search,
    question_topic_counts,
    question_versions,
)
from anjian.training.spreadsheets import question_template as template_workbook
from anjian.training.spreadsheets import question_workbook
from anjian.ui.forms import bootstrap
from anjian.ui.pages import attachment, query_text, safe_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "question_import"
PER_PAGE = 50


def _choices(vocabulary: dict[str, str]) -> list[tuple[str, Any]]:
    return [("", _("全部")), *vocabulary.items()]


class QuestionFilterForm(forms.Form):
    q = forms.CharField(label=_("编号或题干"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("行业"), required=False, choices=_choices(QUESTION_SECTORS))
    job = forms.ChoiceField(label=_("岗位"), required=False, choices=_choices(JOBS))
    topic = forms.ChoiceField(label=_("知识点"), required=False, choices=_choices(TOPICS))
    kind = forms.ChoiceField(label=_("题型"), required=False, choices=_choices(KINDS))
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *QuestionStatus.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class QuestionUploadForm(forms.Form):
    file = forms.FileField(label=_("Excel文件（.xlsx）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件（可先下载模板）"))
        return upload


def _filters(request: HttpRequest) -> tuple[QuestionFilterForm, dict[str, str]]:
    """The list's filters; the status defaults to 在用, and a malformed value is ignored."""
    data = {key: query_text(request.GET, key) for key in QuestionFilterForm.base_fields}
    if "status" not in request.GET:
        data["status"] = QuestionStatus.ACTIVE
    form = QuestionFilterForm(data)
    form.is_valid()
    cleaned = {key: str(form.cleaned_data.get(key) or "") for key in form.fields}
    return form, cleaned


@require("training.view")
def question_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    questions = question_search(filters).select_related("created_by")
    counts = question_topic_counts(question_search({**filters, "topic": ""}))
    page = safe_page(Paginator(questions, PER_PAGE), request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "total": page.paginator.count,
        "topic_counts": [(key, label, counts.get(key, 0)) for key, label in TOPICS.items()],
        "query": urlencode(filters),
        "topic_query": urlencode({k: v for k, v in filters.items() if k != "topic"}),
    }
    return render(request, "training/question_list.html", context)


@require("training.view")
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = question_get(pk)
    context = {"question": question, "versions": question_versions(question.code)}
    return render(request, "training/question_detail.html", context)


@require("question.edit")
def question_import_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("token"):
        return _confirm(request)
    if download := errors_download(request, SESSION_KEY):
        return download
    form = QuestionUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        check = question_import_check(content=content)
        context["check"] = check
        if check.ok:
            context["token"] = park_upload(request, SESSION_KEY, content)
        elif check.errors:
            context["errors_token"] = park_errors(request, SESSION_KEY, content, check.errors)
    return render(request, "training/question_import.html", context)


def _confirm(request: HttpRequest) -> HttpResponse:
    parked = take_parked(request, SESSION_KEY)
    if parked is None:
        messages.error(request, _g("导入已过期，请重新上传"))
        return redirect("training:question_import")
    try:
        plan = question_import(actor=request.user, content=parked[0])
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("training:question_import")
    messages.success(
        request,
        _g("已导入：新增 %(new)d 题，更新 %(changed)d 题（旧版本已停用），未变 %(unchanged)d 题")
        % plan.counts,
    )
    return redirect("training:question_list")


@require("question.edit")
def question_template(request: HttpRequest) -> HttpResponse:
    return attachment(template_workbook(), "题库导入模板.xlsx", XLSX)


@require("question.edit")
def question_export(request: HttpRequest) -> HttpResponse:
    """The questions in use that match the list's filters, in the import format."""
    _form, filters = _filters(request)
    questions = question_search({**filters, "status": QuestionStatus.ACTIVE})
    return attachment(question_workbook(q.as_domain() for q in questions), "题库.xlsx", XLSX)
