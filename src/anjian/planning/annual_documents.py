"""The annual plan on paper: the request to the county government (请示) as a 公文 Word file, and
the list of enterprises with their planned months as the Excel annex."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from anjian.domain.registry import SECTORS
from anjian.planning.models import AnnualPlan
from anjian.registry.spreadsheets import export_workbook
from anjian.ui.gongwen import OfficialDocument, official_document_docx

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
    prefix = plan.body.name.removesuffix("应急管理局").rstrip("县市省") or plan.body.name
    return f"{prefix}应急请〔{plan.year}〕{plan.pk}号"


def government_of(plan: AnnualPlan) -> str:
    name = plan.body.name
    return name.replace("应急管理局", "人民政府") if "应急管理局" in name else "本级人民政府"


def annual_plan_docx(plan: AnnualPlan) -> bytes:
    lines = list(plan.lines.select_related("enterprise"))
    planned = [line for line in lines if line.months]
    key = [line for line in lines if line.key]
    total = sum(len(line.months) for line in lines)
    per_month = Counter(m for line in lines for m in line.months)
    by_sector = Counter(line.enterprise.sector for line in planned)
    sectors = "、".join(f"{SECTORS.get(s, s)}{n}家" for s, n in by_sector.most_common())
    paragraphs = [
        "根据我局年度工作方案关于按照分类分级原则制定年度监督检查计划、"
        f"报县人民政府批准后实施的要求，我局编制了{plan.year}年度监督检查计划，现将有关情况报告如下。",
        f"一、计划范围。我局负责监管的在产企业{len(lines)}家，列入本年度检查计划{len(planned)}家"
        f"（{sectors or '无'}），全年计划检查{total}次。"
        f"其中重点企业（煤矿、非煤矿山和高危行业企业）{len(key)}家，每家每年至少检查一次；各企业检查次数均不超过其年度入企频次上限，"
        f"一般企业在预算内以随机方式抽取。",
        f"二、人员与工作量。我局现有持证执法人员{plan.officers}人，全年工作日{plan.working_days}天，"
        f"按{plan.share:.0%}的工作日用于监督检查、每次检查2名执法人员计，全年可安排检查{plan.budget}次，"
        f"本计划工作日利用率为{plan.utilisation:.0%}。",
        "三、时间安排。检查避开每月企业安静期，尽量合并同一企业的多项检查，各月检查次数见下表。",
        "妥否，请批示。",
    ]
    table = (
        ["月份", *[f"{m}月" for m in range(1, 13)]],
        [["检查次数", *[str(per_month.get(m, 0)) for m in range(1, 13)]]],
    )
    issued = plan.approved_on or timezone.localdate()
    return official_document_docx(
        OfficialDocument(
            issuing_body=plan.body.name,
            document_number=request_number(plan),
            title=f"关于报请审批{plan.year}年度监督检查计划的请示",
            recipient=government_of(plan),
            paragraphs=paragraphs[:4],
            issued_on=issued,
            table=table,
            table_caption=f"{plan.year}年度监督检查计划月度分布",
            attachments=(f"{annex_title(plan)}（Excel）",),
            closing=paragraphs[4:],
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
