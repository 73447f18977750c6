"""Response headers no view should have to remember: ``Cache-Control: no-store`` on everything
that carries personal or official data.

A page a signed-in user sees, every answer of the JSON API, every download (Excel, Word,
evidence files: anything with ``Content-Disposition``) and the public pages that show personal
data (a worker's exam, an entry code's verification) must not stay in a shared computer's
browser cache or a proxy. Static files never reach this middleware: whitenoise answers them
earlier in the chain and keeps their own caching.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("anjian.audit")
db_logger = logging.getLogger("anjian.database")
NO_STORE = "no-store, private"
# Public pages (no login) that still show personal data: the worker's exam pages, the
# entry-code verification page, and the public disclosure pages (decisions with persons masked,
# a body's figures: never kept in a shared cache, so a withdrawn decision leaves at once).
PUBLIC_PERSONAL_VIEWS = frozenset(
    {
        "training:exam_take",
        "training:exam_question",
        "training:exam_result",
        "inspections:verify_form",
        "inspections:verify",
        "public:disclosure_index",
        "public:disclosure_body",
        "public:disclosure_decisions",
        "public:disclosure_decision",
        "public:disclosure_report",
    }
)
API_PREFIX = "/api/"


def needs_no_store(request: HttpRequest, response: HttpResponse) -> bool:
    if response.has_header("Content-Disposition") or request.path.startswith(API_PREFIX):
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    match = request.resolver_match
    return match is not None and match.view_name in PUBLIC_PERSONAL_VIEWS


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` and ``Pragma: no-cache`` where :func:`needs_no_store`
    says so. A view that already forbids storing (``never_cache`` sends ``no-store``) keeps its
    own, stricter-or-equal header; any weaker policy a view set is replaced."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if needs_no_store(request, response):
            current = response.get("Cache-Control", "")
            if "no-store" not in current.lower():
                response["Cache-Control"] = NO_STORE
            response["Pragma"] = "no-cache"
        return response


class AuditChainStopMiddleware:
    """Two failures that are not bugs answer 503 with a reason instead of 500; nothing of the
    request is written, since the service's transaction rolls back with the exception:

    - the audit chain's head does not hold (deleted, or its seal fails): every write stops
      (``AuditChainBroken``), since appending would reseal a tampered trail; the page says why
      and whom to call;
    - the database cannot be reached or stays locked (``OperationalError``): the page says to
      retry in a moment (``Retry-After``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from anjian.audit.services import AuditChainBroken
        from anjian.core.views import DATABASE_DOWN, audit_chain_stopped, database_unavailable

        if isinstance(exception, AuditChainBroken):
            logger.error("write refused, audit chain does not hold: %s %s", request.path, exception)
            return audit_chain_stopped(request)
        if isinstance(exception, DATABASE_DOWN):
            # SQLite's write lock held past the busy timeout, PostgreSQL restarting: the
            # transaction rolled back; the user may retry in a moment.
            db_logger.error("database unavailable: %s %s", request.path, exception)
            return database_unavailable(request)
        return None
