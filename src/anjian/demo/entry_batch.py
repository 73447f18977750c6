"""The demo's years of entries, booked as a batch. Each request gets the verdict the entry service
gives (`check_entry` of the rule engine, on the rule set in force that day, the enterprise's quiet
days and its history, this batch's earlier bookings included) and is booked only when the rules
allow it, as `entry_book` books: the booking with its verdict and officers, the enterprise's
counter for the year and an `entry.book` audit entry. Only the writing is batched: through
`entry_book` the demo's 1,700 entries took some twenty queries each, most of them reading the same
rule sets, quiet months and histories again.

For the demo's own requests into the enterprises one body supervises: a request the service
refuses as invalid raises here too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q

from anjian.accounts.models import EnforcementBody, Section
from anjian.audit.services import AuditRecord, audit_record_many
from anjian.domain.registry import MINE_SECTORS
from anjian.domain.rules import EnterpriseFacts, Entry, ProposedEntry, Verdict, check_entry
from anjian.domain.rules.ruleset import ActivityRule
from anjian.domain.rules.ruleset import RuleSet as Rules
from anjian.domain.rules.vocab import ACTIVITIES, MODES
from anjian.policy.models import CapCounter, EntryBooking, QuietException, RuleSet
from anjian.policy.selectors import history_window, quiet_days, ruleset_in_force
from anjian.policy.services.booking import certified_officers
from anjian.registry.models import Enterprise, Officer

Key = tuple[int, int, str]  # enterprise, year, kind: a cap counter


@dataclass
class _Booked:
    booking: EntryBooking
    officers: list[Officer]
    verdict: Verdict


class EntryBatch:
    """Requests checked one after the other against everything booked before them; `flush`
    writes the bookings, their officers, the counters and the audit entries."""

    def __init__(self, body: EnforcementBody) -> None:
        self.body = body
        self.booked: list[_Booked] = []
        self.history: dict[int, list[Entry]] = defaultdict(list)
        self.joint_days: dict[tuple[int, str], date] = {}
        live = EntryBooking.objects.filter(
            enterprise__supervising_body=body, cancelled_at__isnull=True
        ).order_by("id")
        for enterprise, day, level, activity, mode, joint in live.values_list(
            "enterprise_id", "date", "body__level", "activity", "mode", "joint_key"
        ):
            self.history[enterprise].append(Entry(day, level, activity, mode, joint or None))
            if joint:
                self.joint_days[(enterprise, joint)] = day
        counters = CapCounter.objects.filter(enterprise__supervising_body=body)
        self.used: dict[Key, int] = {(c.enterprise_id, c.year, c.kind): c.used for c in counters}
        self.stored = set(self.used)
        self.caps: dict[Key, int] = {}
        self.rulesets: dict[date, RuleSet] = {}
        self.rules: dict[int, Rules] = {}
        self.quiet: dict[tuple[int, int], set[date]] = {}
        self.facts: dict[int, EnterpriseFacts] = {}
        usable = Q(status=QuietException.Status.APPROVED) | Q(
            timing=QuietException.Timing.BACKFILL, status=QuietException.Status.PENDING
        )
        exceptions = QuietException.objects.filter(usable, enterprise__supervising_body=body)
        self.exceptions = {
            (e.enterprise_id, e.date, e.activity): e for e in exceptions.order_by("id")
        }

    # --- what the service reads, read once ---

    def _ruleset(self, day: date) -> tuple[RuleSet, Rules]:
        if day not in self.rulesets:
            self.rulesets[day] = ruleset_in_force(day)
        row = self.rulesets[day]
        if row.pk not in self.rules:
            self.rules[row.pk] = row.rules()
        return row, self.rules[row.pk]

    def _quiet(self, day: date) -> set[date]:
        """The day, if it is one of the body's quiet days (what `quiet_days` gives for it)."""
        key = (self.body.pk, day.year)
        if key not in self.quiet:
            year = (date(day.year, 1, 1), date(day.year, 12, 31))
            self.quiet[key] = quiet_days(self.body.pk, *year)
        return {day} & self.quiet[key]

    def _facts(self, enterprise: Enterprise) -> EnterpriseFacts:
        if enterprise.pk not in self.facts:
            self.facts[enterprise.pk] = EnterpriseFacts(
                id=str(enterprise.pk),
                sector=enterprise.sector,
                standardization_grade=enterprise.standardization_grade,
                coal_mine_class=enterprise.coal_mine_class or None,
                non_coal_risk_class=enterprise.non_coal_risk_class or None,
                supervising_body=self.body.level,
            )
        return self.facts[enterprise.pk]

    def _history(self, enterprise: Enterprise, day: date) -> list[Entry]:
        start, end = history_window(day)
        return [e for e in self.history[enterprise.pk] if start <= e.date <= end]

    # --- one request ---

    def book(
        self,
        *,
        enterprise: Enterprise,
        day: date,
        section: Section,
        officers: Sequence[Officer],
        activity: str = "enforcement_inspection",
        mode: str = "on_site",
        joint_key: str = "",
        ground: str = "",
    ) -> bool:
        """Checks the request as `entry_book` would and books it when the rules allow it."""
        _check_request(self.body, enterprise, activity, mode, officers)
        row, rules = self._ruleset(day)
        exception = self.exceptions.get((enterprise.pk, day, activity))
        approved, emergency = False, None
        if exception is not None and exception.is_backfill:
            approved = exception.status == QuietException.Status.APPROVED
            emergency = exception.emergency_ground
        elif exception is not None:
            approved = True
        proposed = ProposedEntry(
            date=day,
            body=self.body.level,
            activity=activity,
            mode=mode,
            joint_id=joint_key or None,
            officers=len(certified_officers(officers, day)),
            quiet_exception_approved=approved,
            quiet_emergency_ground=emergency,
        )
        history = self._history(enterprise, day)
        verdict = check_entry(rules, self._facts(enterprise), self._quiet(day), history, proposed)
        self._check_booking(enterprise, day, joint_key, rules.activities[activity], ground)
        if not verdict.allowed:
            return False
        if "QUIET_BACKFILL" in {r.code for r in verdict.reasons} and exception is None:
            raise ValidationError({"quiet_ground": ["紧急入企须由参加入企的执法人员登记"]})
        if not self._count(enterprise, day.year, verdict):
            return False
        booking = EntryBooking(
            enterprise=enterprise,
            date=day,
            body=self.body,
            section=section,
            activity=activity,
            mode=mode,
            joint_key=joint_key,
            ground=ground.strip(),
            ruleset=row,
            verdict=verdict.as_dict(),
            counts_toward=verdict.counts_toward,
            quiet_exception=exception,
        )
        self.booked.append(_Booked(booking, list(officers), verdict))
        entry = Entry(day, self.body.level, activity, mode, proposed.joint_id)
        self.history[enterprise.pk].append(entry)
        if joint_key:
            self.joint_days[(enterprise.pk, joint_key)] = day
        return True

    def _check_booking(
        self, enterprise: Enterprise, day: date, joint_key: str, activity: ActivityRule, ground: str
    ) -> None:
        """The service's checks after the verdict: one day for a joint inspection, a ground
        for the activities that need one."""
        other = self.joint_days.get((enterprise.pk, joint_key)) if joint_key else None
        if other is not None and other != day:
            message = f"联合检查 {joint_key} 已定于 {other}，同一联合检查只能在一天"
            raise ValidationError({"joint_key": [message]})
        if activity.needs_ground and not ground.strip():
            message = f"{activity.label}须登记依据（如整改指令书编号、举报件编号）"
            raise ValidationError({"ground": [message]})

    def _count(self, enterprise: Enterprise, year: int, verdict: Verdict) -> bool:
        """A unit on the enterprise's counter for a counted entry; False where the counter's
        CHECK (used <= cap) refuses it, as it refuses the service."""
        kind = verdict.counts_toward
        if kind == "none":
            return True
        cap = verdict.counts.cap if kind == "cap" else verdict.counts.supervision_cap
        key = (enterprise.pk, year, kind)
        if self.used.get(key, 0) + 1 > cap:
            return False
        self.used[key] = self.used.get(key, 0) + 1
        self.caps[key] = cap
        return True

    # --- writing ---

    def flush(self) -> int:
        """Writes what was booked; the number of bookings."""
        booked, self.booked = self.booked, []
        EntryBooking.objects.bulk_create([b.booking for b in booked])
        through = EntryBooking.officers.through
        through.objects.bulk_create(
            [
                through(entrybooking_id=b.booking.pk, officer_id=officer.pk)
                for b in booked
                for officer in b.officers
            ]
        )
        self._write_counters()
        audit_record_many(
            [
                AuditRecord(
                    actor=None,
                    action="entry.book",
                    target=b.booking,
                    changes={
                        "verdict": b.verdict.as_dict(),
                        "ruleset": str(b.booking.ruleset),
                        "officers": [o.name for o in b.officers],
                    },
                )
                for b in booked
            ]
        )
        return len(booked)

    def _write_counters(self) -> None:
        new = []
        for key, cap in self.caps.items():
            enterprise, year, kind = key
            if key in self.stored:
                CapCounter.objects.filter(enterprise_id=enterprise, year=year, kind=kind).update(
                    used=self.used[key], cap=cap
                )
            else:
                new.append(
                    CapCounter(
                        enterprise_id=enterprise, year=year, kind=kind, used=self.used[key], cap=cap
                    )
                )
        CapCounter.objects.bulk_create(new)
        self.stored |= set(self.caps)
        self.caps.clear()


def _check_request(
    body: EnforcementBody,
    enterprise: Enterprise,
    activity: str,
    mode: str,
    officers: Sequence[Officer],
) -> None:
    """What the service refuses as an invalid request (before any verdict)."""
    errors: dict[str, list[str]] = {}
    if activity not in ACTIVITIES:
        errors["activity"] = [f"未知的入企活动：{activity}"]
    elif activity == "supervisor_patrol" and enterprise.sector not in MINE_SECTORS:
        errors["activity"] = ["矿山安全监管专员入矿巡查只适用于煤矿和非煤矿山"]
    if mode not in MODES:
        errors["mode"] = [f"未知的检查方式：{mode}"]
    if enterprise.is_deleted:
        errors["enterprise"] = ["该企业已删除"]
    if enterprise.supervising_body_id != body.pk:
        errors["enterprise"] = [f"批量登记只用于{body}监管的企业"]
    if any(o.body_id != body.pk for o in officers):
        errors["officers"] = [f"执法人员须为{body}的人员"]
    if errors:
        raise ValidationError(errors)
