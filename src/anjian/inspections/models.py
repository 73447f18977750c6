"""Inspection records: tasks with their entry codes, check-in and check-out, the record per item,
findings (hazards) with evidence, rectification orders, reports and reviews, document numbers,
the enterprise's ratings and complaints."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anjian.domain.inspections import (
    EVIDENCE_KINDS,
    HAZARD_LEVELS,
    ITEM_OUTCOMES,
    ONSITE_MEASURES,
    TASK_SOURCES,
)
from anjian.policy.models import ACTIVITY_CHOICES, MODE_CHOICES

USER = settings.AUTH_USER_MODEL


def _user(label: str, *, null: bool = True) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        USER,
        verbose_name=label,
        null=null,
        blank=null,
        on_delete=models.PROTECT,
        related_name="+",
    )


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
    requested_by = _user(_("发起人"), null=False)
    requested_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    decided_by = _user(_("审批人"))
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    # The entry code: a random id, signed when shown; revoking it makes every copy invalid.
    code_id = models.UUIDField(_("检查码标识"), default=uuid.uuid4, unique=True, editable=False)
    code_revoked_at = models.DateTimeField(_("检查码作废时间"), null=True, blank=True)
    code_revoke_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = _user(_("签到人"))
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
    reviewed_by = _user(_("审查人"))
    reviewed_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    review_note = models.TextField(_("审查意见"), blank=True)

    class Meta:
        verbose_name = _("检查任务")
        verbose_name_plural = _("检查任务")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["enterprise", "date"]),
            models.Index(fields=["date", "status"]),
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


class DocumentSerial(models.Model):
    """The last number given per body, kind of document and year: one row locked per issue."""

    body = models.ForeignKey("accounts.EnforcementBody", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "kind", "year"], name="document_serial_unique")
        ]

    def __str__(self) -> str:
        return f"{self.body_id} {self.kind} {self.year}: {self.last}"


class InspectionDocument(models.Model):
    """A numbered enforcement document. Its text is generated from the records when printed."""

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
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文号"), max_length=60)
    issued_on = models.DateField(_("日期"))
    issued_by = _user(_("制作人"))

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
    recorded_by = _user(_("记录人"))
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
    issued_by = _user(_("下达人"))

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
    legal_seen_by = _user(_("法制审核人"))
    legal_seen_at = models.DateTimeField(_("法制审核时间"), null=True, blank=True)
    legal_note = models.TextField(_("法制审核意见"), blank=True)
    referred_at = models.DateTimeField(_("移送立案时间"), null=True, blank=True)
    referred_by = _user(_("移送人"))
    recorded_by = _user(_("记录人"))
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
    submitted_by = _user(_("报告人"), null=False)
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
    reviewed_by = _user(_("复查人"), null=False)
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
    uploaded_by = _user(_("上传人"), null=False)
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
    filed_by = _user(_("投诉人"), null=False)
    filed_at = models.DateTimeField(_("投诉时间"), auto_now_add=True)
    status = models.CharField(
        _("办理状态"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    handled_by = _user(_("办理人"))
    handled_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    handling_note = models.TextField(_("办理结果"), blank=True)

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-filed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()}"


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
    created_by = _user(_("授权人"), null=False)
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
