"""Enter every 抄告 notice numbered before the register of issued documents existed, without bytes
(`legacy`), under the number it was printed with, and carry each body's serial on from them: each
is frozen on its first download after the upgrade (policy/notice.py `notice_download`)."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db import migrations

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KIND = "quiet_exception_notice"
TITLE = "安静期例外入企抄告"  # copied from anjian.documents.kinds as of this migration
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _old_prefix(name):
    """The prefix these notices were printed with (before bodies had a configured one)."""
    return (name.removesuffix("应急管理局").rstrip("县市省") or name) + "应急"


def forwards(apps, schema_editor):
    exception = apps.get_model("policy", "QuietException")
    issued = apps.get_model("documents", "IssuedDocument")
    serial = apps.get_model("documents", "DocumentSerial")
    rows = exception.objects.filter(notice_serial__isnull=False).select_related("body")
    for row in rows.order_by("pk"):
        subject = {"subject_app": "policy", "subject_model": "quietexception"}
        if issued.objects.filter(kind=KIND, subject_pk=str(row.pk), **subject).exists():
            continue
        number = f"{_old_prefix(row.body.name)}抄〔{row.notice_year}〕{row.notice_serial}号"
        decided = row.decided_at.astimezone(SHANGHAI) if row.decided_at else None
        day = decided.date() if decided else datetime(row.notice_year, 1, 1).date()
        issued.objects.create(
            body_id=row.body_id,
            kind=KIND,
            title=TITLE,
            year=row.notice_year,
            serial=row.notice_serial,
            number=number,
            version=1,
            subject_pk=str(row.pk),
            enterprise_id=row.enterprise_id,
            issued_on=day,
            issued_by_id=row.decided_by_id,
            issued_at=decided or datetime.combine(day, time(0, 0), tzinfo=SHANGHAI),
            content=None,
            content_type=DOCX,
            file_name=f"{number}{TITLE}.docx",
            size=0,
            sha256="",
            legacy=True,
            **subject,
        )
        counter, _ = serial.objects.get_or_create(
            body_id=row.body_id, kind=KIND, year=row.notice_year
        )
        if counter.last < row.notice_serial:
            counter.last = row.notice_serial
            counter.save(update_fields=["last"])


def backwards(apps, schema_editor):
    issued = apps.get_model("documents", "IssuedDocument")
    issued.objects.filter(kind=KIND, legacy=True, content__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("policy", "0005_high_risk_and_quiet_defaults"),
        ("documents", "0002_move_serials_and_register"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
