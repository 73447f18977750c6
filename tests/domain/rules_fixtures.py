"""Shared builders for the entry-rule tests."""

from __future__ import annotations

from datetime import date

from anjian.domain.rules import EnterpriseFacts, Entry, ProposedEntry, RuleSet, ruleset_from_dict
from anjian.policy_data.rulesets import shipped_rulesets


def shanxi() -> RuleSet:
    return ruleset_from_dict(shipped_rulesets()["shanxi-2025"])


def enterprise(
    sector: str = "hazardous_chemicals", grade: int | None = 2, **kw: object
) -> EnterpriseFacts:
    fields: dict[str, object] = {
        "id": "E1",
        "sector": sector,
        "standardization_grade": grade,
        "coal_mine_class": None,
        "non_coal_risk_class": None,
        "supervising_body": "county",
    }
    fields.update(kw)
    return EnterpriseFacts(**fields)  # type: ignore[arg-type]


def entry(day: str, activity: str = "enforcement_inspection", **kw: object) -> Entry:
    fields: dict[str, object] = {"body": "county", "mode": "on_site", "joint_id": None}
    fields.update(kw)
    return Entry(date=date.fromisoformat(day), activity=activity, **fields)  # type: ignore[arg-type]


def proposed(day: str, activity: str = "enforcement_inspection", **kw: object) -> ProposedEntry:
    fields: dict[str, object] = {
        "body": "county",
        "mode": "on_site",
        "joint_id": None,
        "officers": 2,
        "quiet_exception_approved": False,
    }
    fields.update(kw)
    return ProposedEntry(date=date.fromisoformat(day), activity=activity, **fields)  # type: ignore[arg-type]
