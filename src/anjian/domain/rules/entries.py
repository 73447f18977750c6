"""The plain facts the entry rules work on: an enterprise, past entries, a proposed entry, and the
verdict with its counts and reasons."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class EnterpriseFacts:
    id: str
    sector: str
    standardization_grade: int | None
    coal_mine_class: str | None
    non_coal_risk_class: str | None
    supervising_body: str  # level: province / city / county


@dataclass(frozen=True)
class Entry:
    """An entry into the enterprise, recorded or booked. `body` is the acting body's level."""

    date: date
    body: str
    activity: str
    mode: str
    joint_id: str | None = None


@dataclass(frozen=True)
class ProposedEntry(Entry):
    officers: int = 0
    quiet_exception_approved: bool = False
    # An emergency ground (a key of QUIET_EMERGENCY_GROUNDS) for entering first on a quiet day and
    # asking the head afterwards (事后补批); None for an ordinary entry.
    quiet_emergency_ground: str | None = None


@dataclass(frozen=True)
class Reason:
    code: str
    severity: str  # block / warn / notice
    message: str
    basis: str


@dataclass(frozen=True)
class Counts:
    year: int
    entries: int
    cap: int
    supervision: int
    supervision_cap: int

    @property
    def remaining(self) -> int:
        return max(self.cap - self.entries, 0)


@dataclass(frozen=True)
class Verdict:
    counts: Counts
    reasons: tuple[Reason, ...] = field(default=())
    # How the proposed entry would count if booked: "cap", "supervision" or "none".
    counts_toward: str = "none"
    # Which row of the cap table applies, in words (e.g. "高危行业 标准化二级").
    cap_label: str = ""

    @property
    def allowed(self) -> bool:
        return not any(r.severity == "block" for r in self.reasons)

    def as_dict(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "counts": asdict(self.counts),
            "reasons": [asdict(r) for r in self.reasons],
        }
