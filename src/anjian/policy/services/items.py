"""The inspection item list (涉企行政检查事项清单): the legal office edits a draft and publishes it;
the published version is in force until the next one supersedes it. Versions are never edited
once published, so every entry keeps the list it was decided under.

A body starts from the shipped starter list (marked as such) and replaces it with its own. Each
write runs in one transaction with its audit entry; an item is validated by the same parser as
an Excel import, so a form and a spreadsheet are held to the same rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from anjian.accounts.models import EnforcementBody, User
from anjian.audit.services import audit_record, diff, snapshot
from anjian.policy.item_changes import list_changes, same_content
from anjian.policy.models import InspectionItem, InspectionItemList
from anjian.policy_data.items import (
    FIELDS,
    STARTER_LABEL,
    ItemRow,
    load_starter_items,
    parse_item_rows,
)

Status = InspectionItemList.Status
ITEM_FIELDS = [*FIELDS, "changed_on"]


def own_title(body: EnforcementBody) -> str:
    return f"{body.name}涉企行政检查事项清单"


def _check_actor(actor: User | None, body_id: int) -> None:
    """Only the legal office of the list's own body writes it (None: the system itself)."""
    if actor is None:
        return
    if not actor.can("items.edit") or actor.body_id != body_id:
        raise PermissionDenied("您无权修改该执法主体的检查事项清单")


def _lock_body(body: EnforcementBody) -> None:
    """Serialises the list writes of one body (starting, drafting, publishing)."""
    EnforcementBody.objects.select_for_update().filter(pk=body.pk).first()


def _locked_draft(actor: User | None, draft: InspectionItemList) -> InspectionItemList:
    _check_actor(actor, draft.body_id)
    _lock_body(draft.body)
    row = InspectionItemList.objects.select_for_update().filter(pk=draft.pk).first()
    if row is None or row.status != Status.DRAFT:
        raise ValidationError("只能修改草稿；已发布或已被替代的版本不能修改")
    return row


def _item(item_list: InspectionItemList, row: ItemRow) -> InspectionItem:
    return InspectionItem(
        item_list=item_list,
        code=row.code,
        name=row.name,
        law=row.law,
        article=row.article,
        body_levels=list(row.body_levels),
        section=row.section,
        sectors=list(row.sectors),
        methods=list(row.methods),
        frequency_note=row.frequency_note,
    )


def _published(body_id: int) -> InspectionItemList | None:
    return (
        InspectionItemList.objects.select_for_update()
        .filter(body_id=body_id, status=Status.PUBLISHED)
        .first()
    )


def item_list_start(
    *, actor: User | None, body: EnforcementBody, today: date
) -> InspectionItemList:
    """Version 1 of a body's list: a draft holding the starter items, marked as the starter."""
    _check_actor(actor, body.pk)
    items = load_starter_items()
    with transaction.atomic():
        _lock_body(body)
        if InspectionItemList.objects.filter(body=body).exists():
            raise ValidationError("本执法主体已有检查事项清单，不能再从起步版开始")
        draft = InspectionItemList.objects.create(
            body=body,
            version=1,
            title=STARTER_LABEL,
            status=Status.DRAFT,
            is_starter=True,
            created_by=actor,
        )
        InspectionItem.objects.bulk_create(_item(draft, row) for row in items)
        audit_record(
            actor=actor,
            action="items.list.start",
            target=draft,
            changes={"started_on": today.isoformat(), "items": len(items)},
        )
    return draft


def item_list_draft_create(*, actor: User | None, body: EnforcementBody) -> InspectionItemList:
    """A new draft copying the published version; one draft at a time."""
    _check_actor(actor, body.pk)
    with transaction.atomic():
        _lock_body(body)
        if InspectionItemList.objects.filter(body=body, status=Status.DRAFT).exists():
            raise ValidationError("已有一份草稿，请先发布或放弃该草稿")
        published = _published(body.pk)
        if published is None:
            raise ValidationError("还没有已发布的清单；请先从起步版开始并发布")
        latest = InspectionItemList.objects.filter(body=body).aggregate(m=Max("version"))["m"]
        draft = InspectionItemList.objects.create(
            body=body,
            version=(latest or 0) + 1,
            title=own_title(body) if published.is_starter else published.title,
            status=Status.DRAFT,
            created_by=actor,
        )
        copies = []
        for item in published.items.all():
            item.pk, item.item_list = None, draft
            copies.append(item)
        InspectionItem.objects.bulk_create(copies)
        audit_record(
            actor=actor,
            action="items.draft.create",
            target=draft,
            changes={"from_version": published.version, "items": len(copies)},
        )
    return draft


def _row(data: dict[str, Any]) -> ItemRow:
    """One form's values checked by the import parser; errors keyed by field."""
    raw = {
        field: ";".join(value) if isinstance(value, list | tuple) else value
        for field, value in data.items()
        if field in FIELDS
    }
    rows, errors = parse_item_rows([raw])
    if errors:
        found: dict[str, list[str]] = {}
        for error in errors:
            found.setdefault(error.field, []).append(error.message)
        raise ValidationError(found)
    return rows[0]


