"""The register's other sources, pulled in once each (`anjian collect_matters`, daily): portal
complaints, ratings of two or less, and contact-point reports each become one matter (the
one-to-one links make a second run, or a concurrent one, create nothing). Then the handlers of
every open matter whose clock turned amber or red are reminded (kind ``matter_due``; one
reminder per matter, stage and colour).

Routes:
- a complaint of misconduct (no code shown, gifts or demands, attitude and procedure) and a
  contact point's report of demands are clues (问题线索) for the discipline group alone;
- another complaint goes to the section of its inspection, or else to the business section
  supervising the enterprise's sector in its supervising body;
- a low rating goes to the section route without a section (the office and the legal office
  handle it): the inspecting section never sees its ratings;
- another contact-point report goes to the body's legal section (the liaison's), never to the
  inspecting sections, which do not read contact-point reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.models import Section
from anjian.accounts.roles import Role
from anjian.audit.services import audit_record
from anjian.domain.oversight import matters as rules
from anjian.inspections.selectors import complaints_for_register, low_ratings
from anjian.oversight.matters.access import HANDLING_SECTION_ROLES
from anjian.oversight.matters.services import due_days
from anjian.oversight.models import Matter, PointReport
from anjian.policy.workdays import workday_lookup
from anjian.steering.reminders.recipients import Pending, body_users, section_users
from anjian.steering.services.notify import Reminder, notify_many

LOW_RATING = 2
MISCONDUCT_COMPLAINTS = frozenset({"no_code", "gifts", "conduct"})
MISCONDUCT_REPORTS = frozenset({"demand"})
CLUE = {"kind": Matter.Kind.CLUE, "route": Matter.Route.DISCIPLINE, "section": None}


class Sections:
    """The business and legal sections of the bodies met, read once."""

    def __init__(self) -> None:
        self.rows = list(Section.objects.filter(kind__in=["business", "legal"]).order_by("id"))

    def for_sector(self, body_id: int, sector: str) -> Section | None:
        return next(
            (
                s
                for s in self.rows
                if s.body_id == body_id and s.kind == "business" and sector in s.sectors
            ),
            None,
        )

    def legal(self, body_id: int) -> Section | None:
        return next((s for s in self.rows if s.body_id == body_id and s.kind == "legal"), None)


def _matter(received_on: date, **fields: Any) -> Matter:
    accept_due, answer_due = due_days(received_on)
    fields["subject"] = fields["subject"][:120]
    return Matter(received_on=received_on, accept_due=accept_due, answer_due=answer_due, **fields)


def from_complaints(sections: Sections) -> list[Matter]:
    linked = Matter.objects.filter(complaint__isnull=False).values("complaint_id")
    found = []
    for complaint in complaints_for_register().exclude(pk__in=linked):
        enterprise, task = complaint.enterprise, complaint.task
        body_id = task.body_id if task else enterprise.supervising_body_id
        if complaint.kind in MISCONDUCT_COMPLAINTS:
            route: dict[str, Any] = CLUE
        else:
            section = task.section if task and task.section_id else None
            route = {
                "kind": Matter.Kind.COMPLAINT,
                "route": Matter.Route.SECTION,
                "section": section or sections.for_sector(body_id, enterprise.sector),
            }
        filer = complaint.filed_by
        found.append(
            _matter(
                timezone.localdate(complaint.filed_at),
                body_id=body_id,
                source=Matter.Source.PORTAL,
                enterprise=enterprise,
                complaint=complaint,
                subject=f"{enterprise.name}投诉：{complaint.get_kind_display()}",
                description=complaint.description,
                complainant=(filer.display_name or filer.username) if filer else "",
                complainant_contact=complaint.contact,
                **route,
            )
        )
    return found


def from_ratings() -> list[Matter]:
    linked = Matter.objects.filter(rating__isnull=False).values("rating_id")
    return [
        _matter(
            timezone.localdate(rating.created_at),
            body_id=rating.task.body_id,
            kind=Matter.Kind.COMPLAINT,
            source=Matter.Source.RATING,
            route=Matter.Route.SECTION,
            section=None,
            enterprise=rating.task.enterprise,
            rating=rating,
            subject=f"{rating.task.enterprise.name}检查评价{rating.score}分",
            description=rating.comment
            or f"{rating.task.date:%Y-%m-%d}检查的总体评价为{rating.score}分",
            anonymous=True,
        )
        for rating in low_ratings(LOW_RATING).exclude(pk__in=linked)
    ]


def from_point_reports(sections: Sections) -> list[Matter]:
    reports = (
        PointReport.objects.filter(matter__isnull=True)
        .select_related("point__enterprise", "point__points", "submitted_by")
        .order_by("pk")
    )
    found = []
    for report in reports:
        body_id = report.point.points.body_id
        if report.kind in MISCONDUCT_REPORTS:
            route: dict[str, Any] = CLUE
        else:
            route = {
                "kind": Matter.Kind.COMPLAINT,
                "route": Matter.Route.SECTION,
                "section": sections.legal(body_id),
            }
        enterprise = report.point.enterprise
        found.append(
            _matter(
                timezone.localdate(report.submitted_at),
                body_id=body_id,
                source=Matter.Source.CONTACT_POINT,
                enterprise=enterprise,
                point_report=report,
                subject=f"{enterprise.name}（联系点）反映：{report.get_kind_display()}",
                description=report.description,
                complainant=report.submitted_by.display_name or report.submitted_by.username,
                **route,
            )
        )
    return found


def matters_collect(*, today: date, now: datetime) -> dict[str, int]:
    """Creates the matters not yet registered, then the day's reminders; returns the counts per
    source and of new reminders. One audit entry records the run when it created anything."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        sections = Sections()
        batches = {
            Matter.Source.PORTAL: from_complaints(sections),
            Matter.Source.RATING: from_ratings(),
            Matter.Source.CONTACT_POINT: from_point_reports(sections),
        }
        for source, rows in batches.items():
            created = Matter.objects.bulk_create(rows, ignore_conflicts=True)
            counts[str(source)] = len(created)
        if any(counts.values()):
            audit_record(
                actor=None,
                action="matter.collect",
                changes={source: {"before": 0, "after": n} for source, n in counts.items() if n},
            )
    with transaction.atomic():
        counts["reminders"] = notify_many(pending=matters_due(today), now=now)["matter_due"]
    return counts


