"""The entry check: may this body enter this enterprise on this day for this purpose?

`check_entry` is a pure function of the rule set, the enterprise, its quiet days, its history of
entries and the proposed entry. Every reason it gives names the clause it rests on (`basis`).

Counting (the rule set's `activities[*].counts`, `counting_modes`, `joint_counts_once`):
- an entry counts only when its mode is a counting mode (on site by default: written and remote
  inspections never count) and its activity counts toward the cap or toward supervision;
- entries sharing a `joint_id` (one joint inspection) form one counting unit, counted once;
- entries count in the calendar year of their date, whichever body made them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from anjian.domain.registry import MINE_SECTORS
from anjian.domain.rules.entries import (
    Counts,
    EnterpriseFacts,
    Entry,
    ProposedEntry,
    Reason,
    Verdict,
)
from anjian.domain.rules.ruleset import RuleSet
from anjian.domain.rules.vocab import ACTIVITIES, LEVEL_RANK, LEVELS, QUIET_EMERGENCY_GROUNDS


def _fmt(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def target_of(rules: RuleSet, entry: Entry) -> str:
    """What an entry counts toward: "cap", "supervision" or "none"."""
    if entry.mode not in rules.counting_modes:
        return "none"
    return rules.activities[entry.activity].counts


def counted_units(rules: RuleSet, history: Iterable[Entry], year: int) -> dict[str, set[str]]:
    """The distinct counting units of a year, per target. A joint inspection is one unit."""
    units: dict[str, set[str]] = {"cap": set(), "supervision": set()}
    for index, entry in enumerate(history):
        if entry.date.year != year:
            continue
        target = target_of(rules, entry)
        if target in units:
            units[target].add(_unit_key(rules, entry, index))
    return units


def _unit_key(rules: RuleSet, entry: Entry, index: int) -> str:
    if entry.joint_id and rules.joint_counts_once:
        return f"joint:{entry.joint_id}"
    return f"entry:{index}"


def annual_counts(
    rules: RuleSet, enterprise: EnterpriseFacts, history: Iterable[Entry], year: int
) -> tuple[Counts, str]:
    """The year's counts for an enterprise, and the words naming its row of the cap table."""
    return _counts(rules, enterprise, counted_units(rules, history, year), year)


def _counts(
    rules: RuleSet, enterprise: EnterpriseFacts, units: dict[str, set[str]], year: int
) -> tuple[Counts, str]:
    cap, label = rules.cap_for(
        enterprise.sector,
        enterprise.standardization_grade,
        enterprise.coal_mine_class,
        enterprise.non_coal_risk_class,
    )
    counts = Counts(year, len(units["cap"]), cap, len(units["supervision"]), rules.supervision_cap)
    return counts, label


def check_entry(
    rules: RuleSet,
    enterprise: EnterpriseFacts,
    quiet_days: Collection[date],
    history: Collection[Entry],
    proposed: ProposedEntry,
) -> Verdict:
    """The verdict on a proposed entry: counts before it, and every reason that applies."""
    year = proposed.date.year
    units = counted_units(rules, history, year)
    counts, label = _counts(rules, enterprise, units, year)
    target = target_of(rules, proposed)
    opens_unit = target != "none" and not (
        rules.joint_counts_once
        and proposed.joint_id
        and f"joint:{proposed.joint_id}" in units[target]
    )
    reasons = [
        *_level(rules, enterprise, proposed),
        *_cap(rules, counts, label, target, opens_unit),
        *_quiet(rules, quiet_days, proposed),
        *_officers(rules, proposed),
        *_supervisor(rules, enterprise, history, proposed),
    ]
    return Verdict(counts, tuple(reasons), target if opens_unit else "none", label)


def _reason(rules: RuleSet, code: str, severity: str, message: str) -> Reason:
    return Reason(code, severity, message, rules.basis(code))


def _level(rules: RuleSet, enterprise: EnterpriseFacts, proposed: ProposedEntry) -> list[Reason]:
    rule = rules.activities[proposed.activity].level
    acting, home = LEVEL_RANK[proposed.body], LEVEL_RANK[enterprise.supervising_body]
    what = ACTIVITIES[proposed.activity]
    if rule == "same" and acting != home:
        message = (
            f"该企业由{LEVELS[enterprise.supervising_body]}执法主体监管（一家企业对应一个层级的"
            f"执法主体），{LEVELS[proposed.body]}执法主体不得对其开展{what}"
        )
        return [_reason(rules, "WRONG_LEVEL", "block", message)]
    if rule == "upper" and acting <= home:
        message = (
            f"{what}须由上级执法主体开展；该企业由{LEVELS[enterprise.supervising_body]}监管，"
            f"{LEVELS[proposed.body]}执法主体不是其上级"
        )
        return [_reason(rules, "WRONG_LEVEL", "block", message)]
    return []


