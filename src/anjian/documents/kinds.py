"""Every kind of document the system issues: kind → (title, abbreviation in the number, numbered?).

The number reads {body prefix}{abbreviation}〔{year}〕{serial}号, e.g. 文应急检记〔2026〕12号.
A kind that is not numbered has no abbreviation and its documents carry no number. Penalty
kinds keep the codes of `CaseDocument.Kind`; an area that adds a kind adds one line here."""

from __future__ import annotations

from typing import NamedTuple


class DocumentKind(NamedTuple):
    title: str
    abbreviation: str
    numbered: bool


KINDS: dict[str, DocumentKind] = {
    # 检查文书 (inspections)
    "notice": DocumentKind("行政检查通知书", "检通", True),
    "record": DocumentKind("现场检查记录", "检记", True),
    "order": DocumentKind("责令限期整改指令书", "责改", True),
    "review": DocumentKind("整改复查意见书", "复查", True),
    "measure": DocumentKind("现场处理措施决定书", "现决", True),
    # 处罚文书 (enforcement), codes of CaseDocument.Kind
    "filing": DocumentKind("立案审批表", "立", True),
    "penalty_notice": DocumentKind("行政处罚告知书", "罚告", True),
    "hearing_notice": DocumentKind("听证告知书", "听告", True),
    "decision": DocumentKind("行政处罚决定书", "罚", True),
    "no_penalty": DocumentKind("不予行政处罚决定书", "不罚", True),
    "service_receipt": DocumentKind("送达回证", "送", True),
    # 安静期例外抄告 (policy)
    "quiet_exception_notice": DocumentKind("安静期例外入企抄告", "抄", True),
    # 年度检查计划 (planning)
    "annual_plan_request": DocumentKind("关于年度监督检查计划的请示", "请", True),
    "annual_plan_annex": DocumentKind("年度监督检查计划（附件）", "", False),
    # 培训机构 (training)
    "training_suspension_notice": DocumentKind("暂停培训业务告知书", "培告", True),
    "training_suspension_decision": DocumentKind("暂停培训业务决定书", "培停", True),
    # 专项工作 (steering): the weekly bulletin with its ledger annex, the closing evaluation
    "weekly_bulletin": DocumentKind("周调度通报", "调度", True),
    "weekly_ledger": DocumentKind("周调度台账（附件）", "", False),
    "campaign_evaluation": DocumentKind("专项工作总结评估报告", "评估", True),
    # 会商研判 (oversight): the leadership group's meeting minutes
    "meeting_minutes": DocumentKind("会议纪要", "纪要", True),
}

KIND_CHOICES: list[tuple[str, str]] = [(code, kind.title) for code, kind in KINDS.items()]


def kind_of(code: str) -> DocumentKind:
    """The kind's row; a clear error for a code nobody registered."""
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"未登记的文书种类：{code}") from None
