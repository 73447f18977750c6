"""The on-site exam's officer pages: opening an exam on a checked-in inspection, the exam page
with its QR code and the live list of attempts (refreshed by htmx), closing, and the results as
Excel. Only the task's officers open and close; bureau staff who see the enterprise read.

The workers' public pages (no login) live in `exam_public.py`; their URLs are listed here too."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.inspections.access import access_task, is_task_officer, require_task_officer
from anjian.inspections.codes import qr_svg
from anjian.policy.views.common import flash_errors, form_errors
from anjian.training.access import access_exam
from anjian.training.exam_sheets import results_workbook
from anjian.training.models import ExamAttempt, ExamMode, FieldExam, PersonRole
from anjian.training.services.exam_attempts import (
    attempt_close,
    attempt_reset,
    unfinished_attempts,
)
from anjian.training.services.exams import (
    DEFAULT_ITEMS,
    MAX_ITEMS,
    MAX_SE,
    MIN_ITEMS,
    MIN_SE,
    STOP_LABELS,
    ExamSettings,
    exam_attempts,
    exam_close,
    exam_is_open,
    exam_open,
    job_labels,
    task_accepts_exams,
)
from anjian.training.views import exam_public
from anjian.ui.forms import bootstrap
from anjian.ui.pages import attachment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("请先登录。")
    return user


class ExamOpenForm(forms.Form):
    """Parses the officer's choices; the service checks the ranges and the pool."""

    jobs = forms.MultipleChoiceField(
        label=_("考试岗位"),
        choices=PersonRole.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个考试岗位")},
    )
    mode = forms.ChoiceField(
        label=_("组卷方式"),
        choices=ExamMode.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("请选择组卷方式：自适应或固定试卷")},
    )
    max_items = forms.IntegerField(
        label=_("最多题数"),
        help_text=_("5–50 题；少于 10 题时成绩误差较大，合格与否宜结合复考判断"),
        error_messages={"required": _("请填写最多题数"), "invalid": _("最多题数应为整数")},
        widget=forms.NumberInput(attrs={"min": MIN_ITEMS, "max": MAX_ITEMS, "step": 1}),
    )
    min_se = forms.FloatField(
        label=_("精度要求（标准误）"),
        required=False,
        help_text=_("0.25–0.8，越小越精确、题数越多；留空则只按题数结束（仅自适应考试有效）"),
        error_messages={"invalid": _("精度要求应为数字，如 0.4")},
        widget=forms.NumberInput(attrs={"min": MIN_SE, "max": MAX_SE, "step": 0.05}),
    )
    pass_mark = forms.FloatField(
        label=_("合格分"),
        error_messages={"required": _("请填写合格分"), "invalid": _("合格分应为数字")},
        widget=forms.NumberInput(attrs={"min": 1, "max": 100, "step": 1}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "jobs": [PersonRole.WORKER],
                "mode": ExamMode.ADAPTIVE,
                "max_items": DEFAULT_ITEMS,
                "pass_mark": settings.ANJIAN_EXAM_PASS_MARK,
            },
        )
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def options(self) -> ExamSettings:
        data = self.cleaned_data
        return ExamSettings(
            jobs=list(data["jobs"]),
            mode=data["mode"],
            max_items=data["max_items"],
            min_se=data["min_se"],
            pass_mark=data["pass_mark"],
        )


@require("exam.open")
def exam_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = access_task(user, pk)
    require_task_officer(user, task)
    form = ExamOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exam = exam_open(actor=user, task=task, options=form.options(), now=timezone.now())
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _g("已开考，请工作人员扫描二维码作答"))
            return redirect("training:exam_detail", pk=exam.pk)
    context = {"task": task, "form": form, "accepts": task_accepts_exams(task)}
    return render(request, "training/exam_new.html", context)


def _public_url(request: HttpRequest, exam: FieldExam) -> str:
    return request.build_absolute_uri(reverse("training:exam_take", args=[exam.token]))


@require("training.view")
def exam_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    exam = access_exam(user, pk)
    now = timezone.now()
    context: dict[str, Any] = {
        "exam": exam,
        "attempts": list(exam_attempts(exam)),
        "is_open": exam_is_open(exam, now),
        "is_officer": is_task_officer(user, exam.task),
        "jobs": job_labels(exam.jobs),
        "stop_labels": STOP_LABELS,
        "running": unfinished_attempts(exam).count(),
    }
    if getattr(request, "htmx", False):
        return render(request, "training/exam_attempts.html", context)
    if context["is_officer"]:
        context["end_form"] = AttemptEndForm(exam=exam) if context["running"] else None
    if context["is_officer"] and context["is_open"] and exam.task.finished_at is None:
        url = _public_url(request, exam)
        context.update(public_url=url, qr=qr_svg(url, scale=8))
    return render(request, "training/exam_detail.html", context)


@require("exam.open")
@require_POST
def exam_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    exam = access_exam(user, pk)
    try:
        exam_close(actor=user, exam=exam, now=timezone.now())
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _g("考试已结束，工作人员不能再开始或继续作答"))
    return redirect("training:exam_detail", pk=exam.pk)


class AttemptEndForm(forms.Form):
    """An officer ending an abandoned attempt: which one, 中止 or 作废, and why."""

    attempt = forms.ModelChoiceField(
        label=_("答卷"),
        queryset=ExamAttempt.objects.none(),
        error_messages={"required": _("请选择答卷"), "invalid_choice": _("该答卷已交卷或已处理")},
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写理由")},
    )

    def __init__(self, *args: Any, exam: FieldExam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attempt"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = unfinished_attempts(exam)
        field.label_from_instance = lambda a: f"{a.name}（{a.id_last4}）{a.get_job_display()}"
        bootstrap(self)


@require("exam.open")
@require_POST
def exam_attempt_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    exam = access_exam(user, pk)
    require_task_officer(user, exam.task)
    form = AttemptEndForm(request.POST, exam=exam)
    reset = request.POST.get("action") == "reset"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(reverse("training:exam_detail", args=[exam.pk]) + "#attempt-end")
    attempt, reason = form.cleaned_data["attempt"], form.cleaned_data["reason"]
    service = attempt_reset if reset else attempt_close
    try:
        service(actor=user, attempt=attempt, reason=reason, now=timezone.now())
    except ValidationError as error:
        flash_errors(request, error)
    else:
        done = _g("已作废，该工作人员可以重新开始考试") if reset else _g("已中止，该答卷不计成绩")
        messages.success(request, f"{attempt.name}：{done}")
    return redirect("training:exam_detail", pk=exam.pk)


@require("training.view")
def exam_results(request: HttpRequest, pk: int) -> HttpResponse:
    exam = access_exam(_user(request), pk)
    name = f"现场考试成绩-{exam.enterprise.name}-{exam.opened_at:%Y%m%d}.xlsx"
    return attachment(results_workbook(exam), name, XLSX)


urlpatterns: list[URLPattern] = [
    path("tasks/<int:pk>/exams/new/", exam_new, name="exam_new"),
    path("exams/<int:pk>/", exam_detail, name="exam_detail"),
    path("exams/<int:pk>/close/", exam_close_view, name="exam_close"),
    path("exams/<int:pk>/attempts/end/", exam_attempt_end, name="exam_attempt_end"),
    path("exams/<int:pk>/results.xlsx", exam_results, name="exam_results"),
    *exam_public.urlpatterns,
]
