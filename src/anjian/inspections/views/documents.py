"""The inspection documents: every version of each with its download (the bytes kept at issue,
never regenerated) and the correction (更正) by the roles that issue the kind."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from anjian.accounts.models import User
from anjian.documents.services import DocumentError, document_response, versions_of
from anjian.inspections.access import is_task_officer, visible_tasks
from anjian.inspections.models import InspectionDocument, InspectionTask
from anjian.inspections.services.numbers import correct_document, document_frozen


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("请先登录。")
    return user


def _scoped_document(user: User, pk: int) -> InspectionDocument:
    document = (
        InspectionDocument.objects.select_related("task", "body", "issued")
        .filter(pk=pk, task__in=visible_tasks(user), issued__isnull=False)
        .first()
    )
    if document is None:
        raise Http404("未找到该文书，或您无权查看。")
    return document


def may_correct(user: User, document: InspectionDocument) -> bool:
    """The roles that issue the kind: the head for the notice, the task's officers for the
    record, order and measure, any officer for a review."""
    if document.kind == InspectionDocument.Kind.NOTICE:
        return user.can("inspection.approve") and document.body_id == user.body_id
    if document.kind == InspectionDocument.Kind.REVIEW and user.can("inspection.conduct"):
        return True
    return user.can("inspection.conduct") and is_task_officer(user, document.task)


def document_rows(user: User, task: InspectionTask) -> list[dict[str, Any]]:
    """The task's documents for its page: each with every version and, where the user may
    correct it, the correction's address."""
    rows = []
    for document in task.documents.select_related("issued").exclude(issued=None):
        assert document.issued is not None
        correct = may_correct(user, document) and user.role != "enterprise"
        rows.append(
            {
                "document": document,
                "versions": list(versions_of(document.issued).defer("content")),
                "correct_url": reverse("inspections:document_correct", args=[document.pk])
                if correct
                else "",
            }
        )
    return rows


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest version of a document of a task the user sees (bureau staff in scope, the
    enterprise its own), exactly as issued. A document issued before the register kept bytes
    is frozen on this first download and recorded as such."""
    user = _user(request)
    if not (user.can("inspection.view") or user.can("enterprise.self")):
        raise PermissionDenied("您的角色无权查看执法文书。")
    document = _scoped_document(user, pk)
    assert document.issued is not None
    latest = versions_of(document.issued).first() or document.issued
    if latest.content is None:
        latest = document_frozen(actor=user, document=document)
    return document_response(latest)


@require_POST
@login_required
def document_correct_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    document = _scoped_document(user, pk)
    if not may_correct(user, document):
        raise PermissionDenied("您的角色无权更正该文书。")
    try:
        corrected = correct_document(
            actor=user, document=document, reason=request.POST.get("reason", "")[:500]
        )
    except DocumentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已生成更正版本（第{corrected.version}版）")
    return redirect("inspections:task_detail", pk=document.task_id)
