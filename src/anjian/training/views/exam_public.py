"""The worker's pages of an on-site exam, opened from the QR code on a phone without an account:
the start form (name, job, last four ID digits), one question per page, and the result with the
right answers and explanations.

The phone keeps the attempt's random key in a signed cookie scoped to the exam's address; every
page finds the attempt by that key. The start form also resumes: the same name, job and last four
digits on another phone continue the worker's unfinished attempt (its key is renewed). Refusals
(unknown code, closed exam, missing or unknown key, tampered answer) render a page with a clear
message and the fitting status, never an error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from anjian.training.models import ExamAttempt, FieldExam, PersonRole
from anjian.training.services.exam_flow import (
    CLOSED,
    ENDED,
    FINISHED,
    NO_ATTEMPT,
    attempt_answer,
    attempt_by_key,
    attempt_enter,
    attempt_next,
    exam_by_token,
)
from anjian.training.services.exams import (
    STOP_LABELS,
    attempt_review,
    exam_is_open,
    question_choices,
)

COOKIE = "anjian_exam_attempt"
COOKIE_SALT = "training.exam.attempt"
COOKIE_DAYS = 7
GONE_STATUS = {CLOSED: 410, NO_ATTEMPT: 403, FINISHED: 400, ENDED: 410}


class StartForm(forms.Form):
    name = forms.CharField(
        label=_("姓名"),
        max_length=40,
        error_messages={"required": _("请填写姓名"), "max_length": _("姓名不能超过 40 个字")},
        widget=forms.TextInput(attrs={"autocomplete": "name", "class": "form-control-lg"}),
    )
    job = forms.ChoiceField(
        label=_("岗位"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择您的岗位"),
            "invalid_choice": _("请选择本场考试的岗位"),
        },
    )
    id_last4 = forms.CharField(
        label=_("身份证号码后四位"),
        max_length=4,
        error_messages={
            "required": _("请填写身份证号码后四位"),
            "max_length": _("身份证号码后四位应为 3 位数字加 1 位数字或 X"),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "text", "class": "form-control-lg"}
        ),
    )

    def __init__(self, *args: Any, exam: FieldExam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(PersonRole.choices)
        choices = [(job, labels.get(job, job)) for job in exam.jobs]
        job = self.fields["job"]
        assert isinstance(job, forms.ChoiceField)
        job.choices = choices
        if len(choices) == 1:
            job.initial = choices[0][0]
        for name in ("name", "id_last4"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-lg"


def _gone(
    request: HttpRequest, message: str, status: int, exam: FieldExam | None = None
) -> HttpResponse:
    context: dict[str, Any] = {"message": message, "exam": exam}
    if exam is not None:
        attempt = _attempt(request, exam)
        context["finished"] = attempt is not None and attempt.finished_at is not None
    return render(request, "training/exam_gone.html", context, status=status)


def _unknown(request: HttpRequest) -> HttpResponse:
    message = _g("考试码无效，请向现场执法人员核实后重新扫码")
    return render(request, "training/exam_gone.html", {"message": message}, status=404)


def _key(request: HttpRequest) -> str | None:
    """The attempt key from the signed cookie (None when missing or tampered with)."""
    key = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT)
    return str(key) if key else None


def _attempt(request: HttpRequest, exam: FieldExam) -> ExamAttempt | None:
    return attempt_by_key(exam, _key(request))


def _keep_key(request: HttpRequest, response: HttpResponse, exam: FieldExam, key: str) -> None:
    response.set_signed_cookie(
        COOKIE,
        key,
        salt=COOKIE_SALT,
        max_age=COOKIE_DAYS * 24 * 3600,
        path=reverse("training:exam_take", args=[exam.token]),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


@never_cache
def exam_take(request: HttpRequest, token: str) -> HttpResponse:
    exam = exam_by_token(token)
    if exam is None:
        return _unknown(request)
    now = timezone.now()
    if not exam_is_open(exam, now):
        return _gone(request, _g("本场考试已结束"), 410, exam)
    form = StartForm(request.POST or None, exam=exam)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            attempt, resumed = attempt_enter(
                exam=exam, name=data["name"], job=data["job"], id_last4=data["id_last4"], now=now
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if resumed:
                messages.info(request, _g("已找到您的答卷，请从中断处继续作答"))
            response = redirect("training:exam_question", token=exam.token)
            _keep_key(request, response, exam, attempt.key)
            return response
    context = {"exam": exam, "form": form, "current": _attempt(request, exam)}
    return render(request, "training/exam_take.html", context)


def _form_errors(form: forms.Form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _question_page(request: HttpRequest, exam: FieldExam, error: str | None = None) -> HttpResponse:
    try:
        row = attempt_next(exam=exam, key=_key(request), now=timezone.now())
    except ValidationError as refused:
        message = refused.messages[0]
        return _gone(request, message, GONE_STATUS.get(message, 403), exam)
    if row is None:
        return redirect("training:exam_result", token=exam.token)
    context = {
        "exam": exam,
        "row": row,
        "question": row.question,
        "choices": question_choices(row.question),
        "error": error,
    }
    return render(request, "training/exam_question.html", context, status=400 if error else 200)


@never_cache
def exam_question(request: HttpRequest, token: str) -> HttpResponse:
    exam = exam_by_token(token)
    if exam is None:
        return _unknown(request)
    if request.method != "POST":
        return _question_page(request, exam)
    try:
        attempt = attempt_answer(
            exam=exam,
            key=_key(request),
            position=request.POST.get("position"),
            question=request.POST.get("question"),
            response="".join(request.POST.getlist("response")),
            now=timezone.now(),
        )
    except ValidationError as refused:
        message = refused.messages[0]
        if message in GONE_STATUS:
            return _gone(request, message, GONE_STATUS[message], exam)
        return _question_page(request, exam, error=message)
    if attempt.finished_at is not None:
        return redirect("training:exam_result", token=exam.token)
    return redirect("training:exam_question", token=exam.token)


@never_cache
def exam_result(request: HttpRequest, token: str) -> HttpResponse:
    exam = exam_by_token(token)
    if exam is None:
        return _unknown(request)
    attempt = _attempt(request, exam)
    if attempt is None:
        return _gone(request, NO_ATTEMPT, 403, exam)
    if attempt.finished_at is None:
        if exam_is_open(exam, timezone.now()):
            return redirect("training:exam_question", token=exam.token)
        return _gone(request, _g("本场考试已结束，您的答卷未完成，没有成绩"), 410, exam)
    context = {
        "exam": exam,
        "attempt": attempt,
        "answers": attempt_review(attempt),
        "stop_label": STOP_LABELS.get(attempt.stop_reason, attempt.stop_reason),
    }
    return render(request, "training/exam_result.html", context)


urlpatterns: list[URLPattern] = [
    path("x/<str:token>/", exam_take, name="exam_take"),
    path("x/<str:token>/q/", exam_question, name="exam_question"),
    path("x/<str:token>/result/", exam_result, name="exam_result"),
]
