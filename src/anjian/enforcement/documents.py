"""The penalty documents as Word files, written from the case when downloaded: 立案审批表,
行政处罚告知书, 听证告知书, 行政处罚决定书 and 不予行政处罚决定书. The layout is
`anjian.ui.gongwen`'s enforcement form; this module only says what each one states (the elements
of 行政处罚法第四十四条、第五十九条、第六十四条)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from django.http import HttpResponse

from anjian.domain.discretion.deadlines import (
    DEFENCE_WORKING_DAYS,
    HEARING_REQUEST_WORKING_DAYS,
    LATE_FEE_PERCENT_PER_DAY,
    PAYMENT_DAYS,
)
from anjian.domain.discretion.lists import AGGRAVATING, MITIGATING
from anjian.domain.discretion.statute import chinese_number
from anjian.enforcement.decision_text import (
    breach_text,
    contact_text,
    deviation_text,
    facts_text,
    hearing_text,
    overdue_text,
    payment_text,
    record_of,
)
from anjian.enforcement.models import CaseDocument, PenaltyCase
from anjian.enforcement.selectors import decided_persons, decided_text, person_label, proposed_text
from anjian.inspections.models import InspectionDocument
from anjian.ui.gongwen import chinese_date, sentence
from anjian.ui.gongwen_forms import EnforcementDocument, enforcement_document_docx
from anjian.ui.pages import attachment

NO_PENALTY_BASIS = "《中华人民共和国行政处罚法》第三十三条第一款"


def _case(document: CaseDocument) -> PenaltyCase:
    """The case as it is now in the database."""
    case: PenaltyCase = PenaltyCase.objects.select_related(
        "enterprise", "body", "section", "benchmark"
    ).get(pk=document.case_id)
    return case


def _form(document: CaseDocument) -> EnforcementDocument:
    return EnforcementDocument(
        issuing_body=document.body.name,
        title=document.get_kind_display(),
        document_number=document.number,
        issued_on=document.issued_on,
    )


def _party(case: PenaltyCase, *, unfined: bool = False) -> list[tuple[str, str]]:
    """The party, and each fined person by name and post (the decision's, else the proposal's)."""
    enterprise = case.enterprise
    fields = [
        ("当事人", enterprise.name),
        ("地址", enterprise.address),
        ("法定代表人（负责人）", enterprise.legal_representative),
        ("统一社会信用代码", enterprise.uscc),
    ]
    persons = decided_persons(case) if case.decided_on else case.proposed_persons
    for person in persons:
        if person.get("fine") or (unfined and person.get("name")):
            fields.append(("直接责任人员", person_label(person).removeprefix("直接责任人员")))
    return fields


def _number(case: PenaltyCase, kind: str) -> str:
    found = case.documents.filter(kind=kind).order_by("-pk").first()
    return found.number if found else ""


def _evidence(case: PenaltyCase) -> list[str]:
    """The evidence: the inspection's documents behind the findings, then the case's own."""
    tasks = {h.task_id for h in case.findings.all()}
    items = [
        f"{d.get_kind_display()}（{d.number}）"
        for d in InspectionDocument.objects.filter(task_id__in=tasks)
        .exclude(kind=InspectionDocument.Kind.NOTICE)
        .order_by("issued_on", "pk")
    ]
    items += [f"{e.get_kind_display()}：{e.description}" for e in case.evidence.all()]
    if not items:
        return []
    lines = [f"{n}．{text.rstrip('。')}；" for n, text in enumerate(items, start=1)]
    lines[-1] = lines[-1].rstrip("；") + "。"
    return ["以上事实有下列证据证明：", *lines]


def _obligations(case: PenaltyCase) -> str:
    found = dict.fromkeys(h.legal_basis for h in case.findings.all() if h.legal_basis)
    return "、".join(found)


def _basis(case: PenaltyCase) -> str:
    return str(record_of(case)["basis"])


def _benchmark(case: PenaltyCase) -> str:
    """The adopted benchmark's citation; a version not adopted is never cited."""
    cited = record_of(case).get("benchmark")
    return f"，参照{cited}的裁量标准" if cited else ""


def _circumstances(case: PenaltyCase) -> str:
    facts = case.facts or {}
    if case.disposition == "lenient" and facts.get("mitigating"):
        grounds = "、".join(MITIGATING.get(c, c) for c in facts["mitigating"])
        return f"鉴于你单位{grounds}，依法从轻处罚，"
    if case.disposition == "aggravated" and facts.get("aggravating"):
        grounds = "、".join(AGGRAVATING.get(c, c) for c in facts["aggravating"])
        return f"鉴于你单位{grounds}，依法从重处罚，"
    return ""


def _grounds(case: PenaltyCase, penalty: str, verb: str) -> str:
    """你单位的上述行为违反了…的规定，依据…的规定，参照…，本机关拟/决定对你单位作出…"""
    broke = breach_text(case, record_of(case), _obligations(case))
    return (
        f"你单位的上述行为{broke}{_circumstances(case)}依据{_basis(case)}的规定"
        f"{_benchmark(case)}，本机关{verb}作出如下行政处罚：{penalty}。{deviation_text(case)}"
    )


