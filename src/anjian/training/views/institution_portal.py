"""What a training institution reports, from its own login (or by HR & finance on its behalf):
its teachers and their qualifications, a class before it starts (开班备案, refused while the
institution is suspended), and the trainee list after the class (typed one a line, or an Excel
sheet with the same four columns). A class's page shows its teachers, trainees and spot checks.
A suspension notice addressed to the institution is signed for (签收) and answered (陈述、申辩)
here, from its own login."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.domain.training.institutions import COLUMNS
from anjian.policy.views.common import flash_errors, form_errors, today
from anjian.training.access import (
    access_institution,
    visible_institutions,
    visible_trainee_records,
)
from anjian.training.models import (
    InstitutionClass,
    PersonRole,
    Teacher,
    TrainingDelivery,
    TrainingInstitution,
    TrainingKind,
)
from anjian.training.services.institution_suspension import (
    suspension_deliver,
    suspension_state_case,
)
from anjian.training.services.institution_trainees import class_trainees_report
from anjian.training.services.institutions import (
    class_report,
    institution_status,
    teacher_report,
)
from anjian.training.views.institution_suspensions import access_suspension
from anjian.ui.forms import bootstrap
from anjian.ui.sheets import WorkbookRefused, WorkbookUnreadable, read_upload

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_UPLOAD = 2 * 1024 * 1024
MAX_ROWS = 2000


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class TeacherForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    qualification = forms.CharField(
        label=_("资质"), max_length=120, help_text=_("例如：注册安全工程师、高级工程师（采矿）")
    )
    qualification_number = forms.CharField(label=_("资格证书编号"), max_length=40, required=False)
    subjects = forms.CharField(label=_("授课内容"), max_length=120, required=False)
    full_time = forms.BooleanField(label=_("专职"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ClassForm(forms.Form):
    title = forms.CharField(label=_("班次名称"), max_length=120)
    role = forms.ChoiceField(label=_("培训对象"), choices=PersonRole.choices)
    kind = forms.ChoiceField(label=_("培训类别"), choices=TrainingKind.choices)
    delivery = forms.ChoiceField(label=_("培训方式"), choices=TrainingDelivery.choices)
    hours = forms.DecimalField(label=_("学时"), max_digits=5, decimal_places=1)
    starts_on = forms.DateField(label=_("开班日期"), widget=DAY)
    ends_on = forms.DateField(label=_("结业日期"), widget=DAY)
    location = forms.CharField(label=_("培训地点"), max_length=200, required=False)
    planned_trainees = forms.IntegerField(label=_("计划人数"), min_value=0, initial=0)
    teachers = forms.ModelMultipleChoiceField(
        label=_("授课教师"),
        queryset=Teacher.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, institution: TrainingInstitution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["teachers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = institution.teachers.all()
        bootstrap(self)
        field.widget.attrs["class"] = "form-check-input"


class TraineesForm(forms.Form):
    trainees = forms.CharField(
        label=_("学员名单"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": COLUMNS}),
        help_text=_("每行一名学员：姓名,身份证号,企业统一社会信用代码,合格（或不合格）"),
    )
    file = forms.FileField(label=_("或上传Excel（.xlsx，四列同上，第一行为表头）"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件"))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件不得超过2MB"))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not str(data.get("trainees") or "").strip():
            raise forms.ValidationError(_("请填写学员名单或上传Excel文件"))
        return data


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def sheet_rows(content: bytes) -> list[tuple[int, list[str]]]:
    """The first sheet's rows after the header, numbered as Excel numbers them; blank rows are
    skipped. A file that is not a readable workbook raises ValidationError."""
    found = read_upload(content)  # streamed within the import limits (ui/sheets.py)
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, values in enumerate(found, start=1):
            cells = [_cell(v) for v in values[:4]]
            if number > 1 and any(cells):
                rows.append((number, cells + [""] * (4 - len(cells))))
            if len(rows) > MAX_ROWS:
                raise ValidationError(_g("一次最多报告%(n)d名学员") % {"n": MAX_ROWS})
    except WorkbookUnreadable as error:
        raise ValidationError(_g("无法读取该Excel文件，请检查格式")) from error
    except WorkbookRefused as error:
        raise ValidationError(str(error)) from error
    finally:
        found.close()
    return rows


def access_class(user: User, pk: int) -> InstitutionClass:
    found = (
        InstitutionClass.objects.filter(institution__in=visible_institutions(user), pk=pk)
        .select_related("institution", "reported_by")
        .first()
    )
    if found is None:
        raise Http404("未找到该培训班次，或您无权查看。")
    return found


@require("institution.report")
def teacher_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    institution = access_institution(user, pk)
    form = TeacherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            teacher_report(actor=user, institution=institution, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _g("已报告教师"))
            return redirect("training:institution_detail", pk=institution.pk)
    context = {"form": form, "institution": institution}
    return render(request, "training/institution_teacher_form.html", context)


@require("institution.report")
def class_new(request: HttpRequest, pk: int) -> HttpResponse:
    """开班备案. While the institution is suspended the page says so and offers no form."""
    user = _user(request)
    institution = access_institution(user, pk)
    status = institution_status(institution)
    form = ClassForm(
        request.POST or None,
        institution=institution,
        initial={"starts_on": today(), "ends_on": today(), "delivery": TrainingDelivery.OFFLINE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            training_class = class_report(actor=user, institution=institution, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _g("已开班备案：%(title)s") % {"title": training_class.title})
            return redirect("training:class_detail", pk=training_class.pk)
    context = {"form": form, "institution": institution, "status": status}
    return render(request, "training/institution_class_form.html", context)


@require("institution.view")
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    training_class = access_class(user, pk)
    records = visible_trainee_records(user, training_class)
    context = {
        "training_class": training_class,
        "institution": training_class.institution,
        "teachers": training_class.teachers.all(),
        "kind_label": dict(TrainingKind.choices).get(training_class.kind, training_class.kind),
        "records": records.order_by("person__enterprise__name", "person__name"),
        "passed": sum(1 for r in records if r.passed),
        "spot_checks": training_class.spot_checks.all(),
        "ended": training_class.ends_on <= today(),
    }
    return render(request, "training/institution_class_detail.html", context)


@require("institution.report")
def class_trainees(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    training_class = access_class(user, pk)
    form = TraineesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data.get("file")
            cells = sheet_rows(upload.read()) if upload is not None else None
            result = class_trainees_report(
                actor=user,
                training_class=training_class,
                text=form.cleaned_data.get("trainees") or "",
                cells=cells,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _g("已报告学员%(count)d名（合格%(passed)d名），已记入其培训档案")
                % {"count": result.count, "passed": result.passed},
            )
            return redirect("training:class_detail", pk=training_class.pk)
    context = {
        "form": form,
        "training_class": training_class,
        "institution": training_class.institution,
    }
    return render(request, "training/institution_trainees.html", context)


class StatementForm(forms.Form):
    statement = forms.CharField(
        label=_("陈述申辩意见"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("写明你单位对告知的事实、理由和依据的意见，可以附上证明材料的说明"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


@require("institution.view")
@require_POST
def suspension_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """签收: the institution takes delivery of its notice; the time limit starts today."""
    user = _user(request)
    suspension = access_suspension(user, pk)
    try:
        suspension_deliver(actor=user, suspension=suspension)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _g("已签收告知书"))
    return redirect("training:suspension_detail", pk=suspension.pk)


@require("institution.view")
def suspension_statement(request: HttpRequest, pk: int) -> HttpResponse:
    """陈述、申辩 from the institution's own login, within the time limit."""
    user = _user(request)
    suspension = access_suspension(user, pk)
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            suspension_state_case(actor=user, suspension=suspension, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _g("已提交陈述申辩意见"))
            return redirect("training:suspension_detail", pk=suspension.pk)
    context = {
        "form": form,
        "suspension": suspension,
        "institution": suspension.institution,
        "title": _g("陈述、申辩"),
    }
    return render(request, "training/institution_suspension_step.html", context)


urlpatterns: list[URLPattern] = [
    path("institutions/<int:pk>/teachers/new/", teacher_new, name="teacher_new"),
    path("institutions/<int:pk>/classes/new/", class_new, name="class_new"),
    path("classes/<int:pk>/", class_detail, name="class_detail"),
    path("classes/<int:pk>/trainees/", class_trainees, name="class_trainees"),
    path(
        "suspensions/<int:pk>/acknowledge/",
        suspension_acknowledge,
        name="suspension_acknowledge",
    ),
    path("suspensions/<int:pk>/statement/", suspension_statement, name="suspension_statement"),
]
