"""Policy records: rule-set versions, quiet months, quiet-period exceptions, entry bookings with
their cap counters, and the inspection item list with its versions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anjian.domain.registry import SECTORS
from anjian.domain.rules import RuleSet as Rules
from anjian.domain.rules import ruleset_from_dict
from anjian.domain.rules.vocab import (
    ACTIVITIES,
    COUNT_TARGETS,
    LEVELS,
    MODES,
    QUIET_EMERGENCY_GROUNDS,
)
from anjian.policy.calendar_models import QuietDefault, WorkdayOverride  # noqa: F401 (re-exported)
from anjian.ui.vocab_i18n import lazy_choices

ACTIVITY_CHOICES = lazy_choices(ACTIVITIES)
MODE_CHOICES = lazy_choices(MODES)


class RuleSet(models.Model):
    """One version of the entry rules, in force from `effective_from` to `effective_until`."""

    name = models.CharField(_("名称"), max_length=40)
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=120)
    effective_from = models.DateField(_("生效日期"), unique=True)
    effective_until = models.DateField(_("失效日期"), null=True, blank=True)
    data = models.JSONField(_("规则表"))
    change_note = models.TextField(_("修订说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("入企规则集")
        verbose_name_plural = _("入企规则集")
        ordering = ["effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="ruleset_name_version"),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=F("effective_from")),
                name="ruleset_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} 第{self.version}版"

    def rules(self) -> Rules:
        data: dict[str, Any] = dict(self.data)
        data["name"] = self.name
        data["effective_from"] = self.effective_from.isoformat()
        data["effective_until"] = self.effective_until.isoformat() if self.effective_until else None
        return ruleset_from_dict(data)


class QuietMonth(models.Model):
    """A body's quiet days (企业安静期) for one month, published to the enterprises it oversees."""

    body = models.ForeignKey(
        "accounts.EnforcementBody",
        verbose_name=_("执法主体"),
        on_delete=models.PROTECT,
        related_name="quiet_months",
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    days = models.JSONField(_("安静日"), default=list)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    declared_at = models.DateTimeField(_("设置时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业安静期")
        verbose_name_plural = _("企业安静期")
        ordering = ["body_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["body", "month"], name="quiet_month_per_body"),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.month:%Y-%m}"


class QuietException(models.Model):
    """特殊情形: an entry on a quiet day, requested with a reason and decided by the bureau head."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("不予批准")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Timing(models.TextChoices):
        PRIOR = "prior", _("事前审批")
        BACKFILL = "backfill", _("事后补批")

    body = models.ForeignKey(
        "accounts.EnforcementBody",
        verbose_name=_("执法主体"),
        on_delete=models.PROTECT,
        related_name="quiet_exceptions",
    )
    section = models.ForeignKey(
        "accounts.Section",
        verbose_name=_("申请股室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="quiet_exceptions",
    )
    date = models.DateField(_("入企日期"))
    activity = models.CharField(_("入企活动"), max_length=30, choices=ACTIVITY_CHOICES)
    reason = models.TextField(_("特殊情形说明"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    timing = models.CharField(
        _("审批方式"), max_length=10, choices=Timing.choices, default=Timing.PRIOR
    )
    emergency_ground = models.CharField(
        _("紧急事由"), max_length=30, blank=True, choices=list(QUIET_EMERGENCY_GROUNDS.items())
    )
    backfill_due = models.DateField(_("补批期限"), null=True, blank=True)
    notice_year = models.PositiveSmallIntegerField(_("抄告年度"), null=True, blank=True)
    notice_serial = models.PositiveIntegerField(_("抄告序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("安静期例外")
        verbose_name_plural = _("安静期例外")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "notice_year", "notice_serial"], name="quiet_notice_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.date} {self.get_activity_display()}"

    @property
    def is_backfill(self) -> bool:
        return self.timing == self.Timing.BACKFILL

    def backfill_overdue(self, today: Any) -> bool:
        """A back-fill still undecided after its due date."""
        return (
            self.is_backfill
            and self.status == self.Status.PENDING
            and self.backfill_due is not None
            and today > self.backfill_due
        )


class EntryBooking(models.Model):
    """An entry into an enterprise, checked by the rules and booked against the caps."""

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="entry_bookings",
    )
    date = models.DateField(_("入企日期"))
    body = models.ForeignKey(
        "accounts.EnforcementBody",
        verbose_name=_("执法主体"),
        on_delete=models.PROTECT,
        related_name="entry_bookings",
    )
    section = models.ForeignKey(
        "accounts.Section",
        verbose_name=_("股室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    activity = models.CharField(_("入企活动"), max_length=30, choices=ACTIVITY_CHOICES)
    mode = models.CharField(_("检查方式"), max_length=10, choices=MODE_CHOICES)
    joint_key = models.CharField(_("联合检查编号"), max_length=40, blank=True)
    officers = models.ManyToManyField(
        "registry.Officer", verbose_name=_("执法人员"), blank=True, related_name="entry_bookings"
    )
    ground = models.TextField(_("入企依据"), blank=True)
    ruleset = models.ForeignKey(
        RuleSet, verbose_name=_("适用规则集"), on_delete=models.PROTECT, related_name="bookings"
    )
    verdict = models.JSONField(_("核验结论"), default=dict)
    counts_toward = models.CharField(
        _("计次"), max_length=12, choices=lazy_choices(COUNT_TARGETS), default="none"
    )
    quiet_exception = models.ForeignKey(
        QuietException,
        verbose_name=_("安静期例外"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)

    class Meta:
        verbose_name = _("入企登记")
        verbose_name_plural = _("入企登记")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["enterprise", "date"]), models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.date} {self.get_activity_display()}"


class CapCounter(models.Model):
    """Counting units booked per enterprise, year and kind: the database's own guard on caps."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", on_delete=models.PROTECT, related_name="cap_counters"
    )
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(
        max_length=12, choices=[("cap", "执法检查"), ("supervision", "督导检查")]
    )
    used = models.PositiveIntegerField(default=0)
    cap = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("频次计数")
        verbose_name_plural = _("频次计数")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "kind"], name="cap_counter_unique"
            ),
            models.CheckConstraint(condition=Q(used__lte=F("cap")), name="cap_counter_within_cap"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year} {self.kind} {self.used}/{self.cap}"


