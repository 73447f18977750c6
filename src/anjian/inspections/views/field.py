"""The task page, built for a phone: the entry code, check-in and check-out with the phone's
position, a result per item, findings with photos, evidence, the representative's confirmation,
the rectification order and the finished record; plus document and evidence downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import User
from anjian.audit.middleware import client_ip
from anjian.domain.inspections import record_problems
from anjian.inspections.access import (
    access_task,
    is_task_officer,
    may_approve,
    officer_of,
    visible_tasks,
)
from anjian.inspections.codes import TooManyTries, entry_code, qr_svg, resolve_code
from anjian.inspections.forms import (
    ConfirmForm,
    EvidenceForm,
    FindingForm,
    FinishForm,
    ItemResultForm,
    OrderForm,
    PositionForm,
)
from anjian.inspections.models import Evidence, Hazard, InspectionTask
from anjian.inspections.services.records import (
    FindingRequest,
    add_evidence,
    add_finding,
    confirm_record,
    finish_record,
    issue_order,
    record_facts,
    record_item,
)
from anjian.inspections.services.visits import check_in, check_out, parse_position
from anjian.inspections.views.documents import document_rows
from anjian.policy.views.common import flash_errors, form_errors, today


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("请先登录。")
    return user


def verify_url(request: HttpRequest, task: InspectionTask) -> str:
    return request.build_absolute_uri(reverse("inspections:verify", args=[entry_code(task)]))


def _rows(task: InspectionTask) -> list[dict[str, Any]]:
    results = {r.item_id: r for r in task.results.all()}
    findings: dict[int, list[Hazard]] = {}
    for hazard in task.hazards.all():
        if hazard.item_id:
            findings.setdefault(hazard.item_id, []).append(hazard)
    return [
        {"item": item, "result": results.get(item.pk), "findings": findings.get(item.pk, [])}
        for item in task.items.order_by("code")
    ]


def _context(request: HttpRequest, task: InspectionTask, user: User) -> dict[str, Any]:
    officer = is_task_officer(user, task)
    recording = officer and task.status in ("approved", "in_progress")
    if task.is_on_site:
        recording = recording and task.checked_in_at is not None
    open_hazards = [
        (h.pk, h.description[:60]) for h in task.hazards.filter(status="open", order__isnull=True)
    ]
    context: dict[str, Any] = {
        "task": task,
        "is_officer": officer,
        "recording": recording,
        "rows": _rows(task),
        "off_list": task.hazards.filter(item__isnull=True),
        "evidence": task.evidence.filter(hazard__isnull=True, report__isnull=True),
        "documents": document_rows(user, task),
        "orders": task.orders.select_related("document").prefetch_related("hazards"),
        "problems": [],
        "can_decide": task.status == "pending" and may_approve(user, task.body_id, today()),
        "can_cancel": (user.can("inspection.create") or user.can("inspection.approve"))
        and task.status in ("pending", "approved"),
    }
    if officer and task.code_active:
        url = verify_url(request, task)
        context.update(code=entry_code(task), verify_url=url, qr=qr_svg(url))
    if recording:
        context.update(
            finding_form=FindingForm(items=list(task.items.all())),
            evidence_form=EvidenceForm(),
            confirm_form=ConfirmForm(initial={"representative": task.representative}),
            finish_form=FinishForm(initial={"place": task.place or task.enterprise.address}),
            order_form=OrderForm(hazards=open_hazards) if open_hazards else None,
        )
        context["problems"] = record_problems(record_facts(task))
    return context


@require("inspection.view")
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = access_task(user, pk)
    return render(request, "inspections/task_detail.html", _context(request, task, user))


def _position(request: HttpRequest) -> Any:
    return parse_position(
        request.POST.get("lat"), request.POST.get("lng"), request.POST.get("accuracy")
    )


@require("inspection.conduct")
@require_POST
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = access_task(user, pk)
    form = PositionForm(request.POST)
    code = form.data.get("code") or ""
    try:
        check_in(actor=user, code=str(code), today=today(), position=_position(request))
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "已签到，开始检查")
    return redirect("inspections:task_detail", pk=task.pk)


@require("inspection.conduct")
def checkin_by_code(request: HttpRequest) -> HttpResponse:
    """Check in by scanning the QR with the page's camera (static/inspections/scan.js), or by
    pasting or typing the code, its verification address or the 8-character short code."""
    user = _user(request)
    form = PositionForm(request.POST or None)
    if request.method == "POST":
        try:
            day = today()
            code = resolve_code(
                str(form.data.get("code") or ""), day, client=client_ip(request) or ""
            )
            task = check_in(actor=user, code=code, today=day, position=_position(request))
        except TooManyTries as refused:
            messages.error(request, str(refused))
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, "已签到，开始检查")
            return redirect("inspections:task_detail", pk=task.pk)
    mine = visible_tasks(user).filter(date=today(), status="approved", mode="on_site")
    officer = officer_of(user)
    mine = mine.filter(officers=officer) if officer else mine.none()
    return render(request, "inspections/checkin.html", {"form": form, "today_tasks": mine})


@require("inspection.conduct")
@require_POST
def checkout(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = access_task(user, pk)
    try:
        check_out(actor=user, task=task, position=_position(request))
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "已签退")
    return redirect("inspections:task_detail", pk=task.pk)


@require("inspection.conduct")
@require_POST
def item_result(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    user = _user(request)
    task = access_task(user, pk)
    form = ItemResultForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请选择检查结果")
        record_item(
            actor=user,
            task=task,
            item_id=item_pk,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(reverse("inspections:task_detail", args=[task.pk]) + f"#item-{item_pk}")


@require("inspection.conduct")
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = access_task(user, pk)
    items = list(task.items.order_by("code"))
    initial = {"item": request.GET.get("item")}
    form = FindingForm(request.POST or None, request.FILES or None, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            add_finding(
                actor=user,
                task=task,
                request=FindingRequest(
                    description=data["description"],
                    level=data["level"],
                    item_id=data["item"],
                    off_list_reason=data["off_list_reason"],
                    location=data["location"],
                    legal_basis=data["legal_basis"],
                    fixed_on_spot=data["fixed_on_spot"],
                    onsite_measure=data["onsite_measure"],
                    measure_note=data["measure_note"],
                    files=request.FILES.getlist("files"),
                ),
                today=today(),
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "已登记问题")
            return redirect("inspections:task_detail", pk=task.pk)
    return render(request, "inspections/finding_form.html", {"form": form, "task": task})


@require("inspection.conduct")
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = access_task(user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError("请选择材料类别")
        add_evidence(
            actor=user,
            task=task,
            kind=form.cleaned_data["kind"],
            description=form.cleaned_data["description"],
            upload=request.FILES.get("file"),
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "已上传")
    return redirect(reverse("inspections:task_detail", args=[task.pk]) + "#evidence")


@require("inspection.conduct")
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = access_task(user, pk)
    form = ConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写被检查单位负责人姓名")
        confirm_record(
            actor=user,
            task=task,
            representative=form.cleaned_data["representative"],
            refused=form.cleaned_data["refused"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(reverse("inspections:task_detail", args=[task.pk]) + "#finish")


@require("inspection.conduct")
@require_POST
def order(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = access_task(user, pk)
    choices = [(h.pk, "") for h in task.hazards.all()]
    form = OrderForm(request.POST, hazards=choices)
    try:
        if not form.is_valid():
            raise ValidationError("请选择问题并填写 1 至 60 个工作日的整改期限")
        made = issue_order(
            actor=user,
            task=task,
            hazard_ids=form.cleaned_data["hazards"],
            working_days=form.cleaned_data["working_days"],
            today=today(),
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"已下达责令限期整改指令书，整改期限 {made.deadline:%Y-%m-%d}")
    return redirect(reverse("inspections:task_detail", args=[task.pk]) + "#orders")


@require("inspection.conduct")
@require_POST
def finish(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = access_task(user, pk)
    form = FinishForm(request.POST)
    form.is_valid()
    try:
        finish_record(
            actor=user,
            task=task,
            summary=form.cleaned_data.get("summary", ""),
            place=form.cleaned_data.get("place", ""),
            today=today(),
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "检查记录已完成，现场检查记录已编号")
    return redirect("inspections:task_detail", pk=task.pk)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if not (user.can("inspection.view") or user.can("enterprise.self")):
        raise PermissionDenied("您的角色无权查看证据材料。")
    evidence = Evidence.objects.filter(pk=pk, task__in=visible_tasks(user)).first()
    if evidence is None or not evidence.file:
        raise Http404("未找到该材料，或您无权查看。")
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type or "application/octet-stream",
        as_attachment=not evidence.is_image,
        filename=evidence.original_name or "evidence",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
