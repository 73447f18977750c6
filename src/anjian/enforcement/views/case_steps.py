"""The steps of a case, posted from the case page: each parses its form and calls one service.
A form re-displays with the service's messages; a refusal of the procedure is shown as a message
on the case page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.enforcement.access import access_case
from anjian.enforcement.forms import STEP_FORMS, step_form, step_prefix
from anjian.enforcement.models import CaseFine, PenaltyCase
from anjian.enforcement.services.case_proposal import (
    FinedPerson,
    build_proposal,
    case_propose,
    proposal_outcome,
)
from anjian.enforcement.services.case_steps import (
    case_close,
    case_decide,
    case_deliver,
    case_drop,
    case_fine_ground,
    case_hold_hearing,
    case_notify,
    case_pay,
    case_record_collective,
    case_record_defence,
    case_request_hearing,
    case_review,
    case_submit_review,
)
from anjian.enforcement.services.cases import require_capability
from anjian.enforcement.views.case_page import detail_response, live_suggestion, proposal_form
from anjian.policy.views.common import flash_errors, form_errors, today


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


Runner = Callable[[User, PenaltyCase, dict[str, Any], date], str]


def _review(approve: bool) -> Runner:
    def run(user: User, case: PenaltyCase, data: dict[str, Any], day: date) -> str:
        case_review(actor=user, case=case, approve=approve, opinion=data["opinion"], today=day)
        return "法制审核通过" if approve else "已退回修改，案件回到“已拟处罚意见”"

    return run


def _submit_review(user: User, case: PenaltyCase, data: dict[str, Any], day: date) -> str:
    case_submit_review(actor=user, case=case, today=day)
    return "已提交法制审核"


def _collective(user: User, case: PenaltyCase, data: dict[str, Any], day: date) -> str:
    case_record_collective(actor=user, case=case, note=data["note"], today=day)
    return "已记录集体讨论"


def _notify(user: User, case: PenaltyCase, data: dict[str, Any], day: date) -> str:
    case_notify(actor=user, case=case, today=day)
    return "已送达告知书"


def _defence(user: User, case: PenaltyCase, data: dict[str, Any], day: date) -> str:
    case_record_defence(
        actor=user,
        case=case,
        statement=data["statement"],
        waived=data["waived"],
        waive_hearing=data["waive_hearing"],
        today=day,
    )
    return "已记录陈述申辩"


def _request_hearing(user: User, case: PenaltyCase, data: dict[str, Any], day: date) -> str:
    case_request_hearing(actor=user, case=case, requested_on=data["requested_on"], today=day)
    return "已记录听证申请"


def _hold_hearing(user: User, case: PenaltyCase, data: dict[str, Any], day: date) -> str:
    case_hold_hearing(
        actor=user, case=case, held_on=data["held_on"], record=data["record"], today=day
    )
    return "已记录听证，处罚意见须重新法制审核"


def _decide(user: User, case: PenaltyCase, data: dict[str, Any], day: date) -> str:
    case_decide(actor=user, case=case, today=day, note=data["note"])
    return "已作出决定"


def _deliver(user: User, case: PenaltyCase, data: dict[str, Any], day: date) -> str:
    case_deliver(
        actor=user, case=case, delivered_on=data["delivered_on"], today=day, note=data["note"]
    )
    return "已记录送达"


def _fine(case: PenaltyCase, pk: int | None) -> CaseFine | None:
    return case.fines.filter(pk=pk).first() if pk else None


def _pay(user: User, case: PenaltyCase, data: dict[str, Any], day: date) -> str:
    case_pay(
        actor=user,
        case=case,
        fine=_fine(case, data.get("fine")),
        paid_on=data["paid_on"],
        amount=data["amount"],
        today=day,
    )
    return "已记录缴款"


def _ground(user: User, case: PenaltyCase, data: dict[str, Any], day: date) -> str:
    fine = _fine(case, data["fine"])
    if fine is None:
        raise ValidationError({"fine": ["请选择罚款"]})
    case_fine_ground(
        actor=user,
        case=case,
        fine=fine,
        ground=data["ground"],
        on=data["on"],
        document=data["document"],
        note=data["note"],
        today=day,
    )
    return "已登记结案依据"


def _close(user: User, case: PenaltyCase, data: dict[str, Any], day: date) -> str:
    case_close(actor=user, case=case, today=day, note=data["note"])
    return "已结案"


def _drop(user: User, case: PenaltyCase, data: dict[str, Any], day: date) -> str:
    case_drop(actor=user, case=case, reason=data["reason"], today=day)
    return "已撤销案件"


RUNNERS: dict[str, Runner] = {
    "submit_review": _submit_review,
    "approve_review": _review(True),
    "reject_review": _review(False),
    "record_collective": _collective,
    "notify": _notify,
    "record_defence": _defence,
    "request_hearing": _request_hearing,
    "hold_hearing": _hold_hearing,
    "decide": _decide,
    "deliver": _deliver,
    "pay": _pay,
    "record_ground": _ground,
    "close": _close,
    "drop": _drop,
}


def _propose(request: HttpRequest, user: User, case: PenaltyCase, preview: bool) -> HttpResponse:
    """Save the proposal, or (`preview`) show what saving it would come to: the same inputs
    through the same `proposal_outcome`, so the preview's gates are the saved case's."""
    require_capability(user, "propose")
    live, _errors = live_suggestion(case)
    form = proposal_form(case, request.POST, suggestion=live)
    if not form.is_valid():
        return detail_response(request, case, bound={"proposal": form})
    data = form.cleaned_data
    fields: dict[str, Any] = {
        "facts": form.facts(),
        "unit_fine": data["unit_fine"],
        "persons": [
            FinedPerson(p["name"] or "", p["post"] or "", p["fine"], p["id"] or "")
            for p in form.fined_persons()
        ],
        "measures": data["measures"],
        "no_penalty": data["no_penalty"],
        "deviation_reason": data["deviation_reason"],
    }
    try:
        if preview:
            outcome = proposal_outcome(
                case, build_proposal(case, **fields), complex_case=data["complex_case"]
            )
            return detail_response(request, case, bound={"proposal": form}, preview=outcome)
        case_propose(
            actor=user, case=case, complex_case=data["complex_case"], today=today(), **fields
        )
    except ValidationError as error:
        form_errors(form, error)
        return detail_response(request, case, bound={"proposal": form})
    messages.success(request, "已拟定处罚意见")
    return redirect("enforcement:case_detail", pk=case.pk)


@require("penalty.view")
@require_POST
def case_step(request: HttpRequest, pk: int) -> HttpResponse:
    """One step of the case, named by `event` (and `preview`: the suggestion for the proposal
    form's facts, nothing saved)."""
    user = _user(request)
    case = access_case(user, pk)
    event = request.POST.get("event", "")
    if event in ("propose", "preview"):
        return _propose(request, user, case, preview=event == "preview")
    if event not in STEP_FORMS:
        messages.error(request, "未知的办理事项")
        return redirect("enforcement:case_detail", pk=case.pk)
    require_capability(user, event)
    form = step_form(event, request.POST)
    if form.is_valid():
        try:
            message = RUNNERS[event](user, case, form.cleaned_data, today())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                flash_errors(request, error)
                return redirect("enforcement:case_detail", pk=case.pk)
            form_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("enforcement:case_detail", pk=case.pk)
    return detail_response(request, case, bound={step_prefix(event): form})
