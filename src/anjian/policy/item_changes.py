"""What changed between two versions of an inspection item list, and how item fields read in
Chinese. Items are compared by code; anything with the item attributes will do (model rows or
parsed `ItemRow`s), so the same summary serves the audit trail, the history page and the import
preview. No Django here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from anjian.domain.registry import SECTORS
from anjian.policy_data.items import LEVELS, METHODS

# The columns users see, in order; the spreadsheet headers are these labels.
FIELD_LABELS: dict[str, str] = {
    "code": "事项编码",
    "name": "事项名称",
    "law": "法律依据",
    "article": "条款",
    "body_levels": "实施层级",
    "section": "实施股室",
    "sectors": "检查对象",
    "methods": "检查方式",
    "frequency_note": "频次说明",
}
CONTENT_FIELDS: tuple[str, ...] = tuple(field for field in FIELD_LABELS if field != "code")
LIST_FIELDS: dict[str, dict[str, str]] = {
    "body_levels": LEVELS,
    "sectors": SECTORS,
    "methods": METHODS,
}
ALL_SECTORS_LABEL = "全部行业"


def list_text(field: str, values: Iterable[str]) -> str:
    """A list field as Chinese labels joined by 、 (every sector reads 全部行业)."""
    names = LIST_FIELDS[field]
    values = list(values)
    if field == "sectors" and set(values) >= set(SECTORS):
        return ALL_SECTORS_LABEL
    return "、".join(names.get(value, value) for value in values)


def field_text(item: Any, field: str) -> str:
    value = getattr(item, field)
    if field in LIST_FIELDS:
        return list_text(field, value)
    return str(value or "")


def _content(item: Any, field: str) -> Any:
    value = getattr(item, field)
    if field in LIST_FIELDS:
        return tuple(value or ())
    return (value or "").strip()


def same_content(older: Any, newer: Any) -> bool:
    return not differing_fields(older, newer)


def differing_fields(older: Any, newer: Any) -> tuple[str, ...]:
    return tuple(f for f in CONTENT_FIELDS if _content(older, f) != _content(newer, f))


@dataclass(frozen=True)
class ItemChange:
    code: str
    name: str
    fields: tuple[str, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(FIELD_LABELS[field] for field in self.fields)


@dataclass(frozen=True)
class ItemChanges:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[ItemChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form stored in the audit trail."""
        return {
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": {change.code: list(change.labels) for change in self.changed},
        }

    def summary(self) -> str:
        """One Chinese line, e.g. 新增2项，删除1项，修改3项."""
        if self.empty:
            return "事项内容无变化"
        return f"新增{len(self.added)}项，删除{len(self.removed)}项，修改{len(self.changed)}项"


def list_changes(older_items: Sequence[Any], newer_items: Sequence[Any]) -> ItemChanges:
    """Codes added and removed, and for codes in both the fields whose content differs."""
    older = {item.code: item for item in older_items}
    newer = {item.code: item for item in newer_items}
    changed = []
    for code in sorted(set(older) & set(newer)):
        fields = differing_fields(older[code], newer[code])
        if fields:
            changed.append(ItemChange(code, newer[code].name, fields))
    return ItemChanges(
        added=tuple(sorted(set(newer) - set(older))),
        removed=tuple(sorted(set(older) - set(newer))),
        changed=tuple(changed),
    )
