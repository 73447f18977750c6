"""Reads from a PostgreSQL streaming replica, for the pages that ask for it (docs/ops/scale-out.md).

With `DATABASE_REPLICA_URL` set, settings define a second database alias, `replica`: a hot
standby fed by streaming replication from the primary (`default`). Nothing reads from it unless a
view opts in with `@replica_reads`; inside such a view, reads go to the replica and everything
else stays on the primary:

- every write (`db_for_write`), including the session saved after the view, an audit entry, and
  every query of a `select_for_update()`, `get_or_create()` or `update_or_create()` (Django sends
  those through `db_for_write` too);
- every read inside `transaction.atomic()` on the primary: a transaction reads what it is about to
  change from the database it changes, never from a copy that may lag;
- every read of a table that must be current: sessions, the login lock (axes) and the task
  queue (`PRIMARY_ONLY_APPS`);
- every read of a request that is not GET or HEAD, even to an opted-in view.

Outside an opted-in view every query goes to the primary. Without a replica the decorator does
nothing and the router has no opinion, so a single-database deployment behaves exactly as before.
Migrations run on the primary only (the standby replays them).

A page may opt in only if it writes nothing that depends on what it read (it may save the
session), tolerates data a second or so old, and can be run twice: when the replica fails during
the view (down, or a query cancelled by recovery), the view runs again, reading from the primary.

This module imports nothing from the apps, so any app's views may use the decorator without
breaking the layer contract in pyproject.toml.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

PRIMARY: str = DEFAULT_DB_ALIAS
REPLICA = "replica"
# Tables whose rows must never be read stale: a session just written by a login on another
# host, an account lock, a task the worker is about to claim.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "django_tasks_database"})
SAFE_METHODS = frozenset({"GET", "HEAD"})

logger = logging.getLogger(__name__)

_replica_allowed: ContextVar[bool] = ContextVar("anjian_replica_allowed", default=False)

ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponse])


def replica_configured() -> bool:
    """True when settings define the `replica` alias (DATABASE_REPLICA_URL)."""
    return REPLICA in settings.DATABASES


def replica_allowed() -> bool:
    """True inside an opted-in view (or `replica_reading()`) on a site with a replica."""
    return _replica_allowed.get() and replica_configured()


@contextmanager
def replica_reading() -> Iterator[None]:
    """Reads in this block may go to the replica (the router decides each query)."""
    token = _replica_allowed.set(True)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


def _replica_failed() -> bool:
    """The replica's connection saw an error (Django flags the connection that raised)."""
    return bool(connections[REPLICA].errors_occurred)


def replica_reads(view: ViewT) -> ViewT:
    """Lets a read-only page read from the replica (GET and HEAD only). Put it closest to the
    function, under `@require`, so the permission check reads the primary. When the replica
    fails, the page is served again from the primary and a warning is logged."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in SAFE_METHODS or not replica_configured():
            return view(request, *args, **kwargs)
        try:
            with replica_reading():
                return view(request, *args, **kwargs)
        except OperationalError as error:
            if not _replica_failed():
                raise
            logger.warning("replica failed, %s served from the primary: %s", request.path, error)
            with suppress(DatabaseError):
                connections[REPLICA].close()
        return view(request, *args, **kwargs)

    # A marker that outer decorators using functools.wraps (@require, login_required) copy
    # outward, so a test can list the pages that opted in.
    wrapped.replica_reads = True  # type: ignore[attr-defined]
    return cast(ViewT, wrapped)


class PrimaryReplicaRouter:
    """Django database router: see the module's docstring."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if not replica_configured():
            return None
        if (
            _replica_allowed.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and not connections[PRIMARY].in_atomic_block
        ):
            return REPLICA
        return PRIMARY

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return PRIMARY if replica_configured() else None

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        """A row read from the replica may be linked to one from the primary: same data."""
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        return False if db == REPLICA else None
