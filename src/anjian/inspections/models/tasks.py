"""Inspection tasks with their entry codes, check-in and check-out; the numbered documents (their
numbers and bytes are kept in the register of issued documents); the head's approval delegations."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anjian.domain.inspections import (
    TASK_SOURCES,
)
from anjian.inspections.models.common import USER, user_field
from anjian.policy.models import ACTIVITY_CHOICES, MODE_CHOICES


class InspectionTask(models.Model):
    """检查任务: one approved inspection of one enterprise on one day, with its entry code."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        REFUSED = "refused", _("不予批准")
        APPROVED = "approved", _("已批准")
        IN_PROGRESS = "in_progress", _("检查中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已撤销")

    class Confirmation(models.TextChoices):
        PENDING = "pending", _("未确认")
        CONFIRMED = "confirmed", _("已签字确认")
        REFUSED = "refused", _("拒绝签字")

    class Review(models.TextChoices):
        NONE = "", _("无需审查")
        PENDING = "pending", _("待审查")
        ACCEPTED = "accepted", _("审查通过")
        REJECTED = "rejected", _("审查不通过")

    body = models.ForeignKey(
        "accounts.EnforcementBody", verbose_name=_("执法主体"), on_delete=models.PROTECT
    )
    section = models.ForeignKey(
        "accounts.Section",
        verbose_name=_("承办股室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("被检查单位"),
        on_delete=models.PROTECT,
        related_name="inspection_tasks",
    )
    date = models.DateField(_("检查日期"))
    activity = models.CharField(_("入企活动"), max_length=30, choices=ACTIVITY_CHOICES)
    mode = models.CharField(_("检查方式"), max_length=10, choices=MODE_CHOICES)
    source = models.CharField(_("任务来源"), max_length=20, choices=list(TASK_SOURCES.items()))
    ground = models.TextField(_("检查依据和事由"), blank=True)
    items = models.ManyToManyField(
        "policy.InspectionItem", verbose_name=_("检查事项"), related_name="+"
    )
    officers = models.ManyToManyField(
        "registry.Officer", verbose_name=_("执法人员"), related_name="inspection_tasks"
    )
    # The entry bookings this task stands on: one, or every section's booking of a joint entry.
    bookings = models.ManyToManyField(
        "policy.EntryBooking", verbose_name=_("入企登记"), blank=True, related_name="tasks"
    )
    joint_key = models.CharField(_("联合检查编号"), max_length=40, blank=True)
    entry_verdict = models.JSONField(_("入企核验结论"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    requested_by = user_field(_("发起人"), null=False)
    requested_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    decided_by = user_field(_("审批人"))
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    # The entry code: a random id, signed when shown; revoking it makes every copy invalid.
    code_id = models.UUIDField(_("检查码标识"), default=uuid.uuid4, unique=True, editable=False)
    code_revoked_at = models.DateTimeField(_("检查码作废时间"), null=True, blank=True)
    code_revoke_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = user_field(_("签到人"))
    checkin_lat = models.DecimalField(
        _("签到纬度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    checkin_lng = models.DecimalField(
        _("签到经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    checkin_accuracy = models.PositiveIntegerField(_("定位精度（米）"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    checkout_lat = models.DecimalField(
        _("签退纬度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    checkout_lng = models.DecimalField(
        _("签退经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    place = models.CharField(_("检查场所"), max_length=200, blank=True)
    summary = models.TextField(_("检查情况"), blank=True)
    representative = models.CharField(_("被检查单位负责人"), max_length=50, blank=True)
    confirmation = models.CharField(
        _("签字确认"), max_length=10, choices=Confirmation.choices, default=Confirmation.PENDING
    )
    confirmation_note = models.CharField(_("确认说明"), max_length=200, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # 未赋码入企: recorded afterwards with a reason and reviewed by the head.
    unplanned_reason = models.TextField(_("未赋码原因"), blank=True)
    review = models.CharField(
        _("事后审查"), max_length=10, choices=Review.choices, default=Review.NONE, blank=True
    )
    reviewed_by = user_field(_("审查人"))
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    review_note = models.TextField(_("审查意见"), blank=True)

    class Meta:
        verbose_name = _("检查任务")
        verbose_name_plural = _("检查任务")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["enterprise", "date"]),
            models.Index(fields=["date", "status"]),
            # the home page counts unplanned entries awaiting review: a handful among many
            models.Index(fields=["review"], name="task_review_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.date} {self.get_activity_display()}"

    @property
    def is_on_site(self) -> bool:
        return self.mode == "on_site"

    @property
    def code_active(self) -> bool:
        return self.code_revoked_at is None and self.status in {
            self.Status.APPROVED,
            self.Status.IN_PROGRESS,
        }


class InspectionDocument(models.Model):
    """A numbered inspection document: the link between a task and its row in the register of
    issued documents (`issued`, the first version), where the exact bytes served are kept."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("行政检查通知书")
        RECORD = "record", _("现场检查记录")
        ORDER = "order", _("责令限期整改指令书")
        REVIEW = "review", _("整改复查意见书")
        MEASURE = "measure", _("现场处理措施决定书")

    task = models.ForeignKey(
        InspectionTask,
        verbose_name=_("检查任务"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    body = models.ForeignKey(
        "accounts.EnforcementBody", verbose_name=_("执法主体"), on_delete=models.PROTECT
    )
    kind = models.CharField(_("文书"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    # Empty while the document is being put together (`open_document`), set when it is issued
    # into the register (`file_document`) in the same transaction.
    serial = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    issued_on = models.DateField(_("日期"))
    issued_by = user_field(_("制作人"))
    issued = models.OneToOneField(
        "documents.IssuedDocument",
        verbose_name=_("登记文书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("执法文书")
        verbose_name_plural = _("执法文书")
        ordering = ["task_id", "issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "kind", "year", "serial"], name="inspection_document_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class ApprovalDelegation(models.Model):
    """检查审批授权: the head lets another member of the body approve inspection tasks for a
    period (e.g. a deputy while the head is away). Revocable; every use is audited as usual."""

    body = models.ForeignKey(
        "accounts.EnforcementBody", verbose_name=_("执法主体"), on_delete=models.PROTECT
    )
    delegate = models.ForeignKey(
        USER, verbose_name=_("被授权人"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"))
    reason = models.CharField(_("授权事由"), max_length=200)
    created_by = user_field(_("授权人"), null=False)
    created_at = models.DateTimeField(_("授权时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("检查审批授权")
        verbose_name_plural = _("检查审批授权")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="delegation_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delegate} {self.starts_on}–{self.ends_on}"
