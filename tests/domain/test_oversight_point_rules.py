"""The contact-point mix and the warning rules (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.domain.oversight.point_rules import (
    CapUse,
    EntryFact,
    Facts,
    RecordFact,
    all_flags,
    cap_flags,
    close_entry_flags,
)
from anjian.domain.oversight.points import Mix, MixError, mix_parse, mix_problems

SHIPPED = "[mix]\ncoal_mine = 1\nnon_coal_mine = 3\nhazardous_chemicals = 3\nmetallurgy = 3\n"
DAY = date(2026, 3, 2)


def test_mix_parse_and_problems() -> None:
    mix = mix_parse(SHIPPED)
    assert mix.total == 10
    right = ["coal_mine"] + ["non_coal_mine"] * 3 + ["hazardous_chemicals"] * 3 + ["metallurgy"] * 3
    assert mix_problems(mix, right) == []
    wrong = [*right[1:-2], "non_coal_mine", "other"]
    assert mix_problems(mix, wrong) == [
        "煤矿应为 1 家，现为 0 家",
        "非煤矿山应为 3 家，现为 4 家",
        "冶金应为 3 家，现为 1 家",
        "其他不在联系点行业之列，现有 1 家",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[mix]\n",
        "[mix]\nspace = 1\n",
        "[mix]\ncoal_mine = -1\n",
        "[mix]\ncoal_mine = true\n",
        "x =",
    ],
)
def test_mix_parse_refuses(text: str) -> None:
    with pytest.raises(MixError):
        mix_parse(text)


@given(st.lists(st.sampled_from(["coal_mine", "metallurgy", "other"]), max_size=12))
def test_no_problem_iff_counts_match(sectors: list[str]) -> None:
    mix = Mix((("coal_mine", 1), ("metallurgy", 2)))
    ok = sectors.count("coal_mine") == 1 and sectors.count("metallurgy") == 2
    assert (mix_problems(mix, sectors) == []) == (ok and "other" not in sectors)


@given(st.integers(0, 50), st.integers(1, 50))
def test_cap_flag_at_80_percent(used: int, cap: int) -> None:
    flags = cap_flags([CapUse(1, 2026, "cap", used, cap)])
    assert bool(flags) == (used * 5 >= cap * 4)
    if flags:
        assert flags[0].key == "cap_use:2026:cap"


entry_lists = st.lists(
    st.tuples(
        st.integers(0, 60), st.sampled_from(["on_site", "remote"]), st.sampled_from(["", "J1"])
    ),
    max_size=8,
)


def _entries(rows: list[tuple[int, str, str]]) -> list[EntryFact]:
    return [
        EntryFact(n + 1, 7, DAY + timedelta(days=d), mode, joint)
        for n, (d, mode, joint) in enumerate(rows)
    ]


@given(entry_lists, st.randoms())
def test_close_entries(rows: list[tuple[int, str, str]], rnd) -> None:  # type: ignore[no-untyped-def]
    entries = _entries(rows)
    flags = close_entry_flags(entries)
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert close_entry_flags(shuffled) == flags  # the order of the facts does not matter
    by_id = {e.id: e for e in entries}
    for flag in flags:
        first, second = (by_id[i] for i in flag.facts["entries"])
        assert 0 <= (second.on - first.on).days < 7
        assert "remote" not in (first.mode, second.mode)
        assert not (first.joint_key and first.joint_key == second.joint_key)
    assert len({f.key for f in flags}) == len(flags)


def test_close_entries_table() -> None:
    base = [EntryFact(1, 7, DAY), EntryFact(2, 7, DAY + timedelta(days=6))]
    assert [f.key for f in close_entry_flags(base)] == ["close_entries:1:2"]
    assert close_entry_flags([EntryFact(1, 7, DAY), EntryFact(2, 7, DAY + timedelta(days=7))]) == []
    assert close_entry_flags([EntryFact(1, 7, DAY), EntryFact(2, 8, DAY)]) == []
    joint = [EntryFact(1, 7, DAY, joint_key="J"), EntryFact(2, 7, DAY, joint_key="J")]
    assert close_entry_flags(joint) == []


def test_all_rules() -> None:
    facts = Facts(
        caps=(CapUse(7, 2026, "cap", 4, 5),),
        entries=(EntryFact(1, 7, DAY, quiet_exception=True),),
        findings=(RecordFact(2, 7, DAY, True),),
        cases=(RecordFact(3, 7, DAY, True),),
        ratings=(RecordFact(4, 7, DAY, 2), RecordFact(5, 7, DAY, 3)),
        reports=(RecordFact(6, 7, DAY, "其他"),),
    )
    assert [(f.rule, f.key) for f in all_flags(facts)] == [
        ("cap_use", "cap_use:2026:cap"),
        ("low_rating", "low_rating:4"),
        ("off_list", "off_list:2"),
        ("outside_tier", "outside_tier:3"),
        ("quiet_entry", "quiet_entry:1"),
        ("report", "report:6"),
    ]
