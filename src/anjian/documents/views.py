"""文书登记簿: the register page, one row's versions, and a version's download (the stored
bytes, never regenerated)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.documents.kinds import KIND_CHOICES
from anjian.documents.selectors import access_document, register_rows
from anjian.documents.services import DocumentError, document_response, versions_of
from anjian.ui import ledger_columns
from anjian.ui.ledger import ledger_output
from anjian.ui.pages import query_text, safe_page


def _year(text: str) -> int | None:
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


@require("documents.register")
def register(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    kind = query_text(request.GET, "kind", max_length=40)
    kind = kind if kind in dict(KIND_CHOICES) else ""
    year = _year(query_text(request.GET, "year", max_length=4))
    number = query_text(request.GET, "number", max_length=80)
    rows = register_rows(user, kind=kind, year=year, number=number)
    title = gettext_lazy("文书登记簿")
    if out := ledger_output(request, rows, ledger_columns.DOCUMENTS, title=title):
        return out
    context = {
        "page": safe_page(Paginator(rows, 30), request.GET.get("page")),
        "kinds": KIND_CHOICES,
        "filters": {"kind": kind, "year": year or "", "number": number},
    }
    return render(request, "documents/register.html", context)


@require("documents.register")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = access_document(request.user, pk)  # type: ignore[arg-type]
    context = {"document": document, "versions": versions_of(document).defer("content")}
    return render(request, "documents/detail.html", context)


@require("inspection.view")
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """One version's stored bytes, for bureau staff of the document's body."""
    document = access_document(request.user, pk)  # type: ignore[arg-type]
    try:
        return document_response(document)
    except DocumentError as error:
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
