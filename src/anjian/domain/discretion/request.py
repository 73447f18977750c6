"""The input of the discretion engine (a violation, its party and its facts) and the reasons it
collects while deciding."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from anjian.domain.discretion.statute import Provision

PARTY_KINDS: dict[str, str] = {"unit": "单位", "person": "个人"}


@dataclass(frozen=True)
class Facts:
    overdue: bool = False
    first_offense: bool = False
    harm: str = "none"
    corrected_in_time: bool = False
    deaths_last_3_years: int = 0
    severely_dishonest: bool = False
    count: float | None = None
    persons: float | None = None
    share: float | None = None
    employees: float | None = None
    investment: float | None = None
    illegal_gains: float | None = None
    accident_grade: str | None = None
    mitigating: frozenset[str] = frozenset()
    aggravating: frozenset[str] = frozenset()
    years_since_violation: float | None = None
    tier: str | None = None
    # 第一百一十二条 (按日连续处罚): the original fine and the days since the order to correct
    original_fine: float | None = None
    days: float | None = None
    # 第一百一十三条第一项 (提请关闭): a major hazard and the penalties under the law before
    major_hazard: bool = False
    penalties_180_days: float | None = None
    penalties_1_year: float | None = None

    def value(self, fact: str) -> float | None:
        found = getattr(self, fact, None)
        return float(found) if isinstance(found, int | float) else None


@dataclass(frozen=True)
class PenaltyRequest:
    law: str
    article: str
    item: str | None
    party_kind: str
    sector: str
    facts: Facts
    day: date


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    basis: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "basis": self.basis}


@dataclass
class Work:
    """What the engine has found so far for one request."""

    request: PenaltyRequest
    provision: Provision
    reasons: list[Reason] = field(default_factory=list)

    def say(self, code: str, message: str, basis: str) -> None:
        self.reasons.append(Reason(code, message, basis))
