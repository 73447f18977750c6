"""An enterprise's key personnel (三项岗位人员: principal head, safety managers, special operators)
and its other workers, their certificates and their training records.

ID numbers are encrypted at rest (`SM4TextField`: SM4-GCM under ANJIAN_FIELD_KEY) and shown
masked; showing one in full goes through `person_reveal_id`, which writes an audit
entry. The last four digits are kept apart in plain text: a worker gives them when taking an
on-site exam, and they match the answer sheet to the person without decrypting anything."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.crypto.fields import SM4TextField
from anjian.domain.ids import mask_id_number


class PersonRole(models.TextChoices):
    """The job categories exams and training requirements are written for (same codes as the
    question bank's jobs, without 'all')."""

    PRINCIPAL = "principal", _("主要负责人")
    SAFETY_MANAGER = "safety_manager", _("安全生产管理人员")
    SPECIAL_OPERATOR = "special_operator", _("特种作业人员")
    WORKER = "worker", _("一般从业人员")


class Person(models.Model):
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="personnel",
    )
    name = models.CharField(_("姓名"), max_length=40)
    id_number = SM4TextField(_("身份证号码"), max_length=18)
    id_last4 = models.CharField(_("身份证后四位"), max_length=4, db_index=True)
    role = models.CharField(_("岗位类别"), max_length=20, choices=PersonRole.choices)
    job_title = models.CharField(_("工种/职务"), max_length=60, blank=True)
    hired_on = models.DateField(_("入职日期"), null=True, blank=True)
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("从业人员")
        verbose_name_plural = _("从业人员")
        ordering = ["enterprise_id", "role", "name", "id"]
        indexes = [models.Index(fields=["enterprise", "role"], name="person_enterprise_role_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def is_key_personnel(self) -> bool:
        return self.role != PersonRole.WORKER


class CertificateKind(models.TextChoices):
    SPECIAL_OPERATION = "special_operation", _("特种作业操作证")
    MANAGER = "manager", _("安全生产知识和管理能力考核合格证")


class Certificate(models.Model):
    """One certificate of one person. `valid_until` and `review_due` are worked out from the
    issue date by the requirements in force when it is recorded (domain/training/certificates.py);
    a recorded review moves `review_due` on."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="certificates"
    )
    kind = models.CharField(_("证书种类"), max_length=20, choices=CertificateKind.choices)
    category = models.CharField(_("作业类别/考核类别"), max_length=80, blank=True)
    number = models.CharField(_("证书编号"), max_length=40)
    issuer = models.CharField(_("发证机关"), max_length=100)
    issued_on = models.DateField(_("初领/发证日期"))
    valid_until = models.DateField(_("有效期至"))
    review_due = models.DateField(_("应复审日期"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("最近复审日期"), null=True, blank=True)
    revoked_on = models.DateField(_("注销/吊销日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["valid_until", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="certificate_number_unique")
        ]
        # the alerts (home page count, alert list) look for validity or review ending soon
        indexes = [
            models.Index(fields=["valid_until"], name="certificate_valid_until_idx"),
            models.Index(fields=["review_due"], name="certificate_review_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class TrainingKind(models.TextChoices):
    INITIAL = "initial", _("初次培训（岗前）")
    ANNUAL = "annual", _("每年再培训")
    INDUCTION_COMPANY = "induction_company", _("厂（矿）级安全教育")
    INDUCTION_WORKSHOP = "induction_workshop", _("车间（工段、区、队）级安全教育")
    INDUCTION_TEAM = "induction_team", _("班组级安全教育")
    REVIEW = "review", _("复审培训")
    SPECIAL = "special", _("专项培训（新工艺、转岗等）")


class TrainingDelivery(models.TextChoices):
    OFFLINE = "offline", _("线下面授")
    ONLINE = "online", _("线上")


class TrainingRecord(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="training_records"
    )
    kind = models.CharField(_("培训类别"), max_length=20, choices=TrainingKind.choices)
    delivery = models.CharField(_("培训方式"), max_length=10, choices=TrainingDelivery.choices)
    course = models.CharField(_("课程/班次"), max_length=120)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"))
    institution = models.ForeignKey(
        "training.TrainingInstitution",
        verbose_name=_("培训机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainee_records",
        help_text=_("空表示企业自行组织"),
    )
    training_class = models.ForeignKey(
        "training.InstitutionClass",
        verbose_name=_("备案班次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainee_records",
    )
    passed = models.BooleanField(_("考核合格"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")
        ordering = ["-ended_on", "id"]
        indexes = [models.Index(fields=["person", "ended_on"], name="training_person_date_idx")]

    def __str__(self) -> str:
        return f"{self.person.name} {self.course} {self.hours}学时"
