"""The entry code (检查码) of an approved task: the task's random id, signed with the server's
key. Nobody can make a valid code without the key, and a code can be revoked in the database.
The QR code carries the public verification address, so any phone camera opens it.

The short code (核验码, e.g. K7QM-2XPA) is printed beside the QR for an enterprise to type: eight
characters from an alphabet without 0/O/1/I, taken from a keyed hash of the signed code, so
nobody without the server's key can derive it. A typed short code is looked up among the tasks
of the last and next 400 days; 32^8 (10^12) codes against a few thousand tasks and a limit on
failed tries per address make guessing hopeless."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import unquote, urlsplit
from uuid import UUID

import segno
import zxingcpp
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from PIL import Image, ImageOps

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


SHORT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: no 0/O, 1/I
SHORT_LENGTH = 8
SHORT_WINDOW = timedelta(days=400)  # tasks this far before or after today answer a short code
_SHORT_SHAPE = re.compile(rf"[{SHORT_ALPHABET}]{{{SHORT_LENGTH}}}")


def short_code(task: InspectionTask) -> str:
    """The task's 8-character short code (K7QM2XPA), from a keyed hash of its signed code."""
    return _short(task.code_id)


def _short(code_id: UUID) -> str:
    digest = salted_hmac(SALT + ".short", signing.Signer(salt=SALT).sign(code_id.hex)).digest()
    number = int.from_bytes(digest[:5], "big")  # 40 bits, 5 per symbol
    return "".join(SHORT_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(8)))


def printed_short_code(task: InspectionTask) -> str:
    """The short code as printed, in two groups of four: K7QM-2XPA."""
    code = short_code(task)
    return f"{code[:4]}-{code[4:]}"


def normalise_short_code(text: str) -> str | None:
    """A typed short code in upper case without spaces or hyphens, or None when it is not one."""
    code = re.sub(r"[\s\-－—]", "", text).upper()
    return code if _SHORT_SHAPE.fullmatch(code) else None


def find_short_code(code: str, today: date) -> str | None:
    """The signed code of the task whose short code this is, among the tasks dated within
    `SHORT_WINDOW` of today; None when there is none."""
    window = (today - SHORT_WINDOW, today + SHORT_WINDOW)
    code_ids = InspectionTask.objects.filter(date__range=window).values_list("code_id", flat=True)
    for code_id in code_ids.iterator():
        if _short(code_id) == code:
            return signing.Signer(salt=SALT).sign(code_id.hex)
    return None


_VERIFY_PATH = re.compile(r"/verify/([^/?#]+)/?$")
SCAN_MAX_LENGTH = 500  # a QR's text longer than this is no entry code (ours are about 90)


def code_from_scan(text: str) -> str:
    """The code in what a QR code or a paste holds: the QR carries the verification address
    (…/inspections/verify/<code>/, on whichever host printed it), a paste may be the address
    or the code itself. Anything else comes back stripped, for `check_code` to judge."""
    text = text.strip()[:SCAN_MAX_LENGTH]
    if "://" in text or text.startswith("/"):
        match = _VERIFY_PATH.search(urlsplit(text).path)
        if match:
            return unquote(match.group(1)).strip()
    return text


def check_code(code: str, today: date) -> CodeCheck:
    """What a scanned or typed code is: valid today, for another day, expired, revoked, forged.
    A scanned verification address counts as its code (`code_from_scan`)."""
    try:
        raw = signing.Signer(salt=SALT).unsign(code_from_scan(code))
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


# the HTTP status of each verdict, the same on the public page and in the API
VERDICT_STATUS = {
    CodeState.VALID: 200,
    CodeState.OTHER_DAY: 200,
    CodeState.EXPIRED: 410,
    CodeState.REVOKED: 410,
    CodeState.FORGED: 404,
    CodeState.UNKNOWN: 404,
}
SHORT_TRIES = 20  # failed short codes an address may type in an hour


class TooManyTries(Exception):
    """More than `SHORT_TRIES` unknown short codes from one address in the last hour."""


def verify_code(code: str, today: date, *, client: str) -> CodeCheck:
    """The one verdict on a scanned or typed code, for the public page and the API alike.

    A full code is checked by its signature (`check_code`). A short code is looked up among
    the tasks around today: one of a registered task gives that task's verdict; any other is
    UNKNOWN — as a signed code without an approved task — so the answer never tells whether a
    task (pending, refused) has it. Unknown short codes count against `client` (its address);
    past `SHORT_TRIES` in an hour every short code from it raises `TooManyTries`."""
    short = normalise_short_code(code_from_scan(code))
    if short is None:
        return check_code(code, today)
    key = f"inspections.verify.short:{client}"
    failures = cache.get(key, 0)
    if failures >= SHORT_TRIES:
        raise TooManyTries("核验码输错次数过多，请一小时后再试，或扫描二维码核验。")
    signed = find_short_code(short, today)
    result = check_code(signed, today) if signed else CodeCheck(CodeState.UNKNOWN, None)
    if result.task is None:
        cache.set(key, failures + 1, timeout=3600)
    return result


def resolve_code(text: str, today: date, *, client: str) -> str:
    """The signed code behind what an officer scanned, pasted or typed: the verification
    address and the code itself as they are; a short code (K7QM-2XPA) through `verify_code`,
    with its limit on failed tries. Text that leads to no task comes back for `check_code` to
    give its verdict (forged, unknown). Raises `TooManyTries` past the limit."""
    code = code_from_scan(text)
    if normalise_short_code(code) is None:
        return code
    result = verify_code(code, today, client=client)
    return entry_code(result.task) if result.task is not None else code


def qr_svg(url: str, *, scale: int = 5) -> str:
    """The QR code of an address as inline SVG (no image files, no network)."""
    return segno.make(url, error="m").svg_inline(scale=scale, border=2)


def qr_png(url: str, *, scale: int = 4, border: int = 2) -> bytes:
    """The QR code of an address as a black-and-white PNG (error correction M, `border` modules
    of margin), for the documents. Encoded by zxing-cpp (C++, about 1 ms) rather than segno
    (pure Python, about 15 ms with its PNG writer): every issued notice carries one."""
    symbol = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    pixels = zxingcpp.write_barcode_to_image(symbol, scale=scale, add_quiet_zones=False)
    height, width = pixels.shape
    image = Image.frombuffer("L", (width, height), bytes(memoryview(pixels)), "raw", "L", 0, 1)
    framed = ImageOps.expand(image.convert("1"), border=border * scale, fill=1)
    buffer = io.BytesIO()
    framed.save(buffer, format="PNG")
    return buffer.getvalue()
