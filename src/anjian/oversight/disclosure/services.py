"""Publishing penalty decisions (行政执法公示): the legal office publishes a decided case with
personal data removed (the text is fixed when published) and withdraws a publication when the
decision is revoked. Every step is audited.

Revocation: the penalty procedure has no state for a decision revoked after it was made (a case
may be dropped, 撤销案件, only before the decision), so nothing can withdraw a publication on
its own: the legal office withdraws it by hand, giving the reason (e.g. the revoking decision of
a reconsideration or a court)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.oversight.disclosure import mask_name, redact, remaining_names
from anjian.enforcement.access import visible_cases
from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.selectors import (
    DECIDED_STATES,
    decision_summary,
    decisions_for_disclosure,
)
from anjian.oversight.disclosure.selectors import due_on
from anjian.oversight.models import Publication
from anjian.policy.workdays import workday_lookup

TEXT_FIELDS = ("title", "facts", "breach", "basis", "penalty")


def _check(actor: User) -> None:
    if not actor.can("disclosure.manage"):
        raise PermissionDenied("只有法制办可以公示或撤下行政处罚决定。")


def public_content(case: PenaltyCase) -> dict[str, Any]:
    """What the public reads of a decision: the unit's name (a natural person's masked), the
    violation, the basis and the penalty with ID numbers, telephone numbers and the names of
    the natural persons removed."""
    summary = decision_summary(case)
    names = summary["persons"]
    party = summary["party"]
    if summary["party_kind"] == "person":
        names = [*names, party]
        party = mask_name(party)
    content: dict[str, Any] = {
        "body": case.body.name,
        "number": summary["number"],
        "party": redact(party, names),
        **{key: redact(str(summary[key]), names) for key in TEXT_FIELDS},
        "no_penalty": summary["no_penalty"],
        "fine_total": summary["fine_total"],
        "decided_on": summary["decided_on"].isoformat(),
    }
    left = [n for v in content.values() if isinstance(v, str) for n in remaining_names(v, names)]
    assert not left, "a natural person's name is left in the published text"
    return content


def decision_publish(*, actor: User, case: PenaltyCase, now: datetime) -> Publication:
    """Publishes a decided case once; refused when already published (or withdrawn)."""
    _check(actor)
    with transaction.atomic():
        if not visible_cases(actor).filter(pk=case.pk).exists():
            raise PermissionDenied("该案件不在您的管辖范围内。")
        PenaltyCase.objects.select_for_update().filter(pk=case.pk).first()
        case = decisions_for_disclosure([case.body_id]).filter(pk=case.pk).first() or case
        if case.state not in DECIDED_STATES or case.decided_on is None:
            raise ValidationError("该案件尚未作出决定，不能公示。")
        if Publication.objects.filter(case_id=case.pk).exists():
            raise ValidationError("该决定已经公示过（撤下的公示不再重新公示）。")
        today = timezone.localdate(now)
        content = public_content(case)
        publication = Publication.objects.create(
            case=case,
            body=case.body,
            number=content["number"] or "",
            decided_on=case.decided_on,
            due_on=due_on(case.decided_on, workday_lookup(case.decided_on, today)),
            published_on=today,
            content=content,
            published_by=actor,
        )
        audit_record(
            actor=actor,
            action="oversight.disclosure.publish",
            target=publication,
            changes={
                "case": {"before": None, "after": case.pk},
                "number": {"before": None, "after": publication.number},
                "published_on": {"before": None, "after": today.isoformat()},
                "due_on": {"before": None, "after": publication.due_on.isoformat()},
            },
        )
    return publication


def decision_withdraw(
    *, actor: User, publication: Publication, reason: str, now: datetime
) -> Publication:
    """Takes a publication down (the decision was revoked), with the reason; once."""
    _check(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["请填写撤下原因（如撤销该决定的文书及文号）。"]})
    with transaction.atomic():
        locked = (
            Publication.objects.select_for_update()
            .filter(pk=publication.pk, case__in=visible_cases(actor))
            .first()
        )
        if locked is None:
            raise PermissionDenied("该公示不在您的管辖范围内。")
        if locked.withdrawn_on is not None:
            raise ValidationError("该公示已经撤下。")
        locked.withdrawn_on = timezone.localdate(now)
        locked.withdraw_reason = reason[:200]
        locked.save(update_fields=["withdrawn_on", "withdraw_reason"])
        audit_record(
            actor=actor,
            action="oversight.disclosure.withdraw",
            target=locked,
            changes={
                "withdrawn_on": {"before": None, "after": locked.withdrawn_on.isoformat()},
                "withdraw_reason": {"before": "", "after": locked.withdraw_reason},
            },
        )
    return locked
