"""The personnel register as Excel: the columns of the import template (one row per person, with
at most one certificate) and how each cell is read. Reading never writes; the checks and the
commit are in `services/personnel_import.py`."""

from __future__ import annotations

from anjian.registry.spreadsheets import (
    Column,
    choice_cell,
    date_cell,
    template_workbook,
    text_cell,
)
from anjian.training.models import CertificateKind, PersonRole

ROLE_LABELS = {str(code): str(label) for code, label in PersonRole.choices}
KIND_LABELS = {str(code): str(label) for code, label in CertificateKind.choices}

PERSON_COLUMNS: tuple[Column, ...] = (
    Column("企业统一社会信用代码", "uscc", text_cell, required=True, note="本单位管辖范围内的企业"),
    Column("姓名", "name", text_cell, required=True),
    Column("身份证号码", "id_number", text_cell, required=True, note="18位，请将单元格设为文本"),
    Column(
        "岗位类别",
        "role",
        choice_cell(ROLE_LABELS, "岗位类别"),
        required=True,
        choices=tuple(ROLE_LABELS.values()),
    ),
    Column("工种/职务", "job_title", text_cell, note="如：电工、焊工、安全总监"),
    Column("入职日期", "hired_on", date_cell, note="如2024-03-01"),
    Column("联系电话", "phone", text_cell),
    Column(
        "证书种类",
        "kind",
        choice_cell(KIND_LABELS, "证书种类"),
        choices=tuple(KIND_LABELS.values()),
        note="无证书的人员不填本列及后四列",
    ),
    Column("作业类别/考核类别", "category", text_cell, note="如：电工作业（低压电工作业）"),
    Column("证书编号", "number", text_cell),
    Column("发证机关", "issuer", text_cell),
    Column("发证日期", "issued_on", date_cell, note="有效期和复审日期由系统按规定计算"),
)
CERTIFICATE_FIELDS = ("kind", "category", "number", "issuer", "issued_on")


def person_template() -> bytes:
    return template_workbook(PERSON_COLUMNS, "从业人员")
