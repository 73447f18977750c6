"""Excel import of an enterprise's people with their certificates: a dry run that names every bad
row and cell and writes nothing, then a commit that re-checks everything in one transaction and
writes all rows (each through `person_create` / `certificate_create`, one audit entry each, plus a
summary entry) or none."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.registry.access import visible_enterprises
from anjian.registry.imports import ImportCheck, ImportRejected
from anjian.registry.spreadsheets import CellError, Lookups, ParsedRow, parse_rows, read_rows
from anjian.training.personnel_sheets import CERTIFICATE_FIELDS, PERSON_COLUMNS
from anjian.training.services.certificates import certificate_create, certificate_errors
from anjian.training.services.personnel import person_create, person_errors

HEADERS = {column.field: column.header for column in PERSON_COLUMNS}


def _add(row: ParsedRow, errors: dict[str, str]) -> None:
    already = {header for header, _ in row.errors}
    for key, message in errors.items():
        header = HEADERS.get(key, key)
        if header not in already:
            row.errors.append((header, message))


def _has_certificate(values: dict[str, Any]) -> bool:
    return any(values.get(key) for key in CERTIFICATE_FIELDS)


def _check_row(row: ParsedRow, enterprises: dict[str, Any], today: date) -> None:
    values = row.values
    uscc = str(values.get("uscc") or "").upper()
    enterprise = enterprises.get(uscc)
    values["enterprise"] = enterprise
    if uscc and enterprise is None:
        row.errors.append((HEADERS["uscc"], f"{uscc}不是您管辖范围内的企业"))
    if enterprise is not None:
        _add(row, person_errors(values, enterprise=enterprise, today=today)[1])
    if _has_certificate(values):
        role = str(values.get("role") or "")
        _add(row, certificate_errors(values, person=None, role=role, today=today)[1])


def _duplicates(rows: list[ParsedRow], keys: tuple[str, ...], header: str, what: str) -> None:
    def key(row: ParsedRow) -> tuple[str, ...]:
        return tuple(str(row.values.get(k) or "").strip().upper() for k in keys)

    counts = Counter(key(row) for row in rows if all(key(row)))
    for row in rows:
        if all(key(row)) and counts[key(row)] > 1:
            row.errors.append((header, f"文件中重复的{what}：{key(row)[-1]}"))


def person_import_check(*, user: User, data: bytes) -> ImportCheck:
    try:
        raw_rows = read_rows(data, PERSON_COLUMNS)
    except CellError as exc:
        return ImportCheck(rows=[], file_error=str(exc))
    if not raw_rows:
        return ImportCheck(rows=[], file_error="文件中没有数据行。")
    rows = parse_rows(raw_rows, PERSON_COLUMNS, Lookups())
    enterprises = {e.uscc.upper(): e for e in visible_enterprises(user)}
    today = timezone.localdate()
    for row in rows:
        _check_row(row, enterprises, today)
    _duplicates(rows, ("uscc", "id_number"), HEADERS["id_number"], "身份证号码")
    _duplicates(rows, ("kind", "number"), HEADERS["number"], "证书编号")
    return ImportCheck(rows=rows)


@transaction.atomic
def person_import_commit(*, actor: User, data: bytes) -> int:
    check = person_import_check(user=actor, data=data)
    if not check.ok:
        raise ImportRejected(check)
    certificates = 0
    for row in check.rows:
        values = dict(row.values)
        enterprise = values.pop("enterprise")
        person = person_create(actor=actor, enterprise=enterprise, data=values)
        if _has_certificate(values):
            certificate_create(actor=actor, person=person, data=values)
            certificates += 1
    audit_record(
        actor=actor,
        action="training.person.import",
        changes={
            "rows": {"before": None, "after": len(check.rows)},
            "certificates": {"before": None, "after": certificates},
        },
    )
    return len(check.rows)
