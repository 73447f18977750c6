"""Camera check-in in a real browser: Chromium's fake camera plays a video of the inspection
notice's QR code (made here, at test time, from the task's real entry code: the QR that segno
draws for the notice, written as a Y4M video with numpy), the officer opens the camera on the
check-in page, and the page reads the code and checks in.

Chromium on Linux has no `BarcodeDetector`, so the page sends frames to the server, which reads
them with zxing-cpp: the real path on such phones. The browser's own reader is then exercised by
an init script standing in for the browser API (it answers what Android's reader would); and a
`BarcodeDetector` that cannot read QR codes falls back to the server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
import segno
from playwright.sync_api import Browser, Page, expect

from anjian.inspections.codes import entry_code
from anjian.inspections.models import InspectionTask
from tests.browser.conftest import ARGS, CHROMIUM
from tests.conftest import PASSWORD
from tests.web.inspection_helpers import approved_task, field_team

WIDTH, HEIGHT, FRAMES = 640, 480, 5
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def qr_video(text: str, path: Path) -> Path:
    """A Y4M video (4:2:0, grey) of the QR code of `text`, centred on a white page, for
    Chromium's --use-file-for-fake-video-capture."""
    modules = np.array(segno.make(text, error="m").matrix, dtype=bool)
    border = 4
    size = modules.shape[0] + 2 * border
    scale = min(WIDTH, HEIGHT) * 9 // 10 // size
    code = np.pad(modules, border, constant_values=False)
    code = np.kron(code, np.ones((scale, scale), dtype=bool))
    luma = np.full((HEIGHT, WIDTH), 235, dtype=np.uint8)  # white paper
    top, left = (HEIGHT - code.shape[0]) // 2, (WIDTH - code.shape[1]) // 2
    luma[top : top + code.shape[0], left : left + code.shape[1]][code] = 16  # black modules
    chroma = np.full((HEIGHT // 2) * (WIDTH // 2), 128, dtype=np.uint8).tobytes()
    frame = b"FRAME\n" + luma.tobytes() + chroma + chroma
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * FRAMES)
    return path


@pytest.fixture
def camera_browser(browser: Browser) -> Iterator[Callable[[Path], Browser]]:
    """A Chromium of its own whose camera plays the given video: launch arguments are per
    browser, and the video holds a code made inside the test. It is launched through the
    session's Playwright (tests/browser/conftest.py), which skips where Chromium is missing."""
    launched: list[Browser] = []

    def launch(video: Path) -> Browser:
        fake_camera = [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ]
        camera = browser.browser_type.launch(
            executable_path=str(CHROMIUM), args=[*ARGS, *fake_camera], headless=True
        )
        launched.append(camera)
        return camera

    yield launch
    for camera in launched:
        camera.close()


def _officer_page(browser: Browser, live_server, username: str, init: str = "") -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", **PHONE)
    context.grant_permissions(["camera", "geolocation"], origin=live_server.url)
    context.set_geolocation({"latitude": 37.4301, "longitude": 112.0302, "accuracy": 20})
    if init:
        context.add_init_script(init)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def _scan_and_check_in(
    camera_browser, live_world, live_server, tmp_path: Path, init: str = ""
) -> tuple[Page, InspectionTask, list[str]]:  # type: ignore[no-untyped-def]
    """Opens the check-in page with a camera showing the task's QR and waits for the check-in;
    the page, the task and the frames the page posted to the server reader."""
    team = field_team(live_world)
    task = approved_task(live_world, team)
    # the QR printed on the notice carries the public verification address with the code
    address = f"{live_server.url}/inspections/verify/{entry_code(task)}/"
    browser = camera_browser(qr_video(address, tmp_path / "notice.y4m"))
    page = _officer_page(browser, live_server, team.lead.username, init.replace("ADDRESS", address))
    frames: list[str] = []
    page.on("request", lambda r: frames.append(r.method) if "/checkin/scan/" in r.url else None)
    page.goto(f"{live_server.url}/inspections/checkin/")
    expect(page.get_by_test_id("code-input")).to_be_empty()
    page.get_by_test_id("scan-start").click()
    page.wait_for_url(f"**/inspections/{task.pk}/")
    expect(page.get_by_test_id("task-status")).to_have_text("检查中")
    task.refresh_from_db()
    assert task.status == "in_progress" and task.checked_in_by == team.lead
    assert task.checkin_lat is not None  # the position went with the scanned code
    return page, task, frames


def test_the_camera_reads_the_notice_and_the_server_decodes_it(
    live_world, camera_browser, live_server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    page, _task, frames = _scan_and_check_in(camera_browser, live_world, live_server, tmp_path)
    assert page.evaluate("'BarcodeDetector' in window") is False  # Chromium on Linux
    assert frames and set(frames) == {"POST"}  # frames went to the server reader


def test_the_browsers_own_reader_is_used_where_there_is_one(
    live_world, camera_browser, live_server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Where the browser has a BarcodeDetector for QR codes (Android's Chrome), the page uses
    it and sends no frame to the server. Linux Chromium has none, so this init script stands
    in for it: it answers the text the QR holds, once the camera's video plays."""
    init = """
      window.BarcodeDetector = class {
        static getSupportedFormats() { return Promise.resolve(["qr_code", "ean_13"]); }
        constructor(options) { this.formats = options.formats; }
        detect(video) {
          if (!(video instanceof HTMLVideoElement) || !video.videoWidth) {
            return Promise.resolve([]);
          }
          return Promise.resolve([{ rawValue: "ADDRESS", format: "qr_code" }]);
        }
      };
    """
    _page, _task, frames = _scan_and_check_in(
        camera_browser, live_world, live_server, tmp_path, init
    )
    assert frames == []


def test_a_browser_reader_without_qr_falls_back_to_the_server(
    live_world, camera_browser, live_server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    init = """
      window.BarcodeDetector = class {
        static getSupportedFormats() { return Promise.resolve([]); }
        detect() { return Promise.reject(new Error("no reader")); }
      };
    """
    _page, _task, frames = _scan_and_check_in(
        camera_browser, live_world, live_server, tmp_path, init
    )
    assert frames and set(frames) == {"POST"}


def test_without_the_camera_the_typed_code_still_checks_in(
    live_world, browser, live_server
) -> None:  # type: ignore[no-untyped-def]
    """A browser that refuses the camera (no permission) says so and keeps the code field."""
    team = field_team(live_world)
    task = approved_task(live_world, team)
    context = browser.new_context(locale="zh-CN", **PHONE)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(team.lead.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/inspections/checkin/")
        page.get_by_test_id("scan-start").click()
        expect(page.get_by_test_id("scan-status")).to_contain_text("无法使用摄像头")
        # the address the QR opens, pasted, checks in like the code itself
        address = f"{live_server.url}/inspections/verify/{entry_code(task)}/"
        page.get_by_test_id("code-input").fill(address)
        page.get_by_test_id("code-checkin").click()
        page.wait_for_url(f"**/inspections/{task.pk}/")
        task.refresh_from_db()
        assert task.status == "in_progress"
    finally:
        context.close()
