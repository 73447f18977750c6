"""The two-step import pages shared by enterprises and officers: upload and check, then
confirm. The checked file waits in the data folder under a random token kept in the session.

Every import page offers its row errors as a download: `park_errors` keeps the upload with an
错误原因 column (`ui.sheets.errors_workbook`) under a token in the session, and the page's own
URL with `?errors=<token>` returns it (`errors_download`), so the page's role check covers it."""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anjian.registry.forms import ImportForm
from anjian.registry.imports import ImportCheck, ImportRejected
from anjian.ui.pages import attachment
from anjian.ui.sheets import XLSX, CellError, SheetError, errors_workbook


@dataclass(frozen=True)
class ImportKind:
    key: str  # "enterprise" / "officer"
    title: str
    template_url: str
    list_url: str
    check: Callable[..., ImportCheck]
    commit: Callable[..., int]
    # For an import that belongs to one record (e.g. a planning month): resolved addresses and
    # the words for success; the names above are then unused by the page.
    list_href: str = ""
    template_href: str = ""
    done: Callable[[int], str] | None = None
    # The import updates registered records (`ImportCheck.existing`): the commit is given the dry
    # run's {row: record id} and refuses a file whose rows now match other records.
    updates: bool = False


PARKED_FOR_SECONDS = 24 * 3600


def parked_folder() -> Path:
    """The folder of parked imports; files older than a day (abandoned dry runs) are removed."""
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    cutoff = time.time() - PARKED_FOR_SECONDS
    for parked in folder.glob("*.xlsx"):
        with contextlib.suppress(FileNotFoundError):
            if parked.stat().st_mtime < cutoff:
                parked.unlink()
    return folder


def write_parked(path: Path, content: bytes) -> None:
    """Write a parked upload stamped with the app's clock (`time.time()`), the clock the sweep
    above compares against. Created 0600 whatever the umask: it holds personal data."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
    now = time.time()
    os.utime(path, (now, now))


def park_upload(request: HttpRequest, key: str, content: bytes, **extra: object) -> str:
    """Park a checked upload until the user confirms it; the token goes to the page and, with
    `extra` (e.g. a form's header fields), to the session under `key`."""
    token = secrets.token_hex(16)
    write_parked(parked_folder() / f"{key}-{token}.xlsx", content)
    request.session[key] = {"token": token, **extra}
    return token


def take_parked(request: HttpRequest, key: str) -> tuple[bytes, dict[str, object]] | None:
    """The parked upload the posted token names, removed from the session and the disk; None
    when it has expired or the token is not this user's."""
    token = str(request.POST.get("token", ""))
    parked = request.session.pop(key, None) or {}
    path = parked_folder() / f"{key}-{token}.xlsx"
    if not token.isalnum() or parked.get("token") != token or not path.exists():
        return None
    content = path.read_bytes()
    path.unlink(missing_ok=True)
    return content, parked


def _errors_key(key: str) -> str:
    return f"{key}_errors"


def park_errors(
    request: HttpRequest,
    key: str,
    data: bytes,
    errors: Iterable[SheetError],
    *,
    header_rows: int = 1,
) -> str:
    """Keep the upload with its errors for download; the token for the page's `?errors=` link
    ("" when the file cannot be read back, so no link is shown)."""
    try:
        content = errors_workbook(data, errors, header_rows=header_rows)
    except CellError:
        return ""
    token = secrets.token_hex(16)
    write_parked(parked_folder() / f"{_errors_key(key)}-{token}.xlsx", content)
    request.session[_errors_key(key)] = token
    return token


def errors_download(request: HttpRequest, key: str) -> HttpResponse | None:
    """The parked errors workbook when the request asks for it (`?errors=<token>`, this user's
    last check on this page); None when it does not ask."""
    token = str(request.GET.get("errors", ""))
    if request.method != "GET" or not token:
        return None
    path = parked_folder() / f"{_errors_key(key)}-{token}.xlsx"
    if not token.isalnum() or request.session.get(_errors_key(key)) != token or not path.exists():
        messages.error(request, _("错误清单已过期，请重新上传文件检查。"))
        return redirect(request.path)
    return attachment(path.read_bytes(), _("导入错误.xlsx"), XLSX)


def row_errors(rows: Iterable[tuple[int, list[tuple[str, str]]]]) -> list[SheetError]:
    """(row number, [(column, reason)]) pairs as SheetErrors."""
    return [
        SheetError(number, column, reason) for number, pairs in rows for column, reason in pairs
    ]


def _session_key(kind: ImportKind) -> str:
    return f"import_token_{kind.key}"


def _plan_key(kind: ImportKind) -> str:
    return f"import_plan_{kind.key}"


def import_page(request: HttpRequest, kind: ImportKind) -> HttpResponse:
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm(request, kind)
    if download := errors_download(request, kind.key):
        return download
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "kind": kind}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        check = kind.check(user=request.user, data=data)
        context["check"] = check
        if check.ok:
            token = secrets.token_hex(16)
            write_parked(parked_folder() / f"{token}.xlsx", data)
            request.session[_session_key(kind)] = token
            request.session[_plan_key(kind)] = {n: r.pk for n, r in check.existing.items()}
            context["token"] = token
        elif check.bad_rows:
            context["errors_token"] = _park_check_errors(request, kind, data, check)
    return render(request, "registry/import.html", context)


def _park_check_errors(
    request: HttpRequest, kind: ImportKind, data: bytes, check: ImportCheck
) -> str:
    errors = row_errors((row.number, row.errors) for row in check.bad_rows)
    return park_errors(request, kind.key, data, errors)


def _confirm(request: HttpRequest, kind: ImportKind) -> HttpResponse:
    token = request.session.get(_session_key(kind))
    if not token or token != request.POST.get("token") or not token.isalnum():
        messages.error(request, _("导入已过期，请重新上传文件。"))
        return redirect(request.path)
    path = parked_folder() / f"{token}.xlsx"
    if not path.exists():
        messages.error(request, _("导入已过期，请重新上传文件。"))
        return redirect(request.path)
    data = path.read_bytes()
    try:
        plan = request.session.get(_plan_key(kind)) or {}
        extra = {"plan": {int(n): pk for n, pk in plan.items()}} if kind.updates else {}
        count = kind.commit(actor=request.user, data=data, **extra)
    except ImportRejected as rejected:
        messages.error(request, _("数据在检查后发生了变化，出现错误，未写入任何记录。"))
        context = {"form": ImportForm(), "kind": kind, "check": rejected.check}
        if rejected.check.bad_rows:
            context["errors_token"] = _park_check_errors(request, kind, data, rejected.check)
        return render(request, "registry/import.html", context)
    finally:
        path.unlink(missing_ok=True)
        request.session.pop(_session_key(kind), None)
        request.session.pop(_plan_key(kind), None)
    if kind.done is not None:
        done = kind.done(count)
    elif kind.key == "enterprise":
        done = ngettext("已导入%(count)s条企业记录。", "已导入%(count)s条企业记录。", count)
    else:
        done = ngettext("已导入%(count)s条执法人员记录。", "已导入%(count)s条执法人员记录。", count)
    messages.success(request, done % {"count": count})
    return redirect(kind.list_href or kind.list_url)
