"""The campaign (专项工作) as data: its phases, milestones and measures with their evidence, the
leadership group and its office, the sections' weekly reports and the office's bulletins, the
closing evaluations, the targets the cockpit judges, and the in-app reminders.

This app reads the other areas' records only through their selectors and writes nothing of
theirs; what it keeps of them is a snapshot of figures (as filed) and links (app, model, pk)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.domain.steering.measures import STATUSES
from anjian.domain.steering.targets import TARGET_KINDS


class Campaign(models.Model):
    """One body's campaign for one year, e.g. 文水县应急管理局 2026 年“听民意办实事”专项工作."""

    body = models.ForeignKey(
        "accounts.EnforcementBody",
        verbose_name=_("执法主体"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=120)
    goal = models.TextField(_("工作目标"), blank=True)
    document = models.CharField(_("方案文号"), max_length=80, blank=True)
    # the weekly dispatch: due weekday (0 Monday … 6 Sunday) and time; days after the week's
    # Sunday during which a report may still be filed before the week closes
    report_weekday = models.PositiveSmallIntegerField(_("周报报送日"), default=4)
    report_time = models.TimeField(_("周报截止时间"), default="17:00")
    report_grace_days = models.PositiveSmallIntegerField(_("补报宽限天数"), default=3)
    reports_from = models.DateField(_("周调度开始日期"))
    reports_until = models.DateField(_("周调度结束日期"))
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
        verbose_name = _("专项工作")
        verbose_name_plural = _("专项工作")
        ordering = ["-year", "body_id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="campaign_one_per_body_year")
        ]

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    """A stage of the campaign (安排部署 / 集中整治 / 总结评估) or a milestone
    (制度机制基本建立)."""

    class Kind(models.TextChoices):
        PHASE = "phase", _("阶段")
        MILESTONE = "milestone", _("节点目标")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.PHASE)
    name = models.CharField(_("名称"), max_length=60)
    description = models.TextField(_("内容"), blank=True)
    deadline = models.DateField(_("时限"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("阶段与节点")
        verbose_name_plural = _("阶段与节点")
        ordering = ["campaign_id", "deadline", "order"]

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """One numbered clause of the plan (e.g. 三（二）2 制定涉企行政检查事项清单) with its lead and
    supporting sections, its deadline where the plan gives one, and how far it has got."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="measures")
    clause = models.CharField(_("条款"), max_length=20)
    title = models.CharField(_("措施"), max_length=120)
    content = models.TextField(_("内容"), blank=True)
    lead_section = models.ForeignKey(
        "accounts.Section",
        verbose_name=_("牵头股室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supporting_sections = models.ManyToManyField(
        "accounts.Section", verbose_name=_("配合股室"), blank=True, related_name="+"
    )
    all_sections = models.BooleanField(_("各业务股室分工负责"), default=False)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    started = models.BooleanField(_("已开始"), default=False)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    progress_note = models.TextField(_("进展说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("工作措施")
        verbose_name_plural = _("工作措施")
        ordering = ["campaign_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "clause"], name="measure_clause_unique")
        ]

    def __str__(self) -> str:
        return f"{self.clause} {self.title}"


class MeasureEvidence(models.Model):
    """What shows a measure is done: a record of another area, linked, never retyped."""

    class Kind(models.TextChoices):
        ITEM_LIST = "item_list", _("检查事项清单")
        ANNUAL_PLAN = "annual_plan", _("年度监督检查计划")
        QUIET_MONTH = "quiet_month", _("安静期安排")
        DOCUMENT = "document", _("已发文书")
        RULESET = "ruleset", _("入企规则集")
        BENCHMARK = "benchmark", _("裁量基准")
        CONTACT_POINTS = "contact_points", _("基层联系点")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("佐证类型"), max_length=20, choices=Kind.choices)
    subject_pk = models.CharField(_("记录编号"), max_length=40, blank=True)
    label = models.CharField(_("佐证"), max_length=200)
    dated = models.DateField(_("日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("措施佐证")
        verbose_name_plural = _("措施佐证")
        ordering = ["measure_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "kind", "subject_pk"], name="evidence_once_per_measure"
            )
        ]

    def __str__(self) -> str:
        return self.label


class LeadershipMember(models.Model):
    """A member of the leadership group (领导小组), as the plan lists them."""

    class Post(models.TextChoices):
        LEADER = "leader", _("组长")
        DEPUTY = "deputy", _("副组长")
        MEMBER = "member", _("成员")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="leaders")
    name = models.CharField(_("姓名"), max_length=30)
    post = models.CharField(_("职务"), max_length=10, choices=Post.choices)
    title = models.CharField(_("单位职务"), max_length=60, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("系统账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")
        ordering = ["campaign_id", "order", "id"]

    def __str__(self) -> str:
        return self.name


class OfficeMember(models.Model):
    """A user given the leadership group office's capability (协调、汇总、监督) for a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="office")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="+"
    )
    duty = models.CharField(_("分工"), max_length=60, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("领导小组办公室成员")
        verbose_name_plural = _("领导小组办公室成员")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="office_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.duty}".strip()


class WeeklyReport(models.Model):
    """A section's report for one ISO week (周调度): the figures filled from the records (kept as
    filed), the narrative the plan names, and its way through the office."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="reports")
    section = models.ForeignKey(
        "accounts.Section", verbose_name=_("股室"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年"))
    week = models.PositiveSmallIntegerField(_("周"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="draft")
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    figures_at = models.DateTimeField(_("数据提取时间"), null=True, blank=True)
    progress = models.TextField(_("进展情况"), blank=True)
    data_note = models.TextField(_("相关数据"), blank=True)
    practices = models.TextField(_("经验做法"), blank=True)
    highlights = models.TextField(_("亮点信息"), blank=True)
    cases = models.TextField(_("典型案例"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    next_plan = models.TextField(_("下周计划"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late = models.BooleanField(_("逾期报送"), default=False)
    return_comment = models.TextField(_("退回意见"), blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    NARRATIVE = (
        "progress",
        "data_note",
        "practices",
        "highlights",
        "cases",
        "problems",
        "next_plan",
    )

    class Meta:
        verbose_name = _("周调度报告")
        verbose_name_plural = _("周调度报告")
        ordering = ["-year", "-week", "section_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "section", "year", "week"], name="weekly_report_once"
            )
        ]
        indexes = [models.Index(fields=["campaign", "year", "week"], name="weekly_report_week")]

    def __str__(self) -> str:
        return f"{self.section} {self.year}年第{self.week}周"


class Bulletin(models.Model):
    """The office's consolidated bulletin of one week (周调度通报), issued as a 公文 with an Excel
    ledger annex; both kept in the register of issued documents."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="bulletins")
    year = models.PositiveSmallIntegerField(_("年"))
    week = models.PositiveSmallIntegerField(_("周"))
    summary = models.TextField(_("综述"), blank=True)
    document = models.ForeignKey(
        "documents.IssuedDocument", on_delete=models.PROTECT, related_name="+", null=True
    )
    annex = models.ForeignKey(
        "documents.IssuedDocument", on_delete=models.PROTECT, related_name="+", null=True
    )
    consolidated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    consolidated_at = models.DateTimeField(_("汇总时间"))

    class Meta:
        verbose_name = _("周调度通报")
        verbose_name_plural = _("周调度通报")
        ordering = ["-year", "-week"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "year", "week"], name="bulletin_once")
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.week}周调度通报"


