"""The inspection pages through the test client: staff, officers in the field, the head, the
legal office and anyone who scans a code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anjian.inspections.codes import entry_code, qr_png
from anjian.inspections.models import Evidence, Hazard, InspectionTask, ItemResult
from anjian.inspections.services.records import FindingRequest, add_finding, issue_order
from anjian.inspections.services.visits import check_in
from tests.web.inspection_helpers import approved_task, field_team, on_site_items, today

pytestmark = pytest.mark.django_db


def test_section_requests_a_task_and_the_head_approves_it(world, login) -> None:  # type: ignore[no-untyped-def]
    field_team(world)
    client = login(world.users["hazchem"])
    chem = world.enterprises["chem"]
    page = client.get(reverse("inspections:task_new"), {"q": "宏达"})
    assert chem.name in page.content.decode()
    url = reverse("inspections:task_new") + f"?enterprise={chem.pk}"
    form = client.get(url)
    assert form.status_code == 200
    officers = [o.pk for o in form.context["form"].fields["officers"].queryset[:1]]
    bad = client.post(
        url,
        {
            "date": today(),
            "activity": "enforcement_inspection",
            "mode": "on_site",
            "source": "complaint",
            "officers": officers,
        },
    )
    assert bad.status_code == 200 and not InspectionTask.objects.exists()
    errors = bad.context["form"].errors
    assert "ground" in errors and "items" in errors and "officers" in errors
    items = [i.pk for i in on_site_items(world)]
    officers = [o.pk for o in form.context["form"].fields["officers"].queryset if o.user_id][:2]
    done = client.post(
        url,
        {
            "date": today() + timedelta(days=1),
            "activity": "enforcement_inspection",
            "mode": "on_site",
            "source": "complaint",
            "ground": "举报件 JB-7",
            "items": items,
            "officers": officers,
        },
    )
    task = InspectionTask.objects.get()
    assert done.status_code == 302 and task.status == "pending"
    assert client.get(reverse("inspections:approvals")).status_code == 403
    head = login(world.users["bureau_head"])
    queue = head.get(reverse("inspections:approvals"))
    assert world.enterprises["chem"].name in queue.content.decode()
    head.post(reverse("inspections:approvals"), {"task": [task.pk]})
    task.refresh_from_db()
    assert task.status == "approved" and task.documents.filter(kind="notice").exists()


def test_officer_checks_in_records_and_finishes_on_the_phone_pages(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    client = login(team.lead)
    page = client.get(reverse("inspections:task_detail", args=[task.pk]))
    body = page.content.decode()
    assert "<svg" in body and entry_code(task) in body
    # the wrong code on the check-in page changes nothing
    client.post(reverse("inspections:checkin_by_code"), {"code": "forged:abc"})
    task.refresh_from_db()
    assert task.status == "approved"
    client.post(
        reverse("inspections:checkin", args=[task.pk]),
        {"code": entry_code(task), "lat": "37.430100", "lng": "112.030200", "accuracy": "12"},
    )
    task.refresh_from_db()
    assert task.status == "in_progress" and str(task.checkin_lat) == "37.430100"
    items = list(task.items.order_by("code"))
    client.post(
        reverse("inspections:item_result", args=[task.pk, items[0].pk]), {"outcome": "checked"}
    )
    assert ItemResult.objects.filter(task=task, item=items[0], outcome="checked").exists()
    stranger = client.post(
        reverse("inspections:item_result", args=[task.pk, 999999]),
        {"outcome": "checked"},
        follow=True,
    )
    assert "不在本任务" in stranger.content.decode()
    not_image = SimpleUploadedFile("a.png", b"just text", content_type="image/png")
    refused = client.post(
        reverse("inspections:finding_new", args=[task.pk]),
        {
            "item": items[1].pk,
            "description": "防火堤破损",
            "level": "general",
            "files": [not_image],
        },
    )
    assert refused.status_code == 200 and not Hazard.objects.exists()
    assert "不是允许的类型" in refused.content.decode()
    photo = SimpleUploadedFile("p.png", qr_png("x"), content_type="image/png")
    client.post(
        reverse("inspections:finding_new", args=[task.pk]),
        {"item": items[1].pk, "description": "防火堤破损", "level": "general", "files": [photo]},
    )
    hazard = Hazard.objects.get()
    assert hazard.evidence.count() == 1
    evidence = client.get(reverse("inspections:evidence_file", args=[hazard.evidence.get().pk]))
    assert evidence.status_code == 200 and evidence["Content-Type"] == "image/png"
    for item in items[2:]:
        client.post(
            reverse("inspections:item_result", args=[task.pk, item.pk]),
            {"outcome": "not_applicable"},
        )
    client.post(
        reverse("inspections:order", args=[task.pk]), {"hazards": [hazard.pk], "working_days": 7}
    )
    hazard.refresh_from_db()
    assert hazard.deadline is not None and hazard.order is not None
    client.post(reverse("inspections:confirm", args=[task.pk]), {"representative": "刘厂长"})
    client.post(
        reverse("inspections:finish", args=[task.pk]), {"place": "厂区", "summary": "检查完毕"}
    )
    task.refresh_from_db()
    assert task.status == "done"
    assert sorted(task.documents.values_list("kind", flat=True)) == ["notice", "order", "record"]
    for document in task.documents.all():
        response = client.get(reverse("inspections:document", args=[document.pk]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    # someone else's business section sees nothing of it
    coal = login(world.users["hazchem"])
    assert coal.get(reverse("inspections:task_detail", args=[task.pk])).status_code == 200
    other = login(world.users["other_office"])
    assert other.get(reverse("inspections:task_detail", args=[task.pk])).status_code == 404
    assert (
        other.get(reverse("inspections:evidence_file", args=[hazard.evidence.get().pk])).status_code
        == 404
    )


def test_public_verification_needs_no_login(client, world) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    page = client.get(reverse("inspections:verify", args=[entry_code(task)]))
    body = page.content.decode()
    assert page.status_code == 200 and 'data-state="valid"' in body
    assert team.officers[0].certificate_no in body and "执法检查频次" in body
    forged = client.get(reverse("inspections:verify", args=[entry_code(task)[:-3] + "abc"]))
    assert forged.status_code == 404 and 'data-state="forged"' in forged.content.decode()
    assert client.get(reverse("inspections:verify_form")).status_code == 200
    typed = client.get(reverse("inspections:verify_form"), {"code": entry_code(task)})
    assert typed.status_code == 302


def test_rectification_review_and_alerts(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    task = check_in(actor=team.lead, code=entry_code(task), today=today())
    item = task.items.first()
    hazard = add_finding(
        actor=team.lead,
        task=task,
        request=FindingRequest("泄漏报警器失效", "general", item_id=item.pk),
        today=today(),
    )
    order = issue_order(
        actor=team.lead, task=task, hazard_ids=[hazard.pk], working_days=5, today=today()
    )
    Hazard.objects.filter(pk=hazard.pk).update(deadline=today() - timedelta(days=1))
    client = login(team.lead)
    alerts = client.get(reverse("inspections:hazard_list"))
    assert "逾期" in alerts.content.decode() and hazard.description in alerts.content.decode()
    page = client.get(reverse("inspections:review", args=[order.pk]))
    assert page.status_code == 200
    bad = client.post(
        reverse("inspections:review", args=[order.pk]),
        {"mode": "on_site", f"decision-{hazard.pk}": "closed"},
    )
    assert bad.status_code == 200 and "至少 2 名" in bad.content.decode()
    client.post(
        reverse("inspections:review", args=[order.pk]),
        {"mode": "on_site", "officers": [team.officers[1].pk], f"decision-{hazard.pk}": "closed"},
    )
    hazard.refresh_from_db()
    assert hazard.status == "closed"
    assert order.reviews.get().document.number.startswith("文水应急复查")


def test_off_list_findings_reach_the_legal_office(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = check_in(actor=team.lead, code=entry_code(approved_task(world, team)), today=today())
    add_finding(
        actor=team.lead,
        task=task,
        request=FindingRequest(
            "配电室门口堆放杂物",
            "general",
            off_list_reason="顺带发现",
            fixed_on_spot=True,
            legal_basis="《消防法》第二十八条",
        ),
        today=today(),
    )
    assert login(world.users["hazchem"]).get(reverse("inspections:legal_flags")).status_code == 403
    legal = login(world.users["legal_office"])
    assert "配电室门口" in legal.get(reverse("inspections:legal_flags")).content.decode()
    hazard = Hazard.objects.get()
    legal.post(
        reverse("inspections:legal_flags"), {"hazard": hazard.pk, "note": "属实，转消防部门"}
    )
    hazard.refresh_from_db()
    assert hazard.legal_seen_at is not None


def test_unplanned_entry_page_and_ledger(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    client = login(team.lead)
    chem = world.enterprises["chem"]
    url = reverse("inspections:unplanned_new") + f"?enterprise={chem.pk}"
    items = [i.pk for i in on_site_items(world)]
    missing = client.post(
        url,
        {
            "activity": "enforcement_inspection",
            "items": items,
            "officers": [o.pk for o in team.officers],
            "reason": "",
        },
    )
    assert missing.status_code == 200 and not InspectionTask.objects.exists()
    client.post(
        url,
        {
            "activity": "enforcement_inspection",
            "items": items,
            "officers": [o.pk for o in team.officers],
            "reason": "夜间接报泄漏，紧急处置",
        },
    )
    task = InspectionTask.objects.get()
    assert task.review == "pending"
    head = login(world.users["bureau_head"])
    assert "夜间接报泄漏" in head.get(reverse("inspections:unplanned_ledger")).content.decode()
    head.post(
        reverse("inspections:unplanned_ledger"),
        {"task": task.pk, "decision": "accept", "note": "属实"},
    )
    task.refresh_from_db()
    assert task.review == "accepted"
    assert Evidence.objects.count() == 0


def test_the_home_page_shows_todays_work(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    page = login(team.lead).get("/")
    assert page.context["work"]["inspections_today"] == 1
    check_in(actor=team.lead, code=entry_code(task), today=today())
    hazard = add_finding(
        actor=team.lead,
        task=InspectionTask.objects.get(pk=task.pk),
        request=FindingRequest("安全出口锁闭", "general", item_id=task.items.first().pk),
        today=today(),
    )
    Hazard.objects.filter(pk=hazard.pk).update(deadline=today() - timedelta(days=1))
    assert login(world.users["office"]).get("/").context["work"]["hazards_overdue"] == 1
    assert login(world.users["other_office"]).get("/").context["work"]["hazards_overdue"] == 0


def test_the_head_delegates_approval_for_a_period(world, login) -> None:  # type: ignore[no-untyped-def]
    from anjian.inspections.services.tasks import request_task
    from tests.web.inspection_helpers import task_request

    team = field_team(world)
    task = request_task(
        actor=world.users["hazchem"], request=task_request(world, team, today()), today=today()
    )
    deputy = world.users["office"]
    office = login(deputy)
    assert office.get(reverse("inspections:approvals")).status_code == 403
    head = login(world.users["bureau_head"])
    bad = head.post(
        reverse("inspections:delegation_add"),
        {"delegate": deputy.pk, "starts_on": today(), "ends_on": today(), "reason": ""},
        follow=True,
    )
    assert "授权事由" in bad.content.decode()
    head.post(
        reverse("inspections:delegation_add"),
        {"delegate": deputy.pk, "starts_on": today(), "ends_on": today(), "reason": "外出学习"},
    )
    office = login(deputy)
    queue = office.get(reverse("inspections:approvals"))
    assert queue.status_code == 200 and task.enterprise.name in queue.content.decode()
    office.post(reverse("inspections:approvals"), {"task": [task.pk]})
    task.refresh_from_db()
    assert task.status == "approved" and task.decided_by == deputy
    from anjian.inspections.models import ApprovalDelegation

    delegation = ApprovalDelegation.objects.get()
    login(world.users["bureau_head"]).post(
        reverse("inspections:delegation_revoke", args=[delegation.pk])
    )
    assert login(deputy).get(reverse("inspections:approvals")).status_code == 403
