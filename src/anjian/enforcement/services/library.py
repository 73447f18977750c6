"""The legal office's library of discretion data: importing a benchmark from Excel or a list from
TOML (a dry run that lists every problem and writes nothing, then the commit), withdrawing a
version, and the reads the library pages need (which version is in force, why one was withdrawn).

The commit goes through `benchmark_save` / `list_save`, which check the data again in the domain
and write the audit entry in the same transaction."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from anjian.accounts.models import User
from anjian.audit.models import AuditEntry
from anjian.audit.services import audit_record
from anjian.domain.discretion.benchmark import FAMILIES, BenchmarkInvalid, benchmark_from_dict
from anjian.domain.discretion.lists import LIST_KINDS, ListInvalid, list_from_dict
from anjian.domain.registry import FieldError
from anjian.enforcement.models import BenchmarkVersion, ListVersion
from anjian.enforcement.services.discretion import benchmark_save, jsonable, list_save
from anjian.enforcement.spreadsheets import SheetError, read_benchmark_workbook
from anjian.policy_data.discretion import shipped_statute

HEADER_LABELS = {
    "id": "基准标识",
    "version": "版本",
    "name": "名称",
    "issuer": "制定机关",
    "document": "文号",
    "family": "适用类别",
    "sectors": "适用行业",
    "effective_from": "生效日期",
    "effective_until": "失效日期",
    "kind": "清单类别",
}
CODE_COLUMNS = {
    "OUTSIDE_STATUTE": "罚款幅度",
    "TIERS_OVERLAP": "分档条件",
    "UNKNOWN_PROVISION": "法律法规/条/项",
    "DUPLICATE_TIER": "阶次",
    "DUPLICATE_ENTRY": "条目序号",
}
LIST_MAX_BYTES = 256 * 1024
Version = TypeVar("Version", BenchmarkVersion, ListVersion)


@dataclass
class ImportCheck:
    """The result of a dry run: the data that would be saved, or every problem."""

    data: dict[str, Any] = field(default_factory=dict)
    errors: list[SheetError] = field(default_factory=list)
    file_error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error and bool(self.data)


def _without_rows(data: Mapping[str, Any]) -> dict[str, Any]:
    entries = [
        {
            **{k: v for k, v in entry.items() if k != "row"},
            "tier": [{k: v for k, v in t.items() if k != "row"} for t in entry["tier"]],
        }
        for entry in data.get("entry") or ()
    ]
    return {**data, "entry": entries}


def _sheet_error(error: FieldError, rows: Mapping[str, int]) -> SheetError:
    """A domain error with the row it names (第n行), or the entry's first row, or the header."""
    found = re.match(r"第(\d+)行", error.field)
    message = re.sub(r"^第\d+行[ ：:]*", "", error.message)
    column = CODE_COLUMNS.get(error.code, "")
    if found:
        return SheetError(int(found.group(1)), column, message)
    number = error.field.removeprefix("条目")
    if error.field.startswith("条目") and number in rows:
        return SheetError(rows[number], column, message)
    return SheetError(None, HEADER_LABELS.get(error.field, column or "表头"), message)


def benchmark_import_check(*, header: Mapping[str, Any], content: bytes) -> ImportCheck:
    """Reads the sheet, checks it in the domain against the statute and refuses a version that
    exists already; writes nothing."""
    read = read_benchmark_workbook(content)
    if read.file_error:
        return ImportCheck(file_error=read.file_error)
    data = jsonable({**header, "entry": read.entries})
    check = ImportCheck(errors=list(read.errors))
    rows = {str(e["number"]): int(e["row"]) for e in read.entries}
    try:
        benchmark_from_dict(data, shipped_statute())
    except BenchmarkInvalid as invalid:
        # a row whose cell could not be read: the cell error explains the domain's generic one
        unread = {e.row for e in check.errors}
        for error in invalid.errors:
            mapped = _sheet_error(error, rows)
            if not (mapped.row in unread and error.code == "INVALID_BENCHMARK"):
                check.errors.append(mapped)
    if BenchmarkVersion.objects.filter(
        key=header.get("id"), version=header.get("version")
    ).exists():
        check.errors.append(
            SheetError(
                None, "版本", f"基准 {header.get('id')} 的版本“{header.get('version')}”已存在"
            )
        )
    check.errors.sort(key=lambda e: (e.row or 0, e.column))
    if not check.errors:
        check.data = _without_rows(data)
    return check


