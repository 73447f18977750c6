"""The entry code (检查码) of an approved task: the task's random id, signed with the server's
key. Nobody can make a valid code without the key, and a code can be revoked in the database.
The QR code carries the public verification address, so any phone camera opens it."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import segno
from django.core import signing

from anjian.inspections.models import InspectionTask

SALT = "anjian.inspections.entry-code"


class CodeState:
    VALID = "valid"  # registered, for today
    OTHER_DAY = "other_day"  # registered, but for another (future) day
    EXPIRED = "expired"  # its day has passed, or the inspection is finished
    REVOKED = "revoked"  # the task was cancelled or its code revoked
    FORGED = "forged"  # not signed by this server
    UNKNOWN = "unknown"  # signed, but no such task (never approved)


MESSAGES = {
    CodeState.VALID: "检查码有效：这是已登记、经批准的行政检查。",
    CodeState.OTHER_DAY: "检查码已登记，但检查日期不是今天：今天不能凭此码入企检查。",
    CodeState.EXPIRED: "检查码已过期：该检查的日期已过或检查已结束，不能凭此码入企。",
    CodeState.REVOKED: "检查码已作废：该检查任务已撤销，不能凭此码入企。",
    CodeState.FORGED: "检查码无效：不是本系统签发的检查码，可能是伪造的。可拒绝检查并投诉。",
    CodeState.UNKNOWN: "检查码无效：系统中没有对应的已批准检查任务。可拒绝检查并投诉。",
}


@dataclass(frozen=True)
class CodeCheck:
    state: str
    task: InspectionTask | None

    @property
    def message(self) -> str:
        return MESSAGES[self.state]

    @property
    def registered(self) -> bool:
        return self.task is not None and self.state in {CodeState.VALID, CodeState.OTHER_DAY}


def entry_code(task: InspectionTask) -> str:
    return signing.Signer(salt=SALT).sign(task.code_id.hex)


def check_code(code: str, today: date) -> CodeCheck:
    """What a scanned or typed code is: valid today, for another day, expired, revoked, forged."""
    try:
        raw = signing.Signer(salt=SALT).unsign(code.strip())
        code_id = UUID(hex=raw)
    except (signing.BadSignature, ValueError):
        return CodeCheck(CodeState.FORGED, None)
    task = (
        InspectionTask.objects.select_related("body", "enterprise", "section")
        .filter(code_id=code_id)
        .first()
    )
    if task is None or task.status in {
        InspectionTask.Status.PENDING,
        InspectionTask.Status.REFUSED,
    }:
        return CodeCheck(CodeState.UNKNOWN, None)
    if task.status == InspectionTask.Status.CANCELLED or task.code_revoked_at is not None:
        return CodeCheck(CodeState.REVOKED, task)
    if task.status == InspectionTask.Status.DONE or task.date < today:
        return CodeCheck(CodeState.EXPIRED, task)
    if task.date > today:
        return CodeCheck(CodeState.OTHER_DAY, task)
    return CodeCheck(CodeState.VALID, task)


def qr_svg(url: str, *, scale: int = 5) -> str:
    """The QR code of an address as inline SVG (no image files, no network)."""
    return segno.make(url, error="m").svg_inline(scale=scale, border=2)


def qr_png(url: str, *, scale: int = 4) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