def item_save(
    *,
    actor: User | None,
    draft: InspectionItemList,
    item: InspectionItem | None = None,
    data: dict[str, Any],
) -> InspectionItem:
    """Add an item to a draft (item None) or edit one of its items."""
    row = _row(data)
    with transaction.atomic():
        draft = _locked_draft(actor, draft)
        if item is not None and item.item_list_id != draft.pk:
            raise ValidationError("该事项不属于这份草稿")
        same_code = draft.items.filter(code=row.code)
        if item is not None:
            same_code = same_code.exclude(pk=item.pk)
        if same_code.exists():
            raise ValidationError({"code": [f"事项编码{row.code}在本清单中已存在"]})
        before = snapshot(item, ITEM_FIELDS) if item is not None else {}
        saved = _item(draft, row)
        if item is not None:
            saved.pk, saved.changed_on = item.pk, item.changed_on
        saved.save()
        audit_record(
            actor=actor,
            action="items.item.update" if item is not None else "items.item.create",
            target=saved,
            changes=diff(before, snapshot(saved, ITEM_FIELDS)),
        )
    return saved


def item_delete(*, actor: User | None, draft: InspectionItemList, item: InspectionItem) -> None:
    with transaction.atomic():
        draft = _locked_draft(actor, draft)
        if item.item_list_id != draft.pk:
            raise ValidationError("该事项不属于这份草稿")
        audit_record(
            actor=actor,
            action="items.item.delete",
            target=item,
            changes=diff(snapshot(item, ITEM_FIELDS), {}),
        )
        item.delete()


def _unique_codes(rows: Iterable[ItemRow]) -> None:
    seen: set[str] = set()
    for row in rows:
        if row.code in seen:
            raise ValidationError(f"事项编码{row.code}重复出现")
        seen.add(row.code)


def item_list_replace(
    *, actor: User | None, draft: InspectionItemList, rows: list[ItemRow]
) -> InspectionItemList:
    """Replace every item of a draft (an Excel import that passed its check). The list is then
    the body's own, no longer the starter."""
    if not rows:
        raise ValidationError("导入的清单中没有任何事项")
    _unique_codes(rows)
    with transaction.atomic():
        draft = _locked_draft(actor, draft)
        changes = list_changes(list(draft.items.all()), rows)
        draft.items.all().delete()
        InspectionItem.objects.bulk_create(_item(draft, row) for row in rows)
        if draft.is_starter:
            draft.is_starter, draft.title = False, own_title(draft.body)
            draft.save(update_fields=["is_starter", "title"])
        audit_record(
            actor=actor,
            action="items.draft.import",
            target=draft,
            changes={"items": len(rows), **changes.as_dict()},
        )
    return draft


def _stamp(items: list[InspectionItem], older: list[InspectionItem], today: date) -> None:
    """An item keeps its last change date when its content is unchanged, else gets today."""
    previous = {item.code: item for item in older}
    for item in items:
        before = previous.get(item.code)
        unchanged = before is not None and before.changed_on and same_content(before, item)
        item.changed_on = before.changed_on if unchanged and before else today
    InspectionItem.objects.bulk_update(items, ["changed_on"])


def item_list_publish(
    *, actor: User | None, draft: InspectionItemList, today: date, change_note: str
) -> InspectionItemList:
    """The draft comes into force today and the version before it is superseded."""
    note = change_note.strip()
    if not note:
        raise ValidationError({"change_note": ["请填写修订说明（依据的文件、改动了什么）"]})
    with transaction.atomic():
        draft = _locked_draft(actor, draft)
        items = list(draft.items.all())
        if not items:
            raise ValidationError("清单中没有任何事项，不能发布")
        previous = _published(draft.body_id)
        older = list(previous.items.all()) if previous is not None else []
        _stamp(items, older, today)
        if previous is not None:
            previous.status = Status.SUPERSEDED
            previous.save(update_fields=["status"])
        draft.status, draft.published_on, draft.published_by = Status.PUBLISHED, today, actor
        draft.change_note = note
        draft.save(update_fields=["status", "published_on", "published_by", "change_note"])
        audit_record(
            actor=actor,
            action="items.list.publish",
            target=draft,
            changes={
                "published_on": today.isoformat(),
                "superseded_version": previous.version if previous is not None else None,
                "note": note,
                "items": len(items),
                **list_changes(older, items).as_dict(),
            },
        )
    return draft


def item_list_discard(*, actor: User | None, draft: InspectionItemList) -> None:
    with transaction.atomic():
        draft = _locked_draft(actor, draft)
        audit_record(
            actor=actor,
            action="items.draft.discard",
            target=draft,
            changes={"version": draft.version, "items": draft.items.count()},
        )
        draft.delete()
