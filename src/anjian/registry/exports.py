"""Excel exports of the filtered lists; ID numbers leave masked."""

from __future__ import annotations

from collections.abc import Iterable

from anjian.registry.models import Enterprise, Officer
from anjian.registry.spreadsheets import export_workbook

ENTERPRISE_HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "行业领域",
    "等级/分类",
    "乡镇",
    "地址",
    "从业人员数",
    "企业规模",
    "监管执法主体",
    "法定代表人",
    "联系电话",
    "基层联系点",
    "经营状态",
]
OFFICER_HEADERS = [
    "姓名",
    "身份证号码",
    "执法主体",
    "股室",
    "执法证号",
    "执法证有效期至",
    "联系电话",
]


def enterprises_xlsx(rows: Iterable[Enterprise]) -> bytes:
    return export_workbook(
        "企业台账",
        ENTERPRISE_HEADERS,
        (
            [
                e.name,
                e.uscc,
                e.get_sector_display(),
                e.classification,
                e.town,
                e.address,
                e.employees,
                e.get_scale_display(),
                e.supervising_body.name,
                e.legal_representative,
                e.contact_phone,
                "是" if e.is_contact_point else "否",
                e.get_status_display(),
            ]
            for e in rows
        ),
    )


def officers_xlsx(rows: Iterable[Officer]) -> bytes:
    return export_workbook(
        "执法人员",
        OFFICER_HEADERS,
        (
            [
                o.name,
                o.masked_id_number,
                o.body.name,
                o.section.name if o.section else "",
                o.certificate_no,
                o.certificate_valid_until,
                o.phone,
            ]
            for o in rows
        ),
    )
