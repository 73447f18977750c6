"""A write while the audit chain's head does not hold answers 503 with the reason, and saves
nothing (the service's transaction rolls back with the refused audit entry)."""

from __future__ import annotations

import json

from anjian.audit.models import AuditEntry
from tests.web.audit_helpers import sql


def test_a_page_write_stops_with_503_when_the_head_is_gone(world, login) -> None:  # type: ignore[no-untyped-def]
    user = world.users["office"]
    client = login(user)
    sql("DELETE FROM audit_auditchainhead")
    before = AuditEntry.objects.count()
    response = client.post("/accounts/language/", {"language": "en"})
    assert response.status_code == 503
    assert "审计日志完整性校验未通过" in response.content.decode()
    user.refresh_from_db()
    assert user.language != "en"
    assert AuditEntry.objects.count() == before


def test_an_api_write_answers_503_json(world, login) -> None:  # type: ignore[no-untyped-def]
    from django.test import RequestFactory

    from anjian.audit.services import AuditChainBroken
    from anjian.core.security import AuditChainStopMiddleware

    request = RequestFactory().post("/api/v1/anything")
    middleware = AuditChainStopMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    response = middleware.process_exception(request, AuditChainBroken("head missing"))
    assert response is not None and response.status_code == 503
    assert json.loads(response.content)["code"] == "audit_chain_stopped"
    assert middleware.process_exception(request, ValueError("other")) is None


def test_a_database_that_stays_locked_answers_503_with_retry_after(world) -> None:  # type: ignore[no-untyped-def]
    from django.db import OperationalError
    from django.test import RequestFactory

    from anjian.core.security import AuditChainStopMiddleware

    middleware = AuditChainStopMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    page = middleware.process_exception(
        RequestFactory().post("/accounts/language/"), OperationalError("database is locked")
    )
    assert page is not None and page.status_code == 503 and page["Retry-After"] == "10"
    assert "稍后重试" in page.content.decode()
    api = middleware.process_exception(
        RequestFactory().get("/api/v1/me"), OperationalError("server closed the connection")
    )
    assert api is not None and json.loads(api.content)["code"] == "database_unavailable"


def test_a_database_failure_outside_the_view_answers_503_without_reading_the_database(
    world, login, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL restarting while the session middleware loads the session: the failure is
    outside any view, so Django's 500 handler answers; it gives the same 503 page, rendered
    without touching the (unreachable) database."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import InterfaceError, connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.users["office"])
    client.raise_request_exception = False

    def down(self: object) -> dict[str, object]:
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(SessionStore, "load", down)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/registry/enterprises/?page=2")
    assert page.status_code == 503 and page["Retry-After"] == "10"
    text = page.content.decode()
    assert "稍后重试" in text and 'href="/registry/enterprises/?page=2"' in text
    assert len(queries) == 0