def _handlers(matters: list[Matter]) -> dict[int, list[int]]:
    """Matter id → the users to remind: its owner, else its route's handlers."""
    bodies = {m.body_id for m in matters}
    discipline = body_users(bodies, Role.DISCIPLINE)
    office, legal = body_users(bodies, Role.OFFICE), body_users(bodies, Role.LEGAL_OFFICE)
    sections = section_users(
        {m.section_id for m in matters if m.section_id}, HANDLING_SECTION_ROLES
    )
    found: dict[int, list[int]] = {}
    for m in matters:
        if m.owner_id:
            found[m.pk] = [m.owner_id]
        elif m.route == Matter.Route.DISCIPLINE:
            found[m.pk] = discipline.get(m.body_id, [])
        elif m.section_id:
            found[m.pk] = sections.get(m.section_id, [])
        else:
            found[m.pk] = office.get(m.body_id, []) + legal.get(m.body_id, [])
    return found


def matters_due(today: date) -> Pending:
    """(user, reminder) for every open matter whose clock is amber or red today."""
    matters = list(
        Matter.objects.filter(status__in=[rules.RECEIVED, rules.ACCEPTED]).only(
            *TIMING_FIELDS, "subject", "route", "section_id", "body_id", "owner_id"
        )
    )
    if not matters:
        return []
    is_workday = workday_lookup(min(m.received_on for m in matters), today)
    alerts = [(m, clock) for m in matters for clock in [clock_of(m, today, is_workday)]]
    alerts = [(m, c) for m, c in alerts if c.colour != rules.GREEN]
    handlers = _handlers([m for m, _c in alerts])
    pending: Pending = []
    for matter, clock in alerts:
        reminder = _reminder(matter, clock)
        pending += [(user, reminder) for user in handlers.get(matter.pk, [])]
    return pending


TIMING_FIELDS = (
    "status",
    "received_on",
    "accept_due",
    "answer_due",
    "accepted_on",
    "replied_on",
    "closed_on",
)


def clock_of(matter: Matter, today: date, is_workday: Any) -> rules.Clock:
    timing = rules.Timing(**{name: getattr(matter, name) for name in TIMING_FIELDS})
    return rules.matter_clock(timing, today, is_workday)


def _reminder(matter: Matter, clock: rules.Clock) -> Reminder:
    stage = "受理" if clock.stage == "accept" else "答复"
    when = "已超过" if clock.colour == rules.RED else "即将到"
    return Reminder(
        kind="matter_due",
        key=f"matter:{matter.pk}:{clock.stage}:{clock.colour}",
        title=f"{matter.subject}{when}{stage}期限（{clock.due:%Y-%m-%d}）",
        action=f"请及时{stage}该举报事项或问题线索",
        url=reverse("oversight:matter_detail", args=[matter.pk]),
        due_on=clock.due,
    )
