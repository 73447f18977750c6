"""Excel exports of the filtered lists. The enterprise and officer exports carry the import
template's columns in the template's order, written the way the import reads them (the Chinese
vocabulary, 是/否, dates), so an exported file can be edited and imported again: a row whose
统一社会信用代码 (执法证号) is already registered updates that record. ID numbers leave masked; a
masked number imported back unchanged keeps the number on record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from anjian.domain import registry as vocab
from anjian.registry.models import Enterprise, Officer
from anjian.registry.spreadsheets import ENTERPRISE_COLUMNS, OFFICER_COLUMNS, export_workbook
from anjian.ui.ledger_columns import from_cells

ENTERPRISE_HEADERS = [column.header for column in ENTERPRISE_COLUMNS]
OFFICER_HEADERS = [column.header for column in OFFICER_COLUMNS]


def _yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def enterprise_cells(e: Enterprise) -> dict[str, Any]:
    """One enterprise by import field, each value as the import template expects it."""
    grade = e.standardization_grade
    return {
        "name": e.name,
        "uscc": e.uscc,
        "address": e.address,
        "town": e.town,
        "sector": vocab.SECTORS.get(e.sector, e.sector),
        "standardization_grade": vocab.STANDARDIZATION_GRADES.get(grade, "") if grade else "",
        "coal_mine_class": e.coal_mine_class,
        "non_coal_risk_class": e.non_coal_risk_class,
        "employees": e.employees,
        "scale": vocab.SCALES.get(e.scale, e.scale),
        "supervising_body": e.supervising_body.name,
        "legal_representative": e.legal_representative,
        "contact_phone": e.contact_phone,
        "is_contact_point": _yes_no(e.is_contact_point),
        "major_hazard": _yes_no(e.major_hazard),
        "online_monitoring": _yes_no(e.online_monitoring),
        "status": vocab.ENTERPRISE_STATUSES.get(e.status, e.status),
    }


def officer_cells(o: Officer) -> dict[str, Any]:
    return {
        "name": o.name,
        "id_number": o.masked_id_number,
        "body": o.body.name,
        "section": o.section.name if o.section else "",
        "certificate_no": o.certificate_no,
        "certificate_valid_until": o.certificate_valid_until,
        "phone": o.phone,
    }


def enterprises_xlsx(rows: Iterable[Enterprise]) -> bytes:
    fields = [column.field for column in ENTERPRISE_COLUMNS]
    return export_workbook(
        "企业台账",
        ENTERPRISE_HEADERS,
        ([enterprise_cells(e)[field] for field in fields] for e in rows),
    )


def officers_xlsx(rows: Iterable[Officer]) -> bytes:
    fields = [column.field for column in OFFICER_COLUMNS]
    return export_workbook(
        "执法人员", OFFICER_HEADERS, ([officer_cells(o)[field] for field in fields] for o in rows)
    )


# The ledgers' print views show the columns the Excel export (and the import template) carries.
ENTERPRISE_LEDGER = from_cells(ENTERPRISE_COLUMNS, enterprise_cells)
OFFICER_LEDGER = from_cells(OFFICER_COLUMNS, officer_cells)
