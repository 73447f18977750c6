"""The enterprise's own penalty cases in its portal: once a case has been notified to it, the
proposed or decided penalty, its rights and deadlines (statement, hearing request, payment) and
the documents served on it. Nothing of a case under investigation is shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.documents.models import IssuedDocument
from anjian.enforcement.access import PARTY_DOCUMENTS, access_party_document, party_cases
from anjian.enforcement.models import CaseDocument, PenaltyCase
from anjian.enforcement.selectors import (
    deadlines_of,
    decided_text,
    proposed_text,
    workdays_around,
)
from anjian.enforcement.services.case_numbers import case_document_served
from anjian.policy.views.common import today

# the party's own deadlines, by the state in which they matter
PARTY_DEADLINES = {
    "notified": ("DEFENCE", "HEARING_REQUEST"),
    "delivered": ("PAYMENT",),
}


@dataclass(frozen=True)
class PartyCase:
    case: PenaltyCase
    penalty: str
    deadlines: list[tuple[str, date, bool]]  # label, due, passed
    documents: list[CaseDocument]


def _party_case(case: PenaltyCase, day: date, is_workday: object) -> PartyCase:
    wanted = PARTY_DEADLINES.get(case.state, ())
    deadlines = [
        (d.label, d.due, d.due < day)
        for d in deadlines_of(case, is_workday)  # type: ignore[arg-type]
        if d.code in wanted
    ]
    decided = case.state in ("decided", "delivered", "paid", "closed")
    documents = list(case.documents.filter(kind__in=PARTY_DOCUMENTS).order_by("issued_on", "pk"))
    return PartyCase(
        case, decided_text(case) if decided else proposed_text(case), deadlines, documents
    )


@require("enterprise.self")
def portal_cases(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    day = today()
    is_workday = workdays_around(day)
    rows = [_party_case(c, day, is_workday) for c in party_cases(user).order_by("-notified_on")]
    return render(request, "enforcement/portal_cases.html", {"rows": rows})


@require("enterprise.self")
def portal_document(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        return case_document_served(actor=user, document=access_party_document(user, pk))
    except IssuedDocument.DoesNotExist as missing:
        raise Http404(str(missing)) from missing
