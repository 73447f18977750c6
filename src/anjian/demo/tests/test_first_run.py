"""`anjian demo` on a phone's network (the address it allows and prints in QR codes), and the
audit entries a batch appends in one go."""

from __future__ import annotations

import pytest

from anjian.audit.models import AuditEntry
from anjian.audit.services import AuditRecord, audit_record, audit_record_many, audit_verify
from anjian.demo.management.commands.demo import configure_site, public_host


def test_the_address_a_browser_uses() -> None:
    assert public_host("0.0.0.0", "192.168.1.20") == "192.168.1.20"
    assert public_host("::", "192.168.1.20") == "192.168.1.20"
    assert public_host("localhost", "192.168.1.20") == "127.0.0.1"
    assert public_host("10.0.0.5", "192.168.1.20") == "10.0.0.5"
    assert public_host("fe80::1", "192.168.1.20") == "[fe80::1]"


def test_every_address_is_allowed_and_carried_by_the_qr_codes(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
    settings.ANJIAN_SITE_URL = "http://127.0.0.1:8000"
    environ: dict[str, str] = {}
    url = configure_site("0.0.0.0", 8001, environ, lan="192.168.1.20")
    assert url == "http://192.168.1.20:8001"
    assert settings.ANJIAN_SITE_URL == environ["ANJIAN_SITE_URL"] == url
    assert "192.168.1.20" in settings.ALLOWED_HOSTS
    assert environ["ANJIAN_ALLOWED_HOSTS"].split(",")[-1] == "192.168.1.20"  # the worker's


def test_what_the_environment_sets_stands(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["aj.example.gov.cn"]
    settings.ANJIAN_SITE_URL = "https://aj.example.gov.cn"
    environ = {"ANJIAN_SITE_URL": "https://aj.example.gov.cn", "ANJIAN_ALLOWED_HOSTS": "x"}
    assert configure_site("0.0.0.0", 8000, environ, lan="192.168.1.20") == (
        "http://192.168.1.20:8000"
    )
    assert settings.ANJIAN_SITE_URL == "https://aj.example.gov.cn"
    assert settings.ALLOWED_HOSTS == ["aj.example.gov.cn"]


@pytest.mark.django_db
def test_a_batch_of_entries_joins_the_chain() -> None:
    audit_record(actor=None, action="demo.before")
    entries = audit_record_many(
        [AuditRecord(None, "demo.batch", changes={"n": n}) for n in range(5)]
    )
    audit_record(actor=None, action="demo.after")
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    ordered = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert ordered[-7:] == ["demo.before", *["demo.batch"] * 5, "demo.after"]
    assert audit_verify().ok
    assert audit_record_many([]) == []
