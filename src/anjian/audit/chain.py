"""Sealing and verifying the hash chain. HMAC-SM3 where OpenSSL offers SM3, else HMAC-SHA256.

Pure Python: no Django. Three kinds of seal, each over its own prefix so that one can never be
passed off as another: an entry's seal (over the previous seal and the entry's fields), the
chain head's seal (the entry count, the anchor and the last entry) and a checkpoint's seal
(`checkpoints.py`)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

GENESIS = "0" * 64
HEAD_PREFIX = b"anjian-audit-head\n"


def preferred_algorithm() -> str:
    return "sm3" if "sm3" in hashlib.algorithms_available else "sha256"


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def seal(*, key: bytes, algorithm: str, prev_hash: str, fields: dict[str, Any]) -> str:
    message = prev_hash.encode() + b"\n" + canonical(fields)
    return hmac.new(key, message, algorithm).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str | None = None
    checkpoint: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "ok": self.ok,
            "checked": self.checked,
            "first_broken_id": self.first_broken_id,
            "problem": self.problem,
        }
        if self.checkpoint is not None:
            result["checkpoint"] = self.checkpoint
        return result


@dataclass(frozen=True)
class SealedRow:
    id: int
    algorithm: str
    prev_hash: str
    hash: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class HeadState:
    """What the chain head vouches for: `count` entries are in the table, from `first_id` (whose
    prev_hash is `first_prev_hash`) to `last_id` (sealed `last_hash`); `pruned` entries before
    them were removed lawfully after the retention period."""

    count: int
    pruned: int
    first_id: int | None
    first_prev_hash: str
    last_id: int | None
    last_hash: str
    algorithm: str = field(default_factory=preferred_algorithm)

    def fields(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "pruned": self.pruned,
            "first_id": self.first_id,
            "first_prev_hash": self.first_prev_hash,
            "last_id": self.last_id,
            "last_hash": self.last_hash,
        }

    def seal(self, key: bytes) -> str:
        return hmac.new(key, HEAD_PREFIX + canonical(self.fields()), self.algorithm).hexdigest()

    def appended(self, *, entry_id: int, entry_hash: str, prev_hash: str) -> HeadState:
        """The state after one more entry; the first entry of an empty chain becomes the anchor."""
        first_id, first_prev = self.first_id, self.first_prev_hash
        if self.count == 0:
            first_id, first_prev = entry_id, prev_hash
        return replace(
            self,
            count=self.count + 1,
            first_id=first_id,
            first_prev_hash=first_prev,
            last_id=entry_id,
            last_hash=entry_hash,
            algorithm=preferred_algorithm(),
        )


def head_seal_valid(state: HeadState, seal_text: str, key: bytes) -> bool:
    try:
        expected = state.seal(key)
    except ValueError:  # an algorithm this machine's OpenSSL does not offer
        return False
    return hmac.compare_digest(expected, seal_text)


def _row_problem(row: SealedRow, previous: str | None, key: bytes) -> str | None:
    if previous is not None and row.prev_hash != previous:
        return "前一条摘要不匹配：有记录被删除或插入"
    try:
        expected = seal(
            key=key, algorithm=row.algorithm, prev_hash=row.prev_hash, fields=row.fields
        )
    except ValueError:
        return f"本机不支持摘要算法 {row.algorithm}，无法校验"
    if not hmac.compare_digest(expected, row.hash):
        return "摘要不匹配：记录内容被篡改"
    return None


def _anchor_problem(row: SealedRow, head: HeadState) -> str | None:
    if row.id != head.first_id or row.prev_hash != head.first_prev_hash:
        return "最早的记录不是链头封存的起点：有最早的记录被删除或插入"
    return None


def _end_problem(last: SealedRow | None, checked: int, head: HeadState) -> str | None:
    if last is None:
        return "审计链为空：链头记有记录，表中却没有"
    if last.id != head.last_id or last.hash != head.last_hash:
        return "链头与最后一条记录不符：最新记录被删除"
    if checked != head.count:
        return f"记录条数与链头不符：链头封存 {head.count} 条，表中 {checked} 条"
    return None


def verify_rows(rows: Iterable[SealedRow], *, key: bytes, head: HeadState) -> ChainReport:
    """Walks the rows in id order: the first row must be the anchor the head sealed (so deleting
    the oldest rows is noticed), every later row must point at the one before it, and the last
    row and the number of rows must be those the head sealed (so a shortened tail is noticed).
    The caller checks the head's own seal first."""
    previous: str | None = None
    last: SealedRow | None = None
    checked = 0
    for row in rows:
        problem = _anchor_problem(row, head) if last is None else None
        problem = problem or _row_problem(row, previous, key)
        if problem:
            return ChainReport(False, checked, row.id, problem)
        previous, last = row.hash, row
        checked += 1
    problem = _end_problem(last, checked, head)
    if problem:
        return ChainReport(False, checked, head.last_id, problem)
    return ChainReport(True, checked)