class Evaluation(models.Model):
    """A section's summary evaluation report (总结评估报告), drafted from the year's figures."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已报送")
        RETURNED = "returned", _("已退回")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="evaluations")
    section = models.ForeignKey(
        "accounts.Section", verbose_name=_("股室"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="draft")
    figures = models.JSONField(_("数据"), default=dict, blank=True)
    summary = models.TextField(_("工作总结"), blank=True)
    results = models.TextField(_("取得成效"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下步打算"), blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_comment = models.TextField(_("退回意见"), blank=True)

    class Meta:
        verbose_name = _("总结评估报告")
        verbose_name_plural = _("总结评估报告")
        ordering = ["campaign_id", "section_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "section"], name="evaluation_once")
        ]

    def __str__(self) -> str:
        return f"{self.section} 总结评估报告"


class BureauEvaluation(models.Model):
    """The bureau's consolidated evaluation report, issued as a 公文."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.PROTECT, related_name="bureau_report"
    )
    document = models.ForeignKey(
        "documents.IssuedDocument", on_delete=models.PROTECT, related_name="+"
    )
    consolidated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    consolidated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.campaign} 总结评估报告"


class Target(models.Model):
    """A published target for one cockpit figure (e.g. on-site entries -30 % year on year)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    figure = models.CharField(_("指标"), max_length=40)
    kind = models.CharField(_("目标类型"), max_length=20, choices=list(TARGET_KINDS.items()))
    threshold = models.DecimalField(_("目标值"), max_digits=8, decimal_places=1)
    note = models.CharField(_("说明"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "figure"], name="target_once_per_figure")
        ]

    def __str__(self) -> str:
        return f"{self.figure} {self.kind} {self.threshold}"


from anjian.steering.models.notification import Notification as Notification  # noqa: E402

MEASURE_STATUS_CHOICES = list(STATUSES.items())
