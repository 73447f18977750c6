"""The five inspection documents as Word files, written from the records when downloaded: the
inspection notice (行政检查通知书), the on-site record (现场检查记录), the rectification order
(责令限期整改指令书), the review (整改复查意见书) and the on-site measure decision (现场处理措施
决定书). The layout is `anjian.ui.gongwen`'s; this module only says what each one states."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone

from anjian.domain.inspections import EVIDENCE_KINDS, ONSITE_MEASURES
from anjian.inspections.codes import printed_short_code, qr_png
from anjian.inspections.models import (
    Hazard,
    InspectionDocument,
    InspectionTask,
    RectificationOrder,
    RectificationReview,
    ReviewLine,
)
from anjian.policy.selectors import enterprise_year
from anjian.registry.models import Enterprise, Officer
from anjian.ui.gongwen import chinese_date, document_filename, sentence
from anjian.ui.gongwen_forms import EnforcementDocument, enforcement_document_docx
from anjian.ui.pages import attachment

LAW = "《中华人民共和国安全生产法》"
# 第六十五条第一款 (二) 当场纠正或者要求限期改正; (三) 事故隐患责令立即排除, 重大事故隐患撤人停产
ORDER_BASIS = f"{LAW}第六十五条第一款第（二）项"
MAJOR_BASIS = f"{LAW}第六十五条第一款第（二）项、第（三）项"
MEASURE_BASIS = f"{LAW}第六十五条第一款第（三）项"
RECORD_BASIS = f"{LAW}第六十八条"  # the written record of every inspection, signed by both


def _form(document: InspectionDocument) -> EnforcementDocument:
    return EnforcementDocument(
        issuing_body=document.body.name,
        title=document.get_kind_display(),
        document_number=document.number,
        issued_on=document.issued_on,
    )


def _task(document: InspectionDocument) -> InspectionTask:
    """The task as it is now in the database (a document fetched through a task's related
    manager would otherwise carry that possibly stale task object)."""
    task: InspectionTask = InspectionTask.objects.select_related(
        "body", "section", "enterprise"
    ).get(pk=document.task_id)
    return task


def _officers(officers: Iterable[Officer]) -> str:
    return "、".join(f"{o.name}（执法证号：{o.certificate_no}）" for o in officers)


def _officer_signatures(officers: Iterable[Officer], role: str = "检查人员") -> list[str]:
    return [f"{role}（签名）：{o.name}　执法证号：{o.certificate_no}" for o in officers]


def _enterprise_fields(enterprise: Enterprise, label: str = "被检查单位") -> list[tuple[str, str]]:
    return [(label, enterprise.name), ("地址", enterprise.address)]


def _representative(enterprise: Enterprise) -> str:
    phone = f"　电话：{enterprise.contact_phone}" if enterprise.contact_phone else ""
    return f"{enterprise.legal_representative}{phone}"


def _clock(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{chinese_date(local.date())}{local.hour}时{local.minute:02d}分"


def _review_rights(body: str, act: str = "本决定") -> str:
    """复议 (60 days) and 诉讼 (6 months) notice; the act stands meanwhile."""
    government = (
        body.removesuffix("应急管理局").removesuffix("应急管理厅") + "人民政府"
        if body.endswith(("应急管理局", "应急管理厅"))
        else "本级人民政府"
    )
    return (
        f"你单位如不服{act}，可以自收到本文书之日起六十日内依法向{government}申请行政复议，"
        "或者在六个月内依法向人民法院提起行政诉讼。"
        f"行政复议或者行政诉讼期间，{act}不停止执行，法律另有规定的除外。"
    )


SIGNATURE_WIDTH = 26  # characters of a signature line with its date, one line of the 版心
DATE_BLANKS = "年　　月　　日"


def _dated(text: str) -> str:
    """A signature line with the blank date flush right of it, on one line."""
    width = sum(1.0 if ord(char) > 0x2E7F else 0.5 for char in text)
    gap = max(2, int(SIGNATURE_WIDTH - width - len(DATE_BLANKS)))
    return f"{text}{'　' * gap}{DATE_BLANKS}"


def _receipt(role: str = "被检查单位负责人") -> str:
    return _dated(f"{role}（签收）：")


# --- 行政检查通知书 -------------------------------------------------------------------------------


def _notice_rights(task: InspectionTask) -> list[str]:
    body = task.body.name
    return [
        "你单位享有下列权利：",
        "（一）检查人员应当出示有效执法证件和本次检查的检查码。你单位可扫描二维码或输入核验码"
        "核验检查是否经批准登记；未出示有效执法证件或者检查码无效的，你单位有权拒绝检查。",
        "（二）你单位认为检查人员与本单位有直接利害关系或者其他关系可能影响公正检查的，"
        "有权申请其回避。",
        "（三）检查人员须遵守“五个严禁”纪律，不得逐利检查、干扰正常生产经营、任性处罚，"
        "不得接受宴请、馈赠，不得刻意要求法定代表人到场。",
        f"（四）对违法违纪行为，可在企业端投诉或向{body}、派驻纪检监察组举报，检查后可作评价。",
    ]


def _frequency(task: InspectionTask) -> list[tuple[str, str]]:
    """This year's use of the frequency cap, when a rule set is in force."""
    try:
        year = enterprise_year(task.enterprise, task.date)
    except LookupError:
        return []
    counts = year.counts
    return [
        (
            "年度检查频次",
            f"{counts.year}年度已计入{counts.entries}次，上限{counts.cap}次（{year.cap_label}）",
        )
    ]


