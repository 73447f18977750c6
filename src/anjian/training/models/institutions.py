"""Training institutions under the bureau's supervision (by the HR & finance section): the
registry, what they report (classes, teachers and their qualifications, trainees), spot checks
during classes, and suspensions of their training business.

An institution is suspended on a day when a `Suspension` covers it (starts_on ≤ day and it has
neither ended nor been lifted before that day); `domain/training/institutions.py` says so."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.training.models.personnel import PersonRole, TrainingDelivery


class TrainingInstitution(models.Model):
    name = models.CharField(_("机构名称"), max_length=120)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    body = models.ForeignKey(
        "accounts.EnforcementBody",
        verbose_name=_("监管部门"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact = models.CharField(_("联系人"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    scope = models.CharField(
        _("培训范围"),
        max_length=200,
        help_text=_("例如：主要负责人和安全生产管理人员、特种作业（电工、焊接与热切割）"),
    )
    registered_on = models.DateField(_("登记日期"))
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培训机构")
        verbose_name_plural = _("培训机构")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class InstitutionMembership(models.Model):
    """Links a training-institution login to its one institution."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="institution_membership",
    )
    institution = models.ForeignKey(
        TrainingInstitution,
        verbose_name=_("培训机构"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("培训机构账号")
        verbose_name_plural = _("培训机构账号")

    def __str__(self) -> str:
        return f"{self.user} → {self.institution}"


class Teacher(models.Model):
    institution = models.ForeignKey(
        TrainingInstitution,
        verbose_name=_("培训机构"),
        on_delete=models.CASCADE,
        related_name="teachers",
    )
    name = models.CharField(_("姓名"), max_length=40)
    qualification = models.CharField(
        _("资质"), max_length=120, help_text=_("例如：注册安全工程师、高级工程师（采矿）")
    )
    qualification_number = models.CharField(_("资格证书编号"), max_length=40, blank=True)
    subjects = models.CharField(_("授课内容"), max_length=120, blank=True)
    full_time = models.BooleanField(_("专职"), default=True)
    reported_at = models.DateTimeField(_("报告时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("师资")
        verbose_name_plural = _("师资")
        ordering = ["institution_id", "name", "id"]

    def __str__(self) -> str:
        return self.name


class InstitutionClass(models.Model):
    """A class the institution reports (开班备案) before it starts, and its trainee list after."""

    institution = models.ForeignKey(
        TrainingInstitution,
        verbose_name=_("培训机构"),
        on_delete=models.PROTECT,
        related_name="classes",
    )
    title = models.CharField(_("班次名称"), max_length=120)
    role = models.CharField(_("培训对象"), max_length=20, choices=PersonRole.choices)
    kind = models.CharField(_("培训类别"), max_length=20)  # TrainingKind code
    delivery = models.CharField(_("培训方式"), max_length=10, choices=TrainingDelivery.choices)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    starts_on = models.DateField(_("开班日期"))
    ends_on = models.DateField(_("结业日期"))
    location = models.CharField(_("培训地点"), max_length=200, blank=True)
    teachers = models.ManyToManyField(
        Teacher, verbose_name=_("授课教师"), blank=True, related_name="classes"
    )
    planned_trainees = models.PositiveIntegerField(_("计划人数"), default=0)
    trainees_reported_at = models.DateTimeField(_("学员名单报告时间"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("备案时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培训班次")
        verbose_name_plural = _("培训班次")
        ordering = ["-starts_on", "id"]

    def __str__(self) -> str:
        return self.title


class SpotCheckOutcome(models.TextChoices):
    COMPLIANT = "compliant", _("未发现问题")
    PROBLEMS = "problems", _("发现问题，责令整改")
    SERIOUS = "serious", _("问题严重，建议暂停培训业务")


class SpotCheck(models.Model):
    institution = models.ForeignKey(
        TrainingInstitution,
        verbose_name=_("培训机构"),
        on_delete=models.PROTECT,
        related_name="spot_checks",
    )
    training_class = models.ForeignKey(
        InstitutionClass,
        verbose_name=_("抽查班次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spot_checks",
    )
    checked_on = models.DateField(_("抽查日期"))
    inspectors = models.CharField(_("检查人员"), max_length=120)
    attendance_reported = models.PositiveIntegerField(_("报告在训人数"), null=True, blank=True)
    attendance_found = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)
    findings = models.TextField(_("发现问题"), blank=True)
    outcome = models.CharField(_("结论"), max_length=12, choices=SpotCheckOutcome.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培训抽查")
        verbose_name_plural = _("培训抽查")
        ordering = ["-checked_on", "id"]

    def __str__(self) -> str:
        return f"{self.institution} {self.checked_on:%Y-%m-%d}"


class SuspensionState(models.TextChoices):
    """The states of `domain/training/suspension.py` (SUSPENSION_STATES), which declares the
    transitions."""

    NOTIFIED = "notified", _("拟暂停（已告知）")
    DEFENCE = "defence", _("陈述申辩中")
    DECIDED = "decided", _("已决定")
    WITHDRAWN = "withdrawn", _("不予暂停（撤销告知）")


class StatementSource(models.TextChoices):
    PORTAL = "portal", _("培训机构端提交")
    PAPER = "paper", _("书面提交（局方登记）")
    NONE = "none", _("期限内未提出")


class Suspension(models.Model):
    """暂停培训业务, from the notice to the decision: the notice (facts, intended period, the
    register's number), its delivery and the time limit for the statement, the statement and the
    bureau's answer, then the decision (the register's number, date, period) or the notice's
    withdrawal. Only a decided suspension covers days (`periods_of`). Rows decided before the
    procedure was recorded keep their typed decision number and no notice."""

    institution = models.ForeignKey(
        TrainingInstitution,
        verbose_name=_("培训机构"),
        on_delete=models.PROTECT,
        related_name="suspensions",
    )
    state = models.CharField(_("状态"), max_length=12, choices=SuspensionState.choices)
    reason = models.TextField(_("暂停理由"))
    spot_check = models.ForeignKey(
        SpotCheck,
        verbose_name=_("依据的抽查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # the notice (事先告知)
    notice_number = models.CharField(_("告知书文号"), max_length=60, blank=True)
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    proposed_months = models.PositiveSmallIntegerField(
        _("拟暂停月数"), null=True, blank=True, help_text=_("不填表示拟暂停至整改验收合格")
    )
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    delivery_note = models.CharField(_("送达方式"), max_length=100, blank=True)
    defence_due = models.DateField(_("陈述申辩期限"), null=True, blank=True)
    # the statement (陈述、申辩) and the bureau's answer
    statement_source = models.CharField(
        _("陈述申辩情况"), max_length=10, choices=StatementSource.choices, blank=True
    )
    statement = models.TextField(_("陈述申辩意见"), blank=True)
    statement_received_on = models.DateField(_("陈述申辩收到日期"), null=True, blank=True)
    answer = models.TextField(_("复核意见"), blank=True)
    # the decision, or the notice withdrawn
    decision_number = models.CharField(_("决定文号"), max_length=60, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    starts_on = models.DateField(_("暂停起始日"), null=True, blank=True)
    ends_on = models.DateField(_("暂停截止日"), null=True, blank=True)
    withdrawn_on = models.DateField(_("撤销告知日期"), null=True, blank=True)
    withdraw_reason = models.TextField(_("不予暂停理由"), blank=True)
    lifted_on = models.DateField(_("提前恢复日期"), null=True, blank=True)
    lift_reason = models.TextField(_("恢复理由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("暂停培训业务")
        verbose_name_plural = _("暂停培训业务")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="decided")
                | models.Q(decided_on__isnull=False, starts_on__isnull=False),
                name="training_suspension_decided_has_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.decision_number or self.notice_number}"

    @property
    def decided(self) -> bool:
        """Whether this is a decision (the only state that covers days)."""
        return self.state == SuspensionState.DECIDED

    @property
    def legacy(self) -> bool:
        """Decided before the procedure was recorded: no notice in the system."""
        return self.decided and not self.notice_number
