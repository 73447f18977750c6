"""Officers for each entry: one of each section whose visit it holds, at least two in all, nobody
on an unavailable day or over their daily maximum, the load spread evenly (least loaded first)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from anjian.domain.planning.model import OfficerSlot


def staff_day(
    day: date,
    entries: list[tuple[str, list[str]]],  # (entry key, sections) of the day
    officers: tuple[OfficerSlot, ...],
    load: dict[str, int],
) -> tuple[dict[str, list[str]], list[str]]:
    """Officers per entry key, and the keys that could not be staffed."""
    free = {o.id: o.max_entries_per_day for o in officers if day not in o.unavailable}
    by_section: dict[str, list[OfficerSlot]] = defaultdict(list)
    for officer in officers:
        if officer.id in free:
            by_section[officer.section].append(officer)
    teams: dict[str, list[str]] = {key: [] for key, _ in entries}
    order = sorted(entries, key=lambda e: (-len(e[1]), e[0]))
    # First every entry gets its section officers (the scarce resource), then the second officer
    # where an entry holds one section only, from whoever is left: taking a section's officer as
    # somebody's second before every entry has its section officers would strand an entry.
    failed = {
        key
        for key, sections in order
        if not _sections_first(sections, teams[key], by_section, free, load)
    }
    for key, sections in order:
        if key not in failed and not _second(
            sections, teams[key], by_section, officers, free, load
        ):
            failed.add(key)
    for key in failed:  # give back what a failed entry took
        for officer_id in teams.pop(key):
            free[officer_id] += 1
            load[officer_id] -= 1
    return teams, sorted(failed)


def _sections_first(sections, team, by_section, free, load) -> bool:  # type: ignore[no-untyped-def]
    for section in sorted(set(sections)):
        pick = _least_loaded(by_section.get(section, []), free, load, team)
        if pick is None:
            return False
        _take(pick, team, free, load)
    return True


def _second(sections, team, by_section, officers, free, load) -> bool:  # type: ignore[no-untyped-def]
    preferred = [o for s in sorted(set(sections)) for o in by_section.get(s, [])]
    while len(team) < 2:
        pick = _least_loaded(preferred, free, load, team) or _least_loaded(
            officers, free, load, team
        )
        if pick is None:
            return False
        _take(pick, team, free, load)
    return True


def _take(officer_id: str, team: list[str], free: dict[str, int], load: dict[str, int]) -> None:
    team.append(officer_id)
    free[officer_id] -= 1
    load[officer_id] += 1


def _least_loaded(
    candidates: Iterable[OfficerSlot], free: dict[str, int], load: dict[str, int], taken: list[str]
) -> str | None:
    available = [o.id for o in candidates if free.get(o.id, 0) > 0 and o.id not in taken]
    if not available:
        return None
    return min(available, key=lambda officer_id: (load[officer_id], officer_id))
