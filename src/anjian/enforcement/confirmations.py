"""What each step of a case asks before it is taken (`data-confirm`, anjian.js): every step
changes the case for good (a numbered document, a state the procedure does not go back from),
so the question says what will happen to which case."""

from __future__ import annotations

from django.utils.translation import gettext as _

from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.selectors import proposed_text


def _what(event: str, case: PenaltyCase) -> str:
    penalty = proposed_text(case) if case.proposed_at else ""
    hearing = _("和《听证告知书》") if case.hearing_right else ""
    texts = {
        "submit_review": _(
            "提交法制审核：处罚意见（%(penalty)s）送法制机构审核，审核完成前不能送达告知书。"
        ),
        "approve_review": _("法制审核通过：同意处罚意见（%(penalty)s），承办人即可送达告知书。"),
        "reject_review": _("退回修改：案件回到“已拟处罚意见”，承办人须重新拟定处罚意见。"),
        "record_collective": _("记录集体讨论：记录后负责人可以作出决定。"),
        "notify": _(
            "送达告知书：生成并编号《行政处罚告知书》%(hearing)s，拟作出：%(penalty)s；编号后不能收回。"
        ),
        "record_defence": _("记录陈述申辩：当事人明确放弃的，陈述申辩期随即结束。"),
        "request_hearing": _("记录听证申请：案件进入听证程序，听证前不能作出决定。"),
        "hold_hearing": _("记录听证：处罚意见须重新法制审核并集体讨论。"),
        "decide": _("作出决定：生成并编号处罚决定书，决定内容：%(penalty)s；决定作出后不能撤回。"),
        "deliver": _("记录送达：生成送达回证，缴款期限自送达之日起算。"),
        "pay": _("登记缴款：按所填日期和金额记入罚款缴纳，登记后不能修改。"),
        "record_ground": _("登记结案依据：该笔罚款按所选依据视为办结。"),
        "close": _("结案：案件办结，此后不能再办理任何步骤。"),
        "drop": _("撤销案件：案件撤案且不能恢复，所涉问题可以重新立案。"),
    }
    return texts.get(event, "") % {"penalty": penalty or "—", "hearing": hearing}


def step_confirmation(event: str, case: PenaltyCase) -> str:
    """“案件 文水应急立〔2025〕1号 — 作出决定：…。确定吗？” ("" for a step that asks nothing)."""
    what = _what(event, case)
    if not what:
        return ""
    return _("案件 %(number)s — %(what)s确定吗？") % {"number": case.number, "what": what}
