"""Penalty records: benchmark and list versions (their checked dictionary form), penalty cases
with their steps, legal reviews, evidence and numbered documents."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.domain.discretion.benchmark import FAMILIES
from anjian.domain.discretion.engine import DISPOSITIONS, PARTY_KINDS
from anjian.domain.discretion.lists import LIST_KINDS
from anjian.domain.discretion.payments import FineRecord
from anjian.domain.discretion.procedure import CASE_EVENTS, CASE_STATES

USER = settings.AUTH_USER_MODEL
# the procedure's events, and our steps that change no state
STEP_CHOICES = [
    ("open", _("立案")),
    *CASE_EVENTS.items(),
    ("record_defence", _("陈述申辩")),
    ("record_payment", _("登记缴款")),
    ("record_ground", _("登记未缴清的结案依据")),
]


def _user(label: str, *, null: bool = True) -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        USER, verbose_name=label, null=null, blank=null, on_delete=models.PROTECT, related_name="+"
    )


class Origin(models.TextChoices):
    SHIPPED = "shipped", _("随系统提供（起步版）")
    IMPORTED = "imported", _("法制办导入")


class BenchmarkVersion(models.Model):
    """One version of a discretion benchmark. `data` is the dictionary form that
    `domain.discretion.benchmark.benchmark_from_dict` checked when it was saved."""

    key = models.CharField(_("基准标识"), max_length=60)
    version = models.CharField(_("版本"), max_length=60)
    name = models.CharField(_("名称"), max_length=200)
    issuer = models.CharField(_("制定机关"), max_length=120)
    document = models.CharField(_("文号"), max_length=120)
    family = models.CharField(_("适用类别"), max_length=12, choices=list(FAMILIES.items()))
    sectors = models.JSONField(_("适用行业"), default=list)
    effective_from = models.DateField(_("生效日期"))
    effective_until = models.DateField(_("失效日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("基准内容"))
    entry_count = models.PositiveIntegerField(_("条目数"), default=0)
    tier_count = models.PositiveIntegerField(_("阶次数"), default=0)
    origin = models.CharField(_("来源"), max_length=10, choices=Origin.choices)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    # adoption by the legal office (采用): only an adopted version is cited as official
    official_title = models.CharField(_("正式名称"), max_length=200, blank=True)
    official_document = models.CharField(_("正式文号"), max_length=120, blank=True)
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)
    adopted_by = _user(_("采用人"))
    created_by = _user(_("导入人"))
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("裁量基准版本")
        verbose_name_plural = _("裁量基准版本")
        ordering = ["family", "-effective_from", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="benchmark_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"

    @property
    def adopted(self) -> bool:
        return self.adopted_at is not None


class ListVersion(models.Model):
    """One version of a flexible-enforcement list (不予处罚 / 从轻减轻), in dictionary form."""

    key = models.CharField(_("清单标识"), max_length=60)
    version = models.CharField(_("版本"), max_length=60)
    kind = models.CharField(_("清单类别"), max_length=12, choices=list(LIST_KINDS.items()))
    name = models.CharField(_("名称"), max_length=200)
    issuer = models.CharField(_("制定机关"), max_length=120)
    effective_from = models.DateField(_("生效日期"))
    effective_until = models.DateField(_("失效日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("清单内容"))
    item_count = models.PositiveIntegerField(_("事项数"), default=0)
    origin = models.CharField(_("来源"), max_length=10, choices=Origin.choices)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    # adoption by the legal office (采用): only an adopted version is cited as official
    official_title = models.CharField(_("正式名称"), max_length=200, blank=True)
    official_document = models.CharField(_("正式文号"), max_length=120, blank=True)
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)
    adopted_by = _user(_("采用人"))
    created_by = _user(_("导入人"))
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("包容审慎清单版本")
        verbose_name_plural = _("包容审慎清单版本")
        ordering = ["kind", "-effective_from", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="list_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"


class PenaltyCase(models.Model):
    """行政处罚案件: one violation of one party, from filing to closure.

    The steps and their order are domain/discretion/procedure.py."""

    class Source(models.TextChoices):
        FINDING = "finding", _("检查发现的问题")
        OVERDUE = "overdue", _("逾期未整改")
        OTHER = "other", _("投诉举报、移送等")

    body = models.ForeignKey(
        "accounts.EnforcementBody", verbose_name=_("执法主体"), on_delete=models.PROTECT
    )
    section = models.ForeignKey(
        "accounts.Section",
        verbose_name=_("承办股室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("当事人（单位）"),
        on_delete=models.PROTECT,
        related_name="penalty_cases",
    )
    task = models.ForeignKey(
        "inspections.InspectionTask",
        verbose_name=_("检查任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="penalty_cases",
    )
    findings = models.ManyToManyField(
        "inspections.Hazard", verbose_name=_("问题"), blank=True, related_name="penalty_cases"
    )
    source = models.CharField(_("案件来源"), max_length=10, choices=Source.choices)
    number = models.CharField(_("立案编号"), max_length=60, blank=True)
    title = models.CharField(_("案由"), max_length=200)
    # the violation (a provision of the statute table) and the facts the engine reads
    law = models.CharField(_("法律法规"), max_length=60)
    article = models.CharField(_("条"), max_length=10)
    item = models.CharField(_("项"), max_length=10, blank=True)
    party_kind = models.CharField(
        _("当事人类别"), max_length=8, choices=list(PARTY_KINDS.items()), default="unit"
    )
    facts_text = models.TextField(_("违法事实"), blank=True)
    facts = models.JSONField(_("裁量情节"), default=dict, blank=True)
    complex_case = models.BooleanField(_("案情疑难复杂"), default=False)
    officers = models.ManyToManyField(
        "registry.Officer", verbose_name=_("承办人员"), related_name="penalty_cases"
    )
    # the engine's suggestion at the last proposal, and what like cases are grouped by
    suggestion = models.JSONField(_("裁量建议"), default=dict, blank=True)
    benchmark = models.ForeignKey(
        BenchmarkVersion,
        verbose_name=_("裁量基准"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    entry_number = models.CharField(_("基准条目"), max_length=40, blank=True)
    tier = models.CharField(_("裁量阶次"), max_length=10, blank=True)
    overdue = models.BooleanField(_("逾期未改正阶段"), default=False)
    disposition = models.CharField(
        _("裁量结论"), max_length=20, blank=True, choices=list(DISPOSITIONS.items())
    )
    # the officer's proposal (拟处罚意见)
    proposed_unit_fine = models.PositiveIntegerField(_("拟对单位罚款（元）"), null=True, blank=True)
    proposed_person_fine = models.PositiveIntegerField(
        _("拟对个人罚款（元）"), null=True, blank=True
    )
    proposed_measures = models.JSONField(_("拟采取的其他处罚"), default=list, blank=True)
    # the directly responsible persons: [{"name", "post", "id_number" (masked), "fine"}]
    proposed_persons = models.JSONField(_("拟罚款的直接责任人员"), default=list, blank=True)
    no_penalty = models.BooleanField(_("拟不予处罚"), default=False)
    outside_tier = models.BooleanField(_("偏离裁量阶次"), default=False)
    deviation_reason = models.TextField(_("偏离阶次的理由"), blank=True)
    proposed_by = _user(_("拟定人"))
    proposed_at = models.DateTimeField(_("拟定时间"), null=True, blank=True)
    # what the proposal needs (procedure.decision_gates) and what has been done
    review_required = models.BooleanField(_("须法制审核"), default=False)
    review_approved = models.BooleanField(_("法制审核通过"), default=False)
    reviewed_after_hearing = models.BooleanField(_("听证后已审核"), default=False)
    hearing_right = models.BooleanField(_("有听证权"), default=False)
    hearing_requested = models.BooleanField(_("已申请听证"), default=False)
    hearing_held = models.BooleanField(_("已举行听证"), default=False)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_record = models.TextField(_("听证笔录摘要"), blank=True)
    collective_required = models.BooleanField(_("须集体讨论"), default=False)
    collective_done = models.BooleanField(_("已集体讨论"), default=False)
    defence_closed = models.BooleanField(_("陈述申辩已结束"), default=False)
    defence_text = models.TextField(_("陈述申辩意见"), blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=list(CASE_STATES.items()), default="filed"
    )
    filed_on = models.DateField(_("立案日期"))
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    decided_unit_fine = models.PositiveIntegerField(
        _("决定对单位罚款（元）"), null=True, blank=True
    )
    decided_person_fine = models.PositiveIntegerField(
        _("决定对个人罚款（元）"), null=True, blank=True
    )
    drop_reason = models.TextField(_("撤案理由"), blank=True)
    # what the decision states beyond the case's own fields (breach, benchmark citation, the
    # overdue order and its review, the payment account), saved before the decision is issued
    decision_record = models.JSONField(_("决定书载明事项"), default=dict, blank=True)
    created_by = _user(_("立案人"), null=False)
    created_at = models.DateTimeField(_("立案时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("行政处罚案件")
        verbose_name_plural = _("行政处罚案件")
        ordering = ["-filed_on", "-pk"]
        indexes = [
            models.Index(fields=["state", "filed_on"]),
            models.Index(fields=["benchmark", "entry_number", "tier", "overdue"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="decided") | Q(decided_on__isnull=False),
                name="penalty_case_decided_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.number or self.title


class CaseFine(models.Model):
    """One fined party of a decision (the unit, or one directly responsible person) with its own
    fine, payment and late fee (加处罚款, 行政处罚法第七十二条), or the ground on which the case
    may close without it being paid."""

    class Party(models.TextChoices):
        UNIT = "unit", _("单位")
        PERSON = "person", _("直接责任人员")

    class Ground(models.TextChoices):
        NONE = "", _("——")
        WAIVER = "waiver", _("减免加处罚款决定")
        COURT = "court", _("申请人民法院强制执行")

    case = models.ForeignKey(PenaltyCase, on_delete=models.CASCADE, related_name="fines")
    party = models.CharField(_("罚款对象"), max_length=8, choices=Party.choices)
    name = models.CharField(_("姓名（名称）"), max_length=200)
    post = models.CharField(_("职务"), max_length=60, blank=True)
    id_number = models.CharField(_("身份证号（脱敏）"), max_length=18, blank=True)
    amount = models.PositiveIntegerField(_("罚款（元）"))
    paid_on = models.DateField(_("缴款日期"), null=True, blank=True)
    paid_amount = models.PositiveIntegerField(_("已缴罚款（元）"), default=0)
    late_fee_due = models.PositiveIntegerField(_("应缴加处罚款（元）"), default=0)
    late_fee = models.PositiveIntegerField(_("已缴加处罚款（元）"), default=0)
    ground = models.CharField(
        _("未缴清的结案依据"), max_length=8, choices=Ground.choices, blank=True, default=""
    )
    ground_on = models.DateField(_("依据日期"), null=True, blank=True)
    ground_document = models.CharField(_("依据文书及文号"), max_length=120, blank=True)
    ground_note = models.TextField(_("依据说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("罚款及缴纳")
        verbose_name_plural = _("罚款及缴纳")
        ordering = ["case_id", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(late_fee__lte=models.F("amount"))
                & Q(late_fee_due__lte=models.F("amount")),
                name="case_fine_late_fee_capped",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.amount}"

    def record(self) -> FineRecord:
        return FineRecord(
            name=self.name,
            amount=self.amount,
            paid_on=self.paid_on,
            late_fee_due=self.late_fee_due,
            late_fee_paid=self.late_fee,
            ground=self.ground,
        )

    @property
    def settled(self) -> bool:
        """Paid with its late fee, or closed on a recorded ground (domain/discretion/payments)."""
        return self.record().settled


class CaseStep(models.Model):
    """One step of a case's procedure, in order: who, when, what changed, and the reasons."""

    case = models.ForeignKey(PenaltyCase, on_delete=models.CASCADE, related_name="steps")
    event = models.CharField(_("步骤"), max_length=20, choices=STEP_CHOICES)
    state_from = models.CharField(_("原状态"), max_length=12, choices=list(CASE_STATES.items()))
    state_to = models.CharField(_("新状态"), max_length=12, choices=list(CASE_STATES.items()))
    on = models.DateField(_("日期"))
    actor = _user(_("办理人"), null=False)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办案步骤")
        verbose_name_plural = _("办案步骤")
        ordering = ["case_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.event}"


class LegalReview(models.Model):
    """法制审核: the legal office's opinion on one proposal (a rejection sends it back)."""

    class Verdict(models.TextChoices):
        APPROVED = "approved", _("同意")
        REJECTED = "rejected", _("退回修改")

    case = models.ForeignKey(PenaltyCase, on_delete=models.CASCADE, related_name="reviews")
    reviewer = _user(_("审核人"), null=False)
    verdict = models.CharField(_("审核意见"), max_length=10, choices=Verdict.choices)
    opinion = models.TextField(_("审核意见说明"))
    after_hearing = models.BooleanField(_("听证后审核"), default=False)
    proposal = models.JSONField(_("审核时的拟处罚意见"), default=dict)
    flags = models.JSONField(_("审核提示"), default=list, blank=True)
    reviewed_on = models.DateField(_("审核日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("法制审核")
        verbose_name_plural = _("法制审核")
        ordering = ["case_id", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.verdict}"


def case_evidence_path(instance: CaseEvidence, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"cases/{instance.case_id}/{uuid.uuid4().hex}.{suffix}"


class CaseEvidence(models.Model):
    """调查取证: a record or file gathered in the investigation (served only by scoped views)."""

    class Kind(models.TextChoices):
        INQUIRY = "inquiry", _("询问笔录")
        SURVEY = "survey", _("勘验笔录")
        PHOTO = "photo", _("现场照片")
        DOCUMENT = "document", _("书证")
        OTHER = "other", _("其他")

    case = models.ForeignKey(PenaltyCase, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("说明"), max_length=300)
    file = models.FileField(_("文件"), upload_to=case_evidence_path, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    uploaded_by = _user(_("上传人"), null=False)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("案件证据")
        verbose_name_plural = _("案件证据")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name or self.description[:40]


class CaseDocument(models.Model):
    """A numbered penalty document: 立案审批表, 行政处罚告知书, 听证告知书, 行政处罚决定书 …"""

    class Kind(models.TextChoices):
        FILING = "filing", _("立案审批表")
        NOTICE = "penalty_notice", _("行政处罚告知书")
        HEARING = "hearing_notice", _("听证告知书")
        DECISION = "decision", _("行政处罚决定书")
        NO_PENALTY = "no_penalty", _("不予行政处罚决定书")
        SERVICE = "service_receipt", _("送达回证")

    case = models.ForeignKey(PenaltyCase, on_delete=models.PROTECT, related_name="documents")
    body = models.ForeignKey(
        "accounts.EnforcementBody", verbose_name=_("执法主体"), on_delete=models.PROTECT
    )
    kind = models.CharField(_("文书"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文号"), max_length=60)
    issued_on = models.DateField(_("日期"))
    issued_by = _user(_("制作人"))

    class Meta:
        verbose_name = _("处罚文书")
        verbose_name_plural = _("处罚文书")
        ordering = ["case_id", "issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "kind", "year", "serial"], name="case_document_number"
            )
        ]

    def __str__(self) -> str:
        return self.number
