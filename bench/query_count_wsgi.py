"""The site's WSGI application with a query counter, for the page benchmark only.

Every request runs under `connection.execute_wrapper`; the response carries the number of
database queries it made in `X-Bench-Queries` and the server's own time in `X-Bench-Server-Ms`.
Django calls `start_response` after the view, the template and the response middleware (the
session save included) have run, so the count covers all of them. Queries after that (streamed
bodies, the request-finished signal) are not counted. gunicorn's sync workers serve one request
at a time per process, so one counter per request is enough.

    gunicorn query_count_wsgi:application   (with bench/ on PYTHONPATH)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection

from anjian.config.wsgi import application as site

StartResponse = Callable[..., Any]


class QueryCounter:
    def __init__(self) -> None:
        self.queries = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.queries += 1
        return execute(sql, params, many, context)


def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    counter = QueryCounter()
    started = time.perf_counter()

    def counted(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        elapsed = (time.perf_counter() - started) * 1000
        headers = [
            *headers,
            ("X-Bench-Queries", str(counter.queries)),
            ("X-Bench-Server-Ms", f"{elapsed:.1f}"),
        ]
        return start_response(status, headers, exc_info)

    with connection.execute_wrapper(counter):
        return site(environ, counted)
