"""django-axes' login log is kept for the retention period: its reset commands and its per-user
trimming of failures never remove an entry younger than AUDIT_RETENTION_DAYS."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessFailureLog, AccessLog
from django.core.management import call_command
from django.utils import timezone


def _logs(model, *ages: int) -> None:  # type: ignore[no-untyped-def]
    for age in ages:
        row = model.objects.create(username="victim", ip_address="192.0.2.1", user_agent="t")
        model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - timedelta(days=age))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "command"),
    [(AccessLog, "axes_reset_logs"), (AccessFailureLog, "axes_reset_failure_logs")],
)
def test_the_reset_commands_keep_the_retention_period(model, command) -> None:  # type: ignore[no-untyped-def]
    _logs(model, 1, 40, 184, 200)
    call_command(command, age=30, stdout=None)
    ages = sorted(
        (timezone.now() - t).days for t in model.objects.values_list("attempt_time", flat=True)
    )
    assert ages == [1, 40, 184]


@pytest.mark.django_db
def test_failures_beyond_the_per_user_limit_are_not_trimmed() -> None:
    _logs(AccessFailureLog, 1, 2, 3)
    assert AxesProxyHandler.remove_out_of_limit_failure_logs(username="victim", limit=1) == 0
    assert AccessFailureLog.objects.count() == 3
