"""Selectors for the consistency monitor (类案同罚与罚款竞赛监测), over the pure statistics of
`domain/discretion/consistency.py`.

Like cases are decided cases of one enforcement body with the same benchmark version, entry,
tier and stage; the unit fine (decided_unit_fine) is compared. `like_case_flags(case)` is what the
legal review page shows for one case: its fine (the decided one, or the proposed one before the
decision) against the decided like cases, in Chinese sentences.

Fine income is not tied to any target or budget; this module finds unequal treatment of like
cases and fine races, it never sets or assesses fine quotas."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from anjian.accounts.access import body_scope_ids
from anjian.accounts.models import User
from anjian.domain.discretion.consistency import (
    FAR_FROM_MEDIAN,
    OUTSIDE_TIER,
    CaseFine,
    Centre,
    Outlier,
    OutlierRule,
    Spread,
    breakdown,
    centre,
    judge,
    month_key,
    month_keys,
    outliers,
    spread,
)
from anjian.domain.discretion.statute import Range
from anjian.enforcement.models import BenchmarkVersion, PenaltyCase

# what the monitor reads of a case (thousands of them: only these columns are loaded)
CASE_FIELDS = (
    "body_id",
    "benchmark_id",
    "entry_number",
    "tier",
    "overdue",
    "state",
    "number",
    "title",
    "suggestion",
    "proposed_unit_fine",
    "decided_on",
    "decided_unit_fine",
    "benchmark__document",
    "benchmark__version",
    "section__name",
    "proposed_by__display_name",
    "proposed_by__username",
    "enterprise__name",
)
PENDING_STATES = ("proposed", "reviewing", "reviewed", "notified", "hearing")
LIKE_CASE_MONTHS = 24


def outlier_rule(k: float | None = None, min_group: int | None = None) -> OutlierRule:
    """The configured rule (settings ANJIAN_LIKE_CASE_K / ANJIAN_LIKE_CASE_MIN_GROUP), or one
    with the given parameters."""
    return OutlierRule(
        k=k if k is not None else settings.ANJIAN_LIKE_CASE_K,
        min_group=min_group or settings.ANJIAN_LIKE_CASE_MIN_GROUP,
    )


def money(amount: float) -> str:
    """Amounts the way the flags write them: 1.5 万元, 3 万元, 8000 元."""
    whole = round(amount)
    if whole >= 10000:
        return f"{whole / 10000:g} 万元"
    return f"{whole} 元"


def group_key(case: PenaltyCase) -> tuple[str, str, str, str] | None:
    if case.benchmark_id is None or not case.tier:
        return None
    stage = "overdue" if case.overdue else "timely"
    return (str(case.benchmark_id), case.entry_number, case.tier, stage)


def _range_in(data: Mapping[str, Any], case: PenaltyCase) -> tuple[int, int] | None:
    for entry in data.get("entry") or ():
        if str(entry.get("number")) != case.entry_number:
            continue
        for tier in entry.get("tier") or ():
            pair = tier.get("unit_overdue" if case.overdue else "unit")
            if tier.get("code") == case.tier and pair:
                return (int(pair[0]), int(pair[1]))
    return None


def tier_range(
    case: PenaltyCase, benchmarks: Mapping[int, Mapping[str, Any]] | None = None
) -> tuple[int, int] | None:
    """The tier's unit-fine range: from the engine's suggestion, else from the benchmark (its
    data read from `benchmarks`, by id, when the caller loaded them once for many cases)."""
    unit = ((case.suggestion or {}).get("benchmark") or {}).get("unit")
    if isinstance(unit, Mapping) and "min" in unit and "max" in unit:
        return (int(unit["min"]), int(unit["max"]))
    if case.benchmark_id is None:
        return None
    if benchmarks is not None:
        return _range_in(benchmarks.get(case.benchmark_id) or {}, case)
    return _range_in(case.benchmark.data, case)


def benchmark_data(cases: Iterable[PenaltyCase]) -> dict[int, Mapping[str, Any]]:
    """The data of the benchmarks these cases cite, each loaded once (a benchmark's data is
    large; joining it to every case row copied it once per case)."""
    ids = {c.benchmark_id for c in cases if c.benchmark_id is not None}
    return dict(BenchmarkVersion.objects.filter(pk__in=ids).values_list("pk", "data"))


def _amount(case: PenaltyCase) -> int | None:
    if case.decided_on is not None and case.decided_unit_fine is not None:
        return case.decided_unit_fine
    return case.proposed_unit_fine


def decided_like_cases(case: PenaltyCase) -> QuerySet[PenaltyCase]:
    """Decided cases of the same body, benchmark version, entry, tier and stage (not the case)."""
    return (
        PenaltyCase.objects.filter(
            body_id=case.body_id,
            benchmark_id=case.benchmark_id,
            entry_number=case.entry_number,
            tier=case.tier,
            overdue=case.overdue,
            decided_on__isnull=False,
            decided_unit_fine__isnull=False,
        )
        .exclude(state="dropped")
        .exclude(pk=case.pk)
    )


def like_case_flags(case: PenaltyCase, *, rule: OutlierRule | None = None) -> list[str]:
    """Chinese sentences for the review page when the case's unit fine stands out among its
    like cases, or leaves its tier's range; empty when nothing stands out."""
    if group_key(case) is None or _amount(case) is None:
        return []
    rule = rule or outlier_rule()
    peers = list(decided_like_cases(case).values_list("decided_unit_fine", flat=True))
    return _flags(case, centre([p for p in peers if p is not None], rule), rule)


