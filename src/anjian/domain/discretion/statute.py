"""The statute's fines (法定处罚幅度): what the law allows for one provision at each stage.

A provision (条款) is a law, an article and, where the article lists cases, an item (项) — e.g.
安全生产法 97(7). Most provisions of the Work Safety Law have two stages: the first finding
(`timely`: 责令限期改正 with a fine) and the failure or refusal to correct within the time limit
(`overdue`). Each stage gives the fine range for the enterprise (`unit`) and for the directly
responsible managers and staff (`person`), each `None` where the law sets no fine at that stage,
and the non-fine measures. A provision with one stage only uses it for both.

The table itself is data (policy_data/discretion/statute.toml); this module reads and checks it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from anjian.domain.registry import FieldError, FieldErrors

STAGES: dict[str, str] = {"timely": "限期内（首次）", "overdue": "逾期未改正或拒不改正"}
ACCIDENT_GRADES: dict[str, str] = {
    "general": "一般事故",
    "larger": "较大事故",
    "major": "重大事故",
    "especially_serious": "特别重大事故",
}


class StatuteInvalid(FieldErrors):
    """Every problem of the input, each a FieldError."""


@dataclass(frozen=True)
class Range:
    """A closed range of yuan; `min` 0 stands for "… 以下" (up to `max`)."""

    min: int
    max: int

    def contains(self, other: Range) -> bool:
        return self.min <= other.min and other.max <= self.max

    def holds(self, amount: int) -> bool:
        return self.min <= amount <= self.max

    def as_dict(self) -> dict[str, int]:
        return {"min": self.min, "max": self.max}

    def label(self) -> str:
        if self.min == self.max:
            return f"{yuan(self.min)}"
        if self.min == 0:
            return f"{yuan(self.max)}以下"
        return f"{yuan(self.min)}以上{yuan(self.max)}以下"


def yuan(amount: int) -> str:
    """An amount in the way a decision writes it: 30000 → "3万元", 1500 → "1500元"."""
    if amount >= 10000 and amount % 1000 == 0:
        wan = amount / 10000
        return f"{wan:g}万元"
    return f"{amount}元"


@dataclass(frozen=True)
class GainsMultiple:
    """A fine of k times the illegal gains, where the gains reach `threshold` (103(1))."""

    threshold: int
    min: float
    max: float


@dataclass(frozen=True)
class OptionalMeasure:
    """A measure the law leaves to discretion ("情节严重的，责令停产停业整顿"): `when` is the law's
    condition. With `mandatory_fact` it is required unless that fact is recorded as 0 ("有违法所得
    的，没收违法所得": required while the gains are positive or not yet established)."""

    measure: str
    when: str
    mandatory_fact: str | None = None

    @property
    def label(self) -> str:
        return f"{self.when}，{self.measure}"


@dataclass(frozen=True)
class Stage:
    unit: Range | None
    person: Range | None
    measures: tuple[str, ...]  # mandatory: the law says 责令/应当 (a decision must carry them)
    gains_multiple: GainsMultiple | None = None
    unit_by_accident: Mapping[str, Range] = field(default_factory=dict)
    income_share: Range | None = None  # per cent of last year's income (95, 96, 110)
    income_share_by_accident: Mapping[str, int] = field(default_factory=dict)
    optional: tuple[OptionalMeasure, ...] = ()

    def labels(self) -> tuple[str, ...]:
        """Every measure of the stage as the law words it (the discretionary ones with their
        condition)."""
        return self.measures + tuple(m.label for m in self.optional)


PROVISION_KINDS: dict[str, str] = {
    "fine": "罚款及其他处罚",
    "daily": "按日连续处罚",
    "closure": "提请关闭",
}


@dataclass(frozen=True)
class Provision:
    law: str
    article: str
    item: str | None
    violation: str
    basis: str  # how a decision cites it: "《中华人民共和国安全生产法》第九十七条第七项"
    timely: Stage
    overdue: Stage | None  # None: one stage only
    party: str  # who is fined at the timely stage: unit | person | agency
    notes: tuple[str, ...] = ()
    breaches: str = ""  # the duty breached: "《中华人民共和国安全生产法》第三十条第一款"
    overdue_when: str = "逾期未改正的"  # how the law words the second stage
    kind: str = "fine"  # fine | daily (112) | closure (113)

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.law, self.article, self.item)

    def stage(self, overdue: bool) -> Stage:
        return self.overdue if overdue and self.overdue is not None else self.timely

    @property
    def label(self) -> str:
        item = f"第{self.item}项" if self.item else ""
        return f"{self.law}第{self.article}条{item}"

    @property
    def article_cite(self) -> str:
        """The article as a refusal names it: "《安全生产法》第一百零一条"."""
        return f"《{self.law}》第{chinese_number(self.article)}条"

    def stage_words(self, overdue: bool) -> str:
        """How the law introduces the stage: "" (the first finding) or "逾期未改正的"."""
        return self.overdue_when if overdue and self.overdue is not None else ""


