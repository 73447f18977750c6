"""Reading the `anjian penalty` input (interfaces.md) into a `PenaltyRequest`.

Every problem is reported with its field (`violation.article`, `facts.count` …), a stable code and
a Chinese message. Unknown extra fields are ignored; missing facts take the cautious default (not
a first offense, not corrected in time, no harm recorded).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from anjian.domain.discretion.conditions import FACTS
from anjian.domain.discretion.lists import AGGRAVATING, HARMS, MITIGATING
from anjian.domain.discretion.request import PARTY_KINDS, Facts, PenaltyRequest
from anjian.domain.discretion.statute import ACCIDENT_GRADES, arabic_number
from anjian.domain.registry import SECTORS, ErrorCollector, FieldError, FieldErrors

BOOL_FACTS = ("overdue", "first_offense", "corrected_in_time", "severely_dishonest", "major_hazard")
COUNT_FACTS = ("original_fine", "days", "penalties_180_days", "penalties_1_year")
"""Numbers the special provisions read (第一百一十二条, 第一百一十三条), not tier rules."""


def short_law(name: str | None) -> str | None:
    """The short name the statute table keys a law by: 《中华人民共和国安全生产法》 → 安全生产法."""
    if name is None:
        return None
    return name.strip().strip("《》").removeprefix("中华人民共和国") or None


class PenaltyInputInvalid(FieldErrors):
    """Every problem of the input, each a FieldError."""


class _Reader(ErrorCollector):
    def obj(self, data: Mapping[str, Any], key: str, *, required: bool) -> Mapping[str, Any]:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(key, "MISSING_FIELD", f"缺少 {key}")
            return {}
        if not isinstance(value, Mapping):
            self.fail(key, "NOT_AN_OBJECT", f"{key} 应为对象")
            return {}
        return value

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool) -> str | None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(path, "MISSING_FIELD", f"缺少 {path}")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.fail(path, "BAD_VALUE", f"{path} 应为文字或整数：{value!r}")
            return None
        return str(value).strip()

    def choice(self, raw: Any, path: str, known: Mapping[str, str], code: str) -> str | None:
        if raw is None:
            return None
        if not isinstance(raw, str) or raw not in known:
            self.fail(path, code, f"{path} 的取值未知：{raw!r}（可用：{'、'.join(known)}）")
            return None
        return raw

    def flag(self, facts: Mapping[str, Any], key: str) -> bool:
        value = facts.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(f"facts.{key}", "BAD_VALUE", f"facts.{key} 应为 true 或 false：{value!r}")
            return False
        return value

    def number(self, facts: Mapping[str, Any], key: str) -> float | None:
        value = facts.get(key)
        if value is None:
            return None
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value == value
        if not ok or value < 0 or value == float("inf"):
            self.fail(f"facts.{key}", "BAD_NUMBER", f"facts.{key} 应为非负数：{value!r}")
            return None
        if key == "share" and value > 1:
            self.fail("facts.share", "BAD_NUMBER", "facts.share 是比例，应在 0 到 1 之间")
            return None
        return float(value)

    def codes(self, facts: Mapping[str, Any], key: str, known: Mapping[str, str]) -> frozenset[str]:
        value = facts.get(key) or []
        if not isinstance(value, list):
            self.fail(f"facts.{key}", "BAD_VALUE", f"facts.{key} 应为列表")
            return frozenset()
        for n, code in enumerate(value):
            self.choice(code, f"facts.{key}[{n}]", known, "UNKNOWN_CIRCUMSTANCE")
        return frozenset(c for c in value if isinstance(c, str) and c in known)


def _facts(reader: _Reader, raw: Mapping[str, Any]) -> Facts:
    flags = {key: reader.flag(raw, key) for key in BOOL_FACTS}
    numbers = {key: reader.number(raw, key) for key in (*FACTS, *COUNT_FACTS)}
    facts = Facts(**numbers)  # type: ignore[arg-type]
    deaths = reader.number(raw, "deaths_last_3_years")
    harm = reader.choice(raw.get("harm"), "facts.harm", HARMS, "UNKNOWN_HARM")
    grade = reader.choice(
        raw.get("accident_grade"), "facts.accident_grade", ACCIDENT_GRADES, "UNKNOWN_GRADE"
    )
    tier = raw.get("tier")
    return replace(
        facts,
        **flags,
        harm=harm or "none",
        deaths_last_3_years=int(deaths or 0),
        accident_grade=grade,
        mitigating=reader.codes(raw, "mitigating", MITIGATING),
        aggravating=reader.codes(raw, "aggravating", AGGRAVATING),
        years_since_violation=reader.number(raw, "years_since_violation"),
        tier=str(tier) if isinstance(tier, str | int) and not isinstance(tier, bool) else None,
    )


def parse_penalty_input(data: Any, *, today: date) -> PenaltyRequest:
    """The request, or PenaltyInputInvalid listing every problem. `date` (optional, the day
    the benchmark must be in force) defaults to `today`."""
    reader = _Reader()
    if not isinstance(data, Mapping):
        raise PenaltyInputInvalid([FieldError("", "NOT_AN_OBJECT", "输入应为 JSON 对象")])
    violation = reader.obj(data, "violation", required=True)
    party = reader.obj(data, "party", required=True)
    facts = _facts(reader, reader.obj(data, "facts", required=False))
    law = short_law(reader.text(violation, "law", "violation.law", required=True))
    article = reader.text(violation, "article", "violation.article", required=True)
    item = reader.text(violation, "item", "violation.item", required=False)
    article, item = (arabic_number(x) if x else x for x in (article, item))
    sector = reader.choice(party.get("sector"), "party.sector", SECTORS, "UNKNOWN_SECTOR")
    if isinstance(data.get("party"), Mapping) and party.get("sector") is None:
        reader.fail("party.sector", "MISSING_FIELD", "缺少 party.sector")
    kind = reader.choice(party.get("kind", "unit"), "party.kind", PARTY_KINDS, "UNKNOWN_PARTY_KIND")
    day = today
    if data.get("date") is not None:
        try:
            day = date.fromisoformat(str(data["date"]))
        except ValueError:
            reader.fail("date", "BAD_DATE", f"date 不是有效日期（YYYY-MM-DD）：{data['date']}")
    if reader.errors or law is None or article is None or sector is None or kind is None:
        fallback = FieldError("", "BAD_VALUE", "输入不完整：请给出 violation 和 party")
        raise PenaltyInputInvalid(reader.errors or [fallback])
    return PenaltyRequest(
        law=law, article=article, item=item, party_kind=kind, sector=sector, facts=facts, day=day
    )
