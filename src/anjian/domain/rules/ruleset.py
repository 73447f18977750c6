"""A rule set (规则集): the dated tables that decide whether an entry into an enterprise is allowed.

A rule set is plain data — the dictionary form below is what the shipped TOML files hold, what the
database stores and what the legal office edits — turned into a frozen `RuleSet` by
`ruleset_from_dict`, which checks every field and reports all problems at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from anjian.domain.registry import (
    COAL_MINE_CLASSES,
    NON_COAL_RISK_CLASSES,
    STANDARDIZATION_GRADES,
    FieldError,
    FieldErrors,
    cap_table,
)
from anjian.domain.rules.vocab import ACTIVITIES, COUNT_TARGETS, LEVEL_RULES, MODES, REASON_CODES

GRADE_KEYS: tuple[str, ...] = ("1", "2", "3", "ungraded")
CLASS_KEYS: tuple[str, ...] = ("A", "B", "C", "D")
CAP_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "high_risk": ("高危行业（危险化学品、金属冶炼）", GRADE_KEYS),
    "other": ("非高危行业（含工贸）", GRADE_KEYS),
    "coal_mine": ("煤矿", CLASS_KEYS),
    "non_coal_mine": ("非煤矿山", CLASS_KEYS),
}
GRADE_LABELS: dict[str, str] = {
    **{str(k): f"标准化{v}" for k, v in STANDARDIZATION_GRADES.items()},
    "ungraded": "未定级",
}
MAX_CAP = 366
# Defaults for versions stored before these settings existed (see `choices` of shanxi-2025).
QUIET_DEFAULT_DAYS: tuple[tuple[int, int], ...] = ((1, 10),)
QUIET_DECLARE_BY = 25
QUIET_BACKFILL_WORKDAYS = 3


class RuleSetInvalid(FieldErrors):
    """Every problem of the input, each a FieldError."""


@dataclass(frozen=True)
class ActivityRule:
    activity: str
    counts: str  # a key of COUNT_TARGETS
    allowed_in_quiet: bool
    level: str  # a key of LEVEL_RULES
    needs_ground: bool
    min_officers: int
    note: str = ""

    @property
    def label(self) -> str:
        return ACTIVITIES[self.activity]


@dataclass(frozen=True)
class RuleSet:
    name: str
    title: str
    effective_from: date
    effective_until: date | None
    caps: Mapping[str, Mapping[str, int]]
    supervision_cap: int
    supervisor_patrols_per_week: int
    quiet_min_days: int
    counting_modes: frozenset[str]
    joint_counts_once: bool
    sync_mine_enforcement_with_supervisor: bool
    activities: Mapping[str, ActivityRule]
    bases: Mapping[str, str]
    choices: tuple[str, ...] = field(default=())
    quiet_default_days: tuple[tuple[int, int], ...] = QUIET_DEFAULT_DAYS
    quiet_declare_by: int = QUIET_DECLARE_BY
    quiet_backfill_workdays: int = QUIET_BACKFILL_WORKDAYS

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )

    def basis(self, code: str) -> str:
        return self.bases.get(code, "")

    def cap_for(
        self,
        sector: str,
        grade: int | None,
        coal_mine_class: str | None,
        non_coal_risk_class: str | None,
    ) -> tuple[int, str]:
        """The annual cap for an enterprise and the words that say which row of the table."""
        if sector == "coal_mine":
            key = coal_mine_class or ""
            return self.caps["coal_mine"][key], f"煤矿 {COAL_MINE_CLASSES[key]}"
        if sector == "non_coal_mine":
            key = non_coal_risk_class or ""
            return self.caps["non_coal_mine"][key], f"非煤矿山 {NON_COAL_RISK_CLASSES[key]}"
        table = cap_table(sector)
        key = str(grade) if grade is not None else "ungraded"
        label = "高危行业" if table == "high_risk" else "非高危行业"
        return self.caps[table][key], f"{label} {GRADE_LABELS[key]}"


# --- parsing ------------------------------------------------------------------------------


def parse_iso_date(raw: Any) -> date | None:
    """`YYYY-MM-DD` as a date, or None when it is anything else."""
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str) or len(raw) != 10:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _date(raw: Any, path: str, errors: list[FieldError], *, optional: bool = False) -> date | None:
    if raw is None and optional:
        return None
    day = parse_iso_date(raw)
    if day is None:
        errors.append(FieldError(path, "BAD_DATE", f"{path} 不是有效日期（YYYY-MM-DD）：{raw}"))
    return day


def _count(raw: Any, path: str, errors: list[FieldError], *, low: int = 0) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= MAX_CAP:
        errors.append(
            FieldError(path, "BAD_NUMBER", f"{path} 应为 {low}–{MAX_CAP} 之间的整数：{raw}")
        )
        return 0
    return raw


def _flag(raw: Any, path: str, errors: list[FieldError]) -> bool:
    if not isinstance(raw, bool):
        errors.append(FieldError(path, "BAD_FLAG", f"{path} 应为 true 或 false：{raw}"))
        return False
    return raw


def _caps(raw: Any, errors: list[FieldError]) -> dict[str, dict[str, int]]:
    caps: dict[str, dict[str, int]] = {}
    raw = raw if isinstance(raw, Mapping) else {}
    for table, (label, keys) in CAP_TABLES.items():
        row = raw.get(table)
        if not isinstance(row, Mapping):
            errors.append(FieldError(f"caps.{table}", "MISSING_FIELD", f"缺少{label}的频次上限表"))
            continue
        caps[table] = {k: _count(row.get(k), f"caps.{table}.{k}", errors) for k in keys}
    return caps


def _choice(raw: Any, options: Mapping[str, str], path: str, errors: list[FieldError]) -> str:
    if raw not in options:
        allowed = "、".join(options)
        errors.append(FieldError(path, "UNKNOWN_VALUE", f"{path} 应为 {allowed} 之一：{raw}"))
        return next(iter(options))
    return str(raw)


def _activity(name: str, raw: Any, errors: list[FieldError]) -> ActivityRule:
    path = f"activities.{name}"
    raw = raw if isinstance(raw, Mapping) else {}
    return ActivityRule(
        activity=name,
        counts=_choice(raw.get("counts"), COUNT_TARGETS, f"{path}.counts", errors),
        allowed_in_quiet=_flag(raw.get("allowed_in_quiet"), f"{path}.allowed_in_quiet", errors),
        level=_choice(raw.get("level"), LEVEL_RULES, f"{path}.level", errors),
        needs_ground=_flag(raw.get("needs_ground"), f"{path}.needs_ground", errors),
        min_officers=_count(raw.get("min_officers"), f"{path}.min_officers", errors),
        note=str(raw.get("note") or ""),
    )


def _activities(raw: Any, errors: list[FieldError]) -> dict[str, ActivityRule]:
    raw = raw if isinstance(raw, Mapping) else {}
    for name in raw:
        if name not in ACTIVITIES:
            errors.append(
                FieldError(f"activities.{name}", "UNKNOWN_ACTIVITY", f"未知的入企活动：{name}")
            )
    missing = [a for a in ACTIVITIES if a not in raw]
    for name in missing:
        errors.append(
            FieldError(
                f"activities.{name}", "MISSING_FIELD", f"缺少入企活动“{ACTIVITIES[name]}”的规则"
            )
        )
    return {name: _activity(name, raw[name], errors) for name in ACTIVITIES if name in raw}


def _names(
    raw: Any, options: Mapping[str, str], path: str, errors: list[FieldError]
) -> frozenset[str]:
    values = raw if isinstance(raw, list | tuple) else []
    bad = [v for v in values if v not in options]
    if bad or not isinstance(raw, list | tuple):
        errors.append(FieldError(path, "UNKNOWN_VALUE", f"{path} 含未知取值：{bad or raw}"))
    return frozenset(str(v) for v in values if v in options)


def _header(
    data: Mapping[str, Any], errors: list[FieldError]
) -> tuple[str, str, date | None, date | None]:
    name = str(data.get("name") or "").strip()
    if not name:
        errors.append(FieldError("name", "MISSING_FIELD", "规则集必须有名称"))
    start = _date(data.get("effective_from"), "effective_from", errors)
    until = _date(data.get("effective_until"), "effective_until", errors, optional=True)
    if start and until and until < start:
        errors.append(FieldError("effective_until", "CONTRADICTION", "失效日期早于生效日期"))
    return name, str(data.get("title") or name), start, until


def _day_ranges(raw: Any, errors: list[FieldError]) -> tuple[tuple[int, int], ...]:
    path = "quiet_default_days"
    ranges: list[tuple[int, int]] = []
    for item in raw if isinstance(raw, list | tuple) else [None]:
        pair = list(item) if isinstance(item, list | tuple) else []
        ok = len(pair) == 2 and all(type(n) is int for n in pair)
        if not ok or not 1 <= pair[0] <= pair[1] <= 31:
            message = f"{path} 应为日期段列表，如 [[1, 10]]（1–31 日，起日不大于止日）：{item}"
            errors.append(FieldError(path, "BAD_RANGE", message))
            continue
        ranges.append((pair[0], pair[1]))
    days = [d for first, last in ranges for d in range(first, last + 1)]
    if len(days) != len(set(days)):
        errors.append(FieldError(path, "DUPLICATE", "默认安静期的日期段不能重叠"))
    return tuple(sorted(ranges))


def _quiet_settings(data: Mapping[str, Any], errors: list[FieldError]) -> dict[str, Any]:
    """The default quiet pattern, the declaration deadline and the back-fill period; versions
    stored before these existed get the shipped values."""
    raw_days = data.get("quiet_default_days", [list(r) for r in QUIET_DEFAULT_DAYS])
    declare_by = data.get("quiet_declare_by", QUIET_DECLARE_BY)
    backfill = data.get("quiet_backfill_workdays", QUIET_BACKFILL_WORKDAYS)
    declare_day = _count(declare_by, "quiet_declare_by", errors, low=1)
    backfill_days = _count(backfill, "quiet_backfill_workdays", errors, low=1)
    if declare_day > 28:
        errors.append(
            FieldError("quiet_declare_by", "BAD_NUMBER", "安静期设置截止日应为上月 1–28 日之间")
        )
    if backfill_days > 30:
        message = "事后补批期限应为 1–30 个工作日"
        errors.append(FieldError("quiet_backfill_workdays", "BAD_NUMBER", message))
    return {
        "quiet_default_days": _day_ranges(raw_days, errors),
        "quiet_declare_by": declare_day,
        "quiet_backfill_workdays": backfill_days,
    }


def _default_too_short(rules: RuleSet) -> list[FieldError]:
    """The default pattern must give every month (February included) the minimum."""
    shortest = sum(
        min(last, 28) - first + 1 for first, last in rules.quiet_default_days if first <= 28
    )
    if rules.quiet_default_days and shortest >= rules.quiet_min_days:
        return []
    message = (
        f"默认安静期在最短的月份（2月，28天）只有 {shortest} 天，"
        f"少于每月最少 {rules.quiet_min_days} 天"
    )
    return [FieldError("quiet_default_days", "TOO_FEW_QUIET_DAYS", message)]


def ruleset_from_dict(data: Mapping[str, Any]) -> RuleSet:
    """Check every field of a rule set's dictionary form; raise `RuleSetInvalid` with all errors."""
    errors: list[FieldError] = []
    name, title, start, until = _header(data, errors)
    rules = RuleSet(
        name=name,
        title=title,
        effective_from=start or date.min,
        effective_until=until,
        caps=_caps(data.get("caps"), errors),
        supervision_cap=_count(data.get("supervision_cap"), "supervision_cap", errors),
        supervisor_patrols_per_week=_count(
            data.get("supervisor_patrols_per_week"), "supervisor_patrols_per_week", errors
        ),
        quiet_min_days=_count(data.get("quiet_min_days"), "quiet_min_days", errors),
        counting_modes=_names(data.get("counting_modes"), MODES, "counting_modes", errors),
        joint_counts_once=_flag(data.get("joint_counts_once"), "joint_counts_once", errors),
        sync_mine_enforcement_with_supervisor=_flag(
            data.get("sync_mine_enforcement_with_supervisor"),
            "sync_mine_enforcement_with_supervisor",
            errors,
        ),
        activities=_activities(data.get("activities"), errors),
        bases={k: str(v) for k, v in dict(data.get("bases") or {}).items() if k in REASON_CODES},
        choices=tuple(str(c) for c in data.get("choices") or ()),
        **_quiet_settings(data, errors),
    )
    if rules.quiet_min_days > 28:
        errors.append(FieldError("quiet_min_days", "BAD_NUMBER", "每月安静期天数不能超过 28 天"))
    errors.extend(_default_too_short(rules))
    if errors:
        raise RuleSetInvalid(errors)
    return rules


