"""Issuing checkpoints and publishing them outside the database: one JSON line appended to a
dated file in `AUDIT_CHECKPOINT_DIR` (meant to be on another volume), and a log record on the
logger `anjian.audit.checkpoint` (send it to syslog). The audit page also offers a freshly
signed checkpoint for download. Never called inside a transaction that writes: file IO happens
after commit."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from anjian.audit.chain import head_seal_valid
from anjian.audit.checkpoints import Checkpoint, CheckpointInvalid, checkpoint_sign
from anjian.audit.models import AuditChainHead
from anjian.audit.services import AuditChainBroken, audit_key, head_state

logger = logging.getLogger("anjian.audit.checkpoint")


def checkpoint_issue() -> Checkpoint:
    """A checkpoint of the head as it is now; refused when the head's own seal fails, so a
    tampered chain never gets a signature."""
    key = audit_key()
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        raise AuditChainBroken("审计链为空：没有链头，无法签发检查点")
    state = head_state(head)
    if not head_seal_valid(state, head.seal, key):
        raise AuditChainBroken("审计链头封印不符：拒绝为它签发检查点")
    try:
        return checkpoint_sign(state, issued_at=timezone.localtime().isoformat(), key=key)
    except CheckpointInvalid as exc:
        raise AuditChainBroken(exc.message) from exc


def checkpoint_directory() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def checkpoint_write(checkpoint: Checkpoint) -> Path:
    """Appends the checkpoint to `<dir>/audit-checkpoints-YYYY-MM-DD.jsonl` (0600 in a 0700
    folder) and syncs it to disk."""
    folder = checkpoint_directory()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"audit-checkpoints-{timezone.localdate():%Y-%m-%d}.jsonl"
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, checkpoint.as_json_line().encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return path


def checkpoint_log(checkpoint: Checkpoint, *, sink: str) -> None:
    logger.info(
        "audit checkpoint (%s): %s", sink, checkpoint.as_json_line().strip(), extra={"sink": sink}
    )


def checkpoint_publish() -> tuple[Checkpoint, Path]:
    """Issues a checkpoint, writes it to the folder and the log, and notes the time in the head
    (for the automatic daily publishing). Raises AuditChainBroken or OSError."""
    checkpoint = checkpoint_issue()
    path = checkpoint_write(checkpoint)
    checkpoint_log(checkpoint, sink=str(path))
    AuditChainHead.objects.filter(pk=1).update(checkpoint_at=timezone.now())
    return checkpoint, path


def checkpoint_publish_quietly() -> None:
    """The automatic publishing after commit: a failure is logged, never raised into the request
    whose change has already committed; the daily timer (`anjian audit checkpoint`) remains."""
    try:
        checkpoint_publish()
    except Exception:
        logger.exception("audit checkpoint not published")
