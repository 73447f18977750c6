"""A page's query count does not grow with the data (issue 17).

The scope world (tests/web/scope_world.py) is built once; every page of the scope matrix that
reads (`tests/web/scope_pages.PAGES`, lists and records alike) is fetched by a user who sees the
record, and its queries are counted. Then the world grows: two more enterprises per kind, each
with an inspection, an exam, a finding, an order, a rating, a complaint, a case, a quiet-period
exception and trained workers with certificates. Every page is fetched again by the same user
for the same record. A page whose count changed does one query per row somewhere (a loop over
records, a lookup per line, a template reaching through a relation): at province scale that is
the difference between milliseconds and minutes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from anjian.accounts.roles import role_can
from tests.web.scope_pages import PAGES, SCOPE, Page
from tests.web.scope_world import KEYS, Records, built_world, grow

# who reads each page: the first of these who may open it and sees the chem record
READERS = (
    "office",
    "bureau_head",
    "legal_office",
    "enforcement_team",
    "discipline",
    "hazchem",
    "chem_officer",  # the lead officer of the chem inspection (pages only its officers open)
    "city_office",
    "enterprise",
    "training_institution",
    "audit_admin",
    "security_admin",
    "system_admin",
)
READ_PAGES = tuple(p for p in PAGES if not p.post and p.payload is None)
# pages whose content depends on the role as well: read again by these users
ALSO = {
    "core:home": (
        "bureau_head",
        "office",
        "legal_office",
        "hazchem",
        "enforcement_team",
        "hr_finance",
        "discipline",
        "enterprise",
        "training_institution",
        "audit_admin",
        "security_admin",
        "system_admin",
    )
}


def readers(page: Page, world_users: dict[str, object]) -> Iterator[str]:
    for user in READERS:
        if user in page.refused or user not in world_users:
            continue
        role = world_users[user].role  # type: ignore[attr-defined]
        if not any(c == "" or role_can(role, c) for c in page.can):
            continue
        scope_of = "hazchem" if user == "chem_officer" else user
        sees = page.sees(scope_of, "chem") if page.sees else "chem" in SCOPE.get(scope_of, ())
        if sees or (not page.kind and scope_of in SCOPE):
            yield user


def count_queries(records: Records) -> dict[str, tuple[str, int, int]]:
    """page id -> (reader, status, queries)."""
    found: dict[str, tuple[str, int, int]] = {}
    client = Client()
    client.raise_request_exception = False
    for page in READ_PAGES:
        url = page.url(records, KEYS[0])
        for user in readers(page, records.world.users):
            client.force_login(records.world.users[user])
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
            found[page.id] = (user, response.status_code, len(queries))
            if response.status_code != 403:  # a page only some of the role open: the next
                break
        for user in ALSO.get(page.name, ()):
            client.force_login(records.world.users[user])
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            found[f"{page.id} as {user}"] = (user, response.status_code, len(queries))
    return found


# One worker runs the whole module (`--dist loadgroup` in .ci/run): its fixture builds, measures,
# grows and measures the world again (about 40 s), and each worker that ran one of its tests
# paid for it.
pytestmark = pytest.mark.xdist_group("query_growth")


@pytest.fixture(scope="module")
def counts(
    django_db_setup, django_db_blocker, tmp_path_factory
) -> Iterator[tuple[dict[str, tuple[str, int, int]], dict[str, tuple[str, int, int]]]]:  # type: ignore[no-untyped-def]
    with built_world(django_db_blocker, tmp_path_factory.mktemp("growth-media")) as records:
        records.world.users["chem_officer"] = records.teams["chem"].lead
        small = count_queries(records)
        grow(records, copies=2)
        yield small, count_queries(records)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "growth-media0"


@pytest.mark.django_db
def test_every_read_page_was_measured(counts) -> None:  # type: ignore[no-untyped-def]
    small, _ = counts
    allowed = {p.id: (200, 302, *p.ok) for p in READ_PAGES}
    assert len(small) >= 0.9 * len(READ_PAGES)
    wrong = {
        page: status
        for page, (_, status, _) in small.items()
        if status not in allowed[page.split(" as ")[0]]
    }
    assert wrong == {}


MEASURED = [p.id for p in READ_PAGES] + [
    f"{name} as {user}" for name, users in ALSO.items() for user in users
]


@pytest.mark.django_db
@pytest.mark.parametrize("measured", MEASURED)
def test_query_count_does_not_grow_with_the_data(counts, measured: str) -> None:  # type: ignore[no-untyped-def]
    small, large = counts
    if measured not in small:
        pytest.skip("no user of the world reads this page")
    user, status, before = small[measured]
    _, status_after, after = large[measured]
    assert status_after == status
    assert after == before, f"{measured} as {user}: {before} queries, {after} with more data"
