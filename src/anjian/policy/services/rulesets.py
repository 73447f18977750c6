"""Rule-set versions: the legal office saves a new version with an effective date; the version in
force before it ends the day before. Versions are never edited in place, so every booking keeps the
rules it was decided under."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.rules import RuleSetInvalid, ruleset_from_dict, ruleset_to_dict
from anjian.domain.rules.coverage import Span, insert_version, withdraw_version
from anjian.policy.models import RuleSet


def _spans() -> list[Span]:
    return [
        Span(str(r.pk), r.effective_from, r.effective_until)
        for r in RuleSet.objects.select_for_update().order_by("effective_from")
    ]


def _apply(spans: list[Span]) -> None:
    for span in spans:
        RuleSet.objects.filter(pk=int(span.key)).exclude(effective_until=span.until).update(
            effective_until=span.until
        )


def ruleset_create(
    *, actor: User | None, data: dict[str, Any], effective_from: date, change_note: str, today: date
) -> RuleSet:
    """Save a new version. `data` is the rule tables (dictionary form); the name stays the same
    unless given. Refused when the date is in the past or the tables are invalid."""
    if effective_from < today:
        raise ValidationError(
            {"effective_from": ["新版本的生效日期不能早于今天：已作出的决定适用当时的版本"]}
        )
    if not change_note.strip():
        raise ValidationError({"change_note": ["请填写修订说明（依据的文件、改动了什么）"]})
    body = {**data, "effective_from": effective_from.isoformat(), "effective_until": None}
    try:
        rules = ruleset_from_dict(body)
    except RuleSetInvalid as invalid:
        raise ValidationError([e.message for e in invalid.errors]) from invalid
    with transaction.atomic():
        spans = _spans()
        version = (
            RuleSet.objects.filter(name=rules.name).aggregate(m=Max("version"))["m"] or 0
        ) + 1
        row = RuleSet.objects.create(
            name=rules.name,
            version=version,
            title=rules.title,
            effective_from=effective_from,
            data=ruleset_to_dict(rules),
            change_note=change_note.strip(),
            created_by=actor,
        )
        try:
            new_spans = insert_version(spans, str(row.pk), effective_from)
        except ValueError as exc:
            raise ValidationError({"effective_from": [str(exc)]}) from exc
        _apply(new_spans)
        row.refresh_from_db()
        audit_record(
            actor=actor,
            action="ruleset.create",
            target=row,
            changes={
                "effective_from": effective_from.isoformat(),
                "data": row.data,
                "note": change_note,
            },
        )
    return row


def ruleset_withdraw(*, actor: User | None, ruleset: RuleSet, today: date) -> None:
    """Withdraw a version that is not yet in force and decided nothing."""
    if ruleset.effective_from <= today:
        raise ValidationError("已生效的规则集不能撤回；请另存一个新版本")
    if ruleset.bookings.exists():
        raise ValidationError("已有入企登记适用该版本，不能撤回")
    with transaction.atomic():
        try:
            new_spans = withdraw_version(_spans(), str(ruleset.pk))
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        audit_record(actor=actor, action="ruleset.withdraw", target=ruleset, changes={})
        ruleset.delete()
        _apply(new_spans)


def ruleset_load_shipped(*, actor: User | None = None) -> RuleSet | None:
    """Create version 1 from the rule set shipped with anjian when there is no rule set at all
    (the data migration does this on a new database; tests that flush tables call it again)."""
    from anjian.policy_data.rulesets import shipped_rulesets

    if RuleSet.objects.exists():
        return None
    rules = ruleset_from_dict(shipped_rulesets()["shanxi-2025"])
    with transaction.atomic():
        row = RuleSet.objects.create(
            name=rules.name,
            version=1,
            title=rules.title,
            effective_from=rules.effective_from,
            data=ruleset_to_dict(rules),
            change_note="随软件发布的山西 2025 规则集（文水县 2025 年工作方案及省厅频次上限）",
            created_by=actor,
        )
        audit_record(actor=actor, action="ruleset.load_shipped", target=row, changes={})
    return row
