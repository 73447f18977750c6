"""Reading the `anjian plan` input (interfaces.md). Every problem names its field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from anjian.domain.planning.model import EnterpriseSlot, OfficerSlot, PlanInput, Visit
from anjian.domain.registry import ErrorCollector, FieldError, FieldErrors
from anjian.domain.rules.ruleset import parse_iso_date
from anjian.domain.rules.vocab import ACTIVITIES


class PlanInputInvalid(FieldErrors):
    """Every problem of the input, each a FieldError."""


class _Reader(ErrorCollector):
    def day(self, raw: Any, path: str) -> date | None:
        value = parse_iso_date(raw)
        if value is None:
            code = "MISSING_FIELD" if raw is None else "BAD_DATE"
            self.fail(path, code, f"{path} 不是有效日期（YYYY-MM-DD）：{raw}")
        return value

    def days(self, raw: Any, path: str) -> frozenset[date]:
        if raw is None:
            return frozenset()
        if not isinstance(raw, list):
            self.fail(path, "NOT_A_LIST", f"{path} 应为日期数组")
            return frozenset()
        found = (self.day(item, f"{path}[{i}]") for i, item in enumerate(raw))
        return frozenset(d for d in found if d is not None)

    def text(self, raw: Any, path: str) -> str:
        if not isinstance(raw, str) or not raw.strip():
            self.fail(path, "MISSING_FIELD", f"缺少 {path}")
            return ""
        return raw.strip()

    def count(self, raw: Any, path: str, default: int, low: int = 0) -> int:
        if raw is None:
            return default
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < low:
            self.fail(path, "BAD_NUMBER", f"{path} 应为不小于 {low} 的整数：{raw}")
            return default
        return raw

    def items(self, data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
        raw = data.get(key, [])
        if not isinstance(raw, list):
            self.fail(key, "NOT_A_LIST", f"{key} 应为数组")
            return []
        good = []
        for index, item in enumerate(raw):
            if isinstance(item, Mapping):
                good.append(item)
            else:
                self.fail(f"{key}[{index}]", "NOT_AN_OBJECT", f"{key}[{index}] 应为对象")
        return good


def _month(reader: _Reader, raw: Any) -> tuple[int, int]:
    try:
        year, month = (int(p) for p in str(raw).split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12 and len(str(raw)) == 7:
            return year, month
    except ValueError:
        pass
    reader.fail(
        "month", "BAD_MONTH" if raw is not None else "MISSING_FIELD", f"month 应为 YYYY-MM：{raw}"
    )
    return 2000, 1


def _unique(reader: _Reader, ids: list[str], kind: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            reader.fail(kind, "DUPLICATE_ID", f"{kind} 中的编号重复：{item}")
        seen.add(item)


def _enterprises(reader: _Reader, data: Mapping[str, Any]) -> dict[str, EnterpriseSlot]:
    firms = {}
    for i, raw in enumerate(reader.items(data, "enterprises")):
        path = f"enterprises[{i}]"
        firm_id = reader.text(raw.get("id"), f"{path}.id")
        firms[firm_id] = EnterpriseSlot(
            firm_id,
            reader.count(raw.get("remaining_cap"), f"{path}.remaining_cap", 0),
            reader.days(raw.get("supervisor_days"), f"{path}.supervisor_days"),
        )
    _unique(reader, [str(r.get("id")) for r in reader.items(data, "enterprises")], "enterprises")
    return firms


def _officers(reader: _Reader, data: Mapping[str, Any]) -> tuple[OfficerSlot, ...]:
    officers = []
    for i, raw in enumerate(reader.items(data, "officers")):
        path = f"officers[{i}]"
        officers.append(
            OfficerSlot(
                reader.text(raw.get("id"), f"{path}.id"),
                reader.text(raw.get("section"), f"{path}.section"),
                reader.days(raw.get("unavailable"), f"{path}.unavailable"),
                reader.count(raw.get("max_entries_per_day"), f"{path}.max_entries_per_day", 1),
            )
        )
    _unique(reader, [o.id for o in officers], "officers")
    return tuple(officers)


def _visit(
    reader: _Reader, raw: Mapping[str, Any], path: str, firms: Mapping[str, Any]
) -> Visit | None:
    firm = reader.text(raw.get("enterprise"), f"{path}.enterprise")
    if firm and firm not in firms:
        reader.fail(
            f"{path}.enterprise", "UNKNOWN_ENTERPRISE", f"{path} 的企业 {firm} 不在 enterprises 中"
        )
    activity = raw.get("activity")
    if activity not in ACTIVITIES:
        reader.fail(f"{path}.activity", "UNKNOWN_ACTIVITY", f"未知的入企活动：{activity}")
    earliest, latest = (
        reader.day(raw.get("earliest"), f"{path}.earliest"),
        reader.day(raw.get("latest"), f"{path}.latest"),
    )
    if earliest and latest and latest < earliest:
        reader.fail(f"{path}.latest", "CONTRADICTION", f"{path} 的最晚日期早于最早日期")
    remote_ok = raw.get("remote_ok", False)
    if not isinstance(remote_ok, bool):
        reader.fail(f"{path}.remote_ok", "BAD_FLAG", f"{path}.remote_ok 应为 true 或 false")
    visit_id = reader.text(raw.get("id"), f"{path}.id")
    section = reader.text(raw.get("section"), f"{path}.section")
    if not (earliest and latest):
        return None
    return Visit(visit_id, firm, section, str(activity), earliest, latest, remote_ok is True)


def parse_plan_input(data: Any) -> PlanInput:
    if not isinstance(data, Mapping):
        raise PlanInputInvalid([FieldError("", "NOT_AN_OBJECT", "输入应为 JSON 对象")])
    reader = _Reader()
    year, month = _month(reader, data.get("month"))
    firms = _enterprises(reader, data)
    officers = _officers(reader, data)
    visits = [
        _visit(reader, raw, f"visits[{i}]", firms)
        for i, raw in enumerate(reader.items(data, "visits"))
    ]
    _unique(reader, [v.id for v in visits if v], "visits")
    options = data.get("options") or {}
    if not isinstance(options, Mapping):
        reader.fail("options", "NOT_AN_OBJECT", "options 应为对象")
        options = {}
    limit = options.get("time_limit_s", 30)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or not 0 < limit <= 3600:
        reader.fail("options.time_limit_s", "BAD_NUMBER", "time_limit_s 应为 0–3600 秒")
        limit = 30
    weekends_off = options.get("weekends_off", True)
    if not isinstance(weekends_off, bool):
        reader.fail("options.weekends_off", "BAD_FLAG", "weekends_off 应为 true 或 false")
    non_working = reader.days(data.get("non_working_days"), "non_working_days")
    quiet = reader.days(data.get("quiet_days"), "quiet_days")
    seed = reader.count(options.get("seed"), "options.seed", 0)
    if reader.errors:
        raise PlanInputInvalid(reader.errors)
    return PlanInput(
        year=year,
        month=month,
        non_working_days=non_working,
        quiet_days=quiet,
        enterprises=firms,
        officers=officers,
        visits=tuple(v for v in visits if v),
        time_limit_s=float(limit),
        seed=seed,
        weekends_off=weekends_off is not False,
    )