class InspectionItemList(models.Model):
    """One version of a body's inspection item list (涉企行政检查事项清单)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("现行有效")
        SUPERSEDED = "superseded", _("已被替代")

    body = models.ForeignKey(
        "accounts.EnforcementBody",
        verbose_name=_("执法主体"),
        on_delete=models.PROTECT,
        related_name="item_lists",
    )
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=120)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    is_starter = models.BooleanField(_("起步清单"), default=False)
    change_note = models.TextField(_("修订说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_on = models.DateField(_("发布日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("行政检查事项清单")
        verbose_name_plural = _("行政检查事项清单")
        ordering = ["body_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["body", "version"], name="item_list_version"),
            models.UniqueConstraint(
                fields=["body"], condition=Q(status="published"), name="one_published_item_list"
            ),
            models.UniqueConstraint(
                fields=["body"], condition=Q(status="draft"), name="one_draft_item_list"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


class InspectionItem(models.Model):
    """检查事项: what may be checked, on which legal basis, by whom, on whom and how."""

    item_list = models.ForeignKey(
        InspectionItemList,
        verbose_name=_("清单版本"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    code = models.CharField(_("事项编码"), max_length=30)
    name = models.CharField(_("事项名称"), max_length=120)
    law = models.CharField(_("法律依据"), max_length=120)
    article = models.CharField(_("条款"), max_length=120)
    body_levels = models.JSONField(_("实施层级"), default=list)
    section = models.CharField(_("实施股室"), max_length=40)
    sectors = models.JSONField(_("检查对象（行业领域）"), default=list)
    methods = models.JSONField(_("检查方式"), default=list)
    frequency_note = models.CharField(_("频次说明"), max_length=200, blank=True)
    changed_on = models.DateField(_("最近变更日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("检查事项")
        verbose_name_plural = _("检查事项")
        ordering = ["item_list_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["item_list", "code"], name="item_code_per_list"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def method_labels(self) -> list[str]:
        return [MODES.get(m, m) for m in self.methods]

    @property
    def sector_labels(self) -> list[str]:
        return [SECTORS.get(s, s) for s in self.sectors]

    @property
    def level_labels(self) -> list[str]:
        return [LEVELS.get(level, level) for level in self.body_levels]
