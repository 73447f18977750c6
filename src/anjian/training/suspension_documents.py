"""The two documents of a suspension, as enforcement forms (`ui.gongwen_forms`), issued through the
register of issued documents (`anjian.documents`): the notice (暂停培训业务告知书 — facts found, the
intended measure and its basis, the right to state a case within the time limit) and the decision
(暂停培训业务决定书 — the facts, the notice, the statement and the bureau's answer, the grounds, the
period, and the remedies). The register numbers them (文应急培告〔2026〕1号, 文应急培停〔2026〕1号)
and keeps the exact bytes; a download serves those bytes.

Decisions taken before the procedure was recorded (`Suspension.legacy`) have a typed number and no
register entry: their decision is written from the record when downloaded."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse

from anjian.documents.kinds import kind_of
from anjian.documents.models import IssuedDocument
from anjian.documents.services import DocumentStamp, document_for, document_issue, document_response
from anjian.domain.training.suspension import (
    SuspensionPolicy,
    chinese_count,
    proposal_text,
    reconsideration_body,
)
from anjian.policy_data.training.suspension import shipped_suspension_policy
from anjian.training.models.institutions import StatementSource, Suspension
from anjian.ui.gongwen import chinese_date, sentence
from anjian.ui.gongwen_forms import EnforcementDocument, enforcement_document_docx
from anjian.ui.pages import attachment

NOTICE = "training_suspension_notice"
DECISION = "training_suspension_decision"
RECEIPT = "当事人（签收）：　　　　　　　　　　年　　月　　日"


def _party(suspension: Suspension) -> list[tuple[str, str]]:
    institution = suspension.institution
    contact = "　".join(part for part in (institution.contact, institution.phone) if part)
    return [
        ("当事人", institution.name),
        ("统一社会信用代码", institution.uscc),
        ("地址", institution.address or "—"),
        ("联系人及电话", contact or "—"),
    ]


def facts_paragraphs(suspension: Suspension) -> list[str]:
    """What the spot check found, then the facts and reasons the bureau wrote."""
    paragraphs = []
    check = suspension.spot_check
    if check is not None:
        where = f"举办的“{check.training_class.title}”培训班" if check.training_class else ""
        found = "；".join(
            line.strip().rstrip("。；") for line in check.findings.splitlines() if line.strip()
        )
        paragraphs.append(
            f"{chinese_date(check.checked_on)}，我局对你单位{where}进行现场抽查，发现以下问题："
            f"{sentence(found or check.get_outcome_display())}"
        )
    paragraphs.append(f"经查，{sentence(suspension.reason)}")
    return paragraphs


def _contact(suspension: Suspension) -> list[str]:
    body = suspension.institution.body
    parts = [
        f"地址：{body.address}" if body.address else "",
        f"电话：{body.phone}" if body.phone else "",
    ]
    line = "　".join(part for part in parts if part)
    return [f"联系机关：{body.name}　{line}"] if line else []


def notice_form(
    suspension: Suspension, stamp: DocumentStamp, policy: SuspensionPolicy
) -> EnforcementDocument:
    days = chinese_count(policy.defence_working_days)
    return EnforcementDocument(
        issuing_body=suspension.institution.body.name,
        title=stamp.title,
        document_number=stamp.number,
        issued_on=stamp.issued_on,
        fields=_party(suspension),
        paragraphs=[
            *facts_paragraphs(suspension),
            f"依据{policy.grounds_text}，我局拟对你单位作出如下决定："
            f"{proposal_text(suspension.proposed_months)}。",
            f"你单位对上述拟作出的决定享有陈述、申辩的权利，可以自收到本告知书之日起{days}个工作日内"
            "通过本系统培训机构端提交陈述、申辩意见，或者以书面形式向我局提出；逾期未提出的，"
            "视为放弃陈述、申辩的权利。我局将对你单位提出的事实、理由和证据进行复核，"
            "成立的予以采纳，不因你单位陈述、申辩而加重处理。",
            *_contact(suspension),
        ],
        signatures=[RECEIPT],
    )


def _period_text(suspension: Suspension) -> str:
    assert suspension.starts_on is not None
    start = chinese_date(suspension.starts_on)
    if suspension.ends_on is None:
        return (
            f"自{start}起暂停你单位安全生产培训业务，"
            "待你单位整改完毕、经我局验收合格并书面决定恢复之日止"
        )
    return f"自{start}起至{chinese_date(suspension.ends_on)}止，暂停你单位安全生产培训业务"


def _notice_history(suspension: Suspension) -> list[str]:
    if suspension.legacy or suspension.notified_on is None:
        return []
    title = kind_of(NOTICE).title
    delivered = (
        f"，该告知书于{chinese_date(suspension.delivered_on)}送达你单位"
        if suspension.delivered_on
        else ""
    )
    return [
        f"{chinese_date(suspension.notified_on)}，我局作出《{title}》（{suspension.notice_number}），"
        f"告知你单位拟{proposal_text(suspension.proposed_months)}的事实、理由、依据和你单位依法享有的"
        f"陈述、申辩权利{delivered}。"
    ]


def statement_paragraphs(suspension: Suspension) -> list[str]:
    """The statement and the bureau's answer to it, or that none came within the limit."""
    source = suspension.statement_source
    if source == StatementSource.NONE:
        due = f"（{chinese_date(suspension.defence_due)}前）" if suspension.defence_due else ""
        return [f"你单位在规定期限内{due}未提出陈述、申辩意见。"]
    if source not in (StatementSource.PORTAL, StatementSource.PAPER):
        return []
    how = "通过本系统培训机构端" if source == StatementSource.PORTAL else "以书面形式"
    received = (
        chinese_date(suspension.statement_received_on) if suspension.statement_received_on else ""
    )
    return [
        f"你单位于{received}{how}提出陈述、申辩意见：{sentence(suspension.statement)}",
        f"经复核，{sentence(suspension.answer)}",
    ]


