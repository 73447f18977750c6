"""Per-IP throttling of the public endpoints (issue 16, defect 8).

The worker exam pages, the entry-code check (page and API) and the login form answer 429 with a
``Retry-After`` header once one client address has used up its requests in a fixed window. The
limits are settings (``ANJIAN_RATE_LIMITS``, from ``ANJIAN_RATE_LOGIN`` / ``_EXAM`` / ``_VERIFY``)
of the form ``N/s``, ``N/m``, ``N/h`` or ``N/d``; ``off`` turns a scope off.

Counters live in Django's default cache so that every gunicorn worker process sees the same
count (the file cache under the data folder, or Redis with ``ANJIAN_CACHE_URL``). The file
cache's increment is not atomic: two processes counting the same address in the same instant
may lose one count, so the limit holds to within a few requests — enough for throttling.
The client address is the one the audit trail records (:func:`anjian.audit.middleware.client_ip`:
``X-Forwarded-For`` is trusted only with ``ANJIAN_BEHIND_PROXY``).

The account lockout by username (django-axes) is unchanged; this is per address on top of it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

from anjian.audit.middleware import client_ip
from anjian.core.views import too_many_requests

logger = logging.getLogger("anjian.throttle")

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
ALL_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


@dataclass(frozen=True)
class Throttled:
    scope: str
    retry_after: int


# view name → (scope, the methods that count)
THROTTLED_VIEWS: dict[str, tuple[str, frozenset[str]]] = {
    "accounts:login": ("login", frozenset({"POST"})),
    "training:exam_take": ("exam", ALL_METHODS),
    "training:exam_question": ("exam", ALL_METHODS),
    "training:exam_result": ("exam", ALL_METHODS),
    "inspections:verify_form": ("verify", ALL_METHODS),
    "inspections:verify": ("verify", ALL_METHODS),
    "api:code_verify": ("verify", ALL_METHODS),
    "inspections:portal_verify": ("verify", ALL_METHODS),
    "inspections:checkin_scan": ("scan", frozenset({"POST"})),
}


def parse_rate(text: str) -> Rate | None:
    """``"30/m"`` → 30 requests a minute; ``"off"`` → no limit. Raises on anything else."""
    value = text.strip().lower()
    if value == "off":
        return None
    count, _, unit = value.partition("/")
    if not count.isdigit() or int(count) < 1 or unit not in UNITS:
        raise ImproperlyConfigured(f"a rate limit must look like 30/m (or off), not {text!r}")
    return Rate(int(count), UNITS[unit])


def hit(scope: str, address: str, rate: Rate, now: float) -> Throttled | None:
    """Count one request of ``address`` in ``scope``; the refusal when it is over the limit.

    When the shared cache cannot be reached (Redis restarting), the request is let through and
    the failure logged: the limits are a brake on floods, and login stays guarded per account by
    the lockout, which lives in the database. Refusing every login while Redis is away would turn
    a cache outage into an outage of the system."""
    window = int(now // rate.seconds)
    key = f"anjian.throttle:{scope}:{address}:{rate.seconds}:{window}"
    try:
        used = _count(key, rate.seconds + 1)
    except Exception as error:  # the cache backend's own connection errors
        logger.error("rate limit not counted, the cache is unavailable: %s", error)
        return None
    if used <= rate.count:
        return None
    retry_after = max(1, int((window + 1) * rate.seconds - now) + 1)
    return Throttled(scope, retry_after)


def _count(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def check_request(request: HttpRequest) -> Throttled | None:
    match = request.resolver_match
    if match is None or match.view_name not in THROTTLED_VIEWS:
        return None
    scope, methods = THROTTLED_VIEWS[match.view_name]
    if request.method not in methods:
        return None
    rate = parse_rate(settings.ANJIAN_RATE_LIMITS.get(scope, "off"))
    if rate is None:
        return None
    return hit(scope, client_ip(request) or "unknown", rate, time.time())


class RateLimitMiddleware:
    """Refuses a throttled request before its view runs (nothing is written)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        for text in settings.ANJIAN_RATE_LIMITS.values():
            parse_rate(text)  # a malformed limit fails at start-up, not at the first request

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        throttled = check_request(request)
        if throttled is None:
            return None
        return too_many_requests(request, throttled.retry_after)
