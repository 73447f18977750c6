"""The leadership group's consultation meetings (会商研判): agenda, minutes and action items."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Meeting(models.Model):
    """A leadership-group meeting: its agenda assembled from the open items, its minutes (a Word
    会议纪要 in the register of issued documents)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("待召开")
        HELD = "held", _("已召开")

    body = models.ForeignKey(
        "accounts.EnforcementBody", verbose_name=_("执法主体"), on_delete=models.PROTECT
    )
    title = models.CharField(_("会议名称"), max_length=120)
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    chair = models.CharField(_("主持人"), max_length=30, blank=True)
    attendees = models.TextField(_("参会人员"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="planned")
    minutes_document = models.ForeignKey(
        "documents.IssuedDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会商研判会议")
        verbose_name_plural = _("会商研判会议")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    """One item of a meeting: an open record brought to it (kept as a link), its discussion and
    decision, and whether it was escalated to the office as a major problem."""

    class Kind(models.TextChoices):
        MEASURE = "measure", _("逾期工作措施")
        MATTER = "matter", _("举报事项和问题线索")
        WARNING = "warning", _("联系点预警")
        LIKE_CASE = "like_case", _("类案不同罚预警")
        EXCEPTION = "exception", _("安静期例外")
        ACTION = "action", _("上次会议议定事项")
        OTHER = "other", _("其他")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("议题类型"), max_length=12, choices=Kind.choices)
    ref = models.CharField(_("关联记录"), max_length=60, blank=True)  # "app.Model:pk"
    title = models.CharField(_("议题"), max_length=300)
    discussion = models.TextField(_("研究情况"), blank=True)
    decision = models.TextField(_("议定意见"), blank=True)
    escalated = models.BooleanField(_("报领导小组办公室"), default=False)
    escalation_note = models.TextField(_("报送说明"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("会议议题")
        verbose_name_plural = _("会议议题")
        ordering = ["meeting_id", "order", "id"]

    def __str__(self) -> str:
        return self.title


class ActionItem(models.Model):
    """A decision of a meeting turned into work: an owner, a due date, tracked to closure and
    reported at the next meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    text = models.TextField(_("议定事项"))
    owner = models.ForeignKey(
        USER, verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(
        "accounts.Section", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("完成期限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    report = models.TextField(_("落实情况"), blank=True)

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["done_on", "due_on", "id"]

    def __str__(self) -> str:
        return self.text[:40]
