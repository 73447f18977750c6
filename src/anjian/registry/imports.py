"""Excel import of enterprises and officers: a dry run that reports every bad row, then a
commit that writes all rows or none (re-checking, since the database may have changed)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from anjian.accounts.access import visible_bodies, visible_sections
from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.registry import FieldError
from anjian.registry.services import enterprise_create, enterprise_scope_errors, officer_create
from anjian.registry.spreadsheets import (
    ENTERPRISE_COLUMNS,
    OFFICER_COLUMNS,
    CellError,
    Column,
    Lookups,
    ParsedRow,
    parse_rows,
    read_rows,
)
from anjian.registry.validation import enterprise_errors, officer_errors


class ImportRejected(Exception):
    def __init__(self, check: ImportCheck) -> None:
        super().__init__("导入数据有错误，未写入任何记录。")
        self.check = check


@dataclass
class ImportCheck:
    rows: list[ParsedRow]
    file_error: str | None = None

    @property
    def bad_rows(self) -> list[ParsedRow]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return self.file_error is None and bool(self.rows) and not self.bad_rows


def _lookups(user: User) -> Lookups:
    bodies = {body.name: body for body in visible_bodies(user)}
    sections = {(s.body_id, s.name): s for s in visible_sections(user)}
    return Lookups(bodies=bodies, sections=sections)


def _headers(columns: tuple[Column, ...]) -> dict[str, str]:
    return {column.field: column.header for column in columns}


def _add_field_errors(row: ParsedRow, errors: list[FieldError], headers: dict[str, str]) -> None:
    already = {header for header, _ in row.errors}
    for error in errors:
        header = headers.get(error.field, error.field)
        if header not in already:
            row.errors.append((header, error.message))


def _duplicates(rows: list[ParsedRow], field: str, header: str) -> None:
    counts = Counter(str(row.values.get(field) or "").upper() for row in rows)
    for row in rows:
        code = str(row.values.get(field) or "").upper()
        if code and counts[code] > 1:
            row.errors.append((header, f"文件中重复出现{code}"))


def _check(
    user: User, data: bytes, columns: tuple[Column, ...], row_rules: Callable[..., None]
) -> ImportCheck:
    try:
        raw_rows = read_rows(data, columns)
    except CellError as exc:
        return ImportCheck(rows=[], file_error=str(exc))
    if not raw_rows:
        return ImportCheck(rows=[], file_error="文件中没有数据行。")
    rows = parse_rows(raw_rows, columns, _lookups(user))
    headers = _headers(columns)
    for row in rows:
        row_rules(user, row, headers)
    return ImportCheck(rows=rows)


def _enterprise_row(user: User, row: ParsedRow, headers: dict[str, str]) -> None:
    errors = enterprise_errors(row.values) + enterprise_scope_errors(user, row.values)
    _add_field_errors(row, errors, headers)


def _officer_row(user: User, row: ParsedRow, headers: dict[str, str]) -> None:
    body = row.values.get("body")
    name = row.values.get("section") or ""
    row.values["section"] = None
    if name and body is not None:
        section = _lookups(user).sections.get((body.pk, name))
        if section is None:
            row.errors.append(("股室", f"{body}没有名为“{name}”的股室"))
        row.values["section"] = section
    _add_field_errors(row, officer_errors(row.values), headers)


def enterprise_import_check(*, user: User, data: bytes) -> ImportCheck:
    check = _check(user, data, ENTERPRISE_COLUMNS, _enterprise_row)
    _duplicates(check.rows, "uscc", "统一社会信用代码")
    return check


def officer_import_check(*, user: User, data: bytes) -> ImportCheck:
    check = _check(user, data, OFFICER_COLUMNS, _officer_row)
    _duplicates(check.rows, "certificate_no", "执法证号")
    return check


def _values(row: ParsedRow) -> dict[str, Any]:
    values = dict(row.values)
    if values.get("status") is None:
        values["status"] = "operating"
    for flag in ("is_contact_point", "major_hazard", "online_monitoring"):
        if values.get(flag) is None:
            values[flag] = False
    return values


@transaction.atomic
def enterprise_import_commit(*, actor: User, data: bytes) -> int:
    check = enterprise_import_check(user=actor, data=data)
    if not check.ok:
        raise ImportRejected(check)
    for row in check.rows:
        enterprise_create(actor=actor, data=_values(row))
    audit_record(
        actor=actor,
        action="registry.enterprise.import",
        changes={"rows": {"before": None, "after": len(check.rows)}},
    )
    return len(check.rows)


@transaction.atomic
def officer_import_commit(*, actor: User, data: bytes) -> int:
    check = officer_import_check(user=actor, data=data)
    if not check.ok:
        raise ImportRejected(check)
    for row in check.rows:
        officer_create(actor=actor, data=row.values)
    audit_record(
        actor=actor,
        action="registry.officer.import",
        changes={"rows": {"before": None, "after": len(check.rows)}},
    )
    return len(check.rows)