def _no_penalty_grounds(case: PenaltyCase, verb: str) -> str:
    reasons = [
        r["message"]
        for r in (case.suggestion or {}).get("reasons", [])
        if r["code"] in ("FIRST_OFFENSE", "NO_PENALTY_LIST", "TIME_BARRED")
    ]
    why = "；".join(reasons) or "初次违法且危害后果轻微并及时改正"
    broke = breach_text(case, record_of(case), _obligations(case)).removeprefix("构成违法，")
    return (
        f"你单位的上述行为{broke}鉴于{why.rstrip('。')}，依据{NO_PENALTY_BASIS}的规定，"
        f"本机关{verb}对你单位不予行政处罚。"
    )


def _facts(case: PenaltyCase) -> list[str]:
    record = record_of(case)
    overdue = overdue_text(record)
    return [facts_text(case, record), *([overdue] if overdue else [])]


def _defence_right() -> str:
    return (
        "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你单位有权进行陈述和申辩，"
        f"可以在收到本告知书之日起{chinese_number(str(DEFENCE_WORKING_DAYS))}个工作日内"
        "向本机关提出陈述、申辩意见；逾期未提出的，视为放弃此权利。"
    )


def _hearing_right() -> str:
    days = chinese_number(str(HEARING_REQUEST_WORKING_DAYS))
    return (
        "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你单位有权要求举行听证。"
        f"你单位要求听证的，应当在收到本告知书之日起{days}个工作日内向本机关提出；"
        "逾期未提出的，视为放弃此权利。"
    )


def _receipt() -> str:
    return "当事人（签收）：　　　　　　　　年　　月　　日"


def _review_rights(case: PenaltyCase) -> str:
    body = case.body.name
    government = (
        body.removesuffix("应急管理局") + "人民政府"
        if body.endswith("应急管理局")
        else "本级人民政府"
    )
    return (
        f"你单位如不服本决定，可以自收到本决定书之日起六十日内依法向{government}申请行政复议，"
        "或者在六个月内依法向人民法院提起行政诉讼。行政复议或者行政诉讼期间，本决定不停止执行，"
        "法律另有规定的除外。"
    )


# --- 行政处罚告知书、听证告知书 -------------------------------------------------------------------


def _notice(document: CaseDocument) -> EnforcementDocument:
    case = _case(document)
    if case.no_penalty:
        grounds = _no_penalty_grounds(case, "拟")
    else:
        grounds = _grounds(case, proposed_text(case), "拟")
    rights = [_defence_right(), *([_hearing_right()] if case.hearing_right else [])]
    return replace(
        _form(document),
        fields=_party(case),
        paragraphs=[*_facts(case), *_evidence(case), grounds, *rights],
        signatures=[_receipt()],
    )


def _hearing(document: CaseDocument) -> EnforcementDocument:
    case = _case(document)
    notice = _number(case, CaseDocument.Kind.NOTICE)
    return replace(
        _form(document),
        fields=_party(case),
        paragraphs=[
            f"本机关已以《行政处罚告知书》（{notice}）告知你单位拟作出的行政处罚及其事实、理由和"
            f"依据。本机关拟对你单位作出如下行政处罚：{proposed_text(case)}。",
            _hearing_right(),
            "听证由本机关指定的非本案调查人员主持；你单位认为主持人与本案有直接利害关系的，"
            "有权申请回避。你单位可以亲自参加听证，也可以委托一至二人代理；当事人不承担听证的"
            "费用。本机关将在举行听证的七日前通知你单位听证的时间、地点。",
        ],
        signatures=[_receipt()],
    )


# --- 行政处罚决定书、不予行政处罚决定书 ---------------------------------------------------------


def _procedure(case: PenaltyCase) -> list[str]:
    notice = _number(case, CaseDocument.Kind.NOTICE)
    if case.notified_on is None:
        return []
    rights = "陈述、申辩和要求听证" if case.hearing_right else "陈述、申辩"
    lines = [
        f"本机关于{chinese_date(case.notified_on)}向你单位送达了《行政处罚告知书》（{notice}），"
        f"告知你单位拟作出行政处罚的事实、理由、依据及依法享有的{rights}的权利。"
    ]
    waived = case.steps.filter(event="record_defence", data__waived=True).exists()
    if case.defence_text:
        lines.append(f"你单位提出了陈述、申辩意见：{sentence(case.defence_text)}本机关进行了复核。")
    elif waived:
        lines.append("你单位明确表示放弃陈述、申辩的权利。")
    else:
        lines.append("你单位在规定期限内未提出陈述、申辩意见。")
    hearing = hearing_text(case)
    return [*lines, *([hearing] if hearing else [])]


