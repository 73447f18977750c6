"""The entry rules: caps, counting, quiet periods, jurisdiction and officers (domain/rules).

- `ruleset`: the rule set as data (`ruleset_from_dict`), and the cap table lookup;
- `engine`: `check_entry` — the verdict on a proposed entry, with counts and reasons;
- `parse`: the `anjian check-entry` input read into the engine's dataclasses;
- `quiet`: quiet-period months; `coverage`: rule-set versions over time; `mode`: mode suggestion.
"""

from anjian.domain.rules.engine import annual_counts, check_entry, counted_units, target_of
from anjian.domain.rules.entries import (
    Counts,
    EnterpriseFacts,
    Entry,
    ProposedEntry,
    Reason,
    Verdict,
)
from anjian.domain.rules.ruleset import RuleSet, RuleSetInvalid, ruleset_from_dict, ruleset_to_dict

__all__ = [
    "Counts",
    "EnterpriseFacts",
    "Entry",
    "ProposedEntry",
    "Reason",
    "RuleSet",
    "RuleSetInvalid",
    "Verdict",
    "annual_counts",
    "check_entry",
    "counted_units",
    "ruleset_from_dict",
    "ruleset_to_dict",
    "target_of",
]