@dataclass(frozen=True)
class Statute:
    provisions: Mapping[tuple[str, str, str | None], Provision]
    laws: Mapping[str, str]  # law -> source/version label

    def find(self, law: str, article: str, item: str | None) -> Provision | None:
        return self.provisions.get((law, article, item or None))

    def articles(self, law: str) -> set[str]:
        return {p.article for p in self.provisions.values() if p.law == law}

    def items(self, law: str, article: str) -> list[str]:
        found = [p.item for p in self.provisions.values() if p.key[:2] == (law, article)]
        return sorted((i for i in found if i), key=lambda s: (len(s), s))


class _Reader:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, path: str, message: str, code: str = "BAD_STATUTE") -> None:
        self.errors.append(FieldError(path, code, message))

    def range(self, raw: Any, path: str) -> Range | None:
        if raw is None:
            return None
        ok = (
            isinstance(raw, Sequence)
            and len(raw) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in raw)
        )
        if not ok or raw[0] < 0 or raw[0] > raw[1]:
            self.fail(path, f"{path} 应为 [下限, 上限] 两个整数（元），下限不大于上限：{raw}")
            return None
        return Range(int(raw[0]), int(raw[1]))

    def stage(self, raw: Any, path: str) -> Stage | None:
        if raw is None:
            return None
        if not isinstance(raw, Mapping):
            self.fail(path, f"{path} 应为表")
            return None
        gains = raw.get("gains_multiple")
        by_accident = {
            grade: self.range(value, f"{path}.unit_by_accident.{grade}")
            for grade, value in dict(raw.get("unit_by_accident") or {}).items()
        }
        for grade in list(by_accident) + list(dict(raw.get("income_share_by_accident") or {})):
            if grade not in ACCIDENT_GRADES:
                self.fail(path, f"{path} 中未知的事故等级：{grade}")
        return Stage(
            unit=self.range(raw.get("unit"), f"{path}.unit"),
            person=self.range(raw.get("person"), f"{path}.person"),
            measures=tuple(str(m) for m in raw.get("measures") or ()),
            gains_multiple=GainsMultiple(
                int(gains["threshold"]), float(gains["min"]), float(gains["max"])
            )
            if isinstance(gains, Mapping)
            else None,
            unit_by_accident={k: v for k, v in by_accident.items() if v is not None},
            income_share=self.range(raw.get("income_share"), f"{path}.income_share"),
            income_share_by_accident={
                str(k): int(v) for k, v in dict(raw.get("income_share_by_accident") or {}).items()
            },
            optional=self.optional(raw.get("optional_measures"), path),
        )

    def optional(self, raw: Any, path: str) -> tuple[OptionalMeasure, ...]:
        found = []
        for n, entry in enumerate(raw or ()):
            if not isinstance(entry, Mapping) or not entry.get("measure") or not entry.get("when"):
                self.fail(path, f"{path}.optional_measures[{n}] 应有 measure 和 when")
                continue
            fact = entry.get("mandatory_fact")
            found.append(
                OptionalMeasure(
                    str(entry["measure"]), str(entry["when"]), str(fact) if fact else None
                )
            )
        return tuple(found)

    def provisions(self, law: str, title: str, raw: Mapping[str, Any], n: int) -> list[Provision]:
        path = f"provision[{n}]"
        article = str(raw.get("article") or "")
        timely = self.stage(raw.get("timely"), f"{path}.timely")
        if not article or timely is None:
            self.fail(path, f"{path} 缺少 article 或 timely")
            return []
        items: Mapping[str, str] = raw.get("items") or {"": str(raw.get("violation") or "")}
        basis = str(raw.get("basis") or f"《{title}》第{chinese_number(article)}条")
        kind = str(raw.get("kind") or "fine")
        if kind not in PROVISION_KINDS:
            self.fail(path, f"{path} 的 kind 未知：{kind}")
        found = []
        for item, violation in items.items():
            found.append(
                Provision(
                    law=law,
                    article=article,
                    item=item or None,
                    violation=str(violation),
                    basis=_cite(basis, raw, item),
                    timely=timely,
                    overdue=self.stage(raw.get("overdue"), f"{path}.overdue"),
                    party=str(raw.get("party") or "unit"),
                    notes=tuple(str(x) for x in raw.get("notes") or ()),
                    breaches=_breach(title, raw.get("breaches"), item),
                    overdue_when=str(raw.get("overdue_when") or "逾期未改正的"),
                    kind=kind,
                )
            )
        return found


