"""The warning rules on a contact point's records (基层联系点预警): each rule reads plain facts
about the enterprises on the year's list and names the records a warning is about in its key,
so the same record never raises the same warning twice.

Pure Python, no Django: the service (`oversight/points/warnings.py`) reads the facts and stores
the flags as `PointWarning` rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

CAP_SHARE_PERCENT = 80
"""A warning when an enterprise has used this share of a yearly cap."""
CLOSE_ENTRY_DAYS = 7
"""Two entries whose dates lie within this many consecutive days (a gap of 0–6 days)."""
LOW_RATING = 2
"""A rating of this score or less."""
NOT_COUNTED_MODES = frozenset({"remote"})
"""Remote (non-site) checks are not entries into the enterprise."""

RULES: dict[str, str] = {
    "cap_use": "频次使用达到上限的80%",
    "close_entries": "七日内两次入企",
    "quiet_entry": "安静期内入企",
    "off_list": "清单外检查事项",
    "outside_tier": "罚款偏离裁量阶次",
    "low_rating": "企业评价较差",
    "report": "联系点反映问题",
}
CAP_KINDS: dict[str, str] = {"cap": "执法检查", "supervision": "督导检查"}


@dataclass(frozen=True)
class CapUse:
    enterprise_id: int
    year: int
    kind: str
    used: int
    cap: int


@dataclass(frozen=True)
class EntryFact:
    id: int
    enterprise_id: int
    on: date
    mode: str = "on_site"
    joint_key: str = ""
    quiet_exception: bool = False


@dataclass(frozen=True)
class RecordFact:
    """A finding, case, rating or report: its id, enterprise and day, and the one value a rule
    reads (off-list?, outside the tier?, the score, the kind of report)."""

    id: int
    enterprise_id: int
    on: date
    value: Any = None


@dataclass(frozen=True)
class Facts:
    caps: tuple[CapUse, ...] = ()
    entries: tuple[EntryFact, ...] = ()
    findings: tuple[RecordFact, ...] = ()  # value: off-list (bool)
    cases: tuple[RecordFact, ...] = ()  # value: outside the tier (bool)
    ratings: tuple[RecordFact, ...] = ()  # value: score (int)
    reports: tuple[RecordFact, ...] = ()  # value: the report's kind label (str)


@dataclass(frozen=True)
class Flag:
    rule: str
    enterprise_id: int
    key: str
    text: str
    facts: Mapping[str, Any] = field(default_factory=dict)


def cap_flags(caps: Iterable[CapUse]) -> list[Flag]:
    flags = []
    for use in caps:
        if use.cap <= 0 or use.used * 100 < use.cap * CAP_SHARE_PERCENT:
            continue
        percent = use.used * 100 // use.cap
        label = CAP_KINDS.get(use.kind, use.kind)
        flags.append(
            Flag(
                "cap_use",
                use.enterprise_id,
                f"cap_use:{use.year}:{use.kind}",
                f"{use.year}年{label}已用 {use.used}/{use.cap} 次（{percent}%）",
                {"year": use.year, "kind": use.kind, "used": use.used, "cap": use.cap},
            )
        )
    return flags


def counted_entries(entries: Iterable[EntryFact]) -> list[EntryFact]:
    """The entries that count as going into the enterprise, one per joint entry (its first
    booking), ordered by day and id."""
    seen: set[tuple[int, str]] = set()
    kept = []
    for entry in sorted(entries, key=lambda e: (e.on, e.id)):
        if entry.mode in NOT_COUNTED_MODES:
            continue
        if entry.joint_key:
            joint = (entry.enterprise_id, entry.joint_key)
            if joint in seen:
                continue
            seen.add(joint)
        kept.append(entry)
    return kept


def close_entry_flags(entries: Iterable[EntryFact]) -> list[Flag]:
    by_enterprise: dict[int, list[EntryFact]] = defaultdict(list)
    for entry in counted_entries(entries):
        by_enterprise[entry.enterprise_id].append(entry)
    flags = []
    for enterprise_id, rows in by_enterprise.items():
        for first, second in pairwise(rows):
            gap = (second.on - first.on).days
            if gap >= CLOSE_ENTRY_DAYS:
                continue
            flags.append(
                Flag(
                    "close_entries",
                    enterprise_id,
                    f"close_entries:{first.id}:{second.id}",
                    f"{first.on:%Y-%m-%d} 与 {second.on:%Y-%m-%d} 两次入企，相隔 {gap} 天",
                    {"entries": [first.id, second.id], "days": gap},
                )
            )
    return flags


def quiet_flags(entries: Iterable[EntryFact]) -> list[Flag]:
    return [
        Flag(
            "quiet_entry",
            e.enterprise_id,
            f"quiet_entry:{e.id}",
            f"{e.on:%Y-%m-%d} 在安静期内入企（经批准的例外）",
            {"entry": e.id},
        )
        for e in entries
        if e.quiet_exception
    ]


def _record_flags(
    rule: str, records: Iterable[RecordFact], text: str, *, when: Any = bool
) -> list[Flag]:
    return [
        Flag(
            rule,
            r.enterprise_id,
            f"{rule}:{r.id}",
            text.format(on=r.on, value=r.value),
            {"record": r.id, "value": r.value},
        )
        for r in records
        if when(r.value)
    ]


def all_flags(facts: Facts) -> list[Flag]:
    """Every rule over the facts, ordered by enterprise and key (the order of the facts does not
    matter)."""
    flags = [
        *cap_flags(facts.caps),
        *close_entry_flags(facts.entries),
        *quiet_flags(facts.entries),
        *_record_flags("off_list", facts.findings, "{on:%Y-%m-%d} 检查发现清单外问题"),
        *_record_flags("outside_tier", facts.cases, "{on:%Y-%m-%d} 立案的案件罚款偏离裁量阶次"),
        *_record_flags(
            "low_rating",
            facts.ratings,
            "{on:%Y-%m-%d} 的检查，企业评价为 {value} 分",
            when=lambda score: score is not None and score <= LOW_RATING,
        ),
        *_record_flags(
            "report", facts.reports, "{on:%Y-%m-%d} 联系点反映：{value}", when=lambda _v: True
        ),
    ]
    return sorted(flags, key=lambda f: (f.enterprise_id, f.key))
