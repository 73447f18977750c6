"""The pure core of the audit chain: the sealed head, the walk over the rows, checkpoints.
No database: rows are built here."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from anjian.audit.chain import GENESIS, HeadState, SealedRow, head_seal_valid, seal, verify_rows
from anjian.audit.checkpoints import (
    CheckpointInvalid,
    checkpoint_check_seal,
    checkpoint_compare,
    checkpoint_parse,
    checkpoint_sign,
)

KEY = b"test-key"


def chain(n: int, *, start: int = 1, prev: str = GENESIS) -> list[SealedRow]:
    rows = []
    for i in range(start, start + n):
        fields = {"action": f"a.{i}"}
        digest = seal(key=KEY, algorithm="sha256", prev_hash=prev, fields=fields)
        rows.append(SealedRow(i, "sha256", prev, digest, fields))
        prev = digest
    return rows


def head_of(rows: list[SealedRow], pruned: int = 0) -> HeadState:
    return HeadState(
        count=len(rows),
        pruned=pruned,
        first_id=rows[0].id,
        first_prev_hash=rows[0].prev_hash,
        last_id=rows[-1].id,
        last_hash=rows[-1].hash,
        algorithm="sha256",
    )


def test_a_whole_chain_verifies() -> None:
    rows = chain(5)
    report = verify_rows(rows, key=KEY, head=head_of(rows))
    assert (report.ok, report.checked) == (True, 5)


@pytest.mark.parametrize(
    ("cut", "problem", "broken"),
    [
        (slice(2, None), "最早的记录不是链头封存的起点", 3),  # the oldest two deleted
        (slice(None, 3), "链头与最后一条记录不符", 5),  # the newest two deleted
        (slice(0, 0), "审计链为空", 5),  # everything deleted
    ],
)
def test_a_shortened_chain_fails(cut: slice, problem: str, broken: int) -> None:
    rows = chain(5)
    report = verify_rows(rows[cut], key=KEY, head=head_of(rows))
    assert not report.ok
    assert report.problem is not None and report.problem.startswith(problem)
    assert report.first_broken_id == broken


def test_a_count_that_does_not_match_fails() -> None:
    rows = chain(3)
    report = verify_rows(rows, key=KEY, head=replace(head_of(rows), count=4))
    assert not report.ok and "条数" in (report.problem or "")


def test_the_head_seal_covers_every_field() -> None:
    head = head_of(chain(3))
    sealed = head.seal(KEY)
    assert head_seal_valid(head, sealed, KEY)
    assert not head_seal_valid(head, sealed, b"other-key")
    for change in (
        {"count": 2},
        {"pruned": 1},
        {"first_id": 2},
        {"first_prev_hash": "1" * 64},
        {"last_id": 2},
        {"last_hash": "2" * 64},
    ):
        assert not head_seal_valid(replace(head, **change), sealed, KEY), change


def test_an_unknown_algorithm_is_a_finding_not_a_crash() -> None:
    rows = [replace(chain(1)[0], algorithm="no-such-hash")]
    report = verify_rows(rows, key=KEY, head=head_of(rows))
    assert not report.ok and "不支持" in (report.problem or "")


def _hashes(rows: list[SealedRow]):  # type: ignore[no-untyped-def]
    return {row.id: row.hash for row in rows}.get


def test_a_checkpoint_round_trips_through_a_sink_file() -> None:
    rows = chain(4)
    first = checkpoint_sign(head_of(rows[:2]), issued_at="2026-11-15T09:30:00+08:00", key=KEY)
    second = checkpoint_sign(head_of(rows), issued_at="2026-11-16T09:30:00+08:00", key=KEY)
    read = checkpoint_parse(first.as_json_line() + second.as_json_line() + "\n")
    assert read == second
    checkpoint_check_seal(read, KEY)
    pretty = json.dumps(second.as_dict(), indent=2)
    assert checkpoint_parse(pretty) == second


def test_a_forged_checkpoint_fails_its_seal() -> None:
    signed = checkpoint_sign(head_of(chain(2)), issued_at="2026-11-16T09:30:00+08:00", key=KEY)
    with pytest.raises(CheckpointInvalid) as caught:
        checkpoint_check_seal(replace(signed, count=1), KEY)
    assert caught.value.code == "CHECKPOINT_FORGED"


def test_a_chain_shorter_than_its_checkpoint_fails_and_a_lawful_prune_does_not() -> None:
    rows = chain(6)
    checkpoint = checkpoint_sign(head_of(rows[:4]), issued_at="2026-11-16", key=KEY)
    assert checkpoint_compare(checkpoint, head_of(rows), _hashes(rows)).ok
    rewound = checkpoint_compare(checkpoint, head_of(rows[:3]), _hashes(rows[:3]))
    assert not rewound.ok and (rewound.problem or "").startswith("审计链被截短")
    pruned = rows[4:]
    lawful = checkpoint_compare(checkpoint, head_of(pruned, pruned=4), _hashes(pruned))
    assert lawful.ok and lawful.note
    unlawful = checkpoint_compare(checkpoint, head_of(pruned, pruned=0), _hashes(pruned))
    assert not unlawful.ok
