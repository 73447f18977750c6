"""Which records a campaign figure counts: the bodies, optionally one section (records that
name it) or a set of sectors (records that name only an enterprise), a town, and a period. Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date


@dataclass(frozen=True)
class RecordSlice:
    body_ids: tuple[int, ...]
    start: date
    end: date  # inclusive
    section_id: int | None = None
    # enterprise-level records (caps, certificates, complaints without a task) of a section are
    # those of the sectors it supervises; None: every sector
    sectors: tuple[str, ...] | None = None
    town: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("统计期间的结束日期早于开始日期")

    def between(self, start: date, end: date) -> RecordSlice:
        return replace(self, start=start, end=end)