def _verify_lines(task: InspectionTask, verify_url: str) -> list[str]:
    """Beside the QR: the short code to type, where to type it, the bureau's phone."""
    lines = [f"核验码：{printed_short_code(task)}"]
    if verify_url:
        page = verify_url.split("/verify/")[0] + "/verify/"
        lines += ["扫描二维码，或在以下网址输入核验码：", page]
    if task.body.phone:
        lines.append(f"{task.body.name}咨询电话：{task.body.phone}")
    return lines


LONG_ITEM_LIST = 6
"""More items than this are set in 小五 (9 pt), one line a row, so that the notice keeps to two
pages."""


def _short_basis(law: str, article: str) -> str:
    """The item's legal basis as a table cites it: 《安全生产法》第三十条 — the short title of a
    national law (without 中华人民共和国), as the notice's text gives the full title."""
    title = law.strip().strip("《》").removeprefix("中华人民共和国")
    return f"《{title}》{article}" if title else article


def _notice(document: InspectionDocument, verify_url: str) -> EnforcementDocument:
    task = _task(document)
    items = list(task.items.order_by("code"))
    intro = (
        "依据《中华人民共和国安全生产法》第六十五条的规定，经本机关负责人批准，"
        f"定于{chinese_date(task.date)}对你单位开展{task.get_activity_display()}"
        f"（{task.get_mode_display()}）。本次检查的事项及依据如下："
    )
    return replace(
        _form(document),
        fields=[
            *_enterprise_fields(task.enterprise),
            ("任务来源及事由", f"{task.get_source_display()}（{task.ground}）"),
            ("检查人员", _officers(task.officers.all())),
            *_frequency(task),
        ],
        paragraphs=[intro],
        table=(
            ["序号", "检查事项", "法律依据"],
            [
                [str(n), i.name, _short_basis(i.law, i.article)]
                for n, i in enumerate(items, start=1)
            ],
        ),
        table_widths=(1.15, 8.6, 5.25),  # an item's name and its basis each on one line
        table_size=12.0 if len(items) <= LONG_ITEM_LIST else 9.0,  # 小四, or 小五 for a long list
        closing=_notice_rights(task),
        qr_png=qr_png(verify_url) if verify_url else None,
        qr_caption="\n".join(_verify_lines(task, verify_url)),
        qr_beside=True,
        qr_first=True,
        signature_gap=0,
        seal_room=1,
        signatures=[_dated("被检查单位签收人（签名）：")],
    )


# --- 现场检查记录 ---------------------------------------------------------------------------------


def _inspection_time(task: InspectionTask) -> str:
    if not task.is_on_site or task.checked_in_at is None:
        return chinese_date(task.date)
    start = _clock(task.checked_in_at)
    if task.checked_out_at is None:
        return f"{start}起"
    end = timezone.localtime(task.checked_out_at)
    same_day = end.date() == timezone.localtime(task.checked_in_at).date()
    return f"{start}至{f'{end.hour}时{end.minute:02d}分' if same_day else _clock(end)}"


def _result_rows(task: InspectionTask) -> list[list[str]]:
    results = {r.item_id: r for r in task.results.all()}
    rows = []
    for n, item in enumerate(task.items.order_by("code"), start=1):
        result = results.get(item.pk)
        outcome = result.get_outcome_display() if result else "未记录"
        note = result.note if result else ""
        rows.append([str(n), item.name, f"{item.law}{item.article}", outcome, note])
    return rows


def _handling(hazard: Hazard) -> str:
    if hazard.status == Hazard.Status.ON_SPOT:
        return "已当场整改"
    parts = []
    if hazard.measure_document_id is not None:
        measure = ONSITE_MEASURES.get(hazard.onsite_measure, hazard.onsite_measure)
        parts.append(f"已采取现场处理措施：{measure}（{hazard.measure_document.number}）")
    if hazard.order is not None:
        parts.append(
            f"已下达责令限期整改指令书（{hazard.order.document.number}），"
            f"限{chinese_date(hazard.order.deadline)}前整改完毕"
        )
    return "；".join(parts) or "待整改"


