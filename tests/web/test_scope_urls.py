"""The scope matrix over every URL that shows a record naming an enterprise (issue 16, defect 2).

One record of every kind is built for 宏达化工 ("chem", seen by the hazardous-chemicals section
`hazchem`) and for 鑫源煤业 ("coal", seen by the coal section `coal_section`), both of the county
(tests/web/scope_world.py). For each page of `PAGES` and each user of `SCOPE`:

- a role without the page's capability answers 403;
- a record of an enterprise in the user's scope answers 200 (or the page's other allowed answers)
  and names the enterprise; out of scope it answers 404;
- a page holding the records of both (a planning month, a list, a class) answers 200 to those who
  see its body and names only the enterprises in the user's scope;
- whatever the answer, nothing of an enterprise out of scope appears: its name, the reason of its
  quiet-period exception, its complaint, its people (downloads are read inside their zip).

POST-only URLs are tried only where they must refuse (out of scope, or no capability), so the
world stays as built; their in-scope flows are tested where each feature is.

`test_every_url_with_an_id_is_in_the_matrix` walks the URLconf: a new URL that takes an id must
be added to `PAGES` or, if it shows nothing of an enterprise, to the commented `NOT_ENTERPRISE`.
The world is built once for the module (inside a transaction rolled back at the end)."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from anjian.accounts.roles import role_can
from anjian.policy.selectors import next_month
from tests.clock import TEST_NOW
from tests.web.scope_pages import (
    COUNTY_BODY,
    NAMES,
    NOT_ENTERPRISE,
    PAGES,
    SCOPE,
    SCOPED_ELSEWHERE,
    Page,
    markers,
)
from tests.web.scope_world import KEYS, Records, built_world

# ---- the world, built once ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def records(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Records]:  # type: ignore[no-untyped-def]
    with built_world(django_db_blocker, tmp_path_factory.mktemp("scope-media")) as built:
        yield built


@pytest.fixture(autouse=True)
def _media_root(settings, request) -> None:  # type: ignore[no-untyped-def]
    """The files of the module's world (the conftest's per-test folder would be empty)."""
    if "records" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("records").media


# ---- reading an answer -------------------------------------------------------------------------


def text_of(body: bytes, content_type: str) -> str:
    """What a person would read in an answer: the page, the JSON decoded, the text inside a
    Word or Excel file; nothing for an image."""
    if content_type.startswith("application/json"):
        try:
            return json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            return body.decode("utf-8", "replace")
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        return html.unescape(re.sub(r"<[^>]+>", "", "".join(parts)))
    if content_type.startswith("image/"):
        return ""
    return body.decode("utf-8", "replace")


def may_open(user: str, page: Page, role: str) -> bool:
    if user in page.refused:
        return False
    return any(c == "" or role_can(role, c) for c in page.can)


def expectation(page: Page, user: str, role: str, key: str) -> tuple[tuple[int, ...], bool]:
    """The answers allowed, and whether the enterprise `key` may (and, on 200, must) show."""
    if not may_open(user, page, role):
        return (403,), False
    sees = page.sees(user, key) if page.sees else key in SCOPE[user]
    if not page.kind:  # a list: everyone who may open it gets it, with their own records
        return (200, *page.ok), sees
    if page.shared:
        if user not in COUNTY_BODY and not (page.sees and sees):
            return (404,), False
        return (200, *page.ok), sees
    return ((200, *page.ok), True) if sees else ((404,), False)


def fetch(client: Client, page: Page, url: str) -> tuple[int, str]:
    if page.payload is not None:
        response = client.post(url, page.payload, content_type="application/json")
    else:
        response = client.post(url, page.form or {}) if page.post else client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, text_of(body, response.get("Content-Type", ""))


def problems(
    page: Page, user: str, role: str, key: str, client: Client, records: Records
) -> list[str]:
    """What is wrong with the answer to `user` for the record of enterprise `key`."""
    allowed, visible = expectation(page, user, role, key)
    url = page.url(records, key)
    if page.post and 200 in allowed:
        return []  # a write in scope: tested where the feature is
    status, text = fetch(client, page, url)
    if status not in allowed:
        verb = "POST" if page.post else "GET"
        return [f"{user} {key}: {verb} {url} answered {status}, expected {allowed}"]
    found = []
    for other in KEYS:
        other_visible = page.sees(user, other) if page.sees else other in SCOPE[user]
        if not other_visible or (other == key and not visible):
            shown = [m for m in markers(other) if m in text]
            if shown:
                found.append(f"{user} {key}: {url} shows {other}'s {shown}")
    if status == 200 and visible and page.names and NAMES[key] not in text:
        found.append(f"{user} {key}: {url} does not name {key}")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=[p.id for p in PAGES])
def test_page_shows_only_what_is_in_scope(records: Records, page: Page) -> None:
    failures: list[str] = []
    client = Client()
    client.raise_request_exception = False
    for user in SCOPE:
        account = records.world.users[user]
        client.force_login(account)
        for key in KEYS if page.kind else KEYS[:1]:  # a list is one page for both
            failures += problems(page, user, account.role, key, client, records)
    assert failures == []


@pytest.mark.django_db
def test_the_ledger_counts_a_sections_own_sectors_and_the_body_for_the_rest(
    records: Records,
) -> None:
    """The exception ledger of a business section counts and lists only its sectors'
    exceptions; the office's counts the body's (one approved exception each for chem and coal,
    next month)."""
    month = next_month(TEST_NOW.date().replace(day=1))
    client = Client()

    def ledger(user: str) -> tuple[int, list[str]]:
        client.force_login(records.world.users[user])
        response = client.get(reverse("policy:exception_ledger"), {"year": month.year})
        assert response.status_code == 200
        row = response.context["months"][month.month - 1]
        return row.approved, sorted(r.enterprise.name for r in response.context["approved"])

    assert ledger("office") == (2, sorted(NAMES.values()))
    assert ledger("hazchem") == (1, [NAMES["chem"]])
    assert ledger("coal_section") == (1, [NAMES["coal"]])


# ---- every URL that takes an id is in the matrix -----------------------------------------------


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, str]]:
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            yield from _patterns(
                item, f"{namespace}{item.namespace}:" if item.namespace else namespace
            )
        elif isinstance(item, URLPattern) and item.name:
            yield namespace + item.name, str(item.pattern)


def test_every_url_with_an_id_is_in_the_matrix() -> None:
    """A URL that takes an argument (an id, a code) is either tried by the matrix or listed in
    NOT_ENTERPRISE with the reason it shows nothing of an enterprise."""
    covered = {page.name for page in PAGES}
    taking_ids = {
        name
        for name, route in _patterns(get_resolver())
        if re.search(r"<[^>]+>|\{\w+\}|\(\?P<", route)
    }
    elsewhere = set(SCOPED_ELSEWHERE)
    missing = sorted(taking_ids - covered - NOT_ENTERPRISE - elsewhere)
    assert missing == [], "add these URLs to PAGES (or, with a reason, to NOT_ENTERPRISE)"
    assert not (covered & NOT_ENTERPRISE) and not (covered & elsewhere)
    for test_file in set(SCOPED_ELSEWHERE.values()):
        assert (Path(__file__).parents[2] / test_file).exists(), test_file
    stale = sorted((NOT_ENTERPRISE | elsewhere) - taking_ids)
    assert stale == [], "these URLs are gone: remove them from NOT_ENTERPRISE"
