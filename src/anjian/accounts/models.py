"""Enforcement bodies, their sections, and the users who work in them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Role, role_can
from anjian.domain.registry import BODY_LEVELS, SECTORS


class EnforcementBody(models.Model):
    """执法主体: a bureau entitled to inspect and punish. Bodies form a tree."""

    class Level(models.TextChoices):
        PROVINCE = "province", BODY_LEVELS["province"]
        CITY = "city", BODY_LEVELS["city"]
        COUNTY = "county", BODY_LEVELS["county"]

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    division_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # What the body's documents print: set by the office on the body's settings page.
    number_prefix = models.CharField(
        _("文书编号前缀"),
        max_length=20,
        blank=True,
        help_text=_("机关代字，如“文应急”（文应急检记〔2026〕3号）；空白时按名称取“文水应急”"),
    )
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    payment_bank = models.CharField(_("罚款缴款银行"), max_length=100, blank=True)
    payment_account_name = models.CharField(_("罚款缴款账户名称"), max_length=100, blank=True)
    payment_account_no = models.CharField(_("罚款缴款账号"), max_length=40, blank=True)
    payment_note = models.CharField(
        _("缴款方式说明"),
        max_length=300,
        blank=True,
        help_text=_("如：凭决定书上的非税收入缴款码在指定银行或网上缴纳"),
    )

    class Meta:
        verbose_name = _("执法主体")
        verbose_name_plural = _("执法主体")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def document_prefix(self) -> str:
        """The body's code in document numbers (机关代字), the configured `number_prefix` or, when
        none is set, the short form of its name with 应急: 文水县应急管理局 → 文水应急
        (文水应急检记〔2026〕3号). The work plan's own is 文应急."""
        if self.number_prefix:
            return self.number_prefix
        return (self.name.removesuffix("应急管理局").rstrip("县市省") or self.name) + "应急"

    def descendant_ids(self) -> set[int]:
        """This body and every body below it."""
        found = {self.pk}
        frontier = [self.pk]
        while frontier:
            frontier = list(
                EnforcementBody.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            found.update(frontier)
        return found


class Section(models.Model):
    """股室: an internal section of a body. Business sections supervise the sectors listed."""

    class Kind(models.TextChoices):
        OFFICE = "office", "办公室"
        LEGAL = "legal", "法制"
        BUSINESS = "business", "业务股室"
        ENFORCEMENT_TEAM = "enforcement_team", "综合行政执法队"
        HR_FINANCE = "hr_finance", "人事财务"
        OTHER = "other", "其他"

    body = models.ForeignKey(
        EnforcementBody,
        verbose_name=_("执法主体"),
        on_delete=models.PROTECT,
        related_name="sections",
    )
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    sectors = models.JSONField(_("分管行业领域"), default=list, blank=True)

    class Meta:
        verbose_name = _("股室")
        verbose_name_plural = _("股室")
        ordering = ["body_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="section_name_unique_in_body")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sector_labels(self) -> str:
        return "、".join(SECTORS.get(code, code) for code in self.sectors)


class User(AbstractUser):
    """Everyone who logs in. `role` decides what they may do; `body`, `section` and (for
    enterprise users) the registry's membership decide what they may see."""

    role = models.CharField(_("角色"), max_length=30, choices=Role.choices, default=Role.OFFICE)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    body = models.ForeignKey(
        EnforcementBody,
        verbose_name=_("执法主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("股室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    language = models.CharField(
        "界面语言",
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def can(self, capability: str) -> bool:
        return self.is_active and role_can(self.role, capability)
