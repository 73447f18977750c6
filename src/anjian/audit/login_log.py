"""The login log of django-axes (AccessLog, AccessFailureLog) is part of the trail 等保 asks to
keep for at least 185 days. django-axes deletes it on two paths: `axes_reset_logs` /
`axes_reset_failure_logs` (default age 30 days, or everything), and, on every failed login,
the failures of a username beyond AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT (newest first, as
the table is ordered). This handler, set as AXES_HANDLER, keeps both inside the retention
period: the reset commands never remove anything younger than AUDIT_RETENTION_DAYS, and the
per-user trimming is off (a brute-force run is exactly what the log must keep)."""

from __future__ import annotations

import logging
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings

logger = logging.getLogger(__name__)


def retained_age(age_days: int | None) -> int:
    """The age the reset commands may delete from: at least the retention period."""
    floor = int(settings.AUDIT_RETENTION_DAYS)
    if age_days is None or age_days < floor:
        logger.warning("login log: only entries older than %d days are removed", floor)
        return floor
    return age_days


class RetainingAxesHandler(AxesDatabaseHandler):  # type: ignore[misc]
    def reset_logs(self, *, age_days: int | None = None) -> int:
        return int(super().reset_logs(age_days=retained_age(age_days)))

    def reset_failure_logs(self, *, age_days: int | None = None) -> int:
        return int(super().reset_failure_logs(age_days=retained_age(age_days)))

    def remove_out_of_limit_failure_logs(self, *, username: str, limit: Any = None) -> int:
        return 0
