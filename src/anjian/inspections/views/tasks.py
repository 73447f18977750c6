"""Task pages for bureau staff: the list, an ad hoc task, tasks from the approved plan, the
head's approvals, cancellation, and the ledger of unplanned entries with their review."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anjian.accounts.access import body_scope_ids, require
from anjian.accounts.models import User
from anjian.accounts.roles import BUREAU_STAFF
from anjian.inspections.access import access_task, approval_bodies, officer_of, visible_tasks
from anjian.inspections.forms import DecisionForm, DelegationForm, ReasonForm, TaskForm
from anjian.inspections.models import ApprovalDelegation, InspectionTask
from anjian.inspections.services.delegation import delegate_approval, revoke_delegation
from anjian.inspections.services.from_plan import (
    WHOLE_BODY,
    plan_scope,
    plan_tasks_pending,
    tasks_from_plan,
)
from anjian.inspections.services.tasks import (
    TaskRequest,
    cancel_task,
    decide_task,
    record_unplanned,
    request_task,
    review_unplanned,
)
from anjian.inspections.services.visits import parse_position
from anjian.policy.selectors import items_for_enterprise
from anjian.policy.views.common import flash_errors, form_errors, today
from anjian.registry.access import access_enterprise, visible_enterprises
from anjian.registry.models import Enterprise, Officer
from anjian.ui import ledger_columns
from anjian.ui.ledger import ledger_output

STATUS_FILTERS = {
    "": None,
    "open": ("pending", "approved", "in_progress"),
    "pending": ("pending",),
    "today": None,
    "done": ("done",),
    "cancelled": ("cancelled", "refused"),
}


def _filtered(request: HttpRequest) -> tuple[object, dict[str, str]]:
    user = request.user
    assert isinstance(user, User)
    tasks = visible_tasks(user)
    params = {k: request.GET.get(k, "").strip() for k in ("status", "mine", "q")}
    statuses = STATUS_FILTERS.get(params["status"])
    if statuses:
        tasks = tasks.filter(status__in=statuses)
    if params["status"] == "today":
        tasks = tasks.filter(date=today())
    officer = officer_of(user)
    if params["mine"] and officer is not None:
        tasks = tasks.filter(officers=officer)
    if params["q"]:
        tasks = tasks.filter(
            Q(enterprise__name__icontains=params["q"]) | Q(ground__icontains=params["q"])
        )
    return tasks.prefetch_related("officers").order_by("-date", "-pk"), params


@require("inspection.view")
def task_list(request: HttpRequest) -> HttpResponse:
    tasks, params = _filtered(request)
    page = Paginator(tasks, 30).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    user = request.user
    assert isinstance(user, User)
    return render(
        request,
        "inspections/task_list.html",
        {
            "page": page,
            "params": params,
            "is_officer": officer_of(user) is not None,
            "may_approve": bool(approval_bodies(user, today())),
            "pending_count": InspectionTask.objects.filter(
                status="pending", body_id__in=approval_bodies(user, today())
            ).count(),
        },
    )


def _team(enterprise: Enterprise) -> object:
    return (
        Officer.objects.filter(
            body_id=enterprise.supervising_body_id,
            is_deleted=False,
            certificate_valid_until__gte=today(),
        )
        .select_related("section")
        .order_by("section_id", "name")
    )


def _task_request(user: User, enterprise: Enterprise, data: dict[str, object]) -> TaskRequest:
    return TaskRequest(
        enterprise=enterprise,
        date=data.get("date") or today(),  # type: ignore[arg-type]
        activity=str(data["activity"]),
        mode=str(data.get("mode") or "on_site"),
        source=str(data.get("source") or "unplanned"),
        ground=str(data.get("ground") or ""),
        items=list(data["items"]),  # type: ignore[call-overload]
        officers=list(data["officers"]),  # type: ignore[call-overload]
        section=user.section,
        reason=str(data.get("reason") or ""),
        quiet_ground=str(data.get("quiet_ground") or ""),
    )


def _pick_enterprise(request: HttpRequest, template: str, title: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    q = request.GET.get("q", "").strip()
    found = visible_enterprises(user).filter(Q(name__icontains=q) | Q(uscc=q))[:30] if q else []
    return render(request, template, {"pick": True, "found": found, "q": q, "title": title})


@require("inspection.create")
def task_new(request: HttpRequest) -> HttpResponse:
    """An ad hoc task: pick the enterprise, then the date, items, officers and the ground."""
    user = request.user
    assert isinstance(user, User)
    if not request.GET.get("enterprise"):
        return _pick_enterprise(request, "inspections/task_form.html", "发起检查任务")
    enterprise = access_enterprise(user, int(request.GET["enterprise"]))
    kwargs = {"items": items_for_enterprise(enterprise), "officers": _team(enterprise)}
    form = TaskForm(request.POST or None, initial={"date": today() + timedelta(days=1)}, **kwargs)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            task = request_task(
                actor=user,
                request=_task_request(user, enterprise, form.cleaned_data),
                today=today(),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "检查任务已提交，待局领导审批后生成检查码")
            return redirect("inspections:task_detail", pk=task.pk)
    return render(
        request,
        "inspections/task_form.html",
        {"form": form, "enterprise": enterprise, "title": "发起检查任务"},
    )


@require("inspection.conduct")
def unplanned_new(request: HttpRequest) -> HttpResponse:
    """未赋码入企: an officer records an entry that had no code, with the reason."""
    user = request.user
    assert isinstance(user, User)
    if officer_of(user) is None:
        raise PermissionDenied("只有执法人员才能补录未赋码入企。")
    if not request.GET.get("enterprise"):
        return _pick_enterprise(request, "inspections/task_form.html", "补录未赋码入企")
    enterprise = access_enterprise(user, int(request.GET["enterprise"]))
    kwargs = {"items": items_for_enterprise(enterprise), "officers": _team(enterprise)}
    form = TaskForm(request.POST or None, unplanned=True, **kwargs)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            position = parse_position(request.POST.get("lat"), request.POST.get("lng"))
            task = record_unplanned(
                actor=user,
                request=_task_request(user, enterprise, form.cleaned_data),
                today=today(),
                position=(position.lat, position.lng) if position else None,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.warning(request, "已补录未赋码入企，将报局领导事后审查")
            return redirect("inspections:task_detail", pk=task.pk)
    return render(
        request,
        "inspections/task_form.html",
        {"form": form, "enterprise": enterprise, "title": "补录未赋码入企", "unplanned": True},
    )


@require("inspection.create")
def from_plan(request: HttpRequest) -> HttpResponse:
    """GET: how many tasks the approved month plans still owe within the user's scope (the
    office: the bureau's; a section: its own), with the button that asks before it generates.
    POST: generates them."""
    user = request.user
    assert isinstance(user, User)
    if request.method != "POST":
        scope = plan_scope(user)
        count = plan_tasks_pending(actor=user, body_ids=body_scope_ids(user))
        context = {"count": count, "whole_body": scope == WHOLE_BODY, "section": user.section}
        return render(request, "inspections/from_plan.html", context)
    created = tasks_from_plan(actor=user, body_ids=body_scope_ids(user))
    if created:
        messages.success(
            request, f"已从已批准的月度入企计划生成 {len(created)} 个检查任务，待局领导审批"
        )
    else:
        messages.info(request, "没有尚未生成任务的已批准计划入企")
    return redirect("inspections:task_list")


def _approval_bodies(user: User) -> set[int]:
    bodies = approval_bodies(user, today())
    if not bodies:
        raise PermissionDenied("只有执法主体负责人（或经其授权的人员）才能审批检查任务。")
    return bodies


@require("inspection.view")
def approvals(request: HttpRequest) -> HttpResponse:
    """The approval queue: every pending task of the bodies the user may approve for (the
    head's, or a delegate's for the period), approved in bulk or one by one; and the head's
    delegations."""
    user = request.user
    assert isinstance(user, User)
    bodies = _approval_bodies(user)
    pending = InspectionTask.objects.filter(status="pending", body_id__in=bodies)
    pending = pending.select_related("enterprise").prefetch_related("items", "officers")
    if request.method == "POST":
        chosen = pending.filter(pk__in=request.POST.getlist("task"))
        done, failed = 0, []
        for task in chosen.order_by("date"):
            try:
                decide_task(actor=user, task=task, approve=True, note="同意", today=today())
                done += 1
            except ValidationError as error:
                failed.append(f"{task.enterprise.name} {task.date}：{'；'.join(error.messages)}")
        if not request.POST.getlist("task"):
            messages.warning(request, "请先勾选要批准的检查任务，未批准任何任务")
        if done:
            messages.success(request, f"已批准 {done} 个检查任务")
        for line in failed:
            messages.error(request, line)
        return redirect("inspections:approvals")
    context: dict[str, object] = {"tasks": pending.order_by("date", "pk")}
    if user.can("inspection.approve"):
        context["delegations"] = ApprovalDelegation.objects.filter(
            body_id__in=body_scope_ids(user)
        ).select_related("delegate")[:20]
        context["delegation_form"] = DelegationForm(
            request.GET or None, candidates=_delegates(user)
        )
    return render(request, "inspections/approvals.html", context)


def _delegates(user: User) -> object:
    return User.objects.filter(
        body_id__in=body_scope_ids(user), is_active=True, role__in=BUREAU_STAFF
    ).exclude(pk=user.pk)


@require("inspection.approve")
@require_POST
def delegation_add(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = DelegationForm(request.POST, candidates=_delegates(user))
    try:
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[k].label}：{e}" for k, errs in form.errors.items() for e in errs]
            )
        delegate_approval(actor=user, today=today(), **form.cleaned_data)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "已授权")
    return redirect("inspections:approvals")


@require("inspection.approve")
@require_POST
def delegation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    delegation = ApprovalDelegation.objects.filter(pk=pk, body_id__in=body_scope_ids(user)).first()
    if delegation is None:
        raise Http404("未找到该授权。")
    try:
        revoke_delegation(actor=user, delegation=delegation)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "已撤销授权")
    return redirect("inspections:approvals")


@require("inspection.view")
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    task = access_task(user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择批准或不予批准")
        return redirect("inspections:task_detail", pk=pk)
    try:
        decide_task(
            actor=user,
            task=task,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
            today=today(),
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "已审批")
    return redirect("inspections:task_detail", pk=pk)


@require("inspection.view")
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    task = access_task(user, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"reason": ["请填写撤销原因"]})
        cancel_task(actor=user, task=task, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "检查任务已撤销，检查码已作废")
    return redirect("inspections:task_detail", pk=pk)


@require("inspection.view")
def unplanned_ledger(request: HttpRequest) -> HttpResponse:
    """未赋码入企台账: every entry recorded without a code, with its reason and review."""
    user = request.user
    assert isinstance(user, User)
    tasks = visible_tasks(user).filter(source="unplanned").prefetch_related("officers")
    if request.method == "POST":
        _approval_bodies(user)
        task = access_task(user, int(request.POST.get("task", 0)))
        try:
            review_unplanned(
                actor=user,
                task=task,
                accept=request.POST.get("decision") == "accept",
                note=request.POST.get("note", ""),
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, "已审查")
        return redirect("inspections:unplanned_ledger")
    ledger = tasks.select_related("enterprise").order_by("-date", "-pk")
    title = gettext_lazy("未赋码入企台账")
    if out := ledger_output(request, ledger, ledger_columns.UNPLANNED, title=title):
        return out
    return render(
        request,
        "inspections/unplanned_ledger.html",
        {
            "tasks": tasks.order_by("-date", "-pk"),
            "pending": tasks.filter(review="pending").count(),
            "may_approve": bool(approval_bodies(user, today())),
        },
    )
