"""Suspending an institution through the whole procedure, for tests that only need a decided
suspension: the notice and its delivery ten days ago (a Friday, 2026-11-06, on the test clock),
the time limit (three working days, to 2026-11-11) passed without a statement, the decision
today."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from anjian.policy.views.common import today
from anjian.training.models import Suspension, TrainingInstitution
from anjian.training.services.institution_suspension import (
    suspension_decide,
    suspension_deliver,
    suspension_notify,
    suspension_record_no_statement,
)

REASON = "该机构未按备案组织培训，学员实到人数严重不足"


def notify(
    institution: TrainingInstitution,
    *,
    actor: Any = None,
    on: date | None = None,
    months: int | None = None,
    **extra: Any,
) -> Suspension:
    day = on or today() - timedelta(days=10)
    return suspension_notify(
        actor=actor,
        institution=institution,
        reason=extra.pop("reason", REASON),
        notified_on=day,
        proposed_months=months,
        today=day,
        **extra,
    )


def suspend(
    institution: TrainingInstitution, *, ends: int | None = 30, actor: Any = None, starts: int = 0
) -> Suspension:
    """A decided suspension from today + `starts` to today + `ends` days (None: until lifted)."""
    suspension = notify(institution, actor=actor, months=None if ends is None else 12)
    suspension_deliver(
        actor=actor, suspension=suspension, delivered_on=suspension.notified_on, today=today()
    )
    suspension_record_no_statement(actor=actor, suspension=suspension, today=today())
    return suspension_decide(
        actor=actor,
        suspension=suspension,
        decided_on=today(),
        starts_on=today() + timedelta(days=starts),
        ends_on=None if ends is None else today() + timedelta(days=ends),
        today=today(),
    )
