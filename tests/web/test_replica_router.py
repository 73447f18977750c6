"""The replica router and `@replica_reads` (config/routers.py), with a fake SQLite replica: no
PostgreSQL needed (the suite's own database may be either).

The fake replica is a second SQLite file holding only the bodies table, with rows the primary
does not have: a query that lands on the wrong database either returns the other database's
rows or fails on a missing table, so each test proves where its queries went without mocks.
Reads routed to the replica need a test without the wrapping transaction (`transactional_db`):
inside `transaction.atomic()` on the primary the router keeps every read on the primary, which
is one of the rules under test. The real streaming replica is exercised by
deploy/topology/run.sh (docs/ops/scale-out.md).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone

from anjian.accounts.models import EnforcementBody
from anjian.audit import views as audit_views
from anjian.config import settings as config_settings
from anjian.config.routers import (
    REPLICA,
    PrimaryReplicaRouter,
    replica_allowed,
    replica_reading,
    replica_reads,
)
from anjian.policy.views import items as item_views
from anjian.training.views import diagnostics as diagnostics_views

PRIMARY_BODY = "主库县应急管理局"
REPLICA_BODY = "副本县应急管理局"
ROUTER = PrimaryReplicaRouter()


def _names() -> str:
    return ",".join(EnforcementBody.objects.order_by("name").values_list("name", flat=True))


@replica_reads
def names_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_names())


def names_undecorated(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_names())


# The databases a test that runs queries names: Django refuses a query to an alias of its
# settings that the test does not name, and settings have a `replica` when the suite runs on
# PostgreSQL with DATABASE_REPLICA_URL (a TEST MIRROR of default, never flushed by the test).
TEST_DATABASES = ["default", REPLICA] if REPLICA in settings.DATABASES else ["default"]
with_queries = pytest.mark.django_db(transaction=True, databases=TEST_DATABASES)


@contextmanager
def _databases_setting(databases: dict[str, Any]) -> Iterator[None]:
    """`settings.DATABASES` for the block. Django's connection handler keeps the settings it
    read at start-up, and warns that overriding them may surprise: here that is the point."""
    override = override_settings(DATABASES=databases)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Overriding setting DATABASES", UserWarning)
        override.enable()
    try:
        yield
    finally:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Overriding setting DATABASES", UserWarning)
            override.disable()


@contextmanager
def _replica(name: Path) -> Iterator[None]:
    """A SQLite `replica` in settings, and its connection in Django's handler (in place of the
    suite's own mirror, when there is one, until the block ends). Django's test case lets a
    connection added this way through when the alias is not in the handler's settings."""
    configured = connections.configure_settings(
        {
            DEFAULT_DB_ALIAS: dict(connections.settings[DEFAULT_DB_ALIAS]),
            REPLICA: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(name)},
        }
    )[REPLICA]
    with _databases_setting({**settings.DATABASES, REPLICA: configured}):
        if hasattr(connections._connections, REPLICA):
            connections[REPLICA].close()
        connections[REPLICA] = SQLiteWrapper(configured, REPLICA)
        try:
            yield
        finally:
            connections[REPLICA].close()
            del connections[REPLICA]


@pytest.fixture
def replica_alias(tmp_path: Path) -> Iterator[None]:
    """A replica in settings only: for router decisions that run no query."""
    with _replica(tmp_path / "unused.sqlite3"):
        yield


@pytest.fixture
def replica(tmp_path: Path) -> Iterator[None]:
    """A primary holding PRIMARY_BODY and a replica holding REPLICA_BODY (and no other table).
    Tests using it are marked `with_queries`."""
    EnforcementBody.objects.create(name=PRIMARY_BODY, level="county")
    with _replica(tmp_path / "replica.sqlite3"):
        with connections[REPLICA].schema_editor() as editor:
            editor.create_model(EnforcementBody)
        EnforcementBody.objects.using(REPLICA).create(name=REPLICA_BODY, level="county")
        yield


def _call(view: Callable[..., HttpResponse], request: HttpRequest) -> str:
    body: bytes = view(request).content
    return body.decode()


# --- settings ---------------------------------------------------------------------------------


