"""`anjian audit verify [--checkpoint FILE] | checkpoint | prune --before YYYY-MM-DD`: the JSON
commands behind `cli.cmd_audit`. Each returns (exit code, JSON object); bad usage and unreadable
input raise AuditCommandError, which the command line answers with exit 2."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from anjian.audit.checkpoints import (
    Checkpoint,
    CheckpointInvalid,
    checkpoint_check_seal,
    checkpoint_parse,
)

USAGE = (
    "用法：anjian audit verify [--checkpoint FILE] | anjian audit checkpoint | "
    "anjian audit prune --before YYYY-MM-DD"
)


class AuditCommandError(Exception):
    def __init__(self, code: str, message: str, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or []


def _option(args: Sequence[str], name: str) -> str | None:
    """The value of `--name VALUE` or `--name=VALUE`; None when absent; anything else is bad
    usage."""
    if not args:
        return None
    if len(args) == 2 and args[0] == name:
        return args[1]
    if len(args) == 1 and args[0].startswith(name + "="):
        return args[0][len(name) + 1 :]
    raise AuditCommandError("USAGE", USAGE, [name])


def _load_checkpoint(path: str) -> Checkpoint:
    from anjian.audit.services import audit_key

    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise AuditCommandError(
            "UNREADABLE_FILE", f"无法读取检查点文件：{exc}", ["checkpoint"]
        ) from exc
    try:
        checkpoint = checkpoint_parse(text)
        checkpoint_check_seal(checkpoint, audit_key())
    except CheckpointInvalid as exc:
        raise AuditCommandError(exc.code, exc.message, ["checkpoint"]) from exc
    return checkpoint


def verify(args: Sequence[str]) -> tuple[int, dict[str, Any]]:
    from anjian.audit.services import audit_verify

    path = _option(args, "--checkpoint")
    given = _load_checkpoint(path) if path is not None else None
    report = audit_verify(given)
    return (0 if report.ok else 1), report.as_dict()


def checkpoint(args: Sequence[str]) -> tuple[int, dict[str, Any]]:
    from anjian.audit.publishing import checkpoint_publish
    from anjian.audit.services import AuditChainBroken

    if args:
        raise AuditCommandError("USAGE", USAGE, ["checkpoint"])
    try:
        issued, path = checkpoint_publish()
    except AuditChainBroken as exc:
        return 1, {"ok": False, "problem": str(exc)}
    except OSError as exc:
        raise AuditCommandError(
            "CHECKPOINT_DIR_UNWRITABLE",
            f"无法写入检查点目录：{exc}",
            ["ANJIAN_AUDIT_CHECKPOINT_DIR"],
        ) from exc
    return 0, {"ok": True, "checkpoint": issued.as_dict(), "file": str(path)}


def prune(args: Sequence[str]) -> tuple[int, dict[str, Any]]:
    from anjian.audit.pruning import PruneRefused, audit_prune

    raw = _option(args, "--before")
    if raw is None:
        raise AuditCommandError("USAGE", USAGE, ["before"])
    try:
        before = date.fromisoformat(raw)
    except ValueError as exc:
        raise AuditCommandError(
            "INVALID_DATE", f"日期应为 YYYY-MM-DD，而不是 {raw!r}", ["before"]
        ) from exc
    try:
        result = audit_prune(before=before)
    except PruneRefused as exc:
        raise AuditCommandError(exc.code, exc.message, ["before"]) from exc
    return 0, {"ok": True, **result.as_dict()}


SUBCOMMANDS = {"verify": verify, "checkpoint": checkpoint, "prune": prune}
