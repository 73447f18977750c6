"""Excel import of enterprises and officers: a dry run that reports every bad row, then a
commit that writes all rows or none (re-checking, since the database may have changed).

A row whose 统一社会信用代码 (执法证号) belongs to a record the user may see updates that record, so
an export edited in Excel imports back (`exports.py`); a code registered outside the user's scope
stays an error. An officer's ID number exported masked and imported back unchanged is kept."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from anjian.accounts.access import visible_bodies, visible_sections
from anjian.accounts.models import User
from anjian.audit.services import audit_record
from anjian.domain.ids import mask_id_number
from anjian.domain.registry import FieldError
from anjian.registry.access import visible_enterprises, visible_officers
from anjian.registry.models import Enterprise, Officer
from anjian.registry.services import (
    enterprise_create,
    enterprise_scope_errors,
    enterprise_update,
    officer_create,
    officer_update,
)
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
    # row number -> the registered record the row updates
    existing: dict[int, Any] = field(default_factory=dict)

    @property
    def updates(self) -> int:
        return len(self.existing)

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
    user: User,
    data: bytes,
    columns: tuple[Column, ...],
    row_rules: Callable[..., None],
    registered: Callable[[User, list[ParsedRow]], dict[int, Any]],
) -> ImportCheck:
    try:
        raw_rows = read_rows(data, columns)
    except CellError as exc:
        return ImportCheck(rows=[], file_error=str(exc))
    if not raw_rows:
        return ImportCheck(rows=[], file_error="文件中没有数据行。")
    rows = parse_rows(raw_rows, columns, _lookups(user))
    existing = registered(user, rows)
    headers = _headers(columns)
    for row in rows:
        row_rules(user, row, headers, existing.get(row.number))
    return ImportCheck(rows=rows, existing=existing)


def _code(row: ParsedRow, name: str) -> str:
    return str(row.values.get(name) or "").strip().upper()


def _registered_enterprises(user: User, rows: list[ParsedRow]) -> dict[int, Enterprise]:
    codes = {_code(row, "uscc") for row in rows} - {""}
    found = {e.uscc: e for e in visible_enterprises(user).filter(uscc__in=codes)}
    return {row.number: found[_code(row, "uscc")] for row in rows if _code(row, "uscc") in found}


def _registered_officers(user: User, rows: list[ParsedRow]) -> dict[int, Officer]:
    codes = {str(row.values.get("certificate_no") or "").strip() for row in rows} - {""}
    found = {o.certificate_no: o for o in visible_officers(user).filter(certificate_no__in=codes)}
    return {
        row.number: found[key]
        for row in rows
        if (key := str(row.values.get("certificate_no") or "").strip()) in found
    }


def _enterprise_row(
    user: User, row: ParsedRow, headers: dict[str, str], current: Enterprise | None
) -> None:
    exclude = current.pk if current is not None else None
    errors = enterprise_errors(row.values, exclude_pk=exclude)
    _add_field_errors(row, errors + enterprise_scope_errors(user, row.values), headers)


def _officer_row(
    user: User, row: ParsedRow, headers: dict[str, str], current: Officer | None
) -> None:
    id_number = str(row.values.get("id_number") or "").strip()
    if current is not None and id_number and id_number == mask_id_number(current.id_number):
        row.values["id_number"] = current.id_number  # exported masked, left as it was
    body = row.values.get("body")
    name = row.values.get("section") or ""
    row.values["section"] = None
    if name and body is not None:
        section = _lookups(user).sections.get((body.pk, name))
        if section is None:
            row.errors.append(("股室", f"{body}没有名为“{name}”的股室"))
        row.values["section"] = section
    exclude = current.pk if current is not None else None
    _add_field_errors(row, officer_errors(row.values, exclude_pk=exclude), headers)


def enterprise_import_check(*, user: User, data: bytes) -> ImportCheck:
    check = _check(user, data, ENTERPRISE_COLUMNS, _enterprise_row, _registered_enterprises)
    _duplicates(check.rows, "uscc", "统一社会信用代码")
    return check


def officer_import_check(*, user: User, data: bytes) -> ImportCheck:
    check = _check(user, data, OFFICER_COLUMNS, _officer_row, _registered_officers)
    _duplicates(check.rows, "certificate_no", "执法证号")
    return check


def _follows_plan(check: ImportCheck, plan: dict[int, int] | None) -> bool:
    """False (the rows concerned marked) when a row now matches a different registered record
    than in the dry run the user confirmed: a record registered or removed meanwhile."""
    if plan is None:
        return True
    now = {number: record.pk for number, record in check.existing.items()}
    changed = {n for n in set(now) | set(plan) if now.get(n) != plan.get(n)}
    for row in check.rows:
        if row.number in changed:
            row.errors.append(("", "检查后该行的代码已被登记或注销，请重新上传检查"))
    return not changed


def _values(row: ParsedRow, *, update: bool = False) -> dict[str, Any]:
    values = dict(row.values)
    if values.get("status") is None:
        if update:
            values.pop("status", None)  # blank: the status on record stays
        else:
            values["status"] = "operating"
    for flag in ("is_contact_point", "major_hazard", "online_monitoring"):
        if values.get(flag) is None:
            values[flag] = False
    return values


@transaction.atomic
def enterprise_import_commit(
    *, actor: User, data: bytes, plan: dict[int, int] | None = None
) -> int:
    check = enterprise_import_check(user=actor, data=data)
    if not _follows_plan(check, plan) or not check.ok:
        raise ImportRejected(check)
    for row in check.rows:
        current = check.existing.get(row.number)
        if current is None:
            enterprise_create(actor=actor, data=_values(row))
        else:
            enterprise_update(actor=actor, enterprise=current, data=_values(row, update=True))
    audit_record(
        actor=actor,
        action="registry.enterprise.import",
        changes={
            "rows": {"before": None, "after": len(check.rows)},
            "updated": {"before": None, "after": check.updates},
        },
    )
    return len(check.rows)


@transaction.atomic
def officer_import_commit(*, actor: User, data: bytes, plan: dict[int, int] | None = None) -> int:
    check = officer_import_check(user=actor, data=data)
    if not _follows_plan(check, plan) or not check.ok:
        raise ImportRejected(check)
    for row in check.rows:
        current = check.existing.get(row.number)
        if current is None:
            officer_create(actor=actor, data=row.values)
        else:
            officer_update(actor=actor, officer=current, data=row.values)
    audit_record(
        actor=actor,
        action="registry.officer.import",
        changes={
            "rows": {"before": None, "after": len(check.rows)},
            "updated": {"before": None, "after": check.updates},
        },
    )
    return len(check.rows)