def _cite(basis: str, raw: Mapping[str, Any], item: str) -> str:
    if not item:
        return basis
    own = dict(raw.get("cites") or {}).get(item)
    if own:
        return f"{basis}{own}"
    word = "款" if raw.get("item_style") == "paragraph" else "项"
    return f"{basis}第{chinese_number(item)}{word}"


def _breach(title: str, raw: Any, item: str) -> str:
    """The breached duty as a decision cites it, from the table's `breaches` (one text, or one
    per item)."""
    text = dict(raw).get(item) if isinstance(raw, Mapping) else raw
    return f"《{title}》{text}" if text else ""


_DIGITS = "零一二三四五六七八九"


def arabic_number(text: str) -> str:
    """An article or item as the statute table keys it: "第九十七条" → "97", "（七）" → "7",
    "第一百零三条" → "103"; text that is not such a number is returned as it is."""
    core = text.strip().removeprefix("第").strip("（）()").removesuffix("条").removesuffix("项")
    core = core.removesuffix("款").strip()
    if core.isdigit():
        return str(int(core))
    value, section = 0, 0
    for char in core:
        if char in _DIGITS:
            section = _DIGITS.index(char)
        elif char in ("十", "百"):
            value += (section or 1) * (10 if char == "十" else 100)
            section = 0
        else:
            return text.strip()
    total = value + section
    return str(total) if total else text.strip()


def chinese_number(text: str) -> str:
    """Small numbers as a citation writes them: "7" → "七", "14" → "十四", "114" → "一百一十四"."""
    if not text.isdigit() or not 0 < int(text) < 1000:
        return text
    n = int(text)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    parts = []
    if hundreds:
        parts.append(_DIGITS[hundreds] + "百")
        if tens == 0 and ones:
            parts.append("零")
    if tens:
        parts.append(("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十")
    if ones:
        parts.append(_DIGITS[ones])
    return "".join(parts)


def statute_from_dicts(documents: Sequence[Mapping[str, Any]]) -> Statute:
    """Every law's table (one dictionary per law) as one Statute; all problems at once."""
    reader = _Reader()
    provisions: dict[tuple[str, str, str | None], Provision] = {}
    laws: dict[str, str] = {}
    for document in documents:
        law = str(document.get("law") or "")
        if not law:
            reader.fail("law", "法规表缺少 law（法规名称）")
            continue
        laws[law] = str(document.get("source") or "")
        title = str(document.get("title") or law)
        for n, raw in enumerate(document.get("provision") or ()):
            for provision in reader.provisions(law, title, raw, n):
                if provision.key in provisions:
                    reader.fail(f"provision[{n}]", f"条款重复：{provision.label}")
                provisions[provision.key] = provision
    if reader.errors:
        raise StatuteInvalid(reader.errors)
    return Statute(provisions=provisions, laws=laws)
