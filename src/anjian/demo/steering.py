"""The demo county's campaign: the Wenshui work plan as data, its measures with their states and
evidence, the leadership group and office, the sections' weekly reports for every week so far
(most on time, some late, a few missing, one returned), the office's bulletins of the last weeks,
the closing evaluation once its phase has come, and the reminders the deadlines give."""

from __future__ import annotations

import contextlib
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from anjian.accounts.models import Section, User
from anjian.demo.context import DemoContext
from anjian.demo.steering_history import campaign_year
from anjian.domain.steering.weeks import IsoWeek, weeks_between
from anjian.policy_data.campaigns import shipped_plan
from anjian.steering.access import reporting_sections
from anjian.steering.evidence import SOURCES
from anjian.steering.models import Campaign, Measure, WeeklyReport
from anjian.steering.reminders import reminders_run
from anjian.steering.services.bulletins import bulletin_consolidate
from anjian.steering.services.campaign import campaign_from_plan
from anjian.steering.services.evaluation import (
    bureau_evaluation_consolidate,
    evaluation_draft,
    evaluation_save,
    summary_deadline,
)
from anjian.steering.services.measures import (
    MeasureData,
    evidence_add,
    measure_progress,
    measure_update,
)
from anjian.steering.services.people import office_member_add
from anjian.steering.services.targets import target_save
from anjian.steering.services.weekly import (
    Narrative,
    WeeklyError,
    report_open,
    report_return,
    report_save,
)

PRACTICES = (
    "坚持“进一次门、查多项事”，与综合行政执法队同步入企，减少重复检查。",
    "对安静期内确需入企的情形，事前报局主要负责人批准并抄告司法局。",
    "检查前公示检查事项和依据，检查中亮码入企，企业扫码核验。",
    "推行非现场检查，对在线监测数据异常的企业先远程核查，确需时再入企。",
    "逢查必考，对考试不合格的岗位当场反馈培训重点。",
)
HIGHLIGHTS = (
    "联合检查占比较上月提高。",
    "本周未发生安静期内入企。",
    "整改复查全部按期完成。",
    "对首次轻微违法行为依法不予处罚，企业当场整改。",
    "",
)
PROBLEMS = (
    "个别企业整改材料报送不及时。",
    "部分从业人员考试成绩偏低，培训针对性有待加强。",
    "",
)


def aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _progress(figures: dict[str, object]) -> str:
    return (
        f"本周现场入企 {figures.get('entries_onsite', 0)} 次，其中联合检查 "
        f"{figures.get('entries_joint', 0)} 次；"
        f"完成检查 {figures.get('inspections_done', 0)} 次，"
        f"发现隐患 {figures.get('findings', 0)} 项，"
        f"整改销号 {figures.get('findings_closed', 0)} 项；"
        f"立案 {figures.get('cases_filed', 0)} 件，"
        f"作出决定 {figures.get('cases_decided', 0)} 件。"
    )


def _narrative(rng: random.Random, report: WeeklyReport) -> Narrative:
    figures = report.figures
    case = ""
    if figures.get("cases_decided"):
        case = "本周办结行政处罚案件，裁量适用国家基准，经法制审核。"
    return Narrative(
        progress=_progress(figures),
        data_note="数据由系统按入企登记、检查记录和处罚案件自动汇总。",
        practices=rng.choice(PRACTICES),
        highlights=rng.choice(HIGHLIGHTS),
        cases=case,
        problems=rng.choice(PROBLEMS),
        next_plan="按月度入企计划开展联合检查，跟踪隐患整改。",
    )


def _filer(section: Section) -> User | None:
    return User.objects.filter(section=section, is_active=True).order_by("pk").first()


def _file_week(
    ctx: DemoContext, rng: random.Random, campaign: Campaign, week: IsoWeek, sections: list[Section]
) -> list[WeeklyReport]:
    filed = []
    for section in sections:
        user = _filer(section)
        roll = rng.random()
        if user is None or roll < 0.02:  # now and then a section does not file at all
            continue
        late = roll > 0.93
        when = (
            aware(week.next().monday, 9, rng.randrange(60))
            if late
            else aware(week.day(4), rng.randrange(9, 17), rng.randrange(60))
        )
        report = report_open(actor=user, campaign=campaign, section=section, week=week, now=when)
        report = report_save(
            actor=user, report=report, narrative=_narrative(rng, report), now=when, submit=True
        )
        filed.append(report)
    return filed


def load_weekly_reports(ctx: DemoContext, campaign: Campaign) -> None:
    """Every week from the start of the dispatch to the last week whose deadline has passed."""
    rng = ctx.rng("steering/weekly")
    sections = list(reporting_sections(campaign))
    now = aware(ctx.today, 9)
    last = IsoWeek.of(ctx.today).previous()
    weeks = [
        w for w in weeks_between(campaign.reports_from, min(campaign.reports_until, last.sunday))
    ]
    office = ctx.users["office"]
    for week in weeks:
        filed = _file_week(ctx, rng, campaign, week, sections)
        if week == weeks[-1] and filed:  # the office sends the last week's first report back
            with contextlib.suppress(WeeklyError):  # the week has closed
                report_return(
                    actor=office,
                    report=filed[0],
                    comment="“典型案例”请补充案件的裁量依据和法制审核情况。",
                    now=min(now, aware(week.next().monday, 10)),
                )


# --- the campaign itself --------------------------------------------------------------------

