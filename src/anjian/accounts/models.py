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


class RoleGrant(models.Model):
    """授权申请: a change no single administrator may make alone (三员分立). The system
    administrator asks for a privileged role (`roles.GRANTABLE_ROLES`) for a user, for a privileged
    account's password to be reset or for it to be re-enabled; a security administrator of the
    same scope — never the requester, never the user concerned — approves or refuses it. Nothing
    changes on the account until approval."""

    class Kind(models.TextChoices):
        ROLE = "role", _("授予角色")
        PASSWORD = "password", _("重置密码")
        ACTIVATE = "activate", _("启用账号")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("已驳回")

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_grants"
    )
    kind = models.CharField(_("申请事项"), max_length=10, choices=Kind.choices)
    role = models.CharField(_("申请的角色"), max_length=30, choices=Role.choices, blank=True)
    # a new account asked for with a privileged role is created disabled; approval enables it
    activate = models.BooleanField(_("批准后启用账号"), default=False)
    # the temporary password of a reset, hashed; applied only on approval, then cleared
    password_hash = models.CharField(max_length=128, blank=True)
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    reason = models.CharField(_("申请理由"), max_length=200, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("授权申请")
        verbose_name_plural = _("授权申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="role_grant_one_pending_per_user",
            )
        ]

    def __str__(self) -> str:
        what = self.get_role_display() if self.kind == self.Kind.ROLE else self.get_kind_display()
        return f"{self.user}：{what}"
