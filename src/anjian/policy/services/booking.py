"""The entry check and booking service: every part of anjian that books an entry calls this.

`entry_check` asks the rule engine; `entry_book` does the same under a lock on the enterprise row
and then books, so concurrent bookings can never exceed a cap. The per-enterprise-year counter
(`CapCounter`, CHECK used <= cap) is the database's own backstop: even a booking that slipped past
the lock could not push the count over the cap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from anjian.accounts.models import EnforcementBody, Section, User
from anjian.audit.services import audit_record
from anjian.domain.registry import MINE_SECTORS
from anjian.domain.rules import ProposedEntry, Verdict, check_entry
from anjian.domain.rules.vocab import ACTIVITIES, MODES, QUIET_EMERGENCY_GROUNDS
from anjian.policy.models import CapCounter, EntryBooking, QuietException, RuleSet
from anjian.policy.selectors import (
    enterprise_facts,
    entry_history,
    history_window,
    quiet_days,
    ruleset_in_force,
)
from anjian.policy.services.quiet import quiet_backfill_record
from anjian.registry.models import Enterprise, Officer


@dataclass
class EntryRequest:
    enterprise: Enterprise
    date: date
    activity: str
    mode: str
    body: EnforcementBody
    officers: Sequence[Officer] = ()
    section: Section | None = None
    joint_key: str = ""
    ground: str = ""
    quiet_exception: QuietException | None = None
    # An emergency ground (QUIET_EMERGENCY_GROUNDS) when officers enter a quiet day first: the
    # booking then records a back-fill request (事后补批) for the head at once.
    quiet_ground: str = ""


@dataclass
class EntryOutcome:
    verdict: Verdict
    ruleset: RuleSet
    booking: EntryBooking | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def booked(self) -> bool:
        return self.booking is not None


def certified_officers(officers: Sequence[Officer], day: date) -> list[Officer]:
    return [o for o in officers if not o.is_deleted and o.certificate_valid_until >= day]


def _request_errors(request: EntryRequest) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if request.activity not in ACTIVITIES:
        errors.setdefault("activity", []).append(f"未知的入企活动：{request.activity}")
    if request.mode not in MODES:
        errors.setdefault("mode", []).append(f"未知的检查方式：{request.mode}")
    if request.activity == "supervisor_patrol" and request.enterprise.sector not in MINE_SECTORS:
        errors.setdefault("activity", []).append("矿山安全监管专员入矿巡查只适用于煤矿和非煤矿山")
    if request.enterprise.is_deleted:
        errors.setdefault("enterprise", []).append("该企业已删除")
    strangers = [o.name for o in request.officers if o.body_id != request.body.pk]
    if strangers:
        errors.setdefault("officers", []).append(
            f"执法人员须为本执法主体的人员：{'、'.join(strangers)}不属于{request.body}"
        )
    return {**errors, **_exception_errors(request)}


def _exception_errors(request: EntryRequest) -> dict[str, list[str]]:
    if request.quiet_ground and request.quiet_ground not in QUIET_EMERGENCY_GROUNDS:
        return {"quiet_ground": [f"未知的紧急事由：{request.quiet_ground}"]}
    if request.quiet_ground and request.date > timezone.localdate():
        message = "紧急事由只用于已经或正在进行的入企；事先安排的入企请申请事前审批"
        return {"quiet_ground": [message]}
    exception = request.quiet_exception
    usable = {QuietException.Status.APPROVED} | (
        {QuietException.Status.PENDING}
        if exception is not None and exception.is_backfill
        else set()
    )
    if exception is not None and (
        exception.status not in usable
        or exception.enterprise_id != request.enterprise.pk
        or exception.date != request.date
        or exception.activity != request.activity
    ):
        return {"quiet_exception": ["所选安静期例外未获批准，或与本次入企的企业、日期、活动不一致"]}
    return {}


def _joint_errors(request: EntryRequest) -> dict[str, list[str]]:
    if not request.joint_key:
        return {}
    other_days = (
        EntryBooking.objects.filter(
            enterprise=request.enterprise, joint_key=request.joint_key, cancelled_at__isnull=True
        )
        .exclude(date=request.date)
        .values_list("date", flat=True)
    )
    day = next(iter(other_days), None)
    if day is None:
        return {}
    return {"joint_key": [f"联合检查 {request.joint_key} 已定于 {day}，同一联合检查只能在一天"]}


def _needs_ground(rules: RuleSet, request: EntryRequest) -> dict[str, list[str]]:
    activity = rules.rules().activities[request.activity]
    if activity.needs_ground and not request.ground.strip():
        return {"ground": [f"{activity.label}须登记依据（如整改指令书编号、举报件编号）"]}
    return {}


def _exception_on_file(request: EntryRequest) -> QuietException | None:
    """An exception already on file for the same enterprise, day and activity: one the head
    approved beforehand, or the back-fill of an emergency entry. Inspection tasks and the
    unplanned-entry record book through here without picking it themselves."""
    usable = Q(status=QuietException.Status.APPROVED) | Q(
        timing=QuietException.Timing.BACKFILL, status=QuietException.Status.PENDING
    )
    return (
        QuietException.objects.filter(
            usable,
            enterprise=request.enterprise,
            date=request.date,
            activity=request.activity,
        )
        .order_by("-id")
        .first()
    )


def _proposed_exception(request: EntryRequest) -> tuple[bool, str | None]:
    """(an approved exception stands behind the entry, the emergency ground it is entered on)."""
    exception = request.quiet_exception
    if exception is None and not request.quiet_ground:
        return False, None
    if exception is None:
        return False, request.quiet_ground
    if exception.is_backfill:
        return exception.status == QuietException.Status.APPROVED, exception.emergency_ground
    return True, None


def entry_check(request: EntryRequest) -> EntryOutcome:
    """The rule engine's verdict on a request, read-only. Invalid requests raise ValidationError."""
    errors = _request_errors(request)
    if errors:
        raise ValidationError(errors)
    if request.quiet_exception is None:
        request.quiet_exception = _exception_on_file(request)
    approved, ground = _proposed_exception(request)
    try:
        row = ruleset_in_force(request.date)
    except LookupError as exc:
        raise ValidationError({"date": [str(exc)]}) from exc
    rules = row.rules()
    start, end = history_window(request.date)
    proposed = ProposedEntry(
        date=request.date,
        body=request.body.level,
        activity=request.activity,
        mode=request.mode,
        joint_id=request.joint_key or None,
        officers=len(certified_officers(request.officers, request.date)),
        quiet_exception_approved=approved,
        quiet_emergency_ground=ground,
    )
    verdict = check_entry(
        rules,
        enterprise_facts(request.enterprise),
        quiet_days(request.enterprise.supervising_body_id, request.date, request.date),
        entry_history(request.enterprise.pk, start, end),
        proposed,
    )
    return EntryOutcome(verdict, row)


