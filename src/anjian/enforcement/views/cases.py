"""Penalty-case pages: the list with deadline warnings, opening a case from a finding or an
overdue order, the case page, evidence, documents and the legal office's review queue. The
steps of a case are posted to `case_steps.case_step`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.accounts.access import require, visible_sections
from anjian.accounts.models import User
from anjian.documents.models import IssuedDocument
from anjian.documents.services import DocumentError
from anjian.enforcement.access import (
    access_case,
    access_case_document,
    access_case_evidence,
)
from anjian.enforcement.forms import CaseOpenForm, EvidenceForm, split_provision
from anjian.enforcement.models import PenaltyCase
from anjian.enforcement.selectors import (
    STATE_FILTERS,
    case_rows,
    proposal_flags,
    review_queue,
    with_warnings,
)
from anjian.enforcement.services import discretion
from anjian.enforcement.services.case_numbers import (
    case_document_served,
    correct_case_document,
    may_correct,
)
from anjian.enforcement.services.case_prefill import CasePrefill, case_prefill, is_overdue
from anjian.enforcement.services.cases import case_evidence_add, case_open
from anjian.enforcement.views.case_page import detail_response
from anjian.inspections.access import access_hazard, access_order, visible_hazards
from anjian.inspections.models import Hazard
from anjian.policy.views.common import form_errors, today
from anjian.registry.access import access_enterprise
from anjian.registry.models import Enterprise, Officer
from anjian.ui import ledger_columns
from anjian.ui.ledger import ledger_output
from anjian.ui.pages import query_text, safe_page

CASES_PER_PAGE = 50
PREFILLED_FACTS = ("first_offense", "corrected_in_time")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require("penalty.view")
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    state = query_text(request.GET, "state", max_length=20) or "open"
    if state not in STATE_FILTERS:
        state = "open"
    section = query_text(request.GET, "section", max_length=10)
    cases = case_rows(user, state=state, section=section)
    title = gettext_lazy("行政处罚案件台账")
    ledger = cases.select_related("enterprise", "section")
    if out := ledger_output(request, ledger, ledger_columns.CASES, title=title):
        return out
    page = safe_page(Paginator(cases, CASES_PER_PAGE), request.GET.get("page"))
    return render(
        request,
        "enforcement/case_list.html",
        {
            "page": page,
            "rows": with_warnings(page.object_list, today()),
            "state": state,
            "states": STATE_FILTERS,
            "section": section,
            "sections": visible_sections(user).select_related("body").order_by("body_id", "pk"),
        },
    )


# ---- opening a case ---------------------------------------------------------------------------


def _int(raw: object) -> int | None:
    return int(raw) if isinstance(raw, str) and raw.isdigit() else None


def _team(enterprise: Enterprise) -> QuerySet[Officer]:
    """The body's certified officers (the picker reads each one's section with them)."""
    return Officer.objects.filter(
        body_id=enterprise.supervising_body_id,
        is_deleted=False,
        certificate_valid_until__gte=today(),
    ).order_by("section_id", "name")


def _facts_text(hazards: list[Hazard], overdue: bool) -> str:
    if not hazards:
        return ""
    task = hazards[0].task
    lines = [f"{task.date:%Y年%m月%d日}，本机关执法人员对你单位进行检查，发现："]
    lines += [f"{n}．{h.description.rstrip('。')}。" for n, h in enumerate(hazards, start=1)]
    order = hazards[0].order
    if overdue and order is not None:
        lines.append(
            f"本机关已下达责令限期整改指令书（{order.document.number}），责令于"
            f"{order.deadline:%Y年%m月%d日}前整改完毕，你单位逾期未整改。"
        )
    return "\n".join(lines)


def _source(
    user: User, params: Any
) -> tuple[Enterprise | None, QuerySet[Hazard] | None, list[Hazard], dict[str, str]]:
    """Where the case comes from: (enterprise, candidate findings, chosen ones, hidden fields)."""
    hazard_id, order_id = _int(params.get("hazard")), _int(params.get("order"))
    enterprise_id = _int(params.get("enterprise"))
    if order_id is not None:
        order = access_order(user, order_id)
        candidates = visible_hazards(user).filter(order=order)
        chosen = [h for h in candidates if is_overdue(h, today())]
        return order.task.enterprise, candidates, chosen, {"order": str(order_id)}
    if hazard_id is not None:
        hazard = access_hazard(user, hazard_id)
        candidates = visible_hazards(user).filter(task_id=hazard.task_id)
        return hazard.task.enterprise, candidates, [hazard], {"hazard": str(hazard_id)}
    if enterprise_id is not None:
        enterprise = access_enterprise(user, enterprise_id)
        return enterprise, Hazard.objects.none(), [], {"enterprise": str(enterprise_id)}
    return None, None, [], {}


def _referable(user: User) -> QuerySet[Hazard]:
    live = PenaltyCase.objects.exclude(state="dropped").values("findings")
    return (
        visible_hazards(user)
        .exclude(pk__in=live)
        .exclude(referred_at__isnull=True, status__in=("closed", "on_spot"))
        .order_by("-referred_at", "deadline", "pk")[:50]
    )


@require("penalty.handle")
def case_new(request: HttpRequest) -> HttpResponse:
    """立案: GET ?hazard=<id> (a finding and its task's others), ?order=<id> (the order's
    overdue findings) or ?enterprise=<id> (no finding); with none, a list to choose from."""
    user = _user(request)
    params = request.POST if request.method == "POST" else request.GET
    enterprise, candidates, chosen, hidden = _source(user, params)
    if enterprise is None or candidates is None:
        return render(request, "enforcement/case_new.html", {"referable": _referable(user)})
    overdue = bool(chosen) and all(is_overdue(h, today()) for h in chosen)
    prefill = _prefill(enterprise, chosen, overdue, request.POST.get("provision"))
    initial = {
        "hazards": chosen,
        "officers": list(chosen[0].task.officers.all()) if chosen else [],
        "filed_on": today(),
        "facts_text": _facts_text(chosen, overdue),
        "party_kind": "unit",
        **prefill.initial(),
    }
    form = CaseOpenForm(
        request.POST or None, hazards=candidates, officers=_team(enterprise), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        case = _open(user, form, enterprise if "enterprise" in hidden else None)
        if case is not None:
            messages.success(request, f"已立案，立案编号 {case.number}")
            return redirect("enforcement:case_detail", pk=case.pk)
    context: dict[str, Any] = {
        "form": form,
        "enterprise": enterprise,
        "hidden": hidden,
        "overdue": overdue,
    }
    facts = [
        (form[name], getattr(prefill, name)) for name in ("first_offense", "corrected_in_time")
    ]
    context.update(prefill=prefill, prefill_facts=facts)
    return render(request, "enforcement/case_new.html", context)


def _prefill(
    enterprise: Enterprise, chosen: list[Hazard], overdue: bool, posted: str | None
) -> CasePrefill:
    """What the records show; on a re-displayed form, for the provision the officer chose."""
    provision = discretion.provision_for(*split_provision(posted)) if posted else None
    found = Hazard.objects.filter(pk__in=[h.pk for h in chosen]).select_related(
        "task", "order__document"
    )
    return case_prefill(
        enterprise=enterprise,
        findings=list(found.prefetch_related("review_lines__review__document").order_by("pk")),
        day=today(),
        overdue=overdue,
        provision=provision,
    )


def _open(user: User, form: CaseOpenForm, enterprise: Enterprise | None) -> PenaltyCase | None:
    data = form.cleaned_data
    law, article, item = split_provision(data["provision"])
    try:
        return case_open(
            actor=user,
            law=law,
            article=article,
            item=item,
            hazards=list(data["hazards"]),
            enterprise=enterprise,
            officers=list(data["officers"]),
            filed_on=data["filed_on"],
            title=data["title"],
            facts_text=data["facts_text"],
            responsible_person=data["responsible_person"],
            complex_case=data["complex_case"],
            party_kind=data["party_kind"],
            first_offense=data["first_offense"],
            corrected_in_time=data["corrected_in_time"],
        )
    except ValidationError as error:
        form_errors(form, error)
        return None


# ---- the case page, evidence and documents ----------------------------------------------------


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case: facts, findings, evidence, the suggestion, the next steps and the timeline.
    Anyone outside the case's scope (an enterprise user too) gets 404."""
    user = _user(request)
    return detail_response(request, access_case(user, pk))


