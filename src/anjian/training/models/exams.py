"""On-site exams (逢查必考): an officer opens one during an inspection for the enterprise's job
types; workers scan its QR code and answer on their phones without an account; each attempt's
answers are kept with the ability estimate after each one, and the result is attached to the
inspection task.

An attempt is unique per exam, name and last four ID digits (a worker cannot start twice; an
unfinished attempt is resumed on another phone after the same identity check, which gives it a
new key). The phone holds the attempt's random `key` in a cookie; every answer must come with that
key and with the question the server served at that position, otherwise it is refused as
tampered. An officer ends an abandoned attempt with a reason: 中止 (kept, no score) or 作废 (kept
for the record, no longer counted, so the worker can start again)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.training.models.personnel import Person, PersonRole
from anjian.training.models.questions import Question


class ExamMode(models.TextChoices):
    ADAPTIVE = "adaptive", _("自适应")
    FIXED = "fixed", _("固定试卷")


class ExamStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class AttemptEnd(models.TextChoices):
    """How an officer ended an unfinished attempt."""

    ABANDONED = "abandoned", _("已中止")
    RESET = "reset", _("已作废")


class FieldExam(models.Model):
    task = models.ForeignKey(
        "inspections.InspectionTask",
        verbose_name=_("检查任务"),
        on_delete=models.PROTECT,
        related_name="exams",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    jobs = models.JSONField(_("考试岗位"), default=list)
    mode = models.CharField(
        _("组卷方式"), max_length=10, choices=ExamMode.choices, default=ExamMode.ADAPTIVE
    )
    max_items = models.PositiveSmallIntegerField(_("最多题数"), default=15)
    min_se = models.FloatField(_("精度要求（标准误）"), null=True, blank=True)
    pass_mark = models.FloatField(_("合格分"), default=80.0)
    fixed_questions = models.JSONField(_("固定试卷题目"), default=list, blank=True)
    token = models.CharField(_("考试码"), max_length=43, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ExamStatus.choices, default=ExamStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("开考时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("现场考试")
        verbose_name_plural = _("现场考试")
        ordering = ["-opened_at", "id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.opened_at:%Y-%m-%d}"


class ExamAttempt(models.Model):
    exam = models.ForeignKey(
        FieldExam, verbose_name=_("考试"), on_delete=models.PROTECT, related_name="attempts"
    )
    name = models.CharField(_("姓名"), max_length=40)
    job = models.CharField(_("岗位"), max_length=20, choices=PersonRole.choices)
    id_last4 = models.CharField(_("身份证后四位"), max_length=4)
    person = models.ForeignKey(
        Person,
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exam_attempts",
    )
    key = models.CharField(max_length=43, unique=True)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    theta = models.FloatField(_("能力估计"), null=True, blank=True)
    se = models.FloatField(_("标准误"), null=True, blank=True)
    score = models.FloatField(_("折算分"), null=True, blank=True)
    passed = models.BooleanField(_("合格"), null=True, blank=True)
    stop_reason = models.CharField(_("结束原因"), max_length=30, blank=True)
    resumes = models.PositiveSmallIntegerField(_("换机续答次数"), default=0)
    ended = models.CharField(_("处理"), max_length=10, choices=AttemptEnd.choices, blank=True)
    ended_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.TextField(_("处理理由"), blank=True)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["exam_id", "started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "name", "id_last4"],
                condition=~models.Q(ended="reset"),
                name="exam_attempt_once_per_worker",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_last4}）"


class ExamAnswer(models.Model):
    attempt = models.ForeignKey(
        ExamAttempt, verbose_name=_("答卷"), on_delete=models.CASCADE, related_name="answers"
    )
    position = models.PositiveSmallIntegerField(_("题序"))
    question = models.ForeignKey(
        Question, verbose_name=_("试题"), on_delete=models.PROTECT, related_name="answers"
    )
    served_at = models.DateTimeField(_("出题时间"))
    answered_at = models.DateTimeField(_("作答时间"), null=True, blank=True)
    response = models.CharField(_("作答"), max_length=4, blank=True)
    correct = models.BooleanField(_("正确"), null=True, blank=True)
    theta_after = models.FloatField(null=True, blank=True)
    se_after = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("作答")
        verbose_name_plural = _("作答")
        ordering = ["attempt_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="exam_answer_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="exam_answer_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} #{self.position}"


class CalibrationRun(models.Model):
    """One calibration of the bank: from recorded answers, or (demo, first rollout) from
    simulated ones, which the run says. A refused run is kept with its reason."""

    SOURCES = (("answers", _("实际作答")), ("simulated", _("模拟作答")))

    source = models.CharField(_("数据来源"), max_length=10, choices=SOURCES)
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ran_at = models.DateTimeField(_("标定时间"), auto_now_add=True)
    persons = models.PositiveIntegerField(_("人数"))
    answers = models.PositiveIntegerField(_("作答数"))
    items = models.PositiveIntegerField(_("标定题数"), default=0)
    refused = models.BooleanField(_("被拒绝"), default=False)
    message = models.TextField(_("说明"), blank=True)
    iterations = models.PositiveIntegerField(_("迭代次数"), default=0)
    seconds = models.FloatField(_("用时（秒）"), default=0.0)
    changes = models.JSONField(_("参数变化"), default=list, blank=True)

    class Meta:
        verbose_name = _("题目标定")
        verbose_name_plural = _("题目标定")
        ordering = ["-ran_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.ran_at:%Y-%m-%d %H:%M}"
