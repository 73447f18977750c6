"""Reading the `anjian check-entry` input (interfaces.md) into the engine's dataclasses.

Every problem is reported, each naming its field (`proposed.date`, `history[2].activity` …), with a
stable upper-case code and a Chinese message. Unknown extra fields are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from anjian.domain.registry import (
    MINE_SECTORS,
    EnterpriseProfile,
    ErrorCollector,
    FieldError,
    FieldErrors,
    validate_profile,
)
from anjian.domain.rules.entries import EnterpriseFacts, Entry, ProposedEntry
from anjian.domain.rules.ruleset import parse_iso_date
from anjian.domain.rules.vocab import ACTIVITIES, LEVELS, MODES, QUIET_EMERGENCY_GROUNDS


class CheckInputInvalid(FieldErrors):
    """Every problem of the input, each a FieldError."""


@dataclass(frozen=True)
class CheckInput:
    policy: str | None
    enterprise: EnterpriseFacts
    quiet_days: frozenset[date]
    history: tuple[Entry, ...]
    proposed: ProposedEntry


class _Reader(ErrorCollector):
    def obj(self, data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        value = data.get(key)
        if value is None:
            self.fail(path, "MISSING_FIELD", f"缺少 {path}")
            return {}
        if not isinstance(value, Mapping):
            self.fail(path, "NOT_AN_OBJECT", f"{path} 应为对象")
            return {}
        return value

    def day(self, raw: Any, path: str) -> date | None:
        if raw is None:
            self.fail(path, "MISSING_FIELD", f"缺少 {path}")
            return None
        value = parse_iso_date(raw)
        if value is None:
            self.fail(path, "BAD_DATE", f"{path} 不是有效日期（YYYY-MM-DD）：{raw}")
        return value

    def word(self, raw: Any, vocab: Mapping[str, str], path: str, code: str, label: str) -> str:
        if raw is None:
            self.fail(path, "MISSING_FIELD", f"缺少 {path}（{label}）")
        elif not isinstance(raw, str) or raw not in vocab:
            self.fail(path, code, f"未知的{label}：{raw}（可选：{'、'.join(vocab)}）")
        return str(raw)

    def text(self, raw: Any, path: str) -> str | None:
        if raw is None or raw == "":
            return None
        if not isinstance(raw, str | int) or isinstance(raw, bool):
            self.fail(path, "BAD_VALUE", f"{path} 应为字符串")
            return None
        return str(raw)


def _grade(reader: _Reader, raw: Any) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int):
        reader.fail("enterprise.standardization_grade", "UNKNOWN_GRADE", f"未知的标准化等级：{raw}")
        return None
    return raw


def _enterprise(reader: _Reader, data: Mapping[str, Any]) -> EnterpriseFacts:
    raw = reader.obj(data, "enterprise", "enterprise")
    if raw and raw.get("sector") is None:
        reader.fail("enterprise.sector", "MISSING_FIELD", "缺少 enterprise.sector（行业领域）")
    facts = EnterpriseFacts(
        id=str(raw.get("id") or ""),
        sector=str(raw.get("sector") or ""),
        standardization_grade=_grade(reader, raw.get("standardization_grade")),
        coal_mine_class=reader.text(raw.get("coal_mine_class"), "enterprise.coal_mine_class"),
        non_coal_risk_class=reader.text(
            raw.get("non_coal_risk_class"), "enterprise.non_coal_risk_class"
        ),
        supervising_body="",
    )
    if raw.get("sector") is not None:
        profile = EnterpriseProfile(
            facts.sector,
            facts.standardization_grade,
            facts.coal_mine_class,
            facts.non_coal_risk_class,
        )
        for error in validate_profile(profile):
            reader.fail(f"enterprise.{error.field}", error.code, error.message)
    level = (
        reader.word(
            raw.get("supervising_body"),
            LEVELS,
            "enterprise.supervising_body",
            "UNKNOWN_LEVEL",
            "监管层级",
        )
        if raw
        else "county"
    )
    return replace(facts, supervising_body=level)


def _entry_fields(reader: _Reader, raw: Mapping[str, Any], path: str) -> dict[str, Any]:
    return {
        "date": reader.day(raw.get("date"), f"{path}.date") or date.min,
        "body": reader.word(
            raw.get("body"), LEVELS, f"{path}.body", "UNKNOWN_LEVEL", "执法主体层级"
        ),
        "activity": reader.word(
            raw.get("activity"), ACTIVITIES, f"{path}.activity", "UNKNOWN_ACTIVITY", "入企活动"
        ),
        "mode": reader.word(raw.get("mode"), MODES, f"{path}.mode", "UNKNOWN_MODE", "检查方式"),
        "joint_id": reader.text(raw.get("joint_id"), f"{path}.joint_id"),
    }


def _history(reader: _Reader, data: Mapping[str, Any]) -> tuple[Entry, ...]:
    raw = data.get("history", [])
    if not isinstance(raw, list):
        reader.fail("history", "NOT_A_LIST", "history 应为数组")
        return ()
    entries = []
    for index, item in enumerate(raw):
        path = f"history[{index}]"
        if not isinstance(item, Mapping):
            reader.fail(path, "NOT_AN_OBJECT", f"{path} 应为对象")
            continue
        entries.append(Entry(**_entry_fields(reader, item, path)))
    return tuple(entries)


def _officers(reader: _Reader, raw: Any) -> int:
    if raw is None:
        return 0
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        reader.fail("proposed.officers", "BAD_NUMBER", f"proposed.officers 应为非负整数：{raw}")
        return 0
    return raw


def _proposed(reader: _Reader, data: Mapping[str, Any]) -> ProposedEntry:
    raw = reader.obj(data, "proposed", "proposed")
    fields = _entry_fields(reader, raw, "proposed") if raw else _blank()
    approved = raw.get("quiet_exception_approved", False)
    if not isinstance(approved, bool):
        reader.fail(
            "proposed.quiet_exception_approved",
            "BAD_FLAG",
            "quiet_exception_approved 应为 true 或 false",
        )
        approved = False
    return ProposedEntry(
        **fields,
        officers=_officers(reader, raw.get("officers")),
        quiet_exception_approved=approved,
        quiet_emergency_ground=_emergency(reader, raw.get("quiet_emergency_ground")),
    )


def _emergency(reader: _Reader, raw: Any) -> str | None:
    """The optional emergency ground for entering first on a quiet day (an addition to the
    interfaces.md contract: absent or null means an ordinary entry)."""
    if raw is None:
        return None
    path = "proposed.quiet_emergency_ground"
    return reader.word(raw, QUIET_EMERGENCY_GROUNDS, path, "UNKNOWN_GROUND", "紧急事由")


def _blank() -> dict[str, Any]:
    return {
        "date": date.min,
        "body": "county",
        "activity": "enforcement_inspection",
        "mode": "on_site",
    }


def _quiet_days(reader: _Reader, data: Mapping[str, Any]) -> frozenset[date]:
    raw = data.get("quiet_days", [])
    if not isinstance(raw, list):
        reader.fail("quiet_days", "NOT_A_LIST", "quiet_days 应为日期数组")
        return frozenset()
    days = (reader.day(item, f"quiet_days[{i}]") for i, item in enumerate(raw))
    return frozenset(d for d in days if d is not None)


def _contradictions(reader: _Reader, parsed: CheckInput) -> None:
    first_seen: dict[str, date] = {}
    for index, entry in enumerate((*parsed.history, parsed.proposed)):
        if not entry.joint_id:
            continue
        seen = first_seen.setdefault(entry.joint_id, entry.date)
        if seen != entry.date:
            path = (
                f"history[{index}].joint_id" if index < len(parsed.history) else "proposed.joint_id"
            )
            reader.fail(
                path,
                "CONTRADICTION",
                f"联合检查 {entry.joint_id} 的日期不一致（{seen} 与 {entry.date}）",
            )
    patrol = parsed.proposed.activity == "supervisor_patrol"
    if patrol and parsed.enterprise.sector and parsed.enterprise.sector not in MINE_SECTORS:
        reader.fail(
            "proposed.activity", "CONTRADICTION", "矿山安全监管专员入矿巡查只适用于煤矿和非煤矿山"
        )


def parse_check_input(data: Any) -> CheckInput:
    """The check-entry input, or `CheckInputInvalid` listing every problem."""
    if not isinstance(data, Mapping):
        raise CheckInputInvalid([FieldError("", "NOT_AN_OBJECT", "输入应为 JSON 对象")])
    reader = _Reader()
    policy = reader.text(data.get("policy"), "policy")
    parsed = CheckInput(
        policy=policy,
        enterprise=_enterprise(reader, data),
        quiet_days=_quiet_days(reader, data),
        history=_history(reader, data),
        proposed=_proposed(reader, data),
    )
    if not reader.errors:
        _contradictions(reader, parsed)
    if reader.errors:
        raise CheckInputInvalid(reader.errors)
    return parsed