def ruleset_to_dict(rules: RuleSet) -> dict[str, Any]:
    """The dictionary form (JSON-compatible) of a rule set; `ruleset_from_dict` reads it back."""
    return {
        "name": rules.name,
        "title": rules.title,
        "effective_from": rules.effective_from.isoformat(),
        "effective_until": rules.effective_until.isoformat() if rules.effective_until else None,
        "caps": {table: dict(row) for table, row in rules.caps.items()},
        "supervision_cap": rules.supervision_cap,
        "supervisor_patrols_per_week": rules.supervisor_patrols_per_week,
        "quiet_min_days": rules.quiet_min_days,
        "counting_modes": sorted(rules.counting_modes),
        "joint_counts_once": rules.joint_counts_once,
        "sync_mine_enforcement_with_supervisor": rules.sync_mine_enforcement_with_supervisor,
        "activities": {
            name: {
                "counts": a.counts,
                "allowed_in_quiet": a.allowed_in_quiet,
                "level": a.level,
                "needs_ground": a.needs_ground,
                "min_officers": a.min_officers,
                "note": a.note,
            }
            for name, a in rules.activities.items()
        },
        "bases": dict(rules.bases),
        "choices": list(rules.choices),
        "quiet_default_days": [list(r) for r in rules.quiet_default_days],
        "quiet_declare_by": rules.quiet_declare_by,
        "quiet_backfill_workdays": rules.quiet_backfill_workdays,
    }