def _payment(case: PenaltyCase) -> list[str]:
    """Who pays what, where, by when, and the late fee (第六十七条、第七十二条)."""
    fines = list(case.fines.all())
    if not fines:
        return []
    each = "；".join(f"{f.name}缴纳罚款人民币{f.amount:,}元" for f in fines)
    separately = "，各自分别缴纳" if len(fines) > 1 else ""
    return [
        f"{each}{separately}。罚款自收到本决定书之日起{chinese_number(str(PAYMENT_DAYS))}日内缴纳。"
        f"{payment_text(record_of(case))}",
        "到期不缴纳罚款的，依据《中华人民共和国行政处罚法》第七十二条第一款第一项的规定，每日按"
        f"罚款数额的百分之{chinese_number(str(LATE_FEE_PERCENT_PER_DAY))}加处罚款，加处罚款的数额"
        "不超出罚款的数额。",
    ]


def _enforcement_warning() -> str:
    return (
        "你单位逾期不申请行政复议、不提起行政诉讼，又不履行本决定的，本机关将依法申请人民法院"
        "强制执行。"
    )


def _decision(document: CaseDocument) -> EnforcementDocument:
    case = _case(document)
    return replace(
        _form(document),
        fields=_party(case),
        paragraphs=[
            *_facts(case),
            *_evidence(case),
            *_procedure(case),
            _grounds(case, decided_text(case), "决定"),
            *_payment(case),
            _review_rights(case),
            _enforcement_warning(),
            *_contact(case),
        ],
    )


def _contact(case: PenaltyCase) -> list[str]:
    text = contact_text(record_of(case))
    return [text] if text else []


def _no_penalty(document: CaseDocument) -> EnforcementDocument:
    case = _case(document)
    return replace(
        _form(document),
        fields=_party(case),
        paragraphs=[
            *_facts(case),
            *_evidence(case),
            *_procedure(case),
            _no_penalty_grounds(case, "决定"),
            "你单位应当引以为戒，认真落实安全生产主体责任，依法依规从事生产经营活动。",
            _review_rights(case),
            *_contact(case),
        ],
    )


# --- 送达回证 -------------------------------------------------------------------------------------


def _service_receipt(document: CaseDocument) -> EnforcementDocument:
    """送达回证: its own document — what is served, on whom, and the receipt to sign."""
    case = _case(document)
    served = [
        d
        for d in case.documents.filter(issued_on=document.issued_on).order_by("pk")
        if d.kind in (CaseDocument.Kind.DECISION, CaseDocument.Kind.NO_PENALTY)
    ]
    names = "、".join(f"《{d.get_kind_display()}》（{d.number}）" for d in served)
    return replace(
        _form(document),
        fields=[
            ("送达文书", names),
            ("受送达人", case.enterprise.name),
            ("送达地点", case.enterprise.address),
            ("送达方式", ""),
        ],
        paragraphs=[],
        signatures=[
            "受送达人（签名或盖章）：　　　　　　　　年　　月　　日",
            "代收人及代收理由：　　　　　　　　　　　年　　月　　日",
            "送达人（签名）：　　　　　　　　　　　　年　　月　　日",
            "见证人（受送达人拒绝签收时）：　　　　　年　　月　　日",
        ],
    )


# --- 立案审批表 -----------------------------------------------------------------------------------


def _filing(document: CaseDocument) -> EnforcementDocument:
    case = _case(document)
    officers = "、".join(f"{o.name}（执法证号：{o.certificate_no}）" for o in case.officers.all())
    section = case.section.name if case.section else ""
    return replace(
        _form(document),
        fields=[
            ("案由", case.title),
            ("案件来源", case.get_source_display()),
            *_party(case, unfined=True),
            ("立案依据", _basis(case)),
            ("立案日期", chinese_date(case.filed_on)),
            ("承办股室", section),
            ("承办人员", officers),
        ],
        paragraphs=[f"简要案情：{sentence(case.facts_text) if case.facts_text else ''}"],
        signatures=[
            "承办人员意见：　　　　　　　　　　签名：　　　　年　　月　　日",
            "负责人审批意见：　　　　　　　　　签名：　　　　年　　月　　日",
        ],
        seal=False,
    )


BUILDERS: dict[str, Callable[[CaseDocument], EnforcementDocument]] = {
    CaseDocument.Kind.FILING: _filing,
    CaseDocument.Kind.NOTICE: _notice,
    CaseDocument.Kind.HEARING: _hearing,
    CaseDocument.Kind.DECISION: _decision,
    CaseDocument.Kind.NO_PENALTY: _no_penalty,
    CaseDocument.Kind.SERVICE: _service_receipt,
}


def case_document_filename(document: CaseDocument) -> str:
    return f"{document.get_kind_display()}-{document.number}.docx"


def case_document_docx(document: CaseDocument) -> tuple[str, bytes]:
    """The document as (file name, .docx bytes), written from the case as it is now."""
    form = BUILDERS[document.kind](document)
    return case_document_filename(document), enforcement_document_docx(form)


def case_document_response(document: CaseDocument) -> HttpResponse:
    filename, content = case_document_docx(document)
    return attachment(content, filename)
