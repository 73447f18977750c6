"""Move the serial counters from inspections (kinds "case_…" lose their prefix: the register's
penalty kinds are CaseDocument's codes) and enter every document numbered before the register
existed, without bytes (`legacy`): each is frozen on its first download after the upgrade."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.db import migrations

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Copied from anjian.documents.kinds as of this migration.
TITLES = {
    "notice": "行政检查通知书",
    "record": "现场检查记录",
    "order": "责令限期整改指令书",
    "review": "整改复查意见书",
    "measure": "现场处理措施决定书",
    "filing": "立案审批表",
    "penalty_notice": "行政处罚告知书",
    "hearing_notice": "听证告知书",
    "decision": "行政处罚决定书",
    "no_penalty": "不予行政处罚决定书",
}
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _copy_serials(apps):
    old = apps.get_model("inspections", "DocumentSerial")
    new = apps.get_model("documents", "DocumentSerial")
    for row in old.objects.all():
        kind = row.kind.removeprefix("case_")
        current = new.objects.filter(body_id=row.body_id, kind=kind, year=row.year).first()
        if current is None:
            new.objects.create(body_id=row.body_id, kind=kind, year=row.year, last=row.last)
        elif current.last < row.last:
            current.last = row.last
            current.save(update_fields=["last"])


def _register(apps, row, subject_app, subject_model, subject_pk, enterprise_id):
    issued = apps.get_model("documents", "IssuedDocument")
    title = TITLES[row.kind]
    issued.objects.create(
        body_id=row.body_id,
        kind=row.kind,
        title=title,
        year=row.year,
        serial=row.serial,
        number=row.number,
        version=1,
        subject_app=subject_app,
        subject_model=subject_model,
        subject_pk=str(subject_pk),
        enterprise_id=enterprise_id,
        issued_on=row.issued_on,
        issued_by_id=row.issued_by_id,
        issued_at=datetime.combine(row.issued_on, time(0, 0), tzinfo=SHANGHAI),
        content=None,
        content_type=DOCX,
        file_name=f"{row.number}{title}.docx",
        size=0,
        sha256="",
        legacy=True,
    )


def forwards(apps, schema_editor):
    _copy_serials(apps)
    inspection_document = apps.get_model("inspections", "InspectionDocument")
    for row in inspection_document.objects.select_related("task").order_by("pk"):
        _register(apps, row, "inspections", "inspectiontask", row.task_id, row.task.enterprise_id)
    case_document = apps.get_model("enforcement", "CaseDocument")
    for row in case_document.objects.select_related("case").order_by("pk"):
        _register(apps, row, "enforcement", "penaltycase", row.case_id, row.case.enterprise_id)


def backwards(apps, schema_editor):
    old = apps.get_model("inspections", "DocumentSerial")
    new = apps.get_model("documents", "DocumentSerial")
    penalty = {"filing", "penalty_notice", "hearing_notice", "decision", "no_penalty"}
    for row in new.objects.all():
        kind = f"case_{row.kind}" if row.kind in penalty else row.kind
        old.objects.update_or_create(
            body_id=row.body_id, kind=kind, year=row.year, defaults={"last": row.last}
        )
    apps.get_model("documents", "IssuedDocument").objects.filter(legacy=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("inspections", "0002_approval_delegation"),
        ("enforcement", "0003_step_choices"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
