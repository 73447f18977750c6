"""A quiet-period exception is approved before the entry, or it is an emergency entry made first
with its ground recorded at once and approved afterwards (事后补批), counted and worded apart."""

from __future__ import annotations

import calendar
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from anjian.documents.models import IssuedDocument
from anjian.policy.ledger import exception_ledger_rows
from anjian.policy.models import EntryBooking, QuietException
from anjian.policy.notice import KIND, notice_document, notice_number
from anjian.policy.services.booking import entry_book
from anjian.policy.services.quiet import (
    quiet_exception_decide,
    quiet_exception_request,
    quiet_exception_withdraw,
)
from anjian.policy.workdays import deadline_after
from tests.clock import TEST_TODAY

from .policy_helpers import county_officers, quiet, request_for

pytestmark = pytest.mark.django_db
JUNE = date(2025, 6, 1)
ENTRY = date(2025, 6, 5)


def _request(world, day: date = ENTRY) -> QuietException:  # type: ignore[no-untyped-def]
    return quiet_exception_request(
        actor=world.users["hazchem"],
        enterprise=world.enterprises["chem"],
        day=day,
        activity="enforcement_inspection",
        reason="省厅交办的储罐区专项核查须在复产前完成",
        section=world.sections["hazchem"],
        today=date(2025, 6, 1),
    )


def _whole_month(day: date) -> list[int]:
    return list(range(1, calendar.monthrange(day.year, day.month)[1] + 1))


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_approval_after_the_entry_date_is_refused_and_writes_nothing(world) -> None:
    quiet(world, JUNE, list(range(1, 11)))
    row = _request(world)
    with pytest.raises(ValidationError) as refused:
        quiet_exception_decide(
            actor=world.users["bureau_head"],
            exception=row,
            approve=True,
            note="同意",
            today=date(2025, 6, 6),
        )
    assert "入企日期（2025年06月05日）已过，不能再按事前审批批准" in refused.value.messages[0]
    row.refresh_from_db()
    assert row.status == "pending" and row.decided_at is None
    assert not IssuedDocument.objects.exists() and notice_number(row) == ""


def test_a_request_for_a_past_day_is_refused(world) -> None:
    quiet(world, JUNE, list(range(1, 11)))
    with pytest.raises(ValidationError) as refused:
        quiet_exception_request(
            actor=world.users["hazchem"],
            enterprise=world.enterprises["chem"],
            day=ENTRY,
            activity="enforcement_inspection",
            reason="省厅交办的储罐区专项核查须在复产前完成",
            section=None,
            today=date(2025, 6, 8),
        )
    assert "事后补批" in refused.value.error_dict["date"][0].message
    assert not QuietException.objects.exists()


def test_prior_approval_issues_the_notice_once_in_the_register(world, client, login) -> None:
    quiet(world, JUNE, list(range(1, 11)))
    row = quiet_exception_decide(
        actor=world.users["bureau_head"],
        exception=_request(world),
        approve=True,
        note="同意",
        today=date(2025, 6, 4),
    )
    document = notice_document(row)
    assert document is not None and document.kind == KIND
    assert notice_number(row) == document.number == "文水应急抄〔2025〕1号"
    text = _text(bytes(document.content))
    assert "已于2025年6月4日经我局主要负责人" in text and "事前批准" in text
    assert "事后补批" not in text
    login(world.users["hazchem"])
    first = client.get(f"/policy/quiet/exceptions/{row.pk}/notice.docx")
    second = client.get(f"/policy/quiet/exceptions/{row.pk}/notice.docx")
    assert first.status_code == 200 and first.content == second.content == bytes(document.content)
    assert IssuedDocument.objects.count() == 1


def test_an_emergency_entry_records_its_back_fill_at_once(world) -> None:
    day = TEST_TODAY
    quiet(world, day, _whole_month(day))
    officers = county_officers(world)
    request = request_for(world, "chem", day, officers, quiet_ground="accident")
    request.ground = "凌晨储罐泄漏事故，赶赴现场处置"
    outcome = entry_book(actor=world.users["hazchem"], request=request)
    assert outcome.booked
    assert [(r.code, r.severity) for r in outcome.verdict.reasons] == [("QUIET_BACKFILL", "notice")]
    backfill = QuietException.objects.get()
    assert (backfill.timing, backfill.status, backfill.emergency_ground) == (
        "backfill",
        "pending",
        "accident",
    )
    assert backfill.backfill_due == deadline_after(day, 3)
    assert outcome.booking.quiet_exception == backfill
    with pytest.raises(ValidationError):
        quiet_exception_withdraw(actor=world.users["hazchem"], exception=backfill)
    late = deadline_after(day, 4)
    assert backfill.backfill_overdue(late) and not backfill.backfill_overdue(day)
    month = exception_ledger_rows(world.county.pk, day.year, late)[day.month - 1]
    assert (month.under_exception, month.under_backfill) == (0, 1)
    assert (month.backfill_pending, month.backfill_overdue) == (1, 1)
    assert month.rate == 0.0 and month.backfill_rate == 1.0
    approved = quiet_exception_decide(
        actor=world.users["bureau_head"],
        exception=backfill,
        approve=True,
        note="情况属实，予以补批",
        today=late,
    )
    text = _text(bytes(notice_document(approved).content))
    assert "因生产安全事故" in text and "先行进入" in text and "事后补批" in text
    assert f"于{day.year}年{day.month}月{day.day}日先行进入" in text
    assert "系入企之前的事前批准" not in text and "（非事前批准）" in text


def test_an_emergency_ground_is_not_for_a_day_still_to_come(world) -> None:
    officers = county_officers(world)
    request = request_for(world, "chem", date(2030, 6, 5), officers, quiet_ground="accident")
    with pytest.raises(ValidationError) as refused:
        entry_book(actor=world.users["hazchem"], request=request)
    assert "quiet_ground" in refused.value.error_dict
    assert not EntryBooking.objects.exists() and not QuietException.objects.exists()


def test_the_ledger_page_flags_overdue_back_fills(world, client, login) -> None:
    quiet(world, TEST_TODAY, _whole_month(TEST_TODAY))
    QuietException.objects.create(
        body=world.county,
        enterprise=world.enterprises["chem"],
        date=TEST_TODAY,
        activity="enforcement_inspection",
        reason="重大事故隐患举报",
        requested_by=world.users["hazchem"],
        timing="backfill",
        emergency_ground="major_hazard_report",
        backfill_due=TEST_TODAY - timedelta(days=1),
    )
    login(world.users["office"])
    page = client.get(f"/policy/quiet/exceptions/ledger/?year={TEST_TODAY.year}").content.decode()
    assert 'data-testid="backfill-overdue"' in page and "重大事故隐患举报" in page
