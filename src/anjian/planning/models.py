"""Planning records: a body's planning month (with the office's cut-off date) and the planned
visits each section submits for it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anjian.domain.rules.vocab import ACTIVITIES
from anjian.ui.vocab_i18n import lazy_choices

ACTIVITY_CHOICES = lazy_choices(ACTIVITIES)


class PlanningMonth(models.Model):
    """One month of a body's entry planning: sections submit visits until the cut-off date."""

    class Status(models.TextChoices):
        OPEN = "open", _("收集中")
        CLOSED = "closed", _("已截止")

    body = models.ForeignKey(
        "accounts.EnforcementBody", verbose_name=_("执法主体"), on_delete=models.PROTECT
    )
    month = models.DateField(_("计划月份"))  # first day of the month
    cutoff = models.DateField(_("报送截止日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="open")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("月度入企计划")
        verbose_name_plural = _("月度入企计划")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["body", "month"], name="planning_month_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="planning_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月}入企计划"

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"


class PlannedVisit(models.Model):
    """A section's planned visit to one enterprise within a window of days of the month."""

    planning_month = models.ForeignKey(
        PlanningMonth,
        verbose_name=_("月度计划"),
        on_delete=models.CASCADE,
        related_name="visits",
    )
    section = models.ForeignKey(
        "accounts.Section", verbose_name=_("报送股室"), on_delete=models.PROTECT
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT
    )
    activity = models.CharField(_("入企活动"), max_length=40, choices=ACTIVITY_CHOICES)
    item_codes = models.JSONField(_("检查事项"), default=list, blank=True)
    earliest = models.DateField(_("最早日期"))
    latest = models.DateField(_("最晚日期"))
    remote_ok = models.BooleanField(_("可非现场检查"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("计划入企")
        verbose_name_plural = _("计划入企")
        ordering = ["earliest", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latest__gte=F("earliest")), name="planned_visit_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.earliest}至{self.latest}"


class PlanRun(models.Model):
    """One run of the month planner over a month's submitted visits, done by the task worker.
    The office may edit the result by hand and approve it; approval books every entry."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("计算中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        APPROVED = "approved", _("已批准")
        SUPERSEDED = "superseded", _("已作废")

    planning_month = models.ForeignKey(
        PlanningMonth, verbose_name=_("月度计划"), on_delete=models.CASCADE, related_name="runs"
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default="queued")
    stage = models.CharField(_("进度"), max_length=60, blank=True)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    metrics = models.JSONField(_("指标"), default=dict, blank=True)
    remote = models.JSONField(_("改为非现场检查"), default=list, blank=True)  # [{visit, date}]
    unscheduled = models.JSONField(_("未能安排"), default=list, blank=True)  # [{visit, reason}]
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("统筹计算")
        verbose_name_plural = _("统筹计算")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.planning_month} 统筹 #{self.pk}"


class PlanEntry(models.Model):
    """One planned on-site entry: an enterprise on a day, the visits it merges, its team."""

    run = models.ForeignKey(
        PlanRun, verbose_name=_("统筹计算"), on_delete=models.CASCADE, related_name="entries"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT
    )
    date = models.DateField(_("入企日期"))
    visits = models.ManyToManyField(PlannedVisit, verbose_name=_("合并的计划"), related_name="+")
    officers = models.ManyToManyField(
        "registry.Officer", verbose_name=_("执法人员"), related_name="+"
    )
    reasons = models.JSONField(_("合并理由"), default=list, blank=True)
    edited = models.BooleanField(_("人工调整"), default=False)
    joint_key = models.CharField(_("联合检查编号"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("统筹入企安排")
        verbose_name_plural = _("统筹入企安排")
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "enterprise", "date"], name="plan_entry_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.date}"


class AnnualPlan(models.Model):
    """A body's annual supervision plan (年度监督检查计划) and where it stands in its approval:
    drafted by the office, reviewed by the office, approved by the bureau head, submitted to
    the county government, approved by it (date and document number recorded)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OFFICE_REVIEW = "office_review", _("办公室审核")
        HEAD_REVIEW = "head_review", _("局领导审定")
        SUBMITTED = "submitted", _("已报县政府")
        APPROVED = "approved", _("县政府已批准")

    body = models.ForeignKey(
        "accounts.EnforcementBody", verbose_name=_("执法主体"), on_delete=models.PROTECT
    )
    year = models.PositiveIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default="draft")
    officers = models.PositiveIntegerField(_("执法人员数"))
    working_days = models.PositiveIntegerField(_("全年工作日"))
    share = models.DecimalField(_("用于检查的工作日比例"), max_digits=3, decimal_places=2)
    budget = models.PositiveIntegerField(_("可安排检查次数"))
    utilisation = models.DecimalField(_("工作日利用率"), max_digits=5, decimal_places=3)
    seed = models.IntegerField(_("抽取种子"), default=0)
    notes = models.JSONField(_("说明"), default=list, blank=True)
    document_number = models.CharField(_("批准文号"), max_length=60, blank=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    history = models.JSONField(_("审批记录"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编制人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("编制时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度监督检查计划")
        verbose_name_plural = _("年度监督检查计划")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="annual_plan_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.body}{self.year}年度监督检查计划"


class AnnualPlanLine(models.Model):
    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("年度计划"), on_delete=models.CASCADE, related_name="lines"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT
    )
    months = models.JSONField(_("计划月份"), default=list)
    cap = models.PositiveIntegerField(_("年度频次上限"))
    remaining = models.PositiveIntegerField(_("编制时剩余频次"), default=0)
    key = models.BooleanField(_("重点企业"), default=False)
    key_reason = models.CharField(_("重点原因"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("年度计划企业")
        verbose_name_plural = _("年度计划企业")
        ordering = ["enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "enterprise"], name="annual_line_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.months}"

    @property
    def planned(self) -> int:
        return len(self.months)