class CapBackstopTripped(Exception):
    """The counter's CHECK constraint refused a booking the rule check let through."""


def _count_unit(enterprise: Enterprise, year: int, kind: str, cap: int) -> None:
    counter, _ = CapCounter.objects.get_or_create(
        enterprise=enterprise, year=year, kind=kind, defaults={"cap": cap, "used": 0}
    )
    try:
        with transaction.atomic():
            CapCounter.objects.filter(pk=counter.pk).update(used=F("used") + 1, cap=cap)
    except IntegrityError as exc:
        raise CapBackstopTripped(f"{enterprise} {year} 年 {kind} 计数已达上限 {cap}") from exc


def entry_book(*, actor: User | None, request: EntryRequest) -> EntryOutcome:
    """Check and book an entry. A blocked verdict books nothing and is returned as it is."""
    try:
        return _book(actor, request)
    except CapBackstopTripped as tripped:
        outcome = entry_check(request)
        outcome.errors.append(f"并发登记已用完频次，本次未登记（{tripped}）")
        return outcome


def _book(actor: User | None, request: EntryRequest) -> EntryOutcome:
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=request.enterprise.pk).first()
        outcome = entry_check(request)
        errors = {**_joint_errors(request), **_needs_ground(outcome.ruleset, request)}
        if errors:
            raise ValidationError(errors)
        if not outcome.verdict.allowed:
            return outcome
        verdict = outcome.verdict
        if verdict.counts_toward != "none":
            counts = verdict.counts
            cap = counts.cap if verdict.counts_toward == "cap" else counts.supervision_cap
            _count_unit(request.enterprise, request.date.year, verdict.counts_toward, cap)
        _record_backfill(actor, request, outcome)
        outcome.booking = _create_booking(actor, request, outcome)
    return outcome


