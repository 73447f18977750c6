"""Inspection endpoints for the mobile pages: the tasks in the caller's scope, check-in with the
entry code, check-out, a result per item, findings with photos, and the public code check.

Reads go through `inspections.access`; writes call the inspection services, which check that
the caller is one of the task's officers. A refused write (`ValidationError`) answers 400, a
foreign task 404 and a non-officer 403, all as `ErrorOut` (handlers in `api.errors`)."""

from typing import cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate
from ninja.params import functions as param

from anjian.accounts.models import User
from anjian.api.errors import error_body, errors
from anjian.api.inspection_schemas import (
    CheckInIn,
    CheckOutIn,
    FindingIn,
    FindingOut,
    ResultIn,
    ResultOut,
    TaskDetailOut,
    TaskOut,
    TaskQuery,
    VerifyOut,
)
from anjian.api.registry_routes import DETAIL_ERRORS, LIST_ERRORS
from anjian.api.schemas import Pages, Rows, id_path
from anjian.audit.middleware import client_ip
from anjian.inspections.access import access_task, is_task_officer, officer_of, visible_tasks
from anjian.inspections.codes import VERDICT_STATUS, TooManyTries, entry_code, verify_code
from anjian.inspections.models import Hazard, InspectionTask, ItemResult
from anjian.inspections.services.records import FindingRequest, add_finding, record_item
from anjian.inspections.services.visits import check_in, check_out, parse_position

router = Router(tags=["inspections 行政检查"])
# a write may also be refused by the service (400), lack the CSRF token (403) or be too big (413)
CHECKIN_ERRORS = errors(400, 401, 403, 413, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 413, 422)
TASK_ID = "检查任务 id"


def _require(request: HttpRequest, *capabilities: str) -> None:
    if not any(_user(request).can(c) for c in capabilities):
        raise PermissionDenied("您的角色无权访问该数据。")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # django_auth lets only logged-in users through


def _coded(code: str, label: object) -> dict[str, str]:
    return {"code": code, "label": str(label)}


def _task_out(task: InspectionTask) -> dict[str, object]:
    return {
        "id": task.pk,
        "enterprise": {"id": task.enterprise_id, "name": task.enterprise.name},
        "date": task.date,
        "activity": _coded(task.activity, task.get_activity_display()),
        "mode": _coded(task.mode, task.get_mode_display()),
        "status": _coded(task.status, task.get_status_display()),
        "officers": [
            {"name": o.name, "certificate_no": o.certificate_no} for o in task.officers.all()
        ],
        "items": [
            {"id": i.pk, "code": i.code, "name": i.name, "law": i.law, "article": i.article}
            for i in sorted(task.items.all(), key=lambda i: i.code)
        ],
        "checked_in_at": task.checked_in_at,
        "checked_out_at": task.checked_out_at,
    }


def _result_out(result: ItemResult) -> dict[str, object]:
    outcome = _coded(result.outcome, result.get_outcome_display())
    return {"item_id": result.item_id, "outcome": outcome, "note": result.note}


def _finding_out(hazard: Hazard) -> dict[str, object]:
    return {
        "id": hazard.pk,
        "item_id": hazard.item_id,
        "description": hazard.description,
        "level": _coded(hazard.level, hazard.get_level_display()),
        "status": _coded(hazard.status, hazard.get_status_display()),
        "deadline": hazard.deadline,
        "legal_basis": hazard.legal_basis,
        "legal_flag": hazard.legal_flag,
    }


def _detail_out(request: HttpRequest, task: InspectionTask) -> dict[str, object]:
    out = _task_out(task)
    out["results"] = [_result_out(r) for r in task.results.all()]
    out["findings"] = [_finding_out(h) for h in task.hazards.all()]
    out["documents"] = [
        {
            "id": d.pk,
            "kind": _coded(d.kind, d.get_kind_display()),
            "number": d.number,
            "issued_on": d.issued_on,
            "download_url": reverse("inspections:document", args=[d.pk]),
        }
        for d in task.documents.all()
    ]
    out["code"] = out["verify_url"] = None
    if task.code_active and is_task_officer(_user(request), task):
        out["code"] = code = entry_code(task)
        out["verify_url"] = request.build_absolute_uri(reverse("inspections:verify", args=[code]))
    return out


def _readable(request: HttpRequest, task_id: int) -> InspectionTask:
    _require(request, "inspection.view", "enterprise.self")
    return access_task(_user(request), task_id)


def _writable(request: HttpRequest, task_id: int) -> InspectionTask:
    _require(request, "inspection.conduct")
    return access_task(_user(request), task_id)


