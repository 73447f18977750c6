"""The words of `domain.next_step`: who acts next and what, as a page shows it
("待局领导作出处罚决定", "待企业整改（宏达化工）"), with the due day and how near it is. The
adapters read the facts (`enforcement.next_steps` for cases, the template tags of
`core.templatetags.next_step` for every record); `core/_next_step.html` shows one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anjian.domain.next_step import NextStep

ACTORS: dict[str, Promise] = {
    "bureau_head": _("局领导"),
    "legal_office": _("法制办"),
    "handler": _("承办人员"),
    "enterprise": _("企业"),
    "requester": _("申请股室"),
}

ACTIONS: dict[str, Promise] = {
    # cases
    "propose": _("拟定处罚意见"),
    "review": _("法制审核"),
    "submit_review": _("提交法制审核"),
    "notify": _("送达行政处罚告知书"),
    "defence": _("陈述申辩"),
    "defence_or_hearing": _("陈述申辩或申请听证"),
    "hold_hearing": _("举行听证"),
    "collective": _("组织集体讨论"),
    "decide": _("作出处罚决定"),
    "deliver": _("送达处罚决定书"),
    "pay": _("缴纳罚款"),
    "close": _("结案"),
    # tasks and findings
    "approve_task": _("审批检查任务"),
    "check_in": _("亮码签到入企"),
    "finish": _("完成检查并签退"),
    "review_unplanned": _("审查未赋码入企"),
    "rectify": _("整改"),
    "check_fix": _("复查整改情况"),
    # exceptions
    "decide_exception": _("审批特殊情形入企"),
    "enter": _("按批准日期入企"),
}

FINISHED: dict[str, Promise] = {
    "closed": _("已结案"),
    "dropped": _("已撤销立案"),
    "done": _("已完成，无待办事项"),
    "refused": _("不予批准，无待办事项"),
    "cancelled": _("已撤销，无待办事项"),
    "on_spot": _("已当场整改"),
    "approved": _("已批准，入企日期已过"),
    "withdrawn": _("已撤回"),
}

SOON_DAYS = 3


@dataclass(frozen=True)
class NextStepView:
    text: str  # "待局领导作出处罚决定"
    actor: str  # the actor's code: "" when finished
    due: date | None
    days_left: int | None
    level: str  # "overdue", "soon", "" (in time or no deadline), "done"

    @property
    def done(self) -> bool:
        return self.level == "done"


def present(step: NextStep, today: date, party: str = "") -> NextStepView:
    """The sentence for `step`; `party` names the enterprise when it is the one to act."""
    if step.done:
        text = str(FINISHED.get(step.action, step.action))
        return NextStepView(text, "", None, None, "done")
    text = gettext("待%(actor)s%(action)s") % {
        "actor": ACTORS.get(step.actor, step.actor),
        "action": ACTIONS.get(step.action, step.action),
    }
    if step.actor == "enterprise" and party:
        text = gettext("%(text)s（%(party)s）") % {"text": text, "party": party}
    days_left = step.days_left(today)
    level = ""
    if days_left is not None:
        level = "overdue" if days_left < 0 else "soon" if days_left <= SOON_DAYS else ""
    return NextStepView(text, step.actor, step.due, days_left, level)
