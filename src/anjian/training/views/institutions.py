"""Training institutions: the list (status 正常 / 暂停中 until …), an institution's page (teachers,
classes with trainee counts, spot checks, suspensions, the link to its trainees' results), and
the HR & finance section's forms: register and edit an institution, record a spot check, decide
a suspension (and print its decision), lift one. An institution's own login lands on its own
page; what it reports (teachers, classes, trainees) is `institution_portal.py`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from anjian.accounts.access import require, visible_bodies
from anjian.accounts.models import EnforcementBody, User
from anjian.policy.views.common import form_errors, today
from anjian.training.access import access_institution, institution_of, visible_institutions
from anjian.training.models import (
    InstitutionClass,
    SpotCheck,
    Suspension,
    TrainingInstitution,
)
from anjian.training.models.institutions import SpotCheckOutcome
from anjian.training.services.institution_supervision import (
    spot_check_record,
    suspension_decide,
    suspension_lift,
)
from anjian.training.services.institutions import (
    institution_create,
    institution_status,
    institution_update,
)
from anjian.training.views import institution_portal
from anjian.ui.forms import bootstrap
from anjian.ui.gongwen import OfficialDocument, chinese_date, official_document_docx, sentence
from anjian.ui.pages import attachment, query_text

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class InstitutionForm(forms.Form):
    name = forms.CharField(label=_("机构名称"), max_length=120)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    body = forms.ModelChoiceField(label=_("监管部门"), queryset=EnforcementBody.objects.none())
    scope = forms.CharField(
        label=_("培训范围"),
        max_length=200,
        help_text=_("例如：主要负责人和安全生产管理人员、特种作业（电工、焊接与热切割）"),
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    contact = forms.CharField(label=_("联系人"), max_length=40, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    registered_on = forms.DateField(label=_("登记日期"), widget=DAY)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        body.queryset = visible_bodies(user).order_by("pk")
        bootstrap(self)


class SpotCheckForm(forms.Form):
    training_class = forms.ModelChoiceField(
        label=_("抽查班次"), queryset=InstitutionClass.objects.none(), required=False
    )
    checked_on = forms.DateField(label=_("抽查日期"), widget=DAY)
    inspectors = forms.CharField(label=_("检查人员"), max_length=120)
    attendance_reported = forms.IntegerField(label=_("报告在训人数"), min_value=0, required=False)
    attendance_found = forms.IntegerField(label=_("实到人数"), min_value=0, required=False)
    findings = forms.CharField(
        label=_("发现问题"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(label=_("结论"), choices=SpotCheckOutcome.choices)

    def __init__(self, *args: Any, institution: TrainingInstitution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["training_class"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = institution.classes.order_by("-starts_on", "pk")
        bootstrap(self)


class SuspensionForm(forms.Form):
    decision_number = forms.CharField(label=_("决定文号"), max_length=60)
    decided_on = forms.DateField(label=_("决定日期"), widget=DAY)
    spot_check = forms.ModelChoiceField(
        label=_("依据的抽查"), queryset=SpotCheck.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("暂停理由"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("写明查实的事实和依据，将写入决定书"),
    )
    starts_on = forms.DateField(label=_("暂停起始日"), widget=DAY)
    ends_on = forms.DateField(
        label=_("暂停截止日"),
        widget=DAY,
        required=False,
        help_text=_("不填表示暂停至整改验收合格、决定恢复之日"),
    )

    def __init__(self, *args: Any, institution: TrainingInstitution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["spot_check"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = institution.spot_checks.order_by("-checked_on", "pk")
        bootstrap(self)


class LiftForm(forms.Form):
    lifted_on = forms.DateField(
        label=_("恢复日期"), widget=DAY, help_text=_("自该日起可以恢复培训业务")
    )
    reason = forms.CharField(label=_("恢复理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


# ---- reading ---------------------------------------------------------------------------------


@require("institution.view")
def institution_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    own = institution_of(user)
    if own is not None:
        return redirect("training:institution_detail", pk=own.pk)
    q = query_text(request.GET, "q")
    institutions = (
        visible_institutions(user)
        .annotate(
            teacher_count=Count("teachers", distinct=True),
            class_count=Count("classes", distinct=True),
        )
        .prefetch_related("suspensions")
    )
    if q:
        institutions = institutions.filter(Q(name__icontains=q) | Q(uscc=q.upper()))
    day = today()
    rows = [(i, institution_status(i, day)) for i in institutions]
    context = {"rows": rows, "q": q, "suspended": sum(1 for _i, s in rows if s.suspended)}
    return render(request, "training/institution_list.html", context)


def detail_context(institution: TrainingInstitution) -> dict[str, Any]:
    classes = institution.classes.annotate(trainees=Count("trainee_records")).prefetch_related(
        "teachers"
    )
    suspensions = institution.suspensions.select_related("spot_check").order_by("-starts_on", "-pk")
    day = today()
    return {
        "institution": institution,
        "status": institution_status(institution, day),
        "teachers": institution.teachers.all(),
        "classes": classes,
        "spot_checks": institution.spot_checks.select_related("training_class"),
        "suspensions": [(s, _in_force(s, day)) for s in suspensions],
    }


def _in_force(suspension: Suspension, day: Any) -> bool:
    """Not yet lifted and not run out: it can still be lifted early."""
    return suspension.lifted_on is None and (
        suspension.ends_on is None or suspension.ends_on >= day
    )


@require("institution.view")
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    institution = access_institution(_user(request), pk)
    return render(request, "training/institution_detail.html", detail_context(institution))


# ---- the register ------------------------------------------------------------------------------


@require("institution.supervise")
def institution_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = InstitutionForm(request.POST or None, user=user, initial={"registered_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            institution = institution_create(actor=user, data=form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _g("已登记培训机构：%(name)s") % {"name": institution.name})
            return redirect("training:institution_detail", pk=institution.pk)
    return render(request, "training/institution_form.html", {"form": form})


@require("institution.supervise")
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    institution = access_institution(user, pk)
    initial = {
        key: getattr(institution, key)
        for key in ("name", "uscc", "body", "scope", "address", "contact", "phone", "registered_on")
    }
    form = InstitutionForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            institution_update(actor=user, institution=institution, data=form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _g("已保存"))
            return redirect("training:institution_detail", pk=institution.pk)
    context = {"form": form, "institution": institution}
    return render(request, "training/institution_form.html", context)


# ---- supervision -------------------------------------------------------------------------------


@require("institution.supervise")
def spot_check_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    institution = access_institution(user, pk)
    chosen = institution.classes.filter(pk=_int(request.GET.get("class"))).first()
    initial = {"checked_on": today(), "training_class": chosen, "inspectors": user.display_name}
    form = SpotCheckForm(request.POST or None, institution=institution, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            spot_check_record(actor=user, institution=institution, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _g("已记录抽查"))
            return redirect("training:institution_detail", pk=institution.pk)
    context = {"form": form, "institution": institution}
    return render(request, "training/institution_spot_check.html", context)


def _int(raw: object) -> int | None:
    return int(raw) if isinstance(raw, str) and raw.isdigit() else None


@require("institution.supervise")
def suspension_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    institution = access_institution(user, pk)
    latest = institution.spot_checks.exclude(outcome=SpotCheckOutcome.COMPLIANT).first()
    initial = {"decided_on": today(), "starts_on": today(), "spot_check": latest}
    form = SuspensionForm(request.POST or None, institution=institution, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            suspension = suspension_decide(actor=user, institution=institution, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _g("已作出暂停培训业务决定（%(number)s）") % {"number": suspension.decision_number},
            )
            return redirect("training:institution_detail", pk=institution.pk)
    context = {"form": form, "institution": institution, "status": institution_status(institution)}
    return render(request, "training/institution_suspension.html", context)


def _access_suspension(user: User, pk: int) -> Suspension:
    suspension = (
        Suspension.objects.filter(institution__in=visible_institutions(user), pk=pk)
        .select_related("institution", "institution__body", "spot_check__training_class")
        .first()
    )
    if suspension is None:
        raise Http404("未找到该暂停决定，或您无权查看。")
    return suspension


@require("institution.supervise")
def suspension_lift_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    suspension = _access_suspension(user, pk)
    form = LiftForm(request.POST or None, initial={"lifted_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            suspension_lift(actor=user, suspension=suspension, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _g("已恢复培训业务"))
            return redirect("training:institution_detail", pk=suspension.institution_id)
    context = {"form": form, "suspension": suspension, "institution": suspension.institution}
    return render(request, "training/institution_lift.html", context)


def _reconsideration_body(body_name: str) -> str:
    """The people's government at the bureau's level (行政复议法 2023: a department's decision
    goes to the government it belongs to)."""
    if body_name.endswith("应急管理局") or body_name.endswith("应急管理厅"):
        return body_name[: -len("应急管理局")] + "人民政府"
    return "有管辖权的行政复议机关"


def _period_text(suspension: Suspension) -> str:
    start = chinese_date(suspension.starts_on)
    if suspension.ends_on is None:
        return (
            f"自{start}起暂停你单位安全生产培训业务，"
            "待你单位整改完毕、经我局验收合格并书面决定恢复之日止"
        )
    return f"自{start}起至{chinese_date(suspension.ends_on)}止，暂停你单位安全生产培训业务"


def suspension_paragraphs(suspension: Suspension) -> list[str]:
    """The decision's text: what the spot check found, the grounds, the period, what the
    institution must do, and its remedies."""
    paragraphs = []
    check = suspension.spot_check
    if check is not None:
        where = f"举办的“{check.training_class.title}”培训班" if check.training_class else ""
        found = "；".join(
            line.strip().rstrip("。；") for line in check.findings.splitlines() if line.strip()
        )
        paragraphs.append(
            f"{chinese_date(check.checked_on)}，我局对你单位{where}进行现场抽查，发现以下问题："
            f"{sentence(found or check.get_outcome_display())}"
        )
    paragraphs += [
        f"经查，{sentence(suspension.reason)}",
        f"根据安全生产培训监督管理的有关规定，我局决定：{_period_text(suspension)}。",
        "暂停期间，你单位不得开班备案、招收学员或者开展安全生产培训活动，并应当对存在的问题"
        "认真整改，整改情况书面报告我局。",
        f"如不服本决定，可以在收到本决定书之日起六十日内依法向"
        f"{_reconsideration_body(suspension.institution.body.name)}申请行政复议，"
        "或者在六个月内依法向人民法院提起行政诉讼。",
    ]
    return paragraphs


def suspension_docx(suspension: Suspension) -> bytes:
    return official_document_docx(
        OfficialDocument(
            issuing_body=suspension.institution.body.name,
            document_number=suspension.decision_number,
            title="暂停培训业务决定书",
            recipient=suspension.institution.name,
            paragraphs=suspension_paragraphs(suspension),
            issued_on=suspension.decided_on,
        )
    )


@require("institution.view")
def suspension_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The 暂停培训业务决定书 as Word; the institution itself may download its own."""
    suspension = _access_suspension(_user(request), pk)
    name = f"暂停培训业务决定书-{suspension.institution.name}.docx"
    return attachment(suspension_docx(suspension), name)


urlpatterns: list[URLPattern] = [
    path("institutions/", institution_list, name="institution_list"),
    path("institutions/new/", institution_new, name="institution_new"),
    path("institutions/<int:pk>/", institution_detail, name="institution_detail"),
    path("institutions/<int:pk>/edit/", institution_edit, name="institution_edit"),
    path("institutions/<int:pk>/spot-checks/new/", spot_check_new, name="spot_check_new"),
    path("institutions/<int:pk>/suspensions/new/", suspension_new, name="suspension_new"),
    path("suspensions/<int:pk>/lift/", suspension_lift_view, name="suspension_lift"),
    path("suspensions/<int:pk>/decision.docx", suspension_document, name="suspension_document"),
    *institution_portal.urlpatterns,
]