def _problems(check: ImportCheck) -> list[str]:
    if check.file_error:
        return [check.file_error]
    return [e.message for e in check.errors][:20] or ["文件中没有可导入的内容"]


def _require(actor: User | None, capability: str) -> None:
    if actor is not None and not actor.can(capability):
        raise PermissionDenied("您无权维护裁量基准和包容审慎清单")


def benchmark_import(
    *, actor: User | None, header: Mapping[str, Any], content: bytes
) -> BenchmarkVersion:
    """Check again (the file was parked between the dry run and the commit) and save."""
    _require(actor, "benchmark.edit")
    check = benchmark_import_check(header=header, content=content)
    if not check.ok:
        raise ValidationError(_problems(check))
    return benchmark_save(actor=actor, data=check.data)


def list_import_check(*, content: bytes) -> ImportCheck:
    """A list in TOML (the format of the shipped lists), checked by the domain; writes nothing."""
    if len(content) > LIST_MAX_BYTES:
        return ImportCheck(file_error="文件超过 256 KB")
    try:
        data = jsonable(tomllib.loads(content.decode("utf-8-sig")))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as problem:
        return ImportCheck(file_error=f"无法读取 TOML 文件：{problem}")
    except RecursionError:  # a hostile file nesting arrays thousands deep
        return ImportCheck(file_error="无法读取 TOML 文件：嵌套层数过多")
    check = ImportCheck()
    try:
        list_from_dict(data)
    except ListInvalid as invalid:
        check.errors = [
            SheetError(None, HEADER_LABELS.get(e.field, e.field), e.message) for e in invalid.errors
        ]
    if ListVersion.objects.filter(key=data.get("id"), version=data.get("version")).exists():
        check.errors.append(
            SheetError(None, "版本", f"清单 {data.get('id')} 的版本“{data.get('version')}”已存在")
        )
    if not check.errors:
        check.data = data
    return check


def list_import(*, actor: User | None, content: bytes) -> ListVersion:
    _require(actor, "benchmark.edit")
    check = list_import_check(content=content)
    if not check.ok:
        raise ValidationError(_problems(check))
    return list_save(actor=actor, data=check.data)


def in_force(versions: Sequence[Version], day: date) -> list[Version]:
    return [
        v
        for v in versions
        if v.withdrawn_at is None
        and v.effective_from <= day
        and (v.effective_until is None or day <= v.effective_until)
    ]


def _withdraw(
    *, actor: User | None, row: Version, peers: Sequence[Version], reason: str, today: date
) -> Version:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["请填写撤回理由"]})
    if row.withdrawn_at is not None:
        raise ValidationError("该版本已撤回")
    if in_force([row], today) and not in_force(peers, today):
        raise ValidationError("该版本是本类别今天唯一现行的版本，不能撤回；请先导入替代的版本")
    row.withdrawn_at = timezone.now()
    row.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor,
        action=f"{'benchmark' if isinstance(row, BenchmarkVersion) else 'list'}.withdraw",
        target=row,
        changes={"reason": reason, "withdrawn_on": today.isoformat(), "version": row.version},
    )
    return row


def benchmark_withdraw(
    *, actor: User | None, version: BenchmarkVersion, reason: str, today: date
) -> BenchmarkVersion:
    """Take a version out of use (the engine no longer sees it); refused while it is the only
    version of its family in force today. Cases decided under it keep pointing at it."""
    _require(actor, "benchmark.edit")
    with transaction.atomic():
        row = BenchmarkVersion.objects.select_for_update().get(pk=version.pk)
        peers = list(
            BenchmarkVersion.objects.select_for_update()
            .filter(family=row.family)
            .exclude(pk=row.pk)
        )
        return _withdraw(actor=actor, row=row, peers=peers, reason=reason, today=today)


