"""The inspection services end to end: task → approval → code → check-in → record → order →
the enterprise's report → review; and every bad input refused with nothing changed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from anjian.audit.models import AuditEntry
from anjian.inspections.codes import CodeState, check_code, entry_code, qr_png
from anjian.inspections.models import Hazard, InspectionDocument, InspectionTask, ItemResult
from anjian.inspections.services.records import (
    FindingRequest,
    add_evidence,
    add_finding,
    confirm_record,
    finish_record,
    issue_order,
    record_item,
)
from anjian.inspections.services.rectification import (
    LineDecision,
    overdue,
    refer_for_penalty,
    report_rectification,
    review_order,
)
from anjian.inspections.services.tasks import (
    cancel_task,
    decide_task,
    record_unplanned,
    request_task,
    review_unplanned,
)
from anjian.inspections.services.visits import check_in, parse_position
from anjian.policy.models import EntryBooking
from tests.web.inspection_helpers import approved_task, field_team, task_request, today

pytestmark = pytest.mark.django_db


def photo(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, qr_png("photo"), content_type="image/png")


def test_ad_hoc_task_needs_a_ground_and_the_heads_approval(world) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    with pytest.raises(ValidationError) as caught:
        request_task(
            actor=world.users["hazchem"],
            request=task_request(world, team, today(), ground="  "),
            today=today(),
        )
    assert "ground" in caught.value.message_dict
    task = request_task(
        actor=world.users["hazchem"], request=task_request(world, team, today()), today=today()
    )
    assert task.status == "pending" and not task.bookings.exists()
    assert check_code(entry_code(task), today()).state == CodeState.UNKNOWN
    with pytest.raises(PermissionDenied):
        decide_task(actor=world.users["office"], task=task, approve=True, note="", today=today())
    task = decide_task(
        actor=world.users["bureau_head"], task=task, approve=True, note="同意", today=today()
    )
    assert task.status == "approved"
    assert task.bookings.count() == 1
    assert task.documents.get().kind == InspectionDocument.Kind.NOTICE
    assert task.documents.get().number == f"文水应急检通〔{today().year}〕1号"
    assert check_code(entry_code(task), today()).state == CodeState.VALID


def test_on_site_task_needs_two_certified_officers_and_listed_items(world) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    bad = task_request(world, team, today(), officers=team.officers[:1], items=[])
    with pytest.raises(ValidationError) as caught:
        request_task(actor=world.users["hazchem"], request=bad, today=today())
    assert {"officers", "items"} <= caught.value.message_dict.keys()
    assert not InspectionTask.objects.exists()


def test_codes_forged_expired_revoked_and_other_day(world) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team, today() + timedelta(days=1))
    code = entry_code(task)
    assert check_code(code, today()).state == CodeState.OTHER_DAY
    assert check_code(code, today() + timedelta(days=2)).state == CodeState.EXPIRED
    assert check_code(code[:-2] + "xx", today()).state == CodeState.FORGED
    assert check_code("not a code", today()).state == CodeState.FORGED
    with pytest.raises(ValidationError, match="不是今天"):
        check_in(actor=team.lead, code=code, today=today())
    cancel_task(actor=world.users["hazchem"], task=task, reason="企业停产")
    assert check_code(code, today() + timedelta(days=1)).state == CodeState.REVOKED
    assert EntryBooking.objects.get().cancelled_at is not None


def test_check_in_record_order_report_review(world) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    items = list(task.items.all())
    code = entry_code(task)
    with pytest.raises(PermissionDenied):
        check_in(actor=world.users["hazchem"], code=code, today=today())
    with pytest.raises(ValidationError, match="先凭检查码签到"):
        record_item(actor=team.lead, task=task, item_id=items[0].pk, outcome="checked")
    position = parse_position("37.43", "112.03", "15")
    task = check_in(actor=team.lead, code=code, today=today(), position=position)
    assert task.status == "in_progress" and task.checkin_lat is not None
    with pytest.raises(ValidationError, match="已签到"):
        check_in(actor=team.users[1], code=code, today=today())

    record_item(actor=team.lead, task=task, item_id=items[0].pk, outcome="checked")
    with pytest.raises(ValidationError, match="不在本任务"):
        record_item(actor=team.lead, task=task, item_id=999999, outcome="checked")
    general = add_finding(
        actor=team.lead,
        task=task,
        request=FindingRequest("储罐区防火堤破损", "general", item_id=items[1].pk, files=[photo()]),
        today=today(),
    )
    assert general.legal_basis and general.evidence.get().is_image
    assert ItemResult.objects.get(task=task, item=items[1]).outcome == "finding"
    major = add_finding(
        actor=team.lead,
        task=task,
        request=FindingRequest(
            "可燃气体报警器全部失效",
            "major",
            item_id=items[2].pk,
            onsite_measure="stop_use",
            measure_note="停止使用甲类仓库",
        ),
        today=today(),
    )
    assert major.measure_document is not None
    off_list = add_finding(
        actor=team.lead,
        task=task,
        request=FindingRequest(
            "消防通道堆放杂物",
            "general",
            off_list_reason="检查中顺带发现，危及安全",
            fixed_on_spot=True,
            legal_basis="《消防法》第二十八条",
        ),
        today=today(),
    )
    assert off_list.legal_flag and off_list.status == "on_spot"

    with pytest.raises(ValidationError) as unfinished:
        finish_record(actor=team.lead, task=task, summary="", place="厂区", today=today())
    assert any("整改指令书" in m for m in unfinished.value.messages)
    order = issue_order(
        actor=team.lead,
        task=task,
        hazard_ids=[general.pk, major.pk],
        working_days=10,
        today=today(),
    )
    assert order.deadline > today()
    confirm_record(actor=team.lead, task=task, representative="刘厂长", refused=False)
    task = finish_record(
        actor=team.lead, task=task, summary="检查完毕", place="厂区", today=today()
    )
    assert task.status == "done" and task.checked_out_at is not None
    assert check_code(code, today()).state == CodeState.EXPIRED
    kinds = sorted(task.documents.values_list("kind", flat=True))
    assert kinds == ["measure", "notice", "order", "record"]

    enterprise = world.users["enterprise"]
    with pytest.raises(ValidationError) as no_files:
        report_rectification(actor=enterprise, hazard=general, description="已修复", files=[])
    assert "files" in no_files.value.message_dict
    text = SimpleUploadedFile("note.txt", b"hello world", content_type="image/png")
    with pytest.raises(ValidationError, match="不是允许的类型"):
        report_rectification(actor=enterprise, hazard=general, description="已修复", files=[text])
    with pytest.raises(PermissionDenied):
        report_rectification(
            actor=world.users["enterprise2"], hazard=general, description="x", files=[photo()]
        )
    report_rectification(actor=enterprise, hazard=general, description="已修复", files=[photo()])
    general.refresh_from_db()
    assert general.status == "reported"

    with pytest.raises(ValidationError, match="远程核查"):
        review_order(
            actor=team.lead,
            order=order,
            mode="remote",
            lines=[LineDecision(major.pk, "closed")],
            officers=[],
            note="",
            today=today(),
        )
    review = review_order(
        actor=team.lead,
        order=order,
        mode="remote",
        lines=[
            LineDecision(general.pk, "closed"),
            LineDecision(major.pk, "extended", today() + timedelta(days=20)),
        ],
        officers=[],
        note="材料齐全",
        today=today(),
    )
    assert review.document.kind == "review"
    general.refresh_from_db()
    major.refresh_from_db()
    assert general.status == "closed" and major.status == "open" and major.extensions == 1
    with pytest.raises(ValidationError, match="已整改销号"):
        report_rectification(actor=enterprise, hazard=general, description="再报", files=[photo()])
    assert general.reports.count() == 1

    hazards = Hazard.objects.all()
    assert list(overdue(hazards, today() + timedelta(days=21))) == [major]
    with pytest.raises(ValidationError, match="逾期"):
        refer_for_penalty(actor=team.lead, hazard=major, today=today())
    refer_for_penalty(actor=team.lead, hazard=major, today=today() + timedelta(days=21))
    assert AuditEntry.objects.filter(action="rectification.refer").exists()


def test_remote_task_needs_its_evidence(world) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team, mode="remote", officers=team.officers[:1])
    for item in task.items.all():
        record_item(actor=team.lead, task=task, item_id=item.pk, outcome="checked")
    with pytest.raises(ValidationError, match="非现场检查须上传"):
        finish_record(actor=team.lead, task=task, summary="", place="", today=today())
    add_evidence(
        actor=team.lead, task=task, kind="video_session", description="14:00-14:40 视频连线"
    )
    task = finish_record(actor=team.lead, task=task, summary="远程检查", place="", today=today())
    assert task.status == "done"


def test_upload_too_large_is_refused(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ANJIAN_UPLOAD_MAX_BYTES = 100
    team = field_team(world)
    task = approved_task(world, team)
    task = check_in(actor=team.lead, code=entry_code(task), today=today())
    with pytest.raises(ValidationError, match="超过"):
        add_evidence(actor=team.lead, task=task, kind="photo", upload=photo())
    assert not task.evidence.exists()


def test_unplanned_entry_is_recorded_and_reviewed(world) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    request = task_request(world, team, today(), source="unplanned", ground="")
    with pytest.raises(ValidationError):
        record_unplanned(actor=team.lead, request=request, today=today())
    request.reason = "接报泄漏，紧急入企处置，未及申请检查码"
    task = record_unplanned(actor=team.lead, request=request, today=today())
    assert task.status == "in_progress" and task.review == "pending"
    assert task.bookings.count() == 1
    review_unplanned(actor=world.users["bureau_head"], task=task, accept=True, note="情况属实")
    task.refresh_from_db()
    assert task.review == "accepted"


def test_a_failed_write_leaves_no_file_behind(world, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = check_in(actor=team.lead, code=entry_code(approved_task(world, team)), today=today())
    item = task.items.first()

    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("audit store down")

    monkeypatch.setattr("anjian.inspections.services.records.audit_record", broken)
    with pytest.raises(RuntimeError):
        add_finding(
            actor=team.lead,
            task=task,
            request=FindingRequest("漏电保护器失效", "general", item_id=item.pk, files=[photo()]),
            today=today(),
        )
    assert not Hazard.objects.exists()
    assert not any(p.is_file() for p in Path(settings.MEDIA_ROOT).rglob("*"))


@pytest.mark.parametrize(
    ("lat", "lng"), [("nan", "nan"), ("inf", "1"), ("91", "1"), ("abc", "1"), ("1", "-181")]
)
def test_nonsense_positions_are_refused(lat: str, lng: str) -> None:
    with pytest.raises(ValidationError):
        parse_position(lat, lng)


def test_no_position_is_fine() -> None:
    assert parse_position("", "") is None
    assert parse_position("37.5", "112.1", "abc").accuracy is None  # type: ignore[union-attr]
