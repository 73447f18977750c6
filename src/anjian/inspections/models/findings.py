"""The record of an inspection: results per item, findings (hazards) with their evidence, and the
rectification loop (orders, the enterprise's reports, reviews)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.domain.inspections import (
    EVIDENCE_KINDS,
    HAZARD_LEVELS,
    ITEM_OUTCOMES,
    ONSITE_MEASURES,
)
from anjian.inspections.models.common import user_field
from anjian.inspections.models.tasks import InspectionDocument, InspectionTask


class ItemResult(models.Model):
    """The result of one listed item on one task."""

    task = models.ForeignKey(
        InspectionTask, verbose_name=_("检查任务"), on_delete=models.CASCADE, related_name="results"
    )
    item = models.ForeignKey(
        "policy.InspectionItem", verbose_name=_("检查事项"), on_delete=models.PROTECT
    )
    outcome = models.CharField(_("检查结果"), max_length=16, choices=list(ITEM_OUTCOMES.items()))
    note = models.TextField(_("检查情况"), blank=True)
    recorded_by = user_field(_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)

    class Meta:
        verbose_name = _("事项检查结果")
        verbose_name_plural = _("事项检查结果")
        ordering = ["task_id", "item__code"]
        constraints = [models.UniqueConstraint(fields=["task", "item"], name="one_result_per_item")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.outcome}"


class RectificationOrder(models.Model):
    """责令限期整改指令书: the findings to fix by a deadline counted in working days."""

    task = models.ForeignKey(
        InspectionTask,
        verbose_name=_("检查任务"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    document = models.OneToOneField(
        InspectionDocument, verbose_name=_("文书"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("下达日期"))
    working_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"))
    deadline = models.DateField(_("整改期限"))
    issued_by = user_field(_("下达人"))

    class Meta:
        verbose_name = _("责令限期整改")
        verbose_name_plural = _("责令限期整改")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.document.number


class Hazard(models.Model):
    """A finding: a hazard (事故隐患) or other problem, against a listed item or, with a reason,
    outside the list (then flagged to the legal office)."""

    class Status(models.TextChoices):
        ON_SPOT = "on_spot", _("当场整改")
        OPEN = "open", _("待整改")
        REPORTED = "reported", _("企业已报告整改")
        CLOSED = "closed", _("整改完成")

    task = models.ForeignKey(
        InspectionTask, verbose_name=_("检查任务"), on_delete=models.PROTECT, related_name="hazards"
    )
    item = models.ForeignKey(
        "policy.InspectionItem",
        verbose_name=_("检查事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    off_list_reason = models.TextField(_("清单外问题的理由"), blank=True)
    description = models.TextField(_("问题描述"))
    location = models.CharField(_("部位"), max_length=100, blank=True)
    legal_basis = models.CharField(_("违反的规定"), max_length=240)
    level = models.CharField(_("隐患等级"), max_length=10, choices=list(HAZARD_LEVELS.items()))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    order = models.ForeignKey(
        RectificationOrder,
        verbose_name=_("整改指令书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("延期次数"), default=0)
    onsite_measure = models.CharField(
        _("现场处理措施"), max_length=12, blank=True, choices=list(ONSITE_MEASURES.items())
    )
    measure_note = models.TextField(_("措施说明"), blank=True)
    measure_document = models.ForeignKey(
        InspectionDocument,
        verbose_name=_("现场处理措施决定书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_flag = models.BooleanField(_("提请法制审核"), default=False)
    legal_seen_by = user_field(_("法制审核人"))
    legal_seen_at = models.DateTimeField(_("法制审核时间"), null=True, blank=True)
    legal_note = models.TextField(_("法制审核意见"), blank=True)
    referred_at = models.DateTimeField(_("移送立案时间"), null=True, blank=True)
    referred_by = user_field(_("移送人"))
    recorded_by = user_field(_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("隐患问题")
        verbose_name_plural = _("隐患问题")
        ordering = ["task_id", "pk"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False) | ~Q(off_list_reason=""),
                name="hazard_item_or_reason",
            )
        ]

    def __str__(self) -> str:
        return self.description[:40]


class RectificationReport(models.Model):
    """The enterprise's report that a finding is fixed, with its evidence."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("隐患问题"), on_delete=models.PROTECT, related_name="reports"
    )
    description = models.TextField(_("整改情况"))
    submitted_by = user_field(_("报告人"), null=False)
    submitted_at = models.DateTimeField(_("报告时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改报告")
        verbose_name_plural = _("整改报告")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.submitted_at:%Y-%m-%d}"


class RectificationReview(models.Model):
    """整改复查: an officer's review of an order's findings (on site or remotely on evidence)."""

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("现场复查")
        REMOTE = "remote", _("远程核查整改材料")

    order = models.ForeignKey(
        RectificationOrder,
        verbose_name=_("整改指令书"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    document = models.OneToOneField(
        InspectionDocument, verbose_name=_("文书"), on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("复查方式"), max_length=10, choices=Mode.choices)
    reviewed_on = models.DateField(_("复查日期"))
    reviewed_by = user_field(_("复查人"), null=False)
    officers = models.ManyToManyField(
        "registry.Officer", verbose_name=_("复查人员"), related_name="+"
    )
    note = models.TextField(_("复查意见"), blank=True)

    class Meta:
        verbose_name = _("整改复查")
        verbose_name_plural = _("整改复查")
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.reviewed_on}"


class ReviewLine(models.Model):
    class Decision(models.TextChoices):
        CLOSED = "closed", _("已整改，予以销号")
        EXTENDED = "extended", _("未整改完毕，延期整改")
        NOT_FIXED = "not_fixed", _("逾期未整改，依法处理")

    review = models.ForeignKey(RectificationReview, on_delete=models.CASCADE, related_name="lines")
    hazard = models.ForeignKey(Hazard, on_delete=models.PROTECT, related_name="review_lines")
    decision = models.CharField(_("复查结论"), max_length=10, choices=Decision.choices)
    new_deadline = models.DateField(_("延期至"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["review_id", "hazard_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "hazard"], name="one_line_per_hazard")
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id}: {self.decision}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is random: the original name is kept in the row, never in the path.
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"inspections/{instance.task_id}/{uuid.uuid4().hex}.{suffix}"


class Evidence(models.Model):
    """A photo, a file or a described non-site source, attached to a task, a finding or an
    enterprise's rectification report. Files are served only through scoped views."""

    task = models.ForeignKey(
        InspectionTask,
        verbose_name=_("检查任务"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    hazard = models.ForeignKey(
        Hazard,
        verbose_name=_("隐患问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    report = models.ForeignKey(
        RectificationReport,
        verbose_name=_("整改报告"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    kind = models.CharField(_("类别"), max_length=20, choices=list(EVIDENCE_KINDS.items()))
    description = models.CharField(_("说明"), max_length=300, blank=True)
    file = models.FileField(_("文件"), upload_to=evidence_path, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    uploaded_by = user_field(_("上传人"), null=False)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证据材料")
        verbose_name_plural = _("证据材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name or self.description[:40]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
