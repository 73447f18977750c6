"""Penalty decisions published to the public (行政执法公示)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Publication(models.Model):
    """A penalty decision as published: the text shown to the public with personal data removed,
    fixed when it is published, withdrawn when the decision is revoked."""

    case = models.OneToOneField(
        "enforcement.PenaltyCase", on_delete=models.PROTECT, related_name="publication"
    )
    body = models.ForeignKey("accounts.EnforcementBody", on_delete=models.PROTECT)
    number = models.CharField(_("决定书文号"), max_length=80)
    decided_on = models.DateField(_("决定日期"))
    due_on = models.DateField(_("公示期限"))
    published_on = models.DateField(_("公示日期"))
    content = models.JSONField(_("公示内容"), default=dict)
    published_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_on = models.DateField(_("撤下日期"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤下原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("行政处罚决定公示")
        verbose_name_plural = _("行政处罚决定公示")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.number
