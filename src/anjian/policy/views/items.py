"""The inspection item list (涉企行政检查事项清单): the list in force, the legal office's draft
(items, Excel import, publish, discard), the version history and the public pages."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from anjian.accounts.access import require
from anjian.accounts.models import EnforcementBody, User
from anjian.config.routers import replica_reads
from anjian.domain.registry import SECTORS
from anjian.domain.rules.quiet import describe_days
from anjian.domain.rules.vocab import MODES
from anjian.policy.forms import ItemForm, ItemImportForm, PublishForm
from anjian.policy.item_changes import list_changes
from anjian.policy.item_excel import item_template, items_workbook, read_item_workbook
from anjian.policy.models import InspectionItem, InspectionItemList
from anjian.policy.selectors import (
    QuietMonthState,
    first_of_month,
    next_month,
    quiet_month_state,
)
from anjian.policy.services.items import (
    item_delete,
    item_list_discard,
    item_list_draft_create,
    item_list_publish,
    item_list_replace,
    item_list_start,
    item_save,
)
from anjian.policy.views.common import flash_errors, form_errors, today
from anjian.registry.import_views import errors_download, park_errors, parked_folder, write_parked
from anjian.ui.sheets import SheetError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _body(user: User) -> EnforcementBody:
    if user.body_id is None:
        raise PermissionDenied("您的账号不属于任何执法主体")
    return user.body


def _version(body: EnforcementBody, status: str) -> InspectionItemList | None:
    return InspectionItemList.objects.filter(body=body, status=status).first()


def _filtered(items, params):  # type: ignore[no-untyped-def]
    sector, method, text = params.get("sector", ""), params.get("method", ""), params.get("q", "")
    rows = list(items)
    if sector in SECTORS:
        rows = [i for i in rows if sector in i.sectors]
    if method in MODES:
        rows = [i for i in rows if method in i.methods]
    needle = text.strip().casefold()
    if needle:
        rows = [i for i in rows if needle in f"{i.code}{i.name}{i.law}{i.section}".casefold()]
    return rows


@require("policy.view")
def item_list(request: HttpRequest) -> HttpResponse:
    body = _body(request.user)
    published = _version(body, "published")
    items = _filtered(published.items.all(), request.GET) if published else []
    context = {
        "body": body,
        "published": published,
        "items": items,
        "draft": _version(body, "draft"),
        "never_started": not InspectionItemList.objects.filter(body=body).exists(),
        "sectors": SECTORS.items(),
        "methods": MODES.items(),
        "params": request.GET,
    }
    return render(request, "policy/items/list.html", context)


@require("items.edit")
@require_POST
def item_list_start_view(request: HttpRequest) -> HttpResponse:
    try:
        item_list_start(actor=request.user, body=_body(request.user), today=today())
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("policy:item_list")
    messages.success(request, "已载入起步清单草稿：请核对、修改或导入本局清单后发布")
    return redirect("policy:item_draft")


@require("items.edit")
@require_POST
def item_draft_create_view(request: HttpRequest) -> HttpResponse:
    try:
        item_list_draft_create(actor=request.user, body=_body(request.user))
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("policy:item_list")
    return redirect("policy:item_draft")


def _draft(user: User) -> InspectionItemList:
    draft = _version(_body(user), "draft")
    if draft is None:
        raise Http404("当前没有草稿")
    return draft


@require("items.edit")
def item_draft(request: HttpRequest) -> HttpResponse:
    draft = _draft(request.user)
    context: dict[str, object] = {
        "draft": draft,
        "items": draft.items.all(),
        "publish_form": PublishForm(),
        "import_form": ItemImportForm(),
    }
    published = _version(draft.body, "published")
    context["changes"] = list_changes(
        list(published.items.all()) if published else [], list(draft.items.all())
    )
    return render(request, "policy/items/draft.html", context)


@require("items.edit")
def item_import(request: HttpRequest) -> HttpResponse:
    draft = _draft(request.user)
    if request.method == "POST" and request.POST.get("token"):
        return _import_confirm(request, draft)
    if download := errors_download(request, "item_import"):
        return download
    form = ItemImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"draft": draft, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        rows, errors, file_error = read_item_workbook(data)
        context.update({"rows": rows, "errors": errors, "file_error": file_error})
        if not errors and not file_error:
            token = secrets.token_hex(16)
            write_parked(parked_folder() / f"items-{token}.xlsx", data)
            request.session["item_import_token"] = f"{draft.pk}:{token}"
            context["token"] = token
            context["changes"] = list_changes(list(draft.items.all()), rows)
        elif errors:
            sheet_errors = [SheetError(e.row, e.label, e.message) for e in errors]
            context["errors_token"] = park_errors(request, "item_import", data, sheet_errors)
    return render(request, "policy/items/import.html", context)


def _import_confirm(request: HttpRequest, draft: InspectionItemList) -> HttpResponse:
    token = request.POST.get("token", "")
    expected = request.session.pop("item_import_token", None)
    if not token.isalnum() or expected != f"{draft.pk}:{token}":
        messages.error(request, "导入已过期，请重新上传")
        return redirect("policy:item_import")
    parked = parked_folder() / f"items-{token}.xlsx"
    rows, errors, file_error = (
        read_item_workbook(parked.read_bytes()) if parked.exists() else ([], [], "文件已过期")
    )
    parked.unlink(missing_ok=True)
    if errors or file_error:
        messages.error(request, file_error or "文件复核未通过，请重新上传")
        return redirect("policy:item_import")
    try:
        item_list_replace(actor=request.user, draft=draft, rows=rows)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("policy:item_import")
    messages.success(request, f"已导入 {len(rows)} 个事项到草稿")
    return redirect("policy:item_draft")


def _item_in_draft(draft: InspectionItemList, pk: int | None) -> InspectionItem | None:
    if pk is None:
        return None
    item = draft.items.filter(pk=pk).first()
    if item is None:
        raise Http404("草稿中没有该事项")
    return item


@require("items.edit")
def item_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    draft = _draft(request.user)
    item = _item_in_draft(draft, pk)
    initial = {f: getattr(item, f) for f in ItemForm.base_fields} if item else {}
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item_save(actor=request.user, draft=draft, item=item, data=form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "事项已保存到草稿")
            return redirect("policy:item_draft")
    return render(
        request, "policy/items/item_form.html", {"form": form, "item": item, "draft": draft}
    )


@require("items.edit")
@require_POST
def item_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request.user)
    item = _item_in_draft(draft, pk)
    assert item is not None
    try:
        item_delete(actor=request.user, draft=draft, item=item)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("policy:item_draft")
    messages.success(request, f"已从草稿删除 {item.code}")
    return redirect("policy:item_draft")


@require("items.edit")
@require_POST
def item_publish_view(request: HttpRequest) -> HttpResponse:
    draft = _draft(request.user)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写修订说明")
        return redirect("policy:item_draft")
    try:
        item_list_publish(
            actor=request.user,
            draft=draft,
            today=today(),
            change_note=form.cleaned_data["change_note"],
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("policy:item_draft")
    messages.success(request, f"第{draft.version}版已发布并公开")
    return redirect("policy:item_list")


@require("items.edit")
@require_POST
def item_discard_view(request: HttpRequest) -> HttpResponse:
    try:
        item_list_discard(actor=request.user, draft=_draft(request.user))
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("policy:item_draft")
    messages.success(request, "草稿已放弃")
    return redirect("policy:item_list")


def _history(body: EnforcementBody) -> list[dict[str, object]]:
    versions = list(
        InspectionItemList.objects.filter(body=body)
        .exclude(status="draft")
        .select_related("published_by")
        .order_by("version")
    )
    rows, previous = [], []
    for version in versions:
        items = list(version.items.all())
        rows.append(
            {"version": version, "changes": list_changes(previous, items), "count": len(items)}
        )
        previous = items
    return rows[::-1]


@require("policy.view")
def item_history(request: HttpRequest) -> HttpResponse:
    body = _body(request.user)
    return render(request, "policy/items/history.html", {"body": body, "rows": _history(body)})


def _xlsx(content: bytes, name: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@require("policy.view")
def item_export(request: HttpRequest) -> HttpResponse:
    published = _version(_body(request.user), "published")
    if published is None:
        raise Http404("尚未发布事项清单")
    return _xlsx(
        items_workbook(published.items.all(), title=str(published)), f"{published.title}.xlsx"
    )


@require("items.edit")
def item_template_view(request: HttpRequest) -> HttpResponse:
    return _xlsx(item_template(), "检查事项清单导入模板.xlsx")


@replica_reads
def item_public_index(request: HttpRequest) -> HttpResponse:
    lists = InspectionItemList.objects.filter(status="published").select_related("body")
    return render(
        request, "policy/items/public_index.html", {"lists": lists.order_by("body__name")}
    )


@replica_reads
def item_public(request: HttpRequest, body_id: int) -> HttpResponse:
    published = (
        InspectionItemList.objects.filter(body_id=body_id, status="published")
        .select_related("body")
        .first()
    )
    if published is None:
        raise Http404("该执法主体尚未公布检查事项清单")
    context = {
        "published": published,
        "items": _filtered(published.items.all(), request.GET),
        "rows": _history(published.body),
        "sectors": SECTORS.items(),
        "methods": MODES.items(),
        "params": request.GET,
        "quiet_months": _public_quiet(published.body_id),
    }
    return render(request, "policy/items/public.html", context)


def _public_quiet(body_id: int) -> list[tuple[QuietMonthState, str, bool]]:
    """This month's and next month's quiet days as enterprises read them, with whether the days
    are the default pattern still open to the body's own declaration."""
    month = first_of_month(today())
    states = [quiet_month_state(body_id, m) for m in (month, next_month(month))]
    return [(s, describe_days(s.days), not s.settled(today())) for s in states if s.days]
