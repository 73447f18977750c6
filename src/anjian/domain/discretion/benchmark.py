"""Discretion benchmarks (裁量权基准) as versioned data, checked against the statute.

A benchmark is issued by a body under a document number, takes effect on a date and covers some
sectors. Its entries are keyed to a provision (law, article, item); each entry has tiers (阶次 A, B,
C …) with a condition in words and, where possible, as a `Condition`, and the ranges for the
enterprise and for the responsible person at the timely and the overdue stage. A tier that leaves
the statute's range, or two tiers of one entry whose conditions overlap, make the whole benchmark
invalid: `benchmark_from_dict` reports every problem at once, naming the row where rows are known.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from anjian.domain.discretion.conditions import Condition, condition_from_dict
from anjian.domain.discretion.statute import Provision, Range, Stage, Statute, chinese_number
from anjian.domain.registry import SECTORS, FieldError, FieldErrors

FAMILIES: dict[str, str] = {
    "mem": "应急管理部基准（危险化学品、冶金工贸、其他行业，含突发事件应对法）",
    "coal": "煤矿安全监管监察基准",
    "non_coal": "非煤矿山安全监管执法基准",
}
SECTOR_FAMILY: dict[str, str] = {"coal_mine": "coal", "non_coal_mine": "non_coal"}
LAW_FAMILY: dict[str, str] = {"突发事件应对法": "mem"}  # whatever the sector
TIER_RANGES: dict[str, str] = {
    "unit": "单位罚款（限期内）",
    "unit_overdue": "单位罚款（逾期未改正）",
    "person": "直接责任人员罚款（限期内）",
    "person_overdue": "直接责任人员罚款（逾期未改正）",
}


def family_for_sector(sector: str, law: str | None = None) -> str:
    """Coal mines → the coal-mine benchmark; non-coal mines → the non-coal handbook; else MEM.
    Violations of the Emergency Response Law go to the MEM benchmark whatever the sector."""
    if law in LAW_FAMILY:
        return LAW_FAMILY[law]
    return SECTOR_FAMILY.get(sector, "mem")


class BenchmarkInvalid(FieldErrors):
    """Every problem of the input, each a FieldError."""


@dataclass(frozen=True)
class Tier:
    code: str
    condition: str
    rule: Condition | None
    unit: Range | None = None
    unit_overdue: Range | None = None
    person: Range | None = None
    person_overdue: Range | None = None
    note: str = ""

    def unit_range(self, overdue: bool) -> Range | None:
        return self.unit_overdue if overdue else self.unit

    def person_range(self, overdue: bool) -> Range | None:
        return self.person_overdue if overdue else self.person


@dataclass(frozen=True)
class BenchmarkEntry:
    number: str
    violation: str
    law: str
    article: str
    item: str | None
    source: str
    tiers: tuple[Tier, ...]
    # The statute's ranges the entry brings for a provision the statute table lacks (the official
    # benchmarks cover some 36 laws and regulations; the table holds the Work Safety Law).
    provision: Provision | None = None

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.law, self.article, self.item)

    def tier(self, code: str) -> Tier | None:
        return next((t for t in self.tiers if t.code == code), None)


@dataclass(frozen=True)
class Benchmark:
    id: str
    version: str
    name: str
    issuer: str
    document: str
    family: str
    sectors: frozenset[str]
    effective_from: date
    effective_until: date | None
    note: str
    entries: tuple[BenchmarkEntry, ...]

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )

    def entry_for(self, law: str, article: str, item: str | None) -> BenchmarkEntry | None:
        return next((e for e in self.entries if e.key == (law, article, item or None)), None)

    def provisions(self) -> list[Provision]:
        """The provisions this benchmark brings beyond the statute table."""
        return [e.provision for e in self.entries if e.provision is not None]


def benchmark_in_force(
    benchmarks: Sequence[Benchmark], sector: str, day: date, law: str | None = None
) -> Benchmark | None:
    """The benchmark of the family for this sector (and law) in force on `day`, the latest to
    take effect winning."""
    family = family_for_sector(sector, law)
    by_law = law in LAW_FAMILY
    found = [
        b
        for b in benchmarks
        if b.family == family
        and b.in_force_on(day)
        and (by_law or not b.sectors or sector in b.sectors)
    ]
    return max(found, key=lambda b: (b.effective_from, b.id), default=None)


def parse_day(raw: Any) -> date | None:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        return None


class _Reader:
    def __init__(self, statute: Statute) -> None:
        self.statute = statute
        self.errors: list[FieldError] = []

    def fail(self, path: str, message: str, code: str = "INVALID_BENCHMARK") -> None:
        self.errors.append(FieldError(path, code, message))

    def range(self, raw: Any, path: str) -> Range | None:
        if raw is None:
            return None
        ok = (
            isinstance(raw, Sequence)
            and not isinstance(raw, str)
            and len(raw) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in raw)
        )
        if not ok or raw[0] < 0 or raw[0] > raw[1]:
            self.fail(path, f"{path}：罚款幅度应为下限、上限两个非负整数（元），下限不大于上限")
            return None
        return Range(int(raw[0]), int(raw[1]))

    def tier(self, raw: Mapping[str, Any], path: str) -> Tier | None:
        code = str(raw.get("code") or "").strip()
        if not code:
            self.fail(path, f"{path}：缺少阶次代码")
            return None
        rule, problem = condition_from_dict(raw.get("rule"))
        if problem:
            self.fail(path, f"{path}：{problem}")
        ranges = {
            key: self.range(raw.get(key), f"{path} {label}") for key, label in TIER_RANGES.items()
        }
        if all(value is None for value in ranges.values()):
            self.fail(path, f"{path}：阶次 {code} 没有任何罚款幅度")
        return Tier(
            code=code,
            condition=str(raw.get("condition") or (rule.label() if rule else "")),
            rule=rule,
            note=str(raw.get("note") or ""),
            **ranges,
        )

    def check_against_statute(
        self, tier: Tier, timely: Stage, overdue: Stage | None, path: str
    ) -> None:
        stages = {
            "unit": (tier.unit, timely.unit),
            "unit_overdue": (tier.unit_overdue, overdue.unit if overdue else None),
            "person": (tier.person, timely.person),
            "person_overdue": (tier.person_overdue, overdue.person if overdue else None),
        }
        for key, (mine, law) in stages.items():
            if mine is None:
                continue
            label = TIER_RANGES[key]
            if law is None:
                self.fail(
                    path,
                    f"{path}：法律在该阶段未设{label}，基准却给出 {mine.label()}",
                    "OUTSIDE_STATUTE",
                )
            elif not law.contains(mine):
                self.fail(
                    path,
                    f"{path}：阶次 {tier.code} 的{label} {mine.label()} 超出法定幅度 {law.label()}",
                    "OUTSIDE_STATUTE",
                )

    def check_stages(self, tier: Tier, path: str) -> None:
        """The overdue stage is never below the timely stage."""
        pairs = (("单位", tier.unit, tier.unit_overdue), ("个人", tier.person, tier.person_overdue))
        for whom, timely, overdue in pairs:
            if timely and overdue and (overdue.min < timely.min or overdue.max < timely.max):
                self.fail(
                    path,
                    f"{path}：阶次 {tier.code} 逾期未改正的{whom}罚款 {overdue.label()} "
                    f"低于限期内的 {timely.label()}",
                    "OVERDUE_BELOW_TIMELY",
                )

    def check_overlaps(self, tiers: list[Tier], path: str) -> None:
        ruled = [t for t in tiers if t.rule is not None]
        if ruled and len(ruled) != len(tiers):
            self.fail(path, f"{path}：同一条目的阶次要么都写机读条件，要么都不写")
        facts = {t.rule.fact for t in ruled if t.rule}
        if len(facts) > 1:
            self.fail(
                path, f"{path}：同一条目的阶次应按同一事实分档，现为：{'、'.join(sorted(facts))}"
            )
            return
        for i, first in enumerate(ruled):
            for second in ruled[i + 1 :]:
                if first.rule and second.rule and first.rule.overlaps(second.rule):
                    self.fail(
                        path,
                        f"{path}：阶次 {first.code}（{first.rule.label()}）与阶次 {second.code}"
                        f"（{second.rule.label()}）的条件重叠",
                        "TIERS_OVERLAP",
                    )

    def own_stage(self, raw: Mapping[str, Any], suffix: str, path: str) -> Stage | None:
        unit = self.range(raw.get(f"unit{suffix}"), f"{path} 法定单位罚款{suffix}")
        person = self.range(raw.get(f"person{suffix}"), f"{path} 法定个人罚款{suffix}")
        measures = tuple(str(m) for m in raw.get(f"measures{suffix}") or ())
        if unit is None and person is None and not measures:
            return None
        return Stage(unit=unit, person=person, measures=measures)

    def own_provision(
        self, raw: Any, key: tuple[str, str, str | None], violation: str, path: str
    ) -> Provision | None:
        """The provision an entry brings for a law the statute table does not hold: its basis and
        ranges as the benchmark's 处罚依据 column states them."""
        law, article, item = key
        where = f"{law}第{article}条" + (f"第{item}项" if item else "")
        if not isinstance(raw, Mapping):
            message = f"{path}：法定幅度表中没有 {where}，条目也未给出该条款的法定处罚幅度"
            self.fail(path, message, "UNKNOWN_PROVISION")
            return None
        timely = self.own_stage(raw, "", path)
        if timely is None or not law or not article:
            self.fail(
                path,
                f"{path}：{where} 的法定处罚幅度至少要有罚款幅度或处罚种类",
                "UNKNOWN_PROVISION",
            )
            return None
        number = f"第{chinese_number(item)}项" if item else ""
        return Provision(
            law=law,
            article=article,
            item=item,
            violation=violation,
            basis=str(raw.get("basis") or f"《{law}》第{chinese_number(article)}条{number}"),
            timely=timely,
            overdue=self.own_stage(raw, "_overdue", path),
            party="unit",
        )

    def entry(self, raw: Mapping[str, Any], path: str) -> BenchmarkEntry | None:
        law, article = str(raw.get("law") or ""), str(raw.get("article") or "")
        item = str(raw["item"]) if raw.get("item") not in (None, "") else None
        provision = self.statute.find(law, article, item)
        own = None
        if provision is None:
            violation = str(raw.get("violation") or "")
            own = self.own_provision(raw.get("statute"), (law, article, item), violation, path)
            if own is None:
                return None
            provision = own
        tiers: list[Tier] = []
        for raw_tier in raw.get("tier") or ():
            tier_path = _path(raw_tier, f"{path} 阶次{raw_tier.get('code', '?')}")
            tier = self.tier(raw_tier, tier_path)
            if tier is not None:
                self.check_against_statute(tier, provision.timely, provision.overdue, tier_path)
                self.check_stages(tier, tier_path)
                tiers.append(tier)
        codes = [t.code for t in tiers]
        if len(set(codes)) != len(codes):
            self.fail(path, f"{path}：阶次代码重复：{'、'.join(codes)}", "DUPLICATE_TIER")
        if not tiers:
            self.fail(path, f"{path}：条目没有阶次")
        self.check_overlaps(tiers, path)
        return BenchmarkEntry(
            number=str(raw.get("number") or ""),
            violation=str(raw.get("violation") or provision.violation),
            law=law,
            article=article,
            item=item,
            source=str(raw.get("source") or ""),
            tiers=tuple(tiers),
            provision=own,
        )

    def header(self, data: Mapping[str, Any]) -> dict[str, Any]:
        for key in ("id", "version", "name", "issuer", "document", "family", "effective_from"):
            if not data.get(key):
                self.fail(key, f"基准缺少 {key}", "MISSING_FIELD")
        family = str(data.get("family") or "")
        if family and family not in FAMILIES:
            self.fail("family", f"未知的基准类别：{family}（可用：{'、'.join(FAMILIES)}）")
        sectors = [str(s) for s in data.get("sectors") or ()]
        for sector in sectors:
            if sector not in SECTORS:
                self.fail("sectors", f"未知的行业领域：{sector}", "UNKNOWN_SECTOR")
        start = parse_day(data.get("effective_from"))
        until = parse_day(data["effective_until"]) if data.get("effective_until") else None
        if data.get("effective_from") and start is None:
            self.fail("effective_from", "生效日期不是有效日期", "BAD_DATE")
        if start and until and until < start:
            self.fail("effective_until", "失效日期早于生效日期", "BAD_DATE")
        return {"family": family, "sectors": frozenset(sectors), "start": start, "until": until}


