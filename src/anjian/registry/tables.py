from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.registry.models import Enterprise, Officer
from anjian.registry.vocab_i18n import label


class EnterpriseTable(tables.Table):
    name = tables.LinkColumn(
        "registry:enterprise_detail", args=[tables.A("pk")], verbose_name=_("企业名称")
    )
    classification = tables.Column(verbose_name=_("等级/分类"), orderable=False, empty_values=())
    supervising_body = tables.Column(
        verbose_name=_("监管主体"), order_by=("supervising_body__name",)
    )

    class Meta:
        model = Enterprise
        fields = (
            "name",
            "uscc",
            "sector",
            "classification",
            "town",
            "employees",
            "supervising_body",
            "status",
        )
        order_by = ("name",)
        attrs = {
            "class": "table table-sm table-hover align-middle",
            "data-testid": "enterprise-table",
        }

    # The vocabulary labels are Chinese data (anjian.domain); they are translated for display.
    def render_sector(self, value: str) -> str:
        return label(value)

    def render_classification(self, value: str) -> str:
        return label(value)

    def render_status(self, value: str) -> str:
        return label(value)


class OfficerTable(tables.Table):
    name = tables.LinkColumn(
        "registry:officer_detail", args=[tables.A("pk")], verbose_name=_("姓名")
    )
    masked_id_number = tables.Column(verbose_name=_("身份证号码"), orderable=False)
    certificate_valid_until = tables.Column(verbose_name=_("执法证有效期至"))

    class Meta:
        model = Officer
        fields = (
            "name",
            "masked_id_number",
            "body",
            "section",
            "certificate_no",
            "certificate_valid_until",
        )
        order_by = ("name",)
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "officer-table"}

    def render_certificate_valid_until(self, value: object) -> object:
        if value < timezone.localdate():  # type: ignore[operator]
            return format_html(
                '<span class="badge text-bg-danger">{} {}</span>', value, _("已过期")
            )
        return value