def _cap(rules: RuleSet, counts: Counts, label: str, target: str, opens: bool) -> list[Reason]:
    if not opens:
        return []
    if target == "cap" and counts.entries >= counts.cap:
        message = (
            f"{counts.year}年已计入执法检查 {counts.entries} 次，{label}企业年度上限为 "
            f"{counts.cap} 次，不得再安排现场执法检查"
        )
        return [_reason(rules, "CAP_EXCEEDED", "block", message)]
    if target == "supervision" and counts.supervision >= counts.supervision_cap:
        message = (
            f"{counts.year}年已有督导检查 {counts.supervision} 次，每企每年累计不超过 "
            f"{counts.supervision_cap} 次"
        )
        return [_reason(rules, "SUPERVISION_CAP_EXCEEDED", "block", message)]
    return []


def _quiet(rules: RuleSet, quiet_days: Collection[date], proposed: ProposedEntry) -> list[Reason]:
    if proposed.mode not in rules.counting_modes or proposed.date not in quiet_days:
        return []
    if rules.activities[proposed.activity].allowed_in_quiet:
        return []
    what = ACTIVITIES[proposed.activity]
    if proposed.quiet_emergency_ground and not proposed.quiet_exception_approved:
        ground = QUIET_EMERGENCY_GROUNDS[proposed.quiet_emergency_ground]
        message = (
            f"{_fmt(proposed.date)}为企业安静期，因{ground}先行入企开展{what}，"
            "须在规定期限内报主要负责人事后补批，并抄告司法行政机关"
        )
        return [_reason(rules, "QUIET_BACKFILL", "notice", message)]
    if proposed.quiet_exception_approved:
        message = (
            f"{_fmt(proposed.date)}为企业安静期，经主要负责人批准按特殊情形开展{what}，"
            "已抄告司法行政机关"
        )
        return [_reason(rules, "QUIET_EXCEPTION", "notice", message)]
    message = (
        f"{_fmt(proposed.date)}为企业安静期，不得入企开展{what}；"
        "确需开展的须经主要负责人批准并抄告司法行政机关"
    )
    return [_reason(rules, "QUIET_PERIOD", "block", message)]


def _officers(rules: RuleSet, proposed: ProposedEntry) -> list[Reason]:
    needed = rules.activities[proposed.activity].min_officers
    if proposed.mode not in rules.counting_modes or proposed.officers >= needed:
        return []
    message = f"现场检查须有不少于 {needed} 名持有效执法证件的执法人员，现仅 {proposed.officers} 名"
    return [_reason(rules, "TOO_FEW_OFFICERS", "block", message)]


def _week_days(
    rules: RuleSet, history: Iterable[Entry], week: tuple[int, int], activity: str
) -> list[date]:
    """Days of an ISO week with an entering entry of the given activity."""
    return sorted(
        e.date
        for e in history
        if e.activity == activity
        and e.mode in rules.counting_modes
        and e.date.isocalendar()[:2] == week
    )


def _supervisor(
    rules: RuleSet, enterprise: EnterpriseFacts, history: Collection[Entry], proposed: ProposedEntry
) -> list[Reason]:
    if proposed.mode not in rules.counting_modes or enterprise.sector not in MINE_SECTORS:
        return []
    week = proposed.date.isocalendar()[:2]
    patrols = _week_days(rules, history, week, "supervisor_patrol")
    if (
        proposed.activity == "supervisor_patrol"
        and len(patrols) >= rules.supervisor_patrols_per_week
    ):
        days = "、".join(_fmt(d) for d in patrols)
        message = (
            f"本周（{week[0]}年第{week[1]}周）监管专员已于{days}入矿，"
            f"每周入矿不超过 {rules.supervisor_patrols_per_week} 次"
        )
        return [_reason(rules, "SUPERVISOR_WEEKLY_LIMIT", "block", message)]
    if rules.sync_mine_enforcement_with_supervisor:
        return _sync(rules, history, proposed, week, patrols)
    return []


def _sync(
    rules: RuleSet,
    history: Collection[Entry],
    proposed: ProposedEntry,
    week: tuple[int, int],
    patrols: list[date],
) -> list[Reason]:
    """Enforcement and a supervisor patrol in the same week but on different days: the mine is
    entered twice where once would do. (A week with only one of them raises nothing.)"""
    if proposed.activity == "enforcement_inspection":
        others, who = patrols, "监管专员入矿"
    elif proposed.activity == "supervisor_patrol":
        others, who = _week_days(rules, history, week, "enforcement_inspection"), "执法检查"
    else:
        return []
    if not others or proposed.date in others:
        return []
    message = (
        "矿山执法检查原则上与矿山安全监管专员入矿同步：本周已安排"
        f"{who}（{'、'.join(_fmt(d) for d in others)}），{_fmt(proposed.date)}再入矿将增加一次迎检"
    )
    return [_reason(rules, "NOT_SYNCED_WITH_SUPERVISOR", "warn", message)]