@require("penalty.handle")
@require_POST
def case_evidence_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = access_case(user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            case_evidence_add(
                actor=user,
                case=case,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "已登记证据")
            return redirect("enforcement:case_detail", pk=case.pk)
    return detail_response(request, case, evidence_form=form)


@login_required
def case_evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = access_case_evidence(_user(request), pk)
    image = evidence.content_type.startswith("image/")
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type or "application/octet-stream",
        as_attachment=not image,
        filename=evidence.original_name or "evidence",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def case_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The document exactly as issued, from the register of issued documents."""
    user = _user(request)
    try:
        return case_document_served(actor=user, document=access_case_document(user, pk))
    except IssuedDocument.DoesNotExist as missing:
        raise Http404(str(missing)) from missing


@login_required
@require_POST
def case_document_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """更正 a case document (the roles that issue its kind): a new version, same number."""
    user = _user(request)
    document = access_case_document(user, pk)
    if not may_correct(user, document):
        raise PermissionDenied("您的角色无权更正该文书。")
    try:
        corrected = correct_case_document(
            actor=user, document=document, reason=request.POST.get("reason", "")[:500]
        )
    except (DocumentError, IssuedDocument.DoesNotExist) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已生成更正版本（第{corrected.version}版）")
    return redirect("enforcement:case_detail", pk=document.case_id)


@require("penalty.review")
def review_queue_view(request: HttpRequest) -> HttpResponse:
    """法制审核: the proposals waiting for the legal office, each with its flags."""
    rows = [(case, proposal_flags(case)) for case in review_queue(_user(request))]
    return render(request, "enforcement/case_review_queue.html", {"rows": rows})
