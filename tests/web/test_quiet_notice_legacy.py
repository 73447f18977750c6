"""A 抄告 notice numbered before the register of issued documents existed is entered in the
register by policy migration 0006 under the number it was printed with, the body's serial goes on
from it, and its first download renders and freezes it once (audited); later downloads serve that
copy, whatever the data says by then."""

from __future__ import annotations

import importlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from anjian.audit.models import AuditEntry
from anjian.documents.models import DocumentSerial, IssuedDocument
from anjian.policy.models import QuietException

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("anjian.policy.migrations.0006_register_legacy_notices")


def _legacy_notice(world) -> QuietException:  # type: ignore[no-untyped-def]
    return QuietException.objects.create(
        body=world.county,
        section=world.sections["hazchem"],
        enterprise=world.enterprises["chem"],
        date=date(2025, 6, 5),
        activity="enforcement_inspection",
        reason="群众举报储罐区夜间违规动火作业，需立即现场核实",
        status=QuietException.Status.APPROVED,
        requested_by=world.users["hazchem"],
        decided_by=world.users["bureau_head"],
        decided_at=datetime(2025, 6, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
        notice_year=2025,
        notice_serial=3,
    )


def test_an_old_notice_is_registered_then_frozen_on_its_first_download(world, client) -> None:  # type: ignore[no-untyped-def]
    row = _legacy_notice(world)
    MIGRATION.forwards(apps, None)
    MIGRATION.forwards(apps, None)  # running it again adds nothing
    [document] = IssuedDocument.objects.filter(kind="quiet_exception_notice")
    assert (document.number, document.legacy, document.content) == (
        "文水应急抄〔2025〕3号",
        True,
        None,
    )
    assert document.issued_on == date(2025, 6, 4) and document.subject_pk == str(row.pk)
    counter = DocumentSerial.objects.get(
        body=world.county, kind="quiet_exception_notice", year=2025
    )
    assert counter.last == 3
    client.force_login(world.users["office"])
    first = client.get(f"/policy/quiet/exceptions/{row.pk}/notice.docx")
    assert first.status_code == 200
    document.refresh_from_db()
    assert document.content is not None and document.frozen_at is not None
    assert b"".join(first) == bytes(document.content)
    assert "%E6%96%87%E6%B0%B4" in first["Content-Disposition"]  # the number names the file
    entry = AuditEntry.objects.get(action="document.freeze_legacy")
    assert entry.changes["sha256"] == document.sha256
    QuietException.objects.filter(pk=row.pk).update(reason="事后改动的理由")
    again = client.get(f"/policy/quiet/exceptions/{row.pk}/notice.docx")
    assert b"".join(again) == bytes(document.content)
    assert AuditEntry.objects.filter(action="document.freeze_legacy").count() == 1
