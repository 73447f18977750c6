"""The enterprise portal through the test client: its own inspections only, documents,
rectification evidence, the rating (once, never shown to the inspecting section) and complaints
that reach the discipline inspectors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anjian.audit.models import AuditEntry
from anjian.inspections.codes import entry_code, qr_png
from anjian.inspections.models import (
    Complaint,
    Evidence,
    Hazard,
    InspectionRating,
    InspectionTask,
    RectificationReport,
)
from anjian.inspections.services.records import (
    FindingRequest,
    add_finding,
    confirm_record,
    finish_record,
    issue_order,
    record_item,
)
from anjian.inspections.services.rectification import LineDecision, review_order
from anjian.inspections.services.tasks import request_task
from anjian.inspections.services.visits import check_in
from tests.web.inspection_helpers import Field, approved_task, field_team, task_request, today

pytestmark = pytest.mark.django_db


def photo(name: str = "整改后.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, qr_png("x"), content_type="image/png")


def stored_files(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file())


@dataclass
class Done:
    team: Field
    task: InspectionTask
    hazard: Hazard


def done_task(world) -> Done:  # type: ignore[no-untyped-def]
    """Today's finished inspection of 宏达化工 with one finding under a rectification order."""
    team = field_team(world)
    task = check_in(actor=team.lead, code=entry_code(approved_task(world, team)), today=today())
    items = list(task.items.order_by("code"))
    hazard = add_finding(
        actor=team.lead,
        task=task,
        request=FindingRequest("储罐区防火堤破损", "general", item_id=items[0].pk, files=[photo()]),
        today=today(),
    )
    for item in items[1:]:
        record_item(actor=team.lead, task=task, item_id=item.pk, outcome="checked")
    issue_order(actor=team.lead, task=task, hazard_ids=[hazard.pk], working_days=10, today=today())
    confirm_record(actor=team.lead, task=task, representative="刘厂长", refused=False)
    task = finish_record(
        actor=team.lead, task=task, summary="检查完毕", place="厂区", today=today()
    )
    hazard.refresh_from_db()
    return Done(team, task, hazard)