@router.get("/inspections/tasks", response={200: list[TaskOut], **LIST_ERRORS})
@paginate(Pages)
def task_list(request: HttpRequest, filters: Query[TaskQuery]) -> list[dict[str, object]]:
    """Bureau staff: the tasks of the enterprises in their scope; an enterprise user: its own
    approved, ongoing and finished inspections (never pending or refused ones)."""
    _require(request, "inspection.view", "enterprise.self")
    user = _user(request)
    tasks = visible_tasks(user)
    if filters.date:
        tasks = tasks.filter(date=filters.date)
    if filters.status:
        tasks = tasks.filter(status=filters.status)
    if filters.mine:  # a user without an officer record has no tasks of their own
        officer = officer_of(user)
        tasks = tasks.filter(officers=officer) if officer else tasks.none()
    tasks = tasks.prefetch_related("officers", "items").order_by("-date", "-pk")
    return Rows(tasks, _task_out)  # type: ignore[return-value]


@router.get("/inspections/tasks/{task_id}", response={200: TaskDetailOut, **DETAIL_ERRORS})
def task_detail(request: HttpRequest, task_id: int = id_path(TASK_ID)) -> dict[str, object]:
    """The task with its results, findings and documents; its officers also get the entry
    code and the address to verify it."""
    return _detail_out(request, _readable(request, task_id))


@router.post("/inspections/checkin", response={200: TaskDetailOut, **CHECKIN_ERRORS})
def task_check_in(request: HttpRequest, payload: CheckInIn) -> dict[str, object]:
    """Check in with the entry code, on the task's day, as one of its officers. A forged,
    expired, revoked or other-day code answers 400 with the reason."""
    _require(request, "inspection.conduct")
    position = parse_position(payload.lat, payload.lng, payload.accuracy)
    task = check_in(
        actor=_user(request), code=payload.code, today=timezone.localdate(), position=position
    )
    return _detail_out(request, task)


@router.post("/inspections/tasks/{task_id}/checkout", response={200: TaskDetailOut, **WRITE_ERRORS})
def task_check_out(
    request: HttpRequest, payload: CheckOutIn, task_id: int = id_path(TASK_ID)
) -> dict[str, object]:
    task = _writable(request, task_id)
    position = parse_position(payload.lat, payload.lng)
    return _detail_out(request, check_out(actor=_user(request), task=task, position=position))


@router.post("/inspections/tasks/{task_id}/results", response={200: ResultOut, **WRITE_ERRORS})
def task_record_item(
    request: HttpRequest, payload: ResultIn, task_id: int = id_path(TASK_ID)
) -> dict[str, object]:
    """The result of one of the task's items (recorded again, it replaces the earlier one)."""
    task = _writable(request, task_id)
    result = record_item(
        actor=_user(request),
        task=task,
        item_id=payload.item_id,
        outcome=payload.outcome,
        note=payload.note,
    )
    return _result_out(result)


@router.post("/inspections/tasks/{task_id}/findings", response={201: FindingOut, **WRITE_ERRORS})
def task_add_finding(
    request: HttpRequest,
    data: Form[FindingIn],
    task_id: int = id_path(TASK_ID),
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[dict[str, object]]:
    """A finding (multipart form), with photos or documents in `files`; each file is checked
    by its content. A major hazard needs its on-site measure."""
    task = _writable(request, task_id)
    hazard = add_finding(
        actor=_user(request),
        task=task,
        request=FindingRequest(**data.model_dump(), files=files or []),
        today=timezone.localdate(),
    )
    return Status(201, _finding_out(hazard))


VERDICTS = {status: VerifyOut for status in sorted(set(VERDICT_STATUS.values()))}


@router.get(
    "/inspections/verify/{code}",
    auth=None,
    response={**VERDICTS, **errors(422, 429)},
)
def code_verify(
    request: HttpRequest,
    response: HttpResponse,
    code: str = param.Path(..., max_length=200, description="检查码（二维码内容），或 8 位核验码"),
) -> Status[dict[str, object]]:
    """Public, no login: what an entry code (or the 8-character short code printed beside the
    QR) is — the same verdict and HTTP status as the public page (`inspections.codes`): 200
    for a registered inspection (valid today or for another day, showing its enterprise,
    officers and items), 410 expired or revoked, 404 forged or unknown; the body always says
    the `state`. Past the limit of unknown short codes from one address: 429."""
    response["Cache-Control"] = "no-store"
    client = client_ip(request) or ""
    try:
        result = verify_code(code, timezone.localdate(), client=client)
    except TooManyTries as refused:
        return Status(429, error_body("too_many_requests", str(refused)))
    task = result.task
    inspection = None
    if task is not None and result.registered:
        out = _task_out(task)
        inspection = {
            "body": task.body.name,
            "enterprise": task.enterprise.name,
            "date": task.date,
            "activity": out["activity"],
            "officers": out["officers"],
            "items": out["items"],
        }
    body: dict[str, object] = {
        "state": result.state,
        "message": result.message,
        "inspection": inspection,
    }
    return Status(VERDICT_STATUS[result.state], body)