def remedies(suspension: Suspension, policy: SuspensionPolicy) -> str:
    government = reconsideration_body(suspension.institution.body.name)
    return (
        f"你单位如不服本决定，可以自收到本决定书之日起{chinese_count(policy.reconsideration_days)}日内"
        f"依法向{government}申请行政复议，或者在{chinese_count(policy.litigation_months)}个月内"
        "依法向人民法院提起行政诉讼。行政复议或者行政诉讼期间，本决定不停止执行，"
        "法律另有规定的除外。"
    )


def decision_form(
    suspension: Suspension, number: str, title: str, policy: SuspensionPolicy
) -> EnforcementDocument:
    assert suspension.decided_on is not None
    return EnforcementDocument(
        issuing_body=suspension.institution.body.name,
        title=title,
        document_number=number,
        issued_on=suspension.decided_on,
        fields=_party(suspension),
        paragraphs=[
            *facts_paragraphs(suspension),
            *_notice_history(suspension),
            *statement_paragraphs(suspension),
            f"依据{policy.grounds_text}，我局决定：{_period_text(suspension)}。",
            "暂停期间，你单位不得开班备案、招收学员或者开展安全生产培训活动，并应当对存在的问题"
            "认真整改，整改情况书面报告我局。",
            remedies(suspension, policy),
            *_contact(suspension),
        ],
        signatures=[RECEIPT],
    )


def issue_notice(*, actor: object, suspension: Suspension, on: date) -> IssuedDocument:
    """Numbers the notice in the register and keeps its bytes; call inside the service's
    transaction, after the suspension's notice fields are saved."""
    policy = shipped_suspension_policy()
    return document_issue(
        actor=actor,
        body=suspension.institution.body,
        kind=NOTICE,
        subject=suspension,
        on=on,
        render=lambda stamp: enforcement_document_docx(notice_form(suspension, stamp, policy)),
    )


def issue_decision(*, actor: object, suspension: Suspension, on: date) -> IssuedDocument:
    policy = shipped_suspension_policy()
    return document_issue(
        actor=actor,
        body=suspension.institution.body,
        kind=DECISION,
        subject=suspension,
        on=on,
        render=lambda stamp: enforcement_document_docx(
            decision_form(suspension, stamp.number, stamp.title, policy)
        ),
    )


def suspension_file(suspension: Suspension, kind: str) -> HttpResponse | None:
    """The issued document's frozen bytes; a legacy decision written from its record; None when
    there is no such document."""
    issued = document_for(suspension, kind)
    if issued is not None:
        return document_response(issued)
    if kind == DECISION and suspension.legacy:
        title = kind_of(DECISION).title
        form = decision_form(
            suspension, suspension.decision_number, title, shipped_suspension_policy()
        )
        content = enforcement_document_docx(form)
        return attachment(content, f"{suspension.decision_number}{title}.docx")
    return None