def test_enterprise_sees_only_its_own_notified_and_past_inspections(world, login) -> None:  # type: ignore[no-untyped-def]
    done = done_task(world)
    upcoming = approved_task(world, done.team, today() + timedelta(days=1))
    pending = request_task(
        actor=world.users["hazchem"],
        request=task_request(world, done.team, today() + timedelta(days=2), ground="举报件 JB-9"),
        today=today(),
    )
    assert pending.status == "pending"
    client = login(world.users["enterprise"])
    page = client.get(reverse("inspections:portal_home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-testid="upcoming-{upcoming.pk}"' in html
    assert f'data-testid="past-{done.task.pk}"' in html
    assert f"upcoming-{pending.pk}" not in html and f"past-{pending.pk}" not in html
    for officer in done.team.officers:
        assert f"{officer.name}（执法证 {officer.certificate_no}）" in html
    assert 'data-testid="open-hazards">1<' in html
    assert done.hazard.deadline is not None
    assert done.hazard.deadline.isoformat() in html
    assert reverse("policy:my_quota") in html

    detail = client.get(reverse("inspections:portal_task", args=[done.task.pk]))
    body = detail.content.decode()
    assert detail.status_code == 200 and "储罐区防火堤破损" in body
    thumb = done.hazard.evidence.get()
    assert reverse("inspections:evidence_file", args=[thumb.pk]) in body
    assert 'data-testid="rating-form"' in body
    assert reverse("inspections:portal_complaints") + f"?task={done.task.pk}" in body
    assert client.get(reverse("inspections:portal_task", args=[pending.pk])).status_code == 404

    for document in done.task.documents.all():
        response = client.get(reverse("inspections:document", args=[document.pk]))
        assert response.status_code == 200, document.kind
        assert response["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )

    other = login(world.users["enterprise2"])
    assert other.get(reverse("inspections:portal_task", args=[done.task.pk])).status_code == 404
    mine = other.get(reverse("inspections:portal_home")).content.decode()
    assert f"past-{done.task.pk}" not in mine and f"upcoming-{upcoming.pk}" not in mine
    document = done.task.documents.first()
    assert other.get(reverse("inspections:document", args=[document.pk])).status_code == 404
    assert other.get(reverse("inspections:evidence_file", args=[thumb.pk])).status_code == 404
    staff = login(world.users["hazchem"])
    assert staff.get(reverse("inspections:portal_home")).status_code == 403


def test_enterprise_reports_rectification_with_evidence(world, login, tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = done_task(world)
    url = reverse("inspections:portal_hazard_report", args=[done.hazard.pk])
    client = login(world.users["enterprise"])
    page = client.get(reverse("inspections:portal_hazards"))
    html = page.content.decode()
    assert page.status_code == 200 and f'data-testid="report-form-{done.hazard.pk}"' in html
    assert 'multiple accept="image/*,.pdf,.doc,.docx,.xls,.xlsx"' in html

    files_before = stored_files(tmp_path)
    fake = SimpleUploadedFile("整改.png", b"this is only text", content_type="image/png")
    refused = client.post(url, {"description": "已修复防火堤", "files": [fake]})
    assert refused.status_code == 200 and "不是允许的类型" in refused.content.decode()
    assert "已修复防火堤" in refused.content.decode()  # the description is kept
    done.hazard.refresh_from_db()
    assert done.hazard.status == "open"
    assert not RectificationReport.objects.exists()
    assert not Evidence.objects.filter(report__isnull=False).exists()
    assert stored_files(tmp_path) == files_before

    other = login(world.users["enterprise2"])
    assert other.post(url, {"description": "x", "files": [photo()]}).status_code == 404
    client = login(world.users["enterprise"])
    ok = client.post(
        url, {"description": "已修复防火堤", "files": [photo("a.png"), photo("b.jpg")]}
    )
    assert ok.status_code == 302
    done.hazard.refresh_from_db()
    assert done.hazard.status == "reported"
    report = RectificationReport.objects.get()
    assert report.evidence.count() == 2 and stored_files(tmp_path) == files_before + 2
    assert all(e.is_image for e in report.evidence.all())

    review_order(
        actor=done.team.lead,
        order=done.hazard.order,
        mode="remote",
        lines=[LineDecision(done.hazard.pk, "closed")],
        officers=[],
        note="材料齐全",
        today=today(),
    )
    again = client.post(url, {"description": "再报一次", "files": [photo()]})
    assert again.status_code == 200 and "已整改销号" in again.content.decode()
    assert RectificationReport.objects.count() == 1
    closed = client.get(reverse("inspections:portal_hazards")).content.decode()
    assert f'data-testid="report-form-{done.hazard.pk}"' not in closed
    assert "储罐区防火堤破损" in closed


def test_rating_once_and_only_the_office_and_discipline_see_it(world, login) -> None:  # type: ignore[no-untyped-def]
    done = done_task(world)
    rater = world.users["enterprise"]
    rater.display_name = "赵报人"
    rater.save(update_fields=["display_name"])
    upcoming = approved_task(world, done.team, today() + timedelta(days=1))
    client = login(rater)
    data = {"score": "2", "showed_code": "no", "disturbed_production": "yes", "comment": "未亮证"}
    early = client.post(reverse("inspections:portal_rate", args=[upcoming.pk]), data, follow=True)
    assert "检查完成后才能评价" in early.content.decode()
    first = client.post(reverse("inspections:portal_rate", args=[done.task.pk]), data)
    assert first.status_code == 302
    rating = InspectionRating.objects.get()
    assert (rating.task_id, rating.score, rating.showed_code, rating.disturbed_production) == (
        done.task.pk,
        2,
        False,
        True,
    )
    second = client.post(
        reverse("inspections:portal_rate", args=[done.task.pk]), {**data, "score": "5"}, follow=True
    )
    assert "只能评价一次" in second.content.decode()
    assert InspectionRating.objects.get().score == 2
    assert 'data-testid="rating-form"' not in second.content.decode()
    entry = AuditEntry.objects.get(action="inspection.rating")
    assert entry.actor_username == rater.username and "赵报人" not in str(entry.changes)
    other = login(world.users["enterprise2"])
    assert (
        other.post(reverse("inspections:portal_rate", args=[done.task.pk]), data).status_code == 404
    )

    section = login(world.users["hazchem"])
    assert section.get(reverse("inspections:ratings")).status_code == 403
    assert section.get(reverse("inspections:complaints")).status_code == 403
    for username in ("discipline", "office"):
        page = login(world.users[username]).get(reverse("inspections:ratings"))
        html = page.content.decode()
        assert page.status_code == 200, username
        assert 'data-testid="rating-count">1<' in html
        assert 'data-testid="no-code-share">100.0%<' in html
        assert 'data-testid="disturbed-share">100.0%<' in html
        assert "危化股" in html and "未亮证" in html
        assert "赵报人" not in html


def test_complaint_reaches_the_discipline_inspectors_and_is_closed(world, login) -> None:  # type: ignore[no-untyped-def]
    done = done_task(world)
    client = login(world.users["enterprise"])
    url = reverse("inspections:portal_complaints")
    form = client.get(url, {"task": done.task.pk})
    assert form.status_code == 200 and form.context["form"].initial["task"] == done.task.pk
    future = client.post(
        url,
        {"kind": "gifts", "happened_on": today() + timedelta(days=3), "description": "索要礼品"},
    )
    assert future.status_code == 200 and "happened_on" in future.context["form"].errors
    assert not Complaint.objects.exists()
    filed = client.post(
        url,
        {
            "kind": "gifts",
            "happened_on": today(),
            "task": done.task.pk,
            "description": "检查人员暗示索要礼品",
            "contact": "13800000000",
        },
    )
    assert filed.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.enterprise == world.enterprises["chem"] and complaint.task == done.task
    assert complaint.status == "received"

    discipline = login(world.users["discipline"])
    desk = discipline.get(reverse("inspections:complaints"))
    assert desk.status_code == 200 and "检查人员暗示索要礼品" in desk.content.decode()
    handle = reverse("inspections:complaint_handle", args=[complaint.pk])
    no_note = discipline.post(handle, {"status": "closed", "note": " "}, follow=True)
    assert "须填写办理结果" in no_note.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == "received"
    discipline.post(handle, {"status": "handling", "note": ""})
    discipline.post(handle, {"status": "closed", "note": "经核查属实，已移交处理"})
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.handled_by == world.users["discipline"]
    assert complaint.handled_at is not None
    reopened = discipline.post(handle, {"status": "handling", "note": "x"}, follow=True)
    assert "已办结" in reopened.content.decode()
    assert "经核查属实" not in discipline.get(reverse("inspections:complaints")).content.decode()
    closed = discipline.get(reverse("inspections:complaints"), {"status": "closed"})
    assert "经核查属实，已移交处理" in closed.content.decode()

    mine = login(world.users["enterprise"]).get(url).content.decode()
    assert f'data-testid="complaint-status-{complaint.pk}">已办结<' in mine
    assert "经核查属实，已移交处理" in mine
    assert login(world.users["office"]).get(reverse("inspections:complaints")).status_code == 403
    other = login(world.users["other_office"])
    assert other.post(handle, {"status": "closed", "note": "x"}).status_code == 403


def test_menu_entries_follow_the_capabilities(world, login) -> None:  # type: ignore[no-untyped-def]
    home = login(world.users["enterprise"]).get(reverse("core:home")).content.decode()
    for name in ("portal_home", "portal_hazards", "portal_complaints"):
        assert reverse(f"inspections:{name}") in home
    assert reverse("inspections:ratings") not in home
    staff = login(world.users["hazchem"]).get(reverse("core:home")).content.decode()
    assert reverse("inspections:ratings") not in staff
    assert reverse("inspections:portal_home") not in staff
    discipline = login(world.users["discipline"]).get(reverse("core:home")).content.decode()
    assert reverse("inspections:ratings") in discipline
    assert reverse("inspections:complaints") in discipline


def test_every_portal_page_needs_a_login(world, client) -> None:  # type: ignore[no-untyped-def]
    for name, args in (
        ("portal_home", []),
        ("portal_task", [1]),
        ("portal_rate", [1]),
        ("portal_hazards", []),
        ("portal_hazard_report", [1]),
        ("portal_complaints", []),
        ("ratings", []),
        ("complaints", []),
        ("complaint_handle", [1]),
    ):
        response = client.post(reverse(f"inspections:{name}", args=args))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/"), name
