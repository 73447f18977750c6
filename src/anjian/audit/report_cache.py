"""Heavy read-only reports kept until the data changes (issue 17).

Every change anjian records goes through a service that appends to the audit trail in the same
transaction, so the chain head's newest entry id is a version of all the data: a report computed
at version v stays true until an entry after v commits. The bureau's training diagnostics and the
consistency monitor read thousands of rows; they are computed once per version and kept in the
shared cache (the file cache of the data folder, or Redis), keyed by everything they depend on:
the report, the user and the scope the user had, the day, the parameters, the language, and the
version. The first request after a change computes the report again.

A cache that cannot be reached is not an error: the report is computed and served as if nothing
had been kept."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache
from django.utils.translation import get_language

from anjian.audit.models import AuditChainHead

T = TypeVar("T")
KEEP_SECONDS = 600  # a report unchanged for longer is recomputed anyway (the day may turn)

logger = logging.getLogger("anjian.reports")


def data_version() -> int:
    """The id of the newest audit entry: it changes with every recorded change."""
    newest = AuditChainHead.objects.values_list("last_entry_id", flat=True).first()
    return int(newest or 0)


def report_key(name: str, user: object, parts: tuple[Hashable, ...], version: int) -> str:
    scope = tuple(getattr(user, f, None) for f in ("pk", "role", "body_id", "section_id"))
    raw = repr((name, scope, parts, get_language(), version))
    return "anjian.report:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_report(
    name: str, user: object, parts: tuple[Hashable, ...], compute: Callable[[], T]
) -> T:
    """`compute()`, or what it gave for the same key at the current data version."""
    key = report_key(name, user, parts, data_version())
    try:
        kept = cache.get(key)
    except Exception as error:  # the cache backend's own connection errors
        logger.warning("report cache unavailable, computing %s: %s", name, error)
        return compute()
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    report = compute()
    try:
        cache.set(key, report, KEEP_SECONDS)
    except Exception as error:
        logger.warning("report %s not kept: %s", name, error)
    return report