def _record_backfill(actor: User | None, request: EntryRequest, outcome: EntryOutcome) -> None:
    """An emergency entry on a quiet day: its back-fill request is recorded with the booking."""
    codes = {r.code for r in outcome.verdict.reasons}
    if "QUIET_BACKFILL" not in codes or request.quiet_exception is not None:
        return
    if actor is None:
        raise ValidationError({"quiet_ground": ["紧急入企须由参加入企的执法人员登记"]})
    request.quiet_exception = quiet_backfill_record(
        actor=actor,
        body=request.body,
        enterprise=request.enterprise,
        day=request.date,
        activity=request.activity,
        ground=request.quiet_ground,
        reason=request.ground,
        section=request.section,
    )


def _create_booking(
    actor: User | None, request: EntryRequest, outcome: EntryOutcome
) -> EntryBooking:
    booking = EntryBooking.objects.create(
        enterprise=request.enterprise,
        date=request.date,
        body=request.body,
        section=request.section,
        activity=request.activity,
        mode=request.mode,
        joint_key=request.joint_key,
        ground=request.ground.strip(),
        ruleset=outcome.ruleset,
        verdict=outcome.verdict.as_dict(),
        counts_toward=outcome.verdict.counts_toward,
        quiet_exception=request.quiet_exception,
        created_by=actor,
    )
    booking.officers.set(list(request.officers))
    audit_record(
        actor=actor,
        action="entry.book",
        target=booking,
        changes={
            "verdict": outcome.verdict.as_dict(),
            "ruleset": str(outcome.ruleset),
            "officers": [o.name for o in request.officers],
        },
    )
    return booking


def entry_cancel(*, actor: User | None, booking: EntryBooking, reason: str) -> EntryBooking:
    """Cancel a booking and give its counting unit back (unless its joint inspection goes on)."""
    if not reason.strip():
        raise ValidationError({"reason": ["请填写取消原因"]})
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=booking.enterprise_id).first()
        booking = EntryBooking.objects.select_for_update().get(pk=booking.pk)
        if booking.cancelled_at is not None:
            raise ValidationError("该入企登记已取消")
        booking.cancelled_at = timezone.now()
        booking.cancel_reason = reason.strip()
        kind, booking.counts_toward = booking.counts_toward, "none"
        booking.save(update_fields=["cancelled_at", "cancel_reason", "counts_toward"])
        if kind != "none":
            _hand_over_unit(booking, kind)
        audit_record(actor=actor, action="entry.cancel", target=booking, changes={"reason": reason})
    return booking


def _hand_over_unit(booking: EntryBooking, kind: str) -> None:
    heir = None
    if booking.joint_key:
        heir = (
            EntryBooking.objects.filter(
                enterprise_id=booking.enterprise_id,
                joint_key=booking.joint_key,
                cancelled_at__isnull=True,
                mode=booking.mode,
            )
            .exclude(pk=booking.pk)
            .first()
        )
    if heir is not None and heir.ruleset.rules().activities[heir.activity].counts == kind:
        EntryBooking.objects.filter(pk=heir.pk).update(counts_toward=kind)
        return
    CapCounter.objects.filter(
        enterprise_id=booking.enterprise_id, year=booking.date.year, kind=kind
    ).update(used=F("used") - 1)
