"""Training institutions: the list (status 正常 / 暂停中 until …), an institution's page (teachers,
classes with trainee counts, spot checks, suspensions, the link to its trainees' results), and
the HR & finance section's forms: register and edit an institution, record a spot check. An
institution's own login lands on its own page; what it reports (teachers, classes, trainees)
is `institution_portal.py`, and the suspension procedure (notice, statement, decision) is
`institution_suspensions.py`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
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
    TrainingInstitution,
)
from anjian.training.models.institutions import SpotCheckOutcome
from anjian.training.services.institution_supervision import spot_check_record
from anjian.training.services.institutions import (
    institution_create,
    institution_status,
    institution_update,
)
from anjian.training.views import institution_portal, institution_suspensions
from anjian.ui.forms import bootstrap
from anjian.ui.pages import query_text

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
    suspensions = institution.suspensions.order_by("-created_at", "-pk")
    day = today()
    return {
        "institution": institution,
        "status": institution_status(institution, day),
        "teachers": institution.teachers.all(),
        "classes": classes,
        "spot_checks": institution.spot_checks.select_related("training_class"),
        "suspensions": suspensions,
    }


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


urlpatterns: list[URLPattern] = [
    path("institutions/", institution_list, name="institution_list"),
    path("institutions/new/", institution_new, name="institution_new"),
    path("institutions/<int:pk>/", institution_detail, name="institution_detail"),
    path("institutions/<int:pk>/edit/", institution_edit, name="institution_edit"),
    path("institutions/<int:pk>/spot-checks/new/", spot_check_new, name="spot_check_new"),
    *institution_suspensions.urlpatterns,
    *institution_portal.urlpatterns,
]
