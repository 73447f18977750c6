"""Camera check-in through Django's test client: what a QR code or a paste holds becomes the code
(`code_from_scan`); the server reader decodes a camera frame (zxing-cpp) and refuses what is no
frame; only officers who conduct inspections may post frames; the pasted address and the typed
short code check in; the enterprise portal verifies a code as the public page does and says
whether the inspection is of this enterprise; bulk approval stays with the approver."""

from __future__ import annotations

import io

import pytest
import segno
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from anjian.inspections.codes import (
    code_from_scan,
    entry_code,
    printed_short_code,
    resolve_code,
)
from anjian.inspections.models import InspectionTask
from anjian.inspections.scan import MAX_BYTES
from tests.web.inspection_helpers import approved_task, field_team, task_request, today

pytestmark = pytest.mark.django_db
SCAN = "/inspections/checkin/scan/"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _png(text: str, *, scale: int = 6) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def _jpeg(png: bytes, size: tuple[int, int] = (640, 480)) -> bytes:
    """The QR photographed: pasted on a grey page of a camera frame's size, saved as JPEG."""
    code = Image.open(io.BytesIO(png)).convert("RGB")
    frame = Image.new("RGB", size, (200, 200, 200))
    frame.paste(code, ((size[0] - code.width) // 2, (size[1] - code.height) // 2))
    buffer = io.BytesIO()
    frame.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _post_frame(client, data: bytes, name: str = "frame.jpg"):  # type: ignore[no-untyped-def]
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(SCAN, {"frame": upload}, HTTP_ACCEPT="application/json")


def test_a_scanned_address_or_paste_becomes_the_code() -> None:
    code = "0f1e2d3c4b5a69788796a5b4c3d2e1f0:AbC-d_e"
    assert code_from_scan(f"http://192.168.1.20:8000/inspections/verify/{code}/") == code
    assert code_from_scan(f"  https://aj.example.cn/inspections/verify/{code}/?x=1 ") == code
    assert code_from_scan(f"/inspections/verify/{code.replace(':', '%3A')}/") == code
    assert code_from_scan(f" {code} ") == code
    assert code_from_scan("K7QM-2XPA") == "K7QM-2XPA"  # a short code is left for its lookup
    assert code_from_scan("https://example.com/other/page/") == "https://example.com/other/page/"
    assert len(code_from_scan("x" * 5000)) == 500


def test_the_server_reads_the_notices_qr_from_a_camera_frame(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    address = f"http://10.0.0.5:8000/inspections/verify/{entry_code(task)}/"
    client = login(team.lead)
    for frame in (_jpeg(_png(address)), _png(address)):
        response = _post_frame(client, frame)
        assert response.status_code == 200
        assert response.json() == {"found": True, "code": entry_code(task)}
        assert response["Cache-Control"].startswith("max-age=0")
    blank = _jpeg(_png("x"), size=(320, 240))
    blank_page = Image.new("RGB", (320, 240), (255, 255, 255))
    buffer = io.BytesIO()
    blank_page.save(buffer, "JPEG")
    assert _post_frame(client, buffer.getvalue()).json() == {"found": False}
    assert _post_frame(client, blank).json()["found"] is True  # any QR is read; check-in judges
    task.refresh_from_db()
    assert task.status == "approved"  # reading a frame writes nothing


def test_the_server_refuses_what_is_no_camera_frame(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(field_team(world).lead)
    # a text file named and typed as a JPEG: the content decides
    text = _post_frame(client, b"<html>not an image</html>" * 10)
    assert text.status_code == 415 and text.json()["found"] is False
    # a JPEG's magic bytes and nothing behind them
    broken = _post_frame(client, b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    assert broken.status_code == 400
    # too many bytes: refused before decoding
    assert _post_frame(client, b"\xff\xd8\xff" + b"\x00" * MAX_BYTES).status_code == 413
    # a small file of huge dimensions (a decompression bomb): refused from the header
    huge = io.BytesIO()
    Image.new("L", (4000, 4000), 255).save(huge, "PNG", optimize=True)
    assert len(huge.getvalue()) < MAX_BYTES
    assert _post_frame(client, huge.getvalue(), "frame.png").status_code == 413
    assert client.post(SCAN).status_code == 400  # no frame at all
    assert client.get(SCAN).status_code == 405


def test_only_officers_who_conduct_inspections_may_post_frames(world, client, login) -> None:  # type: ignore[no-untyped-def]
    frame = _png("http://x/inspections/verify/abc/")
    anonymous = _post_frame(client, frame)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for username in ("enterprise", "hr_finance", "audit_admin", "training_institution"):
        assert _post_frame(login(world.users[username]), frame).status_code == 403, username


@override_settings(ANJIAN_RATE_LIMITS={"scan": "3/m"})
def test_frames_are_counted_per_address(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(field_team(world).lead)
    frame = _png("http://x/inspections/verify/abc/")
    answers = [_post_frame(client, frame).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_a_pasted_address_checks_in(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    first = approved_task(world, team)
    client = login(team.lead)
    address = f"http://192.168.1.20:8000/inspections/verify/{entry_code(first)}/"
    response = client.post(reverse("inspections:checkin_by_code"), {"code": address})
    assert response.status_code == 302 and response["Location"] == f"/inspections/{first.pk}/"
    first.refresh_from_db()
    assert first.status == "in_progress" and first.checked_in_by == team.lead


def test_a_typed_short_code_checks_in(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)
    assert resolve_code(printed_short_code(task).lower(), today(), client="x") == entry_code(task)
    client = login(team.lead)
    response = client.post(
        reverse("inspections:checkin_by_code"), {"code": printed_short_code(task)}
    )
    assert response.status_code == 302 and response["Location"] == f"/inspections/{task.pk}/"
    task.refresh_from_db()
    assert task.status == "in_progress" and task.checked_in_by == team.lead


def test_the_portal_verifies_a_code_and_says_whose_inspection_it_is(world, login) -> None:  # type: ignore[no-untyped-def]
    team = field_team(world)
    task = approved_task(world, team)  # of 宏达化工 (the user "enterprise")
    url = reverse("inspections:portal_verify")
    own = login(world.users["enterprise"])
    empty = own.get(url)
    assert empty.status_code == 200 and 'data-testid="portal-verify-form"' in empty.content.decode()
    response = own.get(url, {"code": printed_short_code(task)})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-state="valid"' in page and 'data-testid="verify-ours"' in page
    assert team.officers[0].certificate_no in page
    scanned = own.get(url, {"code": f"https://x.cn/inspections/verify/{entry_code(task)}/"})
    assert 'data-testid="verify-ours"' in scanned.content.decode()
    # the coal mine's receptionist is shown another enterprise's code: not a ground to enter
    other = login(world.users["enterprise2"]).get(url, {"code": entry_code(task)})
    assert other.status_code == 200 and 'data-testid="verify-not-ours"' in other.content.decode()
    forged = own.get(url, {"code": entry_code(task)[:-3] + "zzz"})
    assert forged.status_code == 404 and 'data-state="forged"' in forged.content.decode()
    assert 'data-testid="verify-complain"' in forged.content.decode()


def test_only_an_enterprise_opens_the_portals_check(world, client, login) -> None:  # type: ignore[no-untyped-def]
    url = reverse("inspections:portal_verify")
    assert client.get(url).status_code == 302
    for username in ("hazchem", "bureau_head", "office"):
        assert login(world.users[username]).get(url).status_code == 403, username


def test_the_portals_check_limits_failed_short_codes(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["enterprise"])
    url = reverse("inspections:portal_verify")
    answers = [client.get(url, {"code": "2345-6789"}).status_code for _ in range(21)]
    assert answers[:20] == [404] * 20 and answers[20] == 429


def test_bulk_approval_approves_only_what_was_ticked_and_only_for_the_approver(
    world, login
) -> None:  # type: ignore[no-untyped-def]
    from anjian.inspections.services.tasks import request_task

    team = field_team(world)
    pending = [
        request_task(
            actor=world.users["hazchem"], request=task_request(world, team, today()), today=today()
        )
    ]
    url = reverse("inspections:approvals")
    # a section may not approve, even by posting the form
    refused = login(world.users["hazchem"]).post(url, {"task": [pending[0].pk]})
    assert refused.status_code == 403
    head = login(world.users["bureau_head"])
    nothing = head.post(url, {}, follow=True)
    assert "请先勾选要批准的检查任务" in nothing.content.decode()
    assert InspectionTask.objects.get(pk=pending[0].pk).status == "pending"
    head.post(url, {"task": [pending[0].pk]})
    assert InspectionTask.objects.get(pk=pending[0].pk).status == "approved"
