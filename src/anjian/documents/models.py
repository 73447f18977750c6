"""The register of issued documents and the serial counters behind their numbers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class DocumentSerial(models.Model):
    """The last serial given per body, kind of document and year: one row locked per issue."""

    body = models.ForeignKey("accounts.EnforcementBody", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "kind", "year"], name="documents_serial_unique")
        ]

    def __str__(self) -> str:
        return f"{self.body_id} {self.kind} {self.year}: {self.last}"


class IssuedDocument(models.Model):
    """One version of one issued document, with the exact bytes served. Append-only: a
    correction is a new version with the same number and a reason."""

    body = models.ForeignKey(
        "accounts.EnforcementBody",
        verbose_name=_("执法主体"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A code of `kinds.KINDS` (no `choices` here: an area adds a kind with one line there, no
    # migration); the title is kept on the row as issued.
    kind = models.CharField(_("文书种类"), max_length=40)
    title = models.CharField(_("文书名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    number = models.CharField(_("文号"), max_length=80, blank=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("更正前版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    correction_reason = models.TextField(_("更正理由"), blank=True)
    subject_app = models.CharField(_("对象应用"), max_length=40)
    subject_model = models.CharField(_("对象类型"), max_length=60)
    subject_pk = models.CharField(_("对象编号"), max_length=64)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("相对人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("文书日期"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("签发时间"))
    # The exact bytes served (ADR 0021: in the database, so they commit and back up with the
    # row). Empty only for a document issued before the register existed, until its first
    # download freezes it (`legacy`).
    content = models.BinaryField(_("文书内容"), null=True, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=120)
    file_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    legacy = models.BooleanField(_("升级前签发"), default=False)
    frozen_at = models.DateTimeField(_("固化时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("签发文书")
        verbose_name_plural = _("签发文书")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "kind", "year", "serial", "version"],
                condition=Q(serial__isnull=False),
                name="issued_document_serial_version",
            ),
            models.UniqueConstraint(
                fields=["body", "number", "version"],
                condition=~Q(number=""),
                name="issued_document_number_version",
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(correction_reason=""),
                name="issued_document_correction_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["subject_app", "subject_model", "subject_pk"]),
            models.Index(fields=["body", "kind", "year"]),
        ]

    def __str__(self) -> str:
        label = self.number or self.title
        return f"{label} 第{self.version}版" if self.version > 1 else label

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("签发的文书只能追加新版本，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("签发的文书不能删除。")

    @property
    def sha256_prefix(self) -> str:
        return self.sha256[:12]
