"""Checkpoints: the chain's size and last seal, signed with the audit key, kept outside the
database. Whoever later deletes entries and puts back an older (validly sealed) chain head from
a backup cannot make the chain hold what an earlier checkpoint saw. The checkpoint's seal is an
HMAC with the audit key, so a verifier needs the key, as it does for the chain itself.

Pure Python: no Django."""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from anjian.audit.chain import HeadState, canonical, preferred_algorithm

CHECKPOINT_PREFIX = b"anjian-audit-checkpoint\n"
_INT_KEYS = ("count", "pruned", "last_id")
_TEXT_KEYS = ("last_hash", "issued_at", "algorithm", "seal")


class CheckpointInvalid(ValueError):
    """A checkpoint that cannot be read or whose seal does not hold: (code, Chinese message)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Checkpoint:
    count: int
    pruned: int
    last_id: int
    last_hash: str
    issued_at: str
    algorithm: str
    seal: str = ""

    def signed_fields(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "pruned": self.pruned,
            "last_id": self.last_id,
            "last_hash": self.last_hash,
            "issued_at": self.issued_at,
            "algorithm": self.algorithm,
        }

    def compute_seal(self, key: bytes) -> str:
        message = CHECKPOINT_PREFIX + canonical(self.signed_fields())
        return hmac.new(key, message, self.algorithm).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        return {**self.signed_fields(), "seal": self.seal}

    def as_json_line(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True) + "\n"


def checkpoint_sign(head: HeadState, *, issued_at: str, key: bytes) -> Checkpoint:
    if head.last_id is None:
        raise CheckpointInvalid("EMPTY_CHAIN", "审计链为空，无法签发检查点")
    unsigned = Checkpoint(
        count=head.count,
        pruned=head.pruned,
        last_id=head.last_id,
        last_hash=head.last_hash,
        issued_at=issued_at,
        algorithm=preferred_algorithm(),
    )
    return Checkpoint(**{**unsigned.signed_fields(), "seal": unsigned.compute_seal(key)})


def _from_object(data: Any) -> Checkpoint:
    if not isinstance(data, dict):
        raise CheckpointInvalid("INVALID_CHECKPOINT", "检查点应为一个 JSON 对象")
    missing = [k for k in (*_INT_KEYS, *_TEXT_KEYS) if k not in data]
    if missing:
        raise CheckpointInvalid("INVALID_CHECKPOINT", f"检查点缺少字段：{'、'.join(missing)}")
    wrong = [k for k in _INT_KEYS if not isinstance(data[k], int) or isinstance(data[k], bool)] + [
        k for k in _TEXT_KEYS if not isinstance(data[k], str)
    ]
    if wrong:
        raise CheckpointInvalid("INVALID_CHECKPOINT", f"检查点字段类型不对：{'、'.join(wrong)}")
    return Checkpoint(**{k: data[k] for k in (*_INT_KEYS, *_TEXT_KEYS)})


def checkpoint_parse(text: str) -> Checkpoint:
    """A downloaded checkpoint (one JSON object, possibly indented) or a sink file (one JSON
    object a line: the last line is the latest checkpoint)."""
    try:
        return _from_object(json.loads(text))
    except json.JSONDecodeError:
        pass
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise CheckpointInvalid("INVALID_CHECKPOINT", "检查点文件是空的")
    try:
        return _from_object(json.loads(lines[-1]))
    except json.JSONDecodeError as exc:
        raise CheckpointInvalid(
            "INVALID_CHECKPOINT", f"检查点文件的最后一行不是有效的 JSON：{exc.msg}"
        ) from exc


def checkpoint_check_seal(checkpoint: Checkpoint, key: bytes) -> None:
    try:
        expected = checkpoint.compute_seal(key)
    except ValueError as exc:
        raise CheckpointInvalid(
            "UNSUPPORTED_ALGORITHM", f"本机不支持检查点的摘要算法 {checkpoint.algorithm}"
        ) from exc
    if not hmac.compare_digest(expected, checkpoint.seal):
        raise CheckpointInvalid(
            "CHECKPOINT_FORGED",
            "检查点签名不符：检查点被改动过，或不是用本系统的审计密钥签发的",
        )


@dataclass(frozen=True)
class CheckpointFinding:
    ok: bool
    problem: str | None = None
    note: str | None = None


def checkpoint_compare(
    checkpoint: Checkpoint, head: HeadState, hash_of: Callable[[int], str | None]
) -> CheckpointFinding:
    """Does the chain (whose head is sealed and whose rows verified) still hold what the
    checkpoint saw? `hash_of(id)` gives the seal of the entry with that id, None if missing."""
    if head.count + head.pruned < checkpoint.count + checkpoint.pruned:
        return CheckpointFinding(
            False,
            f"审计链被截短：检查点（{checkpoint.issued_at}）时已有 {checkpoint.count} 条"
            f"（此前依法清理 {checkpoint.pruned} 条），现存 {head.count} 条"
            f"（依法清理共 {head.pruned} 条）",
        )
    if head.first_id is not None and checkpoint.last_id < head.first_id:
        if head.pruned > checkpoint.pruned:
            return CheckpointFinding(True, note="检查点的末条记录已在保存期满后依法清理")
        return CheckpointFinding(False, "检查点的末条记录不在链中，且此后没有依法清理")
    found = hash_of(checkpoint.last_id)
    if found is None:
        return CheckpointFinding(
            False, f"检查点的末条记录（第 {checkpoint.last_id} 号）已不在审计链中"
        )
    if not hmac.compare_digest(found, checkpoint.last_hash):
        return CheckpointFinding(
            False, f"检查点的末条记录（第 {checkpoint.last_id} 号）与检查点记下的摘要不符"
        )
    return CheckpointFinding(True)