TARGETS = (  # (figure, kind, threshold, note)
    ("entries_onsite", "change_at_most", "-30", "现场入企同比压减 30% 以上"),
    ("joint_share", "at_least", "30", "联合检查占现场入企 30% 以上"),
    ("on_time_rate", "at_least", "90", "隐患整改按期率 90% 以上"),
    ("review_coverage", "at_least", "100", "重大执法决定法制审核全覆盖"),
    ("pass_rate", "at_least", "60", "逢查必考合格率 60% 以上"),
)


def _measure(campaign: Campaign, clause: str) -> Measure:
    return campaign.measures.get(clause=clause)


def candidates_of(campaign: Campaign, kind: str) -> list[object]:
    return list(SOURCES[kind](campaign, None))


def _evidence(campaign: Campaign, clause: str, kind: str, office: User) -> None:
    found = [c for c in candidates_of(campaign, kind)][:1]
    for candidate in found:
        evidence_add(
            actor=office,
            measure=_measure(campaign, clause),
            kind=kind,
            subject_pk=candidate.subject_pk,
        )


def _deadline(campaign: Campaign, clause: str, day: date, office: User) -> None:
    m = _measure(campaign, clause)
    data = MeasureData(
        clause=m.clause,
        title=m.title,
        content=m.content,
        lead_section=m.lead_section,
        supporting_sections=tuple(m.supporting_sections.all()),
        all_sections=m.all_sections,
        deadline=day,
        order=m.order,
    )
    measure_update(actor=office, measure=m, data=data)


def _measures_so_far(ctx: DemoContext, campaign: Campaign) -> None:
    """Measures in every state: done on time with their evidence, done late, in progress,
    overdue (a deadline the office set at the 8-31 milestone, not met)."""
    office, year, today = ctx.users["office"], campaign.year, ctx.today

    def done(clause: str, day: date, note: str) -> None:
        if day <= today:
            measure_progress(
                actor=office,
                measure=_measure(campaign, clause),
                started=True,
                done_on=day,
                note=note,
                today=today,
            )

    done("三（二）2", date(year, 4, 28), "事项清单已由法制办公布")
    _evidence(campaign, "三（二）2", "item_list", office)
    done("三（二）1", date(year, 3, 20), "年度监督检查计划已报县政府批准")
    _evidence(campaign, "三（二）1", "annual_plan", office)
    done("三（二）4", date(year, 4, 20), "已选定 10 家基层联系点企业")
    _evidence(campaign, "三（二）4", "contact_points", office)
    _evidence(campaign, "三（一）4", "quiet_month", office)
    _evidence(campaign, "三（三）3", "benchmark", office)
    _deadline(campaign, "三（四）2", date(year, 6, 30), office)
    done("三（四）2", date(year, 7, 15), "已完成培训机构抽查督查，对一家机构启动暂停程序")
    _deadline(campaign, "三（四）1", date(year, 8, 31), office)
    for m in campaign.measures.filter(done_on__isnull=True).exclude(clause="三（四）1"):
        measure_progress(
            actor=office, measure=m, started=True, done_on=None, note="按方案推进中", today=today
        )


def load_campaign(ctx: DemoContext) -> None:
    """The Wenshui plan as the county's campaign (this year's from August, else last year's),
    then its year so far."""
    office = ctx.users["office"]
    year = campaign_year(ctx.today)
    campaign = campaign_from_plan(
        actor=office, body=ctx.county, year=year, plan=shipped_plan("wenshui-2025")
    )
    office_member_add(
        actor=ctx.users["head"],
        campaign=campaign,
        user=ctx.users["legal"],
        duty="汇总法制审核和执法监督情况",
    )
    _measures_so_far(ctx, campaign)
    for figure, kind, threshold, note in TARGETS:
        target_save(
            actor=office,
            campaign=campaign,
            figure=figure,
            kind=kind,
            threshold=Decimal(threshold),
            note=note,
        )
    load_weekly_reports(ctx, campaign)
    _bulletins(ctx, campaign)
    _evaluations(ctx, campaign)
    reminders_run(ctx.today, aware(ctx.today, 8))


def _bulletins(ctx: DemoContext, campaign: Campaign) -> None:
    """The office's bulletins of the last six weeks reported, each consolidated the Monday
    after."""
    last = IsoWeek.of(ctx.today).previous()
    weeks = list(weeks_between(campaign.reports_from, min(campaign.reports_until, last.sunday)))
    for week in weeks[-6:]:
        with contextlib.suppress(WeeklyError):  # a week nobody filed
            bulletin_consolidate(
                actor=ctx.users["office"],
                campaign=campaign,
                week=week,
                summary="各股室按时报送本周工作进展，入企检查频次继续下降，联合检查占比稳步提高。",
                now=min(aware(ctx.today, 8), aware(week.next().monday, 11)),
            )


def _evaluations(ctx: DemoContext, campaign: Campaign) -> None:
    """Once the summary deadline has passed: each section's evaluation submitted, and the
    bureau's report consolidated."""
    deadline = summary_deadline(campaign)
    if deadline is None or ctx.today <= deadline:
        return
    filed_on = aware(deadline - timedelta(days=2), 15)
    for section in reporting_sections(campaign):
        user = _filer(section)
        if user is None:
            continue
        evaluation = evaluation_draft(
            actor=user, campaign=campaign, section=section, today=deadline - timedelta(days=2)
        )
        fields = {
            name: getattr(evaluation, name)
            for name in ("summary", "results", "problems", "next_steps")
        }
        evaluation_save(actor=user, evaluation=evaluation, fields=fields, submit=True, now=filed_on)
    bureau_evaluation_consolidate(
        actor=ctx.users["office"], campaign=campaign, now=aware(deadline, 16)
    )