def _finding(number: int, hazard: Hazard) -> str:
    place = f"；部位：{hazard.location}" if hazard.location else ""
    off_list = "；清单外问题" if hazard.item_id is None else ""
    return (
        f"{number}．{hazard.description.rstrip('。')}（{hazard.get_level_display()}{place}"
        f"{off_list}；违反：{hazard.legal_basis}；处理：{_handling(hazard)}）。"
    )


def _hazards(task: InspectionTask) -> list[Hazard]:
    return list(task.hazards.select_related("measure_document", "order__document").order_by("pk"))


def _record_findings(task: InspectionTask) -> list[str]:
    hazards = _hazards(task)
    if not hazards:
        return ["发现的问题：未发现问题。"]
    return ["发现的问题：", *(_finding(n, h) for n, h in enumerate(hazards, start=1))]


def _record_evidence(task: InspectionTask) -> list[str]:
    """The sources of a remote or written inspection (视频连线、监测数据、书面材料)."""
    if task.is_on_site:
        return []
    evidence = task.evidence.filter(hazard=None, report=None)
    lines = [
        f"{n}．{EVIDENCE_KINDS.get(e.kind, e.kind)}：{e.description or e.original_name}"
        for n, e in enumerate(evidence, start=1)
    ]
    return ["检查依据材料：", *lines] if lines else []


def _record_signatures(task: InspectionTask, officers: Sequence[Officer]) -> list[str]:
    lines = _officer_signatures(officers)
    lines.append(_dated(f"被检查单位负责人（签名）：{task.representative}"))
    if task.confirmation == InspectionTask.Confirmation.REFUSED:
        lines.append(_dated("见证人（签名）："))
    return lines


def _record(document: InspectionDocument, verify_url: str) -> EnforcementDocument:
    task = _task(document)
    officers = list(task.officers.all())
    section = f"（{task.section.name}）" if task.section else ""
    refused = task.confirmation == InspectionTask.Confirmation.REFUSED
    return replace(
        _form(document),
        fields=[
            *_enterprise_fields(task.enterprise),
            ("法定代表人（负责人）及电话", _representative(task.enterprise)),
            ("检查场所", task.place),
            ("检查时间", _inspection_time(task)),
            ("检查机关", f"{task.body.name}{section}"),
            ("检查人员", _officers(officers)),
            ("检查方式", task.get_mode_display()),
        ],
        paragraphs=[
            f"依据{RECORD_BASIS}的规定，记录本次检查的时间、地点、内容、发现的问题及其处理情况，"
            "由检查人员和被检查单位负责人签字。"
        ],
        table_caption="逐项检查情况",
        table=(["序号", "检查事项", "依据", "结果", "情况"], _result_rows(task)),
        table_widths=(1.8, 5, 4.5, 3, 4),
        closing=[
            *_record_findings(task),
            *_record_evidence(task),
            f"检查情况小结：{sentence(task.summary) if task.summary else ''}",
        ],
        signatures=_record_signatures(task, officers),
        refusal_note=(task.confirmation_note or "被检查单位负责人拒绝签字") if refused else "",
        seal=False,
    )


# --- 责令限期整改指令书 ---------------------------------------------------------------------------


def _order(document: InspectionDocument, verify_url: str) -> EnforcementDocument:
    order = RectificationOrder.objects.select_related("task__enterprise", "task__body").get(
        document=document
    )
    task = order.task
    hazards = list(order.hazards.order_by("pk"))
    last = len(hazards)
    span = f"第1—{last}项" if last > 1 else "第1项"
    basis = MAJOR_BASIS if any(h.level == "major" for h in hazards) else ORDER_BASIS
    findings = [
        f"{n}．{h.description.rstrip('。')}"
        f"{f'（部位：{h.location}）' if h.location else ''}，违反了{h.legal_basis}的规定。"
        for n, h in enumerate(hazards, start=1)
    ]
    return replace(
        _form(document),
        fields=_enterprise_fields(task.enterprise),
        paragraphs=[
            f"{chinese_date(task.date)}，本机关对你单位进行{task.get_mode_display()}，"
            "发现你单位存在下列问题：",
            *findings,
            f"依据{basis}的规定，现责令你单位对上述{span}问题于"
            f"{chinese_date(order.deadline)}前整改完毕"
            f"（{order.working_days}个工作日），达到法律法规规章和标准要求。"
            "整改完毕后，请通过本系统报告整改情况并上传整改材料，本机关将进行复查。",
            "逾期未整改或者整改不符合要求的，本机关将依照《中华人民共和国安全生产法》等法律、"
            "法规、规章的规定依法处理；因未按期整改导致生产安全事故的，依法追究法律责任。",
            _review_rights(task.body.name, "本指令"),
        ],
        signatures=[*_officer_signatures(task.officers.all(), "执法人员"), _receipt()],
    )


