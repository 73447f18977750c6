"""The demo county's register of complaints and clues (the portal's collected, the rest entered
by hand from each source, in every state, one past its limit and one close to it) and the
leadership group's two meetings (the first held with minutes and action items, the second
planned with its agenda assembled)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from anjian.accounts.models import Section, User
from anjian.demo.context import DemoContext
from anjian.demo.steering import aware
from anjian.domain.oversight.matters import AMBER_DAYS, days_left
from anjian.oversight.matters.collect import matters_collect
from anjian.oversight.matters.services import (
    due_days,
    matter_accept,
    matter_answer,
    matter_assign,
    matter_close,
    matter_register,
)
from anjian.oversight.meetings.minutes import meeting_minutes_issue
from anjian.oversight.meetings.services import (
    action_item_create,
    action_item_report,
    agenda_assemble,
    agenda_item_minutes,
    meeting_create,
    meeting_hold,
)
from anjian.oversight.models import Matter
from anjian.policy.workdays import workday_lookup


@dataclass(frozen=True)
class Entered:
    """One matter entered by hand and how far it has gone."""

    source: str
    subject: str
    description: str
    section: str  # a section of the county; "" for a discipline clue
    days_ago: int  # received this many days before the load (-1: just amber)
    state: str  # received, accepted, answered, closed
    anonymous: bool = False
    satisfaction: str = ""


ENTERED = (
    Entered(
        "hotline",
        "反映某化工企业夜间异味扰民",
        "群众通过 12345 热线反映，夜间厂区有刺激性气味。",
        "危化股",
        60,
        "closed",
        satisfaction="satisfied",
    ),
    Entered(
        "letter",
        "来信反映铸造企业未落实粉尘防爆措施",
        "来信称企业除尘系统长期停用。",
        "冶金工贸股",
        45,
        "closed",
        satisfaction="basic",
    ),
    Entered(
        "visit",
        "来访反映矿山企业未组织安全培训",
        "来访人称新入职人员未经培训即上岗。",
        "非煤矿山股",
        30,
        "answered",
    ),
    Entered(
        "other",
        "网络舆情：加油站卸油作业不规范",
        "网民发帖称加油站卸油时无人监护。",
        "危化股",
        14,
        "accepted",
        anonymous=True,
    ),
    Entered(
        "hotline",
        "热线反映检查人员多次到同一企业检查",
        "反映人称同月内被检查三次。",
        "煤矿股",
        40,
        "received",
    ),  # never accepted: past its limit (red)
    Entered(
        "letter",
        "来信反映企业违规储存危险化学品",
        "来信附照片，称仓库超量储存。",
        "危化股",
        -1,
        "received",
    ),  # a few days left (amber)
    Entered(
        "visit",
        "反映执法人员接受企业宴请",
        "来访人反映检查后执法人员在企业食堂用餐并收受礼品。",
        "",
        20,
        "accepted",
    ),  # a clue for the discipline group
)


def _amber_day(today: date) -> date:
    """The latest day a matter received then has at most AMBER_DAYS working days left today."""
    lookup = workday_lookup(today - timedelta(days=20), today + timedelta(days=20))
    day = today
    while days_left(today, due_days(day)[0], lookup) > AMBER_DAYS:
        day -= timedelta(days=1)
    return day


def _handler(ctx: DemoContext, entry: Entered) -> User:
    return ctx.users["discipline" if not entry.section else "office"]


def _register(ctx: DemoContext, entry: Entered, received: date) -> Matter:
    section = Section.objects.get(body=ctx.county, name=entry.section) if entry.section else None
    clue = not entry.section
    return matter_register(
        actor=_handler(ctx, entry),
        data={
            "body": ctx.county,
            "kind": Matter.Kind.CLUE if clue else Matter.Kind.COMPLAINT,
            "source": entry.source,
            "route": Matter.Route.DISCIPLINE if clue else Matter.Route.SECTION,
            "section": section,
            "enterprise": None,
            "subject": entry.subject,
            "description": entry.description,
            "anonymous": entry.anonymous,
            "complainant": "" if entry.anonymous else "王先生",
            "complainant_contact": "" if entry.anonymous else "13800000000",
            "received_on": received,
        },
    )


def _handle(ctx: DemoContext, entry: Entered, matter: Matter, received: date) -> None:
    if entry.state == "received":
        return
    handler = _handler(ctx, entry)
    accepted = received + timedelta(days=2)
    matter = matter_accept(actor=handler, matter=matter, today=accepted)
    if entry.section:
        owner = User.objects.filter(section=matter.section, is_active=True).order_by("pk").first()
        if owner is not None:
            matter = matter_assign(actor=handler, matter=matter, owner=owner)
    if entry.state == "accepted":
        return
    replied = accepted + timedelta(days=10)
    matter = matter_answer(
        actor=handler,
        matter=matter,
        outcome="经现场核查，反映情况部分属实，已责令企业限期整改。",
        reply="您反映的问题已核查处理，企业已按要求整改，感谢您的监督。",
        today=replied,
    )
    if entry.state == "closed":
        matter_close(
            actor=handler,
            matter=matter,
            ground="",
            satisfaction=entry.satisfaction,
            today=replied + timedelta(days=3),
        )


def load_matters(ctx: DemoContext) -> None:
    """The portal's complaints and the contact points' reports collected, then the matters
    entered by hand."""
    matters_collect(today=ctx.today, now=aware(ctx.today, 7))
    for entry in ENTERED:
        received = (
            _amber_day(ctx.today)
            if entry.days_ago < 0
            else ctx.today - timedelta(days=entry.days_ago)
        )
        _handle(ctx, entry, _register(ctx, entry, received), received)


# --- the leadership group's meetings --------------------------------------------------------

ATTENDEES = "局长、分管副局长，办公室、法制办、各业务股室负责人，派驻纪检监察组"
DECISIONS = (
    (
        "逐件梳理，明确责任股室和办结时限，下次会议通报办理情况。",
        "hazchem",
        "对危化企业重复检查问题开展自查，形成自查报告",
    ),
    (
        "由法制办牵头答复，相关股室配合说明情况。",
        "legal",
        "完成联系点预警的核实和答复，建立预警台账",
    ),
)


def _first_meeting(ctx: DemoContext, day: date) -> None:
    office = ctx.users["office"]
    meeting = meeting_create(
        actor=office,
        body=ctx.county,
        title=f"{day:%Y年%m月}安全生产执法监督会商研判会",
        held_on=day,
        place="局三楼会议室",
        chair="局长",
        attendees=ATTENDEES,
    )
    items = agenda_assemble(actor=office, meeting=meeting, today=day)
    actions = []
    for item, (decision, owner, action_text) in zip(items, DECISIONS, strict=False):
        agenda_item_minutes(
            actor=office,
            item=item,
            discussion="会议听取了情况汇报，逐项进行了研究。",
            decision=decision,
        )
        actions.append(
            action_item_create(
                actor=office,
                item=item,
                text=action_text,
                owner=ctx.users[owner],
                section=None,
                due_on=day + timedelta(days=14),
            )
        )
    meeting_hold(actor=office, meeting=meeting, now=aware(day, 11))
    meeting_minutes_issue(actor=office, meeting=meeting, now=aware(day + timedelta(days=1), 15))
    if actions:  # the first is done, the second still open
        done = actions[0]
        action_item_report(
            actor=done.owner,
            action=done,
            done_on=day + timedelta(days=10),
            report="已完成自查，形成自查报告报局领导。",
            today=day + timedelta(days=10),
        )


def load_meetings(ctx: DemoContext) -> None:
    """The first meeting five weeks ago, held, its minutes issued; the next one planned for
    later this week, its agenda assembled (carrying the open action item)."""
    office = ctx.users["office"]
    _first_meeting(ctx, ctx.today - timedelta(days=35))
    day = ctx.today + timedelta(days=3)
    meeting = meeting_create(
        actor=office,
        body=ctx.county,
        title=f"{day:%Y年%m月}安全生产执法监督会商研判会",
        held_on=day,
        place="局三楼会议室",
        chair="局长",
        attendees=ATTENDEES,
    )
    agenda_assemble(actor=office, meeting=meeting, today=ctx.today)
