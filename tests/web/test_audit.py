from __future__ import annotations

import pytest
from django.db import connection

from anjian.audit.models import AppendOnlyError, AuditEntry
from anjian.audit.services import audit_record, audit_verify
from tests.web.audit_helpers import lift_guards


def test_chain_verifies_and_finds_the_first_tampered_entry(world) -> None:  # type: ignore[no-untyped-def]
    assert audit_verify().ok
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) > 5
    victim = entries[3]
    lift_guards()  # what an attacker owning the database would do
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET action = %s WHERE id = %s", ["forged", victim.pk]
        )
    report = audit_verify()
    assert not report.ok
    assert report.first_broken_id == victim.pk
    assert report.checked == 3


def test_a_deleted_entry_breaks_the_chain(world) -> None:  # type: ignore[no-untyped-def]
    entries = list(AuditEntry.objects.order_by("id"))
    lift_guards()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    assert audit_verify().first_broken_id == entries[3].pk


def test_removing_the_newest_entry_is_noticed(world) -> None:  # type: ignore[no-untyped-def]
    last = AuditEntry.objects.order_by("-id").first()
    lift_guards()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [last.pk])
    assert not audit_verify().ok


def test_entries_cannot_be_changed_or_deleted_through_the_orm(world) -> None:  # type: ignore[no-untyped-def]
    entry = AuditEntry.objects.first()
    entry.action = "x"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_actor_name_survives_user_deletion(world) -> None:  # type: ignore[no-untyped-def]
    user = world.users["legal_office"]
    audit_record(actor=user, action="test.action", target=world.enterprises["chem"], ip="10.0.0.1")
    user.delete()
    entry = AuditEntry.objects.get(action="test.action")
    assert entry.actor_id is None
    assert entry.actor_username == "legal_office"
    assert entry.ip == "10.0.0.1"
    assert audit_verify().ok


def test_audit_pages_filter_and_verify(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["audit_admin"])
    html = client.get("/audit/?action=registry.officer&verify=1").content.decode()
    assert "审计链完整" in html
    assert "registry.officer.create" in html
    assert "registry.enterprise.create" not in html


def test_ip_is_recorded_from_the_request(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["office"])
    client.post("/accounts/language/", {"language": "en"}, REMOTE_ADDR="192.0.2.7")
    assert AuditEntry.objects.get(action="accounts.user.set_language").ip == "192.0.2.7"


def test_ip_behind_a_trusted_proxy_comes_from_x_forwarded_for(world, login, settings) -> None:  # type: ignore[no-untyped-def]
    settings.BEHIND_PROXY = True
    client = login(world.users["office"])
    client.post(
        "/accounts/language/",
        {"language": "en"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.4",
    )
    assert AuditEntry.objects.get(action="accounts.user.set_language").ip == "198.51.100.4"


def test_the_list_shows_plain_facts_and_changes_alike(world, login) -> None:  # type: ignore[no-untyped-def]
    """An entry recording a plain fact named "items" (the item list's start) broke the list
    page: the template's `changes.items` read the key instead of the method."""
    audit_record(actor=None, action="items.list.start", changes={"items": 94})
    audit_record(actor=None, action="x.update", changes={"name": {"before": "甲", "after": "乙"}})
    page = login(world.users["audit_admin"]).get("/audit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<b>items</b>: ∅ → 94" in html and "<b>name</b>: 甲 → 乙" in html
