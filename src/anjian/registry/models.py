"""The registry: enterprises under supervision and the officers who inspect them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.crypto.fields import SM4TextField
from anjian.domain import registry as vocab
from anjian.domain.ids import mask_id_number
from anjian.domain.registry import EnterpriseProfile, classification_label


class SoftDeleteQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def live(self) -> SoftDeleteQuerySet:
        return self.filter(is_deleted=False)


class Enterprise(models.Model):
    """企业 / 生产经营单位."""

    name = models.CharField(_("企业名称"), max_length=120)
    name_initials = models.CharField(_("拼音首字母"), max_length=120, blank=True, db_index=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    town = models.CharField(_("乡镇"), max_length=40, blank=True)
    sector = models.CharField(_("行业领域"), max_length=30, choices=list(vocab.SECTORS.items()))
    standardization_grade = models.PositiveSmallIntegerField(
        _("标准化等级"),
        null=True,
        blank=True,
        choices=list(vocab.STANDARDIZATION_GRADES.items()),
    )
    coal_mine_class = models.CharField(
        _("煤矿分类"), max_length=1, blank=True, choices=list(vocab.COAL_MINE_CLASSES.items())
    )
    non_coal_risk_class = models.CharField(
        _("非煤矿山风险等级"),
        max_length=1,
        blank=True,
        choices=list(vocab.NON_COAL_RISK_CLASSES.items()),
    )
    employees = models.PositiveIntegerField(_("从业人员数"), null=True, blank=True)
    scale = models.CharField(
        _("企业规模"), max_length=10, blank=True, choices=list(vocab.SCALES.items())
    )
    supervising_body = models.ForeignKey(
        "accounts.EnforcementBody",
        verbose_name=_("监管执法主体"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_contact_point = models.BooleanField(_("基层联系点"), default=False)
    major_hazard = models.BooleanField(
        _("重大危险源"),
        default=False,
        help_text=_("构成重大危险源的企业列为重点企业，年度监督检查计划每年至少检查一次"),
    )
    online_monitoring = models.BooleanField(
        _("已接入在线监测"),
        default=False,
        help_text=_("接入在线监测或远程监控的企业，可对允许的事项实施非现场检查"),
    )
    status = models.CharField(
        _("经营状态"),
        max_length=20,
        choices=list(vocab.ENTERPRISE_STATUSES.items()),
        default="operating",
    )
    is_deleted = models.BooleanField(_("已删除"), default=False)
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=Q(is_deleted=False), name="enterprise_uscc_unique_live"
            )
        ]
        indexes = [models.Index(fields=["supervising_body", "sector"])]

    def __str__(self) -> str:
        return self.name

    @property
    def profile(self) -> EnterpriseProfile:
        return EnterpriseProfile(
            sector=self.sector,
            standardization_grade=self.standardization_grade,
            coal_mine_class=self.coal_mine_class or None,
            non_coal_risk_class=self.non_coal_risk_class or None,
            employees=self.employees,
        )

    @property
    def classification(self) -> str:
        return classification_label(self.profile)


class EnterpriseMembership(models.Model):
    """Links an enterprise user to the one enterprise it may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="enterprise_membership",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="memberships"
    )

    class Meta:
        verbose_name = _("企业用户")
        verbose_name_plural = _("企业用户")

    def __str__(self) -> str:
        return f"{self.user} → {self.enterprise}"


class Officer(models.Model):
    """执法人员: only officers with a valid enforcement certificate may inspect."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer",
    )
    name = models.CharField(_("姓名"), max_length=50)
    # Encrypted at rest (SM4-GCM under ANJIAN_FIELD_KEY, anjian/crypto); shown masked.
    id_number = SM4TextField(_("身份证号码"), max_length=18, blank=True, null=True)
    body = models.ForeignKey(
        "accounts.EnforcementBody",
        verbose_name=_("执法主体"),
        on_delete=models.PROTECT,
        related_name="officers",
    )
    section = models.ForeignKey(
        "accounts.Section",
        verbose_name=_("股室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    certificate_no = models.CharField(_("执法证号"), max_length=30)
    certificate_valid_until = models.DateField(_("执法证有效期至"))
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_deleted = models.BooleanField(_("已删除"), default=False)
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SoftDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        ordering = ["body_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_no"],
                condition=Q(is_deleted=False),
                name="officer_certificate_unique_live",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)
