"""Playwright driving Debian's Chromium against Django's live server.

Browser tests skip with a clear message where /usr/bin/chromium is missing, except in CI
(CI=true), where a missing browser is an error."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import World, build_world

CHROMIUM = Path(os.environ.get("ANJIAN_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(
                f"CI must run the browser tests, but {CHROMIUM} is missing "
                "(apt-get install chromium)"
            )
        pytest.skip(f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def live_world(transactional_db: None) -> World:
    return build_world()


def _session_cookie(username: str, url: str) -> dict[str, object]:
    """A signed-in session for `username`, as the browser's cookie (Django's force_login)."""
    from django.conf import settings
    from django.test import Client

    from anjian.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": url}


@pytest.fixture
def page_for(browser, live_server):  # type: ignore[no-untyped-def]
    """A page signed in as `username`, on its home. The session is made on the server and
    handed to the browser as its cookie: the login form itself is driven by the tests that are
    about it (test_flows.py's phone test, test_inspection_flows.py), not again for every page
    a test opens."""
    contexts = []

    def open_as(username: str):  # type: ignore[no-untyped-def]
        context = browser.new_context(locale="zh-CN")
        contexts.append(context)
        context.add_cookies([_session_cookie(username, live_server.url)])
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()