# --- 整改复查意见书 -------------------------------------------------------------------------------


def _review_line(number: int, line: ReviewLine) -> str:
    deadline = line.new_deadline
    extended = f"，延期至{chinese_date(deadline)}前整改完毕" if deadline else ""
    note = f"（{line.note}）" if line.note else ""
    description = line.hazard.description.rstrip("。")
    return f"{number}．{description}：{line.get_decision_display()}{extended}{note}。"


def _review(document: InspectionDocument, verify_url: str) -> EnforcementDocument:
    review = RectificationReview.objects.select_related(
        "order__document", "order__task__enterprise"
    ).get(document=document)
    order, task = review.order, review.order.task
    officers = list(review.officers.all())
    lines = review.lines.select_related("hazard").order_by("hazard_id")
    return replace(
        _form(document),
        fields=[
            *_enterprise_fields(task.enterprise, "被复查单位"),
            ("原指令书", f"{order.document.number}（{chinese_date(order.issued_on)}作出）"),
            ("复查方式", review.get_mode_display()),
            ("复查日期", chinese_date(review.reviewed_on)),
            ("复查人员", _officers(officers)),
        ],
        paragraphs=[
            f"本机关于{chinese_date(order.issued_on)}向你单位下达《责令限期整改指令书》"
            f"（{order.document.number}），责令你单位于{chinese_date(order.deadline)}前"
            f"整改完毕。{chinese_date(review.reviewed_on)}，本机关对整改情况进行了"
            f"{review.get_mode_display()}，复查意见如下：",
            *(_review_line(n, line) for n, line in enumerate(lines, start=1)),
            *([f"其他意见：{sentence(review.note)}"] if review.note else []),
        ],
        signatures=[*_officer_signatures(officers, "复查人员"), _receipt("被复查单位负责人")],
    )


# --- 现场处理措施决定书 ---------------------------------------------------------------------------


def _measure(document: InspectionDocument, verify_url: str) -> EnforcementDocument:
    hazard = Hazard.objects.select_related("task__enterprise", "task__body").get(
        measure_document=document
    )
    task = hazard.task
    place = f"（部位：{hazard.location}）" if hazard.location else ""
    measure = ONSITE_MEASURES.get(hazard.onsite_measure, hazard.onsite_measure)
    note = f"具体为：{sentence(hazard.measure_note)}" if hazard.measure_note else ""
    return replace(
        _form(document),
        fields=[
            *_enterprise_fields(task.enterprise),
            ("法定代表人（负责人）", _representative(task.enterprise)),
        ],
        paragraphs=[
            f"本机关于{chinese_date(task.date)}对你单位进行{task.get_mode_display()}时，"
            f"发现你单位存在下列{hazard.get_level_display()}：{hazard.description.rstrip('。')}"
            f"{place}，违反了{hazard.legal_basis}的规定。",
            "该事故隐患排除前或者排除过程中无法保证安全，依据"
            f"{MEASURE_BASIS}的规定，本机关决定采取下列现场处理措施：{measure}。{note}",
            "你单位应当立即执行上述决定，及时排除事故隐患。隐患排除后，经审查同意，方可恢复"
            "生产经营和使用；你单位可以在隐患排除后向本机关提出恢复申请。",
            _review_rights(task.body.name),
        ],
        signatures=[*_officer_signatures(task.officers.all(), "执法人员"), _receipt()],
    )


# Keyed by InspectionDocument.Kind.
BUILDERS: dict[str, Callable[[InspectionDocument, str], EnforcementDocument]] = {
    "notice": _notice,
    "record": _record,
    "order": _order,
    "review": _review,
    "measure": _measure,
}


def inspection_document_filename(document: InspectionDocument, number: str = "") -> str:
    """The file name: the number and the title (文水应急检记〔2026〕12号 现场检查记录.docx)."""
    return document_filename(number or document.number, document.get_kind_display())


def document_docx(
    document: InspectionDocument, verify_url: str = "", number: str = ""
) -> tuple[str, bytes]:
    """The document as (file name, .docx bytes), written from the records as they are now.
    `verify_url` is the public address of the entry code's verification page (the notice's QR
    code; no QR code without it); `number`, when given, is printed instead of the stored one
    (the document register gives it)."""
    form = BUILDERS[document.kind](document, verify_url)
    if number:
        form = replace(form, document_number=number)
    return inspection_document_filename(document, number), enforcement_document_docx(form)


def document_response(document: InspectionDocument, verify_url: str = "") -> HttpResponse:
    """The document as a download, its Chinese file name in RFC 5987 `filename*`."""
    filename, content = document_docx(document, verify_url)
    return attachment(content, filename)
