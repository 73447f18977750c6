"""The enterprise's ratings of inspections and its complaints."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.inspections.models.common import user_field
from anjian.inspections.models.tasks import InspectionTask


class InspectionRating(models.Model):
    """The enterprise's rating of one inspection. It goes to the office and the discipline
    inspectors; the inspecting section never sees it, and no user is stored with it."""

    task = models.OneToOneField(
        InspectionTask, verbose_name=_("检查任务"), on_delete=models.PROTECT, related_name="rating"
    )
    score = models.PositiveSmallIntegerField(_("总体评价"))
    showed_code = models.BooleanField(_("检查人员亮码亮证"))
    disturbed_production = models.BooleanField(_("影响正常生产经营"))
    comment = models.TextField(_("意见建议"), blank=True)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查评价")
        verbose_name_plural = _("检查评价")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.score}"


class Complaint(models.Model):
    """投诉: an enterprise's complaint about an inspection; it reaches the discipline inspectors."""

    class Kind(models.TextChoices):
        NO_CODE = "no_code", _("未亮码或无码入企")
        QUIET_DAY = "quiet_day", _("安静期内入企")
        GIFTS = "gifts", _("索要财物、吃拿卡要")
        REPEATED = "repeated", _("重复检查、多头检查")
        CONDUCT = "conduct", _("执法态度、程序问题")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        RECEIVED = "received", _("已受理")
        HANDLING = "handling", _("核查中")
        CLOSED = "closed", _("已办结")

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("投诉企业"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    task = models.ForeignKey(
        InspectionTask,
        verbose_name=_("相关检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    kind = models.CharField(_("投诉类别"), max_length=12, choices=Kind.choices)
    happened_on = models.DateField(_("发生日期"))
    description = models.TextField(_("投诉内容"))
    contact = models.CharField(_("联系方式"), max_length=60, blank=True)
    filed_by = user_field(_("投诉人"), null=False)
    filed_at = models.DateTimeField(_("投诉时间"), auto_now_add=True)
    status = models.CharField(
        _("办理状态"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    handled_by = user_field(_("办理人"))
    handled_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    handling_note = models.TextField(_("办理结果"), blank=True)

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-filed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()}"