def _flags(
    case: PenaltyCase,
    peers: Centre,
    rule: OutlierRule,
    benchmarks: Mapping[int, Mapping[str, Any]] | None = None,
) -> list[str]:
    amount = _amount(case)
    if amount is None:
        return []
    limits = tier_range(case, benchmarks)
    judged = judge(amount, peers, limits, rule)
    flags = []
    if OUTSIDE_TIER in judged.reasons and limits is not None:
        flags.append(
            f"本案对单位罚款 {money(amount)}，超出裁量阶次{case.tier}的幅度"
            f"（{Range(*limits).label()}）"
        )
    if FAR_FROM_MEDIAN in judged.reasons and judged.median is not None and judged.distance:
        flags.append(
            f"同类案件 {judged.peers} 件，罚款中位数 {money(judged.median)}，"
            f"本案 {money(amount)}偏离中位数 {judged.distance:.1f} 个MAD"
            f"（提示线为 {rule.k:g} 个MAD）"
        )
    return flags


def like_case_summary(case: PenaltyCase) -> str | None:
    """One line of context for the review page, flagged or not."""
    if group_key(case) is None:
        return None
    peers = [p for p in decided_like_cases(case).values_list("decided_unit_fine", flat=True)]
    amounts = [p for p in peers if p is not None]
    if not amounts:
        return "尚无同类（同一基准版本、条目、阶次和阶段）已决案件"
    s = spread(amounts)
    return (
        f"同类已决案件 {s.count} 件，罚款中位数 {money(s.median)}，"
        f"最低 {money(s.low)}，最高 {money(s.high)}"
    )


def scoped_cases(user: User) -> QuerySet[PenaltyCase]:
    return PenaltyCase.objects.filter(body_id__in=body_scope_ids(user)).exclude(state="dropped")


def officer_name(case: PenaltyCase) -> str:
    user = case.proposed_by
    return (user.display_name or user.username) if user is not None else "（未记录拟定人）"


def section_name(case: PenaltyCase) -> str:
    return case.section.name if case.section is not None else "（未指定股室）"


@dataclass
class GroupReport:
    case: PenaltyCase  # one member, for the benchmark, entry, tier and stage
    spread: Spread
    tier_range: tuple[int, int] | None
    cases: list[PenaltyCase]
    outliers: list[tuple[PenaltyCase, Outlier]]
    by_officer: dict[str, Spread]
    by_section: dict[str, Spread]
    by_month: dict[str, Spread]

    @property
    def tier_label(self) -> str:
        return Range(*self.tier_range).label() if self.tier_range else "—"


