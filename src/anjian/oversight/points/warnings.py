"""Warnings on contact points (基层联系点预警): `point_warnings_raise` reads the facts of every
current contact point (one query per rule, whatever the number of points), runs the pure rules
(`domain/oversight/point_rules.py`), stores each new warning once (unique per point and key) and
reminds the legal office and the discipline group of the point's body. The legal office or
discipline answers it (`point_warning_answer`); it stays open until answered.

Run daily by `anjian point_warnings` (a command of its own, not part of the reminders run)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.timezone import localdate

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.audit.services import audit_record
from anjian.domain.oversight.point_rules import (
    RULES,
    CapUse,
    EntryFact,
    Facts,
    Flag,
    RecordFact,
    all_flags,
)
from anjian.enforcement.figure_selectors import enterprise_cases
from anjian.inspections.figure_selectors import enterprise_findings, enterprise_ratings
from anjian.oversight.models import ContactPoint, PointReport, PointWarning
from anjian.oversight.points.access import may_answer
from anjian.policy.figure_selectors import enterprise_caps, enterprise_entries
from anjian.policy.workdays import deadline_after
from anjian.steering.services.notify import Reminder, notify_many

ANSWER_WORKING_DAYS = 5
"""A warning is to be answered within this many working days."""
WARNING_KIND = "contact_warning"
RECIPIENT_ROLES = (Role.LEGAL_OFFICE, Role.DISCIPLINE)


def _facts(enterprise_ids: list[int], point_ids: list[int], today: date) -> Facts:
    start = date(today.year, 1, 1)
    entries = enterprise_entries(enterprise_ids, start, today).values_list(
        "id", "enterprise_id", "date", "mode", "joint_key", "quiet_exception_id"
    )
    findings = (
        enterprise_findings(enterprise_ids, start, today)
        .filter(Q(item=None) | ~Q(off_list_reason=""))
        .values_list("id", "task__enterprise_id", "task__date")
    )
    cases = (
        enterprise_cases(enterprise_ids, start, today)
        .filter(outside_tier=True)
        .values_list("id", "enterprise_id", "filed_on")
    )
    ratings = (
        enterprise_ratings(enterprise_ids, start, today)
        .filter(score__lte=2)
        .values_list("id", "task__enterprise_id", "task__date", "score")
    )
    reports = PointReport.objects.filter(point_id__in=point_ids).select_related("point")
    return Facts(
        caps=tuple(
            CapUse(c.enterprise_id, c.year, c.kind, c.used, c.cap)
            for c in enterprise_caps(enterprise_ids, today.year)
        ),
        entries=tuple(
            EntryFact(pk, eid, on, mode, joint, quiet is not None)
            for pk, eid, on, mode, joint, quiet in entries
        ),
        findings=tuple(RecordFact(pk, eid, on, True) for pk, eid, on in findings),
        cases=tuple(RecordFact(pk, eid, on, True) for pk, eid, on in cases),
        ratings=tuple(RecordFact(pk, eid, on, score) for pk, eid, on, score in ratings),
        reports=tuple(
            RecordFact(r.pk, r.point.enterprise_id, localdate(r.submitted_at), r.get_kind_display())
            for r in reports
        ),
    )


def _recipients(body_ids: set[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for body_id, user_id in User.objects.filter(
        body_id__in=body_ids, role__in=RECIPIENT_ROLES, is_active=True
    ).values_list("body_id", "pk"):
        found[body_id].append(user_id)
    return found


def point_warnings_raise(*, today: date, now: datetime) -> int:
    """Raises the warnings the rules find on this year's contact points; returns how many were
    new. A warning already raised (same point and key) is never raised again."""
    points = list(
        ContactPoint.objects.filter(
            points__year=today.year, enterprise__is_deleted=False
        ).select_related("points", "enterprise")
    )
    if not points:
        return 0
    by_enterprise: dict[int, list[ContactPoint]] = defaultdict(list)
    for point in points:
        by_enterprise[point.enterprise_id].append(point)
    flags = all_flags(_facts(list(by_enterprise), [p.pk for p in points], today))
    due = deadline_after(today, ANSWER_WORKING_DAYS)
    with transaction.atomic():
        had = set(PointWarning.objects.filter(point__in=points).values_list("point_id", "key"))
        fresh = [
            _warning(point, flag, today, due)
            for flag in flags
            for point in by_enterprise[flag.enterprise_id]
            if (point.pk, flag.key) not in had
        ]
        PointWarning.objects.bulk_create(fresh, ignore_conflicts=True)
        if fresh:
            _notify(fresh, due, now)
            audit_record(
                actor=None,
                action="contact.warnings",
                target=None,
                changes={"raised": len(fresh), "on": today.isoformat()},
            )
    return len(fresh)


def _warning(point: ContactPoint, flag: Flag, today: date, due: date) -> PointWarning:
    return PointWarning(
        point=point,
        rule=flag.rule,
        key=flag.key[:120],
        text=f"{point.enterprise.name}：{RULES[flag.rule]}。{flag.text}"[:300],
        facts={k: v for k, v in flag.facts.items()},
        raised_on=today,
        due_on=due,
    )


def _notify(fresh: list[PointWarning], due: date, now: datetime) -> None:
    users = _recipients({w.point.points.body_id for w in fresh})
    pending = [
        (
            user_id,
            Reminder(
                kind=WARNING_KIND,
                key=f"{WARNING_KIND}:{w.point.pk}:{w.key}",
                title=w.text,
                action="请在期限内答复联系点预警",
                url=reverse("oversight:point_detail", args=[w.point.pk]),
                due_on=due,
            ),
        )
        for w in fresh
        for user_id in users.get(w.point.points.body_id, ())
    ]
    notify_many(pending=pending, now=now)


def point_warning_answer(
    *, actor: User, warning: PointWarning, answer: str, now: datetime
) -> PointWarning:
    """The legal office's or discipline's answer; a warning is answered once."""
    if not may_answer(actor, warning.point):
        raise PermissionDenied("只有法制股或派驻纪检监察组可以答复预警")
    if not answer.strip():
        raise ValidationError({"answer": ["请填写答复"]})
    with transaction.atomic():
        warning = PointWarning.objects.select_for_update().get(pk=warning.pk)
        if warning.answered_at is not None:
            raise ValidationError({"answer": ["该预警已答复"]})
        warning.answer = answer.strip()
        warning.answered_by = actor
        warning.answered_at = now
        warning.save(update_fields=["answer", "answered_by", "answered_at"])
        audit_record(
            actor=actor,
            action="contact.warning_answer",
            target=warning,
            changes={"answered_at": {"before": None, "after": now.isoformat()}},
        )
    return warning
