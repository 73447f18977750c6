"""Search forms of the list pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.access import visible_sections
from anjian.accounts.models import Section
from anjian.domain import registry as vocab
from anjian.registry.models import Enterprise, Officer
from anjian.registry.selectors import enterprises_matching
from anjian.registry.vocab_i18n import translated_choices

# Labels are composed from the Chinese vocabularies and translated lazily (see vocab_i18n).
CLASS_CHOICES = translated_choices(
    {f"grade:{k}": f"标准化{v}" for k, v in vocab.STANDARDIZATION_GRADES.items()}
    | {"grade:none": "未定级"}
    | {f"coal:{k}": f"煤矿{v}" for k, v in vocab.COAL_MINE_CLASSES.items()}
    | {f"noncoal:{k}": f"非煤{v}" for k, v in vocab.NON_COAL_RISK_CLASSES.items()}
)


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "form-select form-select-sm"})


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("关键字"),
        method="filter_keyword",
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm",
                "placeholder": _("名称 / 信用代码 / 拼音首字母"),
            }
        ),
    )
    sector = django_filters.ChoiceFilter(
        label=_("行业领域"),
        choices=translated_choices(vocab.SECTORS),
        empty_label=_("全部行业"),
        widget=_select(),
    )
    classification = django_filters.ChoiceFilter(
        label=_("等级/分类"),
        choices=CLASS_CHOICES,
        method="filter_class",
        empty_label=_("全部等级"),
        widget=_select(),
    )
    town = django_filters.CharFilter(
        label=_("乡镇"),
        lookup_expr="icontains",
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("乡镇")}
        ),
    )
    status = django_filters.ChoiceFilter(
        label=_("经营状态"),
        choices=translated_choices(vocab.ENTERPRISE_STATUSES),
        empty_label=_("全部状态"),
        widget=_select(),
    )
    is_contact_point = django_filters.BooleanFilter(
        label=_("基层联系点"),
        widget=forms.Select(
            choices=[("", _("联系点不限")), ("true", _("是")), ("false", _("否"))],
            attrs={"class": "form-select form-select-sm"},
        ),
    )

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def filter_keyword(self, queryset: QuerySet[Enterprise], name: str, value: str) -> Any:
        return enterprises_matching(queryset, value)

    def filter_class(self, queryset: QuerySet[Enterprise], name: str, value: str) -> Any:
        kind, _, code = value.partition(":")
        if kind == "grade":
            mines = ["coal_mine", "non_coal_mine"]
            if code == "none":
                return queryset.filter(standardization_grade__isnull=True).exclude(sector__in=mines)
            return queryset.filter(standardization_grade=int(code)).exclude(sector__in=mines)
        if kind == "coal":
            return queryset.filter(sector="coal_mine", coal_mine_class=code)
        return queryset.filter(sector="non_coal_mine", non_coal_risk_class=code)


def _sections_in_scope(request: HttpRequest | None) -> QuerySet[Section]:
    if request is None or not request.user.is_authenticated:
        return Section.objects.none()
    return visible_sections(request.user).select_related("body")


class OfficerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("关键字"),
        method="filter_keyword",
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("姓名 / 执法证号")}
        ),
    )

    section = django_filters.ModelChoiceFilter(
        label=_("股室"),
        queryset=_sections_in_scope,
        empty_label=_("全部股室"),
        widget=_select(),
    )
    certificate = django_filters.ChoiceFilter(
        label=_("执法证状态"),
        choices=[
            ("valid", _("有效")),
            ("expiring", _("60天内到期")),
            ("expired", _("已过期")),
        ],
        method="filter_certificate",
        empty_label=_("全部"),
        widget=_select(),
    )

    class Meta:
        model = Officer
        fields: list[str] = []

    def filter_certificate(self, queryset: QuerySet[Officer], name: str, value: str) -> Any:
        today = timezone.localdate()
        if value == "expired":
            return queryset.filter(certificate_valid_until__lt=today)
        if value == "expiring":
            return queryset.filter(
                certificate_valid_until__gte=today,
                certificate_valid_until__lte=today + timedelta(days=60),
            )
        return queryset.filter(certificate_valid_until__gte=today)

    def filter_keyword(self, queryset: QuerySet[Officer], name: str, value: str) -> Any:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(certificate_no__icontains=value))