def list_withdraw(
    *, actor: User | None, version: ListVersion, reason: str, today: date
) -> ListVersion:
    """The same for a list: refused while it is the only list of its kind in force today."""
    _require(actor, "benchmark.edit")
    with transaction.atomic():
        row = ListVersion.objects.select_for_update().get(pk=version.pk)
        peers = list(
            ListVersion.objects.select_for_update().filter(kind=row.kind).exclude(pk=row.pk)
        )
        return _withdraw(actor=actor, row=row, peers=peers, reason=reason, today=today)


def version_adopt(
    *, actor: User, version: BenchmarkVersion | ListVersion, title: str, document: str
) -> BenchmarkVersion | ListVersion:
    """采用: the legal office confirms a version against the official text and records its
    official title and document number; only an adopted version is cited as official in a
    decision. A shipped starter version may be adopted only under the title and number the
    office enters (the starter's own labels are never printed). Audited."""
    _require(actor, "benchmark.edit")
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["请填写正式名称（如《应急管理行政处罚裁量权基准》）"]
    if not document.strip():
        errors["document"] = ["请填写正式文号（如应急〔2024〕90号）"]
    if errors:
        raise ValidationError(errors)
    model = type(version)
    with transaction.atomic():
        row = model.objects.select_for_update().get(pk=version.pk)
        if row.withdrawn_at is not None:
            raise ValidationError("该版本已撤回，不能采用")
        row.official_title = title.strip().strip("《》")
        row.official_document = document.strip()
        row.adopted_at, row.adopted_by = timezone.now(), actor
        row.save(update_fields=["official_title", "official_document", "adopted_at", "adopted_by"])
        audit_record(
            actor=actor,
            action=f"{'benchmark' if model is BenchmarkVersion else 'list'}.adopt",
            target=row,
            changes={"title": row.official_title, "document": row.official_document},
        )
    return row


# reads for the library pages


def benchmark_versions() -> list[BenchmarkVersion]:
    return list(BenchmarkVersion.objects.select_related("created_by"))


def adopted_benchmarks() -> list[BenchmarkVersion]:
    """The versions the legal office adopted and has not withdrawn, without their content (the
    campaign links one as a measure's evidence)."""
    rows = BenchmarkVersion.objects.filter(adopted_at__isnull=False, withdrawn_at__isnull=True)
    return list(rows.defer("data").order_by("family", "-effective_from", "-pk"))


def list_versions() -> list[ListVersion]:
    return list(ListVersion.objects.select_related("created_by"))


def benchmark_version(pk: int) -> BenchmarkVersion:
    found = BenchmarkVersion.objects.filter(pk=pk).select_related("created_by").first()
    if found is None:
        raise Http404("没有该裁量基准版本")
    return found


def list_version(pk: int) -> ListVersion:
    found = ListVersion.objects.filter(pk=pk).select_related("created_by").first()
    if found is None:
        raise Http404("没有该清单版本")
    return found


def _latest(versions: Sequence[Version], day: date) -> Version | None:
    return max(in_force(versions, day), key=lambda v: (v.effective_from, v.pk), default=None)


def benchmarks_in_force(day: date) -> list[tuple[str, str, BenchmarkVersion | None]]:
    """Per family: (family, label, the version in force on `day` — the latest to take effect)."""
    rows = benchmark_versions()
    return [
        (family, label, _latest([r for r in rows if r.family == family], day))
        for family, label in FAMILIES.items()
    ]


def lists_in_force(day: date) -> list[tuple[str, str, ListVersion | None]]:
    rows = list_versions()
    return [
        (kind, label, _latest([r for r in rows if r.kind == kind], day))
        for kind, label in LIST_KINDS.items()
    ]


def withdrawal(version: BenchmarkVersion | ListVersion) -> AuditEntry | None:
    """The audit entry of a withdrawal (who, when, and the reason in `changes`)."""
    if version.withdrawn_at is None:
        return None
    kind = "benchmark" if isinstance(version, BenchmarkVersion) else "list"
    return (
        AuditEntry.objects.filter(
            action=f"{kind}.withdraw",
            target_type=version._meta.label_lower,
            target_id=str(version.pk),
        )
        .order_by("-created_at")
        .first()
    )