def _fine(
    case: PenaltyCase, key: tuple[str, ...], benchmarks: Mapping[int, Mapping[str, Any]]
) -> CaseFine:
    assert case.decided_on is not None and case.decided_unit_fine is not None
    return CaseFine(
        case=str(case.pk),
        group=key,
        amount=case.decided_unit_fine,
        officer=officer_name(case),
        section=section_name(case),
        month=month_key(case.decided_on),
        tier_range=tier_range(case, benchmarks),
    )


def like_case_groups(user: User, *, rule: OutlierRule, today: date) -> list[GroupReport]:
    """Groups of decided like cases of the last 24 months, those with outliers first."""
    first = month_keys(today, LIKE_CASE_MONTHS)[0]
    cases = (
        scoped_cases(user)
        .filter(decided_on__gte=f"{first}-01", decided_unit_fine__isnull=False)
        .exclude(benchmark=None)
        .exclude(tier="")
        .select_related("benchmark", "section", "proposed_by", "enterprise")
        .only(*CASE_FIELDS)
    )
    cases = list(cases)
    benchmarks = benchmark_data(cases)
    members: dict[tuple[str, ...], list[tuple[PenaltyCase, CaseFine]]] = {}
    for case in cases:
        key = group_key(case)
        if key is not None:
            members.setdefault(key, []).append((case, _fine(case, key, benchmarks)))
    flagged = {o.case: o for o in outliers([f for g in members.values() for _, f in g], rule)}
    reports = []
    for group in members.values():
        fines = [f for _, f in group]
        reports.append(
            GroupReport(
                case=group[0][0],
                spread=spread([f.amount for f in fines]),
                tier_range=fines[0].tier_range,
                cases=[c for c, _ in group],
                outliers=[(c, flagged[f.case]) for c, f in group if f.case in flagged],
                by_officer=breakdown(fines, "officer"),
                by_section=breakdown(fines, "section"),
                by_month=breakdown(fines, "month"),
            )
        )
    return sorted(reports, key=lambda r: (-len(r.outliers), -r.spread.count))


def pending_flags(user: User, *, rule: OutlierRule) -> list[tuple[PenaltyCase, list[str]]]:
    """Proposals not yet decided whose unit fine stands out (flagged before the legal review).
    The decided like cases of every pending proposal are read in one query."""
    cases = list(
        scoped_cases(user)
        .filter(state__in=PENDING_STATES, proposed_unit_fine__isnull=False)
        .exclude(benchmark=None)
        .exclude(tier="")
        .select_related("benchmark", "section", "proposed_by", "enterprise")
        .only(*CASE_FIELDS)
    )
    benchmarks = benchmark_data(cases)
    keys = {(c.body_id, c.benchmark_id, c.entry_number, c.tier, c.overdue) for c in cases}
    peers: dict[tuple[object, ...], list[tuple[int, int]]] = {}
    if keys:
        decided = (
            PenaltyCase.objects.filter(
                body_id__in={k[0] for k in keys},
                benchmark_id__in={k[1] for k in keys},
                entry_number__in={k[2] for k in keys},
                decided_on__isnull=False,
                decided_unit_fine__isnull=False,
            )
            .exclude(state="dropped")
            .values_list(
                "body_id",
                "benchmark_id",
                "entry_number",
                "tier",
                "overdue",
                "pk",
                "decided_unit_fine",
            )
        )
        for *key, pk, fine in decided.iterator():
            if tuple(key) in keys:
                peers.setdefault(tuple(key), []).append((pk, fine))
    # pending proposals are not decided, so a group's decided peers are the same for each of
    # its proposals: its median and MAD are computed once
    centres = {key: centre([fine for _pk, fine in rows], rule) for key, rows in peers.items()}
    nobody = centre([], rule)
    found = []
    for case in cases:
        key = (case.body_id, case.benchmark_id, case.entry_number, case.tier, case.overdue)
        flags = _flags(case, centres.get(key, nobody), rule, benchmarks)
        if flags:
            found.append((case, flags))
    return found
