"""Officer capacity per day: how many entries a section, and the whole body, can staff."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from anjian.domain.planning.model import OfficerSlot


class Capacity:
    """Remaining officer-entry slots per (section, day) and per day, updated as entries are
    placed. An entry with k sections needs max(2, k) officers, one of each section."""

    def __init__(self, officers: tuple[OfficerSlot, ...], days: list[date]) -> None:
        self.section: dict[tuple[str, date], int] = defaultdict(int)
        self.total: dict[date, int] = defaultdict(int)
        for officer in officers:
            for day in days:
                if day not in officer.unavailable:
                    self.section[officer.section, day] += officer.max_entries_per_day
                    self.total[day] += officer.max_entries_per_day

    def can_open(self, section: str, day: date) -> bool:
        return self.section[section, day] >= 1 and self.total[day] >= 2

    def open(self, section: str, day: date) -> None:
        self.section[section, day] -= 1
        self.total[day] -= 2

    def can_add(self, section: str, day: date, sections_before: int) -> bool:
        extra = 1 if sections_before >= 2 else 0
        return self.section[section, day] >= 1 and self.total[day] >= extra

    def add(self, section: str, day: date, sections_before: int) -> None:
        self.section[section, day] -= 1
        if sections_before >= 2:
            self.total[day] -= 1
