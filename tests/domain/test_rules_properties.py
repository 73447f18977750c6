"""Properties of the entry rules (hypothesis): caps hold whatever the order of requests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from anjian.domain.registry import MINE_SECTORS
from anjian.domain.rules import Entry, ProposedEntry, annual_counts, check_entry
from anjian.domain.rules.coverage import Span, coverage_errors, insert_version
from anjian.domain.rules.vocab import ACTIVITIES, LEVELS, MODES

from .rules_fixtures import enterprise, shanxi

RULES = shanxi()

enterprises = st.one_of(
    st.builds(
        lambda s, g, lvl: enterprise(s, g, supervising_body=lvl),
        st.sampled_from(["hazardous_chemicals", "metallurgy", "industry_trade", "other"]),
        st.sampled_from([1, 2, 3, None]),
        st.sampled_from(list(LEVELS)),
    ),
    st.builds(lambda c: enterprise("coal_mine", None, coal_mine_class=c), st.sampled_from("ABCD")),
    st.builds(
        lambda c: enterprise("non_coal_mine", None, non_coal_risk_class=c), st.sampled_from("ABCD")
    ),
)
days = st.dates(min_value=date(2025, 11, 1), max_value=date(2026, 3, 31))
proposals = st.builds(
    ProposedEntry,
    date=days,
    body=st.sampled_from(list(LEVELS)),
    activity=st.sampled_from(list(ACTIVITIES)),
    mode=st.sampled_from(list(MODES)),
    joint_id=st.one_of(st.none(), st.sampled_from(["J1", "J2", "J3"])),
    officers=st.integers(0, 3),
    quiet_exception_approved=st.booleans(),
)


def _book(history: list[Entry], p: ProposedEntry) -> None:
    history.append(Entry(p.date, p.body, p.activity, p.mode, p.joint_id))


@settings(max_examples=300, deadline=None)
@given(enterprises, st.lists(proposals, max_size=60), st.sets(days, max_size=40))
def test_a_sequence_of_allowed_entries_never_exceeds_a_cap(firm, requests, quiet) -> None:
    history: list[Entry] = []
    used_joint_days: dict[str, date] = {}
    for p in requests:
        if p.joint_id and used_joint_days.setdefault(p.joint_id, p.date) != p.date:
            p = replace(p, joint_id=None)  # a joint id names one day (the parser refuses others)
        if p.activity == "supervisor_patrol" and firm.sector not in MINE_SECTORS:
            continue  # refused as contradictory input before the engine is asked
        if check_entry(RULES, firm, quiet, history, p).allowed:
            _book(history, p)
    for year in (2025, 2026):
        counts, _ = annual_counts(RULES, firm, history, year)
        assert counts.entries <= counts.cap
        assert counts.supervision <= counts.supervision_cap
    patrol_weeks: dict[tuple[int, int], int] = {}
    for e in history:
        if e.activity == "supervisor_patrol" and e.mode == "on_site":
            week = e.date.isocalendar()[:2]
            patrol_weeks[week] = patrol_weeks.get(week, 0) + 1
    assert all(n <= RULES.supervisor_patrols_per_week for n in patrol_weeks.values())
    for e in history:
        assert not (
            e.date in quiet and e.mode == "on_site" and e.activity == "enforcement_inspection"
        ) or any(p.quiet_exception_approved for p in requests if p.date == e.date)


@given(enterprises, days, st.integers(1, 6), st.lists(days, max_size=5))
def test_joint_entries_on_one_day_count_once(firm, day, members, others) -> None:
    joint = [
        Entry(day, "county", "enforcement_inspection", "on_site", "JX") for _ in range(members)
    ]
    rest = [Entry(d, "county", "enforcement_inspection", "on_site", None) for d in others]
    single = annual_counts(RULES, firm, [joint[0], *rest], day.year)[0]
    merged = annual_counts(RULES, firm, [*joint, *rest], day.year)[0]
    assert merged == single


@given(enterprises, st.lists(st.tuples(days, st.sampled_from(list(ACTIVITIES))), max_size=30))
def test_years_reset(firm, raw) -> None:
    history = [Entry(d, "county", a, "on_site", None) for d, a in raw]
    for year in (2025, 2026):
        later = annual_counts(RULES, firm, history, year + 2)[0]
        assert later.entries == 0 and later.supervision == 0
    shifted = [replace(e, date=e.date - timedelta(days=800)) for e in history]
    assert annual_counts(RULES, firm, shifted, 2026)[0].entries == 0


@given(
    enterprises,
    st.lists(st.tuples(days, st.sampled_from(list(ACTIVITIES))), max_size=20),
    st.lists(
        st.tuples(days, st.sampled_from(list(ACTIVITIES)), st.sampled_from(["remote", "written"])),
        max_size=20,
    ),
)
def test_remote_and_written_entries_never_count(firm, on_site, off_site) -> None:
    base = [Entry(d, "county", a, "on_site", None) for d, a in on_site]
    extra = [Entry(d, "county", a, m, None) for d, a, m in off_site]
    for year in (2025, 2026):
        assert annual_counts(RULES, firm, base, year) == annual_counts(
            RULES, firm, base + extra, year
        )


@given(enterprises, st.lists(proposals, max_size=15), proposals, st.randoms(use_true_random=False))
def test_the_verdict_does_not_depend_on_history_order(firm, past, p, rng) -> None:
    history = [Entry(q.date, q.body, q.activity, q.mode, None) for q in past]
    shuffled = history[:]
    rng.shuffle(shuffled)
    first = check_entry(RULES, firm, [], history, p)
    second = check_entry(RULES, firm, [], shuffled, p)
    assert first.allowed == second.allowed and first.counts == second.counts
    assert {r.code for r in first.reasons} == {r.code for r in second.reasons}
    assert first.allowed == all(r.severity != "block" for r in first.reasons)


@given(
    st.lists(
        st.dates(min_value=date(2025, 1, 2), max_value=date(2030, 1, 1)), unique=True, max_size=12
    )
)
def test_new_versions_always_leave_exactly_one_rule_set_per_date(starts) -> None:
    spans = [Span("v0", date(2025, 1, 1), None)]
    for i, start in enumerate(starts, 1):
        spans = insert_version(spans, f"v{i}", start)
        assert coverage_errors(spans) == []
    probe = date(2025, 1, 1)
    while probe < date(2030, 2, 1):
        assert sum(s.start <= probe and (s.until is None or probe <= s.until) for s in spans) == 1
        probe += timedelta(days=17)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.text(max_size=12)
    | st.sampled_from(["2025-06-01", "county", "on_site", "coal_mine", "enforcement_inspection"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "date",
                    "body",
                    "activity",
                    "mode",
                    "joint_id",
                    "sector",
                    "officers",
                    "standardization_grade",
                    "supervising_body",
                    "coal_mine_class",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=25,
)
inputs = st.fixed_dictionaries(
    {},
    optional={
        "policy": json_values,
        "enterprise": json_values,
        "quiet_days": json_values,
        "history": json_values,
        "proposed": json_values,
    },
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(inputs, json_values))
def test_any_json_is_either_read_or_refused_with_named_fields(data) -> None:
    from anjian.domain.rules.parse import CheckInputInvalid, parse_check_input

    try:
        parsed = parse_check_input(data)
    except CheckInputInvalid as invalid:
        assert invalid.errors and all(e.code.isupper() and e.message for e in invalid.errors)
    else:
        check_entry(RULES, parsed.enterprise, parsed.quiet_days, parsed.history, parsed.proposed)
