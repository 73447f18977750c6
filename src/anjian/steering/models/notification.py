"""The in-app reminder (站内提醒) every deadline gives (steering/reminders/, services/notify.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One reminder for one user (站内提醒). `key` names the deadline it is about, so the same
    deadline never reminds the same user twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=30)
    key = models.CharField(max_length=120)
    title = models.CharField(_("提醒"), max_length=200)
    action = models.CharField(_("需办理"), max_length=200, blank=True)
    url = models.CharField(_("办理地址"), max_length=300, blank=True)
    due_on = models.DateField(_("期限"), null=True, blank=True)
    created_at = models.DateTimeField(_("提醒时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title