def _path(raw: Any, fallback: str) -> str:
    row = raw.get("row") if isinstance(raw, Mapping) else None
    return f"第{row}行" if row else fallback


def benchmark_from_dict(data: Mapping[str, Any], statute: Statute) -> Benchmark:
    """A checked benchmark, or BenchmarkInvalid with every problem (nothing is half-read)."""
    reader = _Reader(statute)
    header = reader.header(data)
    entries: list[BenchmarkEntry] = []
    for n, raw in enumerate(data.get("entry") or ()):
        entry = reader.entry(raw, _path(raw, f"条目{raw.get('number') or n + 1}"))
        if entry is None:
            continue
        if any(e.key == entry.key for e in entries):
            reader.fail(
                f"条目{entry.number}",
                f"条目重复：{entry.law}第{entry.article}条"
                + (f"第{entry.item}项" if entry.item else ""),
                "DUPLICATE_ENTRY",
            )
        entries.append(entry)
    if reader.errors or header["start"] is None:
        raise BenchmarkInvalid(
            reader.errors or [FieldError("effective_from", "BAD_DATE", "生效日期无效")]
        )
    return Benchmark(
        id=str(data["id"]),
        version=str(data["version"]),
        name=str(data["name"]),
        issuer=str(data["issuer"]),
        document=str(data["document"]),
        family=header["family"],
        sectors=header["sectors"],
        effective_from=header["start"],
        effective_until=header["until"],
        note=str(data.get("note") or ""),
        entries=tuple(entries),
    )
