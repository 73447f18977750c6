"""The annual plan on paper: the request to the county government (请示) as a 公文 Word file, and
the list of enterprises with their planned months as the Excel annex."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from anjian.accounts.models import User
from anjian.documents.models import IssuedDocument
from anjian.documents.services import DocumentError, document_correct, document_for, document_issue
from anjian.domain.planning.annual import Budget
from anjian.domain.registry import SECTORS
from anjian.planning.models import AnnualPlan
from anjian.registry.spreadsheets import export_workbook
from anjian.ui.gongwen import OfficialDocument, document_filename, official_document_docx

REQUEST, ANNEX = "annual_plan_request", "annual_plan_annex"  # kinds in the register
HEAD_APPROVAL = "局领导审定，报县政府"  # the history step that sends the 请示 (planning.annual)

ANNEX_HEADERS = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "行业领域",
    "重点企业",
    "重点原因",
    "年度频次上限",
    "计划检查次数",
    "计划月份",
]


def annex_title(plan: AnnualPlan) -> str:
    return f"{plan.year}年度监督检查计划企业名单"


def request_number(plan: AnnualPlan) -> str:
    """The 请示's number from the register of issued documents (文应急请〔2026〕1号), never a
    database id; "" while the plan is a draft."""
    issued = document_for(plan, REQUEST)
    return issued.number if issued is not None else ""


def annual_documents_issue(*, actor: User | None, plan: AnnualPlan, on: date) -> None:
    """Issue the 请示 (numbered 请) and the annex into the register once, when the head sends the
    plan to the county government; a plan that has them is left alone."""
    with transaction.atomic():
        if document_for(plan, REQUEST) is None:
            document_issue(
                actor=actor,
                body=plan.body,
                kind=REQUEST,
                subject=plan,
                on=on,
                render=lambda stamp: annual_plan_docx(plan, number=stamp.number),
            )
        if document_for(plan, ANNEX) is None:
            document_issue(
                actor=actor,
                body=plan.body,
                kind=ANNEX,
                subject=plan,
                on=on,
                render=lambda stamp: annual_plan_annex(plan),
            )


def annual_plan_document_correct(
    *, actor: User, plan: AnnualPlan, kind: str, reason: str
) -> IssuedDocument:
    """更正 the issued 请示 or annex: a new version with the same number and the reason."""
    issued = document_for(plan, kind) if kind in (REQUEST, ANNEX) else None
    if issued is None:
        raise DocumentError("该文书尚未签发，不能更正。")
    if kind == REQUEST:
        return document_correct(
            actor=actor,
            document=issued,
            reason=reason,
            render=lambda stamp: annual_plan_docx(plan, number=stamp.number),
        )
    return document_correct(
        actor=actor, document=issued, reason=reason, render=lambda stamp: annual_plan_annex(plan)
    )


def government_of(plan: AnnualPlan) -> str:
    name = plan.body.name
    return name.replace("应急管理局", "人民政府") if "应急管理局" in name else "本级人民政府"


def request_title(plan: AnnualPlan) -> str:
    return f"关于报请审批{plan.year}年度监督检查计划的请示"


def request_filename(plan: AnnualPlan, number: str = "") -> str:
    """The 请示's file name: its number and its title (the title alone for a draft)."""
    return document_filename(number or request_number(plan), request_title(plan))


def _head_approval(plan: AnnualPlan) -> tuple[str, date | None]:
    """Who signed the 请示 off (签发人) and on which day: the bureau head's step that sent it
    to the government; ("", None) while it has not been sent."""
    for step in reversed(plan.history):
        if step.get("action") == HEAD_APPROVAL:
            return step.get("by", ""), datetime.strptime(step["at"][:10], "%Y-%m-%d").date()
    return "", None


def _contact(plan: AnnualPlan) -> str:
    """附注: the plan's author and the body's phone (请示 name a contact, GB/T 9704 7.3.6)."""
    author = plan.created_by.display_name or plan.created_by.username
    phone = f"　联系电话：{plan.body.phone}" if plan.body.phone else ""
    return f"联系人：{author}{phone}"


def annual_plan_docx(plan: AnnualPlan, number: str = "", today: date | None = None) -> bytes:
    """The 请示 to the government, numbered `number` (the document register's; `request_number`
    when not given), signed off by and dated the day of the bureau head's step that sent it
    (`today` for a draft)."""
    lines = list(plan.lines.select_related("enterprise"))
    planned = [line for line in lines if line.months]
    key = [line for line in lines if line.key]
    total = sum(len(line.months) for line in lines)
    per_month = Counter(m for line in lines for m in line.months)
    by_sector = Counter(line.enterprise.sector for line in planned)
    sectors = "、".join(f"{SECTORS.get(s, s)}{n}家" for s, n in by_sector.most_common())
    government = government_of(plan)
    per_inspection = Budget(plan.officers, plan.working_days, 0).officers_per_inspection
    paragraphs = [
        "根据我局年度工作方案关于按照分类分级原则制定年度监督检查计划、"
        f"报{government}批准后实施的要求，我局编制了{plan.year}年度监督检查计划，"
        "现将有关情况报告如下。",
        f"一、计划范围。我局负责监管的在产企业{len(lines)}家，列入本年度检查计划{len(planned)}家"
        f"（{sectors or '无'}），全年计划检查{total}次。"
        f"其中重点企业（煤矿、非煤矿山和高危行业企业）{len(key)}家，每家每年至少检查一次；各企业检查次数均不超过其年度入企频次上限，"
        f"一般企业在预算内以随机方式抽取。",
        f"二、人员与工作量。我局现有持证执法人员{plan.officers}人，全年工作日{plan.working_days}天，"
        f"按{plan.share:.0%}的工作日用于监督检查、每次检查{per_inspection}名执法人员计，全年可安排检查{plan.budget}次，"
        f"本计划工作日利用率为{plan.utilisation:.0%}。",
        "三、时间安排。检查避开每月企业安静期，尽量合并同一企业的多项检查，各月检查次数见下表。",
        "妥否，请批示。",
    ]
    table = (
        ["月份", *[f"{m}月" for m in range(1, 13)]],
        [["检查次数", *[str(per_month.get(m, 0)) for m in range(1, 13)]]],
    )
    signer, sent_on = _head_approval(plan)
    return official_document_docx(
        OfficialDocument(
            issuing_body=plan.body.name,
            document_number=number or request_number(plan),
            title=request_title(plan),
            recipient=government,
            paragraphs=paragraphs[:4],
            issued_on=sent_on or today or timezone.localdate(),
            table=table,
            table_caption=f"{plan.year}年度监督检查计划月度分布",
            attachments=(f"{annex_title(plan)}（Excel）",),
            closing=paragraphs[4:],
            signer=signer,
            note=_contact(plan),
        )
    )


def annual_plan_annex(plan: AnnualPlan) -> bytes:
    rows = [
        [
            n,
            line.enterprise.name,
            line.enterprise.uscc,
            SECTORS.get(line.enterprise.sector, line.enterprise.sector),
            "是" if line.key else "否",
            line.key_reason,
            line.cap,
            len(line.months),
            "、".join(f"{m}月" for m in line.months) or "—",
        ]
        for n, line in enumerate(plan.lines.select_related("enterprise"), start=1)
    ]
    return export_workbook(annex_title(plan), ANNEX_HEADERS, rows)
