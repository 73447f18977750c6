"""The register of complaints and problem clues (举报事项、问题线索) from every source."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.crypto.fields import SM4TextField
from anjian.oversight.models.contact_points import PointReport

USER = settings.AUTH_USER_MODEL


class Matter(models.Model):
    """One complaint (举报事项) or problem clue (问题线索) in the register, from any source. A clue
    of suspected staff misconduct goes to the discipline group alone; the complainant's identity
    is kept encrypted and never shown to the section complained about."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("举报事项")
        CLUE = "clue", _("问题线索")

    class Source(models.TextChoices):
        PORTAL = "portal", _("企业端投诉")
        RATING = "rating", _("检查评价差评")
        CONTACT_POINT = "contact_point", _("基层联系点反映")
        HOTLINE = "hotline", _("12345 热线")
        LETTER = "letter", _("来信")
        VISIT = "visit", _("来访")
        OTHER = "other", _("其他")

    class Route(models.TextChoices):
        SECTION = "section", _("责任股室办理")
        DISCIPLINE = "discipline", _("派驻纪检监察组办理")

    class Status(models.TextChoices):
        RECEIVED = "received", _("待受理")
        ACCEPTED = "accepted", _("办理中")
        ANSWERED = "answered", _("已答复")
        CLOSED = "closed", _("已办结")

    body = models.ForeignKey(
        "accounts.EnforcementBody", verbose_name=_("执法主体"), on_delete=models.PROTECT
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    source = models.CharField(_("来源"), max_length=15, choices=Source.choices)
    route = models.CharField(_("办理途径"), max_length=12, choices=Route.choices)
    section = models.ForeignKey(
        "accounts.Section",
        verbose_name=_("责任股室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        USER,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("涉及企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("事由"), max_length=120)
    description = models.TextField(_("内容"))
    anonymous = models.BooleanField(_("匿名"), default=False)
    complainant = SM4TextField(_("反映人"), blank=True)
    complainant_contact = SM4TextField(_("联系方式"), blank=True)
    # the record it came from, when it came from one
    complaint = models.OneToOneField(
        "inspections.Complaint", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rating = models.OneToOneField(
        "inspections.InspectionRating",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    point_report = models.OneToOneField(
        PointReport, null=True, blank=True, on_delete=models.PROTECT, related_name="matter"
    )
    received_on = models.DateField(_("收到日期"))
    accept_due = models.DateField(_("受理期限"))
    answer_due = models.DateField(_("答复期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="received")
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    outcome = models.TextField(_("核查结果"), blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    closing_ground = models.CharField(_("不予答复的依据"), max_length=200, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    satisfaction = models.CharField(
        _("反映人评价"),
        max_length=12,
        blank=True,
        choices=[("satisfied", _("满意")), ("basic", _("基本满意")), ("unsatisfied", _("不满意"))],
    )
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("举报事项和问题线索")
        verbose_name_plural = _("举报事项和问题线索")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["body", "status"], name="matter_body_status")]

    def __str__(self) -> str:
        return self.subject
