"""The notice copying an approved quiet-period exception to the justice bureau (抄告), as a Word
document in the official-document layout of GB/T 9704-2012 (`anjian.ui.gongwen` has the layout).
No Django is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from anjian.ui.gongwen import (
    CENTER,
    JUSTIFY,
    LEFT,
    RIGHT,
    OfficialDocument,
    chinese_date,
    official_document_docx,
    sentence,
)


@dataclass(frozen=True)
class QuietExceptionNotice:
    issuing_body: str  # 文水县应急管理局
    recipient: str  # 文水县司法局
    document_number: str  # 文应急抄〔2025〕3号
    enterprise_name: str
    enterprise_uscc: str
    entry_date: date
    activity_label: str  # 执法检查
    section_name: str  # the requesting section, 危化股
    reason: str  # the exceptional circumstance (特殊情形), free text
    quiet_days_label: str  # 2025年6月1日至10日、20日至29日
    requested_by: str
    approved_by: str  # the bureau head
    approved_on: date
    issued_on: date
    basis: str  # the work-plan clause
    contact: str = ""  # contact person and phone
    copy_to: str = ""  # 抄送 line of the 版记, e.g. 派驻纪检监察组
    # "prior": approved before the entry (事前审批); "backfill": the officers entered first on an
    # emergency ground and the head approved afterwards (事后补批).
    timing: str = "prior"
    emergency_ground: str = ""  # 生产安全事故 … (back-fill only)
    ground_recorded_on: date | None = None  # the day the ground was recorded (back-fill only)


def notice_title(notice: QuietExceptionNotice) -> str:
    if notice.timing == "backfill":
        return f"关于安静期内紧急情形先行入企{notice.activity_label}事后补批的抄告"
    return f"关于安静期内特殊情形入企{notice.activity_label}的抄告"


def _request_paragraphs(notice: QuietExceptionNotice) -> list[str]:
    """Who asked for what, and when the head approved it: beforehand, or afterwards for an entry
    made first on an emergency ground (the notice must not read as prior approval then)."""
    requester = f"我局{notice.section_name}{notice.requested_by}"
    place = f"{notice.enterprise_name}（统一社会信用代码：{notice.enterprise_uscc}）"
    approver = f"我局主要负责人{notice.approved_by}"
    if notice.timing == "backfill":
        recorded = chinese_date(notice.ground_recorded_on or notice.entry_date)
        return [
            f"{requester}因{notice.emergency_ground}，于{chinese_date(notice.entry_date)}先行进入"
            f"{place}开展{notice.activity_label}，该日属于企业安静期，入企前未经主要负责人批准。"
            f"紧急事由已于{recorded}登记：{sentence(notice.reason)}",
            f"该次入企已于{chinese_date(notice.approved_on)}经{approver}事后补批"
            "（非事前批准）。现将有关情况抄告你局，请予监督。",
        ]
    return [
        f"{requester}申请于{chinese_date(notice.entry_date)}进入{place}开展"
        f"{notice.activity_label}，该日属于企业安静期。申请所述特殊情形为：{sentence(notice.reason)}",
        f"该事项已于{chinese_date(notice.approved_on)}经{approver}批准，系入企之前的事前批准。"
        "现将有关情况抄告你局，请予监督。",
    ]


def _body_text(notice: QuietExceptionNotice) -> list[str]:
    paragraphs = [
        f"根据{notice.basis}，我局每月设置不少于10日的企业安静期，"
        f"{notice.quiet_days_label}为企业安静期。安静期内，除督导检查、调查核实、考核巡查等需要依法入企"
        "检查的情形外，不进入企业开展执法检查、帮扶指导、调查研究；确有特殊情形需要开展的，"
        "须经本单位主要负责人批准，并抄告同级司法行政机关。",
        *_request_paragraphs(notice),
    ]
    if notice.contact:
        paragraphs.append(f"联系人及电话：{sentence(notice.contact)}")
    return paragraphs


def quiet_exception_notice_docx(notice: QuietExceptionNotice) -> bytes:
    """The 抄告 notice of an approved quiet-period exception, as .docx bytes."""
    return official_document_docx(
        OfficialDocument(
            issuing_body=notice.issuing_body,
            document_number=notice.document_number,
            title=notice_title(notice),
            recipient=notice.recipient,
            paragraphs=_body_text(notice),
            issued_on=notice.issued_on,
            copy_to=notice.copy_to,
        )
    )


__all__ = [
    "CENTER",
    "JUSTIFY",
    "LEFT",
    "RIGHT",
    "QuietExceptionNotice",
    "chinese_date",
    "notice_title",
    "quiet_exception_notice_docx",
]
