"""Demo inspections: a year of inspection tasks of 文水县 with their records, findings, orders,
the enterprises' reports and the officers' reviews; the tasks of the next two weeks; on-site
tasks today for the demo officer logins; a few unplanned entries, ratings and complaints.

The past is replayed through the inspection services on the days it happened (every service
takes `today`), from one queue in date order, so document numbers follow the dates within each
kind and year. The services stamp `timezone.now()`; those times are moved afterwards to working
hours of the day each step happened. Audit entries keep their real (load) time: the audit chain
is sealed and is not rewritten.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.utils import timezone

from anjian.accounts.models import Section, User
from anjian.accounts.roles import Role
from anjian.audit.services import audit_record
from anjian.demo.context import DemoContext
from anjian.demo.inspection_texts import (
    ASSIGNMENTS,
    CHECKED_NOTES,
    COMPLAINT_GROUNDS,
    COMPLAINTS,
    HAZARDS,
    NON_SITE_EVIDENCE,
    OFF_LIST,
    RATING_COMMENTS,
    TEAM,
    UNPLANNED,
)
from anjian.inspections.codes import entry_code, qr_png
from anjian.inspections.models import (
    Complaint,
    Evidence,
    Hazard,
    InspectionRating,
    InspectionTask,
    ItemResult,
    RectificationOrder,
    RectificationReport,
    RectificationReview,
    ReviewLine,
)
from anjian.inspections.services.feedback import file_complaint, handle_complaint, rate_inspection
from anjian.inspections.services.records import (
    FindingRequest,
    acknowledge_off_list,
    add_evidence,
    add_finding,
    confirm_record,
    finish_record,
    issue_order,
    record_item,
)
from anjian.inspections.services.rectification import (
    OPEN_STATES,
    LineDecision,
    refer_for_penalty,
    report_rectification,
    review_order,
)
from anjian.inspections.services.tasks import (
    TaskRequest,
    decide_task,
    record_unplanned,
    request_task,
    review_unplanned,
)
from anjian.inspections.services.visits import Position, check_in
from anjian.policy.models import EntryBooking, InspectionItem, RuleSet
from anjian.policy.selectors import items_for_enterprise
from anjian.policy.services.booking import certified_officers
from anjian.policy.workdays import deadline_after, workday_lookup
from anjian.registry.models import Enterprise, Officer

MAX_FINDING_PHOTOS = 6
RECENT_AD_HOC = 12  # ad hoc tasks in the last four weeks
RECENT_DAYS = 45  # entries this recent almost all become tasks: the open orders come from them


POSITION = (Decimal("37.436"), Decimal("112.028"))  # 文水县城


def load_inspections(ctx: DemoContext) -> None:
    replay = Replay(ctx)
    replay.plan_past()
    replay.run()
    replay.feedback()
    Upcoming(replay).load()


# --- time --------------------------------------------------------------------------------------


def moment(rng: random.Random, day: date, first_hour: int, last_hour: int) -> datetime:
    """A time on `day` between the two hours (local time)."""
    minutes = rng.randrange((last_hour - first_hour) * 60)
    start = datetime.combine(day, time(first_hour))
    return timezone.make_aware(start + timedelta(minutes=minutes))


@dataclass
class Job:
    """One task being replayed, and what the replay needs to remember about it."""

    task: InspectionTask
    lead: User  # the officer of the task who holds a login: checks in and records
    officers: list[Officer]
    enterprise_user: User | None  # the enterprise's own login, if the demo gives it one
    finding_chance: float = 0.35
    fixes: dict[int, str] = field(default_factory=dict)  # hazard -> how the enterprise fixes it


class Replay:
    """The past, replayed from a queue of (day, order, step)."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng("inspections")
        self.head = ctx.users["head"]
        self.queue: list[tuple[date, int, Callable[[], None]]] = []
        self.order = itertools.count()
        self.items: dict[tuple[int, str], list[InspectionItem]] = {}
        self.photos = 0
        self.jobs: list[Job] = []
        self.team = ctx.sections["county"][TEAM]
        rules = RuleSet.objects.order_by("effective_from").values_list("effective_from", flat=True)
        # as in the policy demo: a year back, but not before the first rule set
        self.first_day = max(ctx.today - timedelta(days=360), rules[0])
        self.is_workday = workday_lookup(self.first_day, ctx.today + timedelta(days=120))
        self.logins = {
            user.enterprise_membership.enterprise_id: user
            for user in User.objects.filter(
                role=Role.ENTERPRISE, enterprise_membership__isnull=False
            ).select_related("enterprise_membership")
        }

    # --- the queue ---

    def at(self, day: date, step: Callable[[], None]) -> None:
        heapq.heappush(self.queue, (day, next(self.order), step))

    def run(self) -> None:
        """Every queued step before today, in date order; later ones are left for the future."""
        while self.queue:
            day, _, step = heapq.heappop(self.queue)
            if day < self.ctx.today:
                step()

    def workdays_from(self, day: date, n: int) -> date:
        """The n-th working day after `day` (before it when n < 0); `day` itself when n == 0."""
        step = 1 if n > 0 else -1
        for _ in range(abs(n)):
            day += timedelta(days=step)
            while not self.is_workday(day):
                day += timedelta(days=step)
        return day

    def at_time(self, day: date, first_hour: int = 9, last_hour: int = 16) -> datetime:
        return moment(self.rng, day, first_hour, last_hour)

    # --- which entries become tasks ---

    def plan_past(self) -> None:
        bookings = (
            EntryBooking.objects.filter(
                body=self.ctx.county,
                cancelled_at__isnull=True,
                date__lt=self.ctx.today,
                mode__in=("on_site", "remote", "written"),
                activity__in=("enforcement_inspection", "complaint_verification"),
            )
            .select_related("enterprise", "section", "body")
            .prefetch_related("officers__user")
            .order_by("date", "pk")
        )
        entries: dict[tuple[int, str], list[EntryBooking]] = {}
        for booking in bookings:
            key = (booking.enterprise_id, booking.joint_key or f"#{booking.pk}")
            entries.setdefault(key, []).append(booking)
        for entry in entries.values():
            if self.wanted(entry[0]):
                self.plan_task(entry)
        self.plan_recent()
        for n, (section, activity, reason) in enumerate(UNPLANNED):
            day = self.workdays_from(self.ctx.today - timedelta(days=30 + 50 * n), 1)
            if day > self.first_day:
                self.at(day, partial(self.unplanned, n, day, section, activity, reason))

    def wanted(self, booking: EntryBooking) -> bool:
        draw = self.rng.random()
        if booking.enterprise_id in self.logins or booking.activity == "complaint_verification":
            return True
        if booking.mode != "on_site":
            return draw < 0.85
        recent = (self.ctx.today - booking.date).days <= RECENT_DAYS
        return draw < (0.9 if recent else 0.62)

    def items_for(self, enterprise: Enterprise, mode: str, section: str) -> list[InspectionItem]:
        """2–5 applicable items this mode allows, the section's own first; when there are,
        at least one the demo knows findings for."""
        key = (enterprise.supervising_body_id, enterprise.sector)
        if key not in self.items:
            self.items[key] = items_for_enterprise(enterprise)
        usable = [i for i in self.items[key] if mode in i.methods]
        own = [i for i in usable if i.section == section]
        others = [i for i in usable if i.section != section]
        want = min(self.rng.choice([2, 2, 3, 3, 4, 5]), len(usable))
        chosen = self.rng.sample(own, min(len(own), want - min(1, len(others))))
        chosen += self.rng.sample(others, want - len(chosen))
        known = [i for i in usable if i.code in HAZARDS and i not in chosen]
        if chosen and known and not any(i.code in HAZARDS for i in chosen):
            chosen[-1] = self.rng.choice(known)
        return sorted(chosen, key=lambda i: i.code)

    def plan_task(self, entry: list[EntryBooking]) -> None:
        first = entry[0]
        officers = list({o.pk: o for b in entry for o in b.officers.all()}.values())
        leads = [o.user for o in officers if o.user and o.user.can("inspection.conduct")]
        certified = certified_officers(officers, first.date)
        # No officer with a login to record it, too few certificates, no item for this mode:
        # the entry stays without a task (with the demo's staffing, none does).
        if not leads or len(certified) < (2 if first.mode == "on_site" else 1):
            return
        items = self.items_for(first.enterprise, first.mode, (first.section or self.team).name)
        if not items:
            return
        source, ground = self.source_and_ground(entry)
        decided_on = max(self.workdays_from(first.date, -self.rng.randint(1, 4)), self.first_day)
        recent = (self.ctx.today - first.date).days <= RECENT_DAYS
        job = Job(
            task=InspectionTask(),  # made on the day it is approved
            lead=leads[0],
            officers=officers,
            enterprise_user=self.logins.get(first.enterprise_id),
            finding_chance=0.6 if recent else 0.35,
        )
        self.at(decided_on, partial(self.approve, job, entry, items, source, ground, decided_on))
        self.at(first.date, partial(self.visit, job))

    def plan_recent(self) -> None:
        """Ad hoc tasks of the last four weeks, requested and approved the day before through
        `request_task`: their orders are the ones still running (some due soon)."""
        firms = list(
            Enterprise.objects.filter(
                supervising_body=self.ctx.county, status="operating", is_deleted=False
            )
            .exclude(pk__in=self.logins)
            .exclude(sector="other")
            .order_by("pk")
        )
        logins = sorted(self.logins)  # the enterprise logins get a running order to report on
        for n in range(RECENT_AD_HOC):
            day = self.workdays_from(self.ctx.today, -(n + 1 + n // 2))
            firm = self.rng.choice(firms)
            if n in (1, 4) and logins:
                firm = Enterprise.objects.get(pk=logins[n % len(logins)])
            asked = self.workdays_from(day, -1)
            self.at(asked, partial(self.ad_hoc, firm, day, asked))

    def ad_hoc(self, firm: Enterprise, day: date, asked: date) -> None:
        section = home_section(self.ctx, firm)
        officers = section_team(self.ctx, section, day)
        items = self.items_for(firm, "on_site", section.name)
        if len(officers) < 2 or not items or officers[0].user is None:
            return
        lead = officers[0].user
        task = None
        for activity, source, ground in self.ad_hoc_grounds(day):
            request = TaskRequest(
                enterprise=firm,
                date=day,
                activity=activity,
                mode="on_site",
                source=source,
                ground=ground,
                items=items,
                officers=officers,
                section=section,
            )
            try:  # an enforcement inspection may meet a quiet day or a spent cap
                task = request_task(actor=lead, request=request, today=asked)
                break
            except ValidationError:
                continue
        if task is None:
            return
        job = Job(task, lead, officers, self.logins.get(firm.pk), finding_chance=0.85)
        job.task = decide_task(actor=self.head, task=task, approve=True, note="同意", today=asked)
        InspectionTask.objects.filter(pk=task.pk).update(
            requested_at=self.at_time(asked, 8, 10), decided_at=self.at_time(asked, 14, 17)
        )
        self.jobs.append(job)
        self.at(day, partial(self.visit, job))

    def ad_hoc_grounds(self, day: date) -> list[tuple[str, str, str]]:
        assignment = self.rng.choice(ASSIGNMENTS).format(year=day.year, n=self.rng.randint(8, 90))
        complaint = self.rng.choice(COMPLAINT_GROUNDS).format(n=self.rng.randint(1000, 9999))
        return [
            ("enforcement_inspection", "assignment", assignment),
            ("complaint_verification", "complaint", complaint),
        ]

    def source_and_ground(self, entry: list[EntryBooking]) -> tuple[str, str]:
        first = entry[0]
        if first.activity == "complaint_verification":
            return "complaint", first.ground
        if first.mode == "on_site" and self.rng.random() < 0.12:
            text = self.rng.choice(ASSIGNMENTS)
            return "assignment", text.format(year=first.date.year, n=self.rng.randint(8, 90))
        sections = "、".join(sorted({b.section.name for b in entry if b.section}))
        joint = "，联合检查" if first.joint_key else ""
        return "plan", f"{first.date:%Y年%m月}入企计划，承办股室：{sections}{joint}"

    # --- the task's days ---

    def approve(
        self,
        job: Job,
        entry: list[EntryBooking],
        items: list[InspectionItem],
        source: str,
        ground: str,
        day: date,
    ) -> None:
        """The task on its booked entry (as `tasks_from_plan` makes them), approved by the head."""
        first = entry[0]
        task = InspectionTask.objects.create(
            body=first.body,
            section=first.section,
            enterprise=first.enterprise,
            date=first.date,
            activity=first.activity,
            mode=first.mode,
            source=source,
            ground=ground,
            joint_key=first.joint_key,
            requested_by=job.lead,
            entry_verdict=first.verdict,
        )
        task.bookings.set(entry)
        task.items.set(items)
        task.officers.set(job.officers)
        audit_record(
            actor=job.lead,
            action="inspection.request",
            target=task,
            changes={"source": source, "ground": ground, "date": str(task.date)},
        )
        job.task = decide_task(actor=self.head, task=task, approve=True, note="同意", today=day)
        InspectionTask.objects.filter(pk=task.pk).update(
            requested_at=self.at_time(day, 8, 10), decided_at=self.at_time(day, 14, 17)
        )
        self.jobs.append(job)

    def visit(self, job: Job) -> None:
        task, day = job.task, job.task.date
        if task.is_on_site:
            job.task = task = check_in(
                actor=job.lead, code=entry_code(task), today=day, position=self.position(task)
            )
            for hook in self.ctx.on_site:
                hook(self.ctx, task, job.lead, day)
        else:
            kind, text = self.rng.choice(NON_SITE_EVIDENCE[task.mode])
            add_evidence(actor=job.lead, task=task, kind=kind, description=text)
        hazards = self.record(job, day)
        still_open = [h.pk for h in hazards if h.status == Hazard.Status.OPEN]
        order = None
        if still_open:
            major = any(h.level == "major" for h in hazards)
            days = self.rng.choice([15, 20] if major else [5, 7, 10, 10, 15])
            order = issue_order(
                actor=job.lead, task=task, hazard_ids=still_open, working_days=days, today=day
            )
        self.finish(job, hazards, day)
        if order is not None:
            self.after_order(job, order)
        if job.enterprise_user is not None and self.rng.random() < 0.8:
            self.at(self.workdays_from(day, self.rng.randint(1, 3)), partial(self.rate, job))

    def position(self, task: InspectionTask) -> Position:
        place = random.Random(f"{self.ctx.seed}/position/{task.enterprise_id}")
        lat = POSITION[0] + Decimal(place.randint(-600, 600)) / 10000
        lng = POSITION[1] + Decimal(place.randint(-600, 600)) / 10000
        return Position(lat, lng, self.rng.choice([8, 12, 15, 25, 40]))

    def record(self, job: Job, day: date) -> list[Hazard]:
        """The result of every item; findings on some tasks (always at the demo enterprises,
        so their logins have something to report)."""
        task = job.task
        items = list(task.items.all())
        chance = 1.0 if job.enterprise_user else job.finding_chance
        count = self.rng.choice([1, 1, 1, 2, 2, 3]) if self.rng.random() < chance else 0
        found = [self.find(job, items, day) for _ in range(count)]
        hazards = [h for h in found if h is not None]
        found_on = {h.item_id for h in hazards}
        notes = CHECKED_NOTES[task.mode]
        for item in items:
            if item.pk in found_on:
                continue
            if self.rng.random() < 0.06:
                outcome, note = "not_applicable", "企业无该类场所或设备"
            else:
                outcome, note = "checked", self.rng.choice(notes)
            record_item(actor=job.lead, task=task, item_id=item.pk, outcome=outcome, note=note)
        return hazards

    def find(self, job: Job, items: list[InspectionItem], day: date) -> Hazard | None:
        """A finding on one of the task's items (a few outside the list); None when the demo
        knows no other finding for these items."""
        used = set(job.fixes.values())
        known = [i for i in items if any(f.fix not in used for f in HAZARDS.get(i.code, ()))]
        if self.rng.random() < 0.05 and not job.task.hazards.filter(item=None).exists():
            return self.find_off_list(job, day)
        if not known:
            return None
        item = self.rng.choice(known)
        finding = self.rng.choice([f for f in HAZARDS[item.code] if f.fix not in used])
        major = bool(finding.measure) and self.rng.random() < 0.45
        request = FindingRequest(
            description=finding.description,
            level="major" if major else "general",
            item_id=item.pk,
            location=finding.location,
            # the demo enterprise logins always get an order to report on
            fixed_on_spot=not (major or job.enterprise_user) and self.rng.random() < 0.25,
            onsite_measure=finding.measure if major else "",
            measure_note=finding.measure_note if major else "",
            files=self.photo(major),
        )
        hazard = add_finding(actor=job.lead, task=job.task, request=request, today=day)
        job.fixes[hazard.pk] = finding.fix
        return hazard

    def find_off_list(self, job: Job, day: date) -> Hazard:
        description, location, basis, fix, reason = self.rng.choice(OFF_LIST)
        request = FindingRequest(
            description=description,
            level="general",
            off_list_reason=reason,
            location=location,
            legal_basis=basis,
            fixed_on_spot=self.rng.random() < 0.5,
        )
        hazard = add_finding(actor=job.lead, task=job.task, request=request, today=day)
        job.fixes[hazard.pk] = fix
        if self.rng.random() < 0.5:
            acknowledge_off_list(
                actor=self.ctx.users["legal"],
                hazard=hazard,
                note="已阅。该问题不属于本局检查事项，已抄告相关主管部门，不作为本次检查的处理依据",
            )
            Hazard.objects.filter(pk=hazard.pk).update(
                legal_seen_at=self.at_time(self.workdays_from(day, 1))
            )
        return hazard

    def photo(self, wanted: bool) -> list[SimpleUploadedFile]:
        """A small generated picture for a handful of findings (the major ones first)."""
        if self.photos >= MAX_FINDING_PHOTOS or not (wanted or self.rng.random() < 0.03):
            return []
        self.photos += 1
        return [png(f"现场照片{self.photos}.png", f"finding-{self.photos}")]

    def finish(self, job: Job, hazards: list[Hazard], day: date) -> None:
        task, enterprise = job.task, job.task.enterprise
        representative = enterprise.legal_representative or "企业安全负责人"
        if task.is_on_site:
            refused = self.rng.random() < 0.03
            note = (
                "企业负责人以须请示上级公司为由拒绝签字，已在记录上注明并全程录像"
                if refused
                else ""
            )
            confirm_record(
                actor=job.lead, task=task, representative=representative, refused=refused, note=note
            )
        job.task = finish_record(
            actor=job.lead,
            task=task,
            summary=summary(task, hazards),
            place=enterprise.address or "生产厂区",
            today=day,
        )
        start = self.at_time(day, 9, 11)
        end = start + timedelta(minutes=self.rng.randint(90, 280))
        InspectionTask.objects.filter(pk=task.pk).update(
            checked_in_at=start if task.is_on_site else None,
            checked_out_at=end if task.is_on_site else None,
            finished_at=end,
        )
        ItemResult.objects.filter(task=task).update(recorded_at=start + timedelta(minutes=40))
        Evidence.objects.filter(task=task).update(uploaded_at=start + timedelta(minutes=30))
        Hazard.objects.filter(task=task).update(recorded_at=start + timedelta(minutes=50))
        Hazard.objects.filter(task=task, status=Hazard.Status.ON_SPOT).update(
            closed_at=end - timedelta(minutes=10)
        )

    # --- rectification ---

    def after_order(self, job: Job, order: RectificationOrder) -> None:
        """Most enterprises report before the deadline and are reviewed just after it; some
        stay silent (reviewed: extended or not fixed); a few nobody reviews (overdue alerts)."""
        fate = self.rng.random()
        reported_on = max(
            self.workdays_from(order.issued_on, 1),
            self.workdays_from(order.deadline, -self.rng.randint(0, 4)),
        )
        if fate < 0.82:
            self.at(reported_on, partial(self.report, job, order, reported_on))
        if fate < 0.95:
            reviewed_on = max(
                self.workdays_from(order.deadline, self.rng.randint(0, 3)),
                self.workdays_from(reported_on, 1),
            )
            self.at(reviewed_on, partial(self.review, job, order, reviewed_on, 1))

    def report(
        self, job: Job, order: RectificationOrder, day: date, only: set[int] | None = None
    ) -> None:
        hazards = order.hazards.filter(status=Hazard.Status.OPEN).select_related("task")
        for hazard in hazards.filter(pk__in=only) if only is not None else hazards:
            text = f"已按整改指令完成整改：{job.fixes.get(hazard.pk, '已整改完毕')}。"
            if job.enterprise_user is not None:
                photo = png("整改后照片.png", f"report-{hazard.pk}")
                report = report_rectification(
                    actor=job.enterprise_user, hazard=hazard, description=text, files=[photo]
                )
            else:
                report = self.paper_report(job, hazard, text)
            when = self.at_time(day, 9, 18)
            RectificationReport.objects.filter(pk=report.pk).update(submitted_at=when)
            Evidence.objects.filter(report=report).update(uploaded_at=when)

    def paper_report(self, job: Job, hazard: Hazard, text: str) -> RectificationReport:
        """Only two demo enterprises have a login (see demo/logins.py), and only an enterprise
        user may call `report_rectification`. The others report on paper: the officer enters
        the report, as its text says, and the audit entry names the officer."""
        report = RectificationReport.objects.create(
            hazard=hazard,
            description=f"（企业书面报告，执法人员代为录入）{text}",
            submitted_by=job.lead,
        )
        Hazard.objects.filter(pk=hazard.pk).update(status=Hazard.Status.REPORTED)
        audit_record(
            actor=job.lead,
            action="rectification.report",
            target=hazard,
            changes={"paper_report": True, "enterprise": str(job.task.enterprise)},
        )
        return report

    def review(self, job: Job, order: RectificationOrder, day: date, round_: int) -> None:
        hazards = list(order.hazards.filter(status__in=OPEN_STATES).prefetch_related("reports"))
        if not hazards:
            return
        lines = [self.decide(h, round_) for h in hazards]
        closing = [ln for ln in lines if ln.decision == ReviewLine.Decision.CLOSED]
        remote = (
            all(h.status == Hazard.Status.REPORTED and h.level == "general" for h in hazards)
            and self.rng.random() < 0.4
        )
        extended = [ln for ln in lines if ln.decision == ReviewLine.Decision.EXTENDED]
        for line in extended:
            line.new_deadline = deadline_after(day, self.rng.choice([5, 10]))
        review_order(
            actor=job.lead,
            order=order,
            mode=RectificationReview.Mode.REMOTE if remote else RectificationReview.Mode.ON_SITE,
            lines=lines,
            officers=self.review_team(job, day),
            note=review_note(lines),
            today=day,
        )
        Hazard.objects.filter(pk__in=[ln.hazard_id for ln in closing]).update(
            closed_at=self.at_time(day)
        )
        self.after_review(job, order, lines, day)

    def decide(self, hazard: Hazard, round_: int) -> LineDecision:
        draw = self.rng.random()
        if hazard.status == Hazard.Status.REPORTED:
            if draw < (0.85 if round_ == 1 else 0.9):
                return LineDecision(hazard.pk, ReviewLine.Decision.CLOSED, note="经复查，已整改")
            if round_ == 1 and draw < 0.95:
                return LineDecision(hazard.pk, ReviewLine.Decision.EXTENDED, note="整改未完成")
        elif round_ == 1 and draw < 0.5:
            return LineDecision(hazard.pk, ReviewLine.Decision.EXTENDED, note="企业申请延期")
        return LineDecision(hazard.pk, ReviewLine.Decision.NOT_FIXED, note="逾期未整改")

    def review_team(self, job: Job, day: date) -> list[Officer]:
        team = certified_officers(job.officers, day)
        if len(team) < 2:  # a certificate ran out since: another officer of the section goes
            section = [
                o for o in self.ctx.officers["county"] if o.section_id == job.task.section_id
            ]
            team += [o for o in certified_officers(section, day) if o not in team][:1]
        return team

    def after_review(
        self, job: Job, order: RectificationOrder, lines: list[LineDecision], day: date
    ) -> None:
        """Extended findings are reported and reviewed again by the new deadline; most findings
        not fixed are referred for a penalty case."""
        extended = [ln for ln in lines if ln.decision == ReviewLine.Decision.EXTENDED]
        if extended:
            deadline = max(ln.new_deadline or day for ln in extended)
            report_day = self.workdays_from(deadline, -1)
            ids = {ln.hazard_id for ln in extended}
            self.at(report_day, partial(self.report, job, order, report_day, ids))
            again = self.workdays_from(deadline, 1)
            self.at(again, partial(self.review, job, order, again, 2))
        for line in lines:
            if line.decision == ReviewLine.Decision.NOT_FIXED and self.rng.random() < 0.6:
                referred_on = self.workdays_from(day, self.rng.randint(1, 3))
                self.at(referred_on, partial(self.refer, line.hazard_id, referred_on))

    def refer(self, hazard_id: int, day: date) -> None:
        hazard = Hazard.objects.get(pk=hazard_id)
        if hazard.status in OPEN_STATES and hazard.referred_at is None:
            refer_for_penalty(actor=self.head, hazard=hazard, today=day)
            Hazard.objects.filter(pk=hazard_id).update(referred_at=self.at_time(day))

    # --- unplanned entries, ratings, complaints ---

    def unplanned(self, n: int, day: date, section_name: str, activity: str, reason: str) -> None:
        """未赋码入企, recorded on the day by the officer who went; the head reviews half."""
        section = self.ctx.sections["county"][section_name]
        officers = section_team(self.ctx, section, day)
        enterprise = self.unplanned_enterprise(section, n)
        lead = officers[0].user if len(officers) == 2 else None
        if lead is None or enterprise is None:
            return
        request = TaskRequest(
            enterprise=enterprise,
            date=day,
            activity=activity,
            mode="on_site",
            source="unplanned",
            ground="",
            items=self.items_for(enterprise, "on_site", section_name)[:2],
            officers=officers,
            section=section,
            reason=reason,
        )
        task = record_unplanned(actor=lead, request=request, today=day, position=None)
        job = Job(task=task, lead=lead, officers=officers, enterprise_user=None)
        for item in task.items.all():
            record_item(actor=lead, task=task, item_id=item.pk, outcome="checked", note="现场查看")
        self.finish(job, [], day)
        if n % 2 == 0:
            accept = n == 0
            note = (
                "情况紧急，事后补录及时，予以认可"
                if accept
                else "不属紧急情形，应先申请检查码，予以批评"
            )
            review_unplanned(actor=self.head, task=task, accept=accept, note=note)
            InspectionTask.objects.filter(pk=task.pk).update(
                reviewed_at=self.at_time(self.workdays_from(day, 2))
            )

    def unplanned_enterprise(self, section: Section, n: int) -> Enterprise | None:
        sectors = section.sectors or []
        found = Enterprise.objects.filter(
            supervising_body=self.ctx.county, status="operating", sector__in=sectors
        ).exclude(pk__in=self.logins)
        candidates = list(found.order_by("pk")[:40])
        return candidates[(7 * n + 3) % len(candidates)] if candidates else None

    def rate(self, job: Job) -> None:
        assert job.enterprise_user is not None
        score = self.rng.choice([5, 5, 5, 4, 4, 3])
        rating = rate_inspection(
            actor=job.enterprise_user,
            task=InspectionTask.objects.get(pk=job.task.pk),
            score=score,
            showed_code=True,
            disturbed_production=score == 3,
            comment="检查时间安排在生产高峰，建议提前沟通"
            if score == 3
            else self.rng.choice(RATING_COMMENTS),
        )
        InspectionRating.objects.filter(pk=rating.pk).update(
            created_at=self.at_time(self.workdays_from(job.task.date, 1), 9, 20)
        )

    def feedback(self) -> None:
        """Complaints from the two demo enterprise logins: two handled and closed by the
        discipline inspectors, one just received."""
        done = [j for j in self.jobs if j.enterprise_user and j.task.status == "done"]
        if not done:
            return
        for job, (kind, text, result) in zip((done[0], done[-1], done[0]), COMPLAINTS, strict=True):
            related = job.task if kind != Complaint.Kind.NO_CODE else None
            self.complain(job, related, kind, text, result)

    def complain(
        self, job: Job, task: InspectionTask | None, kind: str, text: str, result: str
    ) -> None:
        assert job.enterprise_user is not None
        happened_on = self.workdays_from(job.task.date, 0 if task else 3)
        filed_on = min(self.workdays_from(happened_on, 1), self.ctx.today)
        complaint = file_complaint(
            actor=job.enterprise_user,
            kind=kind,
            happened_on=min(happened_on, filed_on),
            description=text,
            task=task,
            today=filed_on,
        )
        Complaint.objects.filter(pk=complaint.pk).update(filed_at=self.at_time(filed_on, 9, 20))
        if result:
            discipline = self.ctx.users["discipline"]
            handle_complaint(actor=discipline, complaint=complaint, status="handling", note="")
            handle_complaint(actor=discipline, complaint=complaint, status="closed", note=result)
            closed_on = min(self.workdays_from(filed_on, 6), self.ctx.today)
            Complaint.objects.filter(pk=complaint.pk).update(handled_at=self.at_time(closed_on))


def png(name: str, text: str) -> SimpleUploadedFile:
    """A small generated picture (a QR code) standing in for a photo."""
    return SimpleUploadedFile(name, qr_png(text, scale=2), content_type="image/png")


def home_section(ctx: DemoContext, enterprise: Enterprise) -> Section:
    """The business section of the enterprise's sector, else the enforcement team."""
    for section in ctx.sections["county"].values():
        if section.kind == "business" and enterprise.sector in (section.sectors or []):
            return section
    return ctx.sections["county"][TEAM]


def section_team(ctx: DemoContext, section: Section, day: date) -> list[Officer]:
    """The section's login holder and the next officer with a valid certificate on `day`."""
    members = [o for o in ctx.officers["county"] if o.section_id == section.pk]
    valid = certified_officers(members, day)
    leads = [o for o in valid if o.user_id]
    if not leads:
        return []
    return [leads[0], *[o for o in valid if o.pk != leads[0].pk][:1]]


def summary(task: InspectionTask, hazards: Sequence[Hazard]) -> str:
    how = {"on_site": "现场检查", "remote": "非现场检查", "written": "书面检查"}[task.mode]
    text = f"按照公布的检查事项清单对 {task.items.count()} 项事项进行了{how}。"
    if not hazards:
        return text + "未发现问题。"
    major = sum(h.level == "major" for h in hazards)
    on_spot = sum(h.status == Hazard.Status.ON_SPOT for h in hazards)
    text += f"发现问题 {len(hazards)} 项"
    text += f"（其中重大事故隐患 {major} 项）" if major else ""
    text += f"，当场整改 {on_spot} 项" if on_spot else ""
    rest = len(hazards) - on_spot
    return text + ("，其余问题已下达责令限期整改指令书。" if rest else "。")


def review_note(lines: Sequence[LineDecision]) -> str:
    decisions = {ln.decision for ln in lines}
    if decisions == {ReviewLine.Decision.CLOSED}:
        return "经复查，指令书所列问题均已整改完毕，予以销号。"
    return "经复查，部分问题尚未整改到位，已按复查结论分别处理。"


class Upcoming:
    """The next two weeks, decided with the real load date: tasks approved and waiting, one
    refused, two awaiting the head; and on-site tasks today for the demo officer logins."""

    def __init__(self, replay: Replay) -> None:
        self.replay = replay
        self.ctx = replay.ctx
        self.rng = replay.rng
        self.today = replay.ctx.today

    def load(self) -> None:
        self.today_tasks()
        requested = [*self.reviews(), *self.complaints(), *self.assignments()]
        for n, task in enumerate(requested):
            if n in (1, 4):  # left for the head
                continue
            refuse = n == 2
            decide_task(
                actor=self.replay.head,
                task=task,
                approve=not refuse,
                note="与本月已安排的联合检查重复，请合并后重新报批" if refuse else "同意",
                today=self.today,
            )

    def days(self) -> list[date]:
        days = [self.today + timedelta(days=n) for n in range(1, 15)]
        return [d for d in days if self.replay.is_workday(d)]

    def request(
        self,
        section_name: str,
        enterprise: Enterprise,
        day: date,
        what: tuple[str, str, str],  # activity, source, ground
        items: Sequence[InspectionItem] = (),
    ) -> InspectionTask | None:
        """An on-site ad hoc task by the section's login, or None when the rules refuse it."""
        section = self.ctx.sections["county"][section_name]
        officers = section_team(self.ctx, section, day)
        items = items or self.replay.items_for(enterprise, "on_site", section_name)
        if len(officers) < 2 or not items or officers[0].user is None:
            return None
        activity, source, ground = what
        request = TaskRequest(
            enterprise=enterprise,
            date=day,
            activity=activity,
            mode="on_site",
            source=source,
            ground=ground,
            items=items,
            officers=officers,
            section=section,
        )
        try:
            return request_task(actor=officers[0].user, request=request, today=self.today)
        except ValidationError:
            return None

    def today_tasks(self) -> None:
        """On site today: 危化股 (login hazchem) verifies a complaint; 综合行政执法队 (login
        team) reviews the latest overdue order. Both activities are allowed on quiet days and
        do not count toward the caps, so they can always be booked."""
        chem = self.operating("hazardous_chemicals")
        if chem is None:
            raise ValueError("演示数据中没有可检查的危险化学品企业")
        ground = COMPLAINT_GROUNDS[0].format(n=self.rng.randint(1000, 9999))
        what = ("complaint_verification", "complaint", ground)
        hazchem = self.request("危化股", chem, self.today, what)
        if hazchem is None:
            raise ValueError("无法为今天安排危化股的现场检查")
        decide_task(
            actor=self.replay.head, task=hazchem, approve=True, note="同意", today=self.today
        )
        overdue = self.open_orders().filter(deadline__lt=self.today).first()
        if overdue is not None:
            self.review_task(overdue, TEAM, self.today, approve=True)

    def operating(self, sector: str) -> Enterprise | None:
        firms = Enterprise.objects.filter(
            supervising_body=self.ctx.county, status="operating", sector=sector, is_deleted=False
        ).exclude(pk__in=self.replay.logins)
        return firms.order_by("pk").first()

    def open_orders(self) -> QuerySet[RectificationOrder]:
        return (
            RectificationOrder.objects.filter(
                task__body=self.ctx.county,
                task__enterprise__status="operating",
                hazards__status__in=OPEN_STATES,
            )
            .select_related("task__enterprise", "document")
            .distinct()
            .order_by("-deadline", "pk")
        )

    def review_task(
        self, order: RectificationOrder, section_name: str, day: date, approve: bool = False
    ) -> InspectionTask | None:
        items = [
            h.item
            for h in order.hazards.filter(item__isnull=False).select_related("item")
            if h.item and "on_site" in h.item.methods
        ]
        ground = f"复查 {order.document.number} 责令限期整改指令书"
        what = ("rectification_review", "hazard_review", ground)
        items = sorted(set(items), key=lambda i: i.code)
        task = self.request(section_name, order.task.enterprise, day, what, items)
        if task is not None and approve:
            decide_task(actor=self.replay.head, task=task, approve=True, note="同意", today=day)
        return task

    def reviews(self) -> list[InspectionTask]:
        """On-site reviews of the orders falling due in the next two weeks."""
        tasks: list[InspectionTask] = []
        days = self.days()
        due = self.open_orders().filter(deadline__gte=self.today).order_by("deadline", "pk")
        for order in due[:4]:
            day = next((d for d in days if d > order.deadline), None)
            section = order.task.section.name if order.task.section else TEAM
            task = self.review_task(order, section, day) if day else None
            if task is not None:
                tasks.append(task)
        return tasks

    def complaints(self) -> list[InspectionTask]:
        tasks: list[InspectionTask] = []
        for n, (section, sector) in enumerate((("冶金工贸股", "industry_trade"), (TEAM, "other"))):
            firm = self.operating(sector)
            ground = COMPLAINT_GROUNDS[n + 1].format(n=self.rng.randint(1000, 9999))
            what = ("complaint_verification", "complaint", ground)
            task = self.request(section, firm, self.days()[n], what) if firm else None
            if task is not None:
                tasks.append(task)
        return tasks

    def assignments(self) -> list[InspectionTask]:
        """Enforcement inspections assigned by the city: tried until five pass the rules (the
        quiet days and the caps turn some away)."""
        tasks: list[InspectionTask] = []
        done = [j for j in self.replay.jobs if j.task.enterprise.status == "operating"]
        self.rng.shuffle(done)
        for job in done[:20]:
            if len(tasks) == 5:
                break
            section = job.task.section.name if job.task.section else TEAM
            ground = ASSIGNMENTS[len(tasks) % len(ASSIGNMENTS)].format(
                year=self.today.year, n=self.rng.randint(8, 90)
            )
            what = ("enforcement_inspection", "assignment", ground)
            task = self.request(section, job.task.enterprise, self.rng.choice(self.days()), what)
            if task is not None:
                tasks.append(task)
        return tasks
