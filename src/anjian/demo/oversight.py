"""The demo county's oversight: ten contact points of the plan's mix (the demo enterprise login's
company among them) with reports, monthly surveys, follow-ups, requirements and warnings; the
register of complaints and clues (`oversight_matters`); two leadership-group meetings; the
year's published penalty decisions; then one daily oversight run."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from anjian.accounts.models import Section, User
from anjian.demo.context import DemoContext
from anjian.demo.oversight_matters import load_matters, load_meetings
from anjian.demo.steering import aware
from anjian.demo.steering_history import campaign_year
from anjian.inspections.codes import qr_png
from anjian.oversight.daily import oversee
from anjian.oversight.disclosure.selectors import unpublished
from anjian.oversight.disclosure.services import decision_publish
from anjian.oversight.models import ContactPoint, PointReport, PointWarning
from anjian.oversight.points.selectors import shipped_mix
from anjian.oversight.points.services import (
    contact_points_designate,
    follow_up_record,
    point_report_close,
    point_report_submit,
    point_survey_submit,
    requirement_close,
    requirement_raise,
)
from anjian.oversight.points.warnings import point_warning_answer, point_warnings_raise
from anjian.policy.figure_selectors import enterprise_entries
from anjian.registry.models import Enterprise

REPORTER_LOGINS = ("enterprise", "enterprise2")
SURVEY_MONTHS = 6
SURVEY_COMMENTS = (
    "执法人员出示执法证件、亮码入企，检查规范。",
    "本月检查次数较少，迎检负担明显减轻。",
    "希望检查前提前告知需要准备的资料。",
    "",
)


def _members(ctx: DemoContext) -> dict[int, User]:
    """The reporting logins by the pk of their enterprise."""
    found: dict[int, User] = {}
    for username in REPORTER_LOGINS:
        user = ctx.users.get(username)
        membership = getattr(user, "enterprise_membership", None) if user else None
        if user is not None and membership is not None:
            found[membership.enterprise_id] = user
    return found


def choose_points(ctx: DemoContext, rng: random.Random) -> list[Enterprise]:
    """The plan's mix among the county's operating enterprises: the demo enterprise logins'
    companies first (so the portal shows), then those entered most this year (so the warnings
    have records to read), ties broken at random."""
    candidates = list(
        Enterprise.objects.filter(
            supervising_body=ctx.county, is_deleted=False, status="operating"
        ).order_by("pk")
    )
    start = date(ctx.today.year, 1, 1)
    entered = Counter(
        enterprise_entries([e.pk for e in candidates], start, ctx.today).values_list(
            "enterprise_id", flat=True
        )
    )
    members = _members(ctx)
    rng.shuffle(candidates)
    candidates.sort(key=lambda e: (e.pk not in members, -entered[e.pk]))
    chosen: list[Enterprise] = []
    for sector, count in shipped_mix().counts:
        of_sector = [e for e in candidates if e.sector == sector][:count]
        if len(of_sector) < count:
            raise ValueError(f"demo county lacks {sector} enterprises for the contact points")
        chosen.extend(of_sector)
    return chosen


def designate(ctx: DemoContext, enterprises: list[Enterprise]) -> list[ContactPoint]:
    """The list of the campaign's year and of this year (the same companies); returns this
    year's points."""
    legal = ctx.users["legal"]
    for year in sorted({campaign_year(ctx.today), ctx.today.year}):
        points = contact_points_designate(
            actor=legal,
            body=ctx.county,
            year=year,
            enterprises=enterprises,
            liaison=legal,
            note=f"{year}年度基层联系点，按实施方案三（二）4 确定",
        )
    return list(points.points.select_related("enterprise").order_by("pk"))


def _photo(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, qr_png(name), content_type="image/png")


def _surveys(
    ctx: DemoContext,
    rng: random.Random,
    point: ContactPoint,
    user: User,
    by_year: dict[tuple[int, int], ContactPoint],
) -> None:
    """The survey of each of the last months, filed in its month."""
    month = ctx.today.replace(day=1)
    for _ in range(SURVEY_MONTHS):
        month = (month - timedelta(days=1)).replace(day=1)
        target = by_year.get((month.year, point.enterprise_id))
        if target is None:
            continue
        point_survey_submit(
            actor=user,
            point=target,
            entries_felt=rng.randrange(0, 3),
            courtesy=rng.choice((4, 5, 5)),
            burden=rng.choice((1, 2, 2, 3)),
            comment=rng.choice(SURVEY_COMMENTS),
            now=aware(month + timedelta(days=rng.randrange(20, 27)), 10),
        )


