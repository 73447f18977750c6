"""The question bank: every version of every exam question. A question's code names it across
versions; an import that changes its content adds a version and retires the one in use, so an
exam taken earlier keeps pointing at the text its candidate saw.

`a` and `b` are the item's IRT parameters (discrimination, difficulty). Until an item has been
calibrated from answers they hold the prior a=1.0, b=0.0 and `calibrated_at` is empty."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.domain.exam.questions import JOBS, KINDS, QUESTION_SECTORS, TOPICS
from anjian.domain.exam.questions import Question as DomainQuestion


class QuestionStatus(models.TextChoices):
    ACTIVE = "active", _("在用")
    RETIRED = "retired", _("停用")
    DRAFT = "draft", _("草稿")


class QuestionOrigin(models.TextChoices):
    STARTER = "starter", _("起步题库")
    IMPORTED = "imported", _("导入")
    MANUAL = "manual", _("手工录入")


PRIOR_A = 1.0
PRIOR_B = 0.0


class Question(models.Model):
    code = models.CharField(_("题目编号"), max_length=40)
    version = models.PositiveIntegerField(_("版本"))
    sector = models.CharField(_("行业"), max_length=30, choices=list(QUESTION_SECTORS.items()))
    job = models.CharField(_("岗位"), max_length=20, choices=list(JOBS.items()))
    topic = models.CharField(_("知识点"), max_length=20, choices=list(TOPICS.items()))
    kind = models.CharField(_("题型"), max_length=12, choices=list(KINDS.items()))
    stem = models.TextField(_("题干"))
    options = models.JSONField(_("选项"), default=list, blank=True)
    answer = models.CharField(_("答案"), max_length=4)
    explanation = models.TextField(_("解析"))
    source = models.CharField(_("依据"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.ACTIVE
    )
    origin = models.CharField(_("来源"), max_length=10, choices=QuestionOrigin.choices)
    a = models.FloatField(_("区分度 a"), default=PRIOR_A)
    b = models.FloatField(_("难度 b"), default=PRIOR_B)
    calibrated_at = models.DateTimeField(_("标定时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("试题")
        verbose_name_plural = _("试题")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="question_version_unique"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status="active"),
                name="question_one_active_version",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "sector", "job", "topic"], name="question_pool_idx")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def as_domain(self) -> DomainQuestion:
        return DomainQuestion(
            code=self.code,
            sector=self.sector,
            job=self.job,
            topic=self.topic,
            kind=self.kind,
            stem=self.stem,
            options=tuple(self.options),
            answer=self.answer,
            explanation=self.explanation,
            source=self.source,
        )

    @property
    def choices_marked(self) -> list[tuple[str, str, bool]]:
        """(letter, text, is right) for the detail page."""
        return [(k, text, k in self.answer) for k, text in self.as_domain().choices]
