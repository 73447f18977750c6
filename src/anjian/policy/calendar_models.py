"""The calendar's own models: a body's default quiet period (本单位默认安静期) and the office's
table of holidays and make-up workdays (节假日与调休). Imported by `policy.models`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuietDefault(models.Model):
    """A body's own default quiet pattern (本单位默认安静期), replacing the rule set's for months
    whose declaration deadline falls on or after `effective_from`."""

    body = models.ForeignKey(
        "accounts.EnforcementBody",
        verbose_name=_("执法主体"),
        on_delete=models.PROTECT,
        related_name="quiet_defaults",
    )
    ranges = models.JSONField(_("默认安静期（日期段）"), default=list)
    effective_from = models.DateField(_("适用起始日"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("本单位默认安静期")
        verbose_name_plural = _("本单位默认安静期")
        ordering = ["body_id", "-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.body} {self.effective_from:%Y-%m-%d}"


class WorkdayOverride(models.Model):
    """One day whose working status the office sets by hand: a statutory holiday (法定节假日) or a
    make-up workday (调休上班) from the State Council's notice. It wins over `chinesecalendar`, so
    it both fills the years the package does not know and corrects the years it does."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否上班"), help_text=_("是：调休上班；否：法定节假日放假"))
    note = models.CharField(_("说明"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "调休上班" if self.is_workday else "法定节假日"
        return f"{self.date:%Y-%m-%d} {kind} {self.note}".strip()