def _reports(ctx: DemoContext, point: ContactPoint, user: User) -> list[PointReport]:
    """Three reports of the last weeks: a repeated check with a photo, a demand (a clue for
    the discipline group) and a question."""
    today = ctx.today
    rows: tuple[tuple[str, int, str, list[SimpleUploadedFile]], ...] = (
        (
            "repeated",
            30,
            "同一周内两个股室先后来检查，检查内容基本相同。",
            [_photo("检查记录.png")],
        ),
        ("demand", 20, "检查人员暗示在指定单位购买安全标志牌。", []),
        ("other", 5, "希望明确年度检查计划中我公司的检查时间。", []),
    )
    found = []
    for kind, days_ago, text, files in rows:
        day = today - timedelta(days=days_ago)
        found.append(
            point_report_submit(
                actor=user,
                point=point,
                kind=kind,
                happened_on=day - timedelta(days=2),
                description=text,
                uploads=files,
                now=aware(day, 15),
            )
        )
    return found


def _follow_up(ctx: DemoContext, point: ContactPoint, reports: list[PointReport]) -> None:
    """The liaison visits about the repeated check, closes it, and raises two requirements to
    the section: one done, one still open."""
    legal, today = ctx.users["legal"], ctx.today
    repeated = reports[0]
    visit_day = today - timedelta(days=27)
    follow_up = follow_up_record(
        actor=legal,
        point=point,
        kind="visit",
        on=visit_day,
        note="走访企业核实：两次检查分别为年度计划检查和专项检查，未统筹合并。",
        report=repeated,
        now=aware(visit_day, 16),
    )
    owner_section = next(
        (
            s
            for s in Section.objects.filter(body=ctx.county)
            if point.enterprise.sector in s.sectors
        ),
        None,
    )
    done = requirement_raise(
        actor=legal,
        point=point,
        text="同一企业的计划检查和专项检查应统筹合并，实行“进一次门、查多项事”。",
        deadline=visit_day + timedelta(days=10),
        section=owner_section,
        today=visit_day,
        follow_up=follow_up,
    )
    requirement_close(
        actor=legal,
        requirement=done,
        note="已调整月度入企计划，合并下月两项检查。",
        today=visit_day + timedelta(days=7),
    )
    requirement_raise(
        actor=legal,
        point=point,
        text="对联系点企业入企前须在系统中查询本月已入企次数。",
        deadline=today + timedelta(days=14),
        section=owner_section,
        today=visit_day,
        follow_up=follow_up,
    )
    point_report_close(
        actor=legal,
        report=repeated,
        closing_note="已向企业说明情况，责成责任股室统筹合并检查。",
        now=aware(visit_day + timedelta(days=1), 10),
    )
    follow_up_record(
        actor=legal,
        point=point,
        kind="call",
        on=today - timedelta(days=3),
        note="电话询问企业对年度检查计划的疑问，已告知查询方式。",
        report=reports[2],
        now=aware(today - timedelta(days=3), 11),
    )


def load_points(ctx: DemoContext) -> None:
    rng = ctx.rng("oversight/points")
    enterprises = choose_points(ctx, rng)
    points = designate(ctx, enterprises)
    by_year = {
        (p.points.year, p.enterprise_id): p
        for p in ContactPoint.objects.filter(points__body=ctx.county).select_related("points")
    }
    members = _members(ctx)
    for point in points:
        user = members.get(point.enterprise_id)
        if user is None:
            continue
        _surveys(ctx, rng, point, user, by_year)
        if user.username == REPORTER_LOGINS[0]:
            _follow_up(ctx, point, _reports(ctx, point, user))


def load_warnings(ctx: DemoContext) -> None:
    """The warnings the rules raised three weeks ago: all answered but the first, which is left
    past its due day. Today's run (`oversee`) raises the newer ones."""
    day = ctx.today - timedelta(days=21)
    if day.year != ctx.today.year:
        day = date(ctx.today.year, 1, 1)
    point_warnings_raise(today=day, now=aware(day, 7))
    warnings = list(
        PointWarning.objects.filter(point__points__body=ctx.county, answered_at=None).order_by("pk")
    )
    answerers = (ctx.users["legal"], ctx.users["discipline"])
    for n, warning in enumerate(warnings[1:]):
        point_warning_answer(
            actor=answerers[n % 2],
            warning=warning,
            answer="已核实入企记录，系按计划开展的必要检查，已提醒相关股室统筹安排。",
            now=aware(min(warning.due_on, ctx.today), 16),
        )


def load_publications(ctx: DemoContext) -> None:
    """The legal office publishes each decided case a few days after its decision."""
    legal = ctx.users["legal"]
    for case in unpublished([ctx.county.pk]):
        on = min(ctx.today, case.decided_on + timedelta(days=3))
        decision_publish(actor=legal, case=case, now=aware(on, 10))


def load_oversight(ctx: DemoContext) -> None:
    load_points(ctx)
    load_warnings(ctx)
    load_matters(ctx)
    load_meetings(ctx)
    load_publications(ctx)
    oversee(today=ctx.today, now=aware(ctx.today, 8, 30))