def test_replica_url_adds_a_replica_alias_mirroring_default_in_tests(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://anjian@db1.example:5432/anjian")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://anjian@db2.example:5433/anjian")
    databases = config_settings._databases()
    assert sorted(databases) == ["default", "replica"]
    assert databases["default"]["HOST"] == "db1.example"
    assert databases["replica"]["HOST"] == "db2.example"
    assert databases["replica"]["PORT"] == 5433
    assert databases["replica"]["TEST"] == {"MIRROR": "default"}
    assert databases["replica"]["CONN_MAX_AGE"] == 60


def test_no_replica_url_means_one_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://anjian@db1.example:5432/anjian")
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    assert list(config_settings._databases()) == ["default"]


def test_a_replica_without_a_primary_url_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://anjian@db2.example:5433/anjian")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_REPLICA_URL"):
        config_settings._databases()


def test_the_router_is_installed() -> None:
    assert settings.DATABASE_ROUTERS == ["anjian.config.routers.PrimaryReplicaRouter"]


# --- router decisions (no query) --------------------------------------------------------------


def test_without_a_replica_the_router_has_no_opinion_and_the_decorator_does_nothing(
    rf: RequestFactory,
) -> None:
    seen: list[bool] = []

    @replica_reads
    def view(request: HttpRequest) -> HttpResponse:
        seen.append(replica_allowed())
        return HttpResponse(str(ROUTER.db_for_read(EnforcementBody)))

    single = {alias: conf for alias, conf in settings.DATABASES.items() if alias != REPLICA}
    with _databases_setting(single):
        assert _call(view, rf.get("/")) == "None"
        assert seen == [False]
        assert ROUTER.db_for_write(EnforcementBody) is None
        assert ROUTER.allow_migrate(DEFAULT_DB_ALIAS, "accounts") is None


@pytest.mark.usefixtures("replica_alias")
def test_reads_go_to_the_replica_only_inside_the_context() -> None:
    assert ROUTER.db_for_read(EnforcementBody) == DEFAULT_DB_ALIAS
    with replica_reading():
        assert replica_allowed()
        assert ROUTER.db_for_read(EnforcementBody) == REPLICA
        assert ROUTER.db_for_write(EnforcementBody) == DEFAULT_DB_ALIAS
    assert not replica_allowed()
    assert ROUTER.db_for_read(EnforcementBody) == DEFAULT_DB_ALIAS


@pytest.mark.usefixtures("replica_alias")
def test_sessions_locks_and_tasks_are_always_read_from_the_primary() -> None:
    from axes.models import AccessAttempt
    from django_tasks_db.models import DBTaskResult

    with replica_reading():
        for model in (Session, AccessAttempt, DBTaskResult):
            assert ROUTER.db_for_read(model) == DEFAULT_DB_ALIAS, model


@pytest.mark.usefixtures("replica_alias")
def test_migrations_never_run_on_the_replica_and_rows_of_both_may_be_related() -> None:
    assert ROUTER.allow_migrate(REPLICA, "accounts", "enforcementbody") is False
    assert ROUTER.allow_migrate(DEFAULT_DB_ALIAS, "accounts", "enforcementbody") is None
    on_primary, on_replica = EnforcementBody(name="甲"), EnforcementBody(name="乙")
    on_primary._state.db, on_replica._state.db = DEFAULT_DB_ALIAS, REPLICA
    assert ROUTER.allow_relation(on_primary, on_replica) is True
    elsewhere = EnforcementBody(name="丙")
    elsewhere._state.db = "archive"
    assert ROUTER.allow_relation(on_primary, elsewhere) is None


@pytest.mark.usefixtures("replica_alias")
def test_the_context_ends_with_the_view_even_when_it_raises(rf: RequestFactory) -> None:
    @replica_reads
    def broken(request: HttpRequest) -> HttpResponse:
        assert replica_allowed()
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        broken(rf.get("/"))
    assert not replica_allowed()


# --- where the queries really go --------------------------------------------------------------


@with_queries
@pytest.mark.usefixtures("replica")
def test_an_opted_in_page_reads_the_replica_and_others_the_primary(rf: RequestFactory) -> None:
    assert _call(names_view, rf.get("/")) == REPLICA_BODY
    assert _call(names_view, rf.head("/")) == REPLICA_BODY
    assert _call(names_view, rf.post("/")) == PRIMARY_BODY  # never for a form post
    assert _call(names_undecorated, rf.get("/")) == PRIMARY_BODY
    assert _names() == PRIMARY_BODY


@with_queries
@pytest.mark.usefixtures("replica")
def test_writes_in_an_opted_in_page_go_to_the_primary(rf: RequestFactory) -> None:
    @replica_reads
    def view(request: HttpRequest) -> HttpResponse:
        EnforcementBody.objects.create(name="新建县应急管理局", level="county")
        Session.objects.create(session_key="k" * 32, session_data="{}", expire_date=timezone.now())
        return HttpResponse(_names())

    assert _call(view, rf.get("/")) == REPLICA_BODY  # the read after the write: replica
    assert _names() == f"{PRIMARY_BODY},新建县应急管理局"
    assert Session.objects.filter(session_key="k" * 32).exists()
    replica_names = EnforcementBody.objects.using(REPLICA).values_list("name", flat=True)
    assert list(replica_names) == [REPLICA_BODY]


@with_queries
@pytest.mark.usefixtures("replica")
def test_transactions_and_row_locks_read_the_primary(rf: RequestFactory) -> None:
    @replica_reads
    def view(request: HttpRequest) -> HttpResponse:
        with transaction.atomic():
            locked = list(EnforcementBody.objects.select_for_update().values_list("name"))
            inside = _names()
        made, created = EnforcementBody.objects.get_or_create(name=PRIMARY_BODY)
        return HttpResponse(f"{locked[0][0]}|{inside}|{made.name}|{created}|{_names()}")

    assert _call(view, rf.get("/")) == (
        f"{PRIMARY_BODY}|{PRIMARY_BODY}|{PRIMARY_BODY}|False|{REPLICA_BODY}"
    )


@with_queries
@pytest.mark.usefixtures("replica")
def test_session_reads_in_an_opted_in_page_use_the_primary(rf: RequestFactory) -> None:
    # The replica has no session table: a session read sent there would fail.
    @replica_reads
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(str(Session.objects.count()))

    assert _call(view, rf.get("/")) == "0"


@with_queries
def test_a_failed_replica_serves_the_page_from_the_primary(
    rf: RequestFactory,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    EnforcementBody.objects.create(name=PRIMARY_BODY, level="county")
    with (
        _replica(tmp_path / "no-such-folder" / "replica.sqlite3"),  # cannot be opened
        caplog.at_level(logging.WARNING, logger="anjian.config.routers"),
    ):
        assert _call(names_view, rf.get("/public/")) == PRIMARY_BODY
    assert "replica failed, /public/ served from the primary" in caplog.text


@with_queries
@pytest.mark.usefixtures("replica")
def test_a_failure_of_the_primary_is_not_retried(rf: RequestFactory) -> None:
    calls: list[int] = []

    @replica_reads
    def view(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        raise OperationalError("the primary is restarting")

    with pytest.raises(OperationalError, match="primary"):
        view(rf.get("/"))
    assert calls == [1]


# --- the pages that opted in ------------------------------------------------------------------


def _opted_in(view: Any) -> bool:
    return bool(getattr(view, "replica_reads", False))


def test_the_read_only_report_pages_opt_in_and_their_write_neighbours_do_not() -> None:
    opted_in = [
        item_views.item_public_index,
        item_views.item_public,
        diagnostics_views.diagnostics_bureau,
        diagnostics_views.diagnostics_enterprise,
        diagnostics_views.diagnostics_enterprise_export,
        diagnostics_views.diagnostics_institution,
        audit_views.entry_list,
    ]
    assert all(_opted_in(view) for view in opted_in)
    primary_only = [
        item_views.item_list,
        item_views.item_publish_view,
        diagnostics_views.diagnostics_mine,
        audit_views.checkpoint_download,
    ]
    assert not any(_opted_in(view) for view in primary_only)
