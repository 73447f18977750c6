"""Sealing and verifying the hash chain. HMAC-SM3 where OpenSSL offers SM3, else HMAC-SHA256."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_broken_id": self.first_broken_id,
            "problem": self.problem,
        }


@dataclass(frozen=True)
class SealedRow:
    id: int
    algorithm: str
    prev_hash: str
    hash: str
    fields: dict[str, Any]


def verify_rows(rows: Iterable[SealedRow], *, key: bytes) -> ChainReport:
    """Walks the rows in id order; the first row anchors the chain (earlier rows may have been
    pruned after the retention period), every later row must point at the one before it."""
    previous: str | None = None
    checked = 0
    for row in rows:
        if previous is not None and row.prev_hash != previous:
            return ChainReport(False, checked, row.id, "前一条摘要不匹配：有记录被删除或插入")
        expected = seal(
            key=key, algorithm=row.algorithm, prev_hash=row.prev_hash, fields=row.fields
        )
        if not hmac.compare_digest(expected, row.hash):
            return ChainReport(False, checked, row.id, "摘要不匹配：记录内容被篡改")
        previous = row.hash
        checked += 1
    return ChainReport(True, checked)
