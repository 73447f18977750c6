"""Contact points (基层联系点): the yearly list, their reports, surveys, the liaison's follow-ups
and requirements, and the warnings rules raise on their records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class ContactPointList(models.Model):
    """A body's contact points for one year (三（二）4: 1 coal mine, 3 non-coal, 3 chemical,
    3 metallurgy by default; the mix is data: policy_data/contact_points.toml)."""

    body = models.ForeignKey(
        "accounts.EnforcementBody", verbose_name=_("执法主体"), on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    designated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    designated_at = models.DateTimeField(_("确定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("基层联系点名单")
        verbose_name_plural = _("基层联系点名单")
        ordering = ["-year", "body_id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="contact_list_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}年基层联系点"


class ContactPoint(models.Model):
    """One enterprise on a year's list, with the legal office's liaison officer."""

    points = models.ForeignKey(ContactPointList, on_delete=models.CASCADE, related_name="points")
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="contact_points",
    )
    liaison = models.ForeignKey(
        USER, verbose_name=_("联络员"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("基层联系点")
        verbose_name_plural = _("基层联系点")
        ordering = ["points_id", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["points", "enterprise"], name="contact_point_once_per_list"
            )
        ]

    def __str__(self) -> str:
        return str(self.enterprise)


class PointReport(models.Model):
    """What a contact point reports of how it is treated (repeated or off-list checks, entries on
    quiet days, demands, anything else)."""

    class Kind(models.TextChoices):
        REPEATED = "repeated", _("重复检查")
        OFF_LIST = "off_list", _("清单外检查")
        QUIET_DAY = "quiet_day", _("安静期内入企")
        DEMAND = "demand", _("索要、吃拿卡要等不当要求")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        OPEN = "open", _("待跟进")
        FOLLOWED = "followed", _("跟进中")
        CLOSED = "closed", _("已办结")

    point = models.ForeignKey(ContactPoint, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("反映类型"), max_length=12, choices=Kind.choices)
    happened_on = models.DateField(_("发生日期"), null=True, blank=True)
    description = models.TextField(_("情况说明"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="open")
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("反映时间"))
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closing_note = models.TextField(_("办结说明"), blank=True)

    class Meta:
        verbose_name = _("联系点反映")
        verbose_name_plural = _("联系点反映")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.point} {self.get_kind_display()}"


class PointAttachment(models.Model):
    """A file attached to a contact point's report (checked as inspection evidence is)."""

    report = models.ForeignKey(PointReport, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="oversight/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class PointSurvey(models.Model):
    """The periodic survey of a contact point (monthly): entries it felt, courtesy, burden."""

    point = models.ForeignKey(ContactPoint, on_delete=models.PROTECT, related_name="surveys")
    month = models.DateField(_("月份"))  # first day of the month
    entries_felt = models.PositiveSmallIntegerField(_("本月感受到的入企次数"))
    courtesy = models.PositiveSmallIntegerField(_("执法人员文明规范（1–5）"))
    burden = models.PositiveSmallIntegerField(_("迎检负担（1 轻 – 5 重）"))
    comment = models.TextField(_("意见建议"), blank=True)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("填报时间"))

    class Meta:
        verbose_name = _("联系点问卷")
        verbose_name_plural = _("联系点问卷")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["point", "month"], name="survey_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.point} {self.month:%Y-%m}"


class FollowUp(models.Model):
    """The liaison's follow-up of a contact point (a visit or a call), maybe of one report."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("走访")
        CALL = "call", _("电话")
        MEETING = "meeting", _("座谈")

    point = models.ForeignKey(ContactPoint, on_delete=models.PROTECT, related_name="follow_ups")
    report = models.ForeignKey(
        PointReport, null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups"
    )
    kind = models.CharField(_("方式"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("日期"))
    note = models.TextField(_("情况记录"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.point} {self.on}"


class Requirement(models.Model):
    """A requirement raised to the bureau's own sections after a follow-up (整改要求), with a
    deadline, tracked to closure."""

    point = models.ForeignKey(ContactPoint, on_delete=models.PROTECT, related_name="requirements")
    follow_up = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.PROTECT, related_name="requirements"
    )
    section = models.ForeignKey(
        "accounts.Section",
        verbose_name=_("责任股室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("整改要求"))
    deadline = models.DateField(_("整改期限"))
    closed_on = models.DateField(_("完成日期"), null=True, blank=True)
    closing_note = models.TextField(_("完成情况"), blank=True)
    raised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("整改要求")
        verbose_name_plural = _("整改要求")
        ordering = ["closed_on", "deadline", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class PointWarning(models.Model):
    """A warning a rule raised on a contact point's records (cap use >= 80 %, two entries within
    seven days, …). It goes to the legal office and the discipline group with a deadline to
    answer and stays open until answered. `key` names the records it is about, so a rule never
    raises the same warning twice."""

    point = models.ForeignKey(ContactPoint, on_delete=models.PROTECT, related_name="warnings")
    rule = models.CharField(_("规则"), max_length=30)
    key = models.CharField(max_length=120)
    text = models.CharField(_("预警"), max_length=300)
    facts = models.JSONField(_("依据"), default=dict, blank=True)
    raised_on = models.DateField(_("预警日期"))
    due_on = models.DateField(_("答复期限"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联系点预警")
        verbose_name_plural = _("联系点预警")
        ordering = ["answered_at", "due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["point", "key"], name="point_warning_once")]

    def __str__(self) -> str:
        return self.text
